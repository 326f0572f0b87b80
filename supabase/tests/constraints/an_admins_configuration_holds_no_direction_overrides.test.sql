-- What an admin configures for everyone's forms holds no text-direction override and no
-- control character, as a name or a title does: a skip's reasons (the Skip form's choices), a
-- workflow branch's default params (what its action form opens with), any text of a saved
-- action's config or of a workflow definition. Before migration 20261216510000 a skip reason
-- 'Ot<U+202E>her' was saved, read reversed in every CSM's Skip form, and a skip that chose it
-- was then refused by the action log's own rule; a branch default title 'Call<U+202E>gnp.exe'
-- opened every create-task form of that branch as 'Callexe.png'. Refused with 22023 naming
-- the field, nothing saved. (app.require_displayable_json on saved_actions.config,
-- workflow_chat_branches.config and workflow_versions.config.)
begin;
select plan(7);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
select tests.authenticate_as('e_admin');

select throws_ok(format('select public.save_saved_action(%L, %L)', 'skip',
    jsonb_build_object('reasons', jsonb_build_array('Not applicable', E'Ot\u202Eher'), 'reason_required', true)),
  '22023', 'config.reasons[1] must not contain control characters or text-direction overrides',
  'a skip reason holding a right-to-left override is refused');
select is((select count(*)::int from app.saved_actions where org_id = :'org'), 0, 'nothing was saved');
select is(public.save_saved_action('skip', jsonb_build_object('reasons', jsonb_build_array('לא רלוונטי', 'Customer asked'))) -> 'config' -> 'reasons',
  '["לא רלוונטי", "Customer asked"]'::jsonb, 'Hebrew reasons are saved');

select public.get_workflow_definition('overdue') as d \gset
select (s.i - 1)::text as si, (b.j - 1)::text as bj
  from jsonb_array_elements(:'d'::jsonb -> 'definition' -> 'steps') with ordinality s(v, i),
       jsonb_array_elements(s.v -> 'branches') with ordinality b(v, j)
 where b.v ->> 'saved_action_key' = 'create_task' limit 1 \gset
select jsonb_set(:'d'::jsonb -> 'definition', array['steps', :'si', 'branches', :'bj', 'config', 'defaults', 'title'],
                 to_jsonb(E'Call\u202Egnp.exe'::text)) as bad \gset
select throws_ok(format('select public.save_workflow_definition(%L, %L, %s)', 'overdue', :'bad', :'d'::jsonb ->> 'version'),
  '22023', null, 'a branch''s default title holding an override is refused');
select is((select count(*)::int from app.workflow_versions where org_id = :'org'), 0, 'and no version of the workflow was saved');
select tests.clear_authentication();

select is(tests.violation(format($$update app.workflow_chat_branches set config = '{"defaults": {"title": "Call\u202Egnp.exe"}}' where id = %L$$,
    (select id from app.workflow_chat_branches where branch_type = 'saved_action' limit 1))),
  '22023', 'a plain update of a branch''s config is refused alike');
select is(tests.violation(format($$update app.saved_actions set config = config || '{"reasons": ["x\u2067y"]}' where key = 'skip' and org_id = %L$$, :'org')),
  '22023', 'and of a saved action''s');
select * from finish();
rollback;
