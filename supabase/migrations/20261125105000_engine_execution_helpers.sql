-- Shared internals of the workflow engine: which definitions an organisation runs, the
-- step rows of an execution, the history kept in an execution's metadata, and the
-- compact JSON shape of an execution that every lifecycle RPC returns.
--
-- Why: the orchestrator, create_workflow_execution, the lifecycle RPCs and
-- execute_action all need the same answers; one definition each keeps them agreeing.
-- Also: an email sent through the local mail sink ends in the outbox with status
-- `delivered_to_sink` (the data-model migration knows queued/sending/sent/failed/
-- cancelled only), so the constraint is widened here.

alter table app.email_outbox drop constraint email_outbox_status_is_known;
alter table app.email_outbox add constraint email_outbox_status_is_known
  check (status in ('queued', 'sending', 'sent', 'delivered_to_sink', 'failed', 'cancelled'));

-- Open statuses: the execution is somebody's work (unique per customer and workflow).
create or replace function app.is_open_status(status text)
returns boolean
language sql
immutable
parallel safe
set search_path = ''
as $$
  select is_open_status.status in ('queued', 'in_progress', 'snoozed', 'escalated')
$$;

-- The definitions an organisation runs: its own (active) row for a key, else the core one,
-- with the current version, its step count and first step.
create or replace function app.effective_workflows(org_id uuid)
returns table (
  workflow_id uuid,
  key text,
  name text,
  workflow_type text,
  base_score numeric,
  trigger_config jsonb,
  version_id uuid,
  total_steps integer,
  first_step_key text,
  first_step_title text
)
language sql
stable
set search_path = ''
as $$
  select w.id, w.key, w.name, w.workflow_type, w.base_score, w.trigger_config,
         v.id, coalesce(jsonb_array_length(v.config -> 'steps'), 0),
         v.config -> 'steps' -> 0 ->> 'key', v.config -> 'steps' -> 0 ->> 'title'
    from (
      select distinct on (w0.key) w0.*
        from app.workflows w0
       where w0.is_active
         and (w0.org_id = effective_workflows.org_id or w0.org_id is null)
       order by w0.key, w0.org_id nulls last
    ) w
    join app.workflow_versions v on v.workflow_id = w.id and v.version = w.current_version
$$;
comment on function app.effective_workflows(uuid) is 'The workflow definitions an organisation runs (its own override, else the core one) with their current version.';

-- Step rows for executions that have none yet (one set-based insert from the version config).
create or replace function app.create_step_rows(execution_ids uuid[])
returns integer
language plpgsql
set search_path = ''
as $$
declare
  created integer;
begin
  insert into app.workflow_step_executions (org_id, execution_id, step_key, step_index, title, step_type)
  select e.org_id, e.id, s.step ->> 'key', (s.ord - 1)::integer,
         coalesce(s.step ->> 'title', s.step ->> 'key'), s.step ->> 'type'
    from unnest(create_step_rows.execution_ids) as ids(id)
    join app.workflow_executions e on e.id = ids.id
    join app.workflow_versions v on v.id = e.workflow_version_id
    cross join lateral jsonb_array_elements(v.config -> 'steps') with ordinality as s(step, ord)
  on conflict do nothing;
  get diagnostics created = row_count;
  return created;
end;
$$;

-- One history entry appended to an execution's metadata (never overwriting what is there).
create or replace function app.with_history(metadata jsonb, entry jsonb)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select coalesce(with_history.metadata, '{}'::jsonb)
         || jsonb_build_object('history',
              coalesce(with_history.metadata -> 'history', '[]'::jsonb)
              || jsonb_build_array(jsonb_build_object('at', now(), 'by', (select auth.uid())) || with_history.entry))
$$;

-- The compact execution every lifecycle RPC and execute_action returns.
create or replace function app.execution_summary(execution_id uuid)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select jsonb_build_object(
           'id', e.id,
           'status', e.status,
           'assignee_id', e.assigned_to,
           'snoozed_until', e.snoozed_until,
           'started_at', e.started_at,
           'completed_at', e.completed_at,
           'priority_score', e.priority_score,
           'current_step', case when e.current_step_key is null then null else jsonb_build_object(
             'key', e.current_step_key,
             'title', coalesce(
               (select s.title from app.workflow_step_executions s
                 where s.execution_id = e.id and s.org_id = e.org_id and s.step_key = e.current_step_key),
               (select v.config -> 'steps' -> e.current_step_index ->> 'title'
                  from app.workflow_versions v where v.id = e.workflow_version_id)),
             'index', e.current_step_index) end,
           'total_steps', e.total_steps,
           'completed_steps', e.completed_steps,
           'progress', case when e.total_steps = 0 then 0 else round(e.completed_steps::numeric / e.total_steps, 4) end
         )
    from app.workflow_executions e
   where e.id = execution_summary.execution_id
$$;

-- Raises the house errors for "may the caller change this execution?": PT404 when it is
-- not visible, 42501 when visible but not theirs to change. Returns its org and assignee.
create or replace function app.require_workable_execution(execution_id uuid, verb text)
returns app.workflow_executions
language plpgsql
stable
set search_path = ''
as $$
declare
  e app.workflow_executions;
begin
  if require_workable_execution.execution_id is null then
    raise exception 'execution_id is required' using errcode = '22023', hint = 'Pass the id of a workflow execution.';
  end if;
  select * into e from app.workflow_executions x where x.id = require_workable_execution.execution_id;
  if not found then
    raise exception 'Workflow execution not found' using errcode = 'PT404',
      hint = 'Check the id; you can only see workflows of your own organisation.';
  end if;
  if not app.can_work_on_execution(e.id) then
    raise exception 'You may not % this workflow', require_workable_execution.verb using errcode = '42501',
      hint = 'Only its assigned CSM, a manager or an admin can change it.';
  end if;
  return e;
end;
$$;

grant execute on function app.is_open_status(text) to authenticated, service_role;
grant execute on function app.effective_workflows(uuid) to authenticated, service_role;
grant execute on function app.create_step_rows(uuid[]) to authenticated, service_role;
grant execute on function app.with_history(jsonb, jsonb) to authenticated, service_role;
grant execute on function app.execution_summary(uuid) to authenticated, service_role;
grant execute on function app.require_workable_execution(uuid, text) to authenticated, service_role;
