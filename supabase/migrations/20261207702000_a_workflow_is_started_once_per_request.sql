-- start_workflow takes an idempotency key, so a Start whose answer was lost (the connection
-- dropped, a timeout) and that is pressed again answers the start it made, not PT409.
--
-- What and why: the queue's bulk Start (and a workflow page's Start) called start_workflow,
-- which had no key. A start that committed but whose answer never reached the browser was
-- reported as failed, and pressed again it answered PT409 "Cannot start this workflow: it is
-- already in progress" for a workflow the person's own first press had started. Now, as
-- create_task and execute_action (docs/api-contract.md, idempotency): the same key on the same
-- workflow answers the workflow as it is now, started; the same key on another workflow of the
-- organisation is PT409 "this key was used for a different request".
--
-- - app.workflow_executions.start_request_key: the key the workflow was started with (null when
--   started without one), unique per organisation.
-- - public.start_workflow(execution_id, idempotency_key): checked by app.check_request_key;
--   looked up on the locked row (app.lock_execution), so two calls with one key at once take
--   turns and the second answers as a replay.
-- Restated whole from 20261204000500_workflows_and_steps.sql; the key is the only change.
-- Test: supabase/tests/start_workflow/a_workflow_is_started_once_per_key.test.sql.

alter table app.workflow_executions add column start_request_key text;
create unique index workflow_executions_start_request_key_idx on app.workflow_executions (org_id, start_request_key)
  where start_request_key is not null;
comment on column app.workflow_executions.start_request_key is
  'The idempotency key start_workflow started this workflow with (unique per organisation); null otherwise.';

drop function public.start_workflow(uuid);
create function public.start_workflow(execution_id uuid, idempotency_key text default null)
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
  -- Started already under this key (an answer lost on its way back): the workflow as it is now.
  if e.start_request_key = start_workflow.idempotency_key then
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
           metadata = app.with_history(x.metadata, jsonb_build_object('event', 'started', 'from_status', e.status))
     where x.id = e.id;
  exception when unique_violation then
    -- The key started another workflow of the organisation.
    raise exception 'this key was used for a different request' using errcode = 'PT409',
      hint = 'Send a new idempotency_key to start another workflow.';
  end;
  return app.execution_summary(e.id);
end;
$$;
revoke execute on function public.start_workflow(uuid, text) from public, anon;
grant execute on function public.start_workflow(uuid, text) to authenticated;
comment on function public.start_workflow(uuid, text) is 'queued (or snoozed: resumes early) -> in_progress; the first step starts. An escalated workflow waits for its decision. With an idempotency_key, the same start again answers the workflow as it is now; the key on another workflow is PT409.';
