-- A workflow whose last step is skipped while not one of its steps was done ends `skipped`,
-- not `completed`, on every path that finishes it step by step.
--
-- What and why: docs/escalation-loop.md ("Honest completion") says a workflow where not one
-- step was done ends skipped. complete_workflow kept that rule, but skipping the steps one at
-- a time (the Skip action, or a step's "Skip this step" branch, which runs it) finished the
-- last one through app.finish_step, which closed the workflow as `completed` whatever its
-- steps were: three skipped steps of a Monthly Health Check read "completed" on the customer
-- page, the timeline and the team's numbers, though nothing was done.
--
-- - app.skip_execution closes an execution as skipped: the state complete_workflow writes when
--   nothing was done (status, outcome.skip_reason, a `skipped` history entry saying whether
--   tasks are still open).
-- - app.finish_step is restated whole from 20261206272000_a_steps_refusal_names_it_by_its_title.sql;
--   the one change is at its end: after the last step, the workflow is completed when at least
--   one of its steps was completed, and skipped (with the last step's skip reason) otherwise.
--   A renewal closed by its recorded outcome (app.complete_open_renewals) still completes: the
--   outcome is the work done.
-- supabase/tests/execute_action/skipping_every_step_skips_the_workflow.test.sql.

create or replace function app.skip_execution(execution_id uuid, outcome jsonb, reason text, how text)
returns void
language plpgsql
set search_path = ''
as $$
declare
  v_pending boolean;
begin
  select exists (select 1 from app.workflow_tasks t
                  where t.execution_id = skip_execution.execution_id
                    and t.status in ('pending', 'in_progress', 'snoozed'))
    into v_pending;
  update app.workflow_executions x
     set status = 'skipped',
         completed_at = now(),
         snoozed_until = null,
         current_step_key = null,
         current_step_index = null,
         completed_steps = x.total_steps,
         outcome = coalesce(skip_execution.outcome, '{}'::jsonb) || jsonb_build_object('skip_reason', skip_execution.reason),
         metadata = app.with_history(x.metadata, jsonb_build_object('event', 'skipped', 'reason', skip_execution.reason,
                      'how', skip_execution.how, 'pending_tasks', v_pending))
   where x.id = skip_execution.execution_id;
end;
$$;
comment on function app.skip_execution(uuid, jsonb, text, text) is
  'Closes an execution where no step was done as skipped (not completed), with the reason; docs/escalation-loop.md "Honest completion".';
revoke execute on function app.skip_execution(uuid, jsonb, text, text) from public, anon;
grant execute on function app.skip_execution(uuid, jsonb, text, text) to authenticated, service_role;

create or replace function app.finish_step(
  e app.workflow_executions, step_key text, new_status text, outcome jsonb, skip_reason text
)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  s app.workflow_step_executions;
  nxt app.workflow_step_executions;
  v_verb text := case finish_step.new_status when 'skipped' then 'skip' else 'complete' end;
begin
  perform app.create_step_rows(array[e.id]);
  select * into s from app.workflow_step_executions x
   where x.execution_id = e.id and x.org_id = e.org_id and x.step_key = coalesce(finish_step.step_key, e.current_step_key)
   for update;
  if not found then
    raise exception 'step_key "%" is not a step of this workflow', left(coalesce(finish_step.step_key, ''), 60)
      using errcode = '22023', hint = 'Use one of the step keys of get_workflow_execution.';
  end if;
  -- Refusals name steps by their titles, as the person sees them on the page.
  if s.status in ('completed', 'skipped') then
    raise exception 'Cannot % step "%": it is already %', v_verb, s.title, s.status using errcode = 'PT409',
      hint = 'Continue with the current step' || coalesce(' "' || app.step_title(e.id, e.current_step_key) || '"', '') || '.';
  end if;
  if s.status = 'pending' then
    raise exception 'Cannot % step "%": it has not started; the current step is "%"', v_verb, s.title,
      coalesce(app.step_title(e.id, e.current_step_key), 'none') using errcode = 'PT409',
      hint = 'Steps are done in order: finish the current step first.';
  end if;

  update app.workflow_step_executions x
     set status = finish_step.new_status,
         completed_at = now(),
         skip_reason = finish_step.skip_reason,
         outcome = x.outcome || coalesce(finish_step.outcome, '{}'::jsonb)
   where x.id = s.id
  returning * into s;

  select * into nxt from app.workflow_step_executions x
   where x.execution_id = e.id and x.org_id = e.org_id and x.status = 'pending'
   order by (x.step_index < s.step_index), x.step_index
   limit 1
   for update;

  if found then
    update app.workflow_step_executions x set status = 'in_progress', started_at = now()
     where x.id = nxt.id returning * into nxt;
    update app.workflow_executions x
       set status = 'in_progress',
           current_step_key = nxt.step_key,
           current_step_index = nxt.step_index,
           completed_steps = least(x.completed_steps + 1, x.total_steps),
           metadata = app.with_history(x.metadata, jsonb_build_object(
             'event', 'step_' || finish_step.new_status, 'step_key', s.step_key, 'reason', finish_step.skip_reason))
     where x.id = e.id;
  else
    update app.workflow_executions x
       set completed_steps = least(x.completed_steps + 1, x.total_steps),
           metadata = app.with_history(x.metadata, jsonb_build_object(
             'event', 'step_' || finish_step.new_status, 'step_key', s.step_key, 'reason', finish_step.skip_reason))
     where x.id = e.id;
    -- Honest completion: a workflow none of whose steps was done was skipped, not completed.
    if exists (select 1 from app.workflow_step_executions x
                where x.execution_id = e.id and x.org_id = e.org_id and x.status = 'completed') then
      perform app.complete_execution(e.id, finish_step.outcome, 'last step ' || finish_step.new_status);
    else
      perform app.skip_execution(e.id, finish_step.outcome, finish_step.skip_reason, 'last step skipped');
    end if;
  end if;

  return jsonb_build_object(
    'step', jsonb_build_object('key', s.step_key, 'title', s.title, 'index', s.step_index, 'status', s.status,
                               'completed_at', s.completed_at, 'skip_reason', s.skip_reason, 'outcome', s.outcome),
    'next_step', case when nxt.id is null then null else jsonb_build_object(
                   'key', nxt.step_key, 'title', nxt.title, 'index', nxt.step_index, 'status', nxt.status) end,
    'workflow_completed', nxt.id is null
  );
end;
$$;
