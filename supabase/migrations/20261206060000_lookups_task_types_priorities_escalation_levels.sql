-- Task types, task priorities and escalation levels are defined once: the lookup tables
-- app.task_types, app.task_priorities and app.escalation_levels (key, label, sort).
-- Everything else reads them.
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
comment on table app.task_types is 'The kinds of task (the one list; workflow_tasks.task_type references it). Read it with list_task_options().';
comment on table app.task_priorities is 'Task priorities, least urgent first by sort (the one list; workflow_tasks.priority references it).';
comment on table app.escalation_levels is 'Whom a workflow can be escalated to, lowest first (the one list; workflow_escalations.level references it).';

insert into app.escalation_levels (key, label, sort) values
  ('manager', 'Manager', 1),
  ('vp_cs', 'VP Customer Success', 2),
  ('ceo', 'CEO', 3);

insert into app.task_types (key, label, sort) values
  ('review_contract', 'Review contract', 10),
  ('draft_email', 'Draft email', 20),
  ('schedule_meeting', 'Schedule meeting', 30),
  ('analyze_usage', 'Analyse usage', 40),
  ('prepare_proposal', 'Prepare proposal', 50),
  ('follow_up', 'Follow up', 60),
  ('escalate', 'Escalate', 70),
  ('update_crm', 'Update CRM', 80),
  ('get_transcript', 'Get transcript', 90),
  ('review_recommendation', 'Review recommendation', 100),
  ('custom', 'Other', 110);

insert into app.task_priorities (key, label, sort) values
  ('low', 'Low', 1),
  ('medium', 'Medium', 2),
  ('high', 'High', 3),
  ('urgent', 'Urgent', 4);

-- Everyone signed in reads them; only migrations write them.
alter table app.task_types enable row level security;
alter table app.task_priorities enable row level security;
alter table app.escalation_levels enable row level security;
create policy "Members can read the task types" on app.task_types for select to authenticated using (true);
create policy "Members can read the task priorities" on app.task_priorities for select to authenticated using (true);
create policy "Members can read the escalation levels" on app.escalation_levels for select to authenticated using (true);
revoke all on app.task_types, app.task_priorities, app.escalation_levels from public, anon, authenticated;
grant select on app.task_types, app.task_priorities, app.escalation_levels to authenticated;
grant select, insert, update, delete on app.task_types, app.task_priorities, app.escalation_levels to service_role;

alter table app.workflow_tasks drop constraint workflow_tasks_type_is_known;
alter table app.workflow_tasks drop constraint workflow_tasks_priority_is_known;
alter table app.workflow_tasks
  add constraint workflow_tasks_type_is_known foreign key (task_type) references app.task_types (key) on update cascade,
  add constraint workflow_tasks_priority_is_known foreign key (priority) references app.task_priorities (key) on update cascade;
create index workflow_tasks_task_type_idx on app.workflow_tasks (task_type);
create index workflow_tasks_priority_idx on app.workflow_tasks (priority);
alter table app.workflow_escalations
  add constraint workflow_escalations_level_is_known foreign key (level) references app.escalation_levels (key) on update cascade;
create index workflow_escalations_level_idx on app.workflow_escalations (level);

-- ---------------------------------------------------------------------------- lookups
-- All lookups in one place to read from: app.lookup_keys(lookup) for checks and filters,
-- app.lookup_entries(lookup) ([{key, label}]) for the API. `lookup` is task_type,
-- task_priority or escalation_level.
create view app.lookups with (security_invoker = true) as
  select 'task_type'::text as lookup, t.key, t.label, t.sort from app.task_types t
  union all select 'task_priority', p.key, p.label, p.sort from app.task_priorities p
  union all select 'escalation_level', l.key, l.label, l.sort from app.escalation_levels l;
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

