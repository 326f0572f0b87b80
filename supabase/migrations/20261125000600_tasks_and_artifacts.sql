-- Tasks, artifacts and artifact versions (domain.md "Tasks", "Artifacts").
--
-- Why: a task is work for one person with a deadline and a snooze window measured from
-- its *first* snooze (`first_snoozed_at`); the daily job flags it `force_action` and
-- later auto-skips it. An artifact belongs to an execution (optionally a step, task and
-- thread), carries an optimistic `version`, and every edit keeps the previous content in
-- `workflow_task_artifact_versions`.

create table app.workflow_tasks (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null,
  customer_id uuid not null,
  execution_id uuid,
  step_key text,
  title text not null,
  description text,
  task_type text not null default 'custom',
  priority text not null default 'medium',
  status text not null default 'pending',
  assigned_to uuid,
  created_by uuid,
  due_date timestamptz,
  snoozed_until timestamptz,
  first_snoozed_at timestamptz,
  snooze_count integer not null default 0,
  force_action boolean not null default false,
  force_action_at timestamptz,
  skip_reason text,
  reassigned_from uuid,
  reassign_reason text,
  started_at timestamptz,
  completed_at timestamptz,
  skipped_at timestamptz,
  metadata jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint workflow_tasks_title_is_not_blank check (btrim(title) <> ''),
  constraint workflow_tasks_type_is_known check (task_type in (
    'review_contract', 'draft_email', 'schedule_meeting', 'analyze_usage', 'prepare_proposal',
    'follow_up', 'escalate', 'update_crm', 'get_transcript', 'review_recommendation', 'custom'
  )),
  constraint workflow_tasks_priority_is_known check (priority in ('low', 'medium', 'high', 'urgent')),
  constraint workflow_tasks_status_is_known check (status in (
    'pending', 'in_progress', 'snoozed', 'completed', 'skipped', 'reassigned'
  )),
  constraint workflow_tasks_snoozed_has_a_wake_time check (
    status <> 'snoozed' or (snoozed_until is not null and first_snoozed_at is not null)
  ),
  constraint workflow_tasks_skip_has_a_reason check (status <> 'skipped' or skip_reason is not null),
  constraint workflow_tasks_snooze_count_is_not_negative check (snooze_count >= 0),
  constraint workflow_tasks_force_action_is_dated check (not force_action or force_action_at is not null),
  constraint workflow_tasks_metadata_is_object check (jsonb_typeof(metadata) = 'object'),
  constraint workflow_tasks_id_org_id_key unique (id, org_id),
  constraint workflow_tasks_customer_is_in_organisation foreign key (customer_id, org_id)
    references app.customers (id, org_id) on delete cascade,
  constraint workflow_tasks_execution_is_in_organisation foreign key (execution_id, org_id)
    references app.workflow_executions (id, org_id) on delete cascade,
  constraint workflow_tasks_assignee_is_in_organisation foreign key (org_id, assigned_to)
    references app.profiles (org_id, id) on delete set null (assigned_to),
  constraint workflow_tasks_creator_is_in_organisation foreign key (created_by, org_id)
    references app.profiles (id, org_id) on delete set null (created_by),
  constraint workflow_tasks_previous_assignee_is_in_organisation foreign key (reassigned_from, org_id)
    references app.profiles (id, org_id) on delete set null (reassigned_from)
);
-- list_tasks: one person's tasks by status and deadline.
create index workflow_tasks_org_id_assigned_to_idx on app.workflow_tasks (org_id, assigned_to, status, due_date, id);
create index workflow_tasks_customer_id_idx on app.workflow_tasks (customer_id, org_id, created_at desc);
create index workflow_tasks_execution_id_idx on app.workflow_tasks (execution_id, org_id) where execution_id is not null;
create index workflow_tasks_created_by_idx on app.workflow_tasks (created_by, org_id) where created_by is not null;
create index workflow_tasks_reassigned_from_idx on app.workflow_tasks (reassigned_from, org_id) where reassigned_from is not null;
-- The daily job: snoozed tasks whose window is running out.
create index workflow_tasks_first_snoozed_at_idx on app.workflow_tasks (first_snoozed_at)
  where status in ('pending', 'in_progress', 'snoozed') and first_snoozed_at is not null;
comment on table app.workflow_tasks is 'Follow-up work for one person, optionally linked to a workflow execution.';

