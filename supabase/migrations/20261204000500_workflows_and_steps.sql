-- The workflow engine: the catalogue (workflows, versions, chat branches, saved actions),
-- executions and their steps, priority and queue lanes, the orchestrator, the queue, the
-- execution lifecycle (start, complete, snooze, escalate) and escalations.
--
-- Part of the release baseline (docs/schema.md): one file per area, in dependency order.
-- From now on migrations are append-only: a change is a new timestamped file.
--
-- A long function is a guard and a dispatcher over small functions with one job each, named
-- after what they do (issue 17), so a reader can hold each piece in their head. The helpers
-- live in `app`, set search_path = '', run as their caller (RLS applies) unless they serve a
-- security definer function, and are executable only by the roles whose calls reach them.

-- The workflow catalogue: definitions, their versions, the chat branches offered at each
-- step, and saved actions (docs/demo-data.md "The workflow catalogue"; docs/business-rules.md "Actions").
--
-- Why: core definitions and the six core saved actions are global (`org_id is null`);
-- an organisation adds or overrides its own under the same key (`unique nulls not
-- distinct (org_id, key)`, one row per key per scope). Editing a definition inserts a
-- new row in `workflow_versions`; executions point at the version they started with, so
-- running work is never changed under a CSM's feet.

create table app.workflows (
  id uuid primary key default gen_random_uuid(),
  org_id uuid references app.organisations (id) on delete cascade,
  key text not null,
  name text not null,
  description text,
  -- One of app.workflow_types (foreign key workflows_type_is_known, added with the lookups
  -- in 20261204000700_tasks.sql).
  workflow_type text not null,
  -- How the orchestrator opens it: {"kind": "renewal_stage", "stage": "Emergency"},
  -- {"kind": "schedule", "every": "quarter"}, {"kind": "score", "field": "risk_score",
  -- "min": 60}, {"kind": "manual"}.
  trigger_config jsonb not null default '{"kind": "manual"}'::jsonb,
  -- Renewal definitions: the stage's urgency; others: the base score of the priority formula.
  base_score numeric(6, 2) not null,
  current_version integer not null default 1,
  -- An organisation's definition that replaces a core one of the same key.
  overrides_workflow_id uuid references app.workflows (id) on delete set null,
  is_active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint workflows_key_is_kebab_case check (key ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  constraint workflows_name_is_not_blank check (btrim(name) <> ''),
  constraint workflows_trigger_has_a_kind check (
    trigger_config ->> 'kind' in ('renewal_stage', 'schedule', 'score', 'manual')
  ),
  constraint workflows_base_score_is_not_negative check (base_score >= 0),
  constraint workflows_current_version_is_positive check (current_version >= 1),
  constraint workflows_override_belongs_to_an_organisation check (overrides_workflow_id is null or org_id is not null),
  constraint workflows_key_is_unique_per_scope unique nulls not distinct (org_id, key)
);
comment on table app.workflows is 'Workflow definitions: global core ones (org_id null) and an organisation''s own or overriding ones.';
alter table app.workflows enable row level security;
grant select, insert, update, delete on app.workflows to authenticated;

create index workflows_overrides_workflow_id_idx on app.workflows (overrides_workflow_id)
  where overrides_workflow_id is not null;

create table app.workflow_versions (
  id uuid primary key default gen_random_uuid(),
  workflow_id uuid not null references app.workflows (id) on delete cascade,
  -- Same as the definition's org_id (null for core versions); kept for RLS.
  org_id uuid references app.organisations (id) on delete cascade,
  version integer not null,
  -- {"steps": [{"key", "title", "type", "prompt_template", "artifact_types": [...]}, ...]}
  config jsonb not null,
  change_note text,
  created_by uuid,
  created_at timestamptz not null default now(),
  constraint workflow_versions_version_is_positive check (version >= 1),
  constraint workflow_versions_config_has_steps check (jsonb_typeof(config -> 'steps') = 'array'),
  constraint workflow_versions_version_is_unique_per_workflow unique (workflow_id, version),
  constraint workflow_versions_creator_is_in_organisation foreign key (created_by, org_id) references app.profiles (id, org_id) on delete set null (created_by)
);
comment on table app.workflow_versions is 'Immutable versions of a workflow definition''s config (its ordered steps).';
alter table app.workflow_versions enable row level security;
grant select, insert, update, delete on app.workflow_versions to authenticated;

create index workflow_versions_org_id_idx on app.workflow_versions (org_id) where org_id is not null;

-- Same-organisation references (security review). Every reference between tenant rows is
-- a composite foreign key `(…_id, org_id) references parent (id, org_id)`, so a row can
-- never point into another organisation whatever a caller sends (docs/data-model.md);
-- `on delete set null (col)` nulls only the reference, never org_id. Each foreign key has
-- an index leading with its columns (the advisors want every foreign key covered).
-- workflow_versions.org_id is null for core definitions: with MATCH SIMPLE a null org_id
-- skips the check, so a core version may name any profile as its author (core versions
-- are written by migrations, not users); an organisation's version may only name one of
-- its own members.
create index workflow_versions_created_by_idx on app.workflow_versions (created_by, org_id)
  where created_by is not null;

create table app.workflow_chat_branches (
  id uuid primary key default gen_random_uuid(),
  workflow_version_id uuid not null references app.workflow_versions (id) on delete cascade,
  org_id uuid references app.organisations (id) on delete cascade,
  step_key text not null,
  branch_key text not null,
  label text not null,
  branch_type text not null,
  position integer not null default 0,
  -- fixed: the canned response and where it leads.
  response_text text,
  next_step_key text,
  -- llm / rag: the prompt and whether off-script questions are allowed.
  prompt_template text,
  allow_off_script boolean not null default false,
  -- saved_action: which action runs, and the step to return to.
  saved_action_key text,
  return_step_key text,
  config jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now(),
  constraint workflow_chat_branches_type_is_known check (branch_type in ('fixed', 'llm', 'saved_action', 'rag')),
  constraint workflow_chat_branches_label_is_not_blank check (btrim(label) <> ''),
  constraint workflow_chat_branches_fixed_branch_has_a_response check (branch_type <> 'fixed' or response_text is not null),
  constraint workflow_chat_branches_saved_action_branch_names_an_action check (
    branch_type <> 'saved_action' or saved_action_key is not null
  ),
  constraint workflow_chat_branches_config_is_object check (jsonb_typeof(config) = 'object'),
  constraint workflow_chat_branches_key_is_unique_per_step unique (workflow_version_id, step_key, branch_key)
);
comment on table app.workflow_chat_branches is 'The choices offered to the CSM at a workflow step: fixed, llm, saved_action or rag.';
alter table app.workflow_chat_branches enable row level security;
grant select, insert, update, delete on app.workflow_chat_branches to authenticated;

create index workflow_chat_branches_org_id_idx on app.workflow_chat_branches (org_id) where org_id is not null;

create table app.saved_actions (
  id uuid primary key default gen_random_uuid(),
  org_id uuid references app.organisations (id) on delete cascade,
  key text not null,
  name text not null,
  description text,
  action_type text not null,
  -- Limits and defaults, e.g. snooze: {"default_days": 7, "min_days": 1, "max_days": 30}.
  config jsonb not null default '{}'::jsonb,
  is_active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint saved_actions_key_is_snake_case check (key ~ '^[a-z0-9]+(_[a-z0-9]+)*$'),
  constraint saved_actions_name_is_not_blank check (btrim(name) <> ''),
  constraint saved_actions_type_is_known check (action_type in (
    'snooze', 'skip', 'escalate', 'schedule_meeting', 'send_email', 'create_task', 'custom'
  )),
  constraint saved_actions_config_is_object check (jsonb_typeof(config) = 'object'),
  constraint saved_actions_key_is_unique_per_scope unique nulls not distinct (org_id, key)
);
comment on table app.saved_actions is 'Actions a CSM can run on a workflow: six global ones and an organisation''s own.';
alter table app.saved_actions enable row level security;
grant select, insert, update, delete on app.saved_actions to authenticated;

-- Workflow executions (the queue's rows), their step executions, the action log and the
-- orchestrator's run records (docs/workflow-engine.md; docs/business-rules.md
-- "Queue order: lane, then priority", "Workflow lifecycle", "Actions").
--
-- Why this shape:
-- - The queue reads one assignee's open executions in lane and priority order, so its
--   indexes are partial (open rows only) and lead with (org_id, assigned_to): policy column
--   first, then the filter, then the order, then the id that makes keyset pagination
--   stable (workflow_executions_queue_keyset_idx, workflow_executions_open_queue_idx).
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
  superseded_by uuid,
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
    references app.profiles (org_id, id) on delete set null (assigned_to),
  -- Deferrable: the orchestrator points a superseded renewal at its successor before it
  -- inserts it (app.run_orchestrator_for_org defers the check to after the insert).
  constraint workflow_executions_successor_is_in_organisation foreign key (superseded_by, org_id) references app.workflow_executions (id, org_id) on delete set null (superseded_by) deferrable initially immediate,
  customer_renewal_date date,
  customer_account_plan text,
  customer_decision_date date,
  queue_lane smallint,
  customer_search text,
  queue_type_rank smallint,
  constraint workflow_executions_queue_lane_is_known check (queue_lane between 1 and 3)
);
comment on table app.workflow_executions is 'One run of a workflow for a customer: a queue item while open.';
comment on column app.workflow_executions.priority_factors is 'Each term of the priority formula by name (docs/business-rules.md), so a CSM sees why an item ranks where it does.';
alter table app.workflow_executions enable row level security;
grant select, insert, update, delete on app.workflow_executions to authenticated;
comment on column app.workflow_executions.customer_renewal_date is 'Copy of the customer''s renewal_date while open (queue order and stats); kept by app.refresh_priorities.';
comment on column app.workflow_executions.customer_account_plan is 'Copy of the customer''s account_plan while open (queue stats); kept by app.refresh_priorities.';
comment on column app.workflow_executions.customer_decision_date is 'Copy of the customer''s decision_date while open (queue stage stats and filters); kept by app.refresh_priorities.';
comment on column app.workflow_executions.queue_lane is 'The queue lane while open (1 now, 2 soon, 3 planned); kept by app.refresh_priorities and the orchestrator.';
comment on column app.workflow_executions.customer_search is
  'While open: lower(customer name) || U+001F || lower(customer domain), for the queue''s search; kept by app.refresh_priorities and app.executions_fill_queue_copies.';
comment on column app.workflow_executions.queue_type_rank is
  'While open: app.workflow_type_rank of the workflow (1 renewal … 5 custom), the queue''s tie-break; kept with the priority.';

-- Open = queued, in_progress, snoozed or escalated.
create unique index workflow_executions_one_open_per_customer_and_workflow
  on app.workflow_executions (customer_id, workflow_id)
  where status in ('queued', 'in_progress', 'snoozed', 'escalated');