-- ---------------------------------------------------------------------------- the assistant's tools
-- The JSON Schema of the tools offered to the model, recorded with each thread
-- (workflow_llm_context.tools). This is the source of the tool definitions: the chat
-- function offers the model the tools recorded for the thread and validates every call
-- against that same schema (functions-shared/chat/tools.ts derives its zod from it), so
-- what the model is told and what the server accepts cannot differ. The enums come from
-- the lookup tables and the core saved actions. Each property is a full JSON Schema
-- (minLength, maxLength, pattern, anyOf: draft_email's `to` is a string or a list of
-- strings and has no single `type`), so a schema of this result must not assume one.
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
      'parameters', jsonb_build_object('type', 'object', 'properties', '{}'::jsonb, 'required', '[]'::jsonb))),
    jsonb_build_object('type', 'function', 'function', jsonb_build_object(
      'name', 'draft_email',
      'description', 'Save an email draft for the CSM to review and approve. It is never sent by this tool.',
      'parameters', jsonb_build_object('type', 'object',
        'properties', jsonb_build_object(
          'to', jsonb_build_object('description', 'Recipient email addresses or names', 'anyOf', jsonb_build_array(
            jsonb_build_object('type', 'string'), jsonb_build_object('type', 'array', 'items', jsonb_build_object('type', 'string')))),
          'subject', jsonb_build_object('type', 'string', 'description', 'Subject line', 'minLength', 1, 'maxLength', 300, 'pattern', '\S'),
          'body', jsonb_build_object('type', 'string', 'description', 'The email body in plain text', 'minLength', 1, 'maxLength', 20000, 'pattern', '\S')),
        'required', jsonb_build_array('subject', 'body')))),
    jsonb_build_object('type', 'function', 'function', jsonb_build_object(
      'name', 'create_task',
      'description', 'Create a follow-up task for the CSM, linked to this workflow.',
      'parameters', jsonb_build_object('type', 'object',
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
      'parameters', jsonb_build_object('type', 'object',
        'properties', jsonb_build_object(
          'action_key', jsonb_build_object('type', 'string', 'enum',
            (select jsonb_agg(s.key order by s.key) from app.saved_actions s where s.org_id is null and s.action_type <> 'custom')),
          'reason', jsonb_build_object('type', 'string', 'description', 'Why this action helps', 'minLength', 1, 'maxLength', 2000, 'pattern', '\S'),
          'params', jsonb_build_object('type', 'object', 'description', 'Suggested parameters for the action')),
        'required', jsonb_build_array('action_key', 'reason'))))
  )
$$;
comment on function app.assistant_tools() is
  'The tools offered to the model (Ollama/OpenAI JSON-schema shape), the one definition the chat function also validates calls against. None sends email or executes an action.';

-- ---------------------------------------------------------------------------- create_task (lists read from the lookups)
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

-- ---------------------------------------------------------------------------- update_task (lists read from the lookups)
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

-- ---------------------------------------------------------------------------- action_create_task (lists read from the lookups)
create or replace function app.action_create_task(a app.saved_actions, e app.workflow_executions, params jsonb, log_id uuid)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_me uuid := (select auth.uid());
  v_when timestamptz := app.timestamp_param(params, 'due_date');
  v_priorities text[] := coalesce(array(select jsonb_array_elements_text(a.config -> 'priorities')), app.lookup_keys('task_priority'));
  v_priority text := coalesce(params ->> 'priority', a.config ->> 'default_priority', 'medium');
  v_type text := coalesce(params ->> 'task_type', a.config ->> 'default_task_type', 'follow_up');
  v_assignee uuid;
  v_customer_name text;
  v_workflow_name text;
  v_title text;
  v_task_id uuid;
