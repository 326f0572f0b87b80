-- A full orchestrator run costs what changed, not the organisation's history (issue 18;
-- docs/workflow-engine.md "The orchestrator", steps 2 and 3).
--
-- What and why: profiled on the 300k organisation, a full run (every customer looked at,
-- ~9 000 executions superseded or opened) spent
--   * ~3.5 s opening: app.orchestrator_open checked every desired row (539 000) against the
--     organisation's done work first, a merge over all 1.8 million done executions (a figure
--     that grows every month) read through the desired table's index in random order, and
--     only then against the open executions, which remove all but ~5 000 of them;
--   * ~1.5 s filling the desired table's index row by row, random keys through the 8 MB of
--     temporary buffers a session has.
-- Now the open executions are removed first (a hash anti-join), and the rows left each
-- probe the done-period index once; the desired table's index is built once, after the
-- plan has filled the table. Measured alternating on the 300k organisation, the full run's
-- database CPU went from 14.4-15.1 s to 11.3-11.5 s. The daily run's desired rows are few,
-- so its plan is the same probes as before.
--
-- The three functions are restated whole (migrations are append-only); only the parts named
-- above changed, and one rule of the next migration (20261205193000): the orchestrator
-- opens work for a viewer unassigned, as it already did for a deactivated person.

create or replace function app.orchestrator_prepare_tables()
returns void
language plpgsql
set search_path = ''
as $$
begin
  if to_regclass('pg_temp.orchestrator_scope') is null then
    create temporary table orchestrator_scope (customer_id uuid not null) on commit drop;
    create temporary table orchestrator_customers (
      id uuid primary key, assigned_to uuid, renewal_date date, decision_date date, account_plan text,
      arr numeric, risk_score integer, opportunity_score integer, stage text,
      experience_level text,
      stored_stage text -- the customer's renewal_stage as stored before this run
    ) on commit drop;
    create temporary table orchestrator_desired (
      customer_id uuid not null, assigned_to uuid, workflow_id uuid not null, version_id uuid not null,
      workflow_type text not null, base_score numeric not null, total_steps integer not null,
      first_step_key text, renewal_stage text, period_key text not null, reason text not null,
      arr numeric, account_plan text, risk_score integer, opportunity_score integer, renewal_date date,
      experience_level text, decision_date date, workflow_key text,
      -- the id its execution gets if the run opens it (superseded renewals point at it first)
      new_id uuid not null default gen_random_uuid()
    ) on commit drop;
  else
    -- An earlier run in this transaction built it: app.orchestrator_plan builds it again
    -- once the table is filled.
    drop index if exists pg_temp.orchestrator_desired_customer_idx;
  end if;
  truncate pg_temp.orchestrator_scope, pg_temp.orchestrator_customers, pg_temp.orchestrator_desired;
end;
$$;

create or replace function app.orchestrator_plan(org_id uuid, as_of date, settings app.organisation_settings)
returns integer
language plpgsql
set search_path = ''
as $$
declare
  v_as_of date := orchestrator_plan.as_of;
  v_count integer;
