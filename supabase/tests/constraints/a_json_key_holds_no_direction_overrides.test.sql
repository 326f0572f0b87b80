-- A key in an artifact's content (or a proposal's params) is a label where it is shown: the
-- artifact view lists an assessment's or a summary's fields by their keys, and a nested value
-- as JSON with its keys. So a key holds no control character and no text-direction override,
-- at any depth, as the texts do: content {"Risk<U+202E>gnp.exe": "high"} read
-- "Riskexe.png: high" on the approver's screen. Refused with 22023 "a key in content must not
-- contain…" whoever writes it (a person, an edit, an agent, a plain update) and nothing is
-- written. (app.require_displayable_json, migration 20261216500000.)
begin;
select plan(9);
set client_min_messages = warning;
select tests.create_rls_world();
select tests.authenticate_as('csm_a');
select tests.row_id('workflow_executions', 'mine') as exec \gset
select public.start_workflow(:'exec') is not null as started \gset
select count(*)::int as before from app.workflow_task_artifacts where execution_id = :'exec' \gset

select throws_ok(format('select public.create_artifact(%L, %L, %L, %L)', :'exec', 'assessment', 'Risk review',
    jsonb_build_object(E'Risk\u202Egnp.exe', 'high')),
  '22023', 'a key in content must not contain control characters or text-direction overrides',
  'a field whose key holds a right-to-left override is refused');
select throws_ok(format('select public.create_artifact(%L, %L, %L, %L)', :'exec', 'summary', 'Call summary',
    jsonb_build_object('summary', 'Fine', 'risks', jsonb_build_array(jsonb_build_object(E'Champion\u2066', 'left')))),
  '22023', 'a key in content must not contain control characters or text-direction overrides',
  'so is a key nested in a list');
select throws_ok(format('select public.create_artifact(%L, %L, %L, %L)', :'exec', 'assessment', 'Risk review',
    jsonb_build_object(E'Next\nsteps', 'call')),
  '22023', 'a key in content must not contain control characters or text-direction overrides',
  'a key is one line: a line break in it is refused');
select is((select count(*)::int from app.workflow_task_artifacts where execution_id = :'exec'), :before, 'no artifact was stored');

select public.create_artifact(:'exec', 'assessment', 'Risk review', jsonb_build_object('סיכון', 'גבוה', 'Next steps', 'call')) as kept \gset
select is(:'kept'::jsonb -> 'content', jsonb_build_object('סיכון', 'גבוה', 'Next steps', 'call'), 'a Hebrew key and a plain one are kept');
select throws_ok(format('select public.update_artifact(%L, %L, 1)', :'kept'::jsonb ->> 'id',
    jsonb_build_object('content', jsonb_build_object(E'Risk\u202E', 'high'))),
  '22023', 'a key in content must not contain control characters or text-direction overrides', 'an edit is checked alike');
select throws_ok(format($$update app.workflow_task_artifacts set content = content || '{"x\u202ey": "plain"}' where id = %L$$, :'kept'::jsonb ->> 'id'),
  '22023', 'a key in content must not contain control characters or text-direction overrides', 'so is a plain update');

select tests.act_as_agent('Renewal Bot');
select throws_ok(format('select public.create_agent_draft(%L, %L, %L, %L)', :'exec', 'summary', 'Renewal check-in',
    jsonb_build_object('summary', 'Fine', 'risks', jsonb_build_object(E'Budget\u202E', 'cut'))),
  '22023', 'a key in content must not contain control characters or text-direction overrides', 'an agent''s draft is checked alike');
select tests.act_as_agent(null);
select tests.clear_authentication();

select is(app.displayable_json(jsonb_build_object(E'Risk\u202Egnp.exe', jsonb_build_object(E'a\nb', E'c\u2066')), 'content'),
  jsonb_build_object('Riskgnp.exe', jsonb_build_object('a b', 'c')),
  'a draft stored before is mended as its texts were: the override left out, a line break made a space');
select * from finish();
rollback;
