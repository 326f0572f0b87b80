-- A workflow's open tasks follow it to its new assignee, whatever moved it, and the new
-- assignee is told of each as act_on_task reassign tells.
--
-- What and why (docs/escalation-loop.md "Who may do what": "the workflow's open tasks follow
-- it"): reassign_workflow and a reassign decision each moved the workflow's open tasks with
-- a copy of one UPDATE, and nothing else did: a customer handed to another CSM took its open
-- workflows along (app.customers_keep_priorities_current, also an ingested csm_email) while
-- their open tasks stayed with the previous CSM, who no longer had the work they belong to.
-- Now the rule is one function, app.hand_open_tasks_to_assignee, run by a row trigger on
-- every change of an open workflow's assignee from one person to another: the tasks of that
-- workflow still open (pending, in progress, snoozed) and still the previous assignee's go
-- to the new one (tasks given to someone else stay theirs), and the new assignee gets a
-- task_reassigned notification for each (app.notify_task_handed_over, act_on_task
-- reassign's; nobody is told of their own action). Its text is the reason of the change when
-- the workflow's history has one for this assignee (a reassignment's reason, a decision's
-- note), else that the task came with its workflow. A workflow left unassigned (its new CSM
-- cannot take work) keeps its tasks where they are.
-- reassign_workflow (20261207706000) and resolve_escalation (20261208100000) are restated whole
-- without their copies of the UPDATE; nothing else changes in them.
-- Test: supabase/tests/reassign_workflow/open_tasks_follow_their_workflow.test.sql.

-- The open tasks of workflow `e` that were `previous`'s go to its assignee, each with a notice.
create function app.hand_open_tasks_to_assignee(e app.workflow_executions, previous uuid)
returns void
language plpgsql
set search_path = ''
as $$
declare
  v_change jsonb := e.metadata -> 'history' -> -1;
  v_reason text := case when v_change ->> 'to_assignee' = e.assigned_to::text then app.trimmed(v_change ->> 'reason') end;
  t app.workflow_tasks;
begin
  for t in
    update app.workflow_tasks x set assigned_to = e.assigned_to
     where x.execution_id = e.id and x.org_id = e.org_id and x.assigned_to = hand_open_tasks_to_assignee.previous
       and x.status in ('pending', 'in_progress', 'snoozed')
    returning x.*
  loop
    perform app.notify_task_handed_over(t, hand_open_tasks_to_assignee.previous,
                                        coalesce(v_reason, 'It came with its workflow, ' || app.execution_label(e) || '.'));
  end loop;
end;
$$;
revoke execute on function app.hand_open_tasks_to_assignee(app.workflow_executions, uuid) from public, anon;
grant execute on function app.hand_open_tasks_to_assignee(app.workflow_executions, uuid) to authenticated, service_role;

create function app.executions_open_tasks_follow_assignee()
returns trigger
language plpgsql
security definer -- the tasks move whoever moved the workflow (a customer's edit, ingest, a manager)
set search_path = ''
as $$
begin
  perform app.hand_open_tasks_to_assignee(new, old.assigned_to);
  return null;
end;
$$;
revoke execute on function app.executions_open_tasks_follow_assignee() from public, anon, authenticated;

create trigger workflow_executions_open_tasks_follow_assignee
  after update of assigned_to on app.workflow_executions
  for each row
  when (old.assigned_to is not null and new.assigned_to is not null and old.assigned_to is distinct from new.assigned_to
        and new.status in ('queued', 'in_progress', 'snoozed', 'escalated'))
  execute function app.executions_open_tasks_follow_assignee();

create or replace function public.reassign_workflow(execution_id uuid, assignee_id uuid, reason text, idempotency_key text default null)
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
  perform app.check_request_key(reassign_workflow.idempotency_key, 'idempotency_key', 200);
  e := app.lock_execution_for_manager(reassign_workflow.execution_id, 'reassign', reassign_workflow.assignee_id);
  -- Reassigned already under this key (an answer lost on its way back): the workflow as it is
  -- now, if it is the same request.
  if e.reassign_request_key = reassign_workflow.idempotency_key then
    if e.assigned_to is distinct from reassign_workflow.assignee_id then
      raise exception 'this key was used for a different request' using errcode = 'PT409',
        hint = 'Send a new idempotency_key for a new reassignment.';
    end if;
    return app.execution_summary(e.id);
  end if;
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
  begin
    update app.workflow_executions x
       set assigned_to = v_new.id,
           reassign_request_key = coalesce(reassign_workflow.idempotency_key, x.reassign_request_key),
           metadata = app.with_history(x.metadata, jsonb_build_object('event', 'reassigned', 'reason', v_reason,
                        'from_assignee', e.assigned_to, 'to_assignee', v_new.id))
     where x.id = e.id;
  exception when unique_violation then
    -- The key reassigned another workflow of the organisation.
    raise exception 'this key was used for a different request' using errcode = 'PT409',
      hint = 'Send a new idempotency_key for a new reassignment.';
  end;
  -- Its open tasks followed it (app.hand_open_tasks_to_assignee, a trigger); the new assignee
  -- hears of it from the assignment trigger, the previous one here.
  perform app.notify(e.org_id, e.assigned_to, 'workflow_assigned',
                     'Reassigned to ' || v_new.full_name || ': ' || app.execution_label(e), v_reason,
                     jsonb_build_object('execution_id', e.id, 'assignee_id', v_new.id, 'previous_assignee_id', e.assigned_to,
                                        'by', (select auth.uid())));
  return app.execution_summary(e.id);
end;
$$;


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
  -- A reassign decision: the workflow's open tasks follow it (app.hand_open_tasks_to_assignee, a trigger).
  perform app.resolve_escalated_execution(e, esc, resolve_escalation.decision, v_note, v_new.id);
  perform app.notify_escalation_decision(e, esc, resolve_escalation.decision, v_note, v_new);
  v_answer := app.execution_summary(e.id) || jsonb_build_object('escalation_id', esc.id, 'escalation_status', v_esc_status,
                                                                'decision', resolve_escalation.decision);
  perform app.remember_answer(resolve_escalation.idempotency_key, v_request, v_answer);
  return v_answer;
end;
$$;

