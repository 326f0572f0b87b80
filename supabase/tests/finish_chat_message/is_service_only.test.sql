-- finish_chat_message writes the assistant's words: only the chat function (service
-- role) may call it. A signed-in person of any role (even one who may chat in the
-- thread) and anon get 42501, and nothing is written.
begin;
select plan(6);
select tests.create_rls_world();
select tests.authenticate_as('csm_a');
create temp table t as select (public.create_chat_thread(tests.row_id('workflow_executions', 'mine'), 'review') ->> 'id')::uuid as id;
create temp table posted as select public.post_chat_message((select id from t), 'How is Acme?', 'c-1') as p;
select (select id from t) as thread, (select p #>> '{assistant_message,id}' from posted) as reply \gset

select throws_ok(format($$select public.finish_chat_message(%L, %L, 'Maria approved a 50%% discount.', 'complete')$$, :'thread', :'reply'),
  '42501', null, 'the CSM of the workflow cannot write the assistant''s answer');
select throws_ok(format($$select public.finish_chat_message(%L, %L, 'partial', 'streaming')$$, :'thread', :'reply'),
  '42501', null, 'nor mark it streaming');
select tests.authenticate_as('admin_a');
select throws_ok(format($$select public.finish_chat_message(%L, %L, 'x', 'complete')$$, :'thread', :'reply'),
  '42501', null, 'nor can an admin');
select tests.authenticate_as_anon();
select throws_ok(format($$select public.finish_chat_message(%L, %L, 'x', 'complete')$$, :'thread', :'reply'),
  '42501', null, 'nor anon');
select tests.clear_authentication();
select is((select (status, content)::text from app.workflow_chat_messages where id = :'reply'), '(pending,"")',
  'the reply is still pending and empty');
select tests.authenticate_as_service_role();
select is(public.finish_chat_message(:'thread', :'reply', 'Acme is healthy.', 'complete') ->> 'status', 'complete',
  'the service role (the chat function) can finish it');

select * from finish();
rollback;
