-- A decided escalation no longer asks its manager for a decision (docs/escalation-loop.md
-- "Notifications").
--
-- What and why: a manager's "Escalated to you" notification stayed unread after they resolved
-- the escalation, or after the CSM withdrew it: the bell went on counting a decision nobody
-- could take any more. As a decided proposal's notification is marked read by its decision
-- (app.record_proposal_decision), an escalation's "Escalated to you" notifications (type
-- 'escalation', about its workflow, to its manager) are marked read by the resolve or the
-- withdrawal, in the same transaction, in one statement (app.settle_escalation_notifications).
-- It is a security definer function: notifications are private to their recipient, and a CSM
-- who withdraws settles their manager's. The assignee's own "On hold, escalated by …" is left
-- as it is: it asked nothing of them, and the decision's own notification follows it.
-- resolve_escalation restated whole from 20261208602000 and withdraw_escalation from
-- 20261208600000; the settle_escalation_notifications call is the one change in each.

create function app.settle_escalation_notifications(escalation_id uuid)
returns void
language plpgsql
security definer -- the manager's notifications, settled by whoever decided (or withdrew)
set search_path = ''
as $$
begin
  -- Only a decided escalation settles anything: one still open still asks its manager.
  update app.notifications n
     set read_at = now()
    from app.workflow_escalations x
   where x.id = settle_escalation_notifications.escalation_id
     and x.status <> 'open'
     and n.user_id = x.manager_id
     and n.org_id = x.org_id
     and n.read_at is null
     and n.notification_type = 'escalation'
     and n.data ->> 'execution_id' = x.execution_id::text;
end;
$$;
comment on function app.settle_escalation_notifications(uuid) is
  'Marks read the "Escalated to you" notifications of a decided (resolved or withdrawn) escalation: they ask for a decision no longer to be taken.';
revoke execute on function app.settle_escalation_notifications(uuid) from public, anon;
grant execute on function app.settle_escalation_notifications(uuid) to authenticated, service_role;

create or replace function public.resolve_escalation(execution_id uuid, decision text, note text, assignee_id uuid default null,
                                          idempotency_key text default null)
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
  v_request jsonb;
  v_answer jsonb;
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
  perform app.check_request_key(resolve_escalation.idempotency_key, 'idempotency_key', 200);
  v_request := jsonb_build_object('call', 'resolve_escalation', 'execution_id', resolve_escalation.execution_id,
                                  'decision', resolve_escalation.decision, 'note', resolve_escalation.note,
                                  'assignee_id', resolve_escalation.assignee_id);
  -- Decided already under this key (an answer lost on its way back): what it answered then.
  v_answer := app.answer_under_key(resolve_escalation.idempotency_key, v_request);
  if v_answer is not null then
    return v_answer;
  end if;
  e := app.lock_execution_for_manager(resolve_escalation.execution_id, 'resolve the escalation of', resolve_escalation.assignee_id);
  -- …or by a call with this key at once, which this one waited for.
  v_answer := app.answer_under_key(resolve_escalation.idempotency_key, v_request);
  if v_answer is not null then
    return v_answer;
  end if;
  esc := app.lock_open_escalation(e, 'resolve the escalation of');
  if resolve_escalation.decision = 'reassign' then
    v_new := app.escalation_new_assignee(e, resolve_escalation.assignee_id);
  end if;

  update app.workflow_escalations x
     set status = v_esc_status, resolved_by = (select auth.uid()), resolved_at = now(), resolution_note = v_note,
         reassigned_to = v_new.id
   where x.id = esc.id;
  perform app.settle_escalation_notifications(esc.id);
  -- A reassign decision: the workflow's open tasks follow it (app.hand_open_tasks_to_assignee, a trigger).
  perform app.resolve_escalated_execution(e, esc, resolve_escalation.decision, v_note, v_new.id);
  perform app.notify_escalation_decision(e, esc, resolve_escalation.decision, v_note, v_new);
  v_answer := app.execution_summary(e.id) || jsonb_build_object('escalation_id', esc.id, 'escalation_status', v_esc_status,
                                                                'decision', resolve_escalation.decision);
  perform app.remember_answer(resolve_escalation.idempotency_key, v_request, v_answer);
  return v_answer;
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
  perform app.settle_escalation_notifications(esc.id);
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
