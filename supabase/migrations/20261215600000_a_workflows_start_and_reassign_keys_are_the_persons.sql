-- A workflow's start and reassign keys are the person's who sent them, as every other
-- idempotency key is (docs/api-contract.md "Errors": another person's key is their own).
--
-- What and why: start_workflow and reassign_workflow keep their key on the workflow
-- (start_request_key, reassign_request_key, 20261207702000 and 20261207706000), unique per
-- organisation and looked up without asking whose it was. So one person's key was everyone's:
-- once a CSM had started any workflow under a key, a colleague's own Start under the same key
-- was PT409 "this key was used for a different request" and started nothing, and a manager's
-- key on a workflow a colleague had started under it was answered as that colleague's replay;
-- the same for a reassignment between a manager and an admin. Every other store keeps a key per
-- person (the action log, tasks, drafts, chats, secrets, outcomes, app.answered_requests) and
-- app.request_keys claims them per person (20261212300000).
--
-- - app.workflow_executions.start_request_by / reassign_request_by: who sent the key; the key's
--   uniqueness is per organisation and person, and a call replays a key only when it is its
--   caller's. Rows keyed before this migration take the person their history names for the
--   start or reassignment (app.with_history's `by`); one it names nobody for replays to nobody.
-- - public.start_workflow and public.reassign_workflow, restated whole from 20261207702000 and
--   20261211303000: the person beside the key is the only change.
-- supabase/tests/request_keys/a_workflows_start_and_reassign_keys_are_the_persons.test.sql.

alter table app.workflow_executions add column start_request_by uuid, add column reassign_request_by uuid;
comment on column app.workflow_executions.start_request_by is
  'The person who sent start_request_key (a key is its sender''s); null when it is not known.';
comment on column app.workflow_executions.reassign_request_by is
  'The person who sent reassign_request_key (a key is its sender''s); null when it is not known.';

-- The person the history names for the newest entry of an event, or null.
update app.workflow_executions x
   set start_request_by = (select (h ->> 'by')::uuid
                             from jsonb_array_elements(case when jsonb_typeof(x.metadata -> 'history') = 'array'
                                                            then x.metadata -> 'history' else '[]' end) with ordinality as e(h, n)
                            where h ->> 'event' = 'started'
                              and h ->> 'by' ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
                            order by n desc limit 1)
 where x.start_request_key is not null;
update app.workflow_executions x
   set reassign_request_by = (select (h ->> 'by')::uuid
                                from jsonb_array_elements(case when jsonb_typeof(x.metadata -> 'history') = 'array'
                                                               then x.metadata -> 'history' else '[]' end) with ordinality as e(h, n)
                               where h ->> 'event' = 'reassigned'
                                 and h ->> 'by' ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
                               order by n desc limit 1)
 where x.reassign_request_key is not null;

drop index app.workflow_executions_start_request_key_idx;
create unique index workflow_executions_start_request_key_idx
  on app.workflow_executions (org_id, start_request_by, start_request_key) where start_request_key is not null;
drop index app.workflow_executions_reassign_request_key_idx;
create unique index workflow_executions_reassign_request_key_idx
  on app.workflow_executions (org_id, reassign_request_by, reassign_request_key) where reassign_request_key is not null;
comment on column app.workflow_executions.start_request_key is
  'The idempotency key start_workflow started this workflow with (unique per organisation and start_request_by); null otherwise.';
comment on column app.workflow_executions.reassign_request_key is
  'The idempotency key of the last reassign_workflow made with one (unique per organisation and reassign_request_by); null otherwise.';

-- Restated whole from 20261207702000; the key is the caller's (the replay and start_request_by).
create or replace function public.start_workflow(execution_id uuid, idempotency_key text default null)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  e app.workflow_executions;
  v_first app.workflow_step_executions;
begin
  perform app.check_request_key(start_workflow.idempotency_key, 'idempotency_key', 200);
  e := app.lock_execution(start_workflow.execution_id, 'start');
  -- Started already under this key by this person (an answer lost on its way back): the
  -- workflow as it is now. Another person's same key is their own request.
  if e.start_request_key = start_workflow.idempotency_key and e.start_request_by = (select auth.uid()) then
    return app.execution_summary(e.id);
  end if;
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
  begin
    update app.workflow_executions x
       set status = 'in_progress',
           started_at = coalesce(x.started_at, now()),
           snoozed_until = null,
           assigned_to = coalesce(x.assigned_to, (select auth.uid())),
           current_step_key = coalesce(v_first.step_key, x.current_step_key),
           current_step_index = coalesce(v_first.step_index, x.current_step_index),
           start_request_key = coalesce(start_workflow.idempotency_key, x.start_request_key),
           start_request_by = case when start_workflow.idempotency_key is null then x.start_request_by else (select auth.uid()) end,
           metadata = app.with_history(x.metadata, jsonb_build_object('event', 'started', 'from_status', e.status))
     where x.id = e.id;
  exception when unique_violation then
    -- The person's key started another workflow.
    raise exception 'this key was used for a different request' using errcode = 'PT409',
      hint = 'Send a new idempotency_key to start another workflow.';
  end;
  return app.execution_summary(e.id);
end;
$$;
comment on function public.start_workflow(uuid, text) is 'queued (or snoozed: resumes early) -> in_progress; the first step starts. An escalated workflow waits for its decision. With an idempotency_key, the same start again by the same person answers the workflow as it is now; the person''s key on another workflow is PT409.';

-- Restated whole from 20261211303000; the key is the caller's (the replay and reassign_request_by).
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
  -- Reassigned already under this key by this person (an answer lost on its way back): the
  -- workflow as it is now, if it is the same request. Another person's same key is their own.
  if e.reassign_request_key = reassign_workflow.idempotency_key and e.reassign_request_by = (select auth.uid()) then
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
           reassign_request_by = case when reassign_workflow.idempotency_key is null then x.reassign_request_by else (select auth.uid()) end,
           metadata = app.with_history(x.metadata, jsonb_build_object('event', 'reassigned', 'reason', v_reason,
                        'from_assignee', e.assigned_to, 'to_assignee', v_new.id))
     where x.id = e.id;
  exception when unique_violation then
    -- The person's key reassigned another workflow.
    raise exception 'this key was used for a different request' using errcode = 'PT409',
      hint = 'Send a new idempotency_key for a new reassignment.';
  end;
  -- Its open tasks followed it (app.hand_open_tasks_to_assignee, a trigger); the new assignee
  -- hears of it from the assignment trigger, the previous one here — unless many are reassigned
  -- at once (reassign_workflows), which tells each person once of all of it.
  if app.handing_over_in_bulk() then
    return app.execution_summary(e.id);
  end if;
  perform app.notify(e.org_id, e.assigned_to, 'workflow_assigned',
                     'Reassigned to ' || v_new.full_name || ': ' || app.execution_label(e), v_reason,
                     jsonb_build_object('execution_id', e.id, 'assignee_id', v_new.id, 'previous_assignee_id', e.assigned_to,
                                        'by', (select auth.uid())));
  return app.execution_summary(e.id);
end;
$$;
comment on function public.reassign_workflow(uuid, uuid, text, text) is
  'Managers and admins give an open (not escalated) workflow and its open tasks to another person, with a reason; both are notified. With an idempotency_key, the same reassignment again by the same person answers the workflow as it is now; the person''s key on another workflow or for another person is PT409.';
