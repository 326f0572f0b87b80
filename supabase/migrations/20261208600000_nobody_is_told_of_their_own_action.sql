-- Nobody is told of their own action, and the person whose work an escalation holds is told.
--
-- What and why (docs/escalation-loop.md "Notifications"):
-- - Escalate (app.action_escalate) wrote "Escalated to you" to the assignee's manager whoever
--   pressed it, so a manager escalating her CSM's workflow was told of her own press, and the
--   CSM, whose work was now on hold, heard nothing. Now the manager is told unless she
--   escalated it herself (the side effect notify_manager is then skipped, "You are the
--   assignee's manager"), and the assignee is told ('escalation', "On hold, escalated by
--   <name>: …", the reason as its text) unless they escalated it.
-- - A withdrawal by the manager or admin who escalated someone else's work told only the
--   manager (herself, so nobody): its assignee now learns the hold is over.
-- - act_on_task reassign to oneself wrote "Task handed to you" to the person who pressed it.
--   Its notification is now app.notify_task_handed_over, through app.notify, which tells
--   nobody of their own action; the tasks that follow their workflow use it too.
-- Every other emitter of the newest definitions was checked: app.notify (cancel_workflow,
-- reassign_workflow, escalation decisions, withdrawals) skips the caller; create_task and the
-- create_task action skip their own tasks; the assignment and wake trigger skips the caller;
-- mentions skip the author; the hourly jobs run as nobody.
-- Restated whole from their newest definitions: app.action_escalate (20261206340000),
-- app.task_reassign (20261206226000), public.withdraw_escalation (20261208100000).
-- Test: supabase/tests/notifications/nobody_is_told_of_their_own_action.test.sql.

-- "Task handed to you": a task now `t.assigned_to`'s, taken from `previous`, with why as its text.
create function app.notify_task_handed_over(t app.workflow_tasks, previous uuid, reason text)
returns void
language sql
set search_path = ''
as $$
  select app.notify(t.org_id, t.assigned_to, 'task_reassigned', 'Task handed to you: ' || t.title,
                    notify_task_handed_over.reason,
                    jsonb_build_object('task_id', t.id, 'reassigned_by', (select auth.uid()),
                                       'reassigned_from', notify_task_handed_over.previous));
$$;
revoke execute on function app.notify_task_handed_over(app.workflow_tasks, uuid, text) from public, anon;
grant execute on function app.notify_task_handed_over(app.workflow_tasks, uuid, text) to authenticated, service_role;

create or replace function app.action_escalate(a app.saved_actions, e app.workflow_executions, params jsonb, log_id uuid)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_me uuid := (select auth.uid());
  v_levels jsonb := app.action_limits(a.action_type, a.config, e.org_id) -> 'levels';
  v_level text := coalesce(params ->> 'level', a.config ->> 'default_level', 'manager');
  v_reason text := app.trimmed(params ->> 'reason');
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
  if v_manager is not null and v_manager is distinct from v_me then
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
    -- The assignee's manager who escalated it knows: nobody is told of their own action.
    v_effects := jsonb_build_array(jsonb_build_object(
      'type', 'notify_manager', 'status', 'skipped', 'recipient_id', null, 'attempts', 0,
      'error', case when v_manager is null then 'The assignee has no manager to notify'
                    else 'You are the assignee''s manager' end,
      'updated_at', now()));
  end if;
  -- A manager or admin escalating someone else's work: its assignee learns it is on hold.
  perform app.notify(e.org_id, v_assignee, 'escalation',
                     'On hold, escalated by ' || coalesce((select p.full_name from app.profiles p where p.id = v_me), 'a manager')
                       || ': ' || v_workflow_name || ' for ' || v_customer_name,
                     v_reason,
                     jsonb_build_object('execution_id', e.id, 'level', v_level, 'escalated_by', v_me,
                                        'assignee_id', v_assignee, 'manager_id', v_manager));
  return jsonb_build_object(
    'params', params || jsonb_build_object('level', v_level),
    'result', jsonb_build_object('level', v_level, 'reason', v_reason, 'manager_id', v_manager, 'notification_id', v_id),
    'side_effects', v_effects);
end;
$$;


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
  if v_new is null and coalesce(btrim(task_reassign.params ->> 'assignee_id'), '') <> '' then
    raise exception 'params.assignee_id must be a person''s id' using errcode = '22023',
      hint = 'Pick the person from the team list; their id is a UUID.';
  end if;
  if v_new is null then
    raise exception 'params.assignee_id is required: who takes the task over' using errcode = '22023';
  end if;
  v_reason := app.trimmed(task_reassign.params ->> 'reason');
  if v_reason is null then
    raise exception 'params.reason is required to reassign a task' using errcode = '22023';
  end if;
  perform app.require_person_who_can_take_work(t.org_id, v_new, 'params.assignee_id');
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
  perform app.notify_task_handed_over(v_task, v_task.reassigned_from, v_reason);
  return v_task;
end;
$$;


create or replace function public.withdraw_escalation(execution_id uuid, reason text, idempotency_key text default null)
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
  v_request jsonb;
  v_answer jsonb;
begin
  v_reason := app.required_text(withdraw_escalation.reason, 'reason', 'to withdraw an escalation');
  perform app.check_request_key(withdraw_escalation.idempotency_key, 'idempotency_key', 200);
  v_request := jsonb_build_object('call', 'withdraw_escalation', 'execution_id', withdraw_escalation.execution_id,
                                  'reason', withdraw_escalation.reason);
  -- Withdrawn already under this key (an answer lost on its way back): what it answered then.
  v_answer := app.answer_under_key(withdraw_escalation.idempotency_key, v_request);
  if v_answer is not null then
    return v_answer;
  end if;
  e := app.lock_execution(withdraw_escalation.execution_id, 'withdraw the escalation of');
  -- …or by a call with this key at once, which this one waited for.
  v_answer := app.answer_under_key(withdraw_escalation.idempotency_key, v_request);
  if v_answer is not null then
    return v_answer;
  end if;
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
  -- Withdrawn by the one who escalated someone else's work: its assignee learns the hold is over
  -- (app.notify tells nobody of their own withdrawal).
  if esc.manager_id is distinct from e.assigned_to then
    perform app.notify(e.org_id, e.assigned_to, 'escalation_resolved', 'Back to you, escalation withdrawn: ' || app.execution_label(e),
                       v_reason, jsonb_build_object('execution_id', e.id, 'escalation_id', esc.id, 'decision', 'withdrawn',
                                                    'by', v_me));
  end if;
  v_answer := app.execution_summary(e.id) || jsonb_build_object('escalation_id', esc.id, 'escalation_status', 'withdrawn');
  perform app.remember_answer(withdraw_escalation.idempotency_key, v_request, v_answer);
  return v_answer;
end;
$$;

