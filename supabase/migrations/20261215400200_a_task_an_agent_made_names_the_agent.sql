-- A task an AI agent creates through the MCP server names the agent, as its drafts and
-- proposals do (docs/agents.md "Who logged it").
--
-- What and why: an agent's draft says "drafted by the agent Renewal Bot" (ai_model) and its
-- proposal names it (source_ref), both from the MCP server's attestation (20261214500100),
-- but a task the MCP server's create_task made recorded only the person: on the Tasks page
-- it read as if they had typed it.
-- - app.workflow_tasks.created_by_agent: the agent's name, or null (a person's own task, the
--   assistant's, the engine's). One line, at most 200 characters, displayable.
-- - app.workflow_tasks_attributed, before insert: app.agent_name_of_call, the rule drafts and
--   proposals follow: the attested agent (app.calling_agent), whatever was sent is not read;
--   a name written without the attestation is 22023 naming created_by_agent; forged headers
--   are 42501; the service role's own writes are believed. Before update: kept as it was.
--   So every path that makes a task (create_task, an action, a proposal approved) names the
--   agent only when the MCP server attests one for the call.
-- - app.task_json (restated from 20261206211000) shows it, so every list of tasks does.
-- supabase/tests/agent_attribution/a_task_an_agent_made_names_the_agent.test.sql.

alter table app.workflow_tasks add column created_by_agent text,
  add constraint workflow_tasks_created_by_agent_is_one_short_line
    check (length(created_by_agent) <= 200 and app.require_displayable_text(created_by_agent, 'created_by_agent'));
comment on column app.workflow_tasks.created_by_agent is
  'The AI agent the MCP server attested made this task for its person (app.calling_agent), or null; set by app.workflow_tasks_attributed only.';

create function app.workflow_tasks_attributed()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if tg_op = 'UPDATE' then
    new.created_by_agent := old.created_by_agent;
  else
    new.created_by_agent := left(app.agent_name_of_call(new.created_by_agent, 'created_by_agent'), 200);
  end if;
  return new;
end;
$$;
comment on function app.workflow_tasks_attributed() is
  'Before a task is written: the agent that made it is app.agent_name_of_call (the MCP server''s attestation), never the writer''s word; an update keeps it.';
revoke execute on function app.workflow_tasks_attributed() from public, anon, authenticated;

create trigger workflow_tasks_attributed
  before insert or update of created_by_agent on app.workflow_tasks
  for each row execute function app.workflow_tasks_attributed();

-- Restated from 20261206211000; created_by_agent is the one change.
create or replace function app.task_json(t app.workflow_tasks, today date)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
begin
  return jsonb_build_object(
    'id', (task_json.t).id,
    'title', (task_json.t).title,
    'description', (task_json.t).description,
    'task_type', (task_json.t).task_type,
    'priority', (task_json.t).priority,
    'status', (task_json.t).status,
    'customer_id', (task_json.t).customer_id,
    'execution_id', (task_json.t).execution_id,
    'step_key', (task_json.t).step_key,
    'assigned_to', (task_json.t).assigned_to,
    'created_by', (task_json.t).created_by,
    'created_by_agent', (task_json.t).created_by_agent,
    'due_date', (task_json.t).due_date,
    'days_until_deadline', case when (task_json.t).due_date is null then null
      else ((task_json.t).due_date at time zone coalesce(
              (select s.time_zone from app.organisation_settings s where s.org_id = (task_json.t).org_id), 'UTC'))::date
           - task_json.today end,
    'is_overdue', (task_json.t).due_date is not null and (task_json.t).due_date < now()
                  and (task_json.t).status in ('pending', 'in_progress', 'snoozed'),
    'snoozed_until', (task_json.t).snoozed_until,
    'first_snoozed_at', (task_json.t).first_snoozed_at,
    'snooze_deadline', (task_json.t).first_snoozed_at + make_interval(days => coalesce(
        (select s.task_snooze_window_days from app.organisation_settings s where s.org_id = (task_json.t).org_id), 7)),
    'snooze_count', (task_json.t).snooze_count,
    'force_action', (task_json.t).force_action,
    'force_action_at', (task_json.t).force_action_at,
    'skip_reason', (task_json.t).skip_reason,
    'reassigned_from', (task_json.t).reassigned_from,
    'reassign_reason', (task_json.t).reassign_reason,
    'started_at', (task_json.t).started_at,
    'completed_at', (task_json.t).completed_at,
    'skipped_at', (task_json.t).skipped_at,
    'metadata', (task_json.t).metadata,
    'created_at', (task_json.t).created_at,
    'updated_at', (task_json.t).updated_at
  );
end;
$$;

-- A workflow's own tasks (get_workflow_execution's Tasks and meetings) show it too. Restated
-- from 20261212301000; created_by_agent is the one change.
create or replace function app.execution_tasks_json(e app.workflow_executions)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
begin
  return (
    select coalesce(jsonb_agg(jsonb_build_object(
             'id', k.id, 'title', k.title, 'description', k.description, 'task_type', k.task_type, 'priority', k.priority,
             'status', k.status, 'assigned_to', k.assigned_to, 'due_date', k.due_date,
             'snoozed_until', k.snoozed_until, 'force_action', k.force_action, 'created_by_agent', k.created_by_agent,
             'created_at', k.created_at)
           order by k.created_at), '[]'::jsonb)
      from app.workflow_tasks k where k.execution_id = e.id and k.org_id = e.org_id
  );
end;
$$;
