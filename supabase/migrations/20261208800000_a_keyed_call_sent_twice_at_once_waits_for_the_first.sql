-- A keyed call sent twice at once: the second waits for the first under its key before it
-- reads anything, then answers what the first answered (docs/reliability.md "Two writers at
-- once"; docs/workflow-engine.md "Locks").
--
-- What and why: a retry of a press whose answer is late (a timeout, a dropped connection)
-- can reach the server while the first call is still in flight. The lifecycle calls of
-- 20261208100000 looked their key up before their locks and again once the workflow or task
-- was locked, and reassign_workflow (20261207706000) on the locked row, so the retry waited
-- for the first in the workflow's or task's locks and was meant to replay. But the lock
-- helpers ask again on the locked row whether the caller may act, against the row as the
-- retry read it before it waited: when the first call handed the work to someone else, the
-- retry was refused for the person's own first press. resolve_escalation deciding
-- "reassign" and reassign_workflow answered PT409 "This workflow was reassigned while you
-- were acting", act_on_task's reassign of a task 42501 "You may not reassign this task".
-- Now the key is taken first, as decide_proposal's is (20261208202000):
--
-- - app.lock_request_key(key): a transaction-level advisory lock per person and key
--   (nothing without a key). It comes before every other lock of the call: the caller's
--   key, then the assignees' workloads, then the rows. Calls under one key are one
--   person's retries, so nothing else ever waits for it.
-- - app.answer_under_key takes it before it looks the key up (it is therefore volatile
--   now): the six lifecycle calls call it before any lock, so a retry waits there for the
--   first call and then reads its answer, committed meanwhile (a statement of a volatile
--   function reads what committed before it began). A first call refused or rolled back
--   leaves no answer, and the retry goes on as a new request.
-- - public.reassign_workflow takes it before app.lock_execution_for_manager. Restated whole
--   from 20261207706000_reassign_is_applied_once_per_key.sql; that line is the one change.
-- tests/integration/answered-request-races.test.ts (each of the three failed before).

create function app.lock_request_key(key text)
returns void
language plpgsql
set search_path = ''
as $$
begin
  if lock_request_key.key is not null then
    perform pg_catalog.pg_advisory_xact_lock(
      pg_catalog.hashtextextended('renubu.request-key:' || coalesce((select auth.uid())::text, '') || ':' || lock_request_key.key, 0));
  end if;
end;
$$;
comment on function app.lock_request_key(text) is
  'Serialises one person''s calls under one idempotency key (until the transaction ends): taken before any other lock, so a retry sent while the first call is in flight waits for it, then replays its answer.';
revoke execute on function app.lock_request_key(text) from public, anon;
grant execute on function app.lock_request_key(text) to authenticated, service_role;

-- The answer the caller's call under `key` gave: null when there is none (or no key, or no
-- signed-in person), PT409 when the key was used for another request. Waits first for a
-- call under the key in flight (app.lock_request_key).
create or replace function app.answer_under_key(key text, request jsonb)
returns jsonb
language plpgsql
volatile
security definer -- reads the caller's own row of app.answered_requests, which people cannot read
set search_path = ''
as $$
declare
  v_made app.answered_requests;
begin
  if answer_under_key.key is null then
    return null;
  end if;
  perform app.lock_request_key(answer_under_key.key);
  select * into v_made from app.answered_requests a
   where a.made_by = (select auth.uid()) and a.org_id = (select app.current_org_id())
     and a.request_key = answer_under_key.key;
  if not found then
    return null;
  end if;
  if v_made.request is distinct from answer_under_key.request then
    raise exception 'this key was used for a different request' using errcode = 'PT409',
      hint = 'Send a new idempotency_key for a new request.';
  end if;
  return v_made.answer;
end;
$$;

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