begin
  perform 'PRAGMA:TABLE: orchestrator_customers (id uuid, assigned_to uuid, renewal_date date, decision_date date, account_plan text, arr numeric, risk_score integer, opportunity_score integer, stage text, experience_level text, stored_stage text)';
  perform 'PRAGMA:TABLE: orchestrator_desired (customer_id uuid, assigned_to uuid, workflow_id uuid, version_id uuid, workflow_type text, base_score numeric, total_steps integer, first_step_key text, renewal_stage text, period_key text, reason text, arr numeric, account_plan text, risk_score integer, opportunity_score integer, renewal_date date, experience_level text, decision_date date, workflow_key text, new_id uuid)';
  with wf as materialized (
    select f.*, coalesce((select array_agg(x) from jsonb_array_elements_text(f.trigger_config -> 'plans') x),
                         array['invest', 'expand']) as plans
      from app.effective_workflows(orchestrator_plan.org_id) f
  )
  insert into pg_temp.orchestrator_desired
  -- renewal: one for the current stage, unless 30+ days overdue.
  select c.id, c.assigned_to, w.workflow_id, w.version_id, w.workflow_type, w.base_score, w.total_steps,
         w.first_step_key, c.stage, c.renewal_date::text, 'Renewal stage ' || c.stage,
         c.arr, c.account_plan, c.risk_score, c.opportunity_score, c.renewal_date, c.experience_level, c.decision_date, w.key
    from pg_temp.orchestrator_customers c
    join wf w on w.workflow_type = 'renewal'
             and w.trigger_config ->> 'kind' = 'renewal_stage'
             and w.trigger_config ->> 'stage' = c.stage
   where c.renewal_date is not null
     and c.decision_date - v_as_of > - orchestrator_plan.settings.renewal_overdue_cutoff_days
  union all
  -- strategic: invest/expand accounts get each scheduled review once per period.
  select c.id, c.assigned_to, w.workflow_id, w.version_id, w.workflow_type, w.base_score, w.total_steps,
         w.first_step_key, null,
         case w.trigger_config ->> 'every' when 'quarter' then to_char(v_as_of, 'YYYY-"Q"Q') else to_char(v_as_of, 'YYYY-MM') end,
         'Scheduled ' || coalesce(w.trigger_config ->> 'every', 'month') || 'ly for plan ' || c.account_plan,
         c.arr, c.account_plan, c.risk_score, c.opportunity_score, c.renewal_date, c.experience_level, c.decision_date, w.key
    from pg_temp.orchestrator_customers c
    join wf w on w.trigger_config ->> 'kind' = 'schedule'
   where c.account_plan = any(w.plans)
  union all
  -- risk and opportunity: a score at or above the organisation's threshold.
  select c.id, c.assigned_to, w.workflow_id, w.version_id, w.workflow_type, w.base_score, w.total_steps,
         w.first_step_key, null, to_char(v_as_of, 'YYYY-MM'),
         (w.trigger_config ->> 'field') || ' at or above its threshold',
         c.arr, c.account_plan, c.risk_score, c.opportunity_score, c.renewal_date, c.experience_level, c.decision_date, w.key
    from pg_temp.orchestrator_customers c
    join wf w on w.trigger_config ->> 'kind' = 'score'
   where (w.trigger_config ->> 'field' = 'risk_score' and c.risk_score >= orchestrator_plan.settings.risk_score_trigger)
      or (w.trigger_config ->> 'field' = 'opportunity_score' and c.opportunity_score >= orchestrator_plan.settings.opportunity_score_trigger);
  get diagnostics v_count = row_count;
  -- The index after the rows: one sorted build, where an index filled row by row took
  -- ~1.5 s of a 300k full run (random keys through 8 MB of temporary buffers).
  create index orchestrator_desired_customer_idx on pg_temp.orchestrator_desired (customer_id, workflow_id);
  analyze pg_temp.orchestrator_desired;
  return v_count;
end;
$$;

create or replace function app.orchestrator_open(org_id uuid, as_of date)
returns uuid[]
language plpgsql
set search_path = ''
as $$
declare
  v_org uuid := orchestrator_open.org_id;
  v_lanes jsonb;
  v_ranks jsonb;
  v_cannot_take_work uuid[];
  v_ids uuid[];
