-- Workflow executions (the queue's rows), their step executions, the action log and the
-- orchestrator's run records (domain.md "The orchestrator", "Priority score",
-- "Execution lifecycle", "Saved actions").
--
-- Why this shape:
-- - The queue reads one assignee's open executions in priority order, so its index is
--   (org_id, assigned_to, status, priority_score desc, id): policy column first, then
--   the filter, then the order, then the tie-break that makes keyset pagination stable.
-- - "One open execution per customer and workflow" is a unique partial index, so the
--   orchestrator can be a set of `insert ... on conflict do nothing` statements.
-- - `priority_score` and `priority_factors` are stored (kept current by the engine), so
--   ordering a 500-item queue never recomputes the formula.
-- - Children name their execution with (execution_id, org_id) -> (id, org_id).

create table app.workflow_executions (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references app.organisations (id) on delete cascade,
  customer_id uuid not null,
  workflow_id uuid not null references app.workflows (id) on delete restrict,
  workflow_version_id uuid not null references app.workflow_versions (id) on delete restrict,
  assigned_to uuid,
  status text not null default 'queued',
  priority_score numeric(10, 2) not null default 0,
  priority_factors jsonb not null default '{}'::jsonb,
  -- Renewal executions: the stage they were opened for (superseded when it moves on).
  renewal_stage text,
  -- Strategic executions: the period they cover ('2026-Q4', '2026-11'), so one per period.
  period_key text,
  trigger_reason text,
  current_step_key text,
  current_step_index integer,
  total_steps integer not null default 0,
  completed_steps integer not null default 0,
  snoozed_until timestamptz,
  started_at timestamptz,
  completed_at timestamptz,
  superseded_by uuid references app.workflow_executions (id) on delete set null,
  -- History appended by actions (escalations, meetings, ...): added to, never overwritten.
  metadata jsonb not null default '{}'::jsonb,
  outcome jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint workflow_executions_status_is_known check (status in (
    'queued', 'in_progress', 'snoozed', 'escalated',
    'completed', 'completed_with_pending_tasks', 'skipped', 'superseded', 'cancelled'
  )),
  constraint workflow_executions_snoozed_has_a_wake_time check (status <> 'snoozed' or snoozed_until is not null),
  constraint workflow_executions_superseded_names_its_successor check (
    superseded_by is null or status = 'superseded'
  ),
  constraint workflow_executions_renewal_stage_is_known check (renewal_stage in (
    'Overdue', 'Emergency', 'Critical', 'Signature', 'Finalize', 'Negotiate', 'Engage', 'Prepare', 'Monitor'
  )),
  constraint workflow_executions_steps_are_counted check (
    total_steps >= 0 and completed_steps >= 0 and completed_steps <= total_steps
  ),
  constraint workflow_executions_step_index_is_not_negative check (current_step_index >= 0),
  constraint workflow_executions_completion_is_dated check (
    status not in ('completed', 'completed_with_pending_tasks') or completed_at is not null
  ),
  constraint workflow_executions_priority_factors_is_object check (jsonb_typeof(priority_factors) = 'object'),
  constraint workflow_executions_metadata_is_object check (jsonb_typeof(metadata) = 'object'),
  constraint workflow_executions_id_org_id_key unique (id, org_id),
  constraint workflow_executions_customer_is_in_organisation foreign key (customer_id, org_id)
    references app.customers (id, org_id) on delete cascade,
  constraint workflow_executions_assignee_is_in_organisation foreign key (org_id, assigned_to)
    references app.profiles (org_id, id) on delete set null (assigned_to)
);
-- Open = queued, in_progress, snoozed or escalated.
create unique index workflow_executions_one_open_per_customer_and_workflow
  on app.workflow_executions (customer_id, workflow_id)
  where status in ('queued', 'in_progress', 'snoozed', 'escalated');
-- The queue: one assignee's items by status in priority order, keyset by id.
create index workflow_executions_queue_idx
  on app.workflow_executions (org_id, assigned_to, status, priority_score desc, id);
-- A customer's executions, newest first (context, execution history, cascade on delete).
create index workflow_executions_customer_id_idx
  on app.workflow_executions (customer_id, org_id, created_at desc);
-- The orchestrator's wake-up: snoozed items whose time has come.
create index workflow_executions_snoozed_until_idx
  on app.workflow_executions (org_id, snoozed_until) where status = 'snoozed';
create index workflow_executions_workflow_id_idx on app.workflow_executions (workflow_id);
create index workflow_executions_workflow_version_id_idx on app.workflow_executions (workflow_version_id);
create index workflow_executions_superseded_by_idx on app.workflow_executions (superseded_by)
  where superseded_by is not null;
comment on table app.workflow_executions is 'One run of a workflow for a customer: a queue item while open.';
comment on column app.workflow_executions.priority_factors is 'Each term of the priority formula by name (domain.md), so a CSM sees why an item ranks where it does.';

