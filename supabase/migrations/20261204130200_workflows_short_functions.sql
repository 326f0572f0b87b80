-- Workflows: long functions of the workflows area made short (issue 17, point 3).
--
-- What: each long function becomes a guard/dispatcher over small functions with one job
-- each, named after what they do (for a jsonb answer: one function per section). Why: a
-- reader can hold each piece in their head. The answers and the errors (codes, messages,
-- hints) are unchanged; so are the signatures, security, volatility, grants and comments
-- of the functions redefined here. The helpers live in `app`, set search_path = '', run
-- as the caller (RLS applies as before) and are executable only by the callers' roles.
-- Nothing here is on the orchestrator's path or a trigger of workflow_executions.


---------------------------------------------------------------------------------------
-- public.get_workflow_execution: the execution's own fields, then one function per list
-- (steps with their branches, threads, artifacts, tasks, actions, meetings).
---------------------------------------------------------------------------------------

-- The steps of the execution's version, each with its progress and its chat branches.
create or replace function app.execution_steps_json(e app.workflow_executions, v app.workflow_versions)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select coalesce(jsonb_agg(jsonb_build_object(
           'key', cs.step ->> 'key',
           'title', coalesce(se.title, cs.step ->> 'title'),
           'type', coalesce(se.step_type, cs.step ->> 'type'),
           'index', cs.ord - 1,
           'status', coalesce(se.status, 'pending'),
           'started_at', se.started_at,
           'completed_at', se.completed_at,
           'skip_reason', se.skip_reason,
           'outcome', coalesce(se.outcome, '{}'::jsonb),
           'artifact_types', coalesce(cs.step -> 'artifact_types', '[]'::jsonb),
           'branches', coalesce((
             select jsonb_agg(jsonb_build_object(
                      'key', b.branch_key, 'label', b.label, 'type', b.branch_type,
                      'response_text', b.response_text, 'next_step_key', b.next_step_key,
                      'allow_off_script', b.allow_off_script, 'saved_action_key', b.saved_action_key,
                      'return_step_key', b.return_step_key, 'config', b.config) order by b.position, b.branch_key)
               from app.workflow_chat_branches b
              where b.workflow_version_id = v.id and b.step_key = cs.step ->> 'key'), '[]'::jsonb)
         ) order by cs.ord), '[]'::jsonb)
    from jsonb_array_elements(v.config -> 'steps') with ordinality as cs(step, ord)
    left join app.workflow_step_executions se
      on se.execution_id = e.id and se.org_id = e.org_id and se.step_key = cs.step ->> 'key'
$$;
revoke execute on function app.execution_steps_json(app.workflow_executions, app.workflow_versions) from public, anon;
grant execute on function app.execution_steps_json(app.workflow_executions, app.workflow_versions) to authenticated;

-- The execution's chat threads, oldest first.
create or replace function app.execution_threads_json(e app.workflow_executions)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select coalesce(jsonb_agg(jsonb_build_object(
           'id', t.id, 'step_key', t.step_key, 'thread_type', t.thread_type, 'status', t.status,
           'title', t.title, 'message_count', t.message_count, 'tokens_in', t.tokens_in,
           'tokens_out', t.tokens_out, 'started_at', t.started_at, 'completed_at', t.completed_at)
         order by t.created_at), '[]'::jsonb)
    from app.workflow_chat_threads t where t.execution_id = e.id and t.org_id = e.org_id
$$;
revoke execute on function app.execution_threads_json(app.workflow_executions) from public, anon;
grant execute on function app.execution_threads_json(app.workflow_executions) to authenticated;

-- The execution's artifacts, newest first, with who approved, when sent and which model drafted.
create or replace function app.execution_artifacts_json(e app.workflow_executions)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select coalesce(jsonb_agg(jsonb_build_object(
           'id', a.id, 'artifact_type', a.artifact_type, 'title', a.title, 'content', a.content,
           'version', a.version, 'step_key', a.step_key, 'task_id', a.task_id, 'thread_id', a.thread_id,
           'generated_by', a.generated_by, 'ai_model', a.ai_model,
           'approved_by', a.approved_by, 'approved_at', a.approved_at, 'sent_at', a.sent_at,
           'created_at', a.created_at, 'updated_at', a.updated_at)
         order by a.created_at desc), '[]'::jsonb)
    from app.workflow_task_artifacts a where a.execution_id = e.id and a.org_id = e.org_id
$$;
revoke execute on function app.execution_artifacts_json(app.workflow_executions) from public, anon;
grant execute on function app.execution_artifacts_json(app.workflow_executions) to authenticated;

