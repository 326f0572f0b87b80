-- A snoozed workflow's page says why it was snoozed, not only until when
-- (docs/workflow-engine.md "Snooze").
--
-- What and why: the snooze action asks for a reason and keeps it in the workflow's history
-- ('snoozed' event), but get_workflow_execution sent only snoozed_until, so the page said
-- "snoozed until 5 Jan 2031" and nothing of why. It now sends snooze_reason: while the
-- workflow is snoozed, the reason of its newest 'snoozed' event (app.snooze_reason; null when
-- it is not snoozed or was snoozed without one). An escalation of a snoozed workflow returns
-- it to its snooze, and with it the same reason.
-- get_workflow_execution restated whole from 20261206200000; the snooze_reason key is the one
-- change.

create function app.snooze_reason(e app.workflow_executions)
returns text
language plpgsql
stable
set search_path = ''
as $$
begin
  if e.status is distinct from 'snoozed' then
    return null;
  end if;
  -- The newest snooze event: history is appended oldest first (app.with_history).
  return (select h.entry ->> 'reason'
            from jsonb_array_elements(coalesce(e.metadata -> 'history', '[]'::jsonb)) with ordinality h(entry, n)
           where h.entry ->> 'event' = 'snoozed'
           order by h.n desc
           limit 1);
end;
$$;
comment on function app.snooze_reason(app.workflow_executions) is
  'The reason a snoozed workflow was snoozed with (its newest snoozed event); null when it is not snoozed.';
grant execute on function app.snooze_reason(app.workflow_executions) to authenticated, service_role;

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
    'priority_score', (app.priority_shown(e.org_id, e.assigned_to, e.status, e.priority_factors) ->> 'score')::integer,
    'priority_factors', app.priority_shown(e.org_id, e.assigned_to, e.status, e.priority_factors),
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
    'snooze_reason', app.snooze_reason(e),
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
    'actions_total', app.execution_actions_total(e),
    'meetings', app.execution_meetings_json(e))
    into v_result
    from app.workflows w, app.workflow_versions v, app.customers c
   where w.id = e.workflow_id and v.id = e.workflow_version_id and c.id = e.customer_id;
  return v_result;
end;
$$;
