begin;
select plan(8);
select tests.create_rls_world();
select tests.authenticate_as('csm_a');
create temp table t as select (public.create_chat_thread(tests.row_id('workflow_executions', 'mine'), 'review') ->> 'id')::uuid as id;
create temp table posted as select public.post_chat_message((select id from t), 'How is Acme doing?', 'client-1') as p;

select is((select p #>> '{user_message,role}' from posted), 'user', 'the user message is returned');
select is((select p #>> '{user_message,status}' from posted), 'complete', 'the user message is stored complete');
select is((select p #>> '{user_message,content}' from posted), 'How is Acme doing?', 'with its content');
select is((select p #>> '{assistant_message,status}' from posted), 'pending', 'a pending assistant message is stored with it');
select is((select p #>> '{assistant_message,reply_to_id}' from posted), (select p #>> '{user_message,id}' from posted),
  'the assistant message answers the user message');
select is((select array[(p #>> '{user_message,sequence}')::int, (p #>> '{assistant_message,sequence}')::int] from posted),
  array[1, 2], 'they take the next two sequence numbers');
select is((select p ->> 'replayed' from posted), 'false', 'a first send is not a replay');
select is((select count(*)::int from app.workflow_chat_messages where thread_id = (select id from t)), 2, 'exactly the two messages are stored');

select * from finish();
rollback;
