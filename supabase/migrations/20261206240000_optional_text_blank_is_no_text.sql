-- Optional free text that is blank is stored as no text (null), whatever the blank
-- (docs/business-rules.md "Required text").
--
-- What and why: 20261206226000 made required reasons, notes and titles refuse text that is
-- only whitespace or invisible characters (app.trimmed), and set_renewal_forecast's note
-- (20261206234000) stores such a note as none. The other optional texts were still stored
-- as sent: a task's description of "\t\n" or a lone zero-width space (create_task,
-- update_task, the create_task action), a skipped step's note " \u00a0" (the skip action),
-- a saved action's description, a person's job title ("\t" through update_person, whose
-- btrim strips spaces only, and the invitation), a workflow definition's description and a
-- version's change note. The screens then showed an empty description box or an empty
-- "Note:" line, and a blank title sorted as a title. Each now goes through app.trimmed:
-- the text without the whitespace and invisible characters around it, or null when
-- nothing is left. Where sending the field means "set it" (update_task's description,
-- update_person's title, a definition's description) blank clears it; where null means
-- "keep it" (save_saved_action's description and name) blank keeps it, as null does.
-- Names that are required and already refused when blank (an invited person's full name,
-- a saved action's or definition's name) are stored trimmed the same way, where btrim left
-- a tab or a line break around them.
--
-- Restated whole from their latest definitions (create_task 20261206230000, update_task and
-- action_create_task 20261206226000, action_skip 20261204000600, store_org_saved_action,
-- person_changed_description, store_workflow_definition_row and
-- store_workflow_definition_version 20261204001200, create_invited_person 20261205194500);
-- the app.trimmed calls are the only change. Grants and comments stay (create or replace).
-- supabase/tests/optional_text/blank_optional_text_is_null.test.sql sends each of them blanks.

create or replace function public.create_task(title text, customer_id uuid, description text default null, execution_id uuid default null, task_type text default 'custom', priority text default 'medium', due_date timestamptz default null, assigned_to uuid default null)
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
  v_execution app.workflow_executions;
  t app.workflow_tasks;
begin
  if v_org is null or v_role not in ('csm', 'manager', 'admin') then
    raise exception 'Your role may not create tasks' using errcode = '42501';
  end if;
  if app.trimmed(create_task.title) is null then
    raise exception 'title is required' using errcode = '22023';
  end if;
  perform app.require_given(create_task.customer_id is not null, 'customer_id', 'Pass the id of the customer the task is for.');
  perform app.require_task_type(coalesce(create_task.task_type, 'custom'), 'task_type');
  perform app.require_task_priority(coalesce(create_task.priority, 'medium'), 'priority');
  select * into v_customer from app.customers c where c.id = create_task.customer_id;
  if not found then
    raise exception 'Customer not found' using errcode = 'PT404';
  end if;
  if create_task.execution_id is not null then
    select * into v_execution from app.workflow_executions e
     where e.id = create_task.execution_id and e.customer_id = v_customer.id;
    if not found then
      raise exception 'execution_id must be a workflow of this customer' using errcode = '22023';
    end if;
    if not app.can_work_on_execution(create_task.execution_id) then
      raise exception 'You may not add tasks to this workflow' using errcode = '42501';
    end if;
    -- Locked as the lifecycle RPCs lock it (app.lock_workable_execution, 20261206225000:
    -- the assignee's workload, then the row, asked again), so a close, an escalation or a
    -- reassignment committing now is waited for and seen, and one that starts now waits
    -- for this task (and counts it).
    v_execution := app.lock_workable_execution(v_execution, 'add tasks to');
    perform app.require_workflow_accepts(v_execution, 'action', 'add a task to');
  end if;
  if not exists (select 1 from app.profiles p where p.id = v_assignee and p.org_id = v_org) then
    raise exception 'assigned_to must be a member of your organisation' using errcode = '22023';
  end if;

  insert into app.workflow_tasks (org_id, customer_id, execution_id, title, description, task_type, priority,
                                  due_date, assigned_to, created_by)
  values (v_org, v_customer.id, create_task.execution_id, app.trimmed(create_task.title), app.trimmed(create_task.description),
          coalesce(create_task.task_type, 'custom'), coalesce(create_task.priority, 'medium'),
          create_task.due_date, v_assignee, v_me)
  returning * into t;

  if v_assignee <> v_me then
    insert into app.notifications (org_id, user_id, notification_type, title, body, data)
    values (v_org, v_assignee, 'task_assigned', app.fit_title('New task: ' || t.title),
            'For ' || v_customer.name || coalesce(', due ' || to_char(t.due_date, 'YYYY-MM-DD'), '') || '.',
            jsonb_build_object('task_id', t.id, 'customer_id', v_customer.id, 'assigned_by', v_me));
  end if;
  return app.task_json(t, app.organisation_today(v_org));
end;
$$;

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
  perform app.require_text_params(update_task.changes, array['title', 'description', 'priority', 'due_date'], 'changes');
  if update_task.changes ? 'title' and app.trimmed(update_task.changes ->> 'title') is null then
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
     set title = case when update_task.changes ? 'title' then app.trimmed(update_task.changes ->> 'title') else x.title end,
         description = case when update_task.changes ? 'description' then app.trimmed(update_task.changes ->> 'description') else x.description end,
         priority = case when update_task.changes ? 'priority' then update_task.changes ->> 'priority' else x.priority end,
         due_date = case when update_task.changes ? 'due_date' then v_due else x.due_date end
   where x.id = t.id
  returning * into t;
  return app.task_json(t, app.organisation_today(t.org_id));
end;
$$;

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
  -- A typed title too long is refused (the tasks' own bound); a generated one is shortened.
  v_title := coalesce(app.trimmed(params ->> 'title'), app.fit_title('Follow up with ' || v_customer_name));
  insert into app.workflow_tasks (org_id, customer_id, execution_id, step_key, title, description, task_type,
                                  priority, assigned_to, created_by, due_date, metadata)
  values (e.org_id, e.customer_id, e.id, e.current_step_key, v_title, app.trimmed(params ->> 'description'), v_type,
          v_priority, v_assignee, v_me, v_when, jsonb_build_object('action_execution_id', log_id))
  returning id into v_task_id;
  if v_assignee <> v_me then
    insert into app.notifications (org_id, user_id, notification_type, title, body, data)
    values (e.org_id, v_assignee, 'task_assigned', app.fit_title('New task: ' || v_title),
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

create or replace function app.action_skip(a app.saved_actions, e app.workflow_executions, params jsonb, log_id uuid)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_reasons jsonb := coalesce(a.config -> 'reasons',
    '["Not applicable", "Already completed", "Customer requested skip", "Internal decision", "Other"]'::jsonb);
  v_reason text := params ->> 'reason';
begin
  if v_reason is null or not (v_reasons ? v_reason) then
    raise exception 'reason must be one of: %', (select string_agg(r, ', ') from jsonb_array_elements_text(v_reasons) r)
      using errcode = '22023';
  end if;
  if e.status <> 'in_progress' then
    raise exception 'Cannot skip a step: the workflow is %', app.status_words(e.status) using errcode = 'PT409',
      hint = 'Start the workflow first.';
  end if;
  return jsonb_build_object(
    'params', params,
    'result', app.finish_step(e, params ->> 'step_key', 'skipped',
                              jsonb_strip_nulls(jsonb_build_object('note', app.trimmed(params ->> 'note'), 'action_log_id', log_id)), v_reason),
    'side_effects', '[]'::jsonb);
end;
$$;

create or replace function app.store_org_saved_action(org_id uuid, action_key text, own app.saved_actions, core app.saved_actions, action_type text, config jsonb, name text, description text)
returns app.saved_actions
language plpgsql
set search_path = ''
as $$
declare
  v_row app.saved_actions;
begin
  if own.id is not null then
    update app.saved_actions s
       set config = store_org_saved_action.config,
           name = coalesce(app.trimmed(store_org_saved_action.name), s.name),
           description = coalesce(app.trimmed(store_org_saved_action.description), s.description)
     where s.id = own.id
    returning * into v_row;
    return v_row;
  end if;
  insert into app.saved_actions (org_id, key, name, description, action_type, config)
  values (store_org_saved_action.org_id, store_org_saved_action.action_key,
          coalesce(core.name, app.trimmed(store_org_saved_action.name)),
          coalesce(core.description, app.trimmed(store_org_saved_action.description)),
          store_org_saved_action.action_type, store_org_saved_action.config)
  returning * into v_row;
  return v_row;
end;
$$;

create or replace function app.person_changed_description(person app.profiles, changes jsonb)
returns app.profiles
language plpgsql
immutable
set search_path = ''
as $$
begin
  if changes ? 'title' then
    if jsonb_typeof(changes -> 'title') not in ('string', 'null') or length(changes ->> 'title') > 120 then
      raise exception 'changes.title must be text of at most 120 characters, or null' using errcode = '22023';
    end if;
    person.title := app.trimmed(changes ->> 'title');
  end if;
  if changes ? 'experience_level' then
    if jsonb_typeof(changes -> 'experience_level') <> 'null'
       and (jsonb_typeof(changes -> 'experience_level') <> 'string'
            or changes ->> 'experience_level' not in ('junior', 'mid', 'senior', 'expert')) then
      raise exception 'changes.experience_level must be one of junior, mid, senior, expert, or null' using errcode = '22023';
    end if;
    person.experience_level := changes ->> 'experience_level';
  end if;
  return person;
end;
$$;

create or replace function public.create_invited_person(actor_id uuid, user_id uuid, email text, full_name text, role text, manager_id uuid default null, title text default null, experience_level text default null)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_org uuid := app.invitation_organisation(create_invited_person.actor_id, create_invited_person.email,
                                            create_invited_person.full_name, create_invited_person.role,
                                            create_invited_person.manager_id, create_invited_person.title,
                                            create_invited_person.experience_level);
  v_person app.profiles;
begin
  if exists (select 1 from app.profiles p where p.id = create_invited_person.user_id) then
    raise exception 'This person already belongs to an organisation' using errcode = 'PT409';
  end if;

  insert into app.profiles (id, org_id, role, manager_id, full_name, email, title, experience_level)
  values (create_invited_person.user_id, v_org, create_invited_person.role, create_invited_person.manager_id,
          app.trimmed(create_invited_person.full_name), lower(create_invited_person.email),
          app.trimmed(create_invited_person.title), create_invited_person.experience_level)
  returning * into v_person;
  -- (profiles.id references auth.users: an id the Auth API did not create is a 23503.)

  perform app.write_admin_audit(v_org, create_invited_person.actor_id, 'person', v_person.id::text, 'invite', null,
    jsonb_build_object('email', v_person.email, 'full_name', v_person.full_name, 'role', v_person.role,
                       'manager_id', v_person.manager_id));
  return app.person_json(v_person) || jsonb_build_object('status', 'invited');
end;
$$;

create or replace function app.store_workflow_definition_row(org_id uuid, workflow_key text, own app.workflows, core app.workflows, d jsonb, version integer)
returns app.workflows
language plpgsql
set search_path = ''
as $$
declare
  v_row app.workflows;
begin
  if own.id is not null then
    update app.workflows w
       set name = coalesce(app.trimmed(d ->> 'name'), w.name),
           description = case when d ? 'description' then app.trimmed(d ->> 'description') else w.description end,
           base_score = coalesce((d ->> 'base_score')::numeric, w.base_score),
           current_version = store_workflow_definition_row.version
     where w.id = own.id
    returning * into v_row;
    return v_row;
  end if;
  insert into app.workflows (org_id, key, name, description, workflow_type, trigger_config, base_score,
                             current_version, overrides_workflow_id)
  values (store_workflow_definition_row.org_id, store_workflow_definition_row.workflow_key,
          coalesce(core.name, app.trimmed(d ->> 'name')),
          case when d ? 'description' then app.trimmed(d ->> 'description') else core.description end,
          coalesce(core.workflow_type, d ->> 'type', case when d -> 'trigger' ->> 'kind' = 'renewal_stage' then 'renewal' else 'custom' end),
          coalesce(core.trigger_config, d -> 'trigger', '{"kind": "manual"}'::jsonb),
          coalesce(core.base_score, (d ->> 'base_score')::numeric, 50),
          store_workflow_definition_row.version, core.id)
  returning * into v_row;
  return v_row;
end;
$$;

create or replace function app.store_workflow_definition_version(w app.workflows, d jsonb)
returns uuid
language plpgsql
set search_path = ''
as $$
declare
  v_version_id uuid;
begin
  insert into app.workflow_versions (workflow_id, org_id, version, config, change_note, created_by)
  values (w.id, w.org_id, w.current_version,
          jsonb_build_object('steps', (
            select jsonb_agg(jsonb_build_object(
                     'key', s ->> 'key', 'title', s ->> 'title', 'type', s ->> 'type',
                     'prompt_template', s ->> 'prompt_template',
                     'artifact_types', coalesce(s -> 'artifact_types', '[]'::jsonb)) order by ord)
              from jsonb_array_elements(d -> 'steps') with ordinality as x(s, ord))),
          app.trimmed(d ->> 'change_note'), (select auth.uid()))
  returning id into v_version_id;

  insert into app.workflow_chat_branches (
    workflow_version_id, org_id, step_key, branch_key, label, branch_type, position,
    response_text, next_step_key, prompt_template, allow_off_script, saved_action_key, return_step_key, config)
  select v_version_id, w.org_id, s ->> 'key', b ->> 'key', b ->> 'label', b ->> 'type', (b_ord - 1)::integer,
         b ->> 'response_text', b ->> 'next_step_key', b ->> 'prompt_template',
         coalesce((b ->> 'allow_off_script')::boolean, false),
         b ->> 'saved_action_key', b ->> 'return_step_key', coalesce(b -> 'config', '{}'::jsonb)
    from jsonb_array_elements(d -> 'steps') as x(s)
    cross join lateral jsonb_array_elements(coalesce(s -> 'branches', '[]'::jsonb)) with ordinality as y(b, b_ord);
  return v_version_id;
end;
$$;