-- Anyone's executions, open or closed, and the assignee key (org_id, assigned_to) →
-- profiles (ON DELETE SET NULL, the advisors' "indexed foreign key"). Slim on purpose: the
-- queue reads open rows through its two partial indexes, and every execution and every
-- priority change writes this one.
create index workflow_executions_assignee_idx on app.workflow_executions (org_id, assigned_to);
comment on index app.workflow_executions_assignee_idx is
  'The assignee key (org_id, assigned_to) → profiles: ON DELETE SET NULL and lookups of anyone''s executions, open or closed.';

-- A customer's executions, newest first (context, execution history, cascade on delete).
create index workflow_executions_customer_id_idx
  on app.workflow_executions (customer_id, org_id, created_at desc);

-- The orchestrator's wake-up: snoozed items whose time has come.
create index workflow_executions_snoozed_until_idx
  on app.workflow_executions (org_id, snoozed_until) where status = 'snoozed';

create index workflow_executions_workflow_id_idx on app.workflow_executions (workflow_id);

create index workflow_executions_workflow_version_id_idx on app.workflow_executions (workflow_version_id);

create index workflow_executions_superseded_by_idx on app.workflow_executions (superseded_by, org_id)
  where superseded_by is not null;

-- The orchestrator: which workflow executions should exist (docs/workflow-engine.md "The orchestrator").
--
-- Why this shape: a handful of set-based statements over the customers in scope of one
-- organisation, never a loop over customers. The scope is the customers whose inputs
-- changed since the last run (marked by statement triggers in
-- app.orchestrator_dirty_customers) plus those whose decision date crossed a stage
-- boundary or the overdue cutoff since the last run's day; every customer on a full run
-- (asked for with `full_run => true`, the first run, new definitions or settings — the
-- fingerprint in app.orchestrator_watermarks — a new month, or an earlier day). Both
-- kinds run the same statements, so they decide the same:
--   1. re-stamp stale renewal stages (as of the run's day; last, see the dispatcher),
--   2. supersede open renewal executions whose stage (or renewal date) moved on, or whose
--      customer is now 30+ days overdue or has no renewal date (history kept),
--   3. insert the executions that should exist and do not (`on conflict do nothing` on
--      the one-open-per-customer-and-workflow index), scored in the same statement (step
--      rows follow when the execution is started),
--   4. link each superseded execution to its successor,
--   5. wake snoozed executions whose time has come,
--   6. record the run.
-- A second run finds nothing to do and writes nothing but its run record.
--
-- Which work "already exists" is keyed by `period_key`, so completed work is not
-- re-opened the next morning:
--   renewal     the renewal date (one per stage per renewal cycle),
--   strategic   the quarter ('2026-Q4') or month ('2026-11') of its schedule,
--   risk/opportunity  the month the score was at or above its threshold: while it stays
--               there, one per month (at most one open at any time).
-- Manually opened executions have no period key and are never superseded by it.

-- The orchestrator reads one organisation's open executions (supersede, wake-up): an
-- index of the data-model table that serves exactly that, kept small by its predicate.
create index workflow_executions_open_by_org_idx
  on app.workflow_executions (org_id, customer_id, workflow_id)
  include (period_key)
  where status in ('queued', 'in_progress', 'snoozed', 'escalated');

-- "Already done for this period" (app.orchestrator_open): closed executions with a period
-- key, answered from the index alone. Only rows that reached a closed status are in it, so
-- the orchestrator's own inserts (queued) never maintain it.
create index workflow_executions_done_period_idx
  on app.workflow_executions (customer_id, workflow_id, period_key, org_id)
  where status in ('completed', 'completed_with_pending_tasks', 'skipped') and period_key is not null;
comment on index app.workflow_executions_done_period_idx is
  'The orchestrator''s "already done for this period" check (app.orchestrator_open): closed executions with a period key.';

-- The queue a CSM can trust (docs/workflow-engine.md "Lanes",
-- "The renewal clock: the decision date" and "The queue").
--
-- What and why:
-- 1. Decision date. A contract that renews automatically unless notice is given
--    `notice_period_days` before the renewal date makes that notice deadline the real
--    deadline. `app.customers.decision_date` (renewal_date - notice_period_days when the
--    customer's contract in force has auto_renew and a notice period, else renewal_date) is
--    kept by the customers trigger (on every insert and update of its inputs) and by a
--    statement-level trigger on contracts (insert, update, delete), so changing a contract
--    re-stages the customer in the same statement. The renewal stage, the orchestrator's
--    renewal workflows, the lane and days_until_decision all come from it.
-- 2. Lanes. Every open execution stores its lane (1 now, 2 soon, 3 planned) beside its
--    priority, computed by the same functions and triggers (app.refresh_priorities, the
--    orchestrator's insert); `lane` is added to its priority_factors. The covering queue
--    index leads with the policy columns and the lane, so the queue stays one
--    index-only scan of the assignee's open executions.
-- 3. get_workflow_queue takes `filters` and `group_by_customer`; it has one signature only
--    (two overloads would make PostgREST's choice depend on the argument names).
--
-- Escalation hand-back does not exist yet: an open execution whose metadata carries
-- `handed_back_at` (set by whatever returns an escalation to its assignee) is in lane
-- `now`; a trigger re-computes the lane when that key appears or disappears.

---------------------------------------------------------------------------------------
-- 1. Decision date
---------------------------------------------------------------------------------------

create index workflow_executions_open_queue_idx
  on app.workflow_executions (org_id, assigned_to, status, queue_lane, priority_score desc, id)
  include (customer_id, workflow_id, customer_renewal_date, customer_decision_date, customer_account_plan)
  where status in ('queued', 'in_progress', 'snoozed', 'escalated');

create index workflow_executions_open_renewal_idx
  on app.workflow_executions (org_id, customer_id, created_at desc)
  include (id, assigned_to)
  where status in ('queued', 'in_progress', 'snoozed', 'escalated') and renewal_stage is not null;

-- get_renewal_forecast: a period's open renewals, and its customers, from indexes alone.
create index workflow_executions_open_renewal_by_date_idx
  on app.workflow_executions (org_id, customer_renewal_date)
  include (customer_id, id, assigned_to, created_at)
  where status in ('queued', 'in_progress', 'snoozed', 'escalated') and renewal_stage is not null;

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
alter table app.workflow_step_executions enable row level security;
grant select, insert, update, delete on app.workflow_step_executions to authenticated;

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
comment on table app.orchestrator_runs is 'One record per orchestrator run: counts created, superseded, woken, re-staged and duration.';
alter table app.orchestrator_runs enable row level security;
grant select, insert, update, delete on app.orchestrator_runs to authenticated;

create index orchestrator_runs_org_id_started_at_idx on app.orchestrator_runs (org_id, started_at desc);

create index orchestrator_runs_triggered_by_idx on app.orchestrator_runs (triggered_by, org_id)
  where triggered_by is not null;

-- The incremental run's bookkeeping (docs/workflow-engine.md "The orchestrator"): which
-- customers changed since the last run, and what that run was.
create table app.orchestrator_dirty_customers (
  org_id uuid not null references app.organisations (id) on delete cascade,
  customer_id uuid not null,
  marked_at timestamptz not null default now()
);
comment on table app.orchestrator_dirty_customers is
  'Customers whose orchestrator inputs changed since the last run (appended by triggers, consumed by app.run_orchestrator_for_org). Service only.';
create index orchestrator_dirty_customers_org_idx on app.orchestrator_dirty_customers (org_id);
alter table app.orchestrator_dirty_customers enable row level security;
revoke all on app.orchestrator_dirty_customers from anon, authenticated;
grant select, insert, delete on app.orchestrator_dirty_customers to service_role;

create table app.orchestrator_watermarks (
  org_id uuid primary key references app.organisations (id) on delete cascade,
  as_of date not null,
  fingerprint text not null,
  run_id uuid,
  updated_at timestamptz not null default now()
);
comment on table app.orchestrator_watermarks is
  'Per organisation: the day of the last orchestrator run and the fingerprint of the definitions and settings it used. Service only.';
alter table app.orchestrator_watermarks enable row level security;
revoke all on app.orchestrator_watermarks from anon, authenticated;
grant select on app.orchestrator_watermarks to service_role;

-- Stage-boundary ranges on the decision date (coalesce(decision_date, 'infinity'), id)
-- are served by customers_org_id_decision_idx of the customer list.

-- The escalation loop's data: an escalation is a row of its own, and every notification
-- type the product emits is known (docs/escalation-loop.md "Escalation, hand-back and reassignment").
--
-- Why a table: an escalation is opened by the assignee, waits for a decision, and is
-- settled by a withdrawal or a manager's decision (return, reassign, close). The inbox
-- (list_escalations) and the team overview read open escalations of a whole organisation,
-- and a decision must find "the" open escalation of an execution under a lock. A JSON
-- array in the execution's metadata can answer none of that with an index. The execution's
-- metadata keeps its history (metadata.history and metadata.escalations, as before): the
-- table is the working state, the history is the audit.
--
--           escalate (execute_action)                 withdraw_escalation (its assignee)
--   open ◄──────────────────────────────     open ───────────────────────────────► withdrawn
--                                            open ── resolve_escalation: return ──► returned
--                                            open ── resolve_escalation: reassign ► reassigned
--                                            open ── resolve_escalation: close ───► closed
--
-- At most one open escalation per execution (a unique partial index), and an execution
-- is `escalated` exactly while it has one.
--
-- Notification types: `escalation_resolved` (a decision or a withdrawal) and `proposal`
-- (an AI proposal awaits a decision; emitted by the proposals work) join the known types,
-- so no other migration needs to widen this constraint again.

create table app.workflow_escalations (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null,
  execution_id uuid not null,
  level text not null default 'manager',
  reason text not null,
  -- Who escalated, whose workflow it was, and which manager was told. People who later
  -- leave keep their escalations readable (set null), as on executions.
  escalated_by uuid,
  assignee_id uuid,
  manager_id uuid,
  -- Where the execution returns on `return` or a withdrawal.
  from_status text not null,
  from_snoozed_until timestamptz,
  action_execution_id uuid,
  status text not null default 'open',
  resolved_by uuid,
  resolved_at timestamptz,
  resolution_note text,
  reassigned_to uuid,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint workflow_escalations_status_is_known check (status in ('open', 'withdrawn', 'returned', 'reassigned', 'closed')),
  constraint workflow_escalations_from_status_is_open check (from_status in ('queued', 'in_progress', 'snoozed')),
  constraint workflow_escalations_reason_is_not_blank check (btrim(reason) <> ''),
  constraint workflow_escalations_settled_is_dated check ((status = 'open') = (resolved_at is null)),
  constraint workflow_escalations_settled_has_a_note check (status = 'open' or btrim(resolution_note) <> ''),
  constraint workflow_escalations_reassign_names_the_new_assignee check ((status = 'reassigned') = (reassigned_to is not null)),
  constraint workflow_escalations_execution_is_in_organisation foreign key (execution_id, org_id)
    references app.workflow_executions (id, org_id) on delete cascade,
  constraint workflow_escalations_assignee_is_in_organisation foreign key (org_id, assignee_id)
    references app.profiles (org_id, id) on delete set null (assignee_id),
  constraint workflow_escalations_manager_is_in_organisation foreign key (org_id, manager_id)
    references app.profiles (org_id, id) on delete set null (manager_id)
);
comment on table app.workflow_escalations is
  'One escalation of a workflow: open until its assignee withdraws it or a manager decides (return, reassign, close).';
alter table app.workflow_escalations enable row level security;
grant select, insert, update on app.workflow_escalations to authenticated;
grant select, insert, update, delete on app.workflow_escalations to service_role;

create unique index workflow_escalations_one_open_per_execution
  on app.workflow_escalations (execution_id) where status = 'open';

create index workflow_escalations_execution_id_idx on app.workflow_escalations (execution_id, org_id, created_at desc);

-- The inbox: an organisation's escalations by status, oldest waiting first.
create index workflow_escalations_org_id_status_idx on app.workflow_escalations (org_id, status, created_at);

create index workflow_escalations_assignee_idx on app.workflow_escalations (org_id, assignee_id);

create index workflow_escalations_manager_idx on app.workflow_escalations (org_id, manager_id, status);

-- The priority score of open workflow executions (docs/business-rules.md "Queue order: lane, then priority"), and the
-- triggers that keep it current when any of its inputs change.
--
-- Why: the queue orders one assignee's open executions by a stored `priority_score`, so
-- the formula runs when an input changes, never when the queue is read. Inputs and who
-- changes them:
--   customer arr / health / plan / stage / risk / opportunity -> customers trigger
--   customer assignee (moves that CSM's open executions)        -> customers trigger
--   assignee experience level                                 -> profiles trigger
--   assignee workload (their in-progress executions)          -> executions triggers
-- Every trigger is statement-level with transition tables: one set-based recompute per
-- statement touching only the executions whose inputs changed (a bulk import of 10 000
-- customers is one UPDATE, not 10 000), and a recompute writes only rows whose score or
-- factors actually differ.
--
-- "Active workflows of the assignee" counts their executions with status `in_progress`
-- (work they have started and not finished). Counting every queued item would give a
-- CSM with a 500-account book a penalty of -1000 on every item, which says nothing.
-- A workload change moves every open item of that assignee by the same amount, so it is
-- one UPDATE of that assignee's open executions (serialised per assignee by an advisory
-- lock, see app.lock_assignee_workload).

-- Renewal, strategic, opportunity, risk, then custom: the tie-break order of the queue.
create or replace function app.workflow_type_rank(workflow_type text)
returns integer
language sql
immutable
parallel safe
set search_path = ''
as $$
  select case workflow_type_rank.workflow_type
    when 'renewal' then 1
    when 'strategic' then 2
    when 'opportunity' then 3
    when 'risk' then 4
    else 5
  end
$$;
comment on function app.workflow_type_rank(text) is 'Queue tie-break order of a workflow type: renewal 1, strategic 2, opportunity 3, risk 4, custom 5.';
grant execute on function app.workflow_type_rank(text) to authenticated, service_role;

-- The formula of docs/business-rules.md "Queue order: lane, then priority", every term by name. Pure: the same inputs give the same
-- factors, so tests can pin the worked example (Emergency, ARR 180 000, invest, senior,
-- 5 active -> 337).
create or replace function app.calculate_priority(
  workflow_type text,
  definition_base_score numeric,
  renewal_stage text,
  arr numeric,
  account_plan text,
  opportunity_score integer,
  risk_score integer,
  experience_level text,
  active_workflows integer
)
returns jsonb
language plpgsql
immutable
parallel safe
set search_path = ''
as $$
declare
  base numeric;
  stage_bonus numeric := 0;
  arr_mult numeric;
  plan_mult numeric;
  experience_mult numeric;
  workload integer := coalesce(calculate_priority.active_workflows, 0);
  raw numeric;
begin
  base := case calculate_priority.workflow_type
    when 'renewal' then coalesce(app.renewal_stage_urgency(calculate_priority.renewal_stage), calculate_priority.definition_base_score)
    when 'strategic' then case calculate_priority.account_plan when 'invest' then 70 when 'expand' then 60 else 50 end
    when 'opportunity' then 50 + 0.5 * coalesce(calculate_priority.opportunity_score, 0)
    when 'risk' then 60 + 0.6 * coalesce(calculate_priority.risk_score, 0)
    else coalesce(calculate_priority.definition_base_score, 0)
  end;
  if calculate_priority.workflow_type = 'renewal' then
    stage_bonus := case calculate_priority.renewal_stage
      when 'Overdue' then 20 when 'Emergency' then 15 when 'Critical' then 10 else 0 end;
  end if;
  arr_mult := case
    when coalesce(calculate_priority.arr, 0) >= 150000 then 2.0
    when coalesce(calculate_priority.arr, 0) >= 100000 then 1.5
    else 1.0 end;
  plan_mult := case calculate_priority.account_plan
    when 'invest' then 1.5 when 'expand' then 1.3 when 'monitor' then 0.8 else 1.0 end;
  experience_mult := case calculate_priority.experience_level
    when 'expert' then 1.2 when 'senior' then 1.1 when 'junior' then 0.9 else 1.0 end;
  raw := (base + stage_bonus) * arr_mult * plan_mult * experience_mult - 2 * workload;
  return jsonb_build_object(
    'workflow_type', calculate_priority.workflow_type,
    'renewal_stage', case when calculate_priority.workflow_type = 'renewal' then calculate_priority.renewal_stage end,
    'base', base,
    'stage_bonus', stage_bonus,
    'arr', coalesce(calculate_priority.arr, 0),
    'arr_mult', arr_mult,
    'account_plan', calculate_priority.account_plan,
    'plan_mult', plan_mult,
    'experience_level', calculate_priority.experience_level,
    'experience_mult', experience_mult,
    'active_workflows', workload,
    'workload_penalty', 2 * workload,
    'raw_score', raw,
    'score', round(raw)
  );
end;
$$;
comment on function app.calculate_priority(text, numeric, text, numeric, text, integer, integer, text, integer) is
  'The priority formula (docs/business-rules.md): round((base + stage_bonus) x arr_mult x plan_mult x experience_mult - 2 x active workflows), with every term by name.';
grant execute on function app.calculate_priority(text, numeric, text, numeric, text, integer, integer, text, integer) to authenticated, service_role;

-- Serialises changes to one assignee's workload so two transactions that each start one
-- of the same person's executions cannot deadlock while re-scoring each other's rows.
-- Lifecycle RPCs take it before locking the execution row.
create or replace function app.lock_assignee_workload(assignee_id uuid)
returns void
language sql
set search_path = ''
as $$
  select pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('renubu.workload:' || lock_assignee_workload.assignee_id::text, 0))
  where lock_assignee_workload.assignee_id is not null
$$;
grant execute on function app.lock_assignee_workload(uuid) to authenticated, service_role;

-- What the queue search matches (kept on each open execution as customer_search).
create or replace function app.queue_search_text(name text, domain text)
returns text
language sql
immutable
parallel safe
set search_path = ''
as $$
  select lower(coalesce(queue_search_text.name, '')) || chr(31) || lower(coalesce(queue_search_text.domain, ''))
$$;
comment on function app.queue_search_text(text, text) is 'What the queue search matches: the customer''s name and domain, lower case, joined by U+001F.';
grant execute on function app.queue_search_text(text, text) to authenticated, service_role;

-- Recomputes the priority of the given open executions; one UPDATE, writes only changes.
-- security definer: priority is derived data kept current on behalf of whoever changed
-- an input (a manager changing a CSM's level re-scores rows that manager may also
-- change, but a CSM starting work re-scores only through this function); callers are
-- triggers of writes RLS already allowed. The same update keeps the execution's copies of
-- the customer's renewal date, decision date and plan, its queue lane, and (for the queue)
-- the customer's search text and the workflow's type rank.
create or replace function app.refresh_priorities(execution_ids uuid[])
returns integer
language plpgsql
security definer
set search_path = ''
as $$
declare
  changed integer;
begin
  if execution_ids is null or cardinality(execution_ids) = 0 then
    return 0;
  end if;
  -- unnest + join rather than `= any(array)`: a bulk insert passes 100 000+ ids.
  with target as materialized (
    select e.id, e.org_id, e.assigned_to, e.customer_id, e.workflow_id, e.renewal_stage,
           e.metadata ? 'handed_back_at' as handed_back
      from unnest(refresh_priorities.execution_ids) as ids(id)
      join app.workflow_executions e on e.id = ids.id
     where e.status in ('queued', 'in_progress', 'snoozed', 'escalated')
  ), workload as materialized (
    select x.org_id, x.assigned_to, count(*)::integer as active
      from app.workflow_executions x
     where (x.org_id, x.assigned_to) in (select distinct t.org_id, t.assigned_to from target t where t.assigned_to is not null)
       and x.status = 'in_progress'
     group by x.org_id, x.assigned_to
  ), scored0 as (
    select t.id, c.renewal_date, c.decision_date, c.account_plan,
           app.queue_search_text(c.name, c.domain) as search,
           app.workflow_type_rank(w.workflow_type)::smallint as type_rank,
           app.queue_lane(w.workflow_type, w.key, coalesce(c.renewal_stage, t.renewal_stage), c.risk_score, t.handed_back) as lane,
           app.calculate_priority(
             w.workflow_type, w.base_score, coalesce(c.renewal_stage, t.renewal_stage),
             c.arr, c.account_plan, c.opportunity_score, c.risk_score,
             p.experience_level, coalesce(wl.active, 0)
           ) as factors
      from target t
      join app.customers c on c.id = t.customer_id
      join app.workflows w on w.id = t.workflow_id
      left join app.profiles p on p.id = t.assigned_to
      left join workload wl on wl.org_id = t.org_id and wl.assigned_to = t.assigned_to
  ), scored as (
    select s0.id, s0.renewal_date, s0.decision_date, s0.account_plan, s0.lane, s0.search, s0.type_rank,
           s0.factors || jsonb_build_object('lane', app.queue_lane_name(s0.lane)) as factors
      from scored0 s0
  )
  update app.workflow_executions e
     set priority_score = (s.factors ->> 'score')::numeric,
         priority_factors = s.factors,
         customer_renewal_date = s.renewal_date,
         customer_decision_date = s.decision_date,
         customer_account_plan = s.account_plan,
         queue_lane = s.lane,
         customer_search = s.search,
         queue_type_rank = s.type_rank
    from scored s
   where e.id = s.id
     and (e.priority_score is distinct from (s.factors ->> 'score')::numeric
          or e.priority_factors is distinct from s.factors
          or e.customer_renewal_date is distinct from s.renewal_date
          or e.customer_decision_date is distinct from s.decision_date
          or e.customer_account_plan is distinct from s.account_plan
          or e.queue_lane is distinct from s.lane
          or e.customer_search is distinct from s.search
          or e.queue_type_rank is distinct from s.type_rank);
  get diagnostics changed = row_count;
  return changed;
end;
$$;
grant execute on function app.refresh_priorities(uuid[]) to service_role;

-- Every open execution of these assignees (their workload or experience changed).
create or replace function app.refresh_priorities_for_assignees(assignee_ids uuid[])
returns integer
language plpgsql
security definer -- see app.refresh_priorities
set search_path = ''
as $$
declare
  ids uuid[];
begin
  if assignee_ids is null or cardinality(assignee_ids) = 0 then
    return 0;
  end if;
  select array_agg(e.id order by e.id) into ids
    from app.profiles p
    join app.workflow_executions e on e.org_id = p.org_id and e.assigned_to = p.id
   where p.id = any(refresh_priorities_for_assignees.assignee_ids)
     and e.status in ('queued', 'in_progress', 'snoozed', 'escalated');
  return app.refresh_priorities(ids);
end;
$$;
grant execute on function app.refresh_priorities_for_assignees(uuid[]) to service_role;

-- Every open execution of these customers (their ARR, health, plan, stage or scores changed).
create or replace function app.refresh_priorities_for_customers(customer_ids uuid[])
returns integer
language plpgsql
security definer -- see app.refresh_priorities
set search_path = ''
as $$
declare
  ids uuid[];
begin
  if customer_ids is null or cardinality(customer_ids) = 0 then
    return 0;
  end if;
  select array_agg(e.id) into ids
    from unnest(refresh_priorities_for_customers.customer_ids) as c(id)
    join app.workflow_executions e on e.customer_id = c.id
   where e.status in ('queued', 'in_progress', 'snoozed', 'escalated');
  return app.refresh_priorities(ids);
end;
$$;
grant execute on function app.refresh_priorities_for_customers(uuid[]) to service_role;

-- Customers: a change of a priority input re-scores that customer's open executions; a
-- change of CSM moves the open executions the previous CSM (or nobody) held to the new one.
-- A new decision date is such an input (it moves the stage and the lane), and so is a new
-- name or domain (the queue's search copy).
create or replace function app.customers_keep_priorities_current()
returns trigger
language plpgsql
security definer -- moves executions of a reassigned customer; the customer write was allowed by RLS
set search_path = ''
as $$
declare
  changed_ids uuid[];
begin
  -- Reassignment first: the executions trigger then re-scores moved rows and both workloads.
  -- Dynamic SQL: planned for this statement's row count (a plan cached after a 0-row
  -- update would join the transition tables in a nested loop, n x n for a bulk update).
  execute $q$
  update app.workflow_executions e
     set assigned_to = n.assigned_to
    from new_rows n
    join old_rows o on o.id = n.id
   where o.assigned_to is distinct from n.assigned_to
     and e.customer_id = n.id
     and e.org_id = n.org_id
     and e.status in ('queued', 'in_progress', 'snoozed', 'escalated')
     and (e.assigned_to is null or e.assigned_to = o.assigned_to)
  $q$;

  -- Set differences, not a join of the transition tables: linear whatever the plan.
  -- A customer whose only change is the stored stage (the orchestrator's restage, the
  -- hourly restamp) re-scores only its open renewals scored with another stage: the stage
  -- enters a priority and a lane only for renewals (app.calculate_priority, app.queue_lane),
  -- and the orchestrator has just opened the scope's renewals with the day's stage (a
  -- re-score of every open execution of 4 000 restaged customers cost a daily run ~0.6 s).
  with inputs_changed as (
    select n.id, n.arr, n.health_score, n.account_plan, n.renewal_date,
           n.decision_date, n.risk_score, n.opportunity_score, n.name, n.domain
      from new_rows n
    except
    select o.id, o.arr, o.health_score, o.account_plan, o.renewal_date,
           o.decision_date, o.risk_score, o.opportunity_score, o.name, o.domain
      from old_rows o
  ), stage_changed as (
    select n.id, n.renewal_stage from new_rows n
    except
    select o.id, o.renewal_stage from old_rows o
  ), stage_only as (
    select s.id, s.renewal_stage from stage_changed s where s.id not in (select i.id from inputs_changed i)
  )
  select array_agg(x.id) into changed_ids
    from (select e.id
            from inputs_changed i
            join app.workflow_executions e on e.customer_id = i.id
           where e.status in ('queued', 'in_progress', 'snoozed', 'escalated')
          union all
          select e.id
            from stage_only s
            join app.workflow_executions e on e.customer_id = s.id
            join app.workflows w on w.id = e.workflow_id and w.workflow_type = 'renewal'
           where e.status in ('queued', 'in_progress', 'snoozed', 'escalated')
             and e.priority_factors ->> 'renewal_stage' is distinct from coalesce(s.renewal_stage, e.renewal_stage)) x;
  perform app.refresh_priorities(changed_ids);
  return null;
end;
$$;

-- Profiles: a new experience level re-scores that person's open executions.
create or replace function app.profiles_keep_priorities_current()
returns trigger
language plpgsql
security definer -- see app.refresh_priorities
set search_path = ''
as $$
declare
  changed_ids uuid[];
begin
  -- A set difference, not a join of the transition tables: linear whatever the plan.
  select array_agg(x.id) into changed_ids
    from (select n.id, n.experience_level from new_rows n
          except
          select o.id, o.experience_level from old_rows o) x;
  perform app.refresh_priorities_for_assignees(changed_ids);
  return null;
end;
$$;

-- Executions inserted: score them; if any arrives in progress, its assignee's workload changed.
-- A row inserted without its lane is scored here too (the orchestrator inserts rows
-- complete, lane included).
create or replace function app.executions_score_inserted()
returns trigger
language plpgsql
security definer -- see app.refresh_priorities
set search_path = ''
as $$
declare
  ids uuid[];
  busy uuid[];
begin
  select array_agg(n.id) into ids from new_rows n
   where n.status in ('queued', 'in_progress', 'snoozed', 'escalated')
     and (n.priority_factors = '{}'::jsonb or n.customer_account_plan is null or n.queue_lane is null);
  select array_agg(distinct n.assigned_to) into busy from new_rows n
   where n.status = 'in_progress' and n.assigned_to is not null;
  if busy is not null then
    perform app.refresh_priorities_for_assignees(busy);
  end if;
  perform app.refresh_priorities(ids);
  return null;
end;
$$;

-- Executions updated: a change of status or assignee can change a workload (in progress
-- in or out) and the row's own inputs (assignee, workflow, customer). A priority-only
-- UPDATE (our own recompute) finds nothing here and stops.
create or replace function app.executions_rescore_updated()
returns trigger
language plpgsql
security definer -- see app.refresh_priorities
set search_path = ''
as $$
declare
  busy uuid[];
  ids uuid[];
begin
  -- Dynamic SQL: planned for this statement's row count (a plan cached after a 0-row
  -- update would join the transition tables in a nested loop, n x n for a bulk update).
  execute $q$
  select array_agg(distinct a.assignee)
    from (
      select o.assigned_to as assignee
        from old_rows o join new_rows n on n.id = o.id
       where o.status = 'in_progress'
         and (n.status <> 'in_progress' or n.assigned_to is distinct from o.assigned_to)
      union
      select n.assigned_to
        from old_rows o join new_rows n on n.id = o.id
       where n.status = 'in_progress'
         and (o.status <> 'in_progress' or n.assigned_to is distinct from o.assigned_to)
    ) a
   where a.assignee is not null
  $q$ into busy;

  execute $q$
  select array_agg(n.id)
    from old_rows o join new_rows n on n.id = o.id
   where n.status in ('queued', 'in_progress', 'snoozed', 'escalated')
     and (n.assigned_to is distinct from o.assigned_to
          or n.customer_id is distinct from o.customer_id
          or n.workflow_id is distinct from o.workflow_id
          or n.renewal_stage is distinct from o.renewal_stage
          or o.status not in ('queued', 'in_progress', 'snoozed', 'escalated'))
  $q$ into ids;

  if busy is not null then
    perform app.refresh_priorities_for_assignees(busy);
  end if;
  perform app.refresh_priorities(ids);
  return null;
end;
$$;

create or replace function app.executions_rescore_deleted()
returns trigger
language plpgsql
security definer -- see app.refresh_priorities
set search_path = ''
as $$
declare
  busy uuid[];
begin
  select array_agg(distinct o.assigned_to) into busy from old_rows o
   where o.status = 'in_progress' and o.assigned_to is not null;
  perform app.refresh_priorities_for_assignees(busy);
  return null;
end;
$$;

-- Open rows inserted without the copies (the orchestrator's INSERT … SELECT) get them here.
create or replace function app.executions_fill_queue_copies()
returns trigger
language plpgsql
security definer -- reads the row's own customer and workflow; the insert was allowed by RLS
set search_path = ''
as $$
begin
  if new.customer_search is null then
    select app.queue_search_text(c.name, c.domain) into new.customer_search
      from app.customers c where c.id = new.customer_id;
  end if;
  if new.queue_type_rank is null then
    select app.workflow_type_rank(w.workflow_type)::smallint into new.queue_type_rank
      from app.workflows w where w.id = new.workflow_id;
  end if;
  return new;
end;
$$;
revoke execute on function app.executions_fill_queue_copies() from public, anon;

-- A workflow's new type re-ranks its open executions.
create or replace function app.workflows_keep_queue_type_rank()
returns trigger
language plpgsql
security definer -- see app.refresh_priorities
set search_path = ''
as $$
declare
  ids uuid[];
begin
  -- Dynamic SQL: planned for this statement's row count (a plan cached after a 0-row
  -- update would join the transition tables in a nested loop, n x n for a bulk update).
  execute $q$
  select array_agg(e.id)
    from new_rows n
    join old_rows o on o.id = n.id
    join app.workflow_executions e on e.workflow_id = n.id
   where n.workflow_type is distinct from o.workflow_type
     and e.status in ('queued', 'in_progress', 'snoozed', 'escalated')
  $q$ into ids;
  perform app.refresh_priorities(ids);
  return null;
end;
$$;
revoke execute on function app.workflows_keep_queue_type_rank() from public, anon;

-- Shared internals of the workflow engine: which definitions an organisation runs, the
-- step rows of an execution, the history kept in an execution's metadata, and the
-- compact JSON shape of an execution that every lifecycle RPC returns.
--
-- Why: the orchestrator, create_workflow_execution, the lifecycle RPCs and
-- execute_action all need the same answers; one definition each keeps them agreeing.
-- Also: an email sent through the local mail sink ends in the outbox with status
-- `delivered_to_sink` (the data-model migration knows queued/sending/sent/failed/
-- cancelled only), so the constraint is widened here.

-- Open statuses: the execution is somebody's work (unique per customer and workflow).
create or replace function app.is_open_status(status text)
returns boolean
language sql
immutable
parallel safe
set search_path = ''
as $$
  select is_open_status.status in ('queued', 'in_progress', 'snoozed', 'escalated')
$$;
grant execute on function app.is_open_status(text) to authenticated, service_role;

-- Step rows for executions that have none yet (one set-based insert from the version config).
create or replace function app.create_step_rows(execution_ids uuid[])
returns integer
language plpgsql
set search_path = ''
as $$
declare
  created integer;
begin
  insert into app.workflow_step_executions (org_id, execution_id, step_key, step_index, title, step_type)
  select e.org_id, e.id, s.step ->> 'key', (s.ord - 1)::integer,
         coalesce(s.step ->> 'title', s.step ->> 'key'), s.step ->> 'type'
    from unnest(create_step_rows.execution_ids) as ids(id)
    join app.workflow_executions e on e.id = ids.id
    join app.workflow_versions v on v.id = e.workflow_version_id
    cross join lateral jsonb_array_elements(v.config -> 'steps') with ordinality as s(step, ord)
  on conflict do nothing;
  get diagnostics created = row_count;
  return created;
end;
$$;
grant execute on function app.create_step_rows(uuid[]) to authenticated, service_role;

-- One history entry appended to an execution's metadata (never overwriting what is there).
create or replace function app.with_history(metadata jsonb, entry jsonb)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select coalesce(with_history.metadata, '{}'::jsonb)
         || jsonb_build_object('history',
              coalesce(with_history.metadata -> 'history', '[]'::jsonb)
              || jsonb_build_array(jsonb_build_object('at', now(), 'by', (select auth.uid())) || with_history.entry))
$$;
grant execute on function app.with_history(jsonb, jsonb) to authenticated, service_role;

-- The compact execution every lifecycle RPC and execute_action returns.
create or replace function app.execution_summary(execution_id uuid)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select jsonb_build_object(
           'id', e.id,
           'status', e.status,
           'assignee_id', e.assigned_to,
           'snoozed_until', e.snoozed_until,
           'started_at', e.started_at,
           'completed_at', e.completed_at,
           'priority_score', e.priority_score,
           'current_step', case when e.current_step_key is null then null else jsonb_build_object(
             'key', e.current_step_key,
             'title', coalesce(
               (select s.title from app.workflow_step_executions s
                 where s.execution_id = e.id and s.org_id = e.org_id and s.step_key = e.current_step_key),
               (select v.config -> 'steps' -> e.current_step_index ->> 'title'
                  from app.workflow_versions v where v.id = e.workflow_version_id)),
             'index', e.current_step_index) end,
           'total_steps', e.total_steps,
           'completed_steps', e.completed_steps,
           'progress', case when e.total_steps = 0 then 0 else round(e.completed_steps::numeric / e.total_steps, 4) end
         )
    from app.workflow_executions e
   where e.id = execution_summary.execution_id
$$;
grant execute on function app.execution_summary(uuid) to authenticated, service_role;

-- Raises the house errors for "may the caller change this execution?": PT404 when it is
-- not visible, 42501 when visible but not theirs to change. Returns its org and assignee.
create or replace function app.require_workable_execution(execution_id uuid, verb text)
returns app.workflow_executions
language plpgsql
stable
set search_path = ''
as $$
declare
  e app.workflow_executions;
begin
  if require_workable_execution.execution_id is null then
    raise exception 'execution_id is required' using errcode = '22023', hint = 'Pass the id of a workflow execution.';
  end if;
  select * into e from app.workflow_executions x where x.id = require_workable_execution.execution_id;
  if not found then
    raise exception 'Workflow execution not found' using errcode = 'PT404',
      hint = 'Check the id; you can only see workflows of your own organisation.';
  end if;
  if not app.can_work_on_execution(e.id) then
    raise exception 'You may not % this workflow', require_workable_execution.verb using errcode = '42501',
      hint = 'Only its assigned CSM, a manager or an admin can change it.';
  end if;
  return e;
end;
$$;
grant execute on function app.require_workable_execution(uuid, text) to authenticated, service_role;

-- The orchestrator, incremental: statement triggers mark the customers whose inputs
-- changed; each run looks at those and at the customers whose decision date crossed a
-- stage boundary since the last run's day (or at every customer when a full run is asked
-- for or due), one small function per step, called by app.run_orchestrator_for_org.

-- True while the orchestrator (or the scale seed) writes: its own writes need no mark.
create or replace function app.orchestrator_marks_paused()
returns boolean
language sql
stable
set search_path = ''
as $$
  select coalesce(current_setting('renubu.orchestrator_marks_paused', true), '') = 'on'
$$;
revoke execute on function app.orchestrator_marks_paused() from public, anon, authenticated;

-- Whether an orchestrator run has taken over the forecast's refresh of its scope (see
-- app.executions_refresh_forecast); set for its supersede and open steps only.
create or replace function app.orchestrator_forecast_deferred()
returns boolean
language sql
stable
set search_path = ''
as $$
  select coalesce(current_setting('renubu.orchestrator_forecast_deferred', true), '') = 'on'
$$;
revoke execute on function app.orchestrator_forecast_deferred() from public, anon, authenticated;
grant execute on function app.orchestrator_forecast_deferred() to service_role;
grant execute on function app.orchestrator_marks_paused() to service_role;

create or replace function app.customers_mark_for_orchestrator()
returns trigger
language plpgsql
security definer -- people change customers; the marks table is service-only
set search_path = ''
as $$
begin
  if app.orchestrator_marks_paused() then
    return null;
  end if;
  if tg_op = 'INSERT' then
    insert into app.orchestrator_dirty_customers (org_id, customer_id)
    select n.org_id, n.id from new_rows n;
  else
    -- The rows whose inputs changed, as a set difference: a join of the transition tables
    -- is planned once per session with the first statement's row count, and a plan made
    -- for one row is a nested loop (n x n) for 100 000; hashing the set difference stays
    -- linear whatever the plan.
    insert into app.orchestrator_dirty_customers (org_id, customer_id)
    select x.org_id, x.id
      from (select n.id, n.org_id, n.renewal_date, n.decision_date, n.account_plan, n.risk_score, n.opportunity_score from new_rows n
            except
            select o.id, o.org_id, o.renewal_date, o.decision_date, o.account_plan, o.risk_score, o.opportunity_score from old_rows o) x;
  end if;
  return null;
end;
$$;
revoke execute on function app.customers_mark_for_orchestrator() from public, anon, authenticated;

create or replace function app.executions_mark_for_orchestrator()
returns trigger
language plpgsql
security definer -- people change executions; the marks table is service-only
set search_path = ''
as $$
begin
  if app.orchestrator_marks_paused() then
    return null;
  end if;
  if tg_op = 'INSERT' then
    insert into app.orchestrator_dirty_customers (org_id, customer_id)
    select distinct n.org_id, n.customer_id from new_rows n;
  elsif tg_op = 'DELETE' then
    -- Only customers that are still there: when an organisation or a customer is deleted,
    -- its executions go with it and there is nothing left to orchestrate (a mark would
    -- point at the organisation being deleted and fail its foreign key).
    insert into app.orchestrator_dirty_customers (org_id, customer_id)
    select distinct o.org_id, o.customer_id from old_rows o
     where exists (select 1 from app.customers c where c.id = o.customer_id)
       and exists (select 1 from app.organisations g where g.id = o.org_id);
  else
    -- Changed rows as set differences (see app.customers_mark_for_orchestrator), both ways
    -- so a row moved to another customer marks both.
    insert into app.orchestrator_dirty_customers (org_id, customer_id)
    select distinct x.org_id, x.customer_id
      from ((select n.id, n.org_id, n.customer_id, n.status, n.period_key, n.workflow_id from new_rows n
             except
             select o.id, o.org_id, o.customer_id, o.status, o.period_key, o.workflow_id from old_rows o)
            union all
            (select o.id, o.org_id, o.customer_id, o.status, o.period_key, o.workflow_id from old_rows o
             except
             select n.id, n.org_id, n.customer_id, n.status, n.period_key, n.workflow_id from new_rows n)) x;
  end if;
  return null;
end;
$$;
revoke execute on function app.executions_mark_for_orchestrator() from public, anon, authenticated;

-- Who may run it (the scheduler, or a manager/admin of the organisation) and its settings.
create or replace function app.orchestrator_settings(org_id uuid)
returns app.organisation_settings
language plpgsql
stable
set search_path = ''
as $$
declare
  v_settings app.organisation_settings;
begin
  if orchestrator_settings.org_id is null then
    raise exception 'org_id is required' using errcode = '22023';
  end if;
  if (select auth.uid()) is not null
     and not exists (select 1 from app.profiles p
                      where p.id = (select auth.uid()) and p.org_id = orchestrator_settings.org_id
                        and p.role in ('manager', 'admin')) then
    raise exception 'Only managers and admins can run the orchestrator' using errcode = '42501',
      hint = 'Ask a manager of your organisation; it also runs every day on its own.';
  end if;
  select * into v_settings from app.organisation_settings s where s.org_id = orchestrator_settings.org_id;
  if not found then
    raise exception 'Organisation not found' using errcode = 'PT404';
  end if;
  return v_settings;
end;
$$;
revoke execute on function app.orchestrator_settings(uuid) from public, anon, authenticated;
grant execute on function app.orchestrator_settings(uuid) to service_role;

-- Null for an incremental run, else why every customer is looked at.
create or replace function app.orchestrator_full_reason(org_id uuid, as_of date, fingerprint text, requested boolean)
returns text
language sql
stable
set search_path = ''
as $$
  select case
    when orchestrator_full_reason.requested then 'requested'
    when w.org_id is null then 'first run'
    when w.fingerprint is distinct from orchestrator_full_reason.fingerprint then 'definitions or settings changed'
    when orchestrator_full_reason.as_of < w.as_of then 'an earlier day than the last run'
    when date_trunc('month', orchestrator_full_reason.as_of) <> date_trunc('month', w.as_of) then 'a new month: schedules and score periods are due'
  end
    from (select 1) one
    left join app.orchestrator_watermarks w on w.org_id = orchestrator_full_reason.org_id
$$;
revoke execute on function app.orchestrator_full_reason(uuid, date, text, boolean) from public, anon, authenticated;
grant execute on function app.orchestrator_full_reason(uuid, date, text, boolean) to service_role;

-- The run's working tables (dropped at commit).
create or replace function app.orchestrator_prepare_tables()
returns void
language plpgsql
set search_path = ''
as $$
begin
  if to_regclass('pg_temp.orchestrator_scope') is null then
    create temporary table orchestrator_scope (customer_id uuid not null) on commit drop;
    create temporary table orchestrator_customers (
      id uuid primary key, assigned_to uuid, renewal_date date, decision_date date, account_plan text,
      arr numeric, risk_score integer, opportunity_score integer, stage text,
      experience_level text, active integer not null,
      stored_stage text -- the customer's renewal_stage as stored before this run
    ) on commit drop;
    create temporary table orchestrator_desired (
      customer_id uuid not null, assigned_to uuid, workflow_id uuid not null, version_id uuid not null,
      workflow_type text not null, base_score numeric not null, total_steps integer not null,
      first_step_key text, renewal_stage text, period_key text not null, reason text not null,
      arr numeric, account_plan text, risk_score integer, opportunity_score integer, renewal_date date,
      experience_level text, active_workflows integer, decision_date date, workflow_key text,
      -- set when this row is missing and will be opened, the id its execution gets
      new_id uuid
    ) on commit drop;
    create index orchestrator_desired_customer_idx on pg_temp.orchestrator_desired (customer_id, workflow_id);
  end if;
  truncate pg_temp.orchestrator_scope, pg_temp.orchestrator_customers, pg_temp.orchestrator_desired;
end;
$$;
revoke execute on function app.orchestrator_prepare_tables() from public, anon, authenticated;
grant execute on function app.orchestrator_prepare_tables() to service_role;

-- The customer ids to look at: every customer (full), or the marked ones and those whose
-- decision date crosses a stage boundary or the overdue cutoff after the last run's day.
-- The marks are consumed either way. Returns how many marks were consumed.
create or replace function app.orchestrator_collect_scope(org_id uuid, as_of date, last_as_of date, cutoff_days integer, full_run boolean)
returns integer
language plpgsql
set search_path = ''
as $$
declare
  v_org uuid := orchestrator_collect_scope.org_id;
  v_marks integer;
  v_k integer;
begin
  perform 'PRAGMA:TABLE: orchestrator_scope (customer_id uuid)';
  with consumed as (
    delete from app.orchestrator_dirty_customers d where d.org_id = v_org returning d.customer_id
  )
  insert into pg_temp.orchestrator_scope (customer_id)
  select c.customer_id from consumed c where not orchestrator_collect_scope.full_run;
  get diagnostics v_marks = row_count;

  if orchestrator_collect_scope.full_run then
    insert into pg_temp.orchestrator_scope (customer_id)
    select c.id from app.customers c where c.org_id = v_org;
  else
    -- A boundary k ("decision_date - day < k") is crossed on day d by the customers whose
    -- decision date is d + k - 1; for the days after last_as_of up to as_of that is the
    -- range [last_as_of + k, as_of + k - 1]: one index range each (customers_org_id_decision_idx).
    foreach v_k in array array[0, 7, 14, 30, 60, 90, 120, 180, 1 - orchestrator_collect_scope.cutoff_days] loop
      insert into pg_temp.orchestrator_scope (customer_id)
      select c.id
        from app.customers c
       where c.org_id = v_org
         and coalesce(c.decision_date, 'infinity'::date)
             between orchestrator_collect_scope.last_as_of + v_k and orchestrator_collect_scope.as_of + v_k - 1;
    end loop;
  end if;
  analyze pg_temp.orchestrator_scope;
  return v_marks;
end;
$$;
revoke execute on function app.orchestrator_collect_scope(uuid, date, date, integer, boolean) from public, anon, authenticated;
grant execute on function app.orchestrator_collect_scope(uuid, date, date, integer, boolean) to service_role;

-- The scope's customers with what the decisions need: the stage as of the day (the rule
-- of app.calculate_renewal_stage, inlined: a `set search_path` function is never inlined
-- and 100 000 calls cost seconds), the assignee's level and in-progress workload.
create or replace function app.orchestrator_load_customers(org_id uuid, as_of date)
returns integer
language plpgsql
set search_path = ''
as $$
declare
  v_org uuid := orchestrator_load_customers.org_id;
  v_as_of date := orchestrator_load_customers.as_of;
  v_count integer;
begin
  perform 'PRAGMA:TABLE: orchestrator_scope (customer_id uuid)';
  perform 'PRAGMA:TABLE: orchestrator_customers (id uuid, assigned_to uuid, renewal_date date, decision_date date, account_plan text, arr numeric, risk_score integer, opportunity_score integer, stage text, experience_level text, active integer, stored_stage text)';
  with ids as materialized (
    select distinct s.customer_id from pg_temp.orchestrator_scope s
  ), cust as materialized (
    select c.* from app.customers c join ids on ids.customer_id = c.id where c.org_id = v_org
  ), workload as materialized (
    select x.assigned_to, count(*)::integer as active
      from app.workflow_executions x
     where x.org_id = v_org and x.status = 'in_progress'
       and x.assigned_to in (select distinct c.assigned_to from cust c)
     group by x.assigned_to
  )
  insert into pg_temp.orchestrator_customers
  select c.id, c.assigned_to, c.renewal_date, c.decision_date, c.account_plan, c.arr, c.risk_score, c.opportunity_score,
         case
           when c.decision_date is null then null
           when c.decision_date - v_as_of < 0 then 'Overdue'
           when c.decision_date - v_as_of < 7 then 'Emergency'
           when c.decision_date - v_as_of < 14 then 'Critical'
           when c.decision_date - v_as_of < 30 then 'Signature'
           when c.decision_date - v_as_of < 60 then 'Finalize'
           when c.decision_date - v_as_of < 90 then 'Negotiate'
           when c.decision_date - v_as_of < 120 then 'Engage'
           when c.decision_date - v_as_of < 180 then 'Prepare'
           else 'Monitor' end,
         p.experience_level, coalesce(wl.active, 0), c.renewal_stage
    from cust c
    left join app.profiles p on p.id = c.assigned_to
    left join workload wl on wl.assigned_to = c.assigned_to;
  get diagnostics v_count = row_count;
  analyze pg_temp.orchestrator_customers;
  return v_count;
