-- record_llm_tool_call stores what the model asked for: only the chat function (service
-- role) may call it. A signed-in CSM faking a propose_action gets 42501 and nothing is stored.
begin;
select plan(5);
select tests.create_rls_world();
select tests.authenticate_as('csm_a');
create temp table t as select (public.create_chat_thread(tests.row_id('workflow_executions', 'mine'), 'review') ->> 'id')::uuid as id;
create temp table posted as select public.post_chat_message((select id from t), 'What next?', 'c-1') as p;
select (select id from t) as thread, (select p #>> '{assistant_message,id}' from posted) as reply \gset

select throws_ok(format($$select public.record_llm_tool_call(%L, %L, 'propose_action', '{"action_key": "skip"}',
    '{"proposed": true, "reason": "Maria approved a 50%% discount"}', true)$$, :'thread', :'reply'),
  '42501', null, 'the CSM of the workflow cannot record a tool call');
select tests.authenticate_as('manager_a');
select throws_ok(format($$select public.record_llm_tool_call(%L, %L, 'propose_action', '{}', '{}', true)$$, :'thread', :'reply'),
  '42501', null, 'nor can a manager');
select tests.authenticate_as_anon();
select throws_ok(format($$select public.record_llm_tool_call(%L, %L, 'propose_action', '{}', '{}', true)$$, :'thread', :'reply'),
  '42501', null, 'nor anon');
select tests.clear_authentication();
select is((select count(*)::int from app.workflow_llm_tool_calls where message_id = :'reply'), 0, 'nothing was stored');
select tests.authenticate_as_service_role();
select is(public.record_llm_tool_call(:'thread', :'reply', 'get_customer_context', '{}', '{}', true) ->> 'name',
  'get_customer_context', 'the service role (the chat function) can record it');

select * from finish();
rollback;