begin
  if v_when is null then
    raise exception 'due_date is required for a follow-up task' using errcode = '22023';
  end if;
  -- The action's config may offer fewer priorities than the organisation knows.
  perform app.require_task_priority(v_priority, 'priority', v_priorities);
  perform app.require_task_type(v_type, 'task_type');
  if params ? 'assigned_to' then
    v_assignee := app.uuid_param(params, 'assigned_to');
    if v_assignee is null or not exists (select 1 from app.profiles p where p.id = v_assignee and p.org_id = e.org_id) then
      raise exception 'assigned_to must be a member of your organisation' using errcode = '22023';
    end if;
  else
    v_assignee := coalesce(e.assigned_to, v_me);
  end if;
  select x.customer_name, x.workflow_name into v_customer_name, v_workflow_name from app.action_context(e) x;
  v_title := coalesce(nullif(btrim(params ->> 'title'), ''), 'Follow up with ' || v_customer_name);
  insert into app.workflow_tasks (org_id, customer_id, execution_id, step_key, title, description, task_type,
                                  priority, assigned_to, created_by, due_date, metadata)
  values (e.org_id, e.customer_id, e.id, e.current_step_key, v_title, params ->> 'description', v_type,
          v_priority, v_assignee, v_me, v_when, jsonb_build_object('action_execution_id', log_id))
  returning id into v_task_id;
  if v_assignee <> v_me then
    insert into app.notifications (org_id, user_id, notification_type, title, body, data)
    values (e.org_id, v_assignee, 'task_assigned', 'New task: ' || v_title,
            'Assigned to you from ' || v_workflow_name || ' for ' || v_customer_name || '.',
            jsonb_build_object('task_id', v_task_id, 'execution_id', e.id, 'assigned_by', v_me));
  end if;
  update app.workflow_executions x
     set metadata = app.with_history(x.metadata, jsonb_build_object('event', 'task_created', 'task_id', v_task_id))
   where x.id = e.id;
  return jsonb_build_object(
    'params', params || jsonb_build_object('priority', v_priority),
    'result', jsonb_build_object('task_id', v_task_id, 'due_date', v_when, 'priority', v_priority, 'assigned_to', v_assignee),
    'side_effects', '[]'::jsonb);
end;
$$;

-- ---------------------------------------------------------------------------- list_tasks (lists read from the lookups)
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
  v_me uuid := (select auth.uid());
  v_org uuid := app.current_org_id();
  v_role text := app.current_member_role();
  v_filters jsonb := coalesce(list_tasks.filters, '{}'::jsonb);
  v_sort text := coalesce(list_tasks.sort, 'due');
  v_statuses text[];
  v_today date;
  v_tz text;
  v_cur jsonb;
  c1 numeric;
  c2 timestamptz;
  c_id uuid;
  v_due text;
  v_priorities text[];
  v_types text[];
  v_people uuid[];
  v_assignee uuid;
  v_team boolean := false;
  v_unknown text;
  v_items jsonb;
  v_next text;
