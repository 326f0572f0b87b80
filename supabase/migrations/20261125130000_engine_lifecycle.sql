-- The execution lifecycle: create_workflow_execution, start_workflow, complete_step,
-- complete_workflow (domain.md "Execution lifecycle", api.md "Queue and workflows").
--
-- Transitions (anything else is PT409 with a message naming the transition and why):
--   queued | snoozed | escalated  --start-->        in_progress  (snoozed/escalated: resumes early)
--   in_progress | escalated       --complete_step--> next step in_progress, or the execution completes
--   in_progress | escalated       --complete-->      completed | completed_with_pending_tasks
--   (saved actions add: snooze, skip a step, escalate; the orchestrator: supersede, wake)
-- Steps: pending -> in_progress -> completed | skipped; only the current step completes.
-- Guard first: the assignee's workload lock, then the row `for update`, then the checks,
-- then the change, so a repeated or late call fails cleanly instead of half-applying.

-- Human words for a status in error messages.
create or replace function app.status_words(status text)
returns text
language sql
immutable
set search_path = ''
as $$
  select case status_words.status
    when 'queued' then 'still in the queue (not started)'
    when 'in_progress' then 'already in progress'
    when 'snoozed' then 'snoozed'
    when 'escalated' then 'escalated'
    when 'completed' then 'already completed'
    when 'completed_with_pending_tasks' then 'already completed (with pending tasks)'
    when 'skipped' then 'skipped'
    when 'superseded' then 'superseded by a later stage'
    when 'cancelled' then 'cancelled'
    else status_words.status
  end
$$;

-- Locks an execution the caller may change (workload lock first, then the row).
create or replace function app.lock_execution(execution_id uuid, verb text)
returns app.workflow_executions
language plpgsql
set search_path = ''
as $$
declare
  e app.workflow_executions;
begin
  e := app.require_workable_execution(lock_execution.execution_id, lock_execution.verb);
  perform app.lock_assignee_workload(e.assigned_to);
  select * into e from app.workflow_executions x where x.id = lock_execution.execution_id for update;
  return e;
end;
$$;

-- Closes an execution as completed (or completed_with_pending_tasks); steps not done are
-- skipped so progress reads 100 %.
create or replace function app.complete_execution(execution_id uuid, outcome jsonb, how text)
returns void
language plpgsql
set search_path = ''
as $$
declare
  v_pending boolean;
  v_done integer;
begin
  update app.workflow_step_executions s
     set status = 'skipped', skip_reason = 'Workflow completed', completed_at = now()
   where s.execution_id = complete_execution.execution_id and s.status in ('pending', 'in_progress');
  select count(*) into v_done from app.workflow_step_executions s
   where s.execution_id = complete_execution.execution_id and s.status in ('completed', 'skipped');
  select exists (select 1 from app.workflow_tasks t
                  where t.execution_id = complete_execution.execution_id
                    and t.status in ('pending', 'in_progress', 'snoozed'))
    into v_pending;
  update app.workflow_executions e
     set status = case when v_pending then 'completed_with_pending_tasks' else 'completed' end,
         completed_at = now(),
         snoozed_until = null,
         current_step_key = null,
         current_step_index = null,
         completed_steps = greatest(least(v_done, e.total_steps), e.completed_steps),
         outcome = coalesce(complete_execution.outcome, '{}'::jsonb),
         metadata = app.with_history(e.metadata, jsonb_build_object('event', 'completed', 'how', complete_execution.how,
                      'pending_tasks', v_pending))
   where e.id = complete_execution.execution_id;
end;
$$;

-- Ends the current step (completed or skipped) and starts the next pending one; after the
-- last step the execution completes. The caller has locked the execution and checked it.
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
    raise exception 'step_key "%" is not a step of this workflow', coalesce(finish_step.step_key, '')
      using errcode = '22023', hint = 'Use one of the step keys of get_workflow_execution.';
  end if;
  if s.status in ('completed', 'skipped') then
    raise exception 'Cannot % step "%": it is already %', v_verb, s.step_key, s.status using errcode = 'PT409',
      hint = 'Continue with the current step' || coalesce(' "' || e.current_step_key || '"', '') || '.';
  end if;
  if s.status = 'pending' then
    raise exception 'Cannot % step "%": it has not started; the current step is "%"', v_verb, s.step_key,
      coalesce(e.current_step_key, 'none') using errcode = 'PT409',
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
    perform app.complete_execution(e.id, finish_step.outcome, 'last step ' || finish_step.new_status);
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

