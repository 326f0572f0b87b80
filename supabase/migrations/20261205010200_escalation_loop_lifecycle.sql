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
-- 20261205010300_escalation_loop_notifications.sql).

-- The hint that goes with "it is escalated".
create or replace function app.escalated_hint()
returns text
language sql
immutable
set search_path = ''
as $$
  select 'Its assignee can withdraw the escalation; a manager can return, reassign or close it.'::text
$$;

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

-- One notification from the caller to a colleague (never to themselves, never to nobody).
create or replace function app.notify(org_id uuid, user_id uuid, notification_type text, title text, body text, data jsonb)
returns void
language sql
set search_path = ''
as $$
  insert into app.notifications (org_id, user_id, notification_type, title, body, data)
  select notify.org_id, notify.user_id, notify.notification_type, notify.title, notify.body, notify.data
   where notify.user_id is not null and notify.user_id is distinct from (select auth.uid())
$$;

---------------------------------------------------------------------------------------
-- start_workflow: an escalated workflow is no longer restarted (that cleared the escalation)
---------------------------------------------------------------------------------------
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
comment on function public.start_workflow(uuid) is 'queued (or snoozed: resumes early) -> in_progress; the first step starts. An escalated workflow waits for its decision.';
revoke execute on function public.start_workflow(uuid) from public, anon;
grant execute on function public.start_workflow(uuid) to authenticated;

---------------------------------------------------------------------------------------
-- complete_workflow: steps left are skipped only on purpose, with a reason
---------------------------------------------------------------------------------------
drop function public.complete_workflow(uuid, jsonb);
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
create or replace function public.resolve_escalation(execution_id uuid, decision text, note text, assignee_id uuid default null)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_me uuid := (select auth.uid());
  e app.workflow_executions;
  esc app.workflow_escalations;
  v_note text;
  v_new app.profiles;
  v_old uuid;
  v_status text;
  v_until timestamptz;
  v_esc_status text;
  v_title text;
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
  v_old := e.assigned_to;
  if resolve_escalation.decision = 'reassign' then
    v_new := app.require_assignable_person(e.org_id, resolve_escalation.assignee_id);
    if v_new.id = e.assigned_to then
      raise exception 'assignee_id is already the assignee' using errcode = '22023',
        hint = 'To give the workflow back to them, use the decision return.';
    end if;
  end if;

  if resolve_escalation.decision = 'close' then
    v_status := 'cancelled';
    v_esc_status := 'closed';
  else
    select x.status, x.snoozed_until into v_status, v_until from app.status_after_escalation(e, esc) x;
    v_esc_status := case resolve_escalation.decision when 'return' then 'returned' else 'reassigned' end;
  end if;

  update app.workflow_escalations x
     set status = v_esc_status, resolved_by = v_me, resolved_at = now(), resolution_note = v_note,
         reassigned_to = v_new.id
   where x.id = esc.id;
  update app.workflow_executions x
     set status = v_status,
         snoozed_until = v_until,
         assigned_to = coalesce(v_new.id, x.assigned_to),
         outcome = case when v_status = 'cancelled'
                        then coalesce(x.outcome, '{}'::jsonb) || jsonb_build_object('cancelled', true, 'reason', v_note,
                               'decision', 'close')
                        else x.outcome end,
         metadata = app.with_history(x.metadata, jsonb_strip_nulls(jsonb_build_object(
                      'event', 'escalation_resolved', 'escalation_id', esc.id, 'decision', resolve_escalation.decision,
                      'note', v_note, 'reason', v_note, 'to_status', v_status, 'from_assignee', v_old,
                      'to_assignee', v_new.id)))
                    || case when v_status = 'cancelled' then '{}'::jsonb
                            else jsonb_build_object('handed_back_at', now()) end
   where x.id = e.id;
  if v_new.id is not null then
    -- Open tasks of this workflow follow it to its new assignee.
    update app.workflow_tasks t set assigned_to = v_new.id
     where t.execution_id = e.id and t.org_id = e.org_id and t.assigned_to = v_old
       and t.status in ('pending', 'in_progress', 'snoozed');
  end if;

  v_title := case resolve_escalation.decision
    when 'return' then 'Returned to you with guidance: '
    when 'reassign' then 'Reassigned to ' || v_new.full_name || ': '
    else 'Closed by your manager: ' end || app.execution_label(e);
  perform app.notify(e.org_id, coalesce(v_old, esc.assignee_id), 'escalation_resolved', v_title, v_note,
                     jsonb_build_object('execution_id', e.id, 'escalation_id', esc.id, 'decision', resolve_escalation.decision,
                                        'by', v_me, 'assignee_id', coalesce(v_new.id, v_old)));
  if esc.escalated_by is distinct from coalesce(v_old, esc.assignee_id) then
    perform app.notify(e.org_id, esc.escalated_by, 'escalation_resolved', v_title, v_note,
                       jsonb_build_object('execution_id', e.id, 'escalation_id', esc.id, 'decision', resolve_escalation.decision,
                                          'by', v_me, 'assignee_id', coalesce(v_new.id, v_old)));
  end if;
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
-- list_escalations
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
      from (select y.* from app.workflow_escalations y
             where y.org_id = v_org
               and (list_escalations.status = 'all'
                    or (list_escalations.status = 'open' and y.status = 'open')
                    or (list_escalations.status = 'resolved' and y.status <> 'open'))
             order by (y.status = 'open') desc, coalesce(y.resolved_at, y.created_at) desc
             limit 500) x
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
comment on function public.list_escalations(text) is
  'Managers and admins: the organisation''s escalations (open oldest first, then resolved newest first) with customer, assignee, reason, age and resolution.';
