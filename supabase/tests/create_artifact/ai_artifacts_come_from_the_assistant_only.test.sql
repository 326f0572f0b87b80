-- An artifact that says the assistant made it was made by the assistant: people cannot
-- create generated_by = 'ai' (42501) or claim a model (22023), nor call the service-side
-- create_assistant_artifact; the service role (chat / complete-thread functions) creates
-- one only for the reply being answered or the summary of a completed thread, authored by
-- someone who may work on it.
begin;
select plan(11);
select tests.create_rls_world();
select tests.authenticate_as('csm_a');
select tests.row_id('workflow_executions', 'mine') as exec \gset
select throws_ok(format($$select public.create_artifact(%L, 'email_draft', 'Offer', '{"body": "Maria approved 50%%"}', generated_by => 'ai')$$, :'exec'),
  '42501', 'Only the assistant can create AI artifacts', 'a person cannot create an AI artifact');
select throws_ok(format($$select public.create_artifact(%L, 'email_draft', 'Offer', '{}', ai_model => 'llama3.1:8b')$$, :'exec'),
  '22023', null, 'nor name a model for their own');
select public.start_workflow(:'exec') is not null as started \gset
create temp table t as select (public.create_chat_thread(:'exec', 'review') ->> 'id')::uuid as id;
create temp table posted as select public.post_chat_message((select id from t), 'Draft an email', 'c-1') as p;
select (select id from t) as thread, (select p #>> '{assistant_message,id}' from posted) as reply \gset
select throws_ok(format($$select public.create_assistant_artifact(%L, %L, 'email_draft', 'Offer', '{}', 'llama3.1:8b', message_id => %L)$$,
    :'thread', tests.get_supabase_uid('csm_a'), :'reply'),
  '42501', null, 'a person cannot call the assistant''s writer');
select tests.clear_authentication();
select is((select count(*)::int from app.workflow_task_artifacts where title = 'Offer'), 0, 'nothing was created');

select tests.authenticate_as_service_role();
create temp table drafted as
  select public.create_assistant_artifact(:'thread', tests.get_supabase_uid('csm_a'), 'email_draft', 'Renewal', '{"body": "Hi"}', 'mock',
    'Draft an email', message_id => :'reply') as x;
select is((select (x ->> 'generated_by', x ->> 'ai_model', x ->> 'approved', x #>> '{metadata,source}', x #>> '{metadata,message_id}')::text from drafted),
  format('(ai,mock,false,chat,%s)', :'reply'), 'the service role stores the draft of the reply being answered');
select is((select (x ->> 'created_by')::uuid from drafted), tests.get_supabase_uid('csm_a'), 'authored by the person the assistant works for');
select throws_ok(format($$select public.create_assistant_artifact(%L, %L, 'email_draft', 'X', '{}', 'mock', message_id => %L)$$,
    :'thread', tests.get_supabase_uid('csm_b'), :'reply'),
  '42501', null, 'never for someone of another organisation');
select throws_ok(format($$select public.create_assistant_artifact(%L, %L, 'email_draft', 'X', '{}', 'mock', message_id => %L, metadata => '{"approval_log": []}')$$,
    :'thread', tests.get_supabase_uid('csm_a'), :'reply'),
  '22023', null, 'reserved metadata is refused here too');
select public.finish_chat_message(:'thread', :'reply', 'Drafted.', 'complete');
select throws_ok(format($$select public.create_assistant_artifact(%L, %L, 'email_draft', 'Late', '{}', 'mock', message_id => %L)$$,
    :'thread', tests.get_supabase_uid('csm_a'), :'reply'),
  'PT409', null, 'a finished reply creates nothing more');
select throws_ok(format($$select public.create_assistant_artifact(%L, %L, 'summary', 'Summary', '{}', 'mock')$$,
    :'thread', tests.get_supabase_uid('csm_a')),
  'PT409', null, 'a summary only for a completed thread');
select tests.authenticate_as('csm_a');
select public.complete_chat_thread(:'thread');
select tests.authenticate_as_service_role();
select is(public.create_assistant_artifact(:'thread', tests.get_supabase_uid('csm_a'), 'summary', 'Summary', '{"text": "ok"}', 'mock') #>> '{metadata,source}',
  'complete-thread', 'the completed thread gets its summary');

select * from finish();
rollback;