create table app.workflow_task_artifacts (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null,
  execution_id uuid not null,
  step_key text,
  task_id uuid,
  thread_id uuid,
  artifact_type text not null,
  title text not null,
  content jsonb not null default '{}'::jsonb,
  version integer not null default 1,
  generated_by text not null default 'manual',
  ai_model text,
  ai_prompt text,
  approved_by uuid,
  approved_at timestamptz,
  created_by uuid,
  metadata jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint workflow_task_artifacts_type_is_known check (artifact_type in (
    'email_draft', 'contract_analysis', 'meeting_notes', 'proposal_draft', 'recommendation',
    'assessment', 'action_plan', 'summary', 'custom'
  )),
  constraint workflow_task_artifacts_title_is_not_blank check (btrim(title) <> ''),
  constraint workflow_task_artifacts_generated_by_is_known check (generated_by in ('manual', 'ai', 'template')),
  constraint workflow_task_artifacts_version_is_positive check (version >= 1),
  constraint workflow_task_artifacts_approval_is_dated check (approved_by is null or approved_at is not null),
  constraint workflow_task_artifacts_metadata_is_object check (jsonb_typeof(metadata) = 'object'),
  constraint workflow_task_artifacts_id_org_id_key unique (id, org_id),
  constraint workflow_task_artifacts_execution_is_in_organisation foreign key (execution_id, org_id)
    references app.workflow_executions (id, org_id) on delete cascade,
  constraint workflow_task_artifacts_task_is_in_organisation foreign key (task_id, org_id)
    references app.workflow_tasks (id, org_id) on delete set null (task_id),
  constraint workflow_task_artifacts_approver_is_in_organisation foreign key (approved_by, org_id)
    references app.profiles (id, org_id) on delete set null (approved_by),
  constraint workflow_task_artifacts_creator_is_in_organisation foreign key (created_by, org_id)
    references app.profiles (id, org_id) on delete set null (created_by)
);
create index workflow_task_artifacts_execution_id_idx on app.workflow_task_artifacts (execution_id, org_id, created_at desc);
create index workflow_task_artifacts_task_id_idx on app.workflow_task_artifacts (task_id, org_id, created_at desc)
  where task_id is not null;
create index workflow_task_artifacts_thread_id_idx on app.workflow_task_artifacts (thread_id, org_id)
  where thread_id is not null;
create index workflow_task_artifacts_approved_by_idx on app.workflow_task_artifacts (approved_by, org_id)
  where approved_by is not null;
create index workflow_task_artifacts_created_by_idx on app.workflow_task_artifacts (created_by, org_id)
  where created_by is not null;
comment on table app.workflow_task_artifacts is 'Email drafts, assessments, notes ... produced in a workflow; version is the optimistic-lock counter.';

create table app.workflow_task_artifact_versions (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null,
  artifact_id uuid not null,
  version integer not null,
  title text not null,
  content jsonb not null,
  metadata jsonb not null default '{}'::jsonb,
  edited_by uuid,
  created_at timestamptz not null default now(),
  constraint workflow_task_artifact_versions_version_is_positive check (version >= 1),
  -- org_id rides along so this constraint's index also serves the foreign key below.
  constraint workflow_task_artifact_versions_one_row_per_version unique (artifact_id, org_id, version),
  constraint workflow_task_artifact_versions_artifact_is_in_organisation foreign key (artifact_id, org_id)
    references app.workflow_task_artifacts (id, org_id) on delete cascade,
  constraint workflow_task_artifact_versions_editor_is_in_organisation foreign key (edited_by, org_id)
    references app.profiles (id, org_id) on delete set null (edited_by)
);
create index workflow_task_artifact_versions_edited_by_idx on app.workflow_task_artifact_versions (edited_by, org_id)
  where edited_by is not null;
comment on table app.workflow_task_artifact_versions is 'Previous versions of an artifact, one row per superseded version.';

create trigger workflow_tasks_touch_updated_at before update on app.workflow_tasks
  for each row execute function app.touch_updated_at();
create trigger workflow_task_artifacts_touch_updated_at before update on app.workflow_task_artifacts
  for each row execute function app.touch_updated_at();

alter table app.workflow_tasks enable row level security;
alter table app.workflow_task_artifacts enable row level security;
alter table app.workflow_task_artifact_versions enable row level security;