end;
$$;
revoke execute on function app.orchestrator_load_customers(uuid, date) from public, anon, authenticated;
grant execute on function app.orchestrator_load_customers(uuid, date) to service_role;

-- Stored renewal stages of the scope, as of the run's day.
create or replace function app.orchestrator_restage()
returns integer
language plpgsql
set search_path = ''
as $$
declare
  v_count integer;
begin
  perform 'PRAGMA:TABLE: orchestrator_customers (id uuid, assigned_to uuid, renewal_date date, decision_date date, account_plan text, arr numeric, risk_score integer, opportunity_score integer, stage text, experience_level text, active integer, stored_stage text)';
  -- Only the customers whose stage moves, found by primary key (a join was planned as a
  -- scan of every customer of every organisation).
  update app.customers c
     set renewal_stage = s.stage
    from pg_temp.orchestrator_customers s
   where c.id = any(array(select m.id from pg_temp.orchestrator_customers m where m.stored_stage is distinct from m.stage))
     and c.id = s.id
     and c.renewal_stage is distinct from s.stage;
  get diagnostics v_count = row_count;
  return v_count;
end;
$$;
revoke execute on function app.orchestrator_restage() from public, anon, authenticated;
grant execute on function app.orchestrator_restage() to service_role;

-- Which executions should exist for the scope's customers (rules of docs/workflow-engine.md
-- "The orchestrator"; period keys: the renewal date, the month or the quarter).
create or replace function app.orchestrator_plan(org_id uuid, as_of date, settings app.organisation_settings)
returns integer
language plpgsql
set search_path = ''
as $$
declare
  v_as_of date := orchestrator_plan.as_of;
  v_count integer;
begin
  perform 'PRAGMA:TABLE: orchestrator_customers (id uuid, assigned_to uuid, renewal_date date, decision_date date, account_plan text, arr numeric, risk_score integer, opportunity_score integer, stage text, experience_level text, active integer, stored_stage text)';
  perform 'PRAGMA:TABLE: orchestrator_desired (customer_id uuid, assigned_to uuid, workflow_id uuid, version_id uuid, workflow_type text, base_score numeric, total_steps integer, first_step_key text, renewal_stage text, period_key text, reason text, arr numeric, account_plan text, risk_score integer, opportunity_score integer, renewal_date date, experience_level text, active_workflows integer, decision_date date, workflow_key text, new_id uuid)';
  with wf as materialized (
    select f.*, coalesce((select array_agg(x) from jsonb_array_elements_text(f.trigger_config -> 'plans') x),
                         array['invest', 'expand']) as plans
      from app.effective_workflows(orchestrator_plan.org_id) f
  )
  insert into pg_temp.orchestrator_desired
  -- renewal: one for the current stage, unless 30+ days overdue.
  select c.id, c.assigned_to, w.workflow_id, w.version_id, w.workflow_type, w.base_score, w.total_steps,
         w.first_step_key, c.stage, c.renewal_date::text, 'Renewal stage ' || c.stage,
         c.arr, c.account_plan, c.risk_score, c.opportunity_score, c.renewal_date, c.experience_level, c.active, c.decision_date, w.key
    from pg_temp.orchestrator_customers c
    join wf w on w.workflow_type = 'renewal'
             and w.trigger_config ->> 'kind' = 'renewal_stage'
             and w.trigger_config ->> 'stage' = c.stage
   where c.renewal_date is not null
     and c.decision_date - v_as_of > - orchestrator_plan.settings.renewal_overdue_cutoff_days
  union all
  -- strategic: invest/expand accounts get each scheduled review once per period.
  select c.id, c.assigned_to, w.workflow_id, w.version_id, w.workflow_type, w.base_score, w.total_steps,
         w.first_step_key, null,
         case w.trigger_config ->> 'every' when 'quarter' then to_char(v_as_of, 'YYYY-"Q"Q') else to_char(v_as_of, 'YYYY-MM') end,
         'Scheduled ' || coalesce(w.trigger_config ->> 'every', 'month') || 'ly for plan ' || c.account_plan,
         c.arr, c.account_plan, c.risk_score, c.opportunity_score, c.renewal_date, c.experience_level, c.active, c.decision_date, w.key
    from pg_temp.orchestrator_customers c
    join wf w on w.trigger_config ->> 'kind' = 'schedule'
   where c.account_plan = any(w.plans)
  union all
  -- risk and opportunity: a score at or above the organisation's threshold.
  select c.id, c.assigned_to, w.workflow_id, w.version_id, w.workflow_type, w.base_score, w.total_steps,
         w.first_step_key, null, to_char(v_as_of, 'YYYY-MM'),
         (w.trigger_config ->> 'field') || ' at or above its threshold',
         c.arr, c.account_plan, c.risk_score, c.opportunity_score, c.renewal_date, c.experience_level, c.active, c.decision_date, w.key
    from pg_temp.orchestrator_customers c
    join wf w on w.trigger_config ->> 'kind' = 'score'
   where (w.trigger_config ->> 'field' = 'risk_score' and c.risk_score >= orchestrator_plan.settings.risk_score_trigger)
      or (w.trigger_config ->> 'field' = 'opportunity_score' and c.opportunity_score >= orchestrator_plan.settings.opportunity_score_trigger);
  get diagnostics v_count = row_count;
  analyze pg_temp.orchestrator_desired;
  return v_count;
end;
$$;
revoke execute on function app.orchestrator_plan(uuid, date, app.organisation_settings) from public, anon, authenticated;
grant execute on function app.orchestrator_plan(uuid, date, app.organisation_settings) to service_role;

-- Which desired rows are missing (neither open nor done for their period): each gets the
-- id its execution will have, so the renewals superseded below can point at their
-- successor in the same UPDATE (a second UPDATE of every superseded row cost a daily run
-- at 300k ~1.7 s). "Done for this period" is answered by workflow_executions_done_period_idx.
create or replace function app.orchestrator_choose_missing(org_id uuid)
returns integer
language plpgsql
set search_path = ''
as $$
declare
  v_org uuid := orchestrator_choose_missing.org_id;
  v_count integer;
begin
  perform 'PRAGMA:TABLE: orchestrator_desired (customer_id uuid, assigned_to uuid, workflow_id uuid, version_id uuid, workflow_type text, base_score numeric, total_steps integer, first_step_key text, renewal_stage text, period_key text, reason text, arr numeric, account_plan text, risk_score integer, opportunity_score integer, renewal_date date, experience_level text, active_workflows integer, decision_date date, workflow_key text, new_id uuid)';
  update pg_temp.orchestrator_desired d
     set new_id = gen_random_uuid()
   where not exists (
       select 1 from app.workflow_executions x
        where x.org_id = v_org and x.customer_id = d.customer_id and x.workflow_id = d.workflow_id
          and x.status in ('queued', 'in_progress', 'snoozed', 'escalated')
          and x.period_key = d.period_key)
     and not exists (
       select 1 from app.workflow_executions x
        where x.customer_id = d.customer_id and x.workflow_id = d.workflow_id and x.period_key = d.period_key
          and x.org_id = v_org
          and x.status in ('completed', 'completed_with_pending_tasks', 'skipped'));
  get diagnostics v_count = row_count;
  return v_count;
end;
$$;
revoke execute on function app.orchestrator_choose_missing(uuid) from public, anon, authenticated;
grant execute on function app.orchestrator_choose_missing(uuid) to service_role;

-- Open renewal executions of the scope that are no longer the one that should be open
-- become `superseded` (history kept), each pointing at the renewal this run opens for its
-- customer (`superseded_by`; the key is checked when the run has opened it, see
-- app.run_orchestrator_for_org). Returns their ids.
create or replace function app.orchestrator_supersede(org_id uuid, as_of date, cutoff_days integer)
returns uuid[]
language plpgsql
set search_path = ''
as $$
declare
  v_as_of date := orchestrator_supersede.as_of;
  v_ids uuid[];
begin
  perform 'PRAGMA:TABLE: orchestrator_customers (id uuid, assigned_to uuid, renewal_date date, decision_date date, account_plan text, arr numeric, risk_score integer, opportunity_score integer, stage text, experience_level text, active integer, stored_stage text)';
  perform 'PRAGMA:TABLE: orchestrator_desired (customer_id uuid, assigned_to uuid, workflow_id uuid, version_id uuid, workflow_type text, base_score numeric, total_steps integer, first_step_key text, renewal_stage text, period_key text, reason text, arr numeric, account_plan text, risk_score integer, opportunity_score integer, renewal_date date, experience_level text, active_workflows integer, decision_date date, workflow_key text, new_id uuid)';
  with stale as (
    -- found on the open-executions index alone (it carries period_key), one probe per
    -- customer: the renewal workflows as a list, not a join (planned as a probe per
    -- customer and workflow, 9 times the work)
    select e.id, s.decision_date, s.stage,
           (select d.new_id from pg_temp.orchestrator_desired d
             where d.customer_id = e.customer_id and d.renewal_stage is not null and d.new_id is not null
             limit 1) as successor
      from pg_temp.orchestrator_customers s
      join app.workflow_executions e
        on e.org_id = orchestrator_supersede.org_id and e.customer_id = s.id
       and e.status in ('queued', 'in_progress', 'snoozed', 'escalated')
       and e.period_key is not null
     where e.workflow_id = any(array(select w.id from app.workflows w where w.workflow_type = 'renewal'))
       and not exists (
       select 1 from pg_temp.orchestrator_desired d
        where d.customer_id = e.customer_id and d.workflow_id = e.workflow_id and d.period_key = e.period_key)
  ), superseded as (
    update app.workflow_executions e
       set status = 'superseded',
           completed_at = now(),
           superseded_by = stale.successor,
           metadata = app.with_history(e.metadata, jsonb_build_object(
             'event', 'superseded', 'from_status', e.status, 'as_of', v_as_of,
             'reason', case
               when stale.decision_date is null then 'The customer no longer has a renewal date'
               when stale.decision_date - v_as_of <= - orchestrator_supersede.cutoff_days then 'The renewal is 30 or more days overdue'
               else 'The renewal stage moved on to ' || stale.stage end))
      from stale
     where e.id = stale.id
    returning e.id
  )
  select array_agg(id) into v_ids from superseded;
  return coalesce(v_ids, '{}');
end;
$$;
revoke execute on function app.orchestrator_supersede(uuid, date, integer) from public, anon, authenticated;
grant execute on function app.orchestrator_supersede(uuid, date, integer) to service_role;

-- Open the missing rows (app.orchestrator_choose_missing) with the ids chosen there, every
-- kept copy computed in the same statement. Step rows follow when the execution is started.
--
-- Why (a full rebuild at 100k re-creates ~180 000 executions): every kept copy — search
-- text, type rank, lane, lane name, priority — is computed in the INSERT itself, so the
-- copies trigger (app.executions_fill_queue_copies) stays idle by its condition and the
-- statement triggers (priorities, queue statistics) find nothing to redo; the priority
-- formula runs once per row; the lane and the type rank by the rules' own functions once
-- per distinct input (a few hundred), not once per row; rows go in customer order, so the
-- customer-led indexes are written page by page. supabase/tests/run_orchestrator/ checks that every
-- kept copy of a full run equals what app.refresh_priorities and the copies trigger write.
create or replace function app.orchestrator_open(org_id uuid, as_of date)
returns uuid[]
language plpgsql
set search_path = ''
as $$
declare
  v_org uuid := orchestrator_open.org_id;
  v_lanes jsonb;
  v_ranks jsonb;
  v_deactivated uuid[];
  v_ids uuid[];
begin
  perform 'PRAGMA:TABLE: orchestrator_desired (customer_id uuid, assigned_to uuid, workflow_id uuid, version_id uuid, workflow_type text, base_score numeric, total_steps integer, first_step_key text, renewal_stage text, period_key text, reason text, arr numeric, account_plan text, risk_score integer, opportunity_score integer, renewal_date date, experience_level text, active_workflows integer, decision_date date, workflow_key text, new_id uuid)';
  -- The lane (with its name) and the type rank by the rules' own functions, once per
  -- distinct input (a few hundred) instead of once per row; looked up below by key (the
  -- lane's inputs as one text, quote_nullable keeping null and '' apart).
  select jsonb_object_agg(k.key, jsonb_build_array(k.lane, app.queue_lane_name(k.lane))) into v_lanes
    from (select i.key, app.queue_lane(i.workflow_type, i.workflow_key, i.renewal_stage, i.risk_score, false) as lane
            from (select distinct concat_ws(',', quote_nullable(d.workflow_type), quote_nullable(d.workflow_key), quote_nullable(d.renewal_stage), quote_nullable(d.risk_score)) as key,
                         d.workflow_type, d.workflow_key, d.renewal_stage, d.risk_score
                    from pg_temp.orchestrator_desired d) i) k;
  select jsonb_object_agg(i.workflow_type, app.workflow_type_rank(i.workflow_type)) into v_ranks
    from (select distinct d.workflow_type from pg_temp.orchestrator_desired d) i;

  -- New work for a deactivated person opens unassigned (app.unassign_new_work_of_deactivated,
  -- applied here in the same statement; its row trigger is told so and stays idle), scored
  -- as unassigned work is (no experience level, no workload), as app.refresh_priorities would.
  -- The organisation's deactivated people as a list: a join to profiles, planned for the
  -- one row the temp table was estimated at, was a scan of profiles per row (1 s at 7 000).
  select coalesce(array_agg(p.id), '{}') into v_deactivated
    from app.profiles p where p.org_id = v_org and p.deactivated_at is not null;
  perform pg_catalog.set_config('renubu.orchestrator_assignees_checked', 'on', true);
  with todo as (
    select d.customer_id, d.workflow_id, d.version_id, d.workflow_type, d.base_score, d.total_steps,
           d.first_step_key, d.renewal_stage, d.period_key, d.reason, d.arr, d.account_plan, d.risk_score,
           d.opportunity_score, d.renewal_date, d.decision_date, d.workflow_key, d.new_id,
           case when d.assigned_to = any(v_deactivated) then null else d.assigned_to end as assigned_to,
           case when d.assigned_to = any(v_deactivated) then null else d.experience_level end as experience_level,
           case when d.assigned_to = any(v_deactivated) then 0 else d.active_workflows end as active_workflows,
           v_lanes -> concat_ws(',', quote_nullable(d.workflow_type), quote_nullable(d.workflow_key), quote_nullable(d.renewal_stage), quote_nullable(d.risk_score)) as lane,
           (v_ranks ->> d.workflow_type)::smallint as type_rank
      from pg_temp.orchestrator_desired d
     where d.new_id is not null
  ), inserted as (
    insert into app.workflow_executions (
      id, org_id, customer_id, workflow_id, workflow_version_id, assigned_to, status,
      priority_score, priority_factors, customer_renewal_date, customer_account_plan,
      customer_decision_date, queue_lane, renewal_stage, period_key, trigger_reason,
      current_step_key, current_step_index, total_steps, metadata,
      customer_search, queue_type_rank)
    select t.new_id, v_org, t.customer_id, t.workflow_id, t.version_id, t.assigned_to, 'queued',
           (f.factors ->> 'score')::numeric,
           f.factors || jsonb_build_object('lane', t.lane ->> 1), t.renewal_date, t.account_plan,
           t.decision_date, (t.lane ->> 0)::smallint, t.renewal_stage, t.period_key, t.reason,
           t.first_step_key, case when t.first_step_key is null then null else 0 end, t.total_steps,
           jsonb_build_object('history', jsonb_build_array(jsonb_build_object(
             'event', 'created', 'at', now(), 'by', 'orchestrator', 'as_of', orchestrator_open.as_of, 'reason', t.reason))),
           -- app.queue_search_text(c.name, c.domain), written out (a `set search_path`
           -- function is called, never inlined: 180 000 calls cost seconds)
           lower(coalesce(c.name, '')) || chr(31) || lower(coalesce(c.domain, '')),
           t.type_rank
      from todo t
      join app.customers c on c.id = t.customer_id and c.org_id = v_org
      -- the formula once per row (offset 0: a subquery pulled up would repeat it for each use)
      cross join lateral (
        select app.calculate_priority(t.workflow_type, t.base_score, t.renewal_stage, t.arr, t.account_plan,
                                      t.opportunity_score, t.risk_score, t.experience_level, t.active_workflows) as factors
        offset 0) f
     order by t.customer_id, t.workflow_id
    on conflict (customer_id, workflow_id) where status in ('queued', 'in_progress', 'snoozed', 'escalated')
    do nothing
    returning id
  )
  select array_agg(id) into v_ids from inserted;
  perform pg_catalog.set_config('renubu.orchestrator_assignees_checked', '', true);
  return coalesce(v_ids, '{}');
end;
$$;
revoke execute on function app.orchestrator_open(uuid, date) from public, anon, authenticated;
grant execute on function app.orchestrator_open(uuid, date) to service_role;

-- A superseded renewal whose successor was not opened after all (a person created the same
-- workflow for the customer between the choice and the insert) points at nothing; usually
-- there is none, and this is one primary-key probe per superseded row against a hashed
-- list of the created ones.
create or replace function app.orchestrator_drop_unopened_successors(superseded uuid[], created uuid[])
returns void
language sql
set search_path = ''
as $$
  update app.workflow_executions e
     set superseded_by = null
    from unnest(orchestrator_drop_unopened_successors.superseded) s(id)
   where e.id = s.id
     and e.superseded_by is not null
     and e.superseded_by not in (select c.id from unnest(orchestrator_drop_unopened_successors.created) c(id))
$$;
revoke execute on function app.orchestrator_drop_unopened_successors(uuid[], uuid[]) from public, anon, authenticated;
grant execute on function app.orchestrator_drop_unopened_successors(uuid[], uuid[]) to service_role;

-- Snoozed executions whose time has come go back where they were in the queue (a range
-- of workflow_executions_snoozed_until_idx).
create or replace function app.orchestrator_wake(org_id uuid, wake_at timestamptz)
returns integer
language plpgsql
set search_path = ''
as $$
declare
  v_count integer;
begin
  update app.workflow_executions e
     set status = case when e.started_at is null then 'queued' else 'in_progress' end,
         metadata = app.with_history(e.metadata, jsonb_build_object(
           'event', 'woken', 'snoozed_until', e.snoozed_until, 'by', 'orchestrator')),
         snoozed_until = null
   where e.org_id = orchestrator_wake.org_id
     and e.status = 'snoozed'
     and e.snoozed_until <= orchestrator_wake.wake_at;
  get diagnostics v_count = row_count;
  return v_count;
end;
$$;
revoke execute on function app.orchestrator_wake(uuid, timestamptz) from public, anon, authenticated;
grant execute on function app.orchestrator_wake(uuid, timestamptz) to service_role;

-- The run record and the organisation's watermark; the result returned to the caller.
create or replace function app.orchestrator_finish(run_id uuid, started timestamptz, fingerprint text, result jsonb)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_run app.orchestrator_runs;
  v_duration integer := (extract(epoch from clock_timestamp() - orchestrator_finish.started) * 1000)::integer;
begin
  update app.orchestrator_runs r
     set status = 'succeeded', finished_at = clock_timestamp(), duration_ms = v_duration,
         created_count = (orchestrator_finish.result ->> 'created')::integer,
         superseded_count = (orchestrator_finish.result ->> 'superseded')::integer,
         woken_count = (orchestrator_finish.result ->> 'woken')::integer,
         restaged_count = (orchestrator_finish.result ->> 'restaged')::integer,
         details = r.details || jsonb_build_object('mode', orchestrator_finish.result ->> 'mode',
                                                   'full_reason', orchestrator_finish.result -> 'full_reason',
                                                   'customers', orchestrator_finish.result -> 'customers',
                                                   'marks', orchestrator_finish.result -> 'marks')
   where r.id = orchestrator_finish.run_id
  returning * into v_run;
  insert into app.orchestrator_watermarks as w (org_id, as_of, fingerprint, run_id, updated_at)
  values (v_run.org_id, v_run.as_of, orchestrator_finish.fingerprint, v_run.id, now())
  on conflict (org_id) do update
    set as_of = excluded.as_of, fingerprint = excluded.fingerprint, run_id = excluded.run_id, updated_at = excluded.updated_at;
  return jsonb_build_object('run_id', v_run.id, 'as_of', v_run.as_of) || orchestrator_finish.result
         || jsonb_build_object('duration_ms', v_duration);
end;
$$;
revoke execute on function app.orchestrator_finish(uuid, timestamptz, text, jsonb) from public, anon, authenticated;
grant execute on function app.orchestrator_finish(uuid, timestamptz, text, jsonb) to service_role;

-- The dispatcher: `full_run => true` looks at every customer; every other caller
-- (pg_cron, public.run_orchestrator, seed.sql through app.run_orchestrator) gets the
-- incremental run.
create or replace function app.run_orchestrator_for_org(
  org_id uuid,
  as_of date default null,
  trigger text default 'cron',
  triggered_by uuid default null,
  full_run boolean default false
)
returns jsonb
language plpgsql
security definer -- writes every customer's executions of one organisation for the scheduler; people are checked in app.orchestrator_settings and public.run_orchestrator
set search_path = ''
as $$
declare
  v_org uuid := run_orchestrator_for_org.org_id;
  v_settings app.organisation_settings := app.orchestrator_settings(v_org);
  v_as_of date := coalesce(run_orchestrator_for_org.as_of, app.organisation_today(v_org));
  v_started timestamptz := clock_timestamp();
  v_fingerprint text;
  v_full_reason text;
  v_run_id uuid;
  v_result jsonb;
  v_superseded uuid[];
  v_created uuid[];
  v_marks integer;
  v_customers integer;
  v_restaged integer;
begin
  perform 'PRAGMA:TABLE: orchestrator_customers (id uuid, assigned_to uuid, renewal_date date, decision_date date, account_plan text, arr numeric, risk_score integer, opportunity_score integer, stage text, experience_level text, active integer, stored_stage text)';
  -- Two runs for one organisation never interleave.
  perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('renubu.orchestrator:' || v_org::text, 0));
  insert into app.orchestrator_runs (org_id, as_of, trigger, triggered_by)
  values (v_org, v_as_of, coalesce(run_orchestrator_for_org.trigger, 'cron'), run_orchestrator_for_org.triggered_by)
  returning id into v_run_id;
  -- Its own writes need no mark for the next run.
  perform pg_catalog.set_config('renubu.orchestrator_marks_paused', 'on', true);
  -- Statement triggers on customers and executions read their transition tables with
  -- plans cached per session for the row count of the first statement that fired them.
  -- None joins old_rows with new_rows in such a plan (a set difference, or EXECUTE), but
  -- their other reads would still be planned for the one row a pooled session last
  -- fired them for: plan them afresh for this run's thousands of rows.
  discard plans;

  v_fingerprint := app.orchestrator_fingerprint(v_org);
  v_full_reason := app.orchestrator_full_reason(v_org, v_as_of, v_fingerprint, coalesce(run_orchestrator_for_org.full_run, false));
  perform app.orchestrator_prepare_tables();
  v_marks := app.orchestrator_collect_scope(v_org, v_as_of,
               (select w.as_of from app.orchestrator_watermarks w where w.org_id = v_org),
               v_settings.renewal_overdue_cutoff_days, v_full_reason is not null);
  v_customers := app.orchestrator_load_customers(v_org, v_as_of);
  perform app.orchestrator_plan(v_org, v_as_of, v_settings);
  perform app.orchestrator_choose_missing(v_org);
  -- Superseded renewals point at successors that exist only once the run has opened them:
  -- the key is checked then, not at the end of the UPDATE.
  set constraints app.workflow_executions_successor_is_in_organisation deferred;
  -- The forecast follows the scope's renewals once, after both steps (not once per step).
  perform pg_catalog.set_config('renubu.orchestrator_forecast_deferred', 'on', true);
  v_superseded := app.orchestrator_supersede(v_org, v_as_of, v_settings.renewal_overdue_cutoff_days);
  v_created := app.orchestrator_open(v_org, v_as_of);
  perform pg_catalog.set_config('renubu.orchestrator_forecast_deferred', '', true);
  perform app.forecast_refresh_customers(array(select s.id from pg_temp.orchestrator_customers s));
  perform app.orchestrator_drop_unopened_successors(v_superseded, v_created);
  set constraints app.workflow_executions_successor_is_in_organisation immediate;
  -- Stored stages last: the decisions above use the stage computed for the day, and the
  -- customers trigger then re-scores only the executions still open (not the renewals
  -- just superseded). Its first statement is an executions update of no rows, which would
  -- cache one-row plans for the executions triggers: plan afresh again.
  discard plans;
  v_restaged := app.orchestrator_restage();
  v_result := jsonb_build_object(
    'mode', case when v_full_reason is null then 'incremental' else 'full' end,
    'full_reason', v_full_reason, 'marks', v_marks, 'customers', v_customers, 'restaged', v_restaged,
    'superseded', cardinality(v_superseded),
    'created', cardinality(v_created),
    -- what was due by the start of the run's day, or by now if that is later
    'woken', app.orchestrator_wake(v_org, greatest(now(), (v_as_of::timestamp at time zone v_settings.time_zone))));

  perform pg_catalog.set_config('renubu.orchestrator_marks_paused', '', true);
  return app.orchestrator_finish(v_run_id, v_started, v_fingerprint, v_result);
end;
$$;
comment on function app.run_orchestrator_for_org(uuid, date, text, uuid, boolean) is
  'The orchestrator for one organisation as of a day (default its today): incremental (the customers whose inputs changed or whose stage boundary was crossed since the last run) unless full_run => true or a full run is due; set-based and idempotent. Called by pg_cron and public.run_orchestrator.';
revoke execute on function app.run_orchestrator_for_org(uuid, date, text, uuid, boolean) from public, anon;
grant execute on function app.run_orchestrator_for_org(uuid, date, text, uuid, boolean) to authenticated, service_role;

-- The name seed.sql and older scripts look for.
create or replace function app.run_orchestrator(org_id uuid, as_of date default null, trigger text default 'cron', triggered_by uuid default null)
returns jsonb
language sql
set search_path = ''
as $$
  select app.run_orchestrator_for_org(run_orchestrator.org_id, run_orchestrator.as_of, run_orchestrator.trigger, run_orchestrator.triggered_by)
$$;
revoke execute on function app.run_orchestrator(uuid, date, text, uuid) from public, anon;
grant execute on function app.run_orchestrator(uuid, date, text, uuid) to service_role;

-- The API: managers and admins run it for their own organisation. `as_of` null means
-- today in the organisation's time zone; any other `as_of` must be within a day of it
-- (a manual run cannot travel in time).
create or replace function public.run_orchestrator(as_of date default null)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_org uuid := app.current_org_id();
  v_today date;
  v_result jsonb;
