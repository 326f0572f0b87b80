-- The JSON shapes the API builds per row or per request, and four small RPCs, are
-- PL/pgSQL, planned once per connection (migration 20261206210000 gives the reason; docs/
-- performance.md 6 Dec 2026).
--
-- What and why: these are `language sql` with their own search_path, so Postgres plans
-- them again wherever they are called. A shape called per row costs that once per row:
-- the customer page builds each open task with app.task_json (up to 50), the people page
-- each person with app.person_json, the proposals list each proposal with
-- app.proposal_json; every action and branch answers with app.execution_summary, and
-- notifications name a workflow with app.execution_label. The RPCs are the daily brief,
-- the definitions list of the workflow editor, the ingest function's secrets lookup (once
-- per webhook call) and log_engagement (a one-line wrapper).
-- Bodies, signatures and volatility are unchanged; `select <shape> from <one row by key>`
-- becomes `return (select ...)`, and the ingest lookup keeps the first match as the SQL
-- function did (`limit 1`).

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

create or replace function app.proposal_json(p app.action_proposals)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
begin
  return jsonb_build_object(
    'id', p.id,
    'execution_id', p.execution_id,
    'action_key', p.action_key,
    'action_name', (select s.name from app.saved_actions s
                     where s.key = p.action_key and (s.org_id = p.org_id or s.org_id is null)
                     order by s.org_id nulls last limit 1),
    'params', p.params,
    'rationale', p.rationale,
    'source', jsonb_build_object('kind', p.source, 'thread_id', p.thread_id, 'message_id', p.message_id, 'ref', p.source_ref),
    'proposed_for', p.proposed_for,
    -- An undecided proposal past its date is expired even before the hourly job marks it.
    'status', case when p.status = 'proposed' and p.expires_at <= now() then 'expired' else p.status end,
    'expires_at', p.expires_at,
    'decided_by', p.decided_by,
    'decided_at', p.decided_at,
    'decided_params', p.decided_params,
    'action_execution_id', p.action_execution_id,
    'action', (select jsonb_build_object('success', x.success, 'result', x.result, 'side_effects', x.side_effects)
                 from app.action_executions x where x.id = p.action_execution_id),
    'customer', (select jsonb_build_object('id', c.id, 'name', c.name)
                   from app.workflow_executions e join app.customers c on c.id = e.customer_id where e.id = p.execution_id),
    'workflow_name', (select w.name from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
                       where e.id = p.execution_id),
    'created_at', p.created_at);
end;
$$;

create or replace function app.person_json(p app.profiles)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
begin
  return jsonb_build_object(
    'id', p.id, 'full_name', p.full_name, 'email', p.email, 'role', p.role, 'title', p.title,
    'experience_level', p.experience_level, 'manager_id', p.manager_id,
    'manager_name', (select m.full_name from app.profiles m where m.id = p.manager_id and m.org_id = p.org_id),
    'active', p.deactivated_at is null, 'deactivated_at', p.deactivated_at, 'created_at', p.created_at,
    'open_workflows', (select count(*)::integer from app.workflow_executions x
                        where x.org_id = p.org_id and x.assigned_to = p.id
                          and x.status in ('queued', 'in_progress', 'snoozed', 'escalated')),
    'open_tasks', (select count(*)::integer from app.workflow_tasks t
                    where t.org_id = p.org_id and t.assigned_to = p.id
                      and t.status in ('pending', 'in_progress', 'snoozed')));
end;
$$;

create or replace function app.execution_summary(execution_id uuid)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
begin
  return (
    select jsonb_build_object(
             'id', e.id,
             'status', e.status,
             'assignee_id', e.assigned_to,
             'snoozed_until', e.snoozed_until,
             'started_at', e.started_at,
             'completed_at', e.completed_at,
             'priority_score', (app.priority_shown(e.org_id, e.assigned_to, e.status, e.priority_factors) ->> 'score')::numeric,
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
  );
end;
$$;

create or replace function app.execution_label(e app.workflow_executions)
returns text
language plpgsql
stable
set search_path = ''
as $$
begin
  return (
    select w.name || ' for ' || c.name
      from app.workflows w, app.customers c
     where w.id = e.workflow_id and c.id = e.customer_id
  );
end;
$$;

create or replace function public.get_daily_brief(brief_date date default null)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
begin
  return (
    select jsonb_build_object(
             'id', b.id, 'brief_date', b.brief_date, 'generated_at', b.generated_at, 'since', b.since,
             'facts', b.facts, 'text', b.text, 'sentences', b.sentences, 'model', b.model, 'written_at', b.written_at,
             'items', coalesce((select jsonb_agg(f) from jsonb_array_elements(b.facts) f where f ->> 'kind' = 'top_item'), '[]'::jsonb))
      from app.daily_briefs b
     where b.profile_id = (select auth.uid())
       and (get_daily_brief.brief_date is null or b.brief_date = get_daily_brief.brief_date)
     order by b.brief_date desc
     limit 1
  );
end;
$$;

create or replace function public.list_workflow_definitions()
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
begin
  return (
    select coalesce(jsonb_agg(app.workflow_definition_summary(w, (select app.current_org_id()))
                              order by w.workflow_type = 'custom', w.base_score desc, w.key), '[]'::jsonb)
      from (
        select distinct on (w0.key) w0.*
          from app.workflows w0
         where w0.is_active and (w0.org_id is null or w0.org_id = (select app.current_org_id()))
         order by w0.key, w0.org_id nulls last
      ) w
     where (select app.current_org_id()) is not null
  );
end;
$$;

create or replace function public.ingest_webhook_secrets(org text)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
begin
  return (
    select jsonb_build_object(
             'org_id', o.id,
             'secrets', coalesce((
               select jsonb_agg(s.secret order by s.created_at desc)
                 from app.webhook_secrets s
                where s.org_id = o.id
                  and s.active
                  and (s.expires_at is null or s.expires_at > now())
             ), '[]'::jsonb)
           )
      from app.organisations o
     where o.slug = lower(ingest_webhook_secrets.org)
        or o.id = case
                    when ingest_webhook_secrets.org ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
                    then ingest_webhook_secrets.org::uuid
                  end
     limit 1
  );
end;
$$;

create or replace function public.log_engagement(
  customer_id uuid,
  kind text,
  occurred_at timestamptz,
  summary text,
  details jsonb default '{}'::jsonb
)
returns jsonb
language plpgsql
set search_path = ''
as $$
begin
  return app.log_engagement(log_engagement.customer_id, log_engagement.kind, log_engagement.occurred_at,
                            log_engagement.summary, log_engagement.details);
end;
$$;
