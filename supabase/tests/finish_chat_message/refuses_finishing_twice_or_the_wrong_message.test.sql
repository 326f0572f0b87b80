begin;
select plan(5);
select tests.create_rls_world();
select tests.authenticate_as('csm_a');
create temp table t as select (public.create_chat_thread(tests.row_id('workflow_executions', 'mine'), 'review') ->> 'id')::uuid as id;
create temp table posted as select public.post_chat_message((select id from t), 'How is Acme?', 'c-1') as p;
grant select on posted to authenticated;
select public.finish_chat_message((select (p #>> '{assistant_message,id}')::uuid from posted), 'Done.', 'complete');

select throws_ok(format($$select public.finish_chat_message(%L, 'Again', 'complete')$$, (select p #>> '{assistant_message,id}' from posted)),
  'PT409', 'This assistant message is already complete', 'a finished reply cannot be finished again');
select throws_ok(format($$select public.finish_chat_message(%L, 'x', 'complete')$$, (select p #>> '{user_message,id}' from posted)),
  'PT409', null, 'a user message cannot be finished');
select throws_ok(format($$select public.finish_chat_message(%L, 'x', 'done')$$, (select p #>> '{assistant_message,id}' from posted)),
  '22023', null, 'an unknown status is refused');

select tests.authenticate_as('viewer_a');
select throws_ok(format($$select public.finish_chat_message(%L, 'x', 'failed')$$, (select p #>> '{assistant_message,id}' from posted)),
  '42501', null, 'a viewer may not finish a reply');
select tests.authenticate_as('csm_b');
select throws_ok(format($$select public.finish_chat_message(%L, 'x', 'failed')$$, (select p #>> '{assistant_message,id}' from posted)),
  'PT404', null, 'another organisation cannot see the message');

select * from finish();
rollback;
