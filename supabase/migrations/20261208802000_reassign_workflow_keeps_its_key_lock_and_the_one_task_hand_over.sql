-- reassign_workflow as 20261208602000 left it (a workflow's open tasks follow it through the
-- one row trigger, app.hand_open_tasks_to_assignee, not a copy of its UPDATE), with the key
-- lock of 20261208800000 (app.lock_request_key before the workflow's locks, so a retry sent
-- while the first call is in flight waits for it and replays).
--
-- What and why: 20261208800000 restated reassign_workflow from 20261207706000 while
-- 20261208602000, committed at the same time with a lower version, restated it without its
-- copy of the tasks' UPDATE; applied in version order, 800000 brought the copy back. The copy
-- found nothing to move (the trigger had moved the tasks), but it is a second definition of
-- the rule 602000 wrote once. Restated whole from 602000; the key lock is the one change.
-- Tests: supabase/tests/reassign_workflow/open_tasks_follow_their_workflow.test.sql,
-- tests/integration/answered-request-races.test.ts.

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
