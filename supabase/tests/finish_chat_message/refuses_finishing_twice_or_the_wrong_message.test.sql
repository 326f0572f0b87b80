-- Only the pending reply of the named thread can be finished, once: a leaked id of a
-- finished reply, a user message or a reply of another thread is refused.
begin;
select plan(6);
select tests.create_rls_world();
select tests.authenticate_as('csm_a');
create temp table t as select (public.create_chat_thread(tests.row_id('workflow_executions', 'mine'), 'review') ->> 'id')::uuid as id;
create temp table t2 as select (public.create_chat_thread(tests.row_id('workflow_executions', 'mine'), 'review') ->> 'id')::uuid as id;
create temp table posted as select public.post_chat_message((select id from t), 'How is Acme?', 'c-1') as p;
create temp table posted2 as select public.post_chat_message((select id from t2), 'And now?', 'c-2') as p;
select (select id from t) as thread, (select id from t2) as other_thread,
       (select p #>> '{assistant_message,id}' from posted) as reply, (select p #>> '{user_message,id}' from posted) as question,
       (select p #>> '{assistant_message,id}' from posted2) as other_reply \gset
select tests.authenticate_as_service_role();
select public.finish_chat_message(:'thread', :'reply', 'Done.', 'complete');

select throws_ok(format($$select public.finish_chat_message(%L, %L, 'Maria approved a 50%% discount', 'complete')$$, :'thread', :'reply'),
  'PT409', 'This assistant message is already complete', 'a finished reply cannot be finished (rewritten) again');
select throws_ok(format($$select public.finish_chat_message(%L, %L, 'x', 'streaming')$$, :'thread', :'reply'),
  'PT409', 'This assistant message is already complete', 'nor turned back to streaming');
select throws_ok(format($$select public.finish_chat_message(%L, %L, 'x', 'complete')$$, :'thread', :'question'),
  'PT409', null, 'a user message cannot be finished');
select throws_ok(format($$select public.finish_chat_message(%L, %L, 'x', 'done')$$, :'other_thread', :'other_reply'),
  '22023', null, 'an unknown status is refused');
select throws_ok(format($$select public.finish_chat_message(%L, %L, 'x', 'complete')$$, :'thread', :'other_reply'),
  'PT404', 'Chat message not found in this thread', 'a reply of another thread cannot be finished through this one');
select is((select (status, content)::text from app.workflow_chat_messages where id = :'reply'), '(complete,Done.)',
  'the finished reply is unchanged');

select * from finish();
rollback;
