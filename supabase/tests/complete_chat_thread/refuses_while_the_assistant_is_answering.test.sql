begin;
select plan(3);
select tests.create_rls_world();
select tests.authenticate_as('csm_a');
select public.start_workflow(tests.row_id('workflow_executions', 'mine'));
create temp table t as select (public.create_chat_thread(tests.row_id('workflow_executions', 'mine'), 'review') ->> 'id')::uuid as id;
grant select on t to authenticated;
select public.post_chat_message((select id from t), 'How is Acme?', 'c-1');

select throws_ok(format('select public.complete_chat_thread(%L)', (select id from t)), 'PT409', 'The assistant is still answering in this chat',
  'a thread with a pending reply cannot be completed yet');
select tests.authenticate_as('viewer_a');
select throws_ok(format('select public.complete_chat_thread(%L)', (select id from t)), '42501', null, 'a viewer may not complete a thread');
select tests.authenticate_as('csm_b');
select throws_ok(format('select public.complete_chat_thread(%L)', (select id from t)), 'PT404', null, 'another organisation cannot');

select * from finish();
rollback;