create or replace function public.create_workflow_execution(customer_id uuid, workflow_key text, assignee_id uuid default null)
returns jsonb
language plpgsql
set search_path = ''
as $$
#variable_conflict use_column
declare
  v_me uuid := (select auth.uid());
  v_org uuid := app.current_org_id();
  v_role text := app.current_member_role();
  c app.customers;
  w record;
  v_assignee uuid;
  v_id uuid;
  v_existing uuid;
begin
  if v_org is null or v_role not in ('csm', 'manager', 'admin') then
    raise exception 'Your role may not open workflows' using errcode = '42501',
      hint = 'Viewers can read the queue but not change it.';
  end if;
  if create_workflow_execution.customer_id is null then
    raise exception 'customer_id is required' using errcode = '22023';
  end if;
  if coalesce(btrim(create_workflow_execution.workflow_key), '') = '' then
    raise exception 'workflow_key is required' using errcode = '22023';
  end if;
  select * into c from app.customers x where x.id = create_workflow_execution.customer_id;
  if not found then
    raise exception 'Customer not found' using errcode = 'PT404',
      hint = 'Check the id; you can only see customers of your own organisation.';
  end if;
  select * into w from app.effective_workflows(v_org) f where f.key = create_workflow_execution.workflow_key;
  if not found then
    raise exception 'workflow_key "%" is not a workflow of your organisation', create_workflow_execution.workflow_key
      using errcode = '22023', hint = 'Use the key of a core workflow (e.g. risk-assessment) or one of your organisation''s.';
  end if;
  v_assignee := coalesce(create_workflow_execution.assignee_id, c.assigned_to, v_me);
  if not exists (select 1 from app.profiles p where p.id = v_assignee and p.org_id = v_org) then
    raise exception 'assignee_id is not a member of your organisation' using errcode = '22023';
  end if;
  if v_role = 'csm' and v_assignee <> v_me then
    if create_workflow_execution.assignee_id is not null then
      raise exception 'A CSM can only open workflows for themselves' using errcode = '42501',
        hint = 'Leave assignee_id out, or ask a manager to assign it.';
    end if;
    v_assignee := v_me;
  end if;

  insert into app.workflow_executions (
    org_id, customer_id, workflow_id, workflow_version_id, assigned_to, status, renewal_stage,
    trigger_reason, current_step_key, current_step_index, total_steps, metadata)
  values (
    v_org, c.id, w.workflow_id, w.version_id, v_assignee, 'queued',
    case when w.workflow_type = 'renewal' then w.trigger_config ->> 'stage' end,
    'Opened manually', w.first_step_key, case when w.first_step_key is null then null else 0 end, w.total_steps,
    app.with_history('{}'::jsonb, jsonb_build_object('event', 'created', 'manual', true)))
  on conflict (customer_id, workflow_id) where status in ('queued', 'in_progress', 'snoozed', 'escalated')
  do nothing
  returning id into v_id;

  if v_id is null then
    select x.id into v_existing from app.workflow_executions x
     where x.customer_id = c.id and x.workflow_id = w.workflow_id and app.is_open_status(x.status);
    raise exception 'A "%" workflow is already open for %', w.name, c.name using errcode = 'PT409',
      detail = coalesce(v_existing::text, ''),
      hint = 'Open the existing execution ' || coalesce(v_existing::text, '') || ' instead.';
  end if;
  perform app.create_step_rows(array[v_id]);
  return public.get_workflow_execution(v_id);
end;
$$;
comment on function public.create_workflow_execution(uuid, text, uuid) is 'Opens a workflow manually for a customer; PT409 if one of that workflow is already open.';
revoke execute on function public.create_workflow_execution(uuid, text, uuid) from public, anon;
grant execute on function public.create_workflow_execution(uuid, text, uuid) to authenticated;

create or replace function public.start_workflow(execution_id uuid)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  e app.workflow_executions;
  v_first app.workflow_step_executions;