begin
  if v_org is null then
    raise exception 'Only members of an organisation have tasks' using errcode = '42501';
  end if;
  v_statuses := case coalesce(list_tasks.status, 'active')
    when 'active' then array['pending', 'in_progress', 'snoozed']
    when 'all' then array['pending', 'in_progress', 'snoozed', 'completed', 'skipped', 'reassigned']
    when 'pending' then array['pending'] when 'in_progress' then array['in_progress']
    when 'snoozed' then array['snoozed'] when 'completed' then array['completed']
    when 'skipped' then array['skipped'] when 'reassigned' then array['reassigned']
  end;
  if v_statuses is null then
    raise exception 'status must be one of: active, all, pending, in_progress, snoozed, completed, skipped, reassigned'
      using errcode = '22023';
  end if;
  if list_tasks.page_size is null or list_tasks.page_size < 1 or list_tasks.page_size > 200 then
    raise exception 'page_size must be between 1 and 200' using errcode = '22023';
  end if;
  if v_sort not in ('due', 'priority', 'created') then
    raise exception 'sort must be due, priority or created' using errcode = '22023';
  end if;
  if jsonb_typeof(v_filters) <> 'object' then
    raise exception 'filters must be a JSON object' using errcode = '22023';
  end if;
  select k into v_unknown from jsonb_object_keys(v_filters) k
   where k not in ('due', 'priorities', 'task_types', 'assignee_id', 'team') limit 1;
  if v_unknown is not null then
    raise exception 'filters has an unknown key "%"', left(v_unknown, 60) using errcode = '22023',
      hint = 'Known keys: due, priorities, task_types, assignee_id, team.';
  end if;
  v_due := nullif(v_filters ->> 'due', '');
  if v_due is not null and v_due not in ('today', 'overdue', 'this_week') then
    raise exception 'filters.due must be today, overdue or this_week' using errcode = '22023';
  end if;
  v_priorities := app.queue_filter_values(v_filters, 'priorities', app.lookup_keys('task_priority'));
  v_types := app.queue_filter_values(v_filters, 'task_types', app.lookup_keys('task_type'));
  if v_filters ? 'team' and jsonb_typeof(v_filters -> 'team') not in ('boolean', 'null') then
    raise exception 'filters.team must be true or false' using errcode = '22023';
  end if;
  v_team := coalesce((v_filters ->> 'team')::boolean, false);
  if v_filters ? 'assignee_id' and jsonb_typeof(v_filters -> 'assignee_id') <> 'null' then
    begin
      v_assignee := (v_filters ->> 'assignee_id')::uuid;
    exception when others then
      raise exception 'filters.assignee_id must be a person''s id' using errcode = '22023';
    end;
  end if;

  -- Whose tasks: the caller's, one person's (managers, admins), or the team's.
  if v_assignee is not null and v_assignee <> v_me then
    if v_role not in ('manager', 'admin') then
      raise exception 'Only managers and admins can read someone else''s tasks' using errcode = '42501';
    end if;
    if not exists (select 1 from app.profiles p where p.id = v_assignee and p.org_id = v_org) then
      raise exception 'Person not found' using errcode = 'PT404';
    end if;
    v_people := array[v_assignee];
  elsif v_team then
    if v_role = 'admin' then
      v_people := null;  -- the whole organisation
    elsif v_role = 'manager' then
      select array_agg(p.id) into v_people from app.profiles p
       where p.org_id = v_org and (p.id = v_me or p.manager_id = v_me);
    else
      raise exception 'Only managers and admins can read their team''s tasks' using errcode = '42501';
    end if;
  else
    v_people := array[v_me];
  end if;

  if list_tasks.cursor is not null then
    begin
      v_cur := convert_from(decode(list_tasks.cursor, 'base64'), 'UTF8')::jsonb;
      if v_cur ->> 's' is distinct from v_sort then
        c_id := null;
      else
        c1 := (v_cur ->> 'a')::numeric;
        c2 := (v_cur ->> 'b')::timestamptz;
        c_id := (v_cur ->> 'i')::uuid;
      end if;
    exception when others then
      c_id := null;
    end;
    if c_id is null or c1 is null or c2 is null then
      raise exception 'cursor is not valid' using errcode = '22023',
        hint = 'Pass the next_cursor of the previous page (of the same sort) unchanged.';
    end if;
  end if;
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

-- ---------------------------------------------------------------------------- action_escalate (levels read from the lookup)
create or replace function app.action_escalate(a app.saved_actions, e app.workflow_executions, params jsonb, log_id uuid)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_me uuid := (select auth.uid());
  v_levels jsonb := coalesce(a.config -> 'levels', to_jsonb(app.lookup_keys('escalation_level')));
  v_level text := coalesce(params ->> 'level', a.config ->> 'default_level', 'manager');
  v_reason text := nullif(btrim(params ->> 'reason'), '');
  v_assignee uuid;
  v_manager uuid;
  v_customer_name text;
  v_workflow_name text;
  v_id uuid;
  v_effects jsonb;