revoke execute on function public.list_escalations(text) from public, anon;
grant execute on function public.list_escalations(text) to authenticated;

---------------------------------------------------------------------------------------
-- get_team_overview: the manager's home in one call
---------------------------------------------------------------------------------------
create index if not exists workflow_tasks_open_by_assignee_idx on app.workflow_tasks (org_id, assigned_to, due_date)
  where status in ('pending', 'in_progress', 'snoozed');

create or replace function public.get_team_overview()
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_org uuid := app.current_org_id();
  v_me uuid := (select auth.uid());
  v_today date;
  v_q_start date;
  v_q_end date;
  v_result jsonb;
begin
  if v_org is null or coalesce(app.current_member_role(), '') not in ('manager', 'admin') then
    raise exception 'Only managers and admins see the team overview' using errcode = '42501',
      hint = 'Your own work is in your queue.';
  end if;
  v_today := app.organisation_today(v_org);
  v_q_start := date_trunc('quarter', v_today)::date;
  v_q_end := (date_trunc('quarter', v_today) + interval '3 months' - interval '1 day')::date;

  with work as (
    select e.assigned_to as person_id,
           count(*)::integer as open_total,
           count(*) filter (where e.queue_lane = 1)::integer as lane_now,
           count(*) filter (where e.queue_lane = 2)::integer as lane_soon,
           count(*) filter (where e.queue_lane = 3 or e.queue_lane is null)::integer as lane_planned,
           count(*) filter (where e.status = 'in_progress')::integer as in_progress,
           count(*) filter (where e.status = 'snoozed')::integer as snoozed,
           count(*) filter (where e.status = 'escalated')::integer as escalated,
           count(*) filter (where e.renewal_stage is not null and e.customer_decision_date < v_today)::integer as overdue
      from app.workflow_executions e
     where e.org_id = v_org and e.status in ('queued', 'in_progress', 'snoozed', 'escalated') and e.assigned_to is not null
     group by e.assigned_to
  ), tasks as (
    select t.assigned_to as person_id,
           count(*)::integer as open_tasks,
           count(*) filter (where t.due_date < now())::integer as overdue_tasks
      from app.workflow_tasks t
     where t.org_id = v_org and t.status in ('pending', 'in_progress', 'snoozed') and t.assigned_to is not null
     group by t.assigned_to
  ), members as (
    select jsonb_agg(jsonb_build_object(
             'id', p.id, 'full_name', p.full_name, 'email', p.email, 'role', p.role, 'title', p.title,
             'experience_level', p.experience_level, 'manager_id', p.manager_id, 'reports_to_me', coalesce(p.manager_id = v_me, false),
             'open_total', coalesce(w.open_total, 0),
             'lanes', jsonb_build_object('now', coalesce(w.lane_now, 0), 'soon', coalesce(w.lane_soon, 0),
                                         'planned', coalesce(w.lane_planned, 0)),
             'in_progress', coalesce(w.in_progress, 0),
             'snoozed', coalesce(w.snoozed, 0),
             'escalated', coalesce(w.escalated, 0),
             'overdue', coalesce(w.overdue, 0),
             'open_tasks', coalesce(k.open_tasks, 0),
             'overdue_tasks', coalesce(k.overdue_tasks, 0))
           order by (p.manager_id = v_me) desc nulls last, coalesce(w.lane_now, 0) + coalesce(w.overdue, 0) desc,
                    lower(p.full_name), p.id) as list,
           coalesce(sum(w.open_total), 0)::integer as open_total,
           coalesce(sum(w.lane_now), 0)::integer as lane_now,
           coalesce(sum(w.overdue), 0)::integer as overdue,
           coalesce(sum(w.escalated), 0)::integer as escalated
      from app.profiles p
      left join work w on w.person_id = p.id
      left join tasks k on k.person_id = p.id
     where p.org_id = v_org and (p.role = 'csm' or w.open_total > 0)
  ), renewals as (
    select c.id, c.name, c.arr, c.health_score, c.renewal_date, c.decision_date, c.renewal_stage, c.assigned_to,
           row_number() over (order by coalesce(c.decision_date, c.renewal_date), c.id) as n
      from app.customers c
     where c.org_id = v_org and c.renewal_date between v_q_start and v_q_end
  )
  select jsonb_build_object(
           'as_of', v_today,
           'quarter', jsonb_build_object('start', v_q_start, 'end', v_q_end,
                                         'label', extract(year from v_q_start)::text || '-Q' || extract(quarter from v_q_start)::text),
           'members', coalesce(m.list, '[]'::jsonb),
           'totals', jsonb_build_object('open', m.open_total, 'now', m.lane_now, 'overdue', m.overdue,
                                        'escalated', m.escalated,
                                        'open_escalations', (select count(*)::integer from app.workflow_escalations x
                                                              where x.org_id = v_org and x.status = 'open')),
           'renewals', jsonb_build_object(
             'count', (select count(*)::integer from renewals),
             'arr', (select coalesce(sum(r.arr), 0) from renewals r),
             'items', coalesce((
               select jsonb_agg(jsonb_build_object(
                        'customer_id', r.id, 'name', r.name, 'arr', r.arr, 'health_score', r.health_score,
                        'renewal_date', r.renewal_date, 'decision_date', r.decision_date, 'renewal_stage', r.renewal_stage,
                        'days_until_decision', coalesce(r.decision_date, r.renewal_date) - v_today,
                        'assignee_id', r.assigned_to, 'assignee_name', p.full_name,
                        'execution_id', (select x.id from app.workflow_executions x
                                          where x.customer_id = r.id and x.org_id = v_org and x.renewal_stage is not null
                                            and x.status in ('queued', 'in_progress', 'snoozed', 'escalated')
                                          order by x.created_at desc limit 1))
                      order by r.n)
                 from renewals r left join app.profiles p on p.id = r.assigned_to
                where r.n <= 100), '[]'::jsonb)))
    into v_result
    from members m;
  return v_result;
end;
$$;
comment on function public.get_team_overview() is
  'Managers and admins: each person''s open work by lane, overdue, escalated, tasks; totals; the organisation''s renewals this quarter (first 100 by decision date).';
revoke execute on function public.get_team_overview() from public, anon;
grant execute on function public.get_team_overview() to authenticated;

do $$
declare
  fn text;
begin
  foreach fn in array array[
    'app.escalated_hint()', 'app.required_text(text, text, text)', 'app.require_assignable_person(uuid, uuid)',
    'app.lock_execution_for_manager(uuid, text, uuid)', 'app.lock_open_escalation(app.workflow_executions, text)',
    'app.status_after_escalation(app.workflow_executions, app.workflow_escalations)',
    'app.execution_label(app.workflow_executions)', 'app.notify(uuid, uuid, text, text, text, jsonb)'] loop
    execute format('revoke execute on function %s from public, anon', fn);
    execute format('grant execute on function %s to authenticated, service_role', fn);
  end loop;
end
$$;
