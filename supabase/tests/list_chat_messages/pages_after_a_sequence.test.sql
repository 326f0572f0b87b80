begin;
select plan(5);
select tests.create_rls_world();
select tests.authenticate_as('csm_a');
create temp table t as select (public.create_chat_thread(tests.row_id('workflow_executions', 'mine'), 'review') ->> 'id')::uuid as id;
select public.post_chat_message((select id from t), format('Question %s', n), format('c-%s', n)) from generate_series(1, 3) n;

select is((select array_agg((m ->> 'sequence')::int) from jsonb_array_elements(public.list_chat_messages((select id from t), 0, 4) -> 'messages') m),
  array[1, 2, 3, 4], 'the first page holds the first messages');
select is(public.list_chat_messages((select id from t), 0, 4) ->> 'next_after_sequence', '4', 'a full page says where to continue');
select is((select array_agg((m ->> 'sequence')::int) from jsonb_array_elements(public.list_chat_messages((select id from t), 4, 4) -> 'messages') m),
  array[5, 6], 'the next page continues after the given sequence');
select is(public.list_chat_messages((select id from t), 4, 4) ->> 'next_after_sequence', null, 'the last page says there is no more');
select throws_ok(format('select public.list_chat_messages(%L, 0, 0)', (select id from t)), '22023', 'page_size must be between 1 and 500',
  'a page size of 0 is refused');

select * from finish();
rollback;
