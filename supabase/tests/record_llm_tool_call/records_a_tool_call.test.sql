begin;
select plan(4);
select tests.create_rls_world();
select tests.authenticate_as('csm_a');
create temp table t as select (public.create_chat_thread(tests.row_id('workflow_executions', 'mine'), 'review') ->> 'id')::uuid as id;
create temp table posted as select public.post_chat_message((select id from t), 'Draft an email', 'c-1') as p;
grant select on posted to authenticated;
create temp table call as
  select public.record_llm_tool_call((select (p #>> '{assistant_message,id}')::uuid from posted), 'draft_email',
    '{"subject": "Renewal"}', '{"artifact_id": "x"}', true, null, 12) as c;

select is((select (c ->> 'tool_name', c ->> 'success', c ->> 'duration_ms')::text from call), '(draft_email,true,12)',
  'name, success and duration are recorded');
select is((select tool_input ->> 'subject' from app.workflow_llm_tool_calls where id = (select (c ->> 'id')::uuid from call)), 'Renewal',
  'the input is stored');
select is((select count(*)::int from jsonb_array_elements(public.get_chat_thread((select id from t)) -> 'tool_calls')), 1,
  'the thread lists the call');

select tests.authenticate_as('viewer_a');
select throws_ok(format($$select public.record_llm_tool_call(%L, 'x', '{}', '{}', true)$$, (select p #>> '{assistant_message,id}' from posted)),
  '42501', null, 'a viewer may not record tool calls');

select * from finish();
rollback;
