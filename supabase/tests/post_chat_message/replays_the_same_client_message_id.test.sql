-- Sending again with the same client message id (a retry after a network error) returns
-- the stored pair and stores nothing new.
begin;
select plan(4);
select tests.create_rls_world();
select tests.authenticate_as('csm_a');
create temp table t as select (public.create_chat_thread(tests.row_id('workflow_executions', 'mine'), 'review') ->> 'id')::uuid as id;
create temp table first as select public.post_chat_message((select id from t), 'Hello', 'same-id') as p;
create temp table second as select public.post_chat_message((select id from t), 'Hello', 'same-id') as p;

select is((select p ->> 'replayed' from second), 'true', 'the second send says it is a replay');
select is((select p #>> '{user_message,id}' from second), (select p #>> '{user_message,id}' from first), 'the same user message comes back');
select is((select p #>> '{assistant_message,id}' from second), (select p #>> '{assistant_message,id}' from first), 'with the same assistant message');
select is((select count(*)::int from app.workflow_chat_messages where thread_id = (select id from t)), 2, 'no second pair is stored');

select * from finish();
rollback;
