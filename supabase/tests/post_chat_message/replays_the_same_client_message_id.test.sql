-- Sending again with the same client message id (a retry after a network error) returns
-- the stored pair and stores nothing new; the same id with another text is a conflict.
begin;
select plan(6);
select tests.create_rls_world();
select tests.authenticate_as('csm_a');
create temp table t as select (public.create_chat_thread(tests.row_id('workflow_executions', 'mine'), 'review') ->> 'id')::uuid as id;
create temp table first as select public.post_chat_message((select id from t), 'Hello', 'same-id') as p;
create temp table second as select public.post_chat_message((select id from t), 'Hello', 'same-id') as p;

select is((select p ->> 'replayed' from second), 'true', 'the second send says it is a replay');
select is((select p #>> '{user_message,id}' from second), (select p #>> '{user_message,id}' from first), 'the same user message comes back');
select is((select p #>> '{assistant_message,id}' from second), (select p #>> '{assistant_message,id}' from first), 'with the same assistant message');
select throws_ok(format('select public.post_chat_message(%L, %L, %L)', (select id from t), 'Goodbye', 'same-id'),
  'PT409', 'this client_message_id was used for a different message', 'another text under the same id is a conflict');
select is((select count(*)::int from app.workflow_chat_messages where thread_id = (select id from t)), 2, 'no second pair is stored');
select is((select content from app.workflow_chat_messages where thread_id = (select id from t) and role = 'user'), 'Hello', 'the first text stands');

select * from finish();
rollback;