-- The execution's tasks, oldest first.
create or replace function app.execution_tasks_json(e app.workflow_executions)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select coalesce(jsonb_agg(jsonb_build_object(
           'id', k.id, 'title', k.title, 'task_type', k.task_type, 'priority', k.priority,
           'status', k.status, 'assigned_to', k.assigned_to, 'due_date', k.due_date,
           'snoozed_until', k.snoozed_until, 'force_action', k.force_action, 'created_at', k.created_at)
         order by k.created_at), '[]'::jsonb)
    from app.workflow_tasks k where k.execution_id = e.id and k.org_id = e.org_id
$$;
revoke execute on function app.execution_tasks_json(app.workflow_executions) from public, anon;
grant execute on function app.execution_tasks_json(app.workflow_executions) to authenticated;

-- The execution's action log, newest first.
create or replace function app.execution_actions_json(e app.workflow_executions)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select coalesce(jsonb_agg(jsonb_build_object(
           'id', ae.id, 'action_key', ae.action_key, 'executed_by', ae.executed_by, 'params', ae.params,
           'result', ae.result, 'success', ae.success, 'error_message', ae.error_message,
           'side_effects', ae.side_effects, 'created_at', ae.created_at)
         order by ae.created_at desc), '[]'::jsonb)
    from app.action_executions ae where ae.execution_id = e.id and ae.org_id = e.org_id
$$;
revoke execute on function app.execution_actions_json(app.workflow_executions) from public, anon;
grant execute on function app.execution_actions_json(app.workflow_executions) to authenticated;

-- The execution's meetings, soonest first.
create or replace function app.execution_meetings_json(e app.workflow_executions)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select coalesce(jsonb_agg(jsonb_build_object(
           'id', m.id, 'title', m.title, 'scheduled_at', m.scheduled_at,
           'duration_minutes', m.duration_minutes, 'attendees', m.attendees, 'task_id', m.task_id,
           'invite_status', m.invite_status, 'invite_ics', m.invite_ics, 'created_at', m.created_at)
         order by m.scheduled_at), '[]'::jsonb)
    from app.workflow_meetings m where m.execution_id = e.id and m.org_id = e.org_id
$$;
revoke execute on function app.execution_meetings_json(app.workflow_executions) from public, anon;
grant execute on function app.execution_meetings_json(app.workflow_executions) to authenticated;

create or replace function public.get_workflow_execution(execution_id uuid)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  e app.workflow_executions;
  v_result jsonb;
begin
  if get_workflow_execution.execution_id is null then
    raise exception 'execution_id is required' using errcode = '22023';
  end if;
  select * into e from app.workflow_executions x where x.id = get_workflow_execution.execution_id;
  if not found then
    raise exception 'Workflow execution not found' using errcode = 'PT404',
      hint = 'Check the id; you can only see workflows of your own organisation.';
  end if;

  select jsonb_build_object(
    'id', e.id,
    'execution_id', e.id,
    'workflow', jsonb_build_object('id', w.id, 'key', w.key, 'name', w.name, 'type', w.workflow_type,
                                   'version', v.version, 'version_id', v.id),
    'workflow_key', w.key,
    'workflow_name', w.name,
    'workflow_type', w.workflow_type,
    'status', e.status,
    'priority_score', e.priority_score::integer,
    'priority_factors', e.priority_factors,
    'assignee_id', e.assigned_to,
    'renewal_stage', e.renewal_stage,
    'period_key', e.period_key,
    'trigger_reason', e.trigger_reason,
    'current_step', case when e.current_step_key is null then null else jsonb_build_object(
      'key', e.current_step_key, 'index', e.current_step_index,
      'title', coalesce(v.config -> 'steps' -> e.current_step_index ->> 'title', e.current_step_key)) end,
    'total_steps', e.total_steps,
    'completed_steps', e.completed_steps,
    'progress', case when e.total_steps = 0 then 0 else round(e.completed_steps::numeric / e.total_steps, 4) end,
    'snoozed_until', e.snoozed_until,
    'started_at', e.started_at,
    'completed_at', e.completed_at,
    'superseded_by', e.superseded_by,
    'metadata', e.metadata,
    'outcome', e.outcome,
    'created_at', e.created_at,
    'updated_at', e.updated_at,
    'customer', app.customer_card(c, app.organisation_today(e.org_id)),
    'steps', app.execution_steps_json(e, v),
    'threads', app.execution_threads_json(e),
    'artifacts', app.execution_artifacts_json(e),
    'tasks', app.execution_tasks_json(e),
    'actions', app.execution_actions_json(e),
    'meetings', app.execution_meetings_json(e))
    into v_result
    from app.workflows w, app.workflow_versions v, app.customers c
   where w.id = e.workflow_id and v.id = e.workflow_version_id and c.id = e.customer_id;
  return v_result;
end;
$$;
comment on function public.get_workflow_execution(uuid) is
  'A workflow execution with its customer, steps (and their chat branches), threads, artifacts, tasks, meetings and action log.';
revoke execute on function public.get_workflow_execution(uuid) from public, anon;
grant execute on function public.get_workflow_execution(uuid) to authenticated;
