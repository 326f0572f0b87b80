-- Completing a chat completes its step (through the workflow engine's complete_step) and
-- writes the thread's duration, message count and token count into the step's record.
begin;
select plan(8);
select tests.create_rls_world();
select tests.authenticate_as('csm_a');
select public.start_workflow(tests.row_id('workflow_executions', 'mine'));
create temp table t as select (public.create_chat_thread(tests.row_id('workflow_executions', 'mine'), 'review') ->> 'id')::uuid as id;
create temp table posted as select public.post_chat_message((select id from t), 'How is Acme?', 'c-1') as p;
select (select id from t) as thread, (select p #>> '{assistant_message,id}' from posted) as reply \gset
-- The chat function finishes the reply with the service role (finish_chat_message is service-only).
select tests.authenticate_as_service_role();
select public.finish_chat_message(:'thread', :'reply', 'Fine.', 'complete', 100, 20, 'mock');
-- The thread started a while ago.
select tests.clear_authentication();
update app.workflow_chat_threads set started_at = now() - interval '90 seconds' where id = (select id from t);
select tests.authenticate_as('csm_a');
create temp table done as select public.complete_chat_thread((select id from t)) as x;

select is((select x #>> '{thread,status}' from done), 'completed', 'the thread is completed');
select is((select x #>> '{step,status}' from done), 'completed', 'its step is completed');
select is((select (x #>> '{step,duration_seconds}')::int from done), 90, 'the step records the thread''s duration');
select is((select (x #>> '{step,message_count}')::int from done), 2, 'the step records the message count');
select is((select (x #>> '{step,token_count}')::int from done), 120, 'the step records the token count');
select is((select x -> 'next_step' from done), 'null'::jsonb, 'the last step has no next step');
select is((select status from app.workflow_executions where id = tests.row_id('workflow_executions', 'mine')), 'completed_with_pending_tasks',
  'completing the last step completes the workflow (a task is still open)');
select is((select (public.complete_chat_thread((select id from t)) ->> 'already_completed')), 'true',
  'completing again changes nothing and says so');

select * from finish();
rollback;