begin
  perform 'PRAGMA:TABLE: orchestrator_desired (customer_id uuid, assigned_to uuid, workflow_id uuid, version_id uuid, workflow_type text, base_score numeric, total_steps integer, first_step_key text, renewal_stage text, period_key text, reason text, arr numeric, account_plan text, risk_score integer, opportunity_score integer, renewal_date date, experience_level text, decision_date date, workflow_key text, new_id uuid)';
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

  -- New work for someone who cannot take it (deactivated, or a viewer) opens unassigned
  -- (app.unassign_new_work_of_people_who_cannot_take_it, applied here in the same
  -- statement; its row trigger is told so and stays idle), scored as unassigned work is
  -- (no experience level), as app.refresh_priorities would.
  -- Those people as a list: a join to profiles, planned for the one row the temp table was
  -- estimated at, was a scan of profiles per row (1 s at 7 000).
  select coalesce(array_agg(p.id), '{}') into v_cannot_take_work
    from app.profiles p where p.org_id = v_org and (p.deactivated_at is not null or p.role = 'viewer');
  perform pg_catalog.set_config('renubu.orchestrator_assignees_checked', 'on', true);
  with fresh as materialized (
    -- Desired work not open already, first: a full run's desired rows are nearly all open
    -- (534 000 of 539 000 at 300k), and one hash anti-join over the organisation's open
    -- executions removes them before anything else looks at the rest.
    select d.* from pg_temp.orchestrator_desired d
     where not exists (
       select 1 from app.workflow_executions x
        where x.org_id = v_org and x.customer_id = d.customer_id and x.workflow_id = d.workflow_id
          and x.status in ('queued', 'in_progress', 'snoozed', 'escalated')
          and x.period_key = d.period_key)
  ), todo as (
    select d.customer_id, d.workflow_id, d.version_id, d.workflow_type, d.base_score, d.total_steps,
           d.first_step_key, d.renewal_stage, d.period_key, d.reason, d.arr, d.account_plan, d.risk_score,
           d.opportunity_score, d.renewal_date, d.decision_date, d.workflow_key, d.new_id,
           case when d.assigned_to = any(v_cannot_take_work) then null else d.assigned_to end as assigned_to,
           case when d.assigned_to = any(v_cannot_take_work) then null else d.experience_level end as experience_level,
           v_lanes -> concat_ws(',', quote_nullable(d.workflow_type), quote_nullable(d.workflow_key), quote_nullable(d.renewal_stage), quote_nullable(d.risk_score)) as lane,
           (v_ranks ->> d.workflow_type)::smallint as type_rank
      from fresh d
     -- Then done in this period already: one probe of the done-period index per fresh row.
     -- A scalar subquery, so never planned as a join over the organisation's whole history
     -- of done work (1.8 million rows at 300k, and more every month).
     where (select true from app.workflow_executions x
             where x.customer_id = d.customer_id and x.workflow_id = d.workflow_id and x.period_key = d.period_key
               and x.org_id = v_org
               and x.status in ('completed', 'completed_with_pending_tasks', 'skipped')
             limit 1) is null
  ), scored as materialized (
    -- the formula once per row, in a pass of its own (a lateral call was wrapped in a
    -- Memoize that never hit: 538 000 misses, seconds of hashing at 300k)
    select t.*, app.calculate_priority(t.workflow_type, t.base_score, t.renewal_stage, t.arr, t.account_plan,
                                       t.opportunity_score, t.risk_score, t.experience_level, 0) as factors
      from todo t
  ), inserted as (
    insert into app.workflow_executions (
      id, org_id, customer_id, workflow_id, workflow_version_id, assigned_to, status,
      priority_score, priority_factors, customer_renewal_date, customer_account_plan,
      customer_decision_date, queue_lane, renewal_stage, period_key, trigger_reason,
      current_step_key, current_step_index, total_steps, metadata,
      customer_search, queue_type_rank)
    select t.new_id, v_org, t.customer_id, t.workflow_id, t.version_id, t.assigned_to, 'queued',
           (t.factors ->> 'score')::numeric,
           t.factors || jsonb_build_object('lane', t.lane ->> 1), t.renewal_date, t.account_plan,
           t.decision_date, (t.lane ->> 0)::smallint, t.renewal_stage, t.period_key, t.reason,
           t.first_step_key, case when t.first_step_key is null then null else 0 end, t.total_steps,
           jsonb_build_object('history', jsonb_build_array(jsonb_build_object(
             'event', 'created', 'at', now(), 'by', 'orchestrator', 'as_of', orchestrator_open.as_of, 'reason', t.reason))),
           -- app.queue_search_text(c.name, c.domain), written out (a `set search_path`
           -- function is called, never inlined: 180 000 calls cost seconds)
           lower(coalesce(c.name, '')) || chr(31) || lower(coalesce(c.domain, '')),
           t.type_rank
      from scored t
      join app.customers c on c.id = t.customer_id and c.org_id = v_org
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
