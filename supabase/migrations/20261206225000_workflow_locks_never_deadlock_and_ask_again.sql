-- A workflow's writers lock it without deadlocking, and ask again on the locked row
-- (docs/workflow-engine.md "Locks").
--
-- What and why: an attacker's review found two faults in how the RPCs that change a
-- workflow lock it (the assignee's workload, an advisory lock, then the execution row).
-- 1. execute_action claimed its idempotency key before the locks. The key's log row points
--    at the workflow, so its foreign key held the row's key share while the call waited for
--    the workload lock; a second writer holding that lock then waited for the row
--    (`for update`, which waits for key shares): a deadlock, answered 40P01 as a 500. Four
--    people adding tasks to one workflow at once failed 10 times in 24. The locks now come
--    first, and the row is locked `for no key update`: what an UPDATE of the row takes
--    anyway, still one writer at a time, but not waiting for the key shares of rows that
--    point at the workflow (a log entry, a task, a proposal, a draft).
-- 2. Who may act was checked before the locks and not again. A manager's reassignment that
--    committed while a CSM's call waited hid the row from the CSM's locking read (row-level
--    security), and the call went on with an empty row: cancel_workflow and start_workflow
--    answered 200 with null and changed nothing, others answered with unrelated errors. The
--    locked row is now asked again: a caller who may no longer work on it gets 42501 as
--    before the wait; a workflow that changed hands otherwise is PT409 (the workload lock
--    held is no longer its assignee's).
-- One helper, app.lock_workable_execution (the workload, then app.lock_execution_row: the
-- row and the second asking), now does both for app.lock_execution (the lifecycle RPCs),
-- execute_action and create_artifact here, and create_task (20261206230000) and
-- propose_action (20261206231000). app.lock_execution_for_manager (reassign, resolve) takes
-- both assignees' workloads, then the same app.lock_execution_row. A task's and an
-- artifact's writers (app.lock_task: act_on_task, update_task, delete_task;
-- app.artifact_for_write: update_artifact, approve_artifact, delete_artifact) had the
-- same gap (200 with an empty
-- task, "deleted": true with the draft still there): they now ask again on the locked row,
-- with the rule each applied inline written once (app.require_task_writable,
-- app.require_artifact_writable). create_artifact answers a null execution_id with 22023
-- (app.require_given, 20261206230000) before its other checks. The renewal outcome's locks
-- (app.lock_open_renewal_execution and the forecast's) are unchanged: they take no
-- workload lock while holding a key share. create_artifact also refuses a step_key that is
-- not a step of the workflow and a task of another workflow or customer (22023), as
-- complete_step and the chat do. Functions restated whole from their latest definitions
-- (execute_action 20261206202000, create_artifact 20261205225500, the two lock helpers
-- 20261204000500, app.lock_task 20261204000700, app.artifact_for_write 20261204000800); the
-- locks and these checks are the only changes.
-- tests/integration/workflow-lock-races.test.ts holds each race open.

-- Locks the row of `execution` (as the caller read it, after app.require_workable_execution,
-- with its assignee's workload locked) for a change, and asks again on the locked row.
create or replace function app.lock_execution_row(execution app.workflow_executions, verb text)
returns app.workflow_executions
language plpgsql
set search_path = ''
as $$
declare
  seen app.workflow_executions := lock_execution_row.execution;
  locked app.workflow_executions;
begin
  select * into locked from app.workflow_executions x where x.id = seen.id for no key update;
  if locked.id is null or locked.assigned_to is distinct from seen.assigned_to then
    -- Reassigned (or gone) while this call waited: for a person, 42501 or PT404 if they may
    -- no longer work on it, as before the wait; otherwise (the service role too: the
    -- assistant's and agents' calls, checked by their callers for their author) the
    -- workload lock held is not the new assignee's.
    if (select auth.uid()) is not null then
      perform app.require_workable_execution(seen.id, lock_execution_row.verb);
    elsif not exists (select 1 from app.workflow_executions x where x.id = seen.id) then
      raise exception 'Workflow execution not found' using errcode = 'PT404',
        hint = 'Check the id; you can only see workflows of your own organisation.';
    end if;
    raise exception 'This workflow was reassigned while you were acting' using errcode = 'PT409',
      hint = 'Nothing was changed. Open it again and retry.';
  end if;
  return locked;
end;
$$;
revoke execute on function app.lock_execution_row(app.workflow_executions, text) from public, anon;
grant execute on function app.lock_execution_row(app.workflow_executions, text) to authenticated, service_role;

-- Locks `execution` (the row as the caller read it, after app.require_workable_execution)
-- for a change: the assignee's workload, then the row, then asked again on the locked row.
create or replace function app.lock_workable_execution(execution app.workflow_executions, verb text)
returns app.workflow_executions
language plpgsql
set search_path = ''
as $$
begin
  perform app.lock_assignee_workload(lock_workable_execution.execution.assigned_to);
  return app.lock_execution_row(lock_workable_execution.execution, lock_workable_execution.verb);
end;
$$;
revoke execute on function app.lock_workable_execution(app.workflow_executions, text) from public, anon;
grant execute on function app.lock_workable_execution(app.workflow_executions, text) to authenticated, service_role;

create or replace function app.lock_execution(execution_id uuid, verb text)
returns app.workflow_executions
language plpgsql
set search_path = ''
as $$
begin
  return app.lock_workable_execution(
    app.require_workable_execution(lock_execution.execution_id, lock_execution.verb), lock_execution.verb);
end;
$$;

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
  -- The row `for no key update`, and asked again, as every writer's (app.lock_execution_row).
  return app.lock_execution_row(e, lock_execution_for_manager.verb);
end;
$$;

create or replace function public.execute_action(
  action_key text,
  execution_id uuid,
  params jsonb default '{}',
  idempotency_key text default null
)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_me uuid := (select auth.uid());
  v_org uuid := app.current_org_id();
  v_role text := app.current_member_role();
  v_params jsonb := coalesce(execute_action.params, '{}'::jsonb);
  v_key text := execute_action.idempotency_key;
  a app.saved_actions;
  e app.workflow_executions;
  prior app.action_executions;
  v_log_id uuid;
  v_applied jsonb;
begin
  if v_org is null or v_role not in ('csm', 'manager', 'admin') then
    raise exception 'Your role may not run actions on workflows' using errcode = '42501',
      hint = 'Viewers can read workflows but not change them.';
  end if;
  if coalesce(btrim(execute_action.action_key), '') = '' then
    raise exception 'action_key is required' using errcode = '22023';
  end if;
  if jsonb_typeof(v_params) <> 'object' then
    raise exception 'params must be a JSON object' using errcode = '22023';
  end if;
  if v_key is not null and (btrim(v_key) = '' or length(v_key) > 200) then
    raise exception 'idempotency_key must be 1 to 200 characters' using errcode = '22023';
  end if;
  select * into a from app.saved_actions s
   where s.key = execute_action.action_key and s.is_active and (s.org_id = v_org or s.org_id is null)
   order by s.org_id nulls last limit 1;
  if not found then
    raise exception 'action_key "%" is not an action available to your organisation', execute_action.action_key
      using errcode = '22023', hint = 'See list_saved_actions for the available keys.';
  end if;
  e := app.require_workable_execution(execute_action.execution_id, 'run actions on');
  -- The workflow's locks first (the assignee's workload, then the row, asked again on the
  -- locked row), then the idempotency key: the key's log row points at the workflow, and
  -- claimed before the locks it held the row's key share while this call waited for the
  -- workload lock, deadlocking with a writer holding that lock and waiting for the row.
  -- A concurrent call with the same key waits for the locks, then replays.
  e := app.lock_workable_execution(e, 'run actions on');
  v_log_id := app.claim_action_log(e.id, a.id, v_params, v_key);
  if v_log_id is null then
    select * into prior from app.action_executions x
     where x.org_id = v_org and x.executed_by = v_me and x.idempotency_key = v_key;
    if prior.execution_id is distinct from e.id or prior.action_key is distinct from a.key then
      raise exception 'this key was used for a different request' using errcode = 'PT409',
        hint = 'Use a new idempotency key for each new action; a retry repeats the same action, workflow and params.';
    end if;
    return jsonb_build_object(
      'action_execution_id', prior.id, 'action_key', prior.action_key, 'success', prior.success,
      'result', prior.result, 'execution', app.execution_summary(e.id),
      'side_effects', prior.side_effects, 'replayed', true);
  end if;

  -- A new request's params (after the replay above: a retry of a call logged before this
  -- rule answers what it answered then).
  perform app.require_action_params(a.action_type, v_params);

  -- The state, on the row locked above.
  if e.status = 'escalated' then
    raise exception 'Cannot run "%" on this workflow: it is escalated and waits for a decision', a.name
      using errcode = 'PT409',
      hint = 'Its assignee can withdraw the escalation; a manager can return, reassign or close it.';
  end if;
  if not app.is_open_status(e.status) then
    raise exception 'Cannot run "%" on this workflow: it is %', a.name, app.status_words(e.status)
      using errcode = 'PT409', hint = 'Closed workflows cannot change.';
  end if;

  v_applied := case a.action_type
    when 'snooze' then app.action_snooze(a, e, v_params, v_log_id)
    when 'skip' then app.action_skip(a, e, v_params, v_log_id)
    when 'escalate' then app.action_escalate(a, e, v_params, v_log_id)
    when 'schedule_meeting' then app.action_schedule_meeting(a, e, v_params, v_log_id)
    when 'send_email' then app.action_send_email(a, e, v_params, v_log_id)
    when 'create_task' then app.action_create_task(a, e, v_params, v_log_id)
    else app.action_custom(a, e, v_params, v_log_id)
  end;

  perform app.complete_action_log(v_log_id, v_applied -> 'params', v_applied -> 'result', v_applied -> 'side_effects');

  return jsonb_build_object(
    'action_execution_id', v_log_id, 'action_key', a.key, 'success', true, 'result', v_applied -> 'result',
    'execution', app.execution_summary(e.id), 'side_effects', v_applied -> 'side_effects', 'replayed', false);
end;
$$;

create or replace function public.create_artifact(
  execution_id uuid,
  artifact_type text,
  title text,
  content jsonb,
  step_key text default null,
  task_id uuid default null,
  thread_id uuid default null,
  generated_by text default 'manual',
  ai_model text default null,
  ai_prompt text default null,
  metadata jsonb default '{}'
)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  execution app.workflow_executions;
begin
  perform app.require_given(create_artifact.execution_id is not null, 'execution_id', 'Pass the id of the workflow the draft is for.');
  perform app.check_new_artifact(create_artifact.artifact_type, create_artifact.title, create_artifact.content);
  if create_artifact.generated_by is null or create_artifact.generated_by not in ('manual', 'ai', 'template') then
    raise exception 'generated_by must be manual, ai or template' using errcode = '22023', hint = 'Leave it out for manual.';
  end if;
  -- What the assistant made is stored by the assistant (create_assistant_artifact, service
  -- role); a person's artifact never claims to be the model's.
  if create_artifact.generated_by = 'ai' then
    raise exception 'Only the assistant can create AI artifacts' using errcode = '42501',
      hint = 'Leave generated_by out (manual) or use template; the assistant''s drafts and summaries come through chat.';
  end if;
  if create_artifact.ai_model is not null or create_artifact.ai_prompt is not null then
    raise exception 'ai_model and ai_prompt are recorded only for AI artifacts' using errcode = '22023',
      hint = 'Leave ai_model and ai_prompt out.';
  end if;
  perform app.check_artifact_metadata(create_artifact.metadata);

  select e.* into execution from app.workflow_executions e where e.id = create_artifact.execution_id;
  perform app.require_found(found, 'Workflow execution', 'execution', 'workflows');
  if not app.can_work_on_execution(execution.id) then
    raise exception 'You may not add artifacts to this workflow' using errcode = '42501',
      hint = 'Only the CSM assigned to the workflow, a manager or an admin can add artifacts.';
  end if;
  -- Locked as the other writers lock it, so a close or a reassignment committing now is seen.
  execution := app.lock_workable_execution(execution, 'add artifacts to');
  perform app.require_workflow_accepts(execution, 'draft', 'add an artifact to');
  -- The step it belongs to is one of the workflow's (as complete_step and chat ask).
  if create_artifact.step_key is not null then
    perform app.execution_step_for_chat(execution, create_artifact.step_key);
  end if;
  if create_artifact.thread_id is not null and not exists (
    select 1 from app.workflow_chat_threads t
     where t.id = create_artifact.thread_id and t.execution_id = execution.id and t.org_id = execution.org_id
  ) then
    raise exception 'thread_id is not a chat thread of this workflow' using errcode = '22023',
      hint = 'Pass a thread of the same execution, or leave thread_id out.';
  end if;
  -- A task of this workflow, or of its customer outside any workflow: never another
  -- customer's or another workflow's.
  if create_artifact.task_id is not null and not exists (
    select 1 from app.workflow_tasks k
     where k.id = create_artifact.task_id and k.org_id = execution.org_id and k.customer_id = execution.customer_id
       and (k.execution_id is null or k.execution_id = execution.id)
  ) then
    raise exception 'task_id is not a task of this workflow or its customer' using errcode = '22023',
      hint = 'Pass the id of a task of the same workflow (or of its customer), or leave task_id out.';
  end if;

  return app.store_new_artifact(
    execution.org_id, execution.id, create_artifact.step_key, create_artifact.task_id, create_artifact.thread_id,
    create_artifact.artifact_type, create_artifact.title, create_artifact.content,
    create_artifact.generated_by, create_artifact.ai_model, create_artifact.ai_prompt, (select auth.uid()),
    coalesce(create_artifact.metadata, '{}'::jsonb));
end;
$$;

-- 42501 unless the caller may change task `t`: its assignee, a CSM of its workflow, a CSM
-- for an unassigned task, a manager or an admin (the rule app.lock_task applied inline).
create or replace function app.require_task_writable(t app.workflow_tasks, verb text)
returns void
language plpgsql
stable
set search_path = ''
as $$
declare
  v_role text := app.current_member_role();
begin
  if not (v_role in ('manager', 'admin')
          or (v_role = 'csm' and (t.assigned_to = (select auth.uid()) or t.assigned_to is null
                                  or (t.execution_id is not null and app.can_work_on_execution(t.execution_id))))) then
    raise exception 'You may not % this task', require_task_writable.verb using errcode = '42501',
      hint = 'Only its assignee, a manager or an admin can change it.';
  end if;
end;
$$;
revoke execute on function app.require_task_writable(app.workflow_tasks, text) from public, anon;
grant execute on function app.require_task_writable(app.workflow_tasks, text) to authenticated, service_role;

create or replace function app.lock_task(task_id uuid, verb text)
returns app.workflow_tasks
language plpgsql
set search_path = ''
as $$
declare
  t app.workflow_tasks;
begin
  if lock_task.task_id is null then
    raise exception 'task_id is required' using errcode = '22023';
  end if;
  select * into t from app.workflow_tasks x where x.id = lock_task.task_id;
  if not found then
    raise exception 'Task not found' using errcode = 'PT404',
      hint = 'Check the id; you can only see tasks of your own organisation.';
  end if;
  perform app.require_task_writable(t, lock_task.verb);
  select * into t from app.workflow_tasks x where x.id = lock_task.task_id for update;
  if t.id is null then
    -- Hidden from this locking read (row-level security) by a change committed while it
    -- waited, e.g. its workflow reassigned: answered as of now, never with an empty row.
    select * into t from app.workflow_tasks x where x.id = lock_task.task_id;
    if not found then
      raise exception 'Task not found' using errcode = 'PT404',
        hint = 'Check the id; you can only see tasks of your own organisation.';
    end if;
    perform app.require_task_writable(t, lock_task.verb);
    raise exception 'This task changed while you were acting' using errcode = 'PT409',
      hint = 'Nothing was changed. Open it again and retry.';
  end if;
  -- Asked again on the locked row (its workflow's assignee as now).
  perform app.require_task_writable(t, lock_task.verb);
  return t;
end;
$$;

-- 42501 unless the caller may change `artifact`: they may work on its workflow.
create or replace function app.require_artifact_writable(artifact app.workflow_task_artifacts)
returns void
language plpgsql
stable
set search_path = ''
as $$
begin
  if not app.can_work_on_execution(require_artifact_writable.artifact.execution_id) then
    raise exception 'You may not change this artifact' using errcode = '42501',
      hint = 'Only the CSM assigned to the workflow, a manager or an admin can change its artifacts.';
  end if;
end;
$$;
revoke execute on function app.require_artifact_writable(app.workflow_task_artifacts) from public, anon;
grant execute on function app.require_artifact_writable(app.workflow_task_artifacts) to authenticated, service_role;

create or replace function app.artifact_for_write(artifact_id uuid)
returns app.workflow_task_artifacts
language plpgsql
set search_path = ''
as $$
declare
  artifact app.workflow_task_artifacts;
begin
  if artifact_for_write.artifact_id is null then
    raise exception 'artifact_id is required' using errcode = '22023', hint = 'Pass the id of an artifact.';
  end if;
  select a.* into artifact from app.workflow_task_artifacts a where a.id = artifact_for_write.artifact_id;
  perform app.require_found(found, 'Artifact', 'artifact', 'artifacts');
  perform app.require_artifact_writable(artifact);
  select a.* into artifact from app.workflow_task_artifacts a where a.id = artifact_for_write.artifact_id for update;
  if artifact.id is null then
    -- Hidden from this locking read (row-level security) by a change committed while it
    -- waited, e.g. its workflow reassigned: answered as of now, never with an empty row.
    select a.* into artifact from app.workflow_task_artifacts a where a.id = artifact_for_write.artifact_id;
    perform app.require_found(found, 'Artifact', 'artifact', 'artifacts');
    perform app.require_artifact_writable(artifact);
    raise exception 'This artifact changed while you were acting' using errcode = 'PT409',
      hint = 'Nothing was changed. Open it again and retry.';
  end if;
  -- Asked again on the locked row (its workflow's assignee as now).
  perform app.require_artifact_writable(artifact);
  return artifact;
end;
$$;