begin
  if v_org is null or not app.has_role('manager', 'admin') then
    raise exception 'Only managers and admins can run the orchestrator' using errcode = '42501',
      hint = 'Ask a manager of your organisation; it also runs every day on its own.';
  end if;
  -- A run on another day opens and supersedes work as of that day; people may only
  -- nudge it across a midnight (their clock and the organisation's may differ by a day).
  if run_orchestrator.as_of is not null and current_user <> 'service_role' then
    v_today := app.organisation_today(v_org);
    if run_orchestrator.as_of not between v_today - 1 and v_today + 1 then
      raise exception 'as_of must be within one day of today (%)', v_today using errcode = '22023',
        hint = 'Leave as_of out to run the orchestrator for today in your organisation''s time zone.';
    end if;
  end if;
  v_result := app.run_orchestrator_for_org(v_org, run_orchestrator.as_of, 'manual', (select auth.uid()));
  return v_result;
end;
$$;
revoke execute on function public.run_orchestrator(date) from public, anon;
grant execute on function public.run_orchestrator(date) to authenticated;
comment on function public.run_orchestrator(date) is 'Managers and admins: run the orchestrator for their organisation now (as_of within a day of today); returns {created, superseded, woken, restaged, duration_ms}.';

-- The scheduler's entry point: every organisation whose local day has no successful run
-- yet (pg_cron calls it hourly, so each organisation runs shortly after its own midnight).
create or replace function app.run_orchestrator_for_due_organisations()
returns integer
language plpgsql
security definer -- the scheduler runs for every organisation
set search_path = ''
as $$
declare
  o record;
  n integer := 0;
begin
  for o in
    select s.org_id, app.organisation_today(s.org_id) as today
      from app.organisation_settings s
     where not exists (
       select 1 from app.orchestrator_runs r
        where r.org_id = s.org_id and r.as_of = app.organisation_today(s.org_id) and r.status = 'succeeded')
  loop
    perform app.run_orchestrator_for_org(o.org_id, o.today, 'cron', null);
    n := n + 1;
  end loop;
  return n;
end;
$$;
revoke execute on function app.run_orchestrator_for_due_organisations() from public, anon;
grant execute on function app.run_orchestrator_for_due_organisations() to service_role;

-- The queue and the execution view: get_workflow_queue and get_workflow_execution (docs/workflow-engine.md
-- "The queue").
-- (get_workflow_execution itself is in 20261204000800_chat_and_artifacts.sql, after the
-- tasks, actions, meetings, threads and artifacts it lists.)
--
-- Why this shape:
-- - The page is read from an index in queue order and the stats from statistics kept per
--   assignee (see "The queue keeps its statistics" below); customers are read for the
--   page's rows only.
-- - Order: lane, priority desc, days until renewal asc (= renewal date asc, no date last),
--   type renewal/strategic/opportunity/risk/custom, then id. The cursor is that 5-tuple,
--   base64-encoded JSON, compared as a row after negating the priority (so all keys
--   ascend and one row comparison is the keyset condition).
-- - Stage and days until renewal are computed as of today in the organisation's time
--   zone on every read; a stored stage may be up to an hour stale and is never shown.

-- The customer as every queue item and execution shows it: plan, stage and days until
-- renewal as of the organisation's today, the stage from the decision date.
create or replace function app.customer_card(c app.customers, today date)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select jsonb_build_object(
    'id', (customer_card.c).id,
    'name', (customer_card.c).name,
    'domain', (customer_card.c).domain,
    'arr', (customer_card.c).arr,
    'health_score', (customer_card.c).health_score,
    'account_plan', (customer_card.c).account_plan,
    'renewal_stage', app.calculate_renewal_stage((customer_card.c).decision_date, customer_card.today),
    'renewal_date', (customer_card.c).renewal_date,
    'days_until_renewal', (customer_card.c).renewal_date - customer_card.today,
    'decision_date', (customer_card.c).decision_date,
    'days_until_decision', (customer_card.c).decision_date - customer_card.today,
    'assigned_to', (customer_card.c).assigned_to,
    'risk_score', (customer_card.c).risk_score,
    'opportunity_score', (customer_card.c).opportunity_score
  )
$$;
grant execute on function app.customer_card(app.customers, date) to authenticated, service_role;

-- The execution lifecycle: create_workflow_execution, start_workflow, complete_step,
-- complete_workflow (docs/business-rules.md "Workflow lifecycle"; docs/workflow-engine.md "Lifecycle").
--
-- Transitions (anything else is PT409 with a message naming the transition and why):
--   queued | snoozed | escalated  --start-->        in_progress  (snoozed/escalated: resumes early)
--   in_progress | escalated       --complete_step--> next step in_progress, or the execution completes
--   in_progress | escalated       --complete-->      completed | completed_with_pending_tasks
--   (saved actions add: snooze, skip a step, escalate; the orchestrator: supersede, wake)
-- Steps: pending -> in_progress -> completed | skipped; only the current step completes.
-- Guard first: the assignee's workload lock, then the row `for update`, then the checks,
-- then the change, so a repeated or late call fails cleanly instead of half-applying.

-- Human words for a status in error messages.
create or replace function app.status_words(status text)
returns text
language sql
immutable
set search_path = ''
as $$
  select case status_words.status
    when 'queued' then 'still in the queue (not started)'
    when 'in_progress' then 'already in progress'
    when 'snoozed' then 'snoozed'
    when 'escalated' then 'escalated'
    when 'completed' then 'already completed'
    when 'completed_with_pending_tasks' then 'already completed (with pending tasks)'
    when 'skipped' then 'skipped'
    when 'superseded' then 'superseded by a later stage'
    when 'cancelled' then 'cancelled'
    else status_words.status
  end
$$;
grant execute on function app.status_words(text) to authenticated, service_role;

-- Locks an execution the caller may change (workload lock first, then the row).
create or replace function app.lock_execution(execution_id uuid, verb text)
returns app.workflow_executions
language plpgsql
set search_path = ''
as $$
declare
  e app.workflow_executions;
begin
  e := app.require_workable_execution(lock_execution.execution_id, lock_execution.verb);
  perform app.lock_assignee_workload(e.assigned_to);
  select * into e from app.workflow_executions x where x.id = lock_execution.execution_id for update;
  return e;
end;
$$;
grant execute on function app.lock_execution(uuid, text) to authenticated, service_role;

-- Closes an execution as completed (or completed_with_pending_tasks); steps not done are
-- skipped so progress reads 100 %.
create or replace function app.complete_execution(execution_id uuid, outcome jsonb, how text)
returns void
language plpgsql
set search_path = ''
as $$
declare
  v_pending boolean;
  v_done integer;
begin
  update app.workflow_step_executions s
     set status = 'skipped', skip_reason = 'Workflow completed', completed_at = now()
   where s.execution_id = complete_execution.execution_id and s.status in ('pending', 'in_progress');
  select count(*) into v_done from app.workflow_step_executions s
   where s.execution_id = complete_execution.execution_id and s.status in ('completed', 'skipped');
  select exists (select 1 from app.workflow_tasks t
                  where t.execution_id = complete_execution.execution_id
                    and t.status in ('pending', 'in_progress', 'snoozed'))
    into v_pending;
  update app.workflow_executions e
     set status = case when v_pending then 'completed_with_pending_tasks' else 'completed' end,
         completed_at = now(),
         snoozed_until = null,
         current_step_key = null,
         current_step_index = null,
         completed_steps = greatest(least(v_done, e.total_steps), e.completed_steps),
         outcome = coalesce(complete_execution.outcome, '{}'::jsonb),
         metadata = app.with_history(e.metadata, jsonb_build_object('event', 'completed', 'how', complete_execution.how,
                      'pending_tasks', v_pending))
   where e.id = complete_execution.execution_id;
end;
$$;
grant execute on function app.complete_execution(uuid, jsonb, text) to authenticated, service_role;

-- Ends the current step (completed or skipped) and starts the next pending one; after the
-- last step the execution completes. The caller has locked the execution and checked it.
create or replace function app.finish_step(
  e app.workflow_executions, step_key text, new_status text, outcome jsonb, skip_reason text
)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  s app.workflow_step_executions;
  nxt app.workflow_step_executions;
  v_verb text := case finish_step.new_status when 'skipped' then 'skip' else 'complete' end;
begin
  perform app.create_step_rows(array[e.id]);
  select * into s from app.workflow_step_executions x
   where x.execution_id = e.id and x.org_id = e.org_id and x.step_key = coalesce(finish_step.step_key, e.current_step_key)
   for update;
  if not found then
    raise exception 'step_key "%" is not a step of this workflow', coalesce(finish_step.step_key, '')
      using errcode = '22023', hint = 'Use one of the step keys of get_workflow_execution.';
  end if;
  if s.status in ('completed', 'skipped') then
    raise exception 'Cannot % step "%": it is already %', v_verb, s.step_key, s.status using errcode = 'PT409',
      hint = 'Continue with the current step' || coalesce(' "' || e.current_step_key || '"', '') || '.';
  end if;
  if s.status = 'pending' then
    raise exception 'Cannot % step "%": it has not started; the current step is "%"', v_verb, s.step_key,
      coalesce(e.current_step_key, 'none') using errcode = 'PT409',
      hint = 'Steps are done in order: finish the current step first.';
  end if;

  update app.workflow_step_executions x
     set status = finish_step.new_status,
         completed_at = now(),
         skip_reason = finish_step.skip_reason,
         outcome = x.outcome || coalesce(finish_step.outcome, '{}'::jsonb)
   where x.id = s.id
  returning * into s;

  select * into nxt from app.workflow_step_executions x
   where x.execution_id = e.id and x.org_id = e.org_id and x.status = 'pending'
   order by (x.step_index < s.step_index), x.step_index
   limit 1
   for update;

  if found then
    update app.workflow_step_executions x set status = 'in_progress', started_at = now()
     where x.id = nxt.id returning * into nxt;
    update app.workflow_executions x
       set status = 'in_progress',
           current_step_key = nxt.step_key,
           current_step_index = nxt.step_index,
           completed_steps = least(x.completed_steps + 1, x.total_steps),
           metadata = app.with_history(x.metadata, jsonb_build_object(
             'event', 'step_' || finish_step.new_status, 'step_key', s.step_key, 'reason', finish_step.skip_reason))
     where x.id = e.id;
  else
    update app.workflow_executions x
       set completed_steps = least(x.completed_steps + 1, x.total_steps),
           metadata = app.with_history(x.metadata, jsonb_build_object(
             'event', 'step_' || finish_step.new_status, 'step_key', s.step_key, 'reason', finish_step.skip_reason))
     where x.id = e.id;
    perform app.complete_execution(e.id, finish_step.outcome, 'last step ' || finish_step.new_status);
  end if;

  return jsonb_build_object(
    'step', jsonb_build_object('key', s.step_key, 'title', s.title, 'index', s.step_index, 'status', s.status,
                               'completed_at', s.completed_at, 'skip_reason', s.skip_reason, 'outcome', s.outcome),
    'next_step', case when nxt.id is null then null else jsonb_build_object(
                   'key', nxt.step_key, 'title', nxt.title, 'index', nxt.step_index, 'status', nxt.status) end,
    'workflow_completed', nxt.id is null
  );
end;
$$;
grant execute on function app.finish_step(app.workflow_executions, text, text, jsonb, text) to authenticated, service_role;

create or replace function public.create_workflow_execution(customer_id uuid, workflow_key text, assignee_id uuid default null)
returns jsonb
language plpgsql
set search_path = ''
as $$
#variable_conflict use_column
declare
  v_me uuid := (select auth.uid());
  v_org uuid := app.current_org_id();
  v_role text := app.current_member_role();
  c app.customers;
  w record;
  v_assignee uuid;
  v_id uuid;
  v_existing uuid;
begin
  if v_org is null or v_role not in ('csm', 'manager', 'admin') then
    raise exception 'Your role may not open workflows' using errcode = '42501',
      hint = 'Viewers can read the queue but not change it.';
  end if;
  if create_workflow_execution.customer_id is null then
    raise exception 'customer_id is required' using errcode = '22023';
  end if;
  if coalesce(btrim(create_workflow_execution.workflow_key), '') = '' then
    raise exception 'workflow_key is required' using errcode = '22023';
  end if;
  select * into c from app.customers x where x.id = create_workflow_execution.customer_id;
  if not found then
    raise exception 'Customer not found' using errcode = 'PT404',
      hint = 'Check the id; you can only see customers of your own organisation.';
  end if;
  select * into w from app.effective_workflows(v_org) f where f.key = create_workflow_execution.workflow_key;
  if not found then
    raise exception 'workflow_key "%" is not a workflow of your organisation', create_workflow_execution.workflow_key
      using errcode = '22023', hint = 'Use the key of a core workflow (e.g. risk-assessment) or one of your organisation''s.';
  end if;
  v_assignee := coalesce(create_workflow_execution.assignee_id, c.assigned_to, v_me);
  if not exists (select 1 from app.profiles p where p.id = v_assignee and p.org_id = v_org) then
    raise exception 'assignee_id is not a member of your organisation' using errcode = '22023';
  end if;
  if v_role = 'csm' and v_assignee <> v_me then
    if create_workflow_execution.assignee_id is not null then
      raise exception 'A CSM can only open workflows for themselves' using errcode = '42501',
        hint = 'Leave assignee_id out, or ask a manager to assign it.';
    end if;
    v_assignee := v_me;
  end if;

  insert into app.workflow_executions (
    org_id, customer_id, workflow_id, workflow_version_id, assigned_to, status, renewal_stage,
    trigger_reason, current_step_key, current_step_index, total_steps, metadata)
  values (
    v_org, c.id, w.workflow_id, w.version_id, v_assignee, 'queued',
    case when w.workflow_type = 'renewal' then w.trigger_config ->> 'stage' end,
    'Opened manually', w.first_step_key, case when w.first_step_key is null then null else 0 end, w.total_steps,
    app.with_history('{}'::jsonb, jsonb_build_object('event', 'created', 'manual', true)))
  on conflict (customer_id, workflow_id) where status in ('queued', 'in_progress', 'snoozed', 'escalated')
  do nothing
  returning id into v_id;

  if v_id is null then
    select x.id into v_existing from app.workflow_executions x
     where x.customer_id = c.id and x.workflow_id = w.workflow_id and app.is_open_status(x.status);
    raise exception 'A "%" workflow is already open for %', w.name, c.name using errcode = 'PT409',
      detail = coalesce(v_existing::text, ''),
      hint = 'Open the existing execution ' || coalesce(v_existing::text, '') || ' instead.';
  end if;
  perform app.create_step_rows(array[v_id]);
  return public.get_workflow_execution(v_id);
end;
$$;
comment on function public.create_workflow_execution(uuid, text, uuid) is 'Opens a workflow manually for a customer; PT409 if one of that workflow is already open.';
revoke execute on function public.create_workflow_execution(uuid, text, uuid) from public, anon;
grant execute on function public.create_workflow_execution(uuid, text, uuid) to authenticated;

-- start_workflow: an escalated workflow is not restarted (that would clear the escalation).
create or replace function public.start_workflow(execution_id uuid)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  e app.workflow_executions;
  v_first app.workflow_step_executions;
begin
  e := app.lock_execution(start_workflow.execution_id, 'start');
  if e.status not in ('queued', 'snoozed') then
    raise exception 'Cannot start this workflow: it is %',
      case when e.status = 'escalated' then 'escalated and waits for a decision' else app.status_words(e.status) end
      using errcode = 'PT409',
      hint = case when e.status = 'in_progress' then 'Continue with the current step.'
                  when e.status = 'escalated' then app.escalated_hint()
                  else 'Only queued or snoozed workflows can be started.' end;
  end if;
  perform app.create_step_rows(array[e.id]);
  if not exists (select 1 from app.workflow_step_executions s where s.execution_id = e.id and s.status = 'in_progress') then
    select * into v_first from app.workflow_step_executions s
     where s.execution_id = e.id and s.status = 'pending' order by s.step_index limit 1 for update;
    if found then
      update app.workflow_step_executions s set status = 'in_progress', started_at = now() where s.id = v_first.id;
    end if;
  end if;
  select * into v_first from app.workflow_step_executions s
   where s.execution_id = e.id and s.status = 'in_progress' order by s.step_index limit 1;
  update app.workflow_executions x
     set status = 'in_progress',
         started_at = coalesce(x.started_at, now()),
         snoozed_until = null,
         assigned_to = coalesce(x.assigned_to, (select auth.uid())),
         current_step_key = coalesce(v_first.step_key, x.current_step_key),
         current_step_index = coalesce(v_first.step_index, x.current_step_index),
         metadata = app.with_history(x.metadata, jsonb_build_object('event', 'started', 'from_status', e.status))
   where x.id = e.id;
  return app.execution_summary(e.id);
end;
$$;
revoke execute on function public.start_workflow(uuid) from public, anon;
grant execute on function public.start_workflow(uuid) to authenticated;
comment on function public.start_workflow(uuid) is 'queued (or snoozed: resumes early) -> in_progress; the first step starts. An escalated workflow waits for its decision.';

-- complete_step: escalated is a hold (PT409), like every other lifecycle call.

create or replace function public.complete_step(execution_id uuid, step_key text, outcome jsonb default '{}'::jsonb)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  e app.workflow_executions;
  v_result jsonb;
begin
  if coalesce(btrim(complete_step.step_key), '') = '' then
    raise exception 'step_key is required' using errcode = '22023';
  end if;
  if complete_step.outcome is not null and jsonb_typeof(complete_step.outcome) <> 'object' then
    raise exception 'outcome must be a JSON object' using errcode = '22023';
  end if;
  e := app.lock_execution(complete_step.execution_id, 'complete a step of');
  perform app.refuse_escalated_hold(e, 'complete a step of');
  if e.status <> 'in_progress' then
    raise exception 'Cannot complete step "%": the workflow is %', complete_step.step_key, app.status_words(e.status)
      using errcode = 'PT409',
      hint = case when e.status in ('queued', 'snoozed') then 'Start the workflow first.'
                  else 'Closed workflows cannot change.' end;
  end if;
  v_result := app.finish_step(e, complete_step.step_key, 'completed', complete_step.outcome, null);
  return v_result || jsonb_build_object('execution', app.execution_summary(e.id));
end;
$$;
revoke execute on function public.complete_step(uuid, text, jsonb) from public, anon;
grant execute on function public.complete_step(uuid, text, jsonb) to authenticated;
comment on function public.complete_step(uuid, text, jsonb) is
  'Completes the current step and starts the next; completing the last step completes the workflow. Refused while escalated.';

-- Pure: the decision date for a renewal date and the contract terms.
create or replace function app.calculate_decision_date(renewal_date date, auto_renew boolean, notice_period_days integer)
returns date
language sql
immutable
parallel safe
set search_path = ''
as $$
  select case
    when calculate_decision_date.renewal_date is null then null
    when coalesce(calculate_decision_date.auto_renew, false) and coalesce(calculate_decision_date.notice_period_days, 0) > 0
      then calculate_decision_date.renewal_date - calculate_decision_date.notice_period_days
    else calculate_decision_date.renewal_date
  end
$$;
comment on function app.calculate_decision_date(date, boolean, integer) is
  'renewal_date - notice_period_days when the contract auto-renews with a notice period, else renewal_date (docs/workflow-engine.md "The renewal clock").';
grant execute on function app.calculate_decision_date(date, boolean, integer) to authenticated, service_role;

-- The contract in force, as the customer context shows it: active, latest end date first.
create or replace function app.customer_decision_date(customer_id uuid, org_id uuid, renewal_date date)
returns date
language sql
stable
set search_path = ''
as $$
  select app.calculate_decision_date(customer_decision_date.renewal_date,
           (select k.auto_renew from app.contracts k
             where k.customer_id = customer_decision_date.customer_id and k.org_id = customer_decision_date.org_id
               and k.status = 'active'
             order by k.end_date desc nulls first, k.start_date desc limit 1),
           (select k.notice_period_days from app.contracts k
             where k.customer_id = customer_decision_date.customer_id and k.org_id = customer_decision_date.org_id
               and k.status = 'active'
             order by k.end_date desc nulls first, k.start_date desc limit 1))
$$;
comment on function app.customer_decision_date(uuid, uuid, date) is 'The decision date of a customer from its renewal date and its contract in force.';
grant execute on function app.customer_decision_date(uuid, uuid, date) to authenticated, service_role;

-- Contracts: any change re-derives the decision date (and so the stage, the priorities and
-- the lanes) of the customers concerned, in one statement.
create or replace function app.contracts_keep_decision_dates_current()
returns trigger
language plpgsql
security definer -- derived customer data kept on behalf of a contract write RLS allowed
set search_path = ''
as $$
begin
  if tg_op = 'INSERT' then
    update app.customers c set decision_date = c.decision_date
     where c.id in (select n.customer_id from new_rows n)
       and c.decision_date is distinct from app.customer_decision_date(c.id, c.org_id, c.renewal_date);
  elsif tg_op = 'UPDATE' then
    update app.customers c set decision_date = c.decision_date
     where c.id in (select n.customer_id from new_rows n union select o.customer_id from old_rows o)
       and c.decision_date is distinct from app.customer_decision_date(c.id, c.org_id, c.renewal_date);
  else
    update app.customers c set decision_date = c.decision_date
     where c.id in (select o.customer_id from old_rows o)
       and c.decision_date is distinct from app.customer_decision_date(c.id, c.org_id, c.renewal_date);
  end if;
  return null;
end;
$$;
revoke execute on function app.contracts_keep_decision_dates_current() from public, anon;

---------------------------------------------------------------------------------------
-- 2. Lanes
---------------------------------------------------------------------------------------

-- 1 now: renewals at Overdue, Emergency or Critical (decision date past or within 13
-- days); work handed back after an escalation; risk-assessment / risk-intervention with
-- risk_score >= 80. 2 soon: renewals at Signature or Finalize; other risk work.
-- 3 planned: everything else.
create or replace function app.queue_lane(workflow_type text, workflow_key text, renewal_stage text, risk_score integer, handed_back boolean)
returns smallint
language sql
immutable
parallel safe
set search_path = ''
as $$
  select (case
    when coalesce(queue_lane.handed_back, false) then 1
    when queue_lane.workflow_type = 'renewal' and queue_lane.renewal_stage in ('Overdue', 'Emergency', 'Critical') then 1
    when queue_lane.workflow_key in ('risk-assessment', 'risk-intervention') and queue_lane.risk_score >= 80 then 1
    when queue_lane.workflow_type = 'renewal' and queue_lane.renewal_stage in ('Signature', 'Finalize') then 2
    when queue_lane.workflow_type = 'risk' then 2
    else 3 end)::smallint
$$;
comment on function app.queue_lane(text, text, text, integer, boolean) is 'The queue lane of an open execution: 1 now, 2 soon, 3 planned (docs/workflow-engine.md "Lanes").';
grant execute on function app.queue_lane(text, text, text, integer, boolean) to authenticated, service_role;

create or replace function app.queue_lane_name(lane smallint)
returns text
language sql
immutable
parallel safe
set search_path = ''
as $$
  select case queue_lane_name.lane when 1 then 'now' when 2 then 'soon' when 3 then 'planned' end
$$;
grant execute on function app.queue_lane_name(smallint) to authenticated, service_role;

-- The hand-back hook: the lane follows metadata.handed_back_at.
create or replace function app.executions_lane_follows_hand_back()
returns trigger
language plpgsql
security definer -- see app.refresh_priorities
set search_path = ''
as $$
declare
  ids uuid[];
begin
  -- A set difference, not a join of the transition tables: linear whatever the plan.
  select array_agg(x.id) into ids
    from (select n.id, n.metadata ? 'handed_back_at' as handed_back from new_rows n
          except
          select o.id, o.metadata ? 'handed_back_at' from old_rows o) x;
  perform app.refresh_priorities(ids);
  return null;
end;
$$;
revoke execute on function app.executions_lane_follows_hand_back() from public, anon;

---------------------------------------------------------------------------------------
-- 3. The queue
---------------------------------------------------------------------------------------

-- The queue cursor: the 5-tuple of the queue order (lane, priority, renewal date, type, id).
create or replace function app.queue_cursor(lane smallint, priority_score numeric, sort_date date, type_rank integer, id uuid)
returns text
language plpgsql
immutable
set search_path = ''
as $$
begin
  return translate(encode(convert_to(jsonb_build_object(
           'l', queue_cursor.lane,
           'p', queue_cursor.priority_score,
           'd', case when queue_cursor.sort_date = 'infinity'::date then null else queue_cursor.sort_date end,
           't', queue_cursor.type_rank,
           'i', queue_cursor.id)::text, 'UTF8'), 'base64'), E'\n', '');
end;
$$;
grant execute on function app.queue_cursor(smallint, numeric, date, integer, uuid) to authenticated, service_role;

-- Checks a filters object and returns the normalised arrays (null = no filter).
create or replace function app.queue_filter_values(filters jsonb, key text, allowed text[])
returns text[]
language plpgsql
immutable
set search_path = ''
as $$
declare
  v jsonb := queue_filter_values.filters -> queue_filter_values.key;
  bad text;
  result text[];
begin
  if v is null or v = 'null'::jsonb then
    return null;
  end if;
  if jsonb_typeof(v) <> 'array' then
    raise exception 'filters.% must be an array of strings', queue_filter_values.key using errcode = '22023',
      hint = format('For example {"%s": ["%s"]}; allowed: %s.', queue_filter_values.key, queue_filter_values.allowed[1],
                    array_to_string(queue_filter_values.allowed, ', '));
  end if;
  if exists (select 1 from jsonb_array_elements(v) x where jsonb_typeof(x) <> 'string') then
    raise exception 'filters.% must be an array of strings', queue_filter_values.key using errcode = '22023',
      hint = format('Allowed values: %s.', array_to_string(queue_filter_values.allowed, ', '));
  end if;
  select x into bad from jsonb_array_elements_text(v) x where x <> all(queue_filter_values.allowed) limit 1;
  if bad is not null then
    raise exception 'filters.% has an unknown value "%"', queue_filter_values.key, left(bad, 60) using errcode = '22023',
      hint = format('Allowed values: %s.', array_to_string(queue_filter_values.allowed, ', '));
  end if;
  select array_agg(distinct x) into result from jsonb_array_elements_text(v) x;
  return result;  -- an empty array is no filter
end;
$$;
grant execute on function app.queue_filter_values(jsonb, text, text[]) to authenticated, service_role;

-- The queue keeps its statistics and reads its page from one index.
--
-- The queue's cost per call no longer grows with the queue (issue 18 point 1, issue 13's
-- filtered queue ≤ 5 ms; docs/performance.md).
--
-- What and why:
-- 1. Copies for the queue on workflow_executions, kept like the renewal date is:
--    `customer_search` (the customer's name and domain, lower case, joined by U+001F) so a
--    search is a condition on the queue index instead of one customers lookup per item, and
--    `queue_type_rank` (1 renewal … 5 custom) so the whole queue order is an index order.
--    app.refresh_priorities keeps both (it already reads the customer and the workflow); a
--    customer's new name or domain re-runs it through the customers trigger; a row inserted
--    without them (the orchestrator's bulk insert) gets them from a BEFORE INSERT trigger
--    that runs only for open rows that lack them; a workflow whose type changes re-runs it.
-- 2. Kept statistics: app.queue_stats (one row per assignee and include_snoozed: counts by
--    lane, type and plan, the priority sum, distinct customers), app.queue_stat_dates
--    (open items per decision date: the stage counts are derived at read time from today)
--    and app.queue_stat_customers (items per customer, for the distinct-customer count).
--    Statement-level triggers with transition tables add the difference each INSERT,
--    UPDATE or DELETE makes (one grouped upsert per statement, so a bulk insert costs one
--    pass); a TRUNCATE empties them. The highest and lowest priority come from the index.
-- 3. workflow_executions_queue_keyset_idx: the queue order itself (lane, priority desc,
--    renewal date, type, id), with what filters and stats read in INCLUDE, so an
--    unfiltered page is an index range scan of page_size + 1 entries after the cursor and
--    a filtered call one index scan of the assignee's open items.

create index workflow_executions_queue_keyset_idx
  on app.workflow_executions (org_id, assigned_to, queue_lane, (-priority_score),
                              (coalesce(customer_renewal_date, 'infinity'::date)), queue_type_rank, id)
  include (status, customer_id, priority_score, customer_renewal_date, customer_decision_date,
           customer_account_plan, customer_search)
  where status in ('queued', 'in_progress', 'snoozed', 'escalated');

-- include_snoozed = true counts every open item; false every open item but the snoozed.
create table app.queue_stats (
  org_id uuid not null,
  assigned_to uuid not null,
  include_snoozed boolean not null,
  items integer not null default 0,
  priority_sum numeric not null default 0,
  customers integer not null default 0,
  lane_now integer not null default 0,
  lane_soon integer not null default 0,
  lane_planned integer not null default 0,
  type_renewal integer not null default 0,
  type_strategic integer not null default 0,
  type_opportunity integer not null default 0,
  type_risk integer not null default 0,
  type_custom integer not null default 0,
  plan_expand integer not null default 0,
  plan_invest integer not null default 0,
  plan_manage integer not null default 0,
  plan_monitor integer not null default 0,
  -- The stats JSON rendered from these counts for a day (app.queue_stats_render).
  rendered jsonb,
  rendered_for date,
  primary key (org_id, assigned_to, include_snoozed)
);
comment on table app.queue_stats is
  'Per assignee: the queue''s counts (by lane, type, plan), priority sum and distinct customers, kept by app.executions_keep_queue_stats; read by get_workflow_queue without filters.';
comment on column app.queue_stats.rendered is
  'The stats JSON get_workflow_queue returns unfiltered, as of rendered_for (the organisation''s day it was rendered for).';

create table app.queue_stat_dates (
  org_id uuid not null,
  assigned_to uuid not null,
  decision_date date not null,
  active integer not null default 0,
  snoozed integer not null default 0,
  primary key (org_id, assigned_to, decision_date)
);
comment on table app.queue_stat_dates is 'Per assignee: open items per customer decision date, not snoozed and snoozed (the stage counts, derived at read time).';

create table app.queue_stat_customers (
  org_id uuid not null,
  assigned_to uuid not null,
  customer_id uuid not null,
  active integer not null default 0,
  snoozed integer not null default 0,
  primary key (org_id, assigned_to, customer_id)
);
comment on table app.queue_stat_customers is 'Per assignee: open items per customer, not snoozed and snoozed (for the distinct-customer counts of app.queue_stats).';

-- Derived data read only through security definer functions: no policy, no grant.
alter table app.queue_stats enable row level security;
alter table app.queue_stat_dates enable row level security;
alter table app.queue_stat_customers enable row level security;
revoke all on app.queue_stats, app.queue_stat_dates, app.queue_stat_customers from public, anon, authenticated;

-- One open item's part in the statistics; sign +1 (now counted) or -1 (no longer).
create type app.queue_stat_item as (
  org_id uuid, assigned_to uuid, customer_id uuid, snoozed boolean, lane smallint, type_rank smallint,
  account_plan text, decision_date date, priority numeric, sign integer
);

-- Items per assignee and customer; returns how many customers each assignee gained or
-- lost (not snoozed, and all), for app.queue_stats.customers.
create or replace function app.queue_stats_add_customers(items app.queue_stat_item[])
returns table (org_id uuid, assigned_to uuid, d_active integer, d_all integer)
language plpgsql
security definer -- derived data kept on behalf of an execution write RLS allowed
set search_path = ''
as $$
begin
  return query
  with pairs as (
    select i.org_id, i.assigned_to, i.customer_id,
           coalesce(sum(i.sign) filter (where not i.snoozed), 0)::integer as d_active,
           coalesce(sum(i.sign) filter (where i.snoozed), 0)::integer as d_snoozed
      from unnest(queue_stats_add_customers.items) i group by 1, 2, 3
  ), kept_pairs as (
    insert into app.queue_stat_customers as k (org_id, assigned_to, customer_id, active, snoozed)
    select p.* from pairs p where p.d_active <> 0 or p.d_snoozed <> 0 order by 1, 2, 3
    on conflict on constraint queue_stat_customers_pkey do update
      set active = k.active + excluded.active, snoozed = k.snoozed + excluded.snoozed
    returning k.org_id, k.assigned_to, k.customer_id, k.active, k.snoozed
  )
  -- Under the row lock `count - delta` is the count before this statement: exact even when
  -- another transaction changed the same customer first.
  select kp.org_id, kp.assigned_to,
         sum((kp.active > 0)::integer - (kp.active - p.d_active > 0)::integer)::integer,
         sum((kp.active + kp.snoozed > 0)::integer
             - (kp.active + kp.snoozed - p.d_active - p.d_snoozed > 0)::integer)::integer
    from kept_pairs kp
    join pairs p on p.org_id = kp.org_id and p.assigned_to = kp.assigned_to and p.customer_id = kp.customer_id
   group by 1, 2;
  -- Customers that left an assignee's queue leave no empty row behind.
  delete from app.queue_stat_customers k
   using (select distinct x.org_id, x.assigned_to, x.customer_id from unnest(queue_stats_add_customers.items) x
           where x.sign < 0) d
   where k.org_id = d.org_id and k.assigned_to = d.assigned_to and k.customer_id = d.customer_id
     and k.active = 0 and k.snoozed = 0;
end;
$$;

-- Items per assignee and decision date (the stage counts).
create or replace function app.queue_stats_add_dates(items app.queue_stat_item[])
returns void
language plpgsql
security definer -- derived data kept on behalf of an execution write RLS allowed
set search_path = ''
as $$
declare
  empty_dates date[];
begin
  with kept_dates as (
    insert into app.queue_stat_dates as k (org_id, assigned_to, decision_date, active, snoozed)
    select i.org_id, i.assigned_to, i.decision_date,
           coalesce(sum(i.sign) filter (where not i.snoozed), 0)::integer,
           coalesce(sum(i.sign) filter (where i.snoozed), 0)::integer
      from unnest(queue_stats_add_dates.items) i where i.decision_date is not null
     group by 1, 2, 3 order by 1, 2, 3
    on conflict (org_id, assigned_to, decision_date) do update
      set active = k.active + excluded.active, snoozed = k.snoozed + excluded.snoozed
    returning k.decision_date, k.active, k.snoozed
  )
  select array_agg(kd.decision_date) into empty_dates from kept_dates kd where kd.active = 0 and kd.snoozed = 0;
  -- Dates that left the queue: only those this statement brought to zero.
  if empty_dates is not null then
    delete from app.queue_stat_dates k
     using (select distinct x.org_id, x.assigned_to, x.decision_date from unnest(queue_stats_add_dates.items) x) d
     where k.org_id = d.org_id and k.assigned_to = d.assigned_to and k.decision_date = d.decision_date
       and k.decision_date = any(empty_dates) and k.active = 0 and k.snoozed = 0;
  end if;
end;
$$;

-- Adds the items' parts to the kept statistics: one grouped upsert per table.
--
-- Lock order: each person's two app.queue_stats rows first (sorted, both even when an item
-- counts in one), then their dates and customers, then the render of the same two rows. So
-- every row of a person is taken under that person's two stats rows, and two statements
-- on one person's queue never wait on each other in opposite orders.
create or replace function app.queue_stats_add(items app.queue_stat_item[])
returns void
language plpgsql
security definer -- derived data kept on behalf of an execution write RLS allowed
set search_path = ''
as $$
begin
  if items is null or cardinality(items) = 0 then
    return;
  end if;
  with classes as (
    -- include_snoozed = true counts every item, false all but the snoozed (a snoozed item
    -- still takes that row, counting 0).
    select i.*, k.include_snoozed,
           case when k.include_snoozed or not i.snoozed then i.sign else 0 end as counted
      from unnest(queue_stats_add.items) i cross join (values (true), (false)) k(include_snoozed)
  ), totals as (
    select c.org_id, c.assigned_to, c.include_snoozed, sum(c.counted)::integer as items,
           sum(c.counted * c.priority) as priority_sum,
           coalesce(sum(c.counted) filter (where c.lane = 1), 0)::integer as lane_now,
           coalesce(sum(c.counted) filter (where c.lane = 2), 0)::integer as lane_soon,
           coalesce(sum(c.counted) filter (where c.lane = 3), 0)::integer as lane_planned,
           coalesce(sum(c.counted) filter (where c.type_rank = 1), 0)::integer as type_renewal,
           coalesce(sum(c.counted) filter (where c.type_rank = 2), 0)::integer as type_strategic,
           coalesce(sum(c.counted) filter (where c.type_rank = 3), 0)::integer as type_opportunity,
           coalesce(sum(c.counted) filter (where c.type_rank = 4), 0)::integer as type_risk,
           coalesce(sum(c.counted) filter (where c.type_rank = 5), 0)::integer as type_custom,
           coalesce(sum(c.counted) filter (where c.account_plan = 'expand'), 0)::integer as plan_expand,
           coalesce(sum(c.counted) filter (where c.account_plan = 'invest'), 0)::integer as plan_invest,
           coalesce(sum(c.counted) filter (where c.account_plan = 'manage'), 0)::integer as plan_manage,
           coalesce(sum(c.counted) filter (where c.account_plan = 'monitor'), 0)::integer as plan_monitor
      from classes c group by 1, 2, 3
  )
  insert into app.queue_stats as k
    (org_id, assigned_to, include_snoozed, items, priority_sum, lane_now, lane_soon, lane_planned,
     type_renewal, type_strategic, type_opportunity, type_risk, type_custom,
     plan_expand, plan_invest, plan_manage, plan_monitor)
  select t.org_id, t.assigned_to, t.include_snoozed, t.items, t.priority_sum,
         t.lane_now, t.lane_soon, t.lane_planned, t.type_renewal, t.type_strategic, t.type_opportunity,
         t.type_risk, t.type_custom, t.plan_expand, t.plan_invest, t.plan_manage, t.plan_monitor
    from totals t
   order by 1, 2, 3
  on conflict (org_id, assigned_to, include_snoozed) do update set
    items = k.items + excluded.items, priority_sum = k.priority_sum + excluded.priority_sum,
    lane_now = k.lane_now + excluded.lane_now, lane_soon = k.lane_soon + excluded.lane_soon,
    lane_planned = k.lane_planned + excluded.lane_planned,
    type_renewal = k.type_renewal + excluded.type_renewal, type_strategic = k.type_strategic + excluded.type_strategic,
    type_opportunity = k.type_opportunity + excluded.type_opportunity, type_risk = k.type_risk + excluded.type_risk,
    type_custom = k.type_custom + excluded.type_custom,
    plan_expand = k.plan_expand + excluded.plan_expand, plan_invest = k.plan_invest + excluded.plan_invest,
    plan_manage = k.plan_manage + excluded.plan_manage, plan_monitor = k.plan_monitor + excluded.plan_monitor;
  perform app.queue_stats_add_dates(items);
  -- The distinct-customer counts: only people who gained or lost a customer.
  with cc as materialized (
    select * from app.queue_stats_add_customers(items)
  )
  update app.queue_stats k
     set customers = k.customers + case when k.include_snoozed then cc.d_all else cc.d_active end
    from cc
   where k.org_id = cc.org_id and k.assigned_to = cc.assigned_to
     and case when k.include_snoozed then cc.d_all else cc.d_active end <> 0;
  perform app.queue_stats_render_or_defer(array(select distinct row(i.org_id, i.assigned_to)::app.queue_stats_person
                                                  from unnest(queue_stats_add.items) i));
end;
$$;

-- Statement-level: what this INSERT, UPDATE or DELETE changed in anybody's queue. The
-- parts are written out inline (a function per row would cost more than the rest).
create or replace function app.executions_keep_queue_stats()
returns trigger
language plpgsql
security definer -- see app.queue_stats_add
set search_path = ''
as $$
declare
  parts app.queue_stat_item[];
begin
  if tg_op = 'INSERT' then
    select array_agg(row(n.org_id, n.assigned_to, n.customer_id, n.status = 'snoozed', coalesce(n.queue_lane, 3::smallint),
                         coalesce(n.queue_type_rank, 5::smallint), n.customer_account_plan, n.customer_decision_date,
                         n.priority_score, 1)::app.queue_stat_item)
      into parts from new_rows n
     where n.status in ('queued', 'in_progress', 'snoozed', 'escalated') and n.assigned_to is not null;
  elsif tg_op = 'DELETE' then
    select array_agg(row(o.org_id, o.assigned_to, o.customer_id, o.status = 'snoozed', coalesce(o.queue_lane, 3::smallint),
                         coalesce(o.queue_type_rank, 5::smallint), o.customer_account_plan, o.customer_decision_date,
                         o.priority_score, -1)::app.queue_stat_item)
      into parts from old_rows o
     where o.status in ('queued', 'in_progress', 'snoozed', 'escalated') and o.assigned_to is not null;
  else
    -- Only rows whose part changed: a step or metadata update costs one join and stops.
    -- Dynamic SQL: planned for this statement's row count (a plan cached after a 0-row
    -- update would join the transition tables in a nested loop, n x n for a bulk update).
    execute $q$
    with changed as materialized (
      select o.org_id as o_org, o.assigned_to as o_to, o.customer_id as o_customer, o.status as o_status,
             o.queue_lane as o_lane, o.queue_type_rank as o_type, o.customer_account_plan as o_plan,
             o.customer_decision_date as o_date, o.priority_score as o_priority,
             n.org_id, n.assigned_to, n.customer_id, n.status, n.queue_lane, n.queue_type_rank,
             n.customer_account_plan, n.customer_decision_date, n.priority_score
        from old_rows o
        join new_rows n on n.id = o.id
       where (o.org_id, o.assigned_to, o.customer_id, o.status, o.queue_lane, o.queue_type_rank,
              o.customer_account_plan, o.customer_decision_date, o.priority_score)
             is distinct from
             (n.org_id, n.assigned_to, n.customer_id, n.status, n.queue_lane, n.queue_type_rank,
              n.customer_account_plan, n.customer_decision_date, n.priority_score)
    )
    select array_agg(p) from (
      select row(c.o_org, c.o_to, c.o_customer, c.o_status = 'snoozed', coalesce(c.o_lane, 3::smallint),
                 coalesce(c.o_type, 5::smallint), c.o_plan, c.o_date, c.o_priority, -1)::app.queue_stat_item as p
        from changed c
       where c.o_status in ('queued', 'in_progress', 'snoozed', 'escalated') and c.o_to is not null
      union all
      select row(c.org_id, c.assigned_to, c.customer_id, c.status = 'snoozed', coalesce(c.queue_lane, 3::smallint),
                 coalesce(c.queue_type_rank, 5::smallint), c.customer_account_plan, c.customer_decision_date,
                 c.priority_score, 1)::app.queue_stat_item
        from changed c
       where c.status in ('queued', 'in_progress', 'snoozed', 'escalated') and c.assigned_to is not null
    ) x
    $q$ into parts;
  end if;
  perform app.queue_stats_add(parts);
  return null;
