-- A task's due date is a day of the organisation's calendar, and form and server agree on
-- which days are gone (docs/business-rules.md "Tasks").
--
-- What and why: the server took a due date of yesterday (migration 20261209300000: "a day of
-- grace"), where New task and the Create Task action refuse a day before the browser's today;
-- a person was told "This day has passed" for a date another path (an agent, the MCP server, a
-- script) could still set. The grace was there for two slips, each now fixed at its cause:
-- - a date without a time was read as midnight UTC, which west of UTC is the evening before
--   (a task due 29 Jan listed under Today on the 28th in Los Angeles). A due date only is now
--   that day at 17:00 in the organisation's time zone (app.due_date_param, the end of the
--   working day New task has always sent), so it is due on the day the person chose wherever
--   the organisation is; a date and time is read as sent.
-- - the browser's today can be a day off the organisation's. The forms now count days in the
--   organisation's time zone (get_my_profile's time_zone), as the Tasks views (Today, Overdue,
--   This week) and the due notifications do: the team shares one calendar, and a day already
--   gone for the organisation would land in Overdue the moment it was made.
-- So the rule is one: a due day before the organisation's today is refused (22023 naming the
-- parameter), and nothing else is.
--
-- Restated whole from their newest definitions (create_task and update_task 20261210200000,
-- app.action_create_task, app.require_params_to_run and app.require_due_date_from_today
-- 20261209300000, public.get_my_profile 20261204000200); the due date's reading, the check
-- without its day of grace and get_my_profile's time_zone are the only changes.
-- supabase/tests/tasks/a_due_day_is_a_day_of_the_organisation.test.sql.