begin
  e := app.lock_execution(start_workflow.execution_id, 'start');
  if e.status not in ('queued', 'snoozed', 'escalated') then
    raise exception 'Cannot start this workflow: it is %', app.status_words(e.status) using errcode = 'PT409',
      hint = case when e.status = 'in_progress' then 'Continue with the current step.'
                  else 'Only queued, snoozed or escalated workflows can be started.' end;
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
  update app.workflow_executions x
     set status = 'in_progress',
         started_at = coalesce(x.started_at, now()),
         snoozed_until = null,
         assigned_to = coalesce(x.assigned_to, (select auth.uid())),
         current_step_key = coalesce(v_first.step_key, x.current_step_key),
         current_step_index = coalesce(v_first.step_index, x.current_step_index),
         metadata = app.with_history(x.metadata, jsonb_build_object('event', 'started', 'from_status', e.status))
   where x.id = e.id;
  return app.execution_summary(e.id);
end;
$$;
comment on function public.start_workflow(uuid) is 'queued (or snoozed/escalated) -> in_progress; the first step starts.';
revoke execute on function public.start_workflow(uuid) from public, anon;
grant execute on function public.start_workflow(uuid) to authenticated;

create or replace function public.complete_step(execution_id uuid, step_key text, outcome jsonb default '{}'::jsonb)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  e app.workflow_executions;
  v_result jsonb;
begin
  if coalesce(btrim(complete_step.step_key), '') = '' then
    raise exception 'step_key is required' using errcode = '22023';
  end if;
  if complete_step.outcome is not null and jsonb_typeof(complete_step.outcome) <> 'object' then
    raise exception 'outcome must be a JSON object' using errcode = '22023';
  end if;
  e := app.lock_execution(complete_step.execution_id, 'complete a step of');
  if e.status not in ('in_progress', 'escalated') then
    raise exception 'Cannot complete step "%": the workflow is %', complete_step.step_key, app.status_words(e.status)
      using errcode = 'PT409',
      hint = case when e.status in ('queued', 'snoozed') then 'Start the workflow first.'
                  else 'Closed workflows cannot change.' end;
  end if;
  v_result := app.finish_step(e, complete_step.step_key, 'completed', complete_step.outcome, null);
  return v_result || jsonb_build_object('execution', app.execution_summary(e.id));
end;
$$;
comment on function public.complete_step(uuid, text, jsonb) is 'Completes the current step and starts the next; completing the last step completes the workflow.';
revoke execute on function public.complete_step(uuid, text, jsonb) from public, anon;
grant execute on function public.complete_step(uuid, text, jsonb) to authenticated;

create or replace function public.complete_workflow(execution_id uuid, outcome jsonb default '{}'::jsonb)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  e app.workflow_executions;
begin
  if complete_workflow.outcome is not null and jsonb_typeof(complete_workflow.outcome) <> 'object' then
    raise exception 'outcome must be a JSON object' using errcode = '22023';
  end if;
  e := app.lock_execution(complete_workflow.execution_id, 'complete');
  if e.status not in ('in_progress', 'escalated') then
    raise exception 'Cannot complete this workflow: it is %', app.status_words(e.status) using errcode = 'PT409',
      hint = case when e.status in ('queued', 'snoozed') then 'Start the workflow first.'
                  else 'Closed workflows cannot change.' end;
  end if;
  perform app.complete_execution(e.id, complete_workflow.outcome, 'complete_workflow');
  return app.execution_summary(e.id);
end;
$$;
comment on function public.complete_workflow(uuid, jsonb) is 'in_progress -> completed, or completed_with_pending_tasks when a task is still open.';
revoke execute on function public.complete_workflow(uuid, jsonb) from public, anon;
grant execute on function public.complete_workflow(uuid, jsonb) to authenticated;

grant execute on function app.status_words(text) to authenticated, service_role;
grant execute on function app.lock_execution(uuid, text) to authenticated, service_role;
grant execute on function app.complete_execution(uuid, jsonb, text) to authenticated, service_role;
grant execute on function app.finish_step(app.workflow_executions, text, text, jsonb, text) to authenticated, service_role;
