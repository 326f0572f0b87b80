-- The assistant's tools say they take no other argument: each tool's parameters in
-- app.assistant_tools() carry additionalProperties: false, so the model is told what the chat
-- function enforces.
--
-- What and why: a chat tool call with an argument its tool does not take (create_task with an
-- `assigned_to`, a misspelt `due_date`) ran with that argument dropped in silence, and the model
-- reported a task given to someone that was left with the CSM; MCP's tool calls refuse such an
-- argument naming it (7208aff). The chat function now refuses it the same way, through the one
-- rule both follow (strictToolInput, functions-shared/tool-input.ts), for every thread, also one
-- whose tools were recorded before this; here the schema recorded with a new thread, and sent to
-- the model, says so, as MCP's tools/list does. Only the top level is closed: propose_action's
-- `params` are the action's own, checked by propose_action.
-- Restated whole from 20261204000800_chat_and_artifacts.sql; additionalProperties is the only
-- change. Tests: tests/unit/tool-calls-are-strict.test.ts, tests/integration/assistant-tools-one-source.test.ts.

create or replace function app.assistant_tools()
returns jsonb
language sql
stable
set search_path = ''
as $$
  select jsonb_build_array(
    jsonb_build_object('type', 'function', 'function', jsonb_build_object(
      'name', 'get_customer_context',
      'description', 'Fetch the current data about the customer of this workflow: account, intelligence, financials, usage, engagement, account team.',
      'parameters', jsonb_build_object('type', 'object', 'properties', '{}'::jsonb, 'required', '[]'::jsonb,
                                        'additionalProperties', false))),
    jsonb_build_object('type', 'function', 'function', jsonb_build_object(
      'name', 'draft_email',
      'description', 'Save an email draft for the CSM to review and approve. It is never sent by this tool.',
      'parameters', jsonb_build_object('type', 'object', 'additionalProperties', false,
        'properties', jsonb_build_object(
          'to', jsonb_build_object('description', 'Recipient email addresses or names', 'anyOf', jsonb_build_array(
            jsonb_build_object('type', 'string'), jsonb_build_object('type', 'array', 'items', jsonb_build_object('type', 'string')))),
          'subject', jsonb_build_object('type', 'string', 'description', 'Subject line', 'minLength', 1, 'maxLength', 300, 'pattern', '\S'),
          'body', jsonb_build_object('type', 'string', 'description', 'The email body in plain text', 'minLength', 1, 'maxLength', 20000, 'pattern', '\S')),
        'required', jsonb_build_array('subject', 'body')))),
    jsonb_build_object('type', 'function', 'function', jsonb_build_object(
      'name', 'create_task',
      'description', 'Create a follow-up task for the CSM, linked to this workflow.',
      'parameters', jsonb_build_object('type', 'object', 'additionalProperties', false,
        'properties', jsonb_build_object(
          'title', jsonb_build_object('type', 'string', 'description', 'What needs doing', 'minLength', 1, 'maxLength', 300, 'pattern', '\S'),
          'description', jsonb_build_object('type', 'string', 'description', 'Details', 'maxLength', 5000),
          'due_date', jsonb_build_object('type', 'string', 'description', 'Due date, YYYY-MM-DD', 'pattern', '^\d{4}-\d{2}-\d{2}'),
          'priority', jsonb_build_object('type', 'string', 'enum', to_jsonb(app.lookup_keys('task_priority'))),
          'task_type', jsonb_build_object('type', 'string', 'enum', to_jsonb(app.lookup_keys('task_type')))),
        'required', jsonb_build_array('title', 'due_date')))),
    jsonb_build_object('type', 'function', 'function', jsonb_build_object(
      'name', 'propose_action',
      'description', 'Suggest a saved action (' || (select string_agg(s.key, ', ' order by s.key) from app.saved_actions s where s.org_id is null and s.action_type <> 'custom')
                     || ') to the CSM. It is shown to them and only runs if they click it.',
      'parameters', jsonb_build_object('type', 'object', 'additionalProperties', false,
        'properties', jsonb_build_object(
          'action_key', jsonb_build_object('type', 'string', 'enum',
            (select jsonb_agg(s.key order by s.key) from app.saved_actions s where s.org_id is null and s.action_type <> 'custom')),
          'reason', jsonb_build_object('type', 'string', 'description', 'Why this action helps', 'minLength', 1, 'maxLength', 2000, 'pattern', '\S'),
          'params', jsonb_build_object('type', 'object', 'description', 'Suggested parameters for the action')),
        'required', jsonb_build_array('action_key', 'reason'))))
  )
$$;
comment on function app.assistant_tools() is
  'The tools offered to the model (Ollama/OpenAI JSON-schema shape), the one definition the chat function also validates calls against; none takes an argument it does not name. None sends email or executes an action.';
grant execute on function app.assistant_tools() to authenticated, service_role;