-- A due date as a request sends it (ISO 8601, app.timestamp_param's rule): a date only is that
-- day at 17:00 in the organisation's time zone, a date and time is read as sent.
create function app.due_date_param(params jsonb, name text, org_id uuid)
returns timestamptz
language plpgsql
stable
set search_path = ''
as $$
declare
  v_value timestamptz := app.timestamp_param(due_date_param.params, due_date_param.name);
  raw text := btrim(due_date_param.params ->> due_date_param.name);
begin
  if v_value is null or raw !~ '^\d{4}-\d{2}-\d{2}$' then
    return v_value;
  end if;
  return (raw::date + time '17:00') at time zone coalesce(
    (select s.time_zone from app.organisation_settings s where s.org_id = due_date_param.org_id), 'UTC');
end;
$$;
revoke execute on function app.due_date_param(jsonb, text, uuid) from public, anon;
grant execute on function app.due_date_param(jsonb, text, uuid) to authenticated, service_role;
comment on function app.due_date_param(jsonb, text, uuid) is
  'A due date a request sends: a date only (YYYY-MM-DD) is that day at 17:00 in the organisation''s time zone; a date and time is read as sent (ISO 8601, app.timestamp_param).';

-- The due date, refused (22023 naming the argument) when its day in the organisation's time
-- zone is before today there; null stays null.
create or replace function app.require_due_date_from_today(due timestamptz, org_id uuid, argument text)
returns timestamptz
language plpgsql
stable
set search_path = ''
as $$
begin
  if require_due_date_from_today.due is not null
     and (require_due_date_from_today.due at time zone coalesce(
            (select s.time_zone from app.organisation_settings s where s.org_id = require_due_date_from_today.org_id), 'UTC'))::date
         < app.organisation_today(require_due_date_from_today.org_id) then
    raise exception '% is in the past: a task falls due today or later', require_due_date_from_today.argument
      using errcode = '22023',
      hint = 'Choose today (' || app.organisation_moment_words(require_due_date_from_today.org_id, now(), false) || ') or a later day.';
  end if;
  return require_due_date_from_today.due;
end;
$$;
comment on function app.require_due_date_from_today(timestamptz, uuid, text) is
  'Refuses (22023, naming the argument) a due date a person sets whose day, in the organisation''s time zone, is before today there; returns it.';

create or replace function public.create_task(title text, customer_id uuid, description text default null, execution_id uuid default null, task_type text default 'custom', priority text default 'medium', due_date text default null, assigned_to uuid default null, idempotency_key text default null)
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
  v_attempt integer := 0;
  v_due timestamptz;
begin
  if v_org is null or v_role not in ('csm', 'manager', 'admin') then
    raise exception 'Your role may not create tasks' using errcode = '42501';
  end if;
  perform app.check_request_key(create_task.idempotency_key, 'idempotency_key', 200);
  -- An ISO 8601 date, or date and time with Z or an offset (app.timestamp_param, the rule of
  -- an action's times): as a timestamptz argument PostgreSQL read '2026-12-10 09:00 UTC+5' as
  -- a POSIX zone, west of UTC (14:00 UTC), and took 'tomorrow' or '12/01/2026' (1 December or
  -- 12 January?) as it understood them.
  v_due := app.due_date_param(jsonb_build_object('due_date', create_task.due_date), 'due_date', v_org);
  loop
    v_attempt := v_attempt + 1;
    -- A request already made under this key: its task, if it is the same request.
    if create_task.idempotency_key is not null then
      select * into t from app.workflow_tasks w
       where w.org_id = v_org and w.created_by = v_me and w.request_key = create_task.idempotency_key;
      if found then
        if t.title is distinct from app.trimmed(create_task.title)
           or t.customer_id is distinct from create_task.customer_id
           or t.description is distinct from app.trimmed(create_task.description)
           or t.execution_id is distinct from create_task.execution_id
           or t.task_type is distinct from coalesce(create_task.task_type, 'custom')
           or t.priority is distinct from coalesce(create_task.priority, 'medium')
           or t.due_date is distinct from v_due
           or t.assigned_to is distinct from v_assignee then
          raise exception 'this key was used for a different request' using errcode = 'PT409',
            hint = 'Send a new idempotency_key for a new task.';
        end if;
        return app.task_json(t, app.organisation_today(v_org));
      end if;
    end if;

    if v_attempt = 1 then
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
      -- After the workflow's state: a closed one says so, whatever the date. Checked for a new
      -- request only: the same request again answers its task, even a day on.
      perform app.require_due_date_from_today(v_due, v_org, 'due_date');
      if not exists (select 1 from app.profiles p where p.id = v_assignee and p.org_id = v_org) then
        raise exception 'assigned_to must be a member of your organisation' using errcode = '22023';
      end if;
    end if;

    begin
      insert into app.workflow_tasks (org_id, customer_id, execution_id, title, description, task_type, priority,
                                      due_date, assigned_to, created_by, request_key)
      values (v_org, v_customer.id, create_task.execution_id, app.trimmed(create_task.title), app.trimmed(create_task.description),
              coalesce(create_task.task_type, 'custom'), coalesce(create_task.priority, 'medium'),
              v_due, v_assignee, v_me, create_task.idempotency_key)
      returning * into t;
      exit;
    exception when unique_violation then
      -- Another call with this key committed its task first: answer that one (once).
      if create_task.idempotency_key is null or v_attempt > 1 then
        raise;
      end if;
    end;
  end loop;

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
    -- Read under its nested name, so a refusal names the parameter as sent (changes.due_date).
    v_due := app.due_date_param(jsonb_build_object('changes.due_date', update_task.changes -> 'due_date'), 'changes.due_date',
                                 app.current_org_id());
  end if;
  t := app.lock_task(update_task.task_id, 'change');
  -- The task's state before the date, as act_on_task: a closed task says so, whatever the date.
  if t.status not in ('pending', 'in_progress', 'snoozed') then
    raise exception 'Cannot change this task: it is %', t.status using errcode = 'PT409',
      hint = 'Completed and skipped tasks are kept as they were.';
  end if;
  -- A due date changed is one the person sets now; one sent again as it was is left alone.
  if update_task.changes ? 'due_date' and v_due is distinct from t.due_date then
    perform app.require_due_date_from_today(v_due, t.org_id, 'changes.due_date');
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
  v_when timestamptz := app.due_date_param(params, 'due_date', e.org_id);
  v_priorities text[] := array(select jsonb_array_elements_text(app.action_limits(a.action_type, a.config, e.org_id) -> 'priorities'));
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
  perform app.require_due_date_from_today(v_when, e.org_id, 'due_date');
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


create or replace function app.require_params_to_run(action_type text, config jsonb, execution app.workflow_executions, params jsonb)
returns void
language plpgsql
stable
set search_path = ''
as $$
declare
  v_params constant jsonb := coalesce(require_params_to_run.params, '{}'::jsonb);
  v_when timestamptz;
  v_minutes integer;
  v_assignee uuid;
  v_draft uuid;
begin
  perform app.require_params_within_limits(require_params_to_run.action_type, require_params_to_run.config,
                                           require_params_to_run.execution.org_id, v_params);
  case require_params_to_run.action_type
    when 'snooze' then
      if coalesce((require_params_to_run.config ->> 'reason_required')::boolean, true) then
        perform app.require_proposed_text(v_params, 'reason', 'to snooze a workflow');
      end if;
    when 'escalate' then
      perform app.require_proposed_text(v_params, 'reason', 'to escalate a workflow');
    when 'skip' then
      -- A reason given is one of the list (app.require_params_within_limits); none is none of it.
      if v_params ->> 'reason' is null then
        raise exception 'params.reason is required: one of %',
          (select string_agg(r, ', ') from jsonb_array_elements_text(app.action_limits('skip', require_params_to_run.config,
             require_params_to_run.execution.org_id) -> 'reasons') r) using errcode = '22023';
      end if;
    when 'schedule_meeting' then
      v_when := app.timestamp_param(v_params, 'scheduled_at');
      if v_when is null then
        raise exception 'params.scheduled_at is required: the date and time of the meeting' using errcode = '22023';
      end if;
      v_minutes := coalesce((v_params ->> 'duration_minutes')::numeric::integer,
                            (require_params_to_run.config ->> 'default_duration_minutes')::integer, 30);
      if v_when + make_interval(mins => v_minutes) < now() then
        raise exception 'params.scheduled_at is in the past: a meeting is scheduled for a time to come' using errcode = '22023',
          hint = 'Propose a date and time from now on; a meeting that took place is logged as activity on the customer.';
      end if;
      if app.email_list(v_params -> 'attendees') is null then
        raise exception 'params.attendees must be a list of email addresses' using errcode = '22023';
      end if;
      perform app.require_text_within(app.trimmed(v_params ->> 'title'), 'params.title', app.title_limit());
    when 'create_task' then
      v_when := app.due_date_param(v_params, 'due_date', require_params_to_run.execution.org_id);
      if v_when is null then
        raise exception 'params.due_date is required for a follow-up task' using errcode = '22023';
      end if;
      perform app.require_due_date_from_today(v_when, require_params_to_run.execution.org_id, 'params.due_date');
      if v_params ->> 'task_type' is not null then
        perform app.require_task_type(v_params ->> 'task_type', 'params.task_type');
      end if;
      -- Someone who can take the task when it is made: an active CSM, manager or admin of
      -- the organisation (the rule of the tasks' trigger, app.require_person_who_can_take_work).
      if v_params ? 'assigned_to' then
        v_assignee := app.uuid_param(v_params, 'assigned_to');
        if v_assignee is null then
          raise exception 'params.assigned_to must be a member of your organisation' using errcode = '22023';
        end if;
        perform app.require_person_who_can_take_work(require_params_to_run.execution.org_id, v_assignee, 'params.assigned_to');
      end if;
      perform app.require_text_within(app.trimmed(v_params ->> 'title'), 'params.title', app.title_limit());
      perform app.require_text_within(app.trimmed(v_params ->> 'description'), 'params.description', 10000);
    when 'send_email' then
      v_draft := app.uuid_param(v_params, 'artifact_id');
      if v_draft is null then
        raise exception 'params.artifact_id is required: the id of the email draft to send' using errcode = '22023';
      end if;
      if not exists (select 1 from app.workflow_task_artifacts t
                      where t.id = v_draft and t.execution_id = require_params_to_run.execution.id
                        and t.artifact_type = 'email_draft') then
        raise exception 'params.artifact_id must be an email draft of this workflow' using errcode = '22023';
      end if;
    else
      null;  -- a custom action takes any params
  end case;
end;
$$;


-- The signed-in person's profile, with their organisation's time zone: the web app's forms
-- count a due date's days in it, as the server does.
create or replace function public.get_my_profile()
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  result jsonb;
begin
  select jsonb_build_object(
           'id', p.id,
           'org_id', p.org_id,
           'org_name', o.name,
           'full_name', p.full_name,
           'email', p.email,
           'role', p.role,
           'title', p.title,
           'experience_level', p.experience_level,
           'manager_id', p.manager_id,
           'time_zone', coalesce((select s.time_zone from app.organisation_settings s where s.org_id = p.org_id), 'UTC')
         )
    into result
    from app.profiles p
    join app.organisations o on o.id = p.org_id
   where p.id = (select auth.uid());

  if result is null then
    raise exception 'No profile for the signed-in user'
      using errcode = 'PT404',
            hint = 'Sign in as a user who belongs to an organisation, or ask an admin to add you.';
  end if;
  return result;
end;
$$;
comment on function public.get_my_profile() is 'The signed-in person''s profile with their organisation''s name and time zone.';
