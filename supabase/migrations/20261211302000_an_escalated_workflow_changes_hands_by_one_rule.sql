-- An escalated workflow changes hands by one rule, whatever moves it (docs/escalation-loop.md
-- "Escalated is a hold"): the hold is on the work, not on who holds it.
--
-- What and why: a customer's hand-over (reassign_customer, and any change of its CSM through
-- app.customers_keep_priorities_current) and a person's (hand_over_work, app.move_work_to)
-- moved an escalated workflow to the new owner, its open escalation following it
-- (app.executions_escalation_follows_assignee, migration 20261208503000), while
-- reassign_workflow refused the same workflow with PT409 "it is escalated and waits for a
-- decision". So Admin → People's "Hand over all" moved a leaver's escalated renewal that its
-- per-item Reassign refused, and the queue's bulk Reassign failed on the one item a hand-over
-- would have moved. The domain's answer: an escalated workflow is held by its assignee, on
-- hold, until the manager decides; a return decision gives it back to whoever holds it then.
-- A change of holder neither decides nor ends the escalation, so reassign_workflow now gives
-- an open workflow to someone else whatever its open status, escalated included: it stays
-- escalated, its escalation names the new holder (who may withdraw it, and whom a return
-- gives it back to), and only resolve_escalation or withdraw_escalation ends the hold. A
-- manager who means to decide it still resolves it (reassign ends the hold).
-- Which workflows change hands is app.is_open_status's open (as the hand-overs' open lists);
-- what happens to the escalation is the one trigger above; closed ones are PT409 as before.
-- public.reassign_workflow restated from 20261210601000; the escalated refusal is the change.
-- supabase/tests/escalation_hold/an_escalated_workflow_changes_hands_with_its_escalation.test.sql.

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
  -- A call with this key in flight first (a retry sent before its answer came): waited for
  -- here, so the workflow below is read as it left it, and the key is seen.
  perform app.lock_request_key(reassign_workflow.idempotency_key);
  -- Named before the workflow is looked up: a request without it names no one to find.
  perform app.require_given(reassign_workflow.assignee_id is not null, 'assignee_id', 'Pass the id of the person who takes the workflow over.');
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
  -- Open, escalated included: the hold is on the work, not on who holds it. An escalated
  -- workflow stays escalated and its open escalation goes with it
  -- (app.executions_escalation_follows_assignee), as in a customer's or a person's hand-over.
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
