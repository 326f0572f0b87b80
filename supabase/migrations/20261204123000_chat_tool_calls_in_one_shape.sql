-- A stored tool call in the one shape the app uses for a tool call.
--
-- The chat stream reports a tool call as {name, input, output, success, error}; a stored
-- thread (get_chat_thread `tool_calls`) and record_llm_tool_call answered with the table's
-- column names (tool_name, tool_input, tool_output, error_message), and the web app turned
-- one into the other. app.llm_tool_call_json, which both RPCs build their answer with, now
-- gives the stream's shape plus the log's own fields:
--   {id, message_id, name, input, output, success, error?, duration_ms, created_at}
-- `error` is present only when the call failed (as in the stream); `output` is the tool's
-- answer object (tools answer objects; anything else shows as null, as the web did).
-- The table and record_llm_tool_call's arguments keep their column names.
-- Schemas: functions-shared/api/shapes.ts ToolCall / StoredToolCall (docs/api-contract.md).
create or replace function app.llm_tool_call_json(c app.workflow_llm_tool_calls)
returns jsonb
language sql
immutable
set search_path = ''
as $$
  select jsonb_build_object(
           'id', c.id, 'message_id', c.message_id,
           'name', c.tool_name, 'input', c.tool_input,
           'output', case when jsonb_typeof(c.tool_output) = 'object' then c.tool_output end,
           'success', c.success,
           'duration_ms', c.duration_ms, 'created_at', c.created_at)
         || case when c.error_message is null then '{}'::jsonb
                 else jsonb_build_object('error', c.error_message) end
$$;
comment on function app.llm_tool_call_json(app.workflow_llm_tool_calls) is
  'One logged tool call as the API shows it, in the chat stream''s shape: {id, message_id, name, input, output, success, error (when failed), duration_ms, created_at}.';
