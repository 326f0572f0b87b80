-- The workflow page says how many actions it leaves out, and an execution's history stays
-- a bounded size (docs/business-rules.md "Actions").
--
-- What and why:
--   * get_workflow_execution lists the newest 50 rows of the action log
--     (app.execution_actions_json, migration 20261205223000) but did not say how many there
--     are, so a page with 50 could not tell "that is all" from "there are more". It now
--     carries `actions_total`: every row the page may list (an outsider's refusals are left
--     out of the count as they are of the list).
--   * `metadata.history` gained one entry per action, and the whole of it travels with every
--     update of the execution and every read of the workflow page: a workflow snoozed and
--     woken a few thousand times carried a history of megabytes. The database reads only its
--     newest entry (the escalation and notification triggers); the action log keeps every
--     run. app.with_history now keeps the newest 200 entries.

-- How many action rows the workflow page could list (the count behind its newest 50).
create or replace function app.execution_actions_total(e app.workflow_executions)
returns integer
language plpgsql
stable
set search_path = ''
as $$
begin
  return (select count(*)::integer from app.action_executions x
           where x.execution_id = e.id and x.org_id = e.org_id and app.action_row_is_visible(x.result));
end;
$$;
revoke execute on function app.execution_actions_total(app.workflow_executions) from public, anon;
grant execute on function app.execution_actions_total(app.workflow_executions) to authenticated, service_role;

-- How many entries an execution's metadata.history keeps: the newest.
create or replace function app.execution_history_kept()
returns integer
language plpgsql
immutable
set search_path = ''
as $$
begin
  return 200;
end;
$$;
revoke execute on function app.execution_history_kept() from public, anon;
grant execute on function app.execution_history_kept() to authenticated, service_role;

-- Restated whole (migrations are append-only); the history now drops its oldest entries
-- beyond app.execution_history_kept().
create or replace function app.with_history(metadata jsonb, entry jsonb)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_history jsonb := coalesce(with_history.metadata -> 'history', '[]'::jsonb)
                     || jsonb_build_array(jsonb_build_object('at', now(), 'by', (select auth.uid())) || with_history.entry);
  v_over integer := jsonb_array_length(v_history) - app.execution_history_kept();
begin
  if v_over > 0 then
    v_history := (select jsonb_agg(h.entry order by h.n) from jsonb_array_elements(v_history) with ordinality h(entry, n)
                   where h.n > v_over);
  end if;
  return coalesce(with_history.metadata, '{}'::jsonb) || jsonb_build_object('history', v_history);
end;
$$;

-- Restated whole; one key added: actions_total.
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