end;
$$;

create or replace function app.executions_truncate_queue_stats()
returns trigger
language plpgsql
security definer -- see app.queue_stats_add
set search_path = ''
as $$
begin
  truncate app.queue_stats, app.queue_stat_dates, app.queue_stat_customers;
  return null;
end;
$$;

revoke execute on function app.queue_stats_add(app.queue_stat_item[]) from public, anon, authenticated;
revoke execute on function app.queue_stats_add_customers(app.queue_stat_item[]) from public, anon, authenticated;
revoke execute on function app.queue_stats_add_dates(app.queue_stat_item[]) from public, anon, authenticated;
revoke execute on function app.executions_keep_queue_stats() from public, anon;
revoke execute on function app.executions_truncate_queue_stats() from public, anon;

-- get_workflow_queue reads the kept statistics and the queue index (issue 18 point 1,
-- issue 13 filtered queue, issue 17 short functions; docs/performance.md).
--
-- What and why: the same API (arguments, errors, JSON shape, order, cursor format), now
-- assembled by small functions with one job each:
--   app.queue_target          who is asking for whose queue (and may they)
--   app.queue_filter_of       the checked filters object
--   app.queue_position_of     the checked cursor (a position before every row when none)
--   app.queue_kept_stats      unfiltered stats from app.queue_stats (+ dates, + index ends)
--   app.queue_keyset_page     unfiltered page: page_size + 1 index entries after the cursor
--   app.queue_filtered_rows   filtered or grouped: the assignee's matching open items, one
--                             index scan (search is a condition on the carried search text)
--   app.queue_aggregate_stats stats of those rows (filtered stats follow the filters)
--   app.queue_pick_page       one row per customer when grouped, then the page after the cursor
--   app.queue_page_json       the page's json (customer card, step title, other items)
--   app.queue_stats_json      the stats JSON from counts
-- Without filters and grouping a call reads one stats row, its decision dates, six index
-- ends and page_size + 1 index entries: its cost no longer grows with the queue.

create type app.queue_row as (
  id uuid, lane smallint, priority_score numeric, sort_date date, type_rank smallint,
  customer_id uuid, account_plan text, days integer, other_count integer, other_kinds text[]
);
create type app.queue_filter as (types smallint[], stages text[], plans text[], lanes smallint[], pattern text);
create type app.queue_position as (lane smallint, priority_score numeric, sort_date date, type_rank smallint, id uuid);
create type app.queue_counts as (
  total integer, l_now integer, l_soon integer, l_planned integer,
  t_renewal integer, t_strategic integer, t_opportunity integer, t_risk integer, t_custom integer,
  s_overdue integer, s_emergency integer, s_critical integer, s_signature integer, s_finalize integer,
  s_negotiate integer, s_engage integer, s_prepare integer, s_monitor integer,
  p_expand integer, p_invest integer, p_manage integer, p_monitor integer,
  customers integer, avg_priority numeric, min_priority integer, max_priority integer
);

-- The caller's organisation and whose queue they asked for; refuses what they may not see.
create or replace function app.queue_target(assignee_id uuid, out org_id uuid, out target uuid)
language plpgsql
stable
set search_path = ''
as $$
declare
  v_me uuid := (select auth.uid());
  v_role text;
begin
  select p.org_id, p.role into queue_target.org_id, v_role from app.profiles p where p.id = v_me;
  if queue_target.org_id is null then
    raise exception 'Only members of an organisation have a queue' using errcode = '42501',
      hint = 'Sign in as a member of an organisation.';
  end if;
  queue_target.target := coalesce(queue_target.assignee_id, v_me);
  if queue_target.target <> v_me then
    if v_role not in ('manager', 'admin') then
      raise exception 'Only managers and admins can view another person''s queue' using errcode = '42501',
        hint = 'Leave assignee_id out to see your own queue.';
    end if;
    if not exists (select 1 from app.profiles p where p.id = queue_target.target and p.org_id = queue_target.org_id) then
      raise exception 'No such person in your organisation' using errcode = 'PT404',
        hint = 'assignee_id must be a member of your organisation.';
    end if;
  end if;
end;
$$;

-- {types[], stages[], plans[], lanes[], search}: checked; null when nothing filters.
-- Stable, not immutable: the types are read from app.workflow_types.
create or replace function app.queue_filter_of(filters jsonb)
returns app.queue_filter
language plpgsql
stable
set search_path = ''
as $$
declare
  v jsonb := coalesce(queue_filter_of.filters, '{}'::jsonb);
  f app.queue_filter;
  v_unknown text;
  v_search text;
