-- Chat: threads per execution step, their messages, the LLM context recorded for a
-- thread and every tool call (domain.md "Chat").
--
-- Why: a message's sequence is unique in its thread and a client message id makes
-- sending idempotent — both are unique constraints, not application checks. Threads
-- keep running totals (messages, tokens) so completing a step never re-counts.

create table app.workflow_chat_threads (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null,
  execution_id uuid not null,
  step_key text not null,
  thread_type text not null default 'llm',
  status text not null default 'active',
  title text,
  message_count integer not null default 0,
  tokens_in integer not null default 0,
  tokens_out integer not null default 0,
  started_by uuid,
  started_at timestamptz not null default now(),
  completed_at timestamptz,
  metadata jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint workflow_chat_threads_type_is_known check (thread_type in ('llm', 'rag', 'analysis', 'custom')),
  constraint workflow_chat_threads_status_is_known check (status in ('active', 'completed', 'abandoned')),
  constraint workflow_chat_threads_totals_are_not_negative check (message_count >= 0 and tokens_in >= 0 and tokens_out >= 0),
  constraint workflow_chat_threads_completion_is_dated check (status <> 'completed' or completed_at is not null),
  constraint workflow_chat_threads_metadata_is_object check (jsonb_typeof(metadata) = 'object'),
  constraint workflow_chat_threads_id_org_id_key unique (id, org_id),
  constraint workflow_chat_threads_execution_is_in_organisation foreign key (execution_id, org_id)
    references app.workflow_executions (id, org_id) on delete cascade,
  constraint workflow_chat_threads_starter_is_in_organisation foreign key (started_by, org_id)
    references app.profiles (id, org_id) on delete set null (started_by)
);
create index workflow_chat_threads_execution_id_idx on app.workflow_chat_threads (execution_id, org_id, step_key, created_at);
create index workflow_chat_threads_started_by_idx on app.workflow_chat_threads (started_by, org_id)
  where started_by is not null;
comment on table app.workflow_chat_threads is 'A conversation with the assistant at one step of an execution.';

alter table app.workflow_task_artifacts
  add constraint workflow_task_artifacts_thread_is_in_organisation foreign key (thread_id, org_id)
    references app.workflow_chat_threads (id, org_id) on delete set null (thread_id);

create table app.workflow_chat_messages (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null,
  thread_id uuid not null,
  sequence integer not null,
  role text not null,
  content text not null default '',
  status text not null default 'complete',
  tokens_in integer,
  tokens_out integer,
  model text,
  client_message_id text,
  -- An assistant message names the user message it answers.
  reply_to_id uuid references app.workflow_chat_messages (id) on delete set null,
  error_message text,
  metadata jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  completed_at timestamptz,
  constraint workflow_chat_messages_role_is_known check (role in ('user', 'assistant', 'system', 'tool')),
  constraint workflow_chat_messages_status_is_known check (status in ('pending', 'streaming', 'complete', 'failed')),
  constraint workflow_chat_messages_sequence_is_positive check (sequence >= 1),
  constraint workflow_chat_messages_tokens_are_not_negative check (tokens_in >= 0 and tokens_out >= 0),
  constraint workflow_chat_messages_client_message_id_is_not_blank check (btrim(client_message_id) <> ''),
  constraint workflow_chat_messages_metadata_is_object check (jsonb_typeof(metadata) = 'object'),
  constraint workflow_chat_messages_sequence_is_unique_per_thread unique (thread_id, sequence),
  constraint workflow_chat_messages_client_message_id_is_unique_per_thread unique (thread_id, client_message_id),
  constraint workflow_chat_messages_thread_is_in_organisation foreign key (thread_id, org_id)
    references app.workflow_chat_threads (id, org_id) on delete cascade
);
-- Serves the tenant foreign key; reads go through (thread_id, sequence).
create index workflow_chat_messages_thread_id_org_id_idx on app.workflow_chat_messages (thread_id, org_id);
create index workflow_chat_messages_reply_to_id_idx on app.workflow_chat_messages (reply_to_id)
  where reply_to_id is not null;
-- The reaper: assistant messages stuck in pending/streaming.
create index workflow_chat_messages_unfinished_idx on app.workflow_chat_messages (updated_at)
  where status in ('pending', 'streaming');
comment on table app.workflow_chat_messages is 'Messages of a chat thread in sequence order; client_message_id makes sending idempotent.';

create table app.workflow_llm_context (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null,
  thread_id uuid not null,
  system_prompt text not null,
  tools jsonb not null default '[]'::jsonb,
  customer_context jsonb not null default '{}'::jsonb,
  model text not null,
  temperature numeric(3, 2),
  max_tokens integer,
  created_at timestamptz not null default now(),
  constraint workflow_llm_context_tools_is_array check (jsonb_typeof(tools) = 'array'),
  constraint workflow_llm_context_temperature_is_in_range check (temperature between 0 and 2),
  constraint workflow_llm_context_max_tokens_is_positive check (max_tokens > 0),
  constraint workflow_llm_context_one_per_thread unique (thread_id, org_id),
  constraint workflow_llm_context_thread_is_in_organisation foreign key (thread_id, org_id)
    references app.workflow_chat_threads (id, org_id) on delete cascade
);
comment on table app.workflow_llm_context is 'What the model was given for a thread: system prompt, tools, customer context, model settings.';

create table app.workflow_llm_tool_calls (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null,
  thread_id uuid not null,
  message_id uuid not null references app.workflow_chat_messages (id) on delete cascade,
  tool_name text not null,
  tool_input jsonb not null default '{}'::jsonb,
  tool_output jsonb,
  success boolean not null,
  error_message text,
  duration_ms integer,
  created_at timestamptz not null default now(),
  constraint workflow_llm_tool_calls_tool_name_is_not_blank check (btrim(tool_name) <> ''),
  constraint workflow_llm_tool_calls_duration_is_not_negative check (duration_ms >= 0),
  constraint workflow_llm_tool_calls_thread_is_in_organisation foreign key (thread_id, org_id)
    references app.workflow_chat_threads (id, org_id) on delete cascade
);
create index workflow_llm_tool_calls_thread_id_idx on app.workflow_llm_tool_calls (thread_id, org_id, created_at);
create index workflow_llm_tool_calls_message_id_idx on app.workflow_llm_tool_calls (message_id);
comment on table app.workflow_llm_tool_calls is 'Every tool call the model made: name, input, output, success, error, duration.';

create trigger workflow_chat_threads_touch_updated_at before update on app.workflow_chat_threads
  for each row execute function app.touch_updated_at();
create trigger workflow_chat_messages_touch_updated_at before update on app.workflow_chat_messages
  for each row execute function app.touch_updated_at();

alter table app.workflow_chat_threads enable row level security;
alter table app.workflow_chat_messages enable row level security;
alter table app.workflow_llm_context enable row level security;
alter table app.workflow_llm_tool_calls enable row level security;
