-- Tasks: workflow tasks, their deadlines and the task list RPCs.
--
-- Part of the release baseline (docs/schema.md): one file per area, in dependency order.
-- From now on migrations are append-only: a change is a new timestamped file.
--
-- A long function is a guard and a dispatcher over small functions with one job each, named
-- after what they do (issue 17), so a reader can hold each piece in their head. The helpers
-- live in `app`, set search_path = '', run as their caller (RLS applies) unless they serve a
-- security definer function, and are executable only by the roles whose calls reach them.

-- ---------------------------------------------------------------------------- task types, priorities, escalation levels
-- Task types, task priorities, escalation levels and workflow types are defined once: the
-- lookup tables app.task_types, app.task_priorities, app.escalation_levels and
-- app.workflow_types (key, label, sort). Everything else reads them.
--
-- Why: the list of task types stood in five places (the table's check, create_task,
-- execute_action's create_task, list_tasks' filter, the saved-action config check) plus the
-- assistant's tool schema and TypeScript; the priorities likewise, and list_tasks ranked
-- them with its own CASE; the escalation levels were in the config check, the escalate
-- action, TypeScript and twice in the web app with their labels. Adding one meant editing
-- all of them and missing one.
--
-- Direction (say it once, follow it everywhere):
--   app.task_types / app.task_priorities  (this file: the only list)
--     -> app.workflow_tasks references them by foreign key (the named constraints keep
--        their names: workflow_tasks_type_is_known, workflow_tasks_priority_is_known)
--     -> SQL functions validate with app.require_task_type / app.require_task_priority
--        (22023 with the known keys in the hint) and filter with app.lookup_keys('task_type') /
--        app.lookup_keys('task_priority'); list_tasks sorts by the priority's `sort`
--     -> app.assistant_tools() builds the assistant's enums from them (the chat function
--        validates tool input against that same schema, see functions-shared/chat/tools.ts)
--     -> list_task_options() and list_escalation_levels() give them, with labels, to the
--        web app and to TypeScript (functions-shared/admin/saved-action-config.ts takes
--        them as an argument)
--   app.escalation_levels -> workflow_escalations.level (foreign key), the saved-action
--        config check and the escalate action's levels (app.lookup_keys('escalation_level')).
--   app.workflow_types -> workflows.workflow_type (foreign key workflows_type_is_known) and
--        the queue filter's allowed `types` (app.queue_filter_of); its sort is the queue's
--        tie-break order (renewal first, custom last), as app.workflow_type_rank, which a
--        pgTAP test keeps in agreement (supabase/tests/workflow_types/).
-- A new type, priority or level is one insert here (in a new migration); nothing else changes.
--
-- The functions below are the previous definitions with their inline lists replaced by
-- the lookups; their behaviour is otherwise unchanged.

-- Every lookup has the same shape (key, label, sort), declared once here and copied with LIKE.
create table app.task_types (
  key text primary key,
  label text not null,
  sort integer not null unique,
  constraint lookup_key_is_snake_case check (key ~ '^[a-z]+(_[a-z]+)*$'),
  constraint lookup_label_is_not_blank check (btrim(label) <> '')
);
create table app.task_priorities (like app.task_types including all);
create table app.escalation_levels (like app.task_types including all);
create table app.workflow_types (like app.task_priorities including all);
comment on table app.task_types is 'The kinds of task (the one list; workflow_tasks.task_type references it). Read it with list_task_options().';
comment on table app.task_priorities is 'Task priorities, least urgent first by sort (the one list; workflow_tasks.priority references it).';
comment on table app.escalation_levels is 'Whom a workflow can be escalated to, lowest first (the one list; workflow_escalations.level references it).';
comment on table app.workflow_types is
  'The kinds of workflow (the one list; workflows.workflow_type references it). sort: the queue''s tie-break order, as app.workflow_type_rank.';

-- How long an unattended task waits before it is skipped automatically is a property of
-- its type, kept with the type in app.task_types (auto_skip: standard, long or never)
-- instead of a second list of type names inside the daily job.
--
-- Why: app.process_task_deadlines named review_contract and prepare_proposal (the long
-- window, organisation_settings.task_auto_skip_hours_long) twice and escalate (never)
-- once, a copy of part of the task-type list that a new type could not join. Now a new
-- once, a copy of part of the task-type list that a new type could not join. Now a new
-- type says its window where it is defined (the insert below). Behaviour is unchanged
-- for the existing types.
-- Only task types have this property: it is added after the LIKE copies above, so the
-- priorities and escalation levels do not get it.
alter table app.task_types add column auto_skip text not null default 'standard';
alter table app.task_types add constraint task_types_auto_skip_is_known check (auto_skip in ('standard', 'long', 'never'));
comment on column app.task_types.auto_skip is
  'After the snooze window: skipped automatically after task_auto_skip_hours (standard), task_auto_skip_hours_long (long), or never.';

insert into app.escalation_levels (key, label, sort) values
  ('manager', 'Manager', 1),
  ('vp_cs', 'VP Customer Success', 2),
  ('ceo', 'CEO', 3);

insert into app.task_types (key, label, sort, auto_skip) values
  ('review_contract', 'Review contract', 10, 'long'),
  ('draft_email', 'Draft email', 20, 'standard'),
  ('schedule_meeting', 'Schedule meeting', 30, 'standard'),
  ('analyze_usage', 'Analyse usage', 40, 'standard'),
  ('prepare_proposal', 'Prepare proposal', 50, 'long'),
  ('follow_up', 'Follow up', 60, 'standard'),
  ('escalate', 'Escalate', 70, 'never'),
  ('update_crm', 'Update CRM', 80, 'standard'),
  ('get_transcript', 'Get transcript', 90, 'standard'),
  ('review_recommendation', 'Review recommendation', 100, 'standard'),
  ('custom', 'Other', 110, 'standard');

insert into app.task_priorities (key, label, sort) values
  ('low', 'Low', 1),
  ('medium', 'Medium', 2),
  ('high', 'High', 3),
  ('urgent', 'Urgent', 4);

insert into app.workflow_types (key, label, sort) values
  ('renewal', 'Renewal', 1),
  ('strategic', 'Strategic', 2),
  ('opportunity', 'Opportunity', 3),
  ('risk', 'Risk', 4),
  ('custom', 'Custom', 5);

-- Everyone signed in reads them; only migrations write them.
alter table app.task_types enable row level security;
alter table app.task_priorities enable row level security;
alter table app.escalation_levels enable row level security;
alter table app.workflow_types enable row level security;
create policy "Members can read the task types" on app.task_types for select to authenticated using (true);
create policy "Members can read the task priorities" on app.task_priorities for select to authenticated using (true);
create policy "Members can read the escalation levels" on app.escalation_levels for select to authenticated using (true);
create policy "Members can read the workflow types" on app.workflow_types for select to authenticated using (true);
revoke all on app.task_types, app.task_priorities, app.escalation_levels, app.workflow_types from public, anon, authenticated;
grant select on app.task_types, app.task_priorities, app.escalation_levels, app.workflow_types to authenticated;
grant select, insert, update, delete on app.task_types, app.task_priorities, app.escalation_levels, app.workflow_types to service_role;