begin
  if jsonb_typeof(v) <> 'object' then
    raise exception 'filters must be a JSON object' using errcode = '22023',
      hint = 'For example {"lanes": ["now"], "search": "acme"}; {} for no filter.';
  end if;
  if v = '{}'::jsonb then
    return null; -- the usual call: nothing to check (the checks below cost ~0.1 ms)
  end if;
  select k into v_unknown from jsonb_object_keys(v) k where k not in ('types', 'stages', 'plans', 'lanes', 'search') limit 1;
  if v_unknown is not null then
    raise exception 'filters has an unknown key "%"', left(v_unknown, 60) using errcode = '22023',
      hint = 'Known keys: types, stages, plans, lanes, search.';
  end if;
  select array_agg(app.workflow_type_rank(x)::smallint) into f.types
    from unnest(app.queue_filter_values(v, 'types', app.lookup_keys('workflow_type'))) x;
  f.stages := app.queue_filter_values(v, 'stages',
    array['Overdue', 'Emergency', 'Critical', 'Signature', 'Finalize', 'Negotiate', 'Engage', 'Prepare', 'Monitor']);
  f.plans := app.queue_filter_values(v, 'plans', array['expand', 'invest', 'manage', 'monitor']);
  select array_agg(case x when 'now' then 1 when 'soon' then 2 else 3 end)::smallint[] into f.lanes
    from unnest(app.queue_filter_values(v, 'lanes', array['now', 'soon', 'planned'])) x;
  if v ? 'search' and v -> 'search' <> 'null'::jsonb then
    if jsonb_typeof(v -> 'search') <> 'string' then
      raise exception 'filters.search must be a string' using errcode = '22023',
        hint = 'A part of the customer''s name or domain, e.g. {"search": "acme"}.';
    end if;
    v_search := btrim(v ->> 'search');
    if length(v_search) > 200 then
      raise exception 'filters.search is longer than 200 characters' using errcode = '22023',
        hint = 'Search by a part of the customer''s name or domain.';
    end if;
    if v_search <> '' then
      -- Case-insensitive substring of the name or the domain; %, _ and \ match themselves.
      f.pattern := '%' || replace(replace(replace(lower(v_search), '\', '\\'), '%', '\%'), '_', '\_') || '%';
    end if;
  end if;
  if f.types is null and f.stages is null and f.plans is null and f.lanes is null and f.pattern is null then
    return null;
  end if;
  return f;
end;
$$;

-- The cursor's position; without a cursor a position before every row (lane 0).
create or replace function app.queue_position_of(cursor text)
returns app.queue_position
language plpgsql
immutable
set search_path = ''
as $$
declare
  v jsonb;
  pos app.queue_position;
begin
  if queue_position_of.cursor is null then
    return row(0, 0, '-infinity'::date, 0, '00000000-0000-0000-0000-000000000000'::uuid)::app.queue_position;
  end if;
  begin
    v := convert_from(decode(queue_position_of.cursor, 'base64'), 'UTF8')::jsonb;
    pos := row((v ->> 'l')::smallint, (v ->> 'p')::numeric, coalesce((v ->> 'd')::date, 'infinity'::date),
               (v ->> 't')::smallint, (v ->> 'i')::uuid)::app.queue_position;
  exception when others then
    pos := null;
  end;
  if pos.id is null or pos.lane is null or pos.priority_score is null or pos.type_rank is null then
    raise exception 'cursor is not valid' using errcode = '22023',
      hint = 'Pass the next_cursor of the previous page unchanged, or leave it out for the first page.';
  end if;
  return pos;
end;
$$;

-- Counts → the stats JSON (zero counts are left out, as a group-by never produces them).
create or replace function app.queue_stats_json(c app.queue_counts)
returns jsonb
language plpgsql
immutable
set search_path = ''
as $$
begin
  -- plpgsql: its expression plan is kept for the session (a `set` SQL function is planned per call).
  return case when coalesce((c).total, 0) = 0 then jsonb_build_object(
      'total', 0, 'by_lane', '{}'::jsonb, 'by_type', '{}'::jsonb, 'by_stage', '{}'::jsonb, 'by_account_plan', '{}'::jsonb,
      'unique_customers', 0, 'avg_priority', null, 'priority_range', jsonb_build_object('min', null, 'max', null))
  else jsonb_build_object(
    'total', (c).total,
    'by_lane', jsonb_strip_nulls(jsonb_build_object(
      'now', nullif((c).l_now, 0), 'soon', nullif((c).l_soon, 0), 'planned', nullif((c).l_planned, 0))),
    'by_type', jsonb_strip_nulls(jsonb_build_object(
      'renewal', nullif((c).t_renewal, 0), 'strategic', nullif((c).t_strategic, 0),
      'opportunity', nullif((c).t_opportunity, 0), 'risk', nullif((c).t_risk, 0), 'custom', nullif((c).t_custom, 0))),
    'by_stage', jsonb_strip_nulls(jsonb_build_object(
      'Overdue', nullif((c).s_overdue, 0), 'Emergency', nullif((c).s_emergency, 0),
      'Critical', nullif((c).s_critical, 0), 'Signature', nullif((c).s_signature, 0),
      'Finalize', nullif((c).s_finalize, 0), 'Negotiate', nullif((c).s_negotiate, 0),
      'Engage', nullif((c).s_engage, 0), 'Prepare', nullif((c).s_prepare, 0), 'Monitor', nullif((c).s_monitor, 0))),
    'by_account_plan', jsonb_strip_nulls(jsonb_build_object(
      'expand', nullif((c).p_expand, 0), 'invest', nullif((c).p_invest, 0),
      'monitor', nullif((c).p_monitor, 0), 'manage', nullif((c).p_manage, 0))),
    'unique_customers', (c).customers,
    'avg_priority', (c).avg_priority,
    'priority_range', jsonb_build_object('min', (c).min_priority, 'max', (c).max_priority))
  end;
end;
$$;

create type app.queue_stats_person as (org_id uuid, assigned_to uuid);

-- Unfiltered stats from the kept tables as of a day: the stage counts from the decision
-- dates, the highest and lowest priority from the two ends of each lane in the index.
-- Rendered into app.queue_stats.rendered by the trigger that keeps the counts (for the
-- organisation's today; a statement touching many people leaves them to the
-- 'render-queue-stats' job), and computed at read time when not rendered for today.
create or replace function app.queue_stats_of(org_id uuid, target uuid, include_snoozed boolean, today date)
returns jsonb
language plpgsql
stable
security definer -- reads derived tables no role may read; callers check who may see what
set search_path = ''
as $$
declare
  k app.queue_stats;
  c app.queue_counts;
begin
  select * into k from app.queue_stats s
   where s.org_id = queue_stats_of.org_id and s.assigned_to = queue_stats_of.target
     and s.include_snoozed = queue_stats_of.include_snoozed;
  if not found or k.items <= 0 then
    return app.queue_stats_json(null);
  end if;
  c := row(k.items, k.lane_now, k.lane_soon, k.lane_planned, k.type_renewal, k.type_strategic, k.type_opportunity,
           k.type_risk, k.type_custom, 0, 0, 0, 0, 0, 0, 0, 0, 0, k.plan_expand, k.plan_invest, k.plan_manage,
           k.plan_monitor, k.customers, round(k.priority_sum / k.items, 1), null, null)::app.queue_counts;
  select coalesce(sum(d.n) filter (where d.days < 0), 0),
         coalesce(sum(d.n) filter (where d.days between 0 and 6), 0),
         coalesce(sum(d.n) filter (where d.days between 7 and 13), 0),
         coalesce(sum(d.n) filter (where d.days between 14 and 29), 0),
         coalesce(sum(d.n) filter (where d.days between 30 and 59), 0),
         coalesce(sum(d.n) filter (where d.days between 60 and 89), 0),
         coalesce(sum(d.n) filter (where d.days between 90 and 119), 0),
         coalesce(sum(d.n) filter (where d.days between 120 and 179), 0),
         coalesce(sum(d.n) filter (where d.days >= 180), 0)
    into c.s_overdue, c.s_emergency, c.s_critical, c.s_signature, c.s_finalize, c.s_negotiate, c.s_engage,
         c.s_prepare, c.s_monitor
    from (select x.decision_date - today as days,
                 x.active + case when queue_stats_of.include_snoozed then x.snoozed else 0 end as n
            from app.queue_stat_dates x
           where x.org_id = queue_stats_of.org_id and x.assigned_to = queue_stats_of.target) d;
  select max(hi.p)::integer, min(lo.p)::integer into c.max_priority, c.min_priority
    from unnest('{1,2,3}'::smallint[]) l(lane)
    left join lateral (
      select e.priority_score as p from app.workflow_executions e
       where e.org_id = queue_stats_of.org_id and e.assigned_to = queue_stats_of.target and e.queue_lane = l.lane
         and e.status in ('queued', 'in_progress', 'snoozed', 'escalated')
         and (queue_stats_of.include_snoozed or e.status <> 'snoozed')
       order by -e.priority_score limit 1) hi on true
    left join lateral (
      select e.priority_score as p from app.workflow_executions e
       where e.org_id = queue_stats_of.org_id and e.assigned_to = queue_stats_of.target and e.queue_lane = l.lane
         and e.status in ('queued', 'in_progress', 'snoozed', 'escalated')
         and (queue_stats_of.include_snoozed or e.status <> 'snoozed')
       order by -e.priority_score desc limit 1) lo on true;
  return app.queue_stats_json(c);
end;
$$;
revoke execute on function app.queue_stats_of(uuid, uuid, boolean, date) from public, anon, authenticated;

-- Renders both rows (with and without snoozed items) of these people for their
-- organisation's today.
create or replace function app.queue_stats_render(people app.queue_stats_person[])
returns void
language plpgsql
security definer -- writes the derived table; called by app.queue_stats_add and the job
set search_path = ''
as $$
begin
  if people is null or cardinality(people) = 0 then
    return;
  end if;
  with due as (
    select s.org_id, s.assigned_to, s.include_snoozed, app.organisation_today(s.org_id) as today
      from unnest(queue_stats_render.people) p
      join app.queue_stats s on s.org_id = p.org_id and s.assigned_to = p.assigned_to
  )
  update app.queue_stats s
     set rendered = app.queue_stats_of(d.org_id, d.assigned_to, d.include_snoozed, d.today), rendered_for = d.today
    from due d
   where s.org_id = d.org_id and s.assigned_to = d.assigned_to and s.include_snoozed = d.include_snoozed;
end;
$$;
revoke execute on function app.queue_stats_render(app.queue_stats_person[]) from public, anon, authenticated;

-- Whether a trigger does its derived work for n rows inline: up to default_max, or the
-- limit the setting names when it is set (the tests lower it to take the deferred path).
create or replace function app.within_inline_limit(n integer, setting text, default_max integer)
returns boolean
language sql
stable
set search_path = ''
as $$
  select coalesce(within_inline_limit.n, 0)
         <= coalesce(nullif(current_setting(within_inline_limit.setting, true), '')::integer, within_inline_limit.default_max)
$$;
revoke execute on function app.within_inline_limit(integer, text, integer) from public, anon, authenticated;

-- A statement's people rendered now, or when there are more than
-- renubu.queue_stats_inline_max (50 unless set; an orchestrator run, a
-- seed: ~0.2 ms a row, 6 000 rows in a daily run at 300k) marked stale for the job, their
-- reads computing the stats as before until it has run.
create or replace function app.queue_stats_render_or_defer(people app.queue_stats_person[])
returns void
language plpgsql
security definer -- see app.queue_stats_render
set search_path = ''
as $$
begin
  if app.within_inline_limit(cardinality(people), 'renubu.queue_stats_inline_max', 50) then
    perform app.queue_stats_render(people);
    return;
  end if;
  update app.queue_stats s set rendered = null, rendered_for = null
    from unnest(queue_stats_render_or_defer.people) p
   where s.org_id = p.org_id and s.assigned_to = p.assigned_to and s.rendered_for is not null;
end;
$$;
revoke execute on function app.queue_stats_render_or_defer(app.queue_stats_person[]) from public, anon, authenticated;

-- The job: the people whose stats were rendered for an earlier day (or never), up to
-- max_people; returns how many it rendered.
create or replace function app.queue_stats_render_stale(max_people integer default 2000)
returns integer
language plpgsql
security definer -- see app.queue_stats_render
set search_path = ''
as $$
declare
  people app.queue_stats_person[];
begin
  -- Only people whose rows it could lock at once: a transaction changing a person's queue
  -- holds both rows (see app.queue_stats_add), and the job waiting for one of them while
  -- holding the other would be a deadlock. A person skipped is taken by the next run.
  select array_agg(row(x.org_id, x.assigned_to)::app.queue_stats_person) into people
    from (select l.org_id, l.assigned_to
            from (select s.org_id, s.assigned_to
                    from app.queue_stats s
                   where (s.org_id, s.assigned_to) in
                         (select distinct c.org_id, c.assigned_to from app.queue_stats c
                           where c.rendered_for is null or c.rendered_for < app.organisation_today(c.org_id)
                           limit max_people)
                   order by s.org_id, s.assigned_to, s.include_snoozed
                     for update skip locked) l
           group by l.org_id, l.assigned_to
          having count(*) = (select count(*) from app.queue_stats a
                              where a.org_id = l.org_id and a.assigned_to = l.assigned_to)) x;
  perform app.queue_stats_render(people);
  return coalesce(cardinality(people), 0);
end;
$$;
revoke execute on function app.queue_stats_render_stale(integer) from public, anon, authenticated;
comment on function app.queue_stats_render_stale(integer) is
  'Renders the queue stats JSON of people whose row was rendered for an earlier day; run every minute by pg_cron.';

-- What an unfiltered call returns: the rendered stats when they are today's.
create or replace function app.queue_kept_stats(org_id uuid, target uuid, include_snoozed boolean, today date)
returns jsonb
language plpgsql
stable
security definer -- reads derived tables no role may read; checks the caller itself
set search_path = ''
as $$
declare
  v_rendered jsonb;
begin
  -- The caller's own queue, or a manager's or admin's look at their organisation's.
  if not exists (select 1 from app.profiles me
                  where me.id = (select auth.uid()) and me.org_id = queue_kept_stats.org_id
                    and (me.id = queue_kept_stats.target or me.role in ('manager', 'admin'))) then
    raise exception 'Only your own queue, or your organisation''s as a manager' using errcode = '42501';
  end if;
  select s.rendered into v_rendered from app.queue_stats s
   where s.org_id = queue_kept_stats.org_id and s.assigned_to = queue_kept_stats.target
     and s.include_snoozed = queue_kept_stats.include_snoozed and s.rendered_for = queue_kept_stats.today;
  return coalesce(v_rendered, app.queue_stats_of(queue_kept_stats.org_id, queue_kept_stats.target,
                                                 queue_kept_stats.include_snoozed, queue_kept_stats.today));
end;
$$;

-- Unfiltered page: the page_size + 1 open items after the position, in index order.
create or replace function app.queue_keyset_page(
  org_id uuid, target uuid, include_snoozed boolean, pos app.queue_position, page_size integer, today date)
returns app.queue_row[]
language plpgsql
stable
set search_path = ''
as $$
begin
  return (
    select coalesce(array_agg(row(q.id, q.queue_lane, q.priority_score, q.sort_date, q.queue_type_rank, q.customer_id,
                                  q.customer_account_plan, q.customer_decision_date - queue_keyset_page.today,
                                  null, null)::app.queue_row order by q.ord), '{}')
      from (select e.id, e.queue_lane, e.priority_score, coalesce(e.customer_renewal_date, 'infinity'::date) as sort_date,
                   e.queue_type_rank, e.customer_id, e.customer_account_plan, e.customer_decision_date,
                   row_number() over () as ord
              from (select x.* from app.workflow_executions x
                     where x.org_id = queue_keyset_page.org_id and x.assigned_to = queue_keyset_page.target
                       and x.status in ('queued', 'in_progress', 'snoozed', 'escalated')
                       and (queue_keyset_page.include_snoozed or x.status <> 'snoozed')
                       and (x.queue_lane, -x.priority_score, coalesce(x.customer_renewal_date, 'infinity'::date),
                            x.queue_type_rank, x.id)
                           > ((pos).lane, -(pos).priority_score, (pos).sort_date, (pos).type_rank, (pos).id)
                     order by x.queue_lane, -x.priority_score, coalesce(x.customer_renewal_date, 'infinity'::date),
                              x.queue_type_rank, x.id
                     limit queue_keyset_page.page_size + 1) e) q);
end;
$$;

-- Filtered (or grouped) calls: every matching open item of the assignee, one index scan.
create or replace function app.queue_filtered_rows(
  org_id uuid, target uuid, include_snoozed boolean, f app.queue_filter, today date)
returns app.queue_row[]
language plpgsql
stable
set search_path = ''
as $$
begin
  return (
    select coalesce(array_agg(row(q.id, q.lane, q.priority_score, q.sort_date, q.type_rank, q.customer_id,
                                  q.account_plan, q.days, null, null)::app.queue_row), '{}')
      from (select e.id, coalesce(e.queue_lane, 3::smallint) as lane, e.priority_score,
                   coalesce(e.customer_renewal_date, 'infinity'::date) as sort_date,
                   coalesce(e.queue_type_rank, 5::smallint) as type_rank, e.customer_id,
                   e.customer_account_plan as account_plan, e.customer_decision_date - queue_filtered_rows.today as days
              from app.workflow_executions e
             where e.org_id = queue_filtered_rows.org_id and e.assigned_to = queue_filtered_rows.target
               and e.status in ('queued', 'in_progress', 'snoozed', 'escalated')
               and (queue_filtered_rows.include_snoozed or e.status <> 'snoozed')
               and ((f).lanes is null or e.queue_lane = any((f).lanes))
               and ((f).plans is null or e.customer_account_plan = any((f).plans))
               and ((f).types is null or e.queue_type_rank = any((f).types))
               and ((f).pattern is null or e.customer_search like (f).pattern)) q
     where (f).stages is null
        or (case when q.days is null then null
                 when q.days < 0 then 'Overdue' when q.days < 7 then 'Emergency' when q.days < 14 then 'Critical'
                 when q.days < 30 then 'Signature' when q.days < 60 then 'Finalize' when q.days < 90 then 'Negotiate'
                 when q.days < 120 then 'Engage' when q.days < 180 then 'Prepare' else 'Monitor' end) = any((f).stages));
end;
$$;

-- The stats of a set of rows (a filtered call's stats follow its filters).
create or replace function app.queue_aggregate_stats(rows app.queue_row[])
returns jsonb
language plpgsql
immutable
set search_path = ''
as $$
begin
  return app.queue_stats_json((
    select row(count(*),
               count(*) filter (where r.lane = 1), count(*) filter (where r.lane = 2), count(*) filter (where r.lane = 3),
               count(*) filter (where r.type_rank = 1), count(*) filter (where r.type_rank = 2),
               count(*) filter (where r.type_rank = 3), count(*) filter (where r.type_rank = 4),
               count(*) filter (where r.type_rank = 5),
               count(*) filter (where r.days < 0), count(*) filter (where r.days between 0 and 6),
               count(*) filter (where r.days between 7 and 13), count(*) filter (where r.days between 14 and 29),
               count(*) filter (where r.days between 30 and 59), count(*) filter (where r.days between 60 and 89),
               count(*) filter (where r.days between 90 and 119), count(*) filter (where r.days between 120 and 179),
               count(*) filter (where r.days >= 180),
               count(*) filter (where r.account_plan = 'expand'), count(*) filter (where r.account_plan = 'invest'),
               count(*) filter (where r.account_plan = 'manage'), count(*) filter (where r.account_plan = 'monitor'),
               count(distinct r.customer_id), round(avg(r.priority_score), 1),
               min(r.priority_score)::integer, max(r.priority_score)::integer)::app.queue_counts
      from unnest(queue_aggregate_stats.rows) r));
end;
$$;

-- Grouped: each customer's first row (with how many others, of which kinds); then the
-- page_size + 1 rows after the position, in queue order. Window functions only: no join
-- whose plan would depend on the (unknown) size of the array.
create or replace function app.queue_pick_page(rows app.queue_row[], grouped boolean, pos app.queue_position, page_size integer)
returns app.queue_row[]
language plpgsql
immutable
set search_path = ''
as $$
begin
  return (
    with ranked as (
      select r.*, row_number() over w as crn
        from unnest(queue_pick_page.rows) r
       where queue_pick_page.grouped
      window w as (partition by r.customer_id order by r.lane, r.priority_score desc, r.sort_date, r.type_rank, r.id)
    ), counted as (
      -- The kinds of a customer's other rows as bits (1 renewal … 16 custom).
      select k.*, (count(*) over c - 1)::integer as n,
             coalesce(bit_or(1 << (k.type_rank - 1)) filter (where k.crn > 1) over c, 0) as kinds
        from ranked k
      window c as (partition by k.customer_id)
    ), heads as (
      select r.id, r.lane, r.priority_score, r.sort_date, r.type_rank, r.customer_id, r.account_plan, r.days,
             null::integer as other_count, null::text[] as other_kinds
        from unnest(queue_pick_page.rows) r where not queue_pick_page.grouped
      union all
      select k.id, k.lane, k.priority_score, k.sort_date, k.type_rank, k.customer_id, k.account_plan, k.days, k.n,
             -- In the order array_agg(distinct name) gave: alphabetical.
             array_remove(array[case when k.kinds & 16 > 0 then 'custom' end, case when k.kinds & 4 > 0 then 'opportunity' end,
                                case when k.kinds & 1 > 0 then 'renewal' end, case when k.kinds & 8 > 0 then 'risk' end,
                                case when k.kinds & 2 > 0 then 'strategic' end], null)
        from counted k where k.crn = 1
    )
    select coalesce(array_agg(p::app.queue_row order by p.lane, p.priority_score desc, p.sort_date, p.type_rank, p.id), '{}')
      from (select h.* from heads h
             where (h.lane, -h.priority_score, h.sort_date, h.type_rank, h.id)
                   > ((pos).lane, -(pos).priority_score, (pos).sort_date, (pos).type_rank, (pos).id)
             order by h.lane, h.priority_score desc, h.sort_date, h.type_rank, h.id
             limit queue_pick_page.page_size + 1) p);
end;
$$;

-- Built as json text, not jsonb: every object of a ~58 KB page built in binary form (keys
-- sorted, numbers converted) and printed again for the wire was most of the call's
-- database time. Nothing reads it with jsonb operators inside the database; a caller that
-- wants to (the pgTAP tests) casts it: `get_workflow_queue(…)::jsonb`.
-- The page: each item is its card with the day's fields written in (the renewal stage as
-- app.calculate_renewal_stage names it, written out: a SQL function with a search_path is
-- never inlined; pgTAP get_workflow_queue/names_lanes_stages_and_steps_as_the_rules_do
-- checks they agree). An item whose card is missing is rendered here by the same function.
-- The answer is built as text and parsed once into json.
create or replace function app.queue_page_json(page app.queue_row[], page_size integer, today date, grouped boolean)
returns json
language plpgsql
stable
set search_path = ''
as $$
begin
  return (
    select coalesce('[' || string_agg(
             k.head
             || ',"renewal_stage":' || case
                  when k.decision_date is null then 'null'
                  when k.decision_date - queue_page_json.today < 0 then '"Overdue"'
                  when k.decision_date - queue_page_json.today < 7 then '"Emergency"'
                  when k.decision_date - queue_page_json.today < 14 then '"Critical"'
                  when k.decision_date - queue_page_json.today < 30 then '"Signature"'
                  when k.decision_date - queue_page_json.today < 60 then '"Finalize"'
                  when k.decision_date - queue_page_json.today < 90 then '"Negotiate"'
                  when k.decision_date - queue_page_json.today < 120 then '"Engage"'
                  when k.decision_date - queue_page_json.today < 180 then '"Prepare"'
                  else '"Monitor"' end
             || ',"days_until_renewal":' || coalesce((k.renewal_date - queue_page_json.today)::text, 'null')
             || ',"days_until_decision":' || coalesce((k.decision_date - queue_page_json.today)::text, 'null')
             || '}' || k.tail
             || case when queue_page_json.grouped
                     then ',"other_items":' || json_build_object(
                            'count', coalesce(n.other_count, 0),
                            'kinds', coalesce(to_json(n.other_kinds), '[]'::json))::text
                     else '' end
             || '}', ',' order by n.ord) || ']', '[]')::json
      from unnest(queue_page_json.page) with ordinality
             as n(id, lane, priority_score, sort_date, type_rank, customer_id, account_plan, days, other_count, other_kinds, ord)
      left join app.queue_cards k0 on k0.execution_id = n.id
      -- coalesce evaluates the render only for an item without a card.
     cross join lateral (select (coalesce(k0, (select row(f.*)::app.queue_cards
                                                 from app.queue_card_parts(array[n.id]) f))).* offset 0) k
     where n.ord <= queue_page_json.page_size
       and k.head is not null);
end;
$$;

create or replace function public.get_workflow_queue(
  page_size integer default 50,
  cursor text default null,
  assignee_id uuid default null,
  include_snoozed boolean default false,
  filters jsonb default '{}'::jsonb,
  group_by_customer boolean default false
)
returns json
language plpgsql
stable
set search_path = ''
-- For every statement of the functions it calls: planned once per session. Left to choose,
-- the plan cache re-plans the bigger statements on every call (more than they cost to run).
set plan_cache_mode = force_generic_plan
as $$
declare
  who record;
  v_filter app.queue_filter;
  v_pos app.queue_position;
  v_today date;
  v_snoozed boolean := coalesce(get_workflow_queue.include_snoozed, false);
  v_grouped boolean := coalesce(get_workflow_queue.group_by_customer, false);
  v_rows app.queue_row[];
  v_page app.queue_row[];
  v_stats jsonb;
  v_last app.queue_row;
begin
  who := app.queue_target(get_workflow_queue.assignee_id);
  if get_workflow_queue.page_size is null or get_workflow_queue.page_size < 1 or get_workflow_queue.page_size > 200 then
    raise exception 'page_size must be between 1 and 200' using errcode = '22023';
  end if;
  v_filter := app.queue_filter_of(get_workflow_queue.filters);
  v_pos := app.queue_position_of(get_workflow_queue.cursor);
  v_today := app.organisation_today(who.org_id);
  if v_filter is null and not v_grouped then
    v_stats := app.queue_kept_stats(who.org_id, who.target, v_snoozed, v_today);
    v_page := app.queue_keyset_page(who.org_id, who.target, v_snoozed, v_pos, get_workflow_queue.page_size, v_today);
  else
    v_rows := app.queue_filtered_rows(who.org_id, who.target, v_snoozed, v_filter, v_today);
    v_stats := app.queue_aggregate_stats(v_rows);
    v_page := app.queue_pick_page(v_rows, v_grouped, v_pos, get_workflow_queue.page_size);
  end if;
  if cardinality(v_page) > get_workflow_queue.page_size then
    v_last := v_page[get_workflow_queue.page_size];
  end if;
  return json_build_object(
    'items', app.queue_page_json(v_page, get_workflow_queue.page_size, v_today, v_grouped),
    'next_cursor', case when v_last.id is not null
                        then app.queue_cursor(v_last.lane, v_last.priority_score, v_last.sort_date, v_last.type_rank, v_last.id) end,
    'stats', v_stats);
end;
$$;
comment on function public.get_workflow_queue(integer, text, uuid, boolean, jsonb, boolean) is
  'One person''s open workflow executions by lane, then priority (keyset-paginated), filtered server-side ({types, stages, plans, lanes, search}), optionally one row per customer; stats follow the filters (kept per assignee when unfiltered). Returns json text (cast to jsonb to query it in SQL).';

revoke execute on function app.queue_kept_stats(uuid, uuid, boolean, date) from public, anon;
grant execute on function app.queue_kept_stats(uuid, uuid, boolean, date) to authenticated, service_role;
grant execute on function app.queue_target(uuid) to authenticated, service_role;
grant execute on function app.queue_filter_of(jsonb) to authenticated, service_role;
grant execute on function app.queue_position_of(text) to authenticated, service_role;
grant execute on function app.queue_stats_json(app.queue_counts) to authenticated, service_role;
grant execute on function app.queue_keyset_page(uuid, uuid, boolean, app.queue_position, integer, date) to authenticated, service_role;
grant execute on function app.queue_filtered_rows(uuid, uuid, boolean, app.queue_filter, date) to authenticated, service_role;
grant execute on function app.queue_aggregate_stats(app.queue_row[]) to authenticated, service_role;
grant execute on function app.queue_pick_page(app.queue_row[], boolean, app.queue_position, integer) to authenticated, service_role;
grant execute on function app.queue_page_json(app.queue_row[], integer, date, boolean) to authenticated, service_role;
revoke execute on function public.get_workflow_queue(integer, text, uuid, boolean, jsonb, boolean) from public, anon;
grant execute on function public.get_workflow_queue(integer, text, uuid, boolean, jsonb, boolean) to authenticated;

-- The queue's cards: each open execution's queue item, rendered when its inputs change
-- instead of on every read (issue 18 point 1; docs/workflow-engine.md "Cards and rendered
-- stats", docs/performance.md "Queue cards").
--
-- What and why: building the page's 50 items (the execution, its customer's card, the
-- workflow, the current step's title, the priority factors) was ~1 ms of the ~1.6 ms a
-- first page cost, and every page rebuilt the same text. A card is that text, written by
-- statement triggers when an input changes; a page is now the keyset scan it was plus one
-- card per item, with only what depends on the day (the renewal stage and the day counts)
-- written in at read time. The API's answer is unchanged (the customer's three day fields
-- now come last in its object; JSON objects have no order).
--
-- One renderer, app.queue_card_parts(ids): the triggers store what it returns, and a page
-- whose item has no card yet renders that one item with it (so a card that is missing
-- costs time, never an item).
--
-- A statement that changes more than 2 000 open executions (renubu.queue_cards_inline_max)
-- — the orchestrator's full rebuild, a seed, a bulk reassignment — does not render them
-- itself: it drops their cards and lists them in app.queue_cards_due, which the
-- 'render-queue-cards' job empties every minute (app.queue_cards_render_due); until then
-- their pages render them on the spot. A smaller statement renders them at once and lists
-- them too: two transactions changing a card's inputs at the same time (a customer and one
-- of its executions) each render from what the other has not committed, and the last
-- write wins; the job's render after both have committed puts it right within a minute.
-- Rendering is ~25 µs a card, so a rebuild of 180 000 would otherwise grow by seconds.
--
-- Lock order: a change lists its executions in app.queue_cards_due (sorted) before it
-- touches their cards (sorted), and the job renders only the cards whose list entries it
-- locked, skipping entries a transaction holds. So whoever holds a card also holds its
-- entry, the job never waits for a card a transaction holds while that transaction waits
-- for an entry the job holds (the deadlock a CSM's start hit when it re-scored their queue
-- while the job rendered it), and two changes take entries and cards in one order.
--
-- Inputs and who re-renders (each trigger re-reads the rows by id, so the last to run,
-- after any nested update, writes the current state):
--   workflow_executions  insert, update of a shown column, delete, truncate
--   customers            update of a shown column (name, domain, ARR, health, plan, dates, CSM, scores)
--   workflows            update of key, name or type
--   workflow_versions    update of config (the step titles)

create table app.queue_cards (
  execution_id uuid primary key,
  org_id uuid not null,
  renewal_date date,
  decision_date date,
  head text not null,
  tail text not null
);
comment on table app.queue_cards is
  'Each open execution''s queue item as json text without its day-dependent fields (head ends inside the customer object, tail is the rest without the closing brace). Kept by triggers; read by app.queue_page_json.';
comment on column app.queue_cards.head is
  'From {"execution_id" … to the customer''s last day-independent field, braces left open.';
comment on column app.queue_cards.tail is
  'From ,"assignee_id" … to created_at, the item''s closing brace left off (grouped pages add other_items).';

-- Members read their organisation's cards (what the executions and customers policies
-- already let them read); only the triggers write them.
alter table app.queue_cards enable row level security;
select app.create_org_policies('app.queue_cards', 'queue cards', readers => 'members');
revoke all on app.queue_cards from public, anon, authenticated;
grant select on app.queue_cards to authenticated;
grant select, insert, update, delete on app.queue_cards to service_role;

-- The cards of these executions as they are now (closed ones have none). Written as text
-- rather than with json_build_object (uuids, numbers and jsonb as their output, strings,
-- dates and times through to_json; no blanks between keys and values): ~60 % of the cost
-- and ~10 % fewer bytes to send. Times in UTC whatever the writer's session.
create or replace function app.queue_card_parts(ids uuid[])
returns table (execution_id uuid, org_id uuid, renewal_date date, decision_date date, head text, tail text)
language sql
stable
set search_path = ''
set timezone = 'UTC'
as $$
  with e as (
    select x.* from app.workflow_executions x
     where x.id = any(queue_card_parts.ids) and x.status in ('queued', 'in_progress', 'snoozed', 'escalated')
  ), titles as materialized (
    -- A step row's title is copied from its version's config (app.create_step_rows), and a
    -- queued execution has no step rows yet: the config is the source, read once per version.
    select v.id as version_id, st.step ->> 'key' as key, st.step ->> 'title' as title
      from (select distinct e.workflow_version_id from e) dv
      join app.workflow_versions v on v.id = dv.workflow_version_id
     cross join lateral jsonb_array_elements(v.config -> 'steps') as st(step)
  )
  select e.id, e.org_id, c.renewal_date, c.decision_date,
         -- head: the customer object left open for the day's fields.
         '{"execution_id":"' || e.id || '","workflow_key":' || to_json(w.key)
         || ',"workflow_name":' || to_json(w.name) || ',"workflow_type":' || to_json(w.workflow_type)
         || ',"status":' || to_json(e.status)
         || ',"lane":' || case coalesce(e.queue_lane, 3) when 1 then '"now"' when 2 then '"soon"' else '"planned"' end
         || ',"priority_score":' || e.priority_score::integer || ',"priority_factors":' || e.priority_factors
         || ',"customer":{"id":"' || c.id || '","name":' || to_json(c.name)
         || ',"domain":' || coalesce(to_json(c.domain)::text, 'null')
         || ',"arr":' || coalesce(c.arr::text, 'null')
         || ',"health_score":' || coalesce(c.health_score::text, 'null')
         || ',"account_plan":' || coalesce(to_json(c.account_plan)::text, 'null')
         || ',"renewal_date":' || coalesce(to_json(c.renewal_date)::text, 'null')
         || ',"decision_date":' || coalesce(to_json(c.decision_date)::text, 'null')
         || ',"assigned_to":' || coalesce('"' || c.assigned_to || '"', 'null')
         || ',"risk_score":' || coalesce(c.risk_score::text, 'null')
         || ',"opportunity_score":' || coalesce(c.opportunity_score::text, 'null'),
         -- tail: after the customer, without the item's closing brace.
         ',"assignee_id":' || coalesce('"' || e.assigned_to || '"', 'null')
         || ',"current_step":' || case when e.current_step_key is null then 'null' else
              '{"key":' || to_json(e.current_step_key)
              || ',"title":' || to_json(coalesce((select t.title from titles t
                                                      where t.version_id = e.workflow_version_id
                                                        and t.key = e.current_step_key), e.current_step_key))
              || ',"index":' || coalesce(e.current_step_index::text, 'null') || '}' end
         || ',"total_steps":' || e.total_steps || ',"completed_steps":' || e.completed_steps
         || ',"snoozed_until":' || coalesce(to_json(e.snoozed_until)::text, 'null')
         || ',"created_at":' || to_json(e.created_at)
    from e
    join app.customers c on c.id = e.customer_id
    join app.workflows w on w.id = e.workflow_id
$$;
comment on function app.queue_card_parts(uuid[]) is
  'The queue card of each of these executions that is open, rendered from the current rows (the one renderer of a queue item).';

-- Open executions whose card a large statement left to the job (see the header).
create table app.queue_cards_due (
  execution_id uuid primary key
);
comment on table app.queue_cards_due is
  'Executions whose queue card is to be rendered by app.queue_cards_render_due (a large statement changed them).';
alter table app.queue_cards_due enable row level security;
revoke all on app.queue_cards_due from public, anon, authenticated;
grant select, insert, update, delete on app.queue_cards_due to service_role;

-- Stores the cards of these executions as they are now; drops those no longer open.
create or replace function app.queue_cards_write(ids uuid[])
returns void
language plpgsql
security definer -- writes the derived table no role may write; called by triggers and the job
set search_path = ''
as $$
begin
  if ids is null or cardinality(ids) = 0 then
    return;
  end if;
  insert into app.queue_cards as k (execution_id, org_id, renewal_date, decision_date, head, tail)
  select p.execution_id, p.org_id, p.renewal_date, p.decision_date, p.head, p.tail
    from app.queue_card_parts(ids) p
   order by p.execution_id -- the lock order (see the header)
  on conflict (execution_id) do update
     set org_id = excluded.org_id, renewal_date = excluded.renewal_date, decision_date = excluded.decision_date,
         head = excluded.head, tail = excluded.tail
   where (k.org_id, k.renewal_date, k.decision_date, k.head, k.tail)
         is distinct from (excluded.org_id, excluded.renewal_date, excluded.decision_date, excluded.head, excluded.tail);
  delete from app.queue_cards k
   where k.execution_id = any(ids)
     and not exists (select 1 from app.workflow_executions e
                      where e.id = k.execution_id and e.status in ('queued', 'in_progress', 'snoozed', 'escalated'));
end;
$$;

-- Lists these executions in app.queue_cards_due, sorted; an entry already there is touched
-- to take its row lock (first in the lock order, see the header).
create or replace function app.queue_cards_list_due(ids uuid[])
returns void
language plpgsql
security definer -- see app.queue_cards_write
set search_path = ''
as $$
begin
  insert into app.queue_cards_due (execution_id)
  select distinct x.id from unnest(ids) x(id) where x.id is not null order by 1
  on conflict (execution_id) do update set execution_id = excluded.execution_id;
end;
$$;

-- A trigger's changed executions (`open_ids`: those open after the change; `fresh`: just
-- inserted, so without a card), listed for the job first, then rendered now, or when
-- there are more than renubu.queue_cards_inline_max open ones (2 000 unless set) their
-- cards dropped and the rendering left to the job.
create or replace function app.queue_cards_refresh(ids uuid[], open_ids uuid[], fresh boolean)
returns void
language plpgsql
security definer -- see app.queue_cards_write
set search_path = ''
as $$
begin
  if ids is null or cardinality(ids) = 0 then
    return;
  end if;
  -- Listed even when rendered now: a concurrent transaction may have rendered one of these
  -- cards from a row this one changes (it could not see the change yet) and written it
  -- after this one; the job's render after both have committed puts it right.
  perform app.queue_cards_list_due(ids);
  if app.within_inline_limit(cardinality(open_ids), 'renubu.queue_cards_inline_max', 2000) then
    perform app.queue_cards_write(ids);
  elsif not fresh then
    delete from app.queue_cards k where k.execution_id = any(ids);
  end if;
end;
$$;

-- The job: renders up to max_rows listed cards (oldest listing first does not matter: all
-- are due), and says how many it took.
create or replace function app.queue_cards_render_due(max_rows integer default 50000)
returns integer
language plpgsql
security definer -- see app.queue_cards_write
set search_path = ''
as $$
declare
  ids uuid[];
begin
  -- Two statements, not a DELETE … WHERE id IN (SELECT … LIMIT): planned while the list
  -- was empty (a seed fills it in the same transaction), that was a nested loop over the
  -- list for each of its rows, n x n.
  -- Skip locked: an entry a transaction holds is that transaction's card (see the header);
  -- the next run takes it.
  select array_agg(x.execution_id) into ids
    from (select d.execution_id from app.queue_cards_due d limit max_rows for update skip locked) x;
  delete from app.queue_cards_due d where d.execution_id = any(ids);
  perform app.queue_cards_write(ids);
  return coalesce(cardinality(ids), 0);
end;
$$;
comment on function app.queue_cards_render_due(integer) is
  'Renders the queue cards a large statement left (app.queue_cards_due), up to max_rows; returns how many. Run every minute by pg_cron.';

-- Executions: inserted open rows get a card; an update of a column the card shows
-- re-renders (a set difference, linear whatever the plan); deleted rows lose theirs.
create or replace function app.executions_keep_queue_cards()
returns trigger
language plpgsql
security definer -- see app.queue_cards_write
set search_path = ''
as $$
declare
  ids uuid[];
  open_ids uuid[];
begin
  if tg_op = 'INSERT' then
    select array_agg(n.id) into ids from new_rows n where n.status in ('queued', 'in_progress', 'snoozed', 'escalated');
    perform app.queue_cards_refresh(ids, ids, true);
  elsif tg_op = 'DELETE' then
    -- The entries first (the lock order, see the header).
    delete from app.queue_cards_due d using old_rows o where d.execution_id = o.id;
    delete from app.queue_cards k using old_rows o where k.execution_id = o.id;
  else
    select array_agg(x.id), array_agg(x.id) filter (where x.status in ('queued', 'in_progress', 'snoozed', 'escalated'))
      into ids, open_ids
      from (select n.id, n.status, n.queue_lane, n.priority_score, n.priority_factors, n.assigned_to, n.customer_id,
                   n.workflow_id, n.workflow_version_id, n.current_step_key, n.current_step_index, n.total_steps,
                   n.completed_steps, n.snoozed_until, n.created_at, n.org_id
              from new_rows n
            except
            select o.id, o.status, o.queue_lane, o.priority_score, o.priority_factors, o.assigned_to, o.customer_id,
                   o.workflow_id, o.workflow_version_id, o.current_step_key, o.current_step_index, o.total_steps,
                   o.completed_steps, o.snoozed_until, o.created_at, o.org_id
              from old_rows o) x;
    perform app.queue_cards_refresh(ids, open_ids, false);
  end if;
  return null;
end;
$$;

create or replace function app.executions_truncate_queue_cards()
returns trigger
language plpgsql
security definer -- see app.queue_cards_write
set search_path = ''
as $$
begin
  truncate app.queue_cards, app.queue_cards_due;
  return null;
end;
$$;

-- Customers: a change of what the card shows re-renders the customer's open executions.
create or replace function app.customers_keep_queue_cards()
returns trigger
language plpgsql
security definer -- see app.queue_cards_write
set search_path = ''
as $$
declare
  ids uuid[];
begin
  select array_agg(e.id) into ids
    from (select n.id, n.name, n.domain, n.arr, n.health_score, n.account_plan, n.renewal_date, n.decision_date,
                 n.assigned_to, n.risk_score, n.opportunity_score
            from new_rows n
          except
          select o.id, o.name, o.domain, o.arr, o.health_score, o.account_plan, o.renewal_date, o.decision_date,
                 o.assigned_to, o.risk_score, o.opportunity_score
            from old_rows o) x
    join app.workflow_executions e on e.customer_id = x.id
   where e.status in ('queued', 'in_progress', 'snoozed', 'escalated');
  perform app.queue_cards_refresh(ids, ids, false);
  return null;
