-- Tasks: long functions of 20261204000700_tasks.sql made short (issue 17, point 3).
--
-- What: act_on_task becomes a guard and a dispatcher over one function per action
-- (app.task_<action>). Why: a reader can hold each piece in their head. The answers and
-- the errors (codes, messages, hints) are unchanged; so are the signature, security,
-- volatility, grants and comment of act_on_task. The helpers live in `app`, set
-- search_path = '', run as the caller (RLS applies as before) and are executable only by
-- the callers' roles.

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
