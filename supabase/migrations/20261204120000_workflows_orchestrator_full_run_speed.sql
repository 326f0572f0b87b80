-- The orchestrator's full run inserts complete rows (issue 18, point 3: full run ≤ 30 s).
--
-- Profile of a full rebuild at 100k (179 555 executions re-created; pg_stat_xact_user_functions
-- and EXPLAIN ANALYZE, docs/performance.md "Orchestrator full run, measured …"): the INSERT
-- of app.orchestrator_open left two of the queue's kept copies (customer_search,
-- queue_type_rank) empty, so the row trigger app.executions_fill_queue_copies ran once per
-- row (two lookups each, plus a `set search_path` SQL function call that the planner
-- cannot inline); its CTE was inlined twice, so app.calculate_priority and app.queue_lane
-- ran twice per row; and "not done already for this period" was an index probe of every
-- customer's executions plus ~10 heap fetches each (10 s), because no index answers
-- (customer, workflow, period) among closed executions.
--
-- Now, with the same rules:
-- * app.orchestrator_open computes every kept copy in the INSERT itself — search text,
--   type rank, lane, lane name, priority — so the copies trigger's WHEN is false and the
--   statement triggers (priorities, queue statistics) find nothing to redo; the priority
--   formula runs once per row; the lane and the type rank are computed with the rule's
--   own functions once per distinct input (a few hundred) instead of once per row; rows
--   go in customer order, so the customer-led indexes are written page by page;
-- * the rule "new work for a deactivated person opens unassigned" is applied in that
--   INSERT too (and the priority scored as unassigned work, as app.refresh_priorities
--   scores it); its row trigger (app.unassign_new_work_of_deactivated) stays for every
--   other insert and is idle, by its condition, during the orchestrator's;
-- * a partial index of closed executions by (customer, workflow, period) — only rows that
--   reached completed / completed_with_pending_tasks / skipped with a period key, so the
--   orchestrator's own inserts (queued) never maintain it — answers "done for this
--   period" from the index alone.
-- The queue's search text is written out here (lower(name) U+001F lower(domain)) as in
-- app.queue_search_text; supabase/tests/run_orchestrator/ checks that every kept copy of a
-- full run equals what app.refresh_priorities and the copies trigger would have written.

create index if not exists workflow_executions_done_period_idx
  on app.workflow_executions (customer_id, workflow_id, period_key, org_id)
  where status in ('completed', 'completed_with_pending_tasks', 'skipped') and period_key is not null;
comment on index app.workflow_executions_done_period_idx is
  'The orchestrator''s "already done for this period" check (app.orchestrator_open): closed executions with a period key.';

-- Open what should exist and does not (neither open nor done for its period), every kept
-- copy computed in the same statement. Step rows follow when the execution is started.
create or replace function app.orchestrator_open(org_id uuid, as_of date)
returns uuid[]
language plpgsql
set search_path = ''
as $$
declare
  v_org uuid := orchestrator_open.org_id;
  v_lanes jsonb;
  v_ranks jsonb;
  v_ids uuid[];