end;
$$;

-- Workflows (key, name, type) and versions (the step titles in config).
create or replace function app.workflows_keep_queue_cards()
returns trigger
language plpgsql
security definer -- see app.queue_cards_write
set search_path = ''
as $$
declare
  ids uuid[];
begin
  if tg_table_name = 'workflows' then
    select array_agg(e.id) into ids
      from (select n.id, n.key, n.name, n.workflow_type from new_rows n
            except
            select o.id, o.key, o.name, o.workflow_type from old_rows o) x
      join app.workflow_executions e on e.workflow_id = x.id
     where e.status in ('queued', 'in_progress', 'snoozed', 'escalated');
  else
    select array_agg(e.id) into ids
      from (select n.id, n.config from new_rows n
            except
            select o.id, o.config from old_rows o) x
      join app.workflow_executions e on e.workflow_version_id = x.id
     where e.status in ('queued', 'in_progress', 'snoozed', 'escalated');
  end if;
  perform app.queue_cards_refresh(ids, ids, false);
  return null;
end;
$$;

revoke execute on function app.queue_card_parts(uuid[]) from public, anon;
revoke execute on function app.queue_cards_write(uuid[]) from public, anon, authenticated;
revoke execute on function app.queue_cards_list_due(uuid[]) from public, anon, authenticated;
revoke execute on function app.queue_cards_refresh(uuid[], uuid[], boolean) from public, anon, authenticated;
revoke execute on function app.queue_cards_render_due(integer) from public, anon, authenticated;
revoke execute on function app.executions_keep_queue_cards() from public, anon, authenticated;
revoke execute on function app.executions_truncate_queue_cards() from public, anon, authenticated;
revoke execute on function app.customers_keep_queue_cards() from public, anon, authenticated;
revoke execute on function app.workflows_keep_queue_cards() from public, anon, authenticated;
-- Security invoker: a page renders a missing card with the caller's own read rights.
grant execute on function app.queue_card_parts(uuid[]) to authenticated, service_role;


-- The escalation loop and honest completion (docs/escalation-loop.md "Execution lifecycle",
-- "Escalation, hand-back and reassignment"; docs/escalation-loop.md "Escalation, waking,
-- reassignment").
--
--                   escalate (execute_action)
--   queued ───────────────────────────────────────────►
--   in_progress ──────────────────────────────────────► escalated  (a hold: read and chat only)
--   snoozed ──────────────────────────────────────────►    │
--      ▲   withdraw_escalation (assignee)                  │
--      └── resolve_escalation: return (handed back, lane now) ◄┤  back to the status it had
--          resolve_escalation: reassign (new assignee) ◄───────┤  (a snooze that has run out
--                                                              │   returns to the queue)
--          cancelled ◄── resolve_escalation: close ────────────┘
--
--   snoozed ── wake_workflow (assignee or a manager) ─► queued | in_progress
--   queued | in_progress | snoozed ── cancel_workflow(reason) ─► cancelled
--   in_progress ── complete_workflow ─► completed | completed_with_pending_tasks
--                  (steps left: only with skip_remaining and a reason; they become skipped;
--                   nothing done at all: the workflow is `skipped`)
--   any open but escalated ── reassign_workflow (managers) ─► same status, new assignee
--
-- Who: the assignee (a csm) withdraws, wakes, cancels and completes; managers and admins of
-- the organisation do all of that and alone resolve and reassign; viewers do nothing.
-- An escalated workflow refuses start_workflow, complete_workflow, cancel_workflow,
-- execute_action (and complete_step, owned by the branches work) until it is withdrawn or
-- resolved. Every transition appends to metadata.history; notifications follow in the
-- same transaction (the assignment and wake notifications by trigger, see
-- 20261204001000_notifications.sql).

-- The hint that goes with "it is escalated".
create or replace function app.escalated_hint()
returns text
language sql
immutable
set search_path = ''
as $$
  select 'Its assignee can withdraw the escalation; a manager can return, reassign or close it.'::text
$$;
revoke execute on function app.escalated_hint() from public, anon;
grant execute on function app.escalated_hint() to authenticated, service_role;

-- A non-blank text argument, or 22023 naming it.
create or replace function app.required_text(value text, name text, what text)
returns text
language plpgsql
immutable
set search_path = ''
as $$
begin
  if nullif(btrim(required_text.value), '') is null then
    raise exception '% is required %', required_text.name, required_text.what using errcode = '22023';
  end if;
  if length(required_text.value) > 2000 then
    raise exception '% must be at most 2000 characters', required_text.name using errcode = '22023';
  end if;
  return btrim(required_text.value);
end;
$$;
revoke execute on function app.required_text(text, text, text) from public, anon;
grant execute on function app.required_text(text, text, text) to authenticated, service_role;

-- A person of the caller's organisation who can own workflows (not a viewer), or 22023.
create or replace function app.require_assignable_person(org_id uuid, person_id uuid)
returns app.profiles
language plpgsql
stable
set search_path = ''
as $$
declare
  p app.profiles;
begin
  if require_assignable_person.person_id is null then
    raise exception 'assignee_id is required: the person who takes the workflow over' using errcode = '22023';
  end if;
  select * into p from app.profiles x where x.id = require_assignable_person.person_id and x.org_id = require_assignable_person.org_id;
  if not found or p.role = 'viewer' then
    raise exception 'assignee_id must be a CSM, manager or admin of your organisation' using errcode = '22023',
      hint = 'Pick someone from list_team_members who is not a viewer.';
  end if;
  return p;
end;
$$;
revoke execute on function app.require_assignable_person(uuid, uuid) from public, anon;
grant execute on function app.require_assignable_person(uuid, uuid) to authenticated, service_role;

-- Locks the execution for a manager's decision: PT404 when not visible, 42501 unless the
-- caller is a manager or admin. Workload locks of both people first, in a fixed order.
create or replace function app.lock_execution_for_manager(execution_id uuid, verb text, other_assignee uuid default null)
returns app.workflow_executions
language plpgsql
set search_path = ''
as $$
declare
  e app.workflow_executions;
begin
  if lock_execution_for_manager.execution_id is null then
    raise exception 'execution_id is required' using errcode = '22023', hint = 'Pass the id of a workflow execution.';
  end if;
  select * into e from app.workflow_executions x where x.id = lock_execution_for_manager.execution_id;
  if not found then
    raise exception 'Workflow execution not found' using errcode = 'PT404',
      hint = 'Check the id; you can only see workflows of your own organisation.';
  end if;
  if coalesce(app.current_member_role(), '') not in ('manager', 'admin') then
    raise exception 'Only a manager or an admin may % this workflow', lock_execution_for_manager.verb using errcode = '42501',
      hint = 'Ask your manager.';
  end if;
  perform app.lock_assignee_workload(x.id)
     from (select e.assigned_to as id union select lock_execution_for_manager.other_assignee) x
    where x.id is not null
    order by x.id;
  select * into e from app.workflow_executions x where x.id = e.id for update;
  return e;
end;
$$;
revoke execute on function app.lock_execution_for_manager(uuid, text, uuid) from public, anon;
grant execute on function app.lock_execution_for_manager(uuid, text, uuid) to authenticated, service_role;

-- The open escalation of an escalated execution, locked; PT409 when it is not escalated.
create or replace function app.lock_open_escalation(e app.workflow_executions, verb text)
returns app.workflow_escalations
language plpgsql
set search_path = ''
as $$
declare
  esc app.workflow_escalations;
begin
  if e.status <> 'escalated' then
    raise exception 'Cannot % this workflow: it is not escalated (it is %)', lock_open_escalation.verb, app.status_words(e.status)
      using errcode = 'PT409', hint = 'Only an open escalation can be withdrawn or decided.';
  end if;
  select * into esc from app.workflow_escalations x where x.execution_id = e.id and x.status = 'open' for update;
  if not found then
    raise exception 'Cannot % this workflow: its escalation is not on record', lock_open_escalation.verb using errcode = 'PT409',
      hint = 'Ask an admin to look at the workflow''s history.';
  end if;
  return esc;
end;
$$;
revoke execute on function app.lock_open_escalation(app.workflow_executions, text) from public, anon;
grant execute on function app.lock_open_escalation(app.workflow_executions, text) to authenticated, service_role;

-- Where an execution goes when its escalation ends without closing it: the status it had,
-- except that a snooze which ran out meanwhile returns it to work.
create or replace function app.status_after_escalation(e app.workflow_executions, esc app.workflow_escalations)
returns table (status text, snoozed_until timestamptz)
language sql
stable
set search_path = ''
as $$
  select case
           when esc.from_status = 'snoozed' and esc.from_snoozed_until > now() then 'snoozed'
           when esc.from_status = 'snoozed' then case when e.started_at is null then 'queued' else 'in_progress' end
           else esc.from_status end,
         case when esc.from_status = 'snoozed' and esc.from_snoozed_until > now() then esc.from_snoozed_until end
$$;
revoke execute on function app.status_after_escalation(app.workflow_executions, app.workflow_escalations) from public, anon;
grant execute on function app.status_after_escalation(app.workflow_executions, app.workflow_escalations) to authenticated, service_role;

-- The customer's and workflow's names for notification titles.
create or replace function app.execution_label(e app.workflow_executions)
returns text
language sql
stable
set search_path = ''
as $$
  select w.name || ' for ' || c.name
    from app.workflows w, app.customers c
   where w.id = e.workflow_id and c.id = e.customer_id
$$;
revoke execute on function app.execution_label(app.workflow_executions) from public, anon;
grant execute on function app.execution_label(app.workflow_executions) to authenticated, service_role;

create or replace function public.complete_workflow(
  execution_id uuid,
  outcome jsonb default '{}'::jsonb,
  skip_remaining boolean default false,
  reason text default null
)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  e app.workflow_executions;
  v_left text[];
  v_reason text;
  v_done integer;
  v_skipped integer;
  v_pending boolean;
begin
  if complete_workflow.outcome is not null and jsonb_typeof(complete_workflow.outcome) <> 'object' then
    raise exception 'outcome must be a JSON object' using errcode = '22023';
  end if;
  e := app.lock_execution(complete_workflow.execution_id, 'complete');
  if e.status <> 'in_progress' then
    raise exception 'Cannot complete this workflow: it is %',
      case when e.status = 'escalated' then 'escalated and waits for a decision' else app.status_words(e.status) end
      using errcode = 'PT409',
      hint = case when e.status in ('queued', 'snoozed') then 'Start the workflow first.'
                  when e.status = 'escalated' then app.escalated_hint()
                  else 'Closed workflows cannot change.' end;
  end if;
  perform app.create_step_rows(array[e.id]);
  select coalesce(array_agg(s.step_key order by s.step_index), '{}') into v_left
    from app.workflow_step_executions s
   where s.execution_id = e.id and s.org_id = e.org_id and s.status in ('pending', 'in_progress');
  if cardinality(v_left) > 0 then
    if not coalesce(complete_workflow.skip_remaining, false) then
      raise exception 'Cannot complete this workflow: % of its steps % not done', cardinality(v_left),
        case when cardinality(v_left) = 1 then 'is' else 'are' end
        using errcode = 'PT409', detail = cardinality(v_left)::text,
        hint = 'Finish them, or pass skip_remaining: true with a reason to mark them skipped.';
    end if;
    v_reason := app.required_text(complete_workflow.reason, 'reason', 'to skip the steps that are not done');
    update app.workflow_step_executions s
       set status = 'skipped', skip_reason = v_reason, completed_at = now()
     where s.execution_id = e.id and s.org_id = e.org_id and s.status in ('pending', 'in_progress');
    update app.workflow_executions x
       set metadata = app.with_history(x.metadata, jsonb_build_object(
             'event', 'steps_skipped', 'reason', v_reason, 'step_keys', to_jsonb(v_left)))
     where x.id = e.id;
  end if;

  select count(*) filter (where s.status = 'completed'), count(*) filter (where s.status = 'skipped')
    into v_done, v_skipped
    from app.workflow_step_executions s where s.execution_id = e.id and s.org_id = e.org_id;
  if v_done = 0 and v_skipped > 0 then
    -- Nothing was done: the workflow was skipped, not completed.
    select exists (select 1 from app.workflow_tasks t
                    where t.execution_id = e.id and t.status in ('pending', 'in_progress', 'snoozed'))
      into v_pending;
    update app.workflow_executions x
       set status = 'skipped',
           completed_at = now(),
           snoozed_until = null,
           current_step_key = null,
           current_step_index = null,
           completed_steps = x.total_steps,
           outcome = coalesce(complete_workflow.outcome, '{}'::jsonb) || jsonb_build_object('skip_reason', v_reason),
           metadata = app.with_history(x.metadata, jsonb_build_object('event', 'skipped', 'reason', v_reason,
                        'pending_tasks', v_pending))
     where x.id = e.id;
  else
    perform app.complete_execution(e.id, complete_workflow.outcome, 'complete_workflow');
  end if;
  return app.execution_summary(e.id) || jsonb_build_object(
    'steps_done', v_done, 'steps_skipped', v_skipped, 'skipped_now', to_jsonb(v_left));
end;
$$;
comment on function public.complete_workflow(uuid, jsonb, boolean, text) is
  'in_progress -> completed (or completed_with_pending_tasks); steps not done need skip_remaining and a reason and become skipped; with nothing done the workflow is skipped.';
revoke execute on function public.complete_workflow(uuid, jsonb, boolean, text) from public, anon;
grant execute on function public.complete_workflow(uuid, jsonb, boolean, text) to authenticated;

---------------------------------------------------------------------------------------
-- cancel_workflow
---------------------------------------------------------------------------------------
create or replace function public.cancel_workflow(execution_id uuid, reason text)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  e app.workflow_executions;
  v_reason text;
begin
  v_reason := app.required_text(cancel_workflow.reason, 'reason', 'to cancel a workflow');
  e := app.lock_execution(cancel_workflow.execution_id, 'cancel');
  if e.status not in ('queued', 'in_progress', 'snoozed') then
    raise exception 'Cannot cancel this workflow: it is %', app.status_words(e.status) using errcode = 'PT409',
      hint = case when e.status = 'escalated' then 'Withdraw the escalation first, or ask a manager to close it.'
                  else 'Closed workflows cannot change.' end;
  end if;
  update app.workflow_executions x
     set status = 'cancelled',
         snoozed_until = null,
         outcome = coalesce(x.outcome, '{}'::jsonb) || jsonb_build_object('cancelled', true, 'reason', v_reason),
         metadata = app.with_history(x.metadata, jsonb_build_object('event', 'cancelled', 'reason', v_reason,
                      'from_status', e.status))
   where x.id = e.id;
  perform app.notify(e.org_id, e.assigned_to, 'system', 'Cancelled: ' || app.execution_label(e), v_reason,
                     jsonb_build_object('execution_id', e.id, 'event', 'cancelled', 'by', (select auth.uid())));
  return app.execution_summary(e.id);
end;
$$;
comment on function public.cancel_workflow(uuid, text) is
  'queued, in_progress or snoozed -> cancelled with a reason (its CSM, a manager or an admin).';
revoke execute on function public.cancel_workflow(uuid, text) from public, anon;
grant execute on function public.cancel_workflow(uuid, text) to authenticated;

---------------------------------------------------------------------------------------
-- wake_workflow
---------------------------------------------------------------------------------------
create or replace function public.wake_workflow(execution_id uuid)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  e app.workflow_executions;
begin
  e := app.lock_execution(wake_workflow.execution_id, 'wake');
  if e.status <> 'snoozed' then
    raise exception 'Cannot wake this workflow: it is not snoozed (it is %)', app.status_words(e.status)
      using errcode = 'PT409', hint = 'Only a snoozed workflow can be woken.';
  end if;
  update app.workflow_executions x
     set status = case when x.started_at is null then 'queued' else 'in_progress' end,
         snoozed_until = null,
         metadata = app.with_history(x.metadata, jsonb_build_object('event', 'woken', 'early', true,
                      'snoozed_until', e.snoozed_until))
   where x.id = e.id;
  return app.execution_summary(e.id);
end;
$$;
comment on function public.wake_workflow(uuid) is 'Ends a snooze early (its assignee, a manager or an admin): back to queued or in_progress.';
revoke execute on function public.wake_workflow(uuid) from public, anon;
grant execute on function public.wake_workflow(uuid) to authenticated;

---------------------------------------------------------------------------------------
-- withdraw_escalation
---------------------------------------------------------------------------------------
create or replace function public.withdraw_escalation(execution_id uuid, reason text)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_me uuid := (select auth.uid());
  e app.workflow_executions;
  esc app.workflow_escalations;
  v_reason text;
  v_status text;
  v_until timestamptz;
begin
  v_reason := app.required_text(withdraw_escalation.reason, 'reason', 'to withdraw an escalation');
  e := app.lock_execution(withdraw_escalation.execution_id, 'withdraw the escalation of');
  esc := app.lock_open_escalation(e, 'withdraw the escalation of');
  if v_me is distinct from e.assigned_to and v_me is distinct from esc.escalated_by then
    raise exception 'Only its assignee can withdraw an escalation' using errcode = '42501',
      hint = 'As a manager, decide it with resolve_escalation (return, reassign or close).';
  end if;
  select x.status, x.snoozed_until into v_status, v_until from app.status_after_escalation(e, esc) x;
  update app.workflow_escalations x
     set status = 'withdrawn', resolved_by = v_me, resolved_at = now(), resolution_note = v_reason
   where x.id = esc.id;
  update app.workflow_executions x
     set status = v_status,
         snoozed_until = v_until,
         metadata = app.with_history(x.metadata, jsonb_build_object('event', 'escalation_withdrawn',
                      'escalation_id', esc.id, 'reason', v_reason, 'to_status', v_status))
   where x.id = e.id;
  perform app.notify(e.org_id, esc.manager_id, 'escalation_resolved', 'Escalation withdrawn: ' || app.execution_label(e),
                     v_reason, jsonb_build_object('execution_id', e.id, 'escalation_id', esc.id, 'decision', 'withdrawn',
                                                  'by', v_me));
  return app.execution_summary(e.id) || jsonb_build_object('escalation_id', esc.id, 'escalation_status', 'withdrawn');
end;
$$;
comment on function public.withdraw_escalation(uuid, text) is
  'Its assignee takes an escalation back with a reason: the workflow returns to the status it had; the manager is notified.';
revoke execute on function public.withdraw_escalation(uuid, text) from public, anon;
grant execute on function public.withdraw_escalation(uuid, text) to authenticated;

---------------------------------------------------------------------------------------
-- resolve_escalation
---------------------------------------------------------------------------------------


---------------------------------------------------------------------------------------
-- public.resolve_escalation: guard, lock, the new assignee (reassign), the statuses the
-- decision leads to, then the escalation, the execution, its open tasks, the notices.
---------------------------------------------------------------------------------------

-- The person a reassigned escalated workflow goes to: assignable, and not its assignee.
create or replace function app.escalation_new_assignee(e app.workflow_executions, assignee_id uuid)
returns app.profiles
language plpgsql
stable
set search_path = ''
as $$
declare
  v_new app.profiles := app.require_assignable_person(e.org_id, escalation_new_assignee.assignee_id);
begin
  if v_new.id = e.assigned_to then
    raise exception 'assignee_id is already the assignee' using errcode = '22023',
      hint = 'To give the workflow back to them, use the decision return.';
  end if;
  return v_new;
end;
$$;
revoke execute on function app.escalation_new_assignee(app.workflow_executions, uuid) from public, anon;
grant execute on function app.escalation_new_assignee(app.workflow_executions, uuid) to authenticated;

-- The escalated execution after a manager's decision: the status it goes to (close:
-- cancelled with the reason; else the one it had), its assignee (reassign), its history.
create or replace function app.resolve_escalated_execution(
  e app.workflow_executions, esc app.workflow_escalations, decision text, note text, new_assignee uuid)
returns text
language plpgsql
set search_path = ''
as $$
declare
  v_status text := 'cancelled';
  v_until timestamptz;
begin
  if resolve_escalated_execution.decision <> 'close' then
    select x.status, x.snoozed_until into v_status, v_until from app.status_after_escalation(e, esc) x;
  end if;
  update app.workflow_executions x
     set status = v_status,
         snoozed_until = v_until,
         assigned_to = coalesce(resolve_escalated_execution.new_assignee, x.assigned_to),
         outcome = case when v_status = 'cancelled'
                        then coalesce(x.outcome, '{}'::jsonb) || jsonb_build_object('cancelled', true, 'reason', resolve_escalated_execution.note,
                               'decision', 'close')
                        else x.outcome end,
         metadata = app.with_history(x.metadata, jsonb_strip_nulls(jsonb_build_object(
                      'event', 'escalation_resolved', 'escalation_id', esc.id, 'decision', resolve_escalated_execution.decision,
                      'note', resolve_escalated_execution.note, 'reason', resolve_escalated_execution.note, 'to_status', v_status, 'from_assignee', e.assigned_to,
                      'to_assignee', resolve_escalated_execution.new_assignee)))
                    || case when v_status = 'cancelled' then '{}'::jsonb
                            else jsonb_build_object('handed_back_at', now()) end
   where x.id = e.id;
  return v_status;
end;
$$;
revoke execute on function app.resolve_escalated_execution(app.workflow_executions, app.workflow_escalations, text, text, uuid)
  from public, anon;
grant execute on function app.resolve_escalated_execution(app.workflow_executions, app.workflow_escalations, text, text, uuid)
  to authenticated;

-- Tells the assignee (and whoever escalated, when someone else) what the manager decided.
create or replace function app.notify_escalation_decision(
  e app.workflow_executions, esc app.workflow_escalations, decision text, note text, new_assignee app.profiles)
returns void
language plpgsql
set search_path = ''
as $$
declare
  v_to uuid := coalesce(e.assigned_to, esc.assignee_id);
  v_title text := case decision
    when 'return' then 'Returned to you with guidance: '
    when 'reassign' then 'Reassigned to ' || new_assignee.full_name || ': '
    else 'Closed by your manager: ' end || app.execution_label(e);
  v_data jsonb := jsonb_build_object('execution_id', e.id, 'escalation_id', esc.id, 'decision', decision,
                                     'by', (select auth.uid()), 'assignee_id', coalesce(new_assignee.id, e.assigned_to));
begin
  perform app.notify(e.org_id, v_to, 'escalation_resolved', v_title, note, v_data);
  if esc.escalated_by is distinct from v_to then
    perform app.notify(e.org_id, esc.escalated_by, 'escalation_resolved', v_title, note, v_data);
  end if;
end;
$$;
revoke execute on function app.notify_escalation_decision(app.workflow_executions, app.workflow_escalations, text, text, app.profiles)
  from public, anon;
grant execute on function app.notify_escalation_decision(app.workflow_executions, app.workflow_escalations, text, text, app.profiles)
  to authenticated;
create or replace function public.resolve_escalation(execution_id uuid, decision text, note text, assignee_id uuid default null)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  e app.workflow_executions;
  esc app.workflow_escalations;
  v_note text;
  v_new app.profiles;
  v_esc_status text := case resolve_escalation.decision
                         when 'return' then 'returned' when 'reassign' then 'reassigned' else 'closed' end;
begin
  if resolve_escalation.decision is null or resolve_escalation.decision not in ('return', 'reassign', 'close') then
    raise exception 'decision must be one of: return, reassign, close' using errcode = '22023';
  end if;
  v_note := app.required_text(resolve_escalation.note, 'note',
    case resolve_escalation.decision when 'return' then 'to return an escalation (guidance for the assignee)'
                                     when 'reassign' then 'to reassign an escalated workflow'
                                     else 'to close an escalated workflow (the reason)' end);
  if resolve_escalation.decision <> 'reassign' and resolve_escalation.assignee_id is not null then
    raise exception 'assignee_id is only for the decision reassign' using errcode = '22023';
  end if;
  e := app.lock_execution_for_manager(resolve_escalation.execution_id, 'resolve the escalation of', resolve_escalation.assignee_id);
  esc := app.lock_open_escalation(e, 'resolve the escalation of');
  if resolve_escalation.decision = 'reassign' then
    v_new := app.escalation_new_assignee(e, resolve_escalation.assignee_id);
  end if;

  update app.workflow_escalations x
     set status = v_esc_status, resolved_by = (select auth.uid()), resolved_at = now(), resolution_note = v_note,
         reassigned_to = v_new.id
   where x.id = esc.id;
  perform app.resolve_escalated_execution(e, esc, resolve_escalation.decision, v_note, v_new.id);
  if v_new.id is not null then
    -- Open tasks of this workflow follow it to its new assignee.
    update app.workflow_tasks t set assigned_to = v_new.id
     where t.execution_id = e.id and t.org_id = e.org_id and t.assigned_to = e.assigned_to
       and t.status in ('pending', 'in_progress', 'snoozed');
  end if;
  perform app.notify_escalation_decision(e, esc, resolve_escalation.decision, v_note, v_new);
  return app.execution_summary(e.id) || jsonb_build_object('escalation_id', esc.id, 'escalation_status', v_esc_status,
                                                           'decision', resolve_escalation.decision);
end;
$$;
comment on function public.resolve_escalation(uuid, text, text, uuid) is
  'Managers and admins decide an open escalation: return (with guidance), reassign (assignee_id) or close (cancelled); the assignee is notified.';
revoke execute on function public.resolve_escalation(uuid, text, text, uuid) from public, anon;
grant execute on function public.resolve_escalation(uuid, text, text, uuid) to authenticated;

---------------------------------------------------------------------------------------
-- reassign_workflow
---------------------------------------------------------------------------------------
create or replace function public.reassign_workflow(execution_id uuid, assignee_id uuid, reason text)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  e app.workflow_executions;
  v_new app.profiles;
  v_reason text;
begin
  v_reason := app.required_text(reassign_workflow.reason, 'reason', 'to reassign a workflow');
  e := app.lock_execution_for_manager(reassign_workflow.execution_id, 'reassign', reassign_workflow.assignee_id);
  v_new := app.require_assignable_person(e.org_id, reassign_workflow.assignee_id);
  if e.status = 'escalated' then
    raise exception 'Cannot reassign this workflow: it is escalated and waits for a decision' using errcode = 'PT409',
      hint = 'Decide the escalation with resolve_escalation and the decision reassign.';
  end if;
  if not app.is_open_status(e.status) then
    raise exception 'Cannot reassign this workflow: it is %', app.status_words(e.status) using errcode = 'PT409',
      hint = 'Closed workflows cannot change.';
  end if;
  if v_new.id = e.assigned_to then
    raise exception 'assignee_id is already the assignee of this workflow' using errcode = '22023';
  end if;
  update app.workflow_executions x
     set assigned_to = v_new.id,
         metadata = app.with_history(x.metadata, jsonb_build_object('event', 'reassigned', 'reason', v_reason,
                      'from_assignee', e.assigned_to, 'to_assignee', v_new.id))
   where x.id = e.id;
  update app.workflow_tasks t set assigned_to = v_new.id
   where t.execution_id = e.id and t.org_id = e.org_id and t.assigned_to = e.assigned_to
     and t.status in ('pending', 'in_progress', 'snoozed');
  -- The new assignee hears of it from the assignment trigger; the previous one here.
  perform app.notify(e.org_id, e.assigned_to, 'workflow_assigned',
                     'Reassigned to ' || v_new.full_name || ': ' || app.execution_label(e), v_reason,
                     jsonb_build_object('execution_id', e.id, 'assignee_id', v_new.id, 'previous_assignee_id', e.assigned_to,
                                        'by', (select auth.uid())));
  return app.execution_summary(e.id);
end;
$$;
comment on function public.reassign_workflow(uuid, uuid, text) is
  'Managers and admins give an open (not escalated) workflow and its open tasks to another person, with a reason; both are notified.';
revoke execute on function public.reassign_workflow(uuid, uuid, text) from public, anon;
grant execute on function public.reassign_workflow(uuid, uuid, text) to authenticated;

---------------------------------------------------------------------------------------
-- list_escalations: reads the inbox through the index — the open escalations oldest first
-- (index order of workflow_escalations_org_id_status_idx) and, apart, the latest 500
-- resolved ones; one sort over every escalation of the organisation would cost most of
-- them on a large organisation (2 % of a million executions escalated).
---------------------------------------------------------------------------------------
create or replace function public.list_escalations(status text default 'open')
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_org uuid := app.current_org_id();
  v_me uuid := (select auth.uid());
