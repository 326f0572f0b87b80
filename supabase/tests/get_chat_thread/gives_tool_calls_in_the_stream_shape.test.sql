-- A stored thread's tool calls come in the chat stream's shape {name, input, output,
-- success, error} (plus the log's id, message_id, duration_ms, created_at), so the app has
-- one shape for a tool call (docs/api-contract.md); `error` only when the call failed.
begin;
select plan(6);
select tests.create_rls_world();
select tests.authenticate_as('csm_a');
create temp table t as select (public.create_chat_thread(tests.row_id('workflow_executions', 'mine'), 'review') ->> 'id')::uuid as id;
create temp table posted as select public.post_chat_message((select id from t), 'Draft an email', 'c-shape') as p;
select (select id from t) as thread, (select p #>> '{assistant_message,id}' from posted) as reply \gset
select tests.authenticate_as_service_role();
select public.record_llm_tool_call(:'thread', :'reply', 'draft_email', '{"subject": "Renewal"}', '{"artifact_id": "x"}', true, null, 12);
select public.record_llm_tool_call(:'thread', :'reply', 'send_email', '{"to": "a@b.test"}', '{"error": "not a tool"}', false, 'not a tool', 3);
select public.record_llm_tool_call(:'thread', :'reply', 'odd_tool', '{}', '[1, 2]', true, null, 1);
select tests.authenticate_as('csm_a');
create temp table calls as
  select c from jsonb_array_elements(public.get_chat_thread(:'thread') -> 'tool_calls') c;

select is((select c from calls where c ->> 'name' = 'draft_email') - 'id' - 'created_at',
  jsonb_build_object('message_id', :'reply', 'name', 'draft_email', 'input', '{"subject": "Renewal"}'::jsonb,
                     'output', '{"artifact_id": "x"}'::jsonb, 'success', true, 'duration_ms', 12),
  'a successful call: name, input, output, success (no error), with its message and duration');
select ok((select c ? 'id' and c ? 'created_at' from calls where c ->> 'name' = 'draft_email'), 'with the log''s id and time');
select is((select (c ->> 'success', c ->> 'error', c #>> '{output,error}')::text from calls where c ->> 'name' = 'send_email'),
  '(false,"not a tool","not a tool")', 'a failed call says why in error');
select is((select c -> 'output' from calls where c ->> 'name' = 'odd_tool'), 'null'::jsonb,
  'an answer that is not an object shows as null');
select is((select count(*)::int from calls c, jsonb_object_keys(c.c) k where k in ('tool_name', 'tool_input', 'tool_output', 'error_message')), 0,
  'no column names of the log table');
select tests.authenticate_as_service_role();
select is(public.record_llm_tool_call(:'thread', :'reply', 'get_customer_context', '{}', '{"ok": true}', true) ->> 'name',
  'get_customer_context', 'record_llm_tool_call answers in the same shape');

select * from finish();
rollback;
