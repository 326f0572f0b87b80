begin;
select plan(5);
select tests.create_rls_world();
select tests.authenticate_as('csm_a');
create temp table t as select (public.create_chat_thread(tests.row_id('workflow_executions', 'mine'), 'review') ->> 'id')::uuid as id;
select public.post_chat_message((select id from t), 'First question', 'c-1');
select public.post_chat_message((select id from t), 'Second question', 'c-2');

select is((select array_agg((m ->> 'sequence')::int) from jsonb_array_elements(public.get_chat_thread((select id from t)) -> 'messages') m),
  array[1, 2, 3, 4], 'messages come in sequence order');
select is((select array_agg(m ->> 'role') from jsonb_array_elements(public.get_chat_thread((select id from t)) -> 'messages') m),
  array['user', 'assistant', 'user', 'assistant'], 'each user message is followed by its assistant reply');
select isnt(public.get_chat_thread((select id from t)) #>> '{llm_context,system_prompt}', null, 'the LLM context comes with the thread');

select tests.authenticate_as('viewer_a');
select lives_ok(format('select public.get_chat_thread(%L)', (select id from t)), 'a viewer of the organisation can read the thread');

select tests.authenticate_as('csm_b');
select throws_ok(format('select public.get_chat_thread(%L)', (select id from t)), 'PT404', 'Chat thread not found',
  'another organisation cannot read the thread');

select * from finish();
rollback;