-- Escalations (a table of the workflows area) name their level from the lookup.
alter table app.workflow_escalations
  add constraint workflow_escalations_level_is_known foreign key (level) references app.escalation_levels (key) on update cascade;
create index workflow_escalations_level_idx on app.workflow_escalations (level);

-- Workflows (a table of the workflows area) name their type from the lookup; adding a type
-- is one insert (supabase/tests/workflow_types/).
alter table app.workflows
  add constraint workflows_type_is_known foreign key (workflow_type) references app.workflow_types (key) on update cascade;
create index workflows_workflow_type_idx on app.workflows (workflow_type);

-- ---------------------------------------------------------------------------- lookups
-- All lookups in one place to read from: app.lookup_keys(lookup) for checks and filters,
-- app.lookup_entries(lookup) ([{key, label}]) for the API. `lookup` is task_type,
-- task_priority, escalation_level or workflow_type.
create view app.lookups with (security_invoker = true) as
  select 'task_type'::text as lookup, t.key, t.label, t.sort from app.task_types t
  union all select 'task_priority', p.key, p.label, p.sort from app.task_priorities p
  union all select 'escalation_level', l.key, l.label, l.sort from app.escalation_levels l
  union all select 'workflow_type', w.key, w.label, w.sort from app.workflow_types w;
revoke all on app.lookups from public, anon;
grant select on app.lookups to authenticated, service_role;

create or replace function app.lookup_keys(lookup text)
returns text[]
language sql
stable
set search_path = ''
as $$
  select coalesce(array_agg(l.key order by l.sort), '{}'::text[]) from app.lookups l where l.lookup = lookup_keys.lookup
$$;
comment on function app.lookup_keys(text) is 'A lookup''s keys in order (task priorities and escalation levels: least first).';

create or replace function app.lookup_entries(lookup text)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select coalesce(jsonb_agg(jsonb_build_object('key', l.key, 'label', l.label) order by l.sort), '[]'::jsonb)
    from app.lookups l where l.lookup = lookup_entries.lookup
$$;
comment on function app.lookup_entries(text) is 'A lookup''s entries in order, [{key, label}].';

-- Refuses a value that is not a task type (22023), naming the field and the known keys.
create or replace function app.require_task_type(value text, field text)
returns text
language plpgsql
stable
set search_path = ''
as $$
begin
  if value is null or not exists (select 1 from app.task_types t where t.key = require_task_type.value) then
    raise exception '% is not a known task type', field using errcode = '22023',
      hint = 'Use one of: ' || array_to_string(app.lookup_keys('task_type'), ', ') || '.';
  end if;
  return value;
end;
$$;