begin
  if not (v_levels ? v_level) then
    raise exception 'level must be one of: %', (select string_agg(r, ', ') from jsonb_array_elements_text(v_levels) r)
      using errcode = '22023';
  end if;
  if v_reason is null then
    raise exception 'reason is required to escalate a workflow' using errcode = '22023';
  end if;
  select x.customer_name, x.workflow_name into v_customer_name, v_workflow_name from app.action_context(e) x;
  v_assignee := coalesce(e.assigned_to, v_me);
  select p.manager_id into v_manager from app.profiles p where p.id = v_assignee;
  -- The escalation row first: the status trigger below then finds it and adds none.
  insert into app.workflow_escalations (org_id, execution_id, level, reason, escalated_by, assignee_id, manager_id,
                                        from_status, from_snoozed_until, action_execution_id)
  values (e.org_id, e.id, v_level, v_reason, v_me, v_assignee, v_manager, e.status, e.snoozed_until, log_id);
  update app.workflow_executions x
     set status = 'escalated',
         snoozed_until = null,
         metadata = app.with_history(x.metadata, jsonb_build_object(
                      'event', 'escalated', 'level', v_level, 'reason', v_reason, 'from_status', e.status))
                    || jsonb_build_object('escalations', coalesce(x.metadata -> 'escalations', '[]'::jsonb) || jsonb_build_array(
                      jsonb_strip_nulls(jsonb_build_object('level', v_level, 'reason', v_reason, 'by', v_me, 'at', now(),
                                         'manager_id', v_manager, 'from_status', e.status, 'snoozed_until', e.snoozed_until))))
   where x.id = e.id;
  if v_manager is not null then
    -- The id is made here: RLS lets the caller write the manager's notification but not read it back.
    v_id := gen_random_uuid();
    insert into app.notifications (id, org_id, user_id, notification_type, title, body, data)
    values (v_id, e.org_id, v_manager, 'escalation',
            'Escalated to you: ' || v_workflow_name || ' for ' || v_customer_name,
            v_reason,
            jsonb_build_object('execution_id', e.id, 'level', v_level, 'escalated_by', v_me, 'assignee_id', v_assignee));
    v_effects := jsonb_build_array(jsonb_build_object(
      'type', 'notify_manager', 'status', 'delivered', 'recipient_id', v_manager, 'notification_id', v_id,
      'attempts', 1, 'error', null, 'updated_at', now()));
  else
    v_effects := jsonb_build_array(jsonb_build_object(
      'type', 'notify_manager', 'status', 'skipped', 'recipient_id', null, 'attempts', 0,
      'error', 'The assignee has no manager to notify', 'updated_at', now()));
  end if;
  return jsonb_build_object(
    'params', params || jsonb_build_object('level', v_level),
    'result', jsonb_build_object('level', v_level, 'reason', v_reason, 'manager_id', v_manager, 'notification_id', v_id),
    'side_effects', v_effects);
end;
$$;


-- The problem (at most one) with a config's choice among a lookup's keys: `list_key` must
-- be a non-empty list of distinct keys of `lookup`, and `default_key` one of them.
create or replace function app.config_choice_problems(c jsonb, list_key text, default_key text, lookup text, what text)
returns text[]
language sql
stable
set search_path = ''
as $$
  select case
    when jsonb_typeof(c -> list_key) <> 'array' or jsonb_array_length(c -> list_key) = 0
         or not to_jsonb(app.lookup_keys(lookup)) @> (c -> list_key)
         or (select count(distinct x) from jsonb_array_elements(c -> list_key) x) <> jsonb_array_length(c -> list_key)
      then array[format('config.%s must be a non-empty list of distinct %s from %s', list_key, what, array_to_string(app.lookup_keys(lookup), ', '))]
    when not (c -> list_key) @> jsonb_build_array(c -> default_key)
      then array[format('config.%s must be one of config.%s', default_key, list_key)]
    else '{}'::text[] end
