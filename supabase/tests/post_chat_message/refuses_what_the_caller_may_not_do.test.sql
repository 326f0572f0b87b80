begin;
select plan(6);
select tests.create_rls_world();
select tests.authenticate_as('csm_a');
create temp table t as select (public.create_chat_thread(tests.row_id('workflow_executions', 'mine'), 'review') ->> 'id')::uuid as id;
grant select on t to authenticated;

select throws_ok(format($$select public.post_chat_message(%L, '   ', 'c-1')$$, (select id from t)), '22023', 'content must not be empty',
  'an empty message is refused');
select throws_ok(format($$select public.post_chat_message(%L, 'Hi', '')$$, (select id from t)), '22023', null,
  'a blank client message id is refused');

select tests.authenticate_as('viewer_a');
select throws_ok(format($$select public.post_chat_message(%L, 'Hi', 'c-1')$$, (select id from t)), '42501', null,
  'a viewer may not post');

select tests.authenticate_as('csm_b');
select throws_ok(format($$select public.post_chat_message(%L, 'Hi', 'c-1')$$, (select id from t)), 'PT404', 'Chat thread not found',
  'another organisation cannot post to the thread');
select tests.clear_authentication();
select is((select count(*)::int from app.workflow_chat_messages where thread_id = (select id from t)), 0, 'nothing was stored');

update app.workflow_chat_threads set status = 'completed', completed_at = now() where id = (select id from t);
select tests.authenticate_as('csm_a');
select throws_ok(format($$select public.post_chat_message(%L, 'Hi', 'c-9')$$, (select id from t)), 'PT409', null,
  'a completed thread takes no new messages');

select * from finish();
rollback;
