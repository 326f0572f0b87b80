-- reassign_workflow takes an idempotency key, so a reassignment whose answer was lost (the
-- connection dropped, a timeout) and that is sent again answers the reassignment it made.
--
-- What and why: a manager's Reassign (a workflow's Reassign, the queue's bulk Reassign, an
-- admin's hand-over of a deactivated person's open work) called reassign_workflow without a
-- key. One that committed but whose answer never reached the browser was reported as failed;
-- sent again it answered 22023 "assignee_id is already the assignee of this workflow" for
-- the manager's own first reassignment (the bulk bar: "1 could not be: …"). Now, as
-- start_workflow (20261207702000): the same key on the same workflow answers it as it is now
-- when it is still with the person the key gave it to; the key on another workflow of the
-- organisation, or for another person, is PT409 "this key was used for a different request".
--
-- - app.workflow_executions.reassign_request_key: the key of the last reassignment made with
--   one (null otherwise), unique per organisation.
-- - public.reassign_workflow(execution_id, assignee_id, reason, idempotency_key): checked by
--   app.check_request_key; looked up on the locked row (app.lock_execution_for_manager), so
--   two calls with one key at once take turns and the second answers as a replay.
-- Restated whole from 20261204000500_workflows_and_steps.sql; the key is the only change.
-- Test: supabase/tests/reassign_workflow/a_workflow_is_reassigned_once_per_key.test.sql.

alter table app.workflow_executions add column reassign_request_key text;
create unique index workflow_executions_reassign_request_key_idx on app.workflow_executions (org_id, reassign_request_key)
  where reassign_request_key is not null;
comment on column app.workflow_executions.reassign_request_key is
  'The idempotency key of the last reassign_workflow made with one (unique per organisation); null otherwise.';

drop function public.reassign_workflow(uuid, uuid, text);
create function public.reassign_workflow(execution_id uuid, assignee_id uuid, reason text, idempotency_key text default null)
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
comment on function public.reassign_workflow(uuid, uuid, text, text) is
  'Managers and admins give an open (not escalated) workflow and its open tasks to another person, with a reason; both are notified. With an idempotency_key, the same reassignment again answers the workflow as it is now; the key on another workflow or for another person is PT409.';
revoke execute on function public.reassign_workflow(uuid, uuid, text, text) from public, anon;
grant execute on function public.reassign_workflow(uuid, uuid, text, text) to authenticated;