begin
  perform 'PRAGMA:TABLE: orchestrator_desired (customer_id uuid, assigned_to uuid, workflow_id uuid, version_id uuid, workflow_type text, base_score numeric, total_steps integer, first_step_key text, renewal_stage text, period_key text, reason text, arr numeric, account_plan text, risk_score integer, opportunity_score integer, renewal_date date, experience_level text, active_workflows integer, decision_date date, workflow_key text)';
  -- The lane (with its name) and the type rank by the rules' own functions, once per
  -- distinct input (a few hundred) instead of once per row; looked up below by key (the
  -- lane's inputs as one text, quote_nullable keeping null and '' apart).
  select jsonb_object_agg(k.key, jsonb_build_array(k.lane, app.queue_lane_name(k.lane))) into v_lanes
    from (select i.key, app.queue_lane(i.workflow_type, i.workflow_key, i.renewal_stage, i.risk_score, false) as lane
            from (select distinct concat_ws(',', quote_nullable(d.workflow_type), quote_nullable(d.workflow_key), quote_nullable(d.renewal_stage), quote_nullable(d.risk_score)) as key,
                         d.workflow_type, d.workflow_key, d.renewal_stage, d.risk_score
                    from pg_temp.orchestrator_desired d) i) k;
  select jsonb_object_agg(i.workflow_type, app.workflow_type_rank(i.workflow_type)) into v_ranks
    from (select distinct d.workflow_type from pg_temp.orchestrator_desired d) i;

  -- New work for a deactivated person opens unassigned (app.unassign_new_work_of_deactivated,
  -- applied here in the same statement; its row trigger is told so and stays idle), scored
  -- as unassigned work is (no experience level, no workload), as app.refresh_priorities would.
  perform pg_catalog.set_config('renubu.orchestrator_assignees_checked', 'on', true);
  with todo as (
    select d.customer_id, d.workflow_id, d.version_id, d.workflow_type, d.base_score, d.total_steps,
           d.first_step_key, d.renewal_stage, d.period_key, d.reason, d.arr, d.account_plan, d.risk_score,
           d.opportunity_score, d.renewal_date, d.decision_date, d.workflow_key,
           case when p.deactivated_at is null then d.assigned_to end as assigned_to,
           case when p.deactivated_at is null then d.experience_level end as experience_level,
           case when p.deactivated_at is null then d.active_workflows else 0 end as active_workflows,
           v_lanes -> concat_ws(',', quote_nullable(d.workflow_type), quote_nullable(d.workflow_key), quote_nullable(d.renewal_stage), quote_nullable(d.risk_score)) as lane,
           (v_ranks ->> d.workflow_type)::smallint as type_rank
      from pg_temp.orchestrator_desired d
      left join app.profiles p on p.id = d.assigned_to
     where not exists (
       select 1 from app.workflow_executions x
        where x.org_id = v_org and x.customer_id = d.customer_id and x.workflow_id = d.workflow_id
          and x.status in ('queued', 'in_progress', 'snoozed', 'escalated')
          and x.period_key = d.period_key)
       and not exists (
         select 1 from app.workflow_executions x
          where x.customer_id = d.customer_id and x.workflow_id = d.workflow_id and x.period_key = d.period_key
            and x.org_id = v_org
            and x.status in ('completed', 'completed_with_pending_tasks', 'skipped'))
  ), inserted as (
    insert into app.workflow_executions (
      org_id, customer_id, workflow_id, workflow_version_id, assigned_to, status,
      priority_score, priority_factors, customer_renewal_date, customer_account_plan,
      customer_decision_date, queue_lane, renewal_stage, period_key, trigger_reason,
      current_step_key, current_step_index, total_steps, metadata,
      customer_search, queue_type_rank)
    select v_org, t.customer_id, t.workflow_id, t.version_id, t.assigned_to, 'queued',
           (f.factors ->> 'score')::numeric,
           f.factors || jsonb_build_object('lane', t.lane ->> 1), t.renewal_date, t.account_plan,
           t.decision_date, (t.lane ->> 0)::smallint, t.renewal_stage, t.period_key, t.reason,
           t.first_step_key, case when t.first_step_key is null then null else 0 end, t.total_steps,
           jsonb_build_object('history', jsonb_build_array(jsonb_build_object(
             'event', 'created', 'at', now(), 'by', 'orchestrator', 'as_of', orchestrator_open.as_of, 'reason', t.reason))),
           -- app.queue_search_text(c.name, c.domain), written out (a `set search_path`
           -- function is called, never inlined: 180 000 calls cost seconds)
           lower(coalesce(c.name, '')) || chr(31) || lower(coalesce(c.domain, '')),
           t.type_rank
      from todo t
      join app.customers c on c.id = t.customer_id and c.org_id = v_org
      -- the formula once per row (offset 0: a subquery pulled up would repeat it for each use)
      cross join lateral (
        select app.calculate_priority(t.workflow_type, t.base_score, t.renewal_stage, t.arr, t.account_plan,
                                      t.opportunity_score, t.risk_score, t.experience_level, t.active_workflows) as factors
        offset 0) f
     order by t.customer_id, t.workflow_id
    on conflict (customer_id, workflow_id) where status in ('queued', 'in_progress', 'snoozed', 'escalated')
    do nothing
    returning id
  )
  select array_agg(id) into v_ids from inserted;
  perform pg_catalog.set_config('renubu.orchestrator_assignees_checked', '', true);
  return coalesce(v_ids, '{}');
end;
$$;
revoke execute on function app.orchestrator_open(uuid, date) from public, anon, authenticated;
grant execute on function app.orchestrator_open(uuid, date) to service_role;

-- The deactivated-assignee rule's row trigger: the same rule for every other insert; idle
-- while app.orchestrator_open's INSERT (which applies the rule itself) runs. A condition of
-- the trigger, so the orchestrator's rows cost no function call at all.
drop trigger workflow_executions_new_work_skips_deactivated on app.workflow_executions;
create trigger workflow_executions_new_work_skips_deactivated
  before insert on app.workflow_executions
  for each row when (new.assigned_to is not null
                     and current_setting('renubu.orchestrator_assignees_checked', true) is distinct from 'on')
  execute function app.unassign_new_work_of_deactivated();