-- Refuses a value that is not a task priority, or not one of `allowed` when given (an
-- action's config may offer fewer).
create or replace function app.require_task_priority(value text, field text, allowed text[] default null)
returns text
language plpgsql
stable
set search_path = ''
as $$
declare
  v_allowed text[] := coalesce(allowed, app.lookup_keys('task_priority'));
begin
  if value is null or not (value = any(v_allowed))
     or not exists (select 1 from app.task_priorities p where p.key = require_task_priority.value) then
    raise exception '% must be one of: %', field, array_to_string(v_allowed, ', ') using errcode = '22023';
  end if;
  return value;
end;
$$;

-- ---------------------------------------------------------------------------- list_task_options
create or replace function public.list_task_options()
returns jsonb
language sql
stable
set search_path = ''
as $$
  select jsonb_build_object('task_types', app.lookup_entries('task_type'), 'priorities', app.lookup_entries('task_priority'))
$$;
comment on function public.list_task_options() is
  'The task types and priorities with their labels ({task_types: [{key, label}], priorities: [{key, label}]}, priorities least urgent first): what forms and filters offer.';

create or replace function public.list_escalation_levels()
returns jsonb
language sql
stable
set search_path = ''
as $$
  select app.lookup_entries('escalation_level')
$$;
comment on function public.list_escalation_levels() is
  'Whom a workflow can be escalated to ([{key, label}], lowest first); an escalate action''s config offers some of them.';

revoke execute on function app.lookup_keys(text), app.lookup_entries(text), app.require_task_type(text, text),
  app.require_task_priority(text, text, text[]), public.list_task_options(), public.list_escalation_levels() from public, anon;
grant execute on function app.lookup_keys(text), app.lookup_entries(text), app.require_task_type(text, text),
  app.require_task_priority(text, text, text[]) to authenticated, service_role;
grant execute on function public.list_task_options(), public.list_escalation_levels() to authenticated;


-- Tasks, artifacts and artifact versions (docs/business-rules.md "Tasks", "Artifacts").
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
  constraint workflow_tasks_type_is_known foreign key (task_type) references app.task_types (key) on update cascade,
  constraint workflow_tasks_priority_is_known foreign key (priority) references app.task_priorities (key) on update cascade,
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
create index workflow_tasks_task_type_idx on app.workflow_tasks (task_type);
create index workflow_tasks_priority_idx on app.workflow_tasks (priority);
comment on table app.workflow_tasks is 'Follow-up work for one person, optionally linked to a workflow execution.';
alter table app.workflow_tasks enable row level security;
grant select, insert, update, delete on app.workflow_tasks to authenticated;

-- list_tasks: one person's tasks by status and deadline.
create index workflow_tasks_org_id_assigned_to_idx on app.workflow_tasks (org_id, assigned_to, status, due_date, id);

create index workflow_tasks_customer_id_idx on app.workflow_tasks (customer_id, org_id, created_at desc);

create index workflow_tasks_execution_id_idx on app.workflow_tasks (execution_id, org_id) where execution_id is not null;

create index workflow_tasks_created_by_idx on app.workflow_tasks (created_by, org_id) where created_by is not null;

create index workflow_tasks_reassigned_from_idx on app.workflow_tasks (reassigned_from, org_id) where reassigned_from is not null;

-- The daily job: snoozed tasks whose window is running out.
create index workflow_tasks_first_snoozed_at_idx on app.workflow_tasks (first_snoozed_at)
  where status in ('pending', 'in_progress', 'snoozed') and first_snoozed_at is not null;

-- Tasks: list_tasks, create_task, get_task, update_task, act_on_task, delete_task, and the
-- daily deadline job (docs/business-rules.md "Tasks";
-- docs/workflow-engine.md "Tasks and notifications").
--
-- Why: a task is snoozed at most up to `task_snooze_window_days` (7) after its FIRST
-- snooze (`first_snoozed_at` is set once and never moved). When that window has passed
-- and the task is still open, app.process_task_deadlines flags it `force_action` (the
-- assignee is notified) and auto-skips it 24 h later (48 h for review_contract and
-- prepare_proposal; escalate tasks never auto-skip). The job takes the time as an
-- argument so tests can run it "at" any moment.

-- The job needs tasks by flag; the data model indexes first_snoozed_at only.
create index workflow_tasks_force_action_idx on app.workflow_tasks (force_action_at)
  where force_action and status in ('pending', 'in_progress', 'snoozed');

create index workflow_tasks_snoozed_until_idx on app.workflow_tasks (snoozed_until) where status = 'snoozed';

---------------------------------------------------------------------------------------
-- get_team_overview: the manager's home in one call
---------------------------------------------------------------------------------------
create index if not exists workflow_tasks_open_by_assignee_idx on app.workflow_tasks (org_id, assigned_to, due_date)
  where status in ('pending', 'in_progress', 'snoozed');

create index if not exists workflow_tasks_open_due_date_idx on app.workflow_tasks (due_date)
  where status in ('pending', 'in_progress');

-- A meeting's follow-up task (workflow_meetings is in the actions area, before tasks).
alter table app.workflow_meetings
  add constraint workflow_meetings_task_is_in_organisation foreign key (task_id, org_id)
    references app.workflow_tasks (id, org_id) on delete set null (task_id);

create or replace function app.task_json(t app.workflow_tasks, today date)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select jsonb_build_object(
    'id', (task_json.t).id,
    'title', (task_json.t).title,
    'description', (task_json.t).description,
    'task_type', (task_json.t).task_type,
    'priority', (task_json.t).priority,
    'status', (task_json.t).status,
    'customer_id', (task_json.t).customer_id,
    'execution_id', (task_json.t).execution_id,
    'step_key', (task_json.t).step_key,
    'assigned_to', (task_json.t).assigned_to,
    'created_by', (task_json.t).created_by,
    'due_date', (task_json.t).due_date,
    'days_until_deadline', case when (task_json.t).due_date is null then null
      else ((task_json.t).due_date at time zone coalesce(
              (select s.time_zone from app.organisation_settings s where s.org_id = (task_json.t).org_id), 'UTC'))::date
           - task_json.today end,
    'is_overdue', (task_json.t).due_date is not null and (task_json.t).due_date < now()
                  and (task_json.t).status in ('pending', 'in_progress', 'snoozed'),
    'snoozed_until', (task_json.t).snoozed_until,
    'first_snoozed_at', (task_json.t).first_snoozed_at,
    'snooze_deadline', (task_json.t).first_snoozed_at + make_interval(days => coalesce(
        (select s.task_snooze_window_days from app.organisation_settings s where s.org_id = (task_json.t).org_id), 7)),
    'snooze_count', (task_json.t).snooze_count,
    'force_action', (task_json.t).force_action,
    'force_action_at', (task_json.t).force_action_at,
    'skip_reason', (task_json.t).skip_reason,
    'reassigned_from', (task_json.t).reassigned_from,
    'reassign_reason', (task_json.t).reassign_reason,
    'started_at', (task_json.t).started_at,
    'completed_at', (task_json.t).completed_at,
    'skipped_at', (task_json.t).skipped_at,
    'metadata', (task_json.t).metadata,
    'created_at', (task_json.t).created_at,
    'updated_at', (task_json.t).updated_at
  )
$$;
grant execute on function app.task_json(app.workflow_tasks, date) to authenticated, service_role;

-- The task the caller may change, locked: PT404 if not visible, 42501 if not theirs.
create or replace function app.lock_task(task_id uuid, verb text)
returns app.workflow_tasks
language plpgsql
set search_path = ''
as $$
declare
  t app.workflow_tasks;
  v_role text := app.current_member_role();
begin
  if lock_task.task_id is null then
    raise exception 'task_id is required' using errcode = '22023';
  end if;
  select * into t from app.workflow_tasks x where x.id = lock_task.task_id;
  if not found then
    raise exception 'Task not found' using errcode = 'PT404',
      hint = 'Check the id; you can only see tasks of your own organisation.';
  end if;
  if not (v_role in ('manager', 'admin')
          or (v_role = 'csm' and (t.assigned_to = (select auth.uid()) or t.assigned_to is null
                                  or (t.execution_id is not null and app.can_work_on_execution(t.execution_id))))) then
    raise exception 'You may not % this task', lock_task.verb using errcode = '42501',
      hint = 'Only its assignee, a manager or an admin can change it.';
  end if;
  select * into t from app.workflow_tasks x where x.id = lock_task.task_id for update;
  return t;
end;
$$;
grant execute on function app.lock_task(uuid, text) to authenticated, service_role;

create or replace function public.create_task(
  title text,
  customer_id uuid,
  description text default null,
  execution_id uuid default null,
  task_type text default 'custom',
  priority text default 'medium',
  due_date timestamptz default null,
  assigned_to uuid default null
)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_me uuid := (select auth.uid());
  v_org uuid := app.current_org_id();
  v_role text := app.current_member_role();
  v_assignee uuid := coalesce(create_task.assigned_to, (select auth.uid()));
  v_customer app.customers;
  t app.workflow_tasks;
begin
  if v_org is null or v_role not in ('csm', 'manager', 'admin') then
    raise exception 'Your role may not create tasks' using errcode = '42501';
  end if;
  if coalesce(btrim(create_task.title), '') = '' then
    raise exception 'title is required' using errcode = '22023';
  end if;
  perform app.require_task_type(coalesce(create_task.task_type, 'custom'), 'task_type');
  perform app.require_task_priority(coalesce(create_task.priority, 'medium'), 'priority');
  select * into v_customer from app.customers c where c.id = create_task.customer_id;
  if not found then
    raise exception 'Customer not found' using errcode = 'PT404';
  end if;
  if create_task.execution_id is not null then
    if not exists (select 1 from app.workflow_executions e
                    where e.id = create_task.execution_id and e.customer_id = v_customer.id) then
      raise exception 'execution_id must be a workflow of this customer' using errcode = '22023';
    end if;
    if not app.can_work_on_execution(create_task.execution_id) then
      raise exception 'You may not add tasks to this workflow' using errcode = '42501';
    end if;
  end if;
  if not exists (select 1 from app.profiles p where p.id = v_assignee and p.org_id = v_org) then
    raise exception 'assigned_to must be a member of your organisation' using errcode = '22023';
  end if;

  insert into app.workflow_tasks (org_id, customer_id, execution_id, title, description, task_type, priority,
                                  due_date, assigned_to, created_by)
  values (v_org, v_customer.id, create_task.execution_id, btrim(create_task.title), create_task.description,
          coalesce(create_task.task_type, 'custom'), coalesce(create_task.priority, 'medium'),
          create_task.due_date, v_assignee, v_me)
  returning * into t;

  if v_assignee <> v_me then
    insert into app.notifications (org_id, user_id, notification_type, title, body, data)
    values (v_org, v_assignee, 'task_assigned', 'New task: ' || t.title,
            'For ' || v_customer.name || coalesce(', due ' || to_char(t.due_date, 'YYYY-MM-DD'), '') || '.',
            jsonb_build_object('task_id', t.id, 'customer_id', v_customer.id, 'assigned_by', v_me));
  end if;
  return app.task_json(t, app.organisation_today(v_org));
end;
$$;
comment on function public.create_task(text, uuid, text, uuid, text, text, timestamptz, uuid) is 'Creates a task; assigning someone else notifies them.';
revoke execute on function public.create_task(text, uuid, text, uuid, text, text, timestamptz, uuid) from public, anon;
grant execute on function public.create_task(text, uuid, text, uuid, text, text, timestamptz, uuid) to authenticated;

create or replace function public.get_task(task_id uuid)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  t app.workflow_tasks;
begin
  select * into t from app.workflow_tasks x where x.id = get_task.task_id;
  if not found then
    raise exception 'Task not found' using errcode = 'PT404',
      hint = 'Check the id; you can only see tasks of your own organisation.';
  end if;
  return app.task_json(t, app.organisation_today(t.org_id)) || jsonb_build_object(
    'artifacts', coalesce((
      select jsonb_agg(jsonb_build_object(
               'id', a.id, 'artifact_type', a.artifact_type, 'title', a.title, 'content', a.content,
               'version', a.version, 'approved_at', a.approved_at, 'created_at', a.created_at)
             order by a.created_at desc)
        from app.workflow_task_artifacts a where a.task_id = t.id and a.org_id = t.org_id), '[]'::jsonb));
end;
$$;
comment on function public.get_task(uuid) is 'A task with its artifacts.';
revoke execute on function public.get_task(uuid) from public, anon;
grant execute on function public.get_task(uuid) to authenticated;

create or replace function public.update_task(task_id uuid, changes jsonb)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  t app.workflow_tasks;
  v_key text;
  v_due timestamptz;
begin
  if update_task.changes is null or jsonb_typeof(update_task.changes) <> 'object' or update_task.changes = '{}'::jsonb then
    raise exception 'changes must be a JSON object with at least one field' using errcode = '22023';
  end if;
  for v_key in select jsonb_object_keys(update_task.changes) loop
    if v_key not in ('title', 'description', 'priority', 'due_date') then
      raise exception 'changes.% cannot be changed here', v_key using errcode = '22023',
        hint = 'update_task changes title, description, priority and due_date; use act_on_task for status.';
    end if;
  end loop;
  if update_task.changes ? 'title' and coalesce(btrim(update_task.changes ->> 'title'), '') = '' then
    raise exception 'changes.title must not be blank' using errcode = '22023';
  end if;
  if update_task.changes ? 'priority' then
    perform app.require_task_priority(coalesce(update_task.changes ->> 'priority', ''), 'changes.priority');
  end if;
  if update_task.changes ? 'due_date' then
    v_due := app.timestamp_param(update_task.changes, 'due_date');
  end if;
  t := app.lock_task(update_task.task_id, 'change');
  if t.status not in ('pending', 'in_progress', 'snoozed') then
    raise exception 'Cannot change this task: it is %', t.status using errcode = 'PT409',
      hint = 'Completed and skipped tasks are kept as they were.';
  end if;
  update app.workflow_tasks x
     set title = case when update_task.changes ? 'title' then btrim(update_task.changes ->> 'title') else x.title end,
         description = case when update_task.changes ? 'description' then update_task.changes ->> 'description' else x.description end,
         priority = case when update_task.changes ? 'priority' then update_task.changes ->> 'priority' else x.priority end,
         due_date = case when update_task.changes ? 'due_date' then v_due else x.due_date end
   where x.id = t.id
  returning * into t;
  return app.task_json(t, app.organisation_today(t.org_id));
end;
$$;
comment on function public.update_task(uuid, jsonb) is 'Changes a task''s title, description, priority or due date.';
revoke execute on function public.update_task(uuid, jsonb) from public, anon;
grant execute on function public.update_task(uuid, jsonb) to authenticated;

-- start: the task is in progress from now (or since it was first started).
create or replace function app.task_start(t app.workflow_tasks)
returns app.workflow_tasks
language plpgsql
set search_path = ''
as $$
declare
  v_task app.workflow_tasks;
begin
  if t.status = 'in_progress' then
    raise exception 'Cannot start this task: it is already in progress' using errcode = 'PT409';
  end if;
  update app.workflow_tasks x set status = 'in_progress', started_at = coalesce(x.started_at, now()), snoozed_until = null
   where x.id = t.id returning * into v_task;
  return v_task;
end;
$$;
revoke execute on function app.task_start(app.workflow_tasks) from public, anon;
grant execute on function app.task_start(app.workflow_tasks) to authenticated;

-- complete: the task is done now.
create or replace function app.task_complete(t app.workflow_tasks)
returns app.workflow_tasks
language plpgsql
set search_path = ''
as $$
declare
  v_task app.workflow_tasks;
begin
  update app.workflow_tasks x set status = 'completed', completed_at = now(), snoozed_until = null
   where x.id = t.id returning * into v_task;
  return v_task;
end;
$$;
revoke execute on function app.task_complete(app.workflow_tasks) from public, anon;
grant execute on function app.task_complete(app.workflow_tasks) to authenticated;

-- skip {reason}: the task is left undone, with why.
create or replace function app.task_skip(t app.workflow_tasks, params jsonb)
returns app.workflow_tasks
language plpgsql
set search_path = ''
as $$
declare
  v_reason text := nullif(btrim(task_skip.params ->> 'reason'), '');
  v_task app.workflow_tasks;
begin
  if v_reason is null then
    raise exception 'reason is required to skip a task' using errcode = '22023';
  end if;
  update app.workflow_tasks x set status = 'skipped', skip_reason = v_reason, skipped_at = now(), snoozed_until = null
   where x.id = t.id returning * into v_task;
  return v_task;
end;
$$;
revoke execute on function app.task_skip(app.workflow_tasks, jsonb) from public, anon;
grant execute on function app.task_skip(app.workflow_tasks, jsonb) to authenticated;

-- snooze {until}: the task comes back at `until`, which must fall inside the snooze window
-- (the organisation's task_snooze_window_days, default 7, from the first snooze); a task
-- forced to action cannot be snoozed.
create or replace function app.task_snooze(t app.workflow_tasks, params jsonb)
returns app.workflow_tasks
language plpgsql
set search_path = ''
as $$
declare
  v_until timestamptz := app.timestamp_param(task_snooze.params, 'until');
  v_window integer;
  v_deadline timestamptz;
  v_task app.workflow_tasks;
begin
  if v_until is null then
    raise exception 'until is required: when the task should come back' using errcode = '22023';
  end if;
  if v_until <= now() then
    raise exception 'until must be in the future' using errcode = '22023';
  end if;
  select s.task_snooze_window_days into v_window from app.organisation_settings s where s.org_id = t.org_id;
  v_deadline := coalesce(t.first_snoozed_at, now()) + make_interval(days => coalesce(v_window, 7));
  if t.force_action or now() >= v_deadline then
    raise exception 'Cannot snooze this task again: its % day snooze window ended on %', coalesce(v_window, 7), v_deadline
      using errcode = 'PT409', hint = 'Complete or skip the task.';
  end if;
  if v_until > v_deadline then
    raise exception 'Cannot snooze this task past % (% days after it was first snoozed)', v_deadline, coalesce(v_window, 7)
      using errcode = 'PT409', hint = 'Pick an earlier time, or complete or skip the task.';
  end if;
  update app.workflow_tasks x
     set status = 'snoozed', snoozed_until = v_until, first_snoozed_at = coalesce(x.first_snoozed_at, now()),
         snooze_count = x.snooze_count + 1
   where x.id = t.id returning * into v_task;
  return v_task;
end;
$$;
revoke execute on function app.task_snooze(app.workflow_tasks, jsonb) from public, anon;
grant execute on function app.task_snooze(app.workflow_tasks, jsonb) to authenticated;

-- reassign {assignee_id, reason}: another member who works on tasks takes it over (pending
-- again); the hand-over is kept in the task's metadata and the new assignee is told.
create or replace function app.task_reassign(t app.workflow_tasks, params jsonb)
returns app.workflow_tasks
language plpgsql
set search_path = ''
as $$
declare
  v_me uuid := (select auth.uid());
  v_new uuid := app.uuid_param(task_reassign.params, 'assignee_id');
  v_reason text;
  v_task app.workflow_tasks;
begin
  if v_new is null then
    raise exception 'assignee_id is required: who takes the task over' using errcode = '22023';
  end if;
  v_reason := nullif(btrim(task_reassign.params ->> 'reason'), '');
  if v_reason is null then
    raise exception 'reason is required to reassign a task' using errcode = '22023';
  end if;
  if not exists (select 1 from app.profiles p where p.id = v_new and p.org_id = t.org_id and p.role <> 'viewer') then
    raise exception 'assignee_id must be a member of your organisation who can work on tasks' using errcode = '22023';
  end if;
  if v_new = t.assigned_to then
    raise exception 'The task is already assigned to that person' using errcode = 'PT409';
  end if;
  update app.workflow_tasks x
     set assigned_to = v_new, reassigned_from = x.assigned_to, reassign_reason = v_reason, status = 'pending',
         snoozed_until = null,
         metadata = x.metadata || jsonb_build_object('reassignments',
           coalesce(x.metadata -> 'reassignments', '[]'::jsonb) || jsonb_build_array(jsonb_build_object(
             'from', x.assigned_to, 'to', v_new, 'reason', v_reason, 'by', v_me, 'at', now())))
   where x.id = t.id returning * into v_task;
  insert into app.notifications (org_id, user_id, notification_type, title, body, data)
  values (v_task.org_id, v_new, 'task_reassigned', 'Task handed to you: ' || v_task.title, v_reason,
          jsonb_build_object('task_id', v_task.id, 'reassigned_by', v_me, 'reassigned_from', v_task.reassigned_from));
  return v_task;
end;
$$;
revoke execute on function app.task_reassign(app.workflow_tasks, jsonb) from public, anon;
grant execute on function app.task_reassign(app.workflow_tasks, jsonb) to authenticated;

create or replace function public.act_on_task(task_id uuid, action text, params jsonb default '{}'::jsonb)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_params jsonb := coalesce(act_on_task.params, '{}'::jsonb);
  t app.workflow_tasks;
begin
  if act_on_task.action is null or act_on_task.action not in ('start', 'complete', 'skip', 'snooze', 'reassign') then
    raise exception 'action must be one of: start, complete, skip, snooze, reassign' using errcode = '22023';
  end if;
  if jsonb_typeof(v_params) <> 'object' then
    raise exception 'params must be a JSON object' using errcode = '22023';
  end if;
  t := app.lock_task(act_on_task.task_id, act_on_task.action);
  if t.status not in ('pending', 'in_progress', 'snoozed') then
    raise exception 'Cannot % this task: it is already %', act_on_task.action, t.status using errcode = 'PT409',
      hint = 'Only pending, in-progress or snoozed tasks can change.';
  end if;
  t := case act_on_task.action
         when 'start' then app.task_start(t)
         when 'complete' then app.task_complete(t)
         when 'skip' then app.task_skip(t, v_params)
         when 'snooze' then app.task_snooze(t, v_params)
         else app.task_reassign(t, v_params)
       end;
  return app.task_json(t, app.organisation_today(t.org_id));
end;
$$;
comment on function public.act_on_task(uuid, text, jsonb) is 'start, complete, skip {reason}, snooze {until} (7-day window from the first snooze), reassign {assignee_id, reason}.';
revoke execute on function public.act_on_task(uuid, text, jsonb) from public, anon;
grant execute on function public.act_on_task(uuid, text, jsonb) to authenticated;

create or replace function public.delete_task(task_id uuid)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  t app.workflow_tasks;
begin
  t := app.lock_task(delete_task.task_id, 'delete');
  delete from app.workflow_tasks x where x.id = t.id;
  return jsonb_build_object('id', t.id, 'deleted', true);
end;
$$;
comment on function public.delete_task(uuid) is 'Deletes a task.';
revoke execute on function public.delete_task(uuid) from public, anon;
grant execute on function public.delete_task(uuid) to authenticated;

-- The daily (hourly-scheduled) deadline job: wake snoozed tasks whose time has come,
-- flag tasks whose snooze window has passed, and auto-skip flagged tasks after 24 h
-- (task_auto_skip_hours, or task_auto_skip_hours_long, or never: the auto_skip of the
-- task's type in app.task_types).
-- Lock order (docs/workflow-engine.md "Lock order"): each step locks its tasks sorted and
-- `skip locked`, then writes only those. A person's call that moves several tasks at once
-- (a hand-over moves a workflow's open tasks) holds some of them while it waits for the
-- next; the job neither waits for those nor takes them in another order, and a task it
-- skipped is taken by its next run.
create or replace function app.process_task_deadlines(as_of timestamptz default now())
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_now timestamptz := coalesce(process_task_deadlines.as_of, now());
  v_woken integer;
  v_flagged integer;
  v_skipped integer;
begin
  update app.workflow_tasks t
     set status = case when t.started_at is null then 'pending' else 'in_progress' end, snoozed_until = null
   where t.id in (select x.id from app.workflow_tasks x
                   where x.status = 'snoozed' and x.snoozed_until <= v_now
                   order by x.id for no key update skip locked)
     and t.status = 'snoozed' and t.snoozed_until <= v_now;
  get diagnostics v_woken = row_count;

  with flagged as (
    update app.workflow_tasks t
       set force_action = true, force_action_at = v_now
      from app.organisation_settings s
     where t.id in (select x.id from app.workflow_tasks x
                      join app.organisation_settings w on w.org_id = x.org_id
                     where x.status in ('pending', 'in_progress', 'snoozed')
                       and x.first_snoozed_at is not null
                       and not x.force_action
                       and x.first_snoozed_at + make_interval(days => w.task_snooze_window_days) <= v_now
                     order by x.id for no key update of x skip locked)
       and s.org_id = t.org_id
       and t.status in ('pending', 'in_progress', 'snoozed')
       and t.first_snoozed_at is not null
       and not t.force_action
       and t.first_snoozed_at + make_interval(days => s.task_snooze_window_days) <= v_now
    returning t.*
  ), notified as (
    insert into app.notifications (org_id, user_id, notification_type, title, body, data)
    select f.org_id, f.assigned_to, 'task_force_action', 'Action needed: ' || f.title,
           'The snooze window of this task has ended: complete or skip it, or it will be skipped automatically.',
           jsonb_build_object('task_id', f.id)
      from flagged f where f.assigned_to is not null
    returning 1
  )
  select count(*) into v_flagged from flagged;

  with due as (
    select t.id, case tt.auto_skip when 'long' then s.task_auto_skip_hours_long else s.task_auto_skip_hours end as hours
      from app.workflow_tasks t
      join app.task_types tt on tt.key = t.task_type
      join app.organisation_settings s on s.org_id = t.org_id
     where t.force_action
       and t.status in ('pending', 'in_progress', 'snoozed')
       and tt.auto_skip <> 'never'
       and t.force_action_at + make_interval(hours => case tt.auto_skip when 'long' then s.task_auto_skip_hours_long
                                                            else s.task_auto_skip_hours end) <= v_now
     order by t.id
       for no key update of t skip locked
  )
  update app.workflow_tasks t
     set status = 'skipped', skipped_at = v_now, snoozed_until = null,
         skip_reason = 'Skipped automatically: no action within ' || due.hours || ' hours after the snooze window ended'
    from due
   where t.id = due.id
     and t.force_action_at + make_interval(hours => due.hours) <= v_now;
  get diagnostics v_skipped = row_count;

  return jsonb_build_object('woken', v_woken, 'flagged', v_flagged, 'auto_skipped', v_skipped, 'as_of', v_now);
end;
$$;
comment on function app.process_task_deadlines(timestamptz) is
  'Wakes snoozed tasks, flags force_action after the snooze window, auto-skips after the window of the task''s type (app.task_types.auto_skip). Run by pg_cron.';
revoke execute on function app.process_task_deadlines(timestamptz) from public, anon;
grant execute on function app.process_task_deadlines(timestamptz) to service_role;

---------------------------------------------------------------------------------------
-- public.list_tasks: the request's parts each read and checked once by a small function
-- (statuses, filters, whose tasks, cursor); the one set-based query stays in list_tasks,
-- so its plan and cost per row are unchanged.
---------------------------------------------------------------------------------------

-- The task statuses a `status` argument names (active: the open ones; all: every one).
create or replace function app.task_list_statuses(status text)
returns text[]
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_statuses text[] := case coalesce(task_list_statuses.status, 'active')
    when 'active' then array['pending', 'in_progress', 'snoozed']
    when 'all' then array['pending', 'in_progress', 'snoozed', 'completed', 'skipped', 'reassigned']
    when 'pending' then array['pending'] when 'in_progress' then array['in_progress']
    when 'snoozed' then array['snoozed'] when 'completed' then array['completed']
    when 'skipped' then array['skipped'] when 'reassigned' then array['reassigned']
  end;
begin
  if v_statuses is null then
    raise exception 'status must be one of: active, all, pending, in_progress, snoozed, completed, skipped, reassigned'
      using errcode = '22023';
  end if;
  return v_statuses;
end;
$$;
revoke execute on function app.task_list_statuses(text) from public, anon;
grant execute on function app.task_list_statuses(text) to authenticated;

-- The filters object of list_tasks, read and checked: {due, priorities, task_types,
-- assignee_id, team}.
create or replace function app.task_list_filters(filters jsonb,
  out due text, out priorities text[], out task_types text[], out assignee_id uuid, out team boolean)
language plpgsql
stable
set search_path = ''
as $$
declare
  v_unknown text;
begin
  if jsonb_typeof(filters) <> 'object' then
    raise exception 'filters must be a JSON object' using errcode = '22023';
  end if;
  select k into v_unknown from jsonb_object_keys(filters) k
   where k not in ('due', 'priorities', 'task_types', 'assignee_id', 'team') limit 1;
  if v_unknown is not null then
    raise exception 'filters has an unknown key "%"', left(v_unknown, 60) using errcode = '22023',
      hint = 'Known keys: due, priorities, task_types, assignee_id, team.';
  end if;
  due := nullif(filters ->> 'due', '');
  if due is not null and due not in ('today', 'overdue', 'this_week') then
    raise exception 'filters.due must be today, overdue or this_week' using errcode = '22023';
  end if;
  priorities := app.queue_filter_values(filters, 'priorities', app.lookup_keys('task_priority'));
  task_types := app.queue_filter_values(filters, 'task_types', app.lookup_keys('task_type'));
  if filters ? 'team' and jsonb_typeof(filters -> 'team') not in ('boolean', 'null') then
    raise exception 'filters.team must be true or false' using errcode = '22023';
  end if;
  team := coalesce((filters ->> 'team')::boolean, false);
  if filters ? 'assignee_id' and jsonb_typeof(filters -> 'assignee_id') <> 'null' then
    begin
      assignee_id := (filters ->> 'assignee_id')::uuid;
    exception when others then
      raise exception 'filters.assignee_id must be a person''s id' using errcode = '22023';
    end;
  end if;
end;
$$;
revoke execute on function app.task_list_filters(jsonb) from public, anon;
grant execute on function app.task_list_filters(jsonb) to authenticated;

-- Whose tasks the caller reads: their own, one person's (managers, admins), or their team's
-- (a manager: themselves and their reports; an admin: null, the whole organisation).
create or replace function app.task_list_people(org_id uuid, assignee_id uuid, team boolean)
returns uuid[]
language plpgsql
stable
set search_path = ''
as $$
declare
  v_me uuid := (select auth.uid());
  v_role text := app.current_member_role();
  v_people uuid[];
begin
  if assignee_id is not null and assignee_id <> v_me then
    if v_role not in ('manager', 'admin') then
      raise exception 'Only managers and admins can read someone else''s tasks' using errcode = '42501';
    end if;
    if not exists (select 1 from app.profiles p where p.id = task_list_people.assignee_id and p.org_id = task_list_people.org_id) then
      raise exception 'Person not found' using errcode = 'PT404';
    end if;
    return array[assignee_id];
  end if;
  if not team then
    return array[v_me];
  end if;
  if v_role = 'admin' then
    return null;  -- the whole organisation
  elsif v_role = 'manager' then
    select array_agg(p.id) into v_people from app.profiles p
     where p.org_id = task_list_people.org_id and (p.id = v_me or p.manager_id = v_me);
    return v_people;
  end if;
  raise exception 'Only managers and admins can read their team''s tasks' using errcode = '42501';
end;
$$;
revoke execute on function app.task_list_people(uuid, uuid, boolean) from public, anon;
grant execute on function app.task_list_people(uuid, uuid, boolean) to authenticated;

-- The sort keys (a, b, id) a list_tasks cursor of this sort names; 22023 when it is not one.
create or replace function app.task_list_cursor(cursor text, sort text, out a numeric, out b timestamptz, out id uuid)
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_cur jsonb;
begin
  if cursor is null then
    return;
  end if;
  begin
    v_cur := convert_from(decode(cursor, 'base64'), 'UTF8')::jsonb;
    if v_cur ->> 's' is not distinct from sort then
      a := (v_cur ->> 'a')::numeric;
      b := (v_cur ->> 'b')::timestamptz;
      id := (v_cur ->> 'i')::uuid;
    end if;
  exception when others then
    id := null;
  end;
  if id is null or a is null or b is null then
    raise exception 'cursor is not valid' using errcode = '22023',
      hint = 'Pass the next_cursor of the previous page (of the same sort) unchanged.';
  end if;
end;
$$;
revoke execute on function app.task_list_cursor(text, text) from public, anon;
grant execute on function app.task_list_cursor(text, text) to authenticated;

-- list_tasks: the customer on every task, views by due date, filters, sorts, and a manager's
-- team (issue: the Tasks page never showed the customer and could not filter or sort).
--
-- What and why:
-- * Each task gains `customer {id, name}` and `assignee {id, full_name}`, so a list can name
--   and link the customer without a second call.
-- * `filters` `{due, priorities[], task_types[], assignee_id, team}`: `due` is `today`,
--   `overdue` (past its due date and still open) or `this_week` (due today or in the next 6
--   days), in the organisation's time zone. `assignee_id` is someone else's tasks (managers
--   and admins only); `team: true` is the caller's and their reports' tasks (managers) or
--   the whole organisation's (admins). A CSM may only read their own: 42501 otherwise.
-- * `sort` is `due` (soonest first, no due date last), `priority` (urgent first, then due)
--   or `created` (newest first); the cursor names its sort.
-- One signature only (two overloads would make PostgREST's choice depend on the argument
-- names).

create or replace function public.list_tasks(
  status text default 'active',
  customer_id uuid default null,
  execution_id uuid default null,
  page_size integer default 50,
  cursor text default null,
  filters jsonb default '{}'::jsonb,
  sort text default 'due'
)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_org uuid := app.current_org_id();
  v_sort text := coalesce(list_tasks.sort, 'due');
  v_statuses text[];
  v_today date;
  v_tz text;
  v_people uuid[];
  c1 numeric;  -- the cursor's sort keys (a, b, id)
  c2 timestamptz;
  c_id uuid;
  v_due text;
  v_priorities text[];
  v_types text[];
  v_items jsonb;
  v_next text;
begin
  if v_org is null then
    raise exception 'Only members of an organisation have tasks' using errcode = '42501';
  end if;
  v_statuses := app.task_list_statuses(list_tasks.status);
  perform app.check_page_size(list_tasks.page_size);
  if v_sort not in ('due', 'priority', 'created') then
    raise exception 'sort must be due, priority or created' using errcode = '22023';
  end if;
  select f.due, f.priorities, f.task_types, app.task_list_people(v_org, f.assignee_id, f.team)
    into v_due, v_priorities, v_types, v_people
    from app.task_list_filters(coalesce(list_tasks.filters, '{}'::jsonb)) f;
  select * into c1, c2, c_id from app.task_list_cursor(list_tasks.cursor, v_sort);  -- null: the first page
  v_today := app.organisation_today(v_org);
  select coalesce(s.time_zone, 'UTC') into v_tz from app.organisation_settings s where s.org_id = v_org;
  v_tz := coalesce(v_tz, 'UTC');

  -- Sort keys (a, b, id), all ascending: due = (0, due), priority = (rank, due),
  -- created = (-epoch(created_at), -infinity).
  with keyed as (
    select t,
           case v_sort when 'priority' then
                  -(select p.sort from app.task_priorities p where p.key = t.priority)::numeric
                when 'created' then -extract(epoch from t.created_at)
                else 0::numeric end as a,
           case when v_sort = 'created' then '-infinity'::timestamptz
                else coalesce(t.due_date, 'infinity'::timestamptz) end as b,
           t.id
      from app.workflow_tasks t
     where t.org_id = v_org
       and (v_people is null or t.assigned_to = any(v_people))
       and t.status = any(v_statuses)
       and (list_tasks.customer_id is null or t.customer_id = list_tasks.customer_id)
       and (list_tasks.execution_id is null or t.execution_id = list_tasks.execution_id)
       and (v_priorities is null or t.priority = any(v_priorities))
       and (v_types is null or t.task_type = any(v_types))
       and (v_due is null
            or (v_due = 'overdue' and t.due_date < now() and t.status in ('pending', 'in_progress', 'snoozed'))
            or (v_due = 'today' and (t.due_date at time zone v_tz)::date = v_today)
            or (v_due = 'this_week' and (t.due_date at time zone v_tz)::date between v_today and v_today + 6))
  ), page as (
    select k.* from keyed k
     where c_id is null or (k.a, k.b, k.id) > (c1, c2, c_id)
     order by k.a, k.b, k.id
     limit list_tasks.page_size + 1
  ), numbered as (
    select page.*, row_number() over (order by page.a, page.b, page.id) as rn from page
  )
  select coalesce(jsonb_agg(app.task_json(n.t, v_today) || jsonb_build_object(
             'customer', case when c.id is null then null else jsonb_build_object('id', c.id, 'name', c.name) end,
             'customer_name', c.name,
             'assignee', case when p.id is null then null else jsonb_build_object('id', p.id, 'full_name', p.full_name) end)
           order by n.rn) filter (where n.rn <= list_tasks.page_size), '[]'::jsonb),
         case when count(*) > list_tasks.page_size then
           max(translate(encode(convert_to(jsonb_build_object('s', v_sort, 'a', n.a, 'b', n.b, 'i', n.id)::text, 'UTF8'), 'base64'), E'\n', ''))
             filter (where n.rn = list_tasks.page_size)
         end
    into v_items, v_next
    from numbered n
    left join app.customers c on c.id = (n.t).customer_id and c.org_id = v_org
    left join app.profiles p on p.id = (n.t).assigned_to and p.org_id = v_org;

  return jsonb_build_object('items', v_items, 'next_cursor', v_next, 'sort', v_sort);
end;
$$;
comment on function public.list_tasks(text, uuid, uuid, integer, text, jsonb, text) is 'The caller''s (or, for managers and admins, a person''s or the team''s) tasks with their customer; filters {due, priorities, task_types, assignee_id, team}; sorts due/priority/created; keyset-paginated.';
revoke execute on function public.list_tasks(text, uuid, uuid, integer, text, jsonb, text) from public, anon;
grant execute on function public.list_tasks(text, uuid, uuid, integer, text, jsonb, text) to authenticated;

-- tasks (a csm works on tasks assigned to them or to nobody, or of their workflows; they may
-- create a task for a colleague and hand their own task on)
select app.create_org_policies('app.workflow_tasks', 'tasks', readers => 'members');

create policy "Managers, admins and csms can create tasks"
  on app.workflow_tasks for insert to authenticated
  with check (org_id = (select app.current_org_id()) and ((select app.has_role('manager', 'admin')) or ((select app.has_role('csm')) and (assigned_to = (select auth.uid()) or assigned_to is null or (execution_id is not null and app.can_work_on_execution(execution_id)) or created_by = (select auth.uid()) or reassigned_from = (select auth.uid())))));

create policy "Its csm, a manager or an admin can change tasks"
  on app.workflow_tasks for update to authenticated
  using (org_id = (select app.current_org_id()) and ((select app.has_role('manager', 'admin')) or ((select app.has_role('csm')) and (assigned_to = (select auth.uid()) or assigned_to is null or (execution_id is not null and app.can_work_on_execution(execution_id))))))
  with check (org_id = (select app.current_org_id()) and ((select app.has_role('manager', 'admin')) or ((select app.has_role('csm')) and (assigned_to = (select auth.uid()) or assigned_to is null or (execution_id is not null and app.can_work_on_execution(execution_id)) or created_by = (select auth.uid()) or reassigned_from = (select auth.uid())))));

create policy "Its csm, a manager or an admin can delete tasks"
  on app.workflow_tasks for delete to authenticated
  using (org_id = (select app.current_org_id()) and ((select app.has_role('manager', 'admin')) or ((select app.has_role('csm')) and (assigned_to = (select auth.uid()) or assigned_to is null or (execution_id is not null and app.can_work_on_execution(execution_id))))));

select app.create_touch_triggers('app.workflow_tasks');

create trigger workflow_tasks_not_to_a_deactivated_person
  before update of assigned_to on app.workflow_tasks
  for each row when (new.assigned_to is distinct from old.assigned_to)
  execute function app.refuse_assignment_to_deactivated();

-- The team overview (get_team_overview, of the workflows area) sits here, after the
-- tasks it counts: its members' section is an SQL function, checked against the tables
-- when it is created.
---------------------------------------------------------------------------------------
-- public.get_team_overview: guard, then one function per section (the members with their
-- open work and the totals; the quarter's renewals).
---------------------------------------------------------------------------------------

-- Each csm (and anyone else with open work) with their open work by lane and status, open
-- and overdue tasks — the manager's own reports first, then the busiest — and the totals.
create or replace function app.team_members_overview(org_id uuid, today date,
  out members jsonb, out open_total integer, out lane_now integer, out overdue integer, out escalated integer)
language sql
stable
set search_path = ''
as $$
  with work as (
    select e.assigned_to as person_id,
           count(*)::integer as open_total,
           count(*) filter (where e.queue_lane = 1)::integer as lane_now,
           count(*) filter (where e.queue_lane = 2)::integer as lane_soon,
           count(*) filter (where e.queue_lane = 3 or e.queue_lane is null)::integer as lane_planned,
           count(*) filter (where e.status = 'in_progress')::integer as in_progress,
           count(*) filter (where e.status = 'snoozed')::integer as snoozed,
           count(*) filter (where e.status = 'escalated')::integer as escalated,
           count(*) filter (where e.renewal_stage is not null and e.customer_decision_date < team_members_overview.today)::integer as overdue
      from app.workflow_executions e
     where e.org_id = team_members_overview.org_id and e.status in ('queued', 'in_progress', 'snoozed', 'escalated')
       and e.assigned_to is not null
     group by e.assigned_to
  ), tasks as (
    select t.assigned_to as person_id,
           count(*)::integer as open_tasks,
           count(*) filter (where t.due_date < now())::integer as overdue_tasks
      from app.workflow_tasks t
     where t.org_id = team_members_overview.org_id and t.status in ('pending', 'in_progress', 'snoozed') and t.assigned_to is not null
     group by t.assigned_to
  )
  select jsonb_agg(jsonb_build_object(
           'id', p.id, 'full_name', p.full_name, 'email', p.email, 'role', p.role, 'title', p.title,
           'experience_level', p.experience_level, 'manager_id', p.manager_id,
           'reports_to_me', coalesce(p.manager_id = (select auth.uid()), false),
           'open_total', coalesce(w.open_total, 0),
           'lanes', jsonb_build_object('now', coalesce(w.lane_now, 0), 'soon', coalesce(w.lane_soon, 0),
                                       'planned', coalesce(w.lane_planned, 0)),
           'in_progress', coalesce(w.in_progress, 0),
           'snoozed', coalesce(w.snoozed, 0),
           'escalated', coalesce(w.escalated, 0),
           'overdue', coalesce(w.overdue, 0),
           'open_tasks', coalesce(k.open_tasks, 0),
           'overdue_tasks', coalesce(k.overdue_tasks, 0))
         order by (p.manager_id = (select auth.uid())) desc nulls last, coalesce(w.lane_now, 0) + coalesce(w.overdue, 0) desc,
                  lower(p.full_name), p.id),
         coalesce(sum(w.open_total), 0)::integer,
         coalesce(sum(w.lane_now), 0)::integer,
         coalesce(sum(w.overdue), 0)::integer,
         coalesce(sum(w.escalated), 0)::integer
    from app.profiles p
    left join work w on w.person_id = p.id
    left join tasks k on k.person_id = p.id
   where p.org_id = team_members_overview.org_id and (p.role = 'csm' or w.open_total > 0)
$$;
revoke execute on function app.team_members_overview(uuid, date) from public, anon;
grant execute on function app.team_members_overview(uuid, date) to authenticated;

-- The organisation's renewals of [quarter_start, quarter_end]: count, ARR, and the first
-- 100 by decision date with their assignee and open renewal execution.
create or replace function app.team_renewals_of_quarter(org_id uuid, today date, quarter_start date, quarter_end date)
returns jsonb
language sql
stable
set search_path = ''
as $$
  with renewals as (
    select c.id, c.name, c.arr, c.health_score, c.renewal_date, c.decision_date, c.renewal_stage, c.assigned_to,
           row_number() over (order by coalesce(c.decision_date, c.renewal_date), c.id) as n
      from app.customers c
     where c.org_id = team_renewals_of_quarter.org_id
       and c.renewal_date between team_renewals_of_quarter.quarter_start and team_renewals_of_quarter.quarter_end
  )
  select jsonb_build_object(
    'count', (select count(*)::integer from renewals),
    'arr', (select coalesce(sum(r.arr), 0) from renewals r),
    'items', coalesce((
      select jsonb_agg(jsonb_build_object(
               'customer_id', r.id, 'name', r.name, 'arr', r.arr, 'health_score', r.health_score,
               'renewal_date', r.renewal_date, 'decision_date', r.decision_date, 'renewal_stage', r.renewal_stage,
               'days_until_decision', coalesce(r.decision_date, r.renewal_date) - team_renewals_of_quarter.today,
               'assignee_id', r.assigned_to, 'assignee_name', p.full_name,
               'execution_id', (select x.id from app.workflow_executions x
                                 where x.customer_id = r.id and x.org_id = team_renewals_of_quarter.org_id
                                   and x.renewal_stage is not null
                                   and x.status in ('queued', 'in_progress', 'snoozed', 'escalated')
                                 order by x.created_at desc limit 1))
             order by r.n)
        from renewals r left join app.profiles p on p.id = r.assigned_to
       where r.n <= 100), '[]'::jsonb))
$$;
revoke execute on function app.team_renewals_of_quarter(uuid, date, date, date) from public, anon;
grant execute on function app.team_renewals_of_quarter(uuid, date, date, date) to authenticated;

create or replace function public.get_team_overview()
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_org uuid := app.current_org_id();
  v_today date;
  v_q_start date;
  v_q_end date;
  m record;
begin
  if v_org is null or coalesce(app.current_member_role(), '') not in ('manager', 'admin') then
    raise exception 'Only managers and admins see the team overview' using errcode = '42501',
      hint = 'Your own work is in your queue.';
  end if;
  v_today := app.organisation_today(v_org);
  v_q_start := date_trunc('quarter', v_today)::date;
  v_q_end := (date_trunc('quarter', v_today) + interval '3 months' - interval '1 day')::date;
  m := app.team_members_overview(v_org, v_today);
  return jsonb_build_object(
    'as_of', v_today,
    'quarter', jsonb_build_object('start', v_q_start, 'end', v_q_end,
                                  'label', extract(year from v_q_start)::text || '-Q' || extract(quarter from v_q_start)::text),
    'members', coalesce(m.members, '[]'::jsonb),
    'totals', jsonb_build_object('open', m.open_total, 'now', m.lane_now, 'overdue', m.overdue,
                                 'escalated', m.escalated,
                                 'open_escalations', (select count(*)::integer from app.workflow_escalations x
                                                       where x.org_id = v_org and x.status = 'open')),
    'renewals', app.team_renewals_of_quarter(v_org, v_today, v_q_start, v_q_end));
end;
$$;
comment on function public.get_team_overview() is
  'Managers and admins: each person''s open work by lane, overdue, escalated, tasks; totals; the organisation''s renewals this quarter (first 100 by decision date).';
revoke execute on function public.get_team_overview() from public, anon;
grant execute on function public.get_team_overview() to authenticated;
