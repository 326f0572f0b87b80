-- The artifact kinds are one list (app.artifact_types), equal to the table's check, and a
-- new artifact's checks and storing are written once (app.check_new_artifact,
-- app.check_artifact_metadata, app.store_new_artifact): a person's create_artifact and
-- the assistant's create_assistant_artifact refuse the same input with the same answer,
-- and both store version 1 beside the artifact.
begin;
select plan(12);

select is(
  (select array_agg(m[1] order by ord)
     from pg_constraint c,
          regexp_matches(pg_get_constraintdef(c.oid), '''([a-z_]+)''::text', 'g') with ordinality as r(m, ord)
    where c.conname = 'workflow_task_artifacts_type_is_known'),
  app.artifact_types(),
  'the table''s check and app.artifact_types() list the same kinds in the same order');

select tests.create_rls_world();
select tests.authenticate_as('csm_a');
select tests.row_id('workflow_executions', 'mine') as exec \gset
select public.start_workflow(:'exec') is not null as started \gset
create temp table t as select (public.create_chat_thread(:'exec', 'review') ->> 'id')::uuid as id;
create temp table posted as select public.post_chat_message((select id from t), 'Draft an email', 'c-1') as p;
select (select id from t) as thread, (select p #>> '{assistant_message,id}' from posted) as reply \gset

select throws_ok(format($$select public.create_artifact(%L, 'poem', 'Ode', '{}')$$, :'exec'),
  '22023', 'artifact_type "poem" is not known', 'a person: an unknown kind');
select throws_ok(format($$select public.create_artifact(%L, 'summary', ' ', '{}')$$, :'exec'),
  '22023', 'title must not be empty', 'a person: a blank title');
select throws_ok(format($$select public.create_artifact(%L, 'summary', 'S', null)$$, :'exec'),
  '22023', 'content is required', 'a person: no content');
select throws_ok(format($$select public.create_artifact(%L, 'summary', 'S', '{}', metadata => '[]')$$, :'exec'),
  '22023', 'metadata must be a JSON object', 'a person: metadata not an object');
select throws_ok($$select public.list_artifacts(artifact_type => 'poem', execution_id => gen_random_uuid())$$,
  '22023', 'artifact_type "poem" is not known', 'the list filter knows the same kinds');
select x ->> 'id' as mine_id, x ->> 'generated_by' as mine_by
  from (select public.create_artifact(:'exec', 'summary', 'Mine', '{"text": "x"}') as x) m \gset
select tests.clear_authentication();

select tests.authenticate_as_service_role();
create function pg_temp.hint_of(sql text) returns text language plpgsql as $$
begin execute sql; return null; exception when others then
  declare h text; begin get stacked diagnostics h = pg_exception_hint; return h; end;
end $$;
select is(
  pg_temp.hint_of(format($$select public.create_assistant_artifact(%L, %L, 'poem', 'Ode', '{}', 'mock', message_id => %L)$$,
    :'thread', tests.get_supabase_uid('csm_a'), :'reply')),
  'Use email_draft, contract_analysis, meeting_notes, proposal_draft, recommendation, assessment, action_plan, summary or custom.',
  'the assistant: an unknown kind, with every kind in the hint');
select throws_ok(format($$select public.create_assistant_artifact(%L, %L, 'summary', ' ', '{}', 'mock', message_id => %L)$$,
    :'thread', tests.get_supabase_uid('csm_a'), :'reply'),
  '22023', 'title must not be empty', 'the assistant: a blank title');
select throws_ok(format($$select public.create_assistant_artifact(%L, %L, 'summary', 'S', '{}', 'mock', message_id => %L, metadata => '1')$$,
    :'thread', tests.get_supabase_uid('csm_a'), :'reply'),
  '22023', 'metadata must be a JSON object', 'the assistant: metadata not an object');
select x ->> 'id' as drafted_id, x ->> 'generated_by' as drafted_by, (x -> 'task_id')::text as drafted_task
  from (select public.create_assistant_artifact(:'thread', tests.get_supabase_uid('csm_a'), 'email_draft', 'Renewal', '{"body": "Hi"}', 'mock',
          message_id => :'reply') as x) d \gset
select tests.clear_authentication();

select is(
  (select array_agg(v.version || ' ' || v.title || ' ' || (v.edited_by = a.created_by)::text order by v.title)
     from app.workflow_task_artifact_versions v join app.workflow_task_artifacts a on a.id = v.artifact_id
    where a.id in (:'mine_id', :'drafted_id')),
  array['1 Mine true', '1 Renewal true'],
  'both writers store version 1 beside the artifact, edited by its author');
select is((:'mine_by' || ' / ' || :'drafted_by')::text, 'manual / ai',
  'a person''s artifact is manual, the assistant''s ai');
select is(:'drafted_task'::text, 'null', 'the assistant''s artifact hangs off no task');

select * from finish();
rollback;
