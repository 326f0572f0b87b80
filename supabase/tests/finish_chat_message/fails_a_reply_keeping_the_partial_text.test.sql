begin;
select plan(4);
select tests.create_rls_world();
select tests.authenticate_as('csm_a');
create temp table t as select (public.create_chat_thread(tests.row_id('workflow_executions', 'mine'), 'review') ->> 'id')::uuid as id;
create temp table posted as select public.post_chat_message((select id from t), 'How is Acme?', 'c-1') as p;
select (select id from t) as thread, (select p #>> '{assistant_message,id}' from posted) as reply,
       (select p #>> '{user_message,id}' from posted) as question \gset
select tests.authenticate_as_service_role();
create temp table failed as
  select public.finish_chat_message(
    thread_id => :'thread', message_id => :'reply', content => 'Acme is', status => 'failed',
    metadata => '{"error": "The assistant stopped in the middle of its answer."}') as m;

select is((select m ->> 'status' from failed), 'failed', 'the reply is failed');
select is((select m ->> 'content' from failed), 'Acme is', 'the partial text is kept');
select is((select m ->> 'error_message' from failed), 'The assistant stopped in the middle of its answer.', 'with a readable error');
select is((select status from app.workflow_chat_messages where id = :'question'), 'complete',
  'the user message stays');

select * from finish();
rollback;