create table app.workflow_step_executions (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null,
  execution_id uuid not null,
  step_key text not null,
  step_index integer not null,
  title text not null,
  step_type text,
  status text not null default 'pending',
  skip_reason text,
  started_at timestamptz,
  completed_at timestamptz,
  -- Filled when a chat thread completes the step.
  duration_seconds integer,
  message_count integer,
  token_count integer,
  outcome jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint workflow_step_executions_status_is_known check (status in ('pending', 'in_progress', 'completed', 'skipped')),
  constraint workflow_step_executions_skip_has_a_reason check (status <> 'skipped' or skip_reason is not null),
  constraint workflow_step_executions_step_index_is_not_negative check (step_index >= 0),
  constraint workflow_step_executions_totals_are_not_negative check (
    duration_seconds >= 0 and message_count >= 0 and token_count >= 0
  ),
  constraint workflow_step_executions_outcome_is_object check (jsonb_typeof(outcome) = 'object'),
  constraint workflow_step_executions_one_row_per_step unique (execution_id, org_id, step_key),
  constraint workflow_step_executions_one_row_per_position unique (execution_id, step_index),
  constraint workflow_step_executions_execution_is_in_organisation foreign key (execution_id, org_id)
    references app.workflow_executions (id, org_id) on delete cascade
);
comment on table app.workflow_step_executions is 'The state of each step of an execution.';

create table app.action_executions (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null,
  execution_id uuid not null,
  saved_action_id uuid references app.saved_actions (id) on delete set null,
  action_key text not null,
  executed_by uuid,
  params jsonb not null default '{}'::jsonb,
  result jsonb not null default '{}'::jsonb,
  success boolean not null,
  error_message text,
  idempotency_key text,
  -- Side effects run after the state change (email, notification, invite), each with a status.
  side_effects jsonb not null default '[]'::jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint action_executions_params_is_object check (jsonb_typeof(params) = 'object'),
  constraint action_executions_side_effects_is_array check (jsonb_typeof(side_effects) = 'array'),
  constraint action_executions_idempotency_key_is_not_blank check (btrim(idempotency_key) <> ''),
  constraint action_executions_idempotency_key_is_unique_per_user unique (org_id, executed_by, idempotency_key),
  constraint action_executions_execution_is_in_organisation foreign key (execution_id, org_id)
    references app.workflow_executions (id, org_id) on delete cascade,
  constraint action_executions_executor_is_in_organisation foreign key (org_id, executed_by)
    references app.profiles (org_id, id) on delete set null (executed_by)
);
create index action_executions_execution_id_idx on app.action_executions (execution_id, org_id, created_at desc);
create index action_executions_saved_action_id_idx on app.action_executions (saved_action_id)
  where saved_action_id is not null;
comment on table app.action_executions is 'The log of every saved action executed: who, when, params, result, success.';

create table app.orchestrator_runs (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references app.organisations (id) on delete cascade,
  as_of date not null,
  trigger text not null default 'cron',
  triggered_by uuid,
  status text not null default 'running',
  started_at timestamptz not null default clock_timestamp(),
  finished_at timestamptz,
  duration_ms integer,
  created_count integer not null default 0,
  superseded_count integer not null default 0,
  closed_count integer not null default 0,
  woken_count integer not null default 0,
  restaged_count integer not null default 0,
  error_message text,
  details jsonb not null default '{}'::jsonb,
  constraint orchestrator_runs_trigger_is_known check (trigger in ('cron', 'manual')),
  constraint orchestrator_runs_status_is_known check (status in ('running', 'succeeded', 'failed')),
  constraint orchestrator_runs_counts_are_not_negative check (
    created_count >= 0 and superseded_count >= 0 and closed_count >= 0 and woken_count >= 0 and restaged_count >= 0
  ),
  constraint orchestrator_runs_duration_is_not_negative check (duration_ms >= 0),
  constraint orchestrator_runs_details_is_object check (jsonb_typeof(details) = 'object'),
  constraint orchestrator_runs_trigger_person_is_in_organisation foreign key (triggered_by, org_id)
    references app.profiles (id, org_id) on delete set null (triggered_by)
);
create index orchestrator_runs_org_id_started_at_idx on app.orchestrator_runs (org_id, started_at desc);
create index orchestrator_runs_triggered_by_idx on app.orchestrator_runs (triggered_by, org_id)
  where triggered_by is not null;
comment on table app.orchestrator_runs is 'One record per orchestrator run: counts created, superseded, woken, re-staged and duration.';

create trigger workflow_executions_touch_updated_at before update on app.workflow_executions
  for each row execute function app.touch_updated_at();
create trigger workflow_step_executions_touch_updated_at before update on app.workflow_step_executions
  for each row execute function app.touch_updated_at();
create trigger action_executions_touch_updated_at before update on app.action_executions
  for each row execute function app.touch_updated_at();

alter table app.workflow_executions enable row level security;
alter table app.workflow_step_executions enable row level security;
alter table app.action_executions enable row level security;
alter table app.orchestrator_runs enable row level security;
