-- The workflow catalogue: definitions, their versions, the chat branches offered at each
-- step, and saved actions (domain.md "Workflow catalogue", "Saved actions").
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
  constraint workflows_type_is_known check (workflow_type in ('renewal', 'strategic', 'risk', 'opportunity', 'custom')),
  constraint workflows_trigger_has_a_kind check (
    trigger_config ->> 'kind' in ('renewal_stage', 'schedule', 'score', 'manual')
  ),
  constraint workflows_base_score_is_not_negative check (base_score >= 0),
  constraint workflows_current_version_is_positive check (current_version >= 1),
  constraint workflows_override_belongs_to_an_organisation check (overrides_workflow_id is null or org_id is not null),
  constraint workflows_key_is_unique_per_scope unique nulls not distinct (org_id, key)
);
create index workflows_overrides_workflow_id_idx on app.workflows (overrides_workflow_id)
  where overrides_workflow_id is not null;
comment on table app.workflows is 'Workflow definitions: global core ones (org_id null) and an organisation''s own or overriding ones.';

create table app.workflow_versions (
  id uuid primary key default gen_random_uuid(),
  workflow_id uuid not null references app.workflows (id) on delete cascade,
  -- Same as the definition's org_id (null for core versions); kept for RLS.
  org_id uuid references app.organisations (id) on delete cascade,
  version integer not null,
  -- {"steps": [{"key", "title", "type", "prompt_template", "artifact_types": [...]}, ...]}
  config jsonb not null,
  change_note text,
  created_by uuid references app.profiles (id) on delete set null,
  created_at timestamptz not null default now(),
  constraint workflow_versions_version_is_positive check (version >= 1),
  constraint workflow_versions_config_has_steps check (jsonb_typeof(config -> 'steps') = 'array'),
  constraint workflow_versions_version_is_unique_per_workflow unique (workflow_id, version)
);
create index workflow_versions_org_id_idx on app.workflow_versions (org_id) where org_id is not null;
create index workflow_versions_created_by_idx on app.workflow_versions (created_by) where created_by is not null;
comment on table app.workflow_versions is 'Immutable versions of a workflow definition''s config (its ordered steps).';

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
create index workflow_chat_branches_org_id_idx on app.workflow_chat_branches (org_id) where org_id is not null;
comment on table app.workflow_chat_branches is 'The choices offered to the CSM at a workflow step: fixed, llm, saved_action or rag.';

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

create trigger workflows_touch_updated_at before update on app.workflows
  for each row execute function app.touch_updated_at();
create trigger saved_actions_touch_updated_at before update on app.saved_actions
  for each row execute function app.touch_updated_at();

alter table app.workflows enable row level security;
alter table app.workflow_versions enable row level security;
alter table app.workflow_chat_branches enable row level security;
alter table app.saved_actions enable row level security;
