-- The chat function (service role) records the tool calls of the reply being answered.
begin;
select plan(5);
select tests.create_rls_world();
select tests.authenticate_as('csm_a');
create temp table t as select (public.create_chat_thread(tests.row_id('workflow_executions', 'mine'), 'review') ->> 'id')::uuid as id;
create temp table posted as select public.post_chat_message((select id from t), 'Draft an email', 'c-1') as p;
select (select id from t) as thread, (select p #>> '{assistant_message,id}' from posted) as reply \gset
select tests.authenticate_as_service_role();
create temp table call as
  select public.record_llm_tool_call(:'thread', :'reply', 'draft_email',
    '{"subject": "Renewal"}', '{"artifact_id": "x"}', true, null, 12) as c;

select is((select (c ->> 'name', c ->> 'success', c ->> 'duration_ms')::text from call), '(draft_email,true,12)',
  'name, success and duration are recorded');
select is((select tool_input ->> 'subject' from app.workflow_llm_tool_calls where id = (select (c ->> 'id')::uuid from call)), 'Renewal',
  'the input is stored');
select tests.authenticate_as('csm_a');
select is((select count(*)::int from jsonb_array_elements(public.get_chat_thread(:'thread') -> 'tool_calls')), 1,
  'the thread lists the call');

-- Once the reply is finished, no call can be hung on it (a leaked id rewrites nothing).
select tests.authenticate_as_service_role();
select public.finish_chat_message(:'thread', :'reply', 'Drafted.', 'complete');
select throws_ok(format($$select public.record_llm_tool_call(%L, %L, 'propose_action', '{}', '{"proposed": true}', true)$$, :'thread', :'reply'),
  'PT409', null, 'a finished reply gets no more tool calls');
select throws_ok(format($$select public.record_llm_tool_call(%L, %L, 'propose_action', '{}', '{}', true)$$, gen_random_uuid(), :'reply'),
  'PT404', null, 'a reply is named with its own thread');

select * from finish();
rollback;