$$;
grant execute on function app.config_choice_problems(jsonb, text, text, text, text) to authenticated, service_role;
revoke execute on function app.config_choice_problems(jsonb, text, text, text, text) from public, anon;

-- ---------------------------------------------------------------------------- saved_action_config_problems (lists read from the lookups)
create or replace function app.saved_action_config_problems(action_type text, config jsonb)
returns text[]
language plpgsql
stable
set search_path = ''
as $$
declare
  c jsonb := saved_action_config_problems.config;
  p text[] := '{}'::text[];
  v_allowed text[];
  k text;
begin
  if c is null or jsonb_typeof(c) <> 'object' then
    return array['config must be a JSON object'];
  end if;
  v_allowed := case saved_action_config_problems.action_type
    when 'snooze' then array['default_days', 'min_days', 'max_days', 'reason_required']
    when 'skip' then array['reasons', 'reason_required']
    when 'escalate' then array['levels', 'default_level', 'reason_required', 'notify']
    when 'schedule_meeting' then array['durations_minutes', 'default_duration_minutes', 'date_required', 'attendees_allowed', 'creates_task_type']
    when 'send_email' then array['artifact_type', 'requires_approval', 'approval_setting']
    when 'create_task' then array['due_date_required', 'default_priority', 'priorities', 'default_task_type']
    when 'custom' then null
    else array[]::text[] end;
  if saved_action_config_problems.action_type is null
     or saved_action_config_problems.action_type not in ('snooze', 'skip', 'escalate', 'schedule_meeting', 'send_email', 'create_task', 'custom') then
    return array['action_type must be one of snooze, skip, escalate, schedule_meeting, send_email, create_task, custom'];
  end if;
  if v_allowed is null then
    -- custom: a few plain settings the action's own client reads.
    if (select count(*) from jsonb_object_keys(c)) > 20
       or exists (select 1 from jsonb_each(c) x where x.key !~ '^[a-z0-9]+(_[a-z0-9]+)*$'
                    or jsonb_typeof(x.value) not in ('string', 'number', 'boolean')
                    or (jsonb_typeof(x.value) = 'string' and length(x.value #>> '{}') > 500)) then
      p := p || 'config of a custom action must be at most 20 snake_case settings, each text (up to 500 characters), a number or true/false'::text;
    end if;
    return p;
  end if;
  p := p || app.definition_unknown_keys('config', c, v_allowed);
  -- Every key of the type is required (a saved config is always whole).
  foreach k in array v_allowed loop
    if not c ? k or jsonb_typeof(c -> k) = 'null' then
      p := p || ('config.' || k || ' is required');
    end if;
  end loop;
  if cardinality(p) > 0 then
    return p;
  end if;
  -- true/false settings
  foreach k in array array['reason_required', 'date_required', 'attendees_allowed', 'due_date_required'] loop
    if c ? k and jsonb_typeof(c -> k) <> 'boolean' then
      p := p || ('config.' || k || ' must be true or false');
    end if;
  end loop;

  case saved_action_config_problems.action_type
  when 'snooze' then
    if exists (select 1 from unnest(array['default_days', 'min_days', 'max_days']) f
                where jsonb_typeof(c -> f) <> 'number' or (c ->> f)::numeric <> trunc((c ->> f)::numeric)) then
      p := p || 'config.default_days, min_days and max_days must be whole numbers of days'::text;
    elsif not ((c ->> 'min_days')::numeric >= 1 and (c ->> 'min_days')::numeric <= (c ->> 'default_days')::numeric
               and (c ->> 'default_days')::numeric <= (c ->> 'max_days')::numeric and (c ->> 'max_days')::numeric <= 365) then
      p := p || 'config snooze days must satisfy 1 ≤ min_days ≤ default_days ≤ max_days ≤ 365'::text;
    end if;
    if c -> 'reason_required' <> 'true'::jsonb then
      p := p || 'config.reason_required must stay true: a snooze always says why'::text;
    end if;
  when 'skip' then
    if jsonb_typeof(c -> 'reasons') <> 'array' or jsonb_array_length(c -> 'reasons') not between 1 and 20
       or exists (select 1 from jsonb_array_elements(c -> 'reasons') x
                   where jsonb_typeof(x) <> 'string' or btrim(x #>> '{}') = '' or length(x #>> '{}') > 80)
       or (select count(distinct x) from jsonb_array_elements(c -> 'reasons') x) <> jsonb_array_length(c -> 'reasons') then
      p := p || 'config.reasons must be a list of 1 to 20 distinct reasons, each 1 to 80 characters'::text;
    end if;
    if c -> 'reason_required' <> 'true'::jsonb then
      p := p || 'config.reason_required must stay true: a skipped step always says why'::text;
    end if;
  when 'escalate' then
    p := p || app.config_choice_problems(c, 'levels', 'default_level', 'escalation_level', 'levels');
    if c -> 'reason_required' <> 'true'::jsonb then
      p := p || 'config.reason_required must stay true: an escalation always says why'::text;
    end if;
    if c -> 'notify' <> '"assignee_manager"'::jsonb then
      p := p || 'config.notify must be assignee_manager'::text;
    end if;
  when 'schedule_meeting' then
    if jsonb_typeof(c -> 'durations_minutes') <> 'array' or jsonb_array_length(c -> 'durations_minutes') not between 1 and 12
       or exists (select 1 from jsonb_array_elements(c -> 'durations_minutes') x
                   where jsonb_typeof(x) <> 'number' or (x #>> '{}')::numeric <> trunc((x #>> '{}')::numeric)
                      or (x #>> '{}')::numeric not between 5 and 480)
       or (select count(distinct x) from jsonb_array_elements(c -> 'durations_minutes') x) <> jsonb_array_length(c -> 'durations_minutes') then
      p := p || 'config.durations_minutes must be a list of 1 to 12 distinct whole minutes from 5 to 480'::text;
    elsif not (c -> 'durations_minutes') @> jsonb_build_array(c -> 'default_duration_minutes') then
      p := p || 'config.default_duration_minutes must be one of config.durations_minutes'::text;
    end if;
    if c -> 'creates_task_type' <> '"schedule_meeting"'::jsonb then
      p := p || 'config.creates_task_type must be schedule_meeting'::text;
    end if;
  when 'send_email' then
    if c <> '{"artifact_type": "email_draft", "requires_approval": "organisation_setting", "approval_setting": "require_email_approval"}'::jsonb then
      p := p || 'config of send_email is fixed: whether a draft needs approval is an organisation setting (email.require_approval)'::text;
    end if;
  when 'create_task' then
    p := p || app.config_choice_problems(c, 'priorities', 'default_priority', 'task_priority', 'priorities');
    if not to_jsonb(app.lookup_keys('task_type')) @> jsonb_build_array(c -> 'default_task_type') then
      p := p || 'config.default_task_type must be a task type'::text;
    end if;
    if c -> 'due_date_required' <> 'true'::jsonb then
      p := p || 'config.due_date_required must stay true: a follow-up task always has a due date'::text;
    end if;
  end case;
  return p;
end;
$$;

comment on function app.saved_action_config_problems(text, jsonb) is
  'Every problem with a saved action''s full config for its type; task types and priorities are checked against app.task_types / app.task_priorities. Empty when valid.';

revoke execute on function app.lookup_keys(text), app.lookup_entries(text), app.require_task_type(text, text),
  app.require_task_priority(text, text, text[]), public.list_task_options(), public.list_escalation_levels() from public, anon;
grant execute on function app.lookup_keys(text), app.lookup_entries(text), app.require_task_type(text, text),
  app.require_task_priority(text, text, text[]) to authenticated, service_role;
grant execute on function public.list_task_options(), public.list_escalation_levels() to authenticated;