begin
  if v_org is null or coalesce(app.current_member_role(), '') not in ('manager', 'admin') then
    raise exception 'Only managers and admins see the escalations inbox' using errcode = '42501',
      hint = 'Your escalations are on the workflows themselves.';
  end if;
  if list_escalations.status is null or list_escalations.status not in ('open', 'resolved', 'all') then
    raise exception 'status must be one of: open, resolved, all' using errcode = '22023';
  end if;
  return coalesce((
    select jsonb_agg(jsonb_build_object(
             'id', x.id,
             'execution_id', x.execution_id,
             'status', x.status,
             'level', x.level,
             'reason', x.reason,
             'escalated_at', x.created_at,
             'age_hours', floor(extract(epoch from now() - x.created_at) / 3600)::integer,
             'age_days', floor(extract(epoch from now() - x.created_at) / 86400)::integer,
             'escalated_by', case when x.escalated_by is null then null
                                  else jsonb_build_object('id', x.escalated_by, 'full_name', pb.full_name) end,
             'assignee', case when x.assignee_id is null then null
                              else jsonb_build_object('id', x.assignee_id, 'full_name', pa.full_name) end,
             'manager', case when x.manager_id is null then null
                             else jsonb_build_object('id', x.manager_id, 'full_name', pm.full_name) end,
             'is_mine', x.manager_id = v_me,
             'execution_status', e.status,
             'workflow', jsonb_build_object('key', w.key, 'name', w.name, 'type', w.workflow_type),
             'customer', jsonb_build_object('id', c.id, 'name', c.name, 'arr', c.arr, 'health_score', c.health_score,
                                            'renewal_date', c.renewal_date, 'decision_date', c.decision_date,
                                            'renewal_stage', c.renewal_stage),
             'resolution', case when x.status = 'open' then null else jsonb_build_object(
                             'status', x.status, 'note', x.resolution_note, 'at', x.resolved_at,
                             'by', jsonb_build_object('id', x.resolved_by, 'full_name', pr.full_name),
                             'reassigned_to', case when x.reassigned_to is null then null
                                                   else jsonb_build_object('id', x.reassigned_to, 'full_name', pn.full_name) end) end)
           order by case when x.status = 'open' then x.created_at end asc nulls last, x.resolved_at desc)
      from ((select y.* from app.workflow_escalations y
               where y.org_id = v_org and y.status = 'open' and list_escalations.status in ('open', 'all')
               order by y.created_at
               limit 500)
            union all
            (select y.* from app.workflow_escalations y
              where y.org_id = v_org and y.status <> 'open' and list_escalations.status in ('resolved', 'all')
              order by y.resolved_at desc
              limit 500)) x
      join app.workflow_executions e on e.id = x.execution_id
      join app.workflows w on w.id = e.workflow_id
      join app.customers c on c.id = e.customer_id
      left join app.profiles pb on pb.id = x.escalated_by
      left join app.profiles pa on pa.id = x.assignee_id
      left join app.profiles pm on pm.id = x.manager_id
      left join app.profiles pr on pr.id = x.resolved_by
      left join app.profiles pn on pn.id = x.reassigned_to), '[]'::jsonb);
end;
$$;
revoke execute on function public.list_escalations(text) from public, anon;
grant execute on function public.list_escalations(text) to authenticated;
comment on function public.list_escalations(text) is
  'Managers and admins: the organisation''s escalations (open oldest first, then resolved newest first) with customer, assignee, reason, age and resolution.';

-- Every escalated workflow has its open escalation row, however it became escalated.
--
-- Why: list_escalations, the team overview and the decisions read app.workflow_escalations,
-- but executions can be written escalated without execute_action: the scale seed inserts
-- 2 % of its executions escalated (with the escalation in metadata.history), imports and
-- restores may do the same. A trigger on insert and on a status change to `escalated`
-- opens the row from the execution's metadata (the last metadata.escalations entry, else
-- the last `escalated` history event) when none is open, so such workflows are in the
-- inbox and can be withdrawn or decided. app.action_escalate (20261204000600_actions_and_outbox.sql) writes
-- its row before the status, so the trigger finds it and adds nothing.

create or replace function app.executions_open_their_escalation()
returns trigger
language plpgsql
security definer -- records the escalation of a workflow written escalated by anyone (seeds, imports)
set search_path = ''
as $$
declare
  v_entry jsonb;
begin
  if exists (select 1 from app.workflow_escalations x where x.execution_id = new.id and x.status = 'open') then
    return null;
  end if;
  v_entry := coalesce(
    new.metadata -> 'escalations' -> -1,
    (select h.entry from jsonb_array_elements(coalesce(new.metadata -> 'history', '[]'::jsonb)) with ordinality as h(entry, n)
      where h.entry ->> 'event' = 'escalated' order by h.n desc limit 1),
    '{}'::jsonb);
  insert into app.workflow_escalations (org_id, execution_id, level, reason, escalated_by, assignee_id, manager_id,
                                        from_status, created_at)
  values (new.org_id, new.id, coalesce(v_entry ->> 'level', 'manager'),
          coalesce(nullif(btrim(v_entry ->> 'reason'), ''), 'Escalated'),
          case when (v_entry ->> 'by') ~ '^[0-9a-f-]{36}$' then (v_entry ->> 'by')::uuid end,
          new.assigned_to,
          coalesce((select p.id from app.profiles p
                     where p.org_id = new.org_id and (v_entry ->> 'manager_id') ~ '^[0-9a-f-]{36}$'
                       and p.id = (v_entry ->> 'manager_id')::uuid),
                   (select p.manager_id from app.profiles p where p.id = new.assigned_to and p.org_id = new.org_id)),
          case when v_entry ->> 'from_status' in ('queued', 'in_progress') then v_entry ->> 'from_status'
               when new.started_at is null then 'queued' else 'in_progress' end,
          coalesce(case when (v_entry ->> 'at') ~ '^\d{4}-' then (v_entry ->> 'at')::timestamptz end, now()))
  on conflict do nothing;
  return null;
end;
$$;
revoke execute on function app.executions_open_their_escalation() from public, anon;

-- Chat branches route (issue 12 item 2; docs/branches-and-proposals.md "Chat branches route"): choosing a
-- `fixed` or `saved_action` branch moves the workflow where the branch says, and an
-- escalated workflow is a hold for complete_step.
--
-- Why: a fixed branch does not always lead to the NEXT step and a saved-action branch
-- returns to its own step (6 of 16 fixed branches of the catalogue jump, 16 saved-action
-- branches return elsewhere), so the route is the database's, read from `next_step_key`
-- and `return_step_key`, not guessed by the web app.
--
-- public.choose_chat_branch(execution_id, step_key, branch_key, params, idempotency_key)
-- is the one door, in one transaction:
--
--   fixed         step X completed ──► next_step_key T (else the next step)
--                 forward:  pending steps between X and T become skipped "Not applicable"
--                 backward: T is reopened (in_progress again); the steps after it keep
--                           their state, so finishing T continues with the next pending step
--   saved_action  execute_action(saved_action_key, branch defaults || params, key) as the
--                 caller (the CSM confirmed the prefilled form); then return_step_key T
--                 becomes the current step the same way (X completed, jumped steps
--                 skipped); without T, or T = where the action left the workflow: stay
--   llm | rag     not routed here: they open a chat (create_chat_thread)
--
-- Guard first: the execution is locked (workload lock, then the row), must be
-- `in_progress` (escalated is a hold: PT409), and the branch's step must be the current
-- one, so a stale screen or a double click never routes twice. A replayed saved-action
-- idempotency key returns the stored action result and routes nothing.
--
-- complete_step (below) refuses an escalated workflow, since escalated is a hold
-- (complete_chat_thread goes through it too).

-- ---------------------------------------------------------------------------------
-- app.route_execution_step: move the current step to a branch's target
-- ---------------------------------------------------------------------------------
create or replace function app.route_execution_step(
  execution_id uuid,
  from_step_key text,
  target_step_key text,
  outcome jsonb
)
returns jsonb
language plpgsql
volatile
set search_path = ''
as $$
declare
  e app.workflow_executions;
  v_from app.workflow_step_executions;
  v_to app.workflow_step_executions;
  v_cur app.workflow_step_executions;
  v_skipped jsonb := '[]'::jsonb;
  v_direction text;
begin
  -- The caller holds the execution's lock.
  select * into e from app.workflow_executions x where x.id = route_execution_step.execution_id;
  select * into v_from from app.workflow_step_executions s
   where s.execution_id = e.id and s.org_id = e.org_id and s.step_key = route_execution_step.from_step_key for update;
  select * into v_to from app.workflow_step_executions s
   where s.execution_id = e.id and s.org_id = e.org_id and s.step_key = route_execution_step.target_step_key for update;
  if v_to.id is null or v_from.id is null then
    raise exception 'This branch leads to step "%", which this workflow does not have', route_execution_step.target_step_key
      using errcode = '22023', hint = 'An admin can correct the branch in the workflow definition.';
  end if;
  select * into v_cur from app.workflow_step_executions s
   where s.execution_id = e.id and s.org_id = e.org_id and s.status = 'in_progress'
   order by s.step_index limit 1 for update;

  -- Already there (a branch that stays, or an action such as skip that moved on to it).
  if v_cur.id = v_to.id then
    return jsonb_build_object('moved', false, 'from', v_from.step_key, 'to', v_to.step_key, 'direction', 'stay',
                              'skipped', '[]'::jsonb);
  end if;

  -- Leave: the branch's step is done; a step the action itself started (skip) is un-started.
  if v_cur.id = v_from.id then
    update app.workflow_step_executions s
       set status = 'completed', completed_at = now(), skip_reason = null,
           outcome = s.outcome || coalesce(route_execution_step.outcome, '{}'::jsonb)
     where s.id = v_from.id;
  elsif v_cur.id is not null then
    update app.workflow_step_executions s set status = 'pending', started_at = null where s.id = v_cur.id;
  end if;

  -- Jump forward: the steps jumped over do not apply.
  if v_to.step_index > v_from.step_index then
    v_direction := 'forward';
    with skipped as (
      update app.workflow_step_executions s
         set status = 'skipped', skip_reason = 'Not applicable', completed_at = now(),
             outcome = s.outcome || jsonb_build_object('skipped_by_branch', route_execution_step.outcome ->> 'branch_key')
       where s.execution_id = e.id and s.org_id = e.org_id and s.status = 'pending'
         and s.step_index > v_from.step_index and s.step_index < v_to.step_index
      returning s.step_key, s.step_index
    )
    select coalesce(jsonb_agg(k.step_key order by k.step_index), '[]'::jsonb) into v_skipped from skipped k;
  else
    v_direction := case when v_to.id = v_from.id then 'stay' else 'backward' end;
  end if;

  -- Arrive: the target is the current step (reopened when it was done).
  update app.workflow_step_executions s
     set status = 'in_progress', started_at = now(), completed_at = null, skip_reason = null
   where s.id = v_to.id;

  update app.workflow_executions x
     set current_step_key = v_to.step_key,
         current_step_index = v_to.step_index,
         completed_steps = (select count(*) from app.workflow_step_executions s
                             where s.execution_id = x.id and s.org_id = x.org_id and s.status in ('completed', 'skipped')),
         metadata = app.with_history(x.metadata, jsonb_build_object(
                      'event', 'step_routed', 'from_step_key', v_from.step_key, 'step_key', v_to.step_key,
                      'direction', v_direction, 'skipped', v_skipped, 'reason', case when jsonb_array_length(v_skipped) > 0
                                                                                    then 'Not applicable' end,
                      'branch_key', route_execution_step.outcome ->> 'branch_key',
                      'branch_type', route_execution_step.outcome ->> 'branch_type'))
   where x.id = e.id;

  return jsonb_build_object('moved', true, 'from', v_from.step_key, 'to', v_to.step_key, 'direction', v_direction,
                            'skipped', v_skipped);
end;
$$;
comment on function app.route_execution_step(uuid, text, text, jsonb) is
  'Moves an execution from a branch''s step to its target: the step completed, steps jumped forward skipped "Not applicable", the target (re)opened.';
revoke execute on function app.route_execution_step(uuid, text, text, jsonb) from public, anon;
grant execute on function app.route_execution_step(uuid, text, text, jsonb) to authenticated, service_role;

-- The refusal for an escalated workflow, one wording for every step-moving function.
create or replace function app.refuse_escalated_hold(e app.workflow_executions, verb text)
returns void
language plpgsql
stable
set search_path = ''
as $$
begin
  if e.status = 'escalated' then
    raise exception 'Cannot % this workflow: it is escalated and on hold', refuse_escalated_hold.verb using errcode = 'PT409',
      hint = 'Withdraw the escalation, or wait until the manager returns it to you.';
  end if;
end;
$$;
revoke execute on function app.refuse_escalated_hold(app.workflow_executions, text) from public, anon;
grant execute on function app.refuse_escalated_hold(app.workflow_executions, text) to authenticated, service_role;

-- ---------------------------------------------------------------------------------
-- public.choose_chat_branch
-- ---------------------------------------------------------------------------------


---------------------------------------------------------------------------------------
-- public.choose_chat_branch: guard, lock, the branch, a replay returns the stored result,
-- else lock the current step and follow the branch (one function per branch type).
---------------------------------------------------------------------------------------

-- The branch chosen at a step of the execution's version; fixed and saved_action branches
-- route, llm and rag branches open a chat instead.
create or replace function app.routing_branch(e app.workflow_executions, step_key text, branch_key text)
returns app.workflow_chat_branches
language plpgsql
stable
set search_path = ''
as $$
declare
  b app.workflow_chat_branches;
begin
  select * into b from app.workflow_chat_branches x
   where x.workflow_version_id = e.workflow_version_id
     and x.step_key = routing_branch.step_key and x.branch_key = routing_branch.branch_key;
  if not found then
    raise exception 'Branch "%" is not offered at step "%" of this workflow', routing_branch.branch_key, routing_branch.step_key
      using errcode = '22023', hint = 'Use a branch of the step as get_workflow_execution lists it.';
  end if;
  if b.branch_type in ('llm', 'rag') then
    raise exception 'Branch "%" opens a chat; it does not route', b.branch_key using errcode = '22023',
      hint = 'Open its chat with create_chat_thread.';
  end if;
  return b;
end;
$$;
revoke execute on function app.routing_branch(app.workflow_executions, text, text) from public, anon;
grant execute on function app.routing_branch(app.workflow_executions, text, text) to authenticated;

-- Locks the step a branch is followed from: the workflow is in progress (not held by an
-- escalation) and the step is its current one.
create or replace function app.lock_current_step_for_branch(e app.workflow_executions, step_key text)
returns void
language plpgsql
set search_path = ''
as $$
declare
  s app.workflow_step_executions;
begin
  perform app.refuse_escalated_hold(e, 'route');
  if e.status <> 'in_progress' then
    raise exception 'Cannot follow this branch: the workflow is %', app.status_words(e.status) using errcode = 'PT409',
      hint = case when e.status in ('queued', 'snoozed') then 'Start the workflow first.' else 'Closed workflows cannot change.' end;
  end if;
  perform app.create_step_rows(array[e.id]);
  select * into s from app.workflow_step_executions x
   where x.execution_id = e.id and x.org_id = e.org_id and x.step_key = lock_current_step_for_branch.step_key for update;
  if s.status is distinct from 'in_progress' then
    raise exception 'Cannot follow a branch of step "%": it is not the current step', lock_current_step_for_branch.step_key
      using errcode = 'PT409',
      hint = 'Continue with the current step' || coalesce(' "' || e.current_step_key || '"', '') || '.';
  end if;
end;
$$;
revoke execute on function app.lock_current_step_for_branch(app.workflow_executions, text) from public, anon;
grant execute on function app.lock_current_step_for_branch(app.workflow_executions, text) to authenticated;

-- A fixed branch: completes the step with the branch's response and moves to the next
-- step (or to next_step_key); returns the route taken.
create or replace function app.follow_fixed_branch(e app.workflow_executions, b app.workflow_chat_branches, outcome jsonb)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_outcome jsonb := follow_fixed_branch.outcome || jsonb_build_object('response', b.response_text);
  v_step jsonb;
begin
  if b.next_step_key is not null and b.next_step_key <> b.step_key then
    return app.route_execution_step(e.id, b.step_key, b.next_step_key, v_outcome);
  end if;
  v_step := app.finish_step(e, b.step_key, 'completed', v_outcome, null);
  return jsonb_build_object('moved', true, 'from', b.step_key, 'to', v_step -> 'next_step' ->> 'key',
                            'direction', 'next', 'skipped', '[]'::jsonb,
                            'workflow_completed', (v_step ->> 'workflow_completed')::boolean);
end;
$$;
revoke execute on function app.follow_fixed_branch(app.workflow_executions, app.workflow_chat_branches, jsonb) from public, anon;
grant execute on function app.follow_fixed_branch(app.workflow_executions, app.workflow_chat_branches, jsonb) to authenticated;

-- A saved_action branch: runs the action; when it succeeded and the workflow is still
-- open, moves to return_step_key (else stays); returns the action's answer and the route.
create or replace function app.follow_saved_action_branch(
  e app.workflow_executions, b app.workflow_chat_branches, params jsonb, idempotency_key text, outcome jsonb,
  out action jsonb, out route jsonb)
language plpgsql
set search_path = ''
as $$
declare
  v_status text;
begin
  action := public.execute_action(b.saved_action_key, e.id, follow_saved_action_branch.params,
                                  follow_saved_action_branch.idempotency_key);
  select x.status into v_status from app.workflow_executions x where x.id = e.id;
  if coalesce((action ->> 'success')::boolean, false) and b.return_step_key is not null and app.is_open_status(v_status) then
    route := app.route_execution_step(e.id, b.step_key, b.return_step_key,
               follow_saved_action_branch.outcome || jsonb_build_object('action_key', b.saved_action_key,
                                                                       'action_execution_id', action ->> 'action_execution_id'));
  else
    route := jsonb_build_object('moved', false, 'direction', 'stay', 'skipped', '[]'::jsonb);
  end if;
end;
$$;
revoke execute on function app.follow_saved_action_branch(app.workflow_executions, app.workflow_chat_branches, jsonb, text, jsonb)
  from public, anon;
grant execute on function app.follow_saved_action_branch(app.workflow_executions, app.workflow_chat_branches, jsonb, text, jsonb)
  to authenticated;
create or replace function public.choose_chat_branch(
  execution_id uuid,
  step_key text,
  branch_key text,
  params jsonb default null,
  idempotency_key text default null
)
returns jsonb
language plpgsql
volatile
set search_path = ''
as $$
declare
  e app.workflow_executions;
  b app.workflow_chat_branches;
  v_params jsonb;
  v_outcome jsonb;
  v_action jsonb;
  v_followed record;  -- (action, route)
begin
  if coalesce(btrim(choose_chat_branch.step_key), '') = '' or coalesce(btrim(choose_chat_branch.branch_key), '') = '' then
    raise exception 'step_key and branch_key are required' using errcode = '22023',
      hint = 'Pass the step shown and the key of the branch chosen (get_workflow_execution lists them).';
  end if;
  if choose_chat_branch.params is not null and jsonb_typeof(choose_chat_branch.params) <> 'object' then
    raise exception 'params must be a JSON object' using errcode = '22023';
  end if;
  e := app.lock_execution(choose_chat_branch.execution_id, 'work on');
  b := app.routing_branch(e, choose_chat_branch.step_key, choose_chat_branch.branch_key);
  v_params := coalesce(b.config -> 'defaults', '{}'::jsonb) || coalesce(choose_chat_branch.params, '{}'::jsonb);

  -- A replayed confirmation: the action's stored result, nothing applied or routed again.
  if b.branch_type = 'saved_action' and choose_chat_branch.idempotency_key is not null and exists (
       select 1 from app.action_executions x
        where x.org_id = e.org_id and x.executed_by = (select auth.uid())
          and x.idempotency_key = choose_chat_branch.idempotency_key) then
    v_action := public.execute_action(b.saved_action_key, e.id, v_params, choose_chat_branch.idempotency_key);
    return jsonb_build_object('branch', jsonb_build_object('key', b.branch_key, 'type', b.branch_type, 'label', b.label),
      'step_key', b.step_key, 'action', v_action, 'route', null, 'replayed', true,
      'execution', app.execution_summary(e.id));
  end if;

  perform app.lock_current_step_for_branch(e, b.step_key);
  v_outcome := jsonb_build_object('branch_key', b.branch_key, 'branch_type', b.branch_type);
  if b.branch_type = 'fixed' then
    select null::jsonb as action, app.follow_fixed_branch(e, b, v_outcome) as route into v_followed;
  else
    select * into v_followed from app.follow_saved_action_branch(e, b, v_params, choose_chat_branch.idempotency_key, v_outcome);
  end if;

  return jsonb_build_object(
    'branch', jsonb_build_object('key', b.branch_key, 'type', b.branch_type, 'label', b.label),
    'step_key', b.step_key,
    'response_text', b.response_text,
    'action', v_followed.action,
    'route', v_followed.route,
    'replayed', false,
    'execution', app.execution_summary(e.id));
end;
$$;
comment on function public.choose_chat_branch(uuid, text, text, jsonb, text) is
  'Follows a fixed or saved_action branch of the current step: fixed completes it and moves to next_step_key; saved_action runs the action (branch defaults || params) and returns to return_step_key.';
revoke execute on function public.choose_chat_branch(uuid, text, text, jsonb, text) from public, anon;
grant execute on function public.choose_chat_branch(uuid, text, text, jsonb, text) to authenticated;

-- workflow definitions (core rows have org_id null: everyone reads them, nobody but the service writes them)
select app.create_org_policies('app.workflows', 'workflow definitions', readers => 'members and core', writers => 'admins');

-- workflow versions (core rows have org_id null: everyone reads them, nobody but the service writes them)
select app.create_org_policies('app.workflow_versions', 'workflow versions', readers => 'members and core', writers => 'admins');

-- chat branches (core rows have org_id null: everyone reads them, nobody but the service writes them)
select app.create_org_policies('app.workflow_chat_branches', 'chat branches', readers => 'members and core', writers => 'admins');

-- saved actions (core rows have org_id null: everyone reads them, nobody but the service writes them)
select app.create_org_policies('app.saved_actions', 'saved actions', readers => 'members and core', writers => 'admins');

-- workflow executions (a csm works on those assigned to them or to nobody)
select app.create_org_policies('app.workflow_executions', 'workflow executions', readers => 'members', writers => 'managers', commands => '{delete}');
select app.create_org_policies('app.workflow_executions', 'workflow executions', writers => 'execution assignees', commands => '{insert,update}', verbs => '{open,change}');

-- step executions
select app.create_org_policies('app.workflow_step_executions', 'step executions', readers => 'members', writers => 'workers on execution', verbs => '{create,change,delete}');

-- orchestrator runs
select app.create_org_policies('app.orchestrator_runs', 'orchestrator runs', readers => 'members', writers => 'managers', verbs => '{record,change,delete}');

select app.create_org_policies('app.workflow_escalations', 'escalations', readers => 'members');

create policy "Whoever may work on a workflow can escalate it"
  on app.workflow_escalations for insert to authenticated
  with check (org_id = (select app.current_org_id()) and escalated_by = (select auth.uid())
              and app.can_work_on_execution(execution_id));

create policy "Its assignee, managers and admins can settle an escalation"
  on app.workflow_escalations for update to authenticated
  using (org_id = (select app.current_org_id())
         and ((select app.has_role('manager', 'admin')) or assignee_id = (select auth.uid())))
  with check (org_id = (select app.current_org_id())
              and ((select app.has_role('manager', 'admin')) or assignee_id = (select auth.uid())));

create trigger workflows_touch_updated_at before update on app.workflows
  for each row execute function app.touch_updated_at();

create trigger saved_actions_touch_updated_at before update on app.saved_actions
  for each row execute function app.touch_updated_at();

create trigger workflow_executions_touch_updated_at before update on app.workflow_executions
  for each row execute function app.touch_updated_at();

create trigger workflow_step_executions_touch_updated_at before update on app.workflow_step_executions
  for each row execute function app.touch_updated_at();

create trigger customers_keep_priorities_current
  after update on app.customers
  referencing old table as old_rows new table as new_rows
  for each statement execute function app.customers_keep_priorities_current();

create trigger profiles_keep_priorities_current
  after update on app.profiles
  referencing old table as old_rows new table as new_rows
  for each statement execute function app.profiles_keep_priorities_current();

create trigger workflow_executions_score_inserted
  after insert on app.workflow_executions
  referencing new table as new_rows
  for each statement execute function app.executions_score_inserted();

create trigger workflow_executions_rescore_updated
  after update on app.workflow_executions
  referencing old table as old_rows new table as new_rows
  for each statement execute function app.executions_rescore_updated();

create trigger workflow_executions_rescore_deleted
  after delete on app.workflow_executions
  referencing old table as old_rows
  for each statement execute function app.executions_rescore_deleted();

create trigger customers_mark_for_orchestrator_ins
  after insert on app.customers
  referencing new table as new_rows
  for each statement execute function app.customers_mark_for_orchestrator();

create trigger customers_mark_for_orchestrator_upd
  after update on app.customers
  referencing old table as old_rows new table as new_rows
  for each statement execute function app.customers_mark_for_orchestrator();

create trigger workflow_executions_mark_for_orchestrator_ins
  after insert on app.workflow_executions
  referencing new table as new_rows
  for each statement execute function app.executions_mark_for_orchestrator();

create trigger workflow_executions_mark_for_orchestrator_upd
  after update on app.workflow_executions
  referencing old table as old_rows new table as new_rows
  for each statement execute function app.executions_mark_for_orchestrator();

create trigger workflow_executions_mark_for_orchestrator_del
  after delete on app.workflow_executions
  referencing old table as old_rows
  for each statement execute function app.executions_mark_for_orchestrator();

create trigger contracts_keep_decision_dates_current_ins
  after insert on app.contracts
  referencing new table as new_rows
  for each statement execute function app.contracts_keep_decision_dates_current();

create trigger contracts_keep_decision_dates_current_upd
  after update on app.contracts
  referencing old table as old_rows new table as new_rows
  for each statement execute function app.contracts_keep_decision_dates_current();

create trigger contracts_keep_decision_dates_current_del
  after delete on app.contracts
  referencing old table as old_rows
  for each statement execute function app.contracts_keep_decision_dates_current();

create trigger workflow_executions_lane_follows_hand_back
  after update on app.workflow_executions
  referencing old table as old_rows new table as new_rows
  for each statement execute function app.executions_lane_follows_hand_back();

create trigger workflow_escalations_touch_updated_at before update on app.workflow_escalations
  for each row execute function app.touch_updated_at();

create trigger workflow_executions_open_their_escalation_on_insert
  after insert on app.workflow_executions
  for each row when (new.status = 'escalated')
  execute function app.executions_open_their_escalation();

create trigger workflow_executions_open_their_escalation_on_update
  after update of status on app.workflow_executions
  for each row when (new.status = 'escalated' and old.status is distinct from 'escalated')
  execute function app.executions_open_their_escalation();

create trigger workflow_executions_not_to_a_deactivated_person
  before update of assigned_to on app.workflow_executions
  for each row when (new.assigned_to is distinct from old.assigned_to)
  execute function app.refuse_assignment_to_deactivated();

-- The deactivated-assignee rule for every insert but the orchestrator's: app.orchestrator_open
-- applies it in its own INSERT and says so, and a condition of the trigger (not a test in
-- the function) keeps its rows free of any function call.
create trigger workflow_executions_new_work_skips_deactivated
  before insert on app.workflow_executions
  for each row when (new.assigned_to is not null
                     and current_setting('renubu.orchestrator_assignees_checked', true) is distinct from 'on')
  execute function app.unassign_new_work_of_deactivated();

create trigger workflow_executions_fill_queue_copies
  before insert on app.workflow_executions
  for each row
  when (new.status in ('queued', 'in_progress', 'snoozed', 'escalated')
        and (new.customer_search is null or new.queue_type_rank is null))
  execute function app.executions_fill_queue_copies();

create trigger workflows_keep_queue_type_rank
  after update on app.workflows
  referencing old table as old_rows new table as new_rows
  for each statement execute function app.workflows_keep_queue_type_rank();

create trigger workflow_executions_keep_queue_stats_ins
  after insert on app.workflow_executions
  referencing new table as new_rows
  for each statement execute function app.executions_keep_queue_stats();
create trigger workflow_executions_keep_queue_stats_upd
  after update on app.workflow_executions
  referencing old table as old_rows new table as new_rows
  for each statement execute function app.executions_keep_queue_stats();
create trigger workflow_executions_keep_queue_stats_del
  after delete on app.workflow_executions
  referencing old table as old_rows
  for each statement execute function app.executions_keep_queue_stats();

create trigger workflow_executions_truncate_queue_stats
  after truncate on app.workflow_executions
  for each statement execute function app.executions_truncate_queue_stats();

-- The queue's cards follow executions, customers, workflows and versions (the cards section).
create trigger workflow_executions_keep_queue_cards_ins
  after insert on app.workflow_executions referencing new table as new_rows
  for each statement execute function app.executions_keep_queue_cards();
create trigger workflow_executions_keep_queue_cards_upd
  after update on app.workflow_executions referencing old table as old_rows new table as new_rows
  for each statement execute function app.executions_keep_queue_cards();
create trigger workflow_executions_keep_queue_cards_del
  after delete on app.workflow_executions referencing old table as old_rows
  for each statement execute function app.executions_keep_queue_cards();
create trigger workflow_executions_truncate_queue_cards
  after truncate on app.workflow_executions
  for each statement execute function app.executions_truncate_queue_cards();
create trigger customers_keep_queue_cards
  after update on app.customers referencing old table as old_rows new table as new_rows
  for each statement execute function app.customers_keep_queue_cards();
create trigger workflows_keep_queue_cards
  after update on app.workflows referencing old table as old_rows new table as new_rows
  for each statement execute function app.workflows_keep_queue_cards();
create trigger workflow_versions_keep_queue_cards
  after update on app.workflow_versions referencing old table as old_rows new table as new_rows
  for each statement execute function app.workflows_keep_queue_cards();
