-- The orchestrator scores what it opens with the assignee's workload as it is after the
-- supersede (issue 18; docs/workflow-engine.md "The orchestrator").
--
-- What and why: the workload (the assignee's in-progress executions, a term of the
-- priority) was counted when the scope was loaded, before the run superseded renewals. A
-- CSM whose started renewal moved on to a new stage had that renewal superseded (their
-- workload fell by one, and the supersede re-scored their other open work), but its
-- successor was opened with the old count: 2 points lower than a re-score gives, until the
-- next change re-scored it. The count moves to app.orchestrator_open, one aggregate over
-- the desired rows' assignees looked up by key; the scope tables lose the column (every
-- step that names them is redefined with the new shape).
--
-- Also measured on the 300k organisation's daily run (docs/performance.md): the scope's
-- workload locks find the open executions' assignees customer by customer (the join had
-- become a scan of every open execution), and the run does without JIT.

-- The run's working tables (dropped at commit).
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
    create index orchestrator_desired_customer_idx on pg_temp.orchestrator_desired (customer_id, workflow_id);
  end if;
  truncate pg_temp.orchestrator_scope, pg_temp.orchestrator_customers, pg_temp.orchestrator_desired;
end;
$$;
revoke execute on function app.orchestrator_prepare_tables() from public, anon, authenticated;
grant execute on function app.orchestrator_prepare_tables() to service_role;

-- The scope's customers with what the decisions need: the stage as of the day (the rule
-- of app.calculate_renewal_stage, inlined: a `set search_path` function is never inlined
-- and 100 000 calls cost seconds) and the assignee's level. The workload is counted when
-- the run opens (app.orchestrator_open): superseding changes it.
create or replace function app.orchestrator_load_customers(org_id uuid, as_of date)
returns integer
language plpgsql
set search_path = ''
as $$
declare
  v_org uuid := orchestrator_load_customers.org_id;
  v_as_of date := orchestrator_load_customers.as_of;
  v_count integer;
begin
  perform 'PRAGMA:TABLE: orchestrator_scope (customer_id uuid)';
  perform 'PRAGMA:TABLE: orchestrator_customers (id uuid, assigned_to uuid, renewal_date date, decision_date date, account_plan text, arr numeric, risk_score integer, opportunity_score integer, stage text, experience_level text, stored_stage text)';
  with ids as materialized (
    select distinct s.customer_id from pg_temp.orchestrator_scope s
  ), cust as materialized (
    select c.* from app.customers c join ids on ids.customer_id = c.id where c.org_id = v_org
  )
  insert into pg_temp.orchestrator_customers
  select c.id, c.assigned_to, c.renewal_date, c.decision_date, c.account_plan, c.arr, c.risk_score, c.opportunity_score,
         case
           when c.decision_date is null then null
           when c.decision_date - v_as_of < 0 then 'Overdue'
           when c.decision_date - v_as_of < 7 then 'Emergency'
           when c.decision_date - v_as_of < 14 then 'Critical'
           when c.decision_date - v_as_of < 30 then 'Signature'
           when c.decision_date - v_as_of < 60 then 'Finalize'
           when c.decision_date - v_as_of < 90 then 'Negotiate'
           when c.decision_date - v_as_of < 120 then 'Engage'
           when c.decision_date - v_as_of < 180 then 'Prepare'
           else 'Monitor' end,
         p.experience_level, c.renewal_stage
    from cust c
    left join app.profiles p on p.id = c.assigned_to;
  get diagnostics v_count = row_count;
  analyze pg_temp.orchestrator_customers;
  return v_count;
end;
$$;
revoke execute on function app.orchestrator_load_customers(uuid, date) from public, anon, authenticated;
grant execute on function app.orchestrator_load_customers(uuid, date) to service_role;

-- Stored renewal stages of the scope, as of the run's day.
create or replace function app.orchestrator_restage()
returns integer
language plpgsql
set search_path = ''
as $$
declare
  v_count integer;
begin
  perform 'PRAGMA:TABLE: orchestrator_customers (id uuid, assigned_to uuid, renewal_date date, decision_date date, account_plan text, arr numeric, risk_score integer, opportunity_score integer, stage text, experience_level text, stored_stage text)';
  -- Only the customers whose stage moves, found by primary key (a join was planned as a
  -- scan of every customer of every organisation).
  update app.customers c
     set renewal_stage = s.stage
    from pg_temp.orchestrator_customers s
   where c.id = any(array(select m.id from pg_temp.orchestrator_customers m where m.stored_stage is distinct from m.stage))
     and c.id = s.id
     and c.renewal_stage is distinct from s.stage;
  get diagnostics v_count = row_count;
  return v_count;
end;
$$;
revoke execute on function app.orchestrator_restage() from public, anon, authenticated;
grant execute on function app.orchestrator_restage() to service_role;

-- The scope's locks, taken before the run's first write and in the order people's calls
-- take theirs: the workload lock of every assignee the run may re-score (sorted; lifecycle
-- RPCs take it before they touch an execution), then the scope's customers (sorted; the
-- ingest locks the customers it writes before anything else). Every execution the run
-- writes belongs to one of these customers or assignees, so nobody else is writing it.
-- Without this a run that superseded executions and then re-staged customers could
-- deadlock with a CSM's start or snooze, or with a delivery writing the same customers.
--
-- The open executions' assignees: for a daily run one customer at a time (a subquery per
-- customer on the open-per-customer index; as a join it was planned as a scan of every
-- open execution of every organisation, 0.3 s at 300k), for a full run, whose scope is
-- every customer, the organisation's open executions in one pass (a subquery per customer
-- cost 1.9 s for 300 000).
drop function if exists app.orchestrator_lock_scope();
create or replace function app.orchestrator_lock_scope(org_id uuid, full_run boolean)
returns void
language plpgsql
set search_path = ''
as $$
begin
  perform 'PRAGMA:TABLE: orchestrator_customers (id uuid, assigned_to uuid, renewal_date date, decision_date date, account_plan text, arr numeric, risk_score integer, opportunity_score integer, stage text, experience_level text, stored_stage text)';
  if orchestrator_lock_scope.full_run then
    perform app.lock_assignee_workload(x.id)
       from (select s.assigned_to as id from pg_temp.orchestrator_customers s
             union
             select e.assigned_to from app.workflow_executions e
              where e.org_id = orchestrator_lock_scope.org_id
                and e.status in ('queued', 'in_progress', 'snoozed', 'escalated')) x
      where x.id is not null
      order by x.id;
  else
    perform app.lock_assignee_workload(x.id)
       from (select s.assigned_to as id from pg_temp.orchestrator_customers s
             union
             select unnest(array(select e.assigned_to from app.workflow_executions e
                                  where e.customer_id = s.id
                                    and e.status in ('queued', 'in_progress', 'snoozed', 'escalated')))
               from pg_temp.orchestrator_customers s) x
      where x.id is not null
      order by x.id;
  end if;
  perform 1 from app.customers c join pg_temp.orchestrator_customers s on s.id = c.id
   order by c.id for no key update of c;
end;
$$;
revoke execute on function app.orchestrator_lock_scope(uuid, boolean) from public, anon, authenticated;
grant execute on function app.orchestrator_lock_scope(uuid, boolean) to service_role;

-- Which executions should exist for the scope's customers (rules of docs/workflow-engine.md
-- "The orchestrator"; period keys: the renewal date, the month or the quarter).
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
  analyze pg_temp.orchestrator_desired;
  return v_count;
end;
$$;
revoke execute on function app.orchestrator_plan(uuid, date, app.organisation_settings) from public, anon, authenticated;
grant execute on function app.orchestrator_plan(uuid, date, app.organisation_settings) to service_role;

-- Open renewal executions of the scope that are no longer the one that should be open
-- become `superseded` (history kept), each pointing at the renewal the run is to open for
-- its customer (`superseded_by`, the desired row's id: one UPDATE, not a second pass over
-- every superseded row; the key is checked once the run has opened it, and a pointer at a
-- renewal that was not opened is cleared, see app.run_orchestrator_for_org). Returns their ids.
create or replace function app.orchestrator_supersede(org_id uuid, as_of date, cutoff_days integer)
returns uuid[]
language plpgsql
set search_path = ''
as $$
declare
  v_as_of date := orchestrator_supersede.as_of;
  v_ids uuid[];
begin
  perform 'PRAGMA:TABLE: orchestrator_customers (id uuid, assigned_to uuid, renewal_date date, decision_date date, account_plan text, arr numeric, risk_score integer, opportunity_score integer, stage text, experience_level text, stored_stage text)';
  perform 'PRAGMA:TABLE: orchestrator_desired (customer_id uuid, assigned_to uuid, workflow_id uuid, version_id uuid, workflow_type text, base_score numeric, total_steps integer, first_step_key text, renewal_stage text, period_key text, reason text, arr numeric, account_plan text, risk_score integer, opportunity_score integer, renewal_date date, experience_level text, decision_date date, workflow_key text, new_id uuid)';
  with stale as (
    -- found on the open-executions index alone (it carries period_key), one probe per
    -- customer: the renewal workflows as a list, not a join (planned as a probe per
    -- customer and workflow, 9 times the work)
    select e.id, s.decision_date, s.stage,
           (select d.new_id from pg_temp.orchestrator_desired d
             where d.customer_id = e.customer_id and d.renewal_stage is not null
             limit 1) as successor
      from pg_temp.orchestrator_customers s
      join app.workflow_executions e
        on e.org_id = orchestrator_supersede.org_id and e.customer_id = s.id
       and e.status in ('queued', 'in_progress', 'snoozed', 'escalated')
       and e.period_key is not null
     where e.workflow_id = any(array(select w.id from app.workflows w where w.workflow_type = 'renewal'))
       and not exists (
       select 1 from pg_temp.orchestrator_desired d
        where d.customer_id = e.customer_id and d.workflow_id = e.workflow_id and d.period_key = e.period_key)
  ), superseded as (
    update app.workflow_executions e
       set status = 'superseded',
           completed_at = now(),
           superseded_by = stale.successor,
           metadata = app.with_history(e.metadata, jsonb_build_object(
             'event', 'superseded', 'from_status', e.status, 'as_of', v_as_of,
             'reason', case
               when stale.decision_date is null then 'The customer no longer has a renewal date'
               when stale.decision_date - v_as_of <= - orchestrator_supersede.cutoff_days then 'The renewal is 30 or more days overdue'
               else 'The renewal stage moved on to ' || stale.stage end))
      from stale
     where e.id = stale.id
    returning e.id
  )
  select array_agg(id) into v_ids from superseded;
  return coalesce(v_ids, '{}');
end;
$$;
revoke execute on function app.orchestrator_supersede(uuid, date, integer) from public, anon, authenticated;
grant execute on function app.orchestrator_supersede(uuid, date, integer) to service_role;

-- Open what should exist and does not (neither open nor done for its period), with the ids
-- the desired rows carry, every kept copy computed in the same statement. Step rows follow
-- when the execution is started.
--
-- Why (a full rebuild at 100k re-creates ~180 000 executions): every kept copy — search
-- text, type rank, lane, lane name, priority — is computed in the INSERT itself, so the
-- copies trigger (app.executions_fill_queue_copies) stays idle by its condition and the
-- statement triggers (priorities, queue statistics) find nothing to redo; the priority
-- formula runs once per row; the lane and the type rank by the rules' own functions once
-- per distinct input (a few hundred), not once per row; rows go in customer order, so the
-- customer-led indexes are written page by page. "Done for this period" is answered by
-- workflow_executions_done_period_idx. supabase/tests/run_orchestrator/ checks that every
-- kept copy of a full run equals what app.refresh_priorities and the copies trigger write.
create or replace function app.orchestrator_open(org_id uuid, as_of date)
returns uuid[]
language plpgsql
set search_path = ''
as $$
declare
  v_org uuid := orchestrator_open.org_id;
  v_lanes jsonb;
  v_ranks jsonb;
  v_deactivated uuid[];
  v_workloads jsonb;
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

  -- New work for a deactivated person opens unassigned (app.unassign_new_work_of_deactivated,
  -- applied here in the same statement; its row trigger is told so and stays idle), scored
  -- as unassigned work is (no experience level, no workload), as app.refresh_priorities would.
  -- The organisation's deactivated people as a list: a join to profiles, planned for the
  -- one row the temp table was estimated at, was a scan of profiles per row (1 s at 7 000).
  select coalesce(array_agg(p.id), '{}') into v_deactivated
    from app.profiles p where p.org_id = v_org and p.deactivated_at is not null;
  -- The assignees' workloads, counted now, after the supersede: a started renewal it
  -- superseded no longer counts (counted when the scope was loaded, the run scored its
  -- successor 2 points low). Looked up by key like the lanes: joined, the count was planned
  -- for a dozen assignees and scanned once per desired row (20 million rows at 300k).
  select coalesce(jsonb_object_agg(x.assigned_to, x.active), '{}') into v_workloads
    from (select e.assigned_to, count(*) as active
            from app.workflow_executions e
           where e.org_id = v_org and e.status = 'in_progress'
             and e.assigned_to = any(array(select distinct d.assigned_to from pg_temp.orchestrator_desired d))
           group by e.assigned_to) x;
  perform pg_catalog.set_config('renubu.orchestrator_assignees_checked', 'on', true);
  with todo as (
    select d.customer_id, d.workflow_id, d.version_id, d.workflow_type, d.base_score, d.total_steps,
           d.first_step_key, d.renewal_stage, d.period_key, d.reason, d.arr, d.account_plan, d.risk_score,
           d.opportunity_score, d.renewal_date, d.decision_date, d.workflow_key, d.new_id,
           case when d.assigned_to = any(v_deactivated) then null else d.assigned_to end as assigned_to,
           case when d.assigned_to = any(v_deactivated) then null else d.experience_level end as experience_level,
           case when d.assigned_to = any(v_deactivated) then 0
                else coalesce((v_workloads ->> d.assigned_to::text)::integer, 0) end as active_workflows,
           v_lanes -> concat_ws(',', quote_nullable(d.workflow_type), quote_nullable(d.workflow_key), quote_nullable(d.renewal_stage), quote_nullable(d.risk_score)) as lane,
           (v_ranks ->> d.workflow_type)::smallint as type_rank
      from pg_temp.orchestrator_desired d
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
  ), scored as materialized (
    -- the formula once per row, in a pass of its own (a lateral call was wrapped in a
    -- Memoize that never hit: 538 000 misses, seconds of hashing at 300k)
    select t.*, app.calculate_priority(t.workflow_type, t.base_score, t.renewal_stage, t.arr, t.account_plan,
                                       t.opportunity_score, t.risk_score, t.experience_level, t.active_workflows) as factors
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
revoke execute on function app.orchestrator_open(uuid, date) from public, anon, authenticated;
grant execute on function app.orchestrator_open(uuid, date) to service_role;

-- The dispatcher: `full_run => true` looks at every customer; every other caller
-- (pg_cron, public.run_orchestrator, seed.sql through app.run_orchestrator) gets the
-- incremental run.
create or replace function app.run_orchestrator_for_org(
  org_id uuid,
  as_of date default null,
  trigger text default 'cron',
  triggered_by uuid default null,
  full_run boolean default false
)
returns jsonb
language plpgsql
security definer -- writes every customer's executions of one organisation for the scheduler; people are checked in app.orchestrator_settings and public.run_orchestrator
set search_path = ''
as $$
declare
  v_org uuid := run_orchestrator_for_org.org_id;
  v_settings app.organisation_settings := app.orchestrator_settings(v_org);
  v_as_of date := coalesce(run_orchestrator_for_org.as_of, app.organisation_today(v_org));
  v_started timestamptz := clock_timestamp();
  v_fingerprint text;
  v_full_reason text;
  v_run_id uuid;
  v_result jsonb;
  v_superseded uuid[];
  v_created uuid[];
  v_marks integer;
  v_customers integer;
  v_restaged integer;
begin
  perform 'PRAGMA:TABLE: orchestrator_customers (id uuid, assigned_to uuid, renewal_date date, decision_date date, account_plan text, arr numeric, risk_score integer, opportunity_score integer, stage text, experience_level text, stored_stage text)';
  -- Two runs for one organisation never interleave.
  perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('renubu.orchestrator:' || v_org::text, 0));
  insert into app.orchestrator_runs (org_id, as_of, trigger, triggered_by)
  values (v_org, v_as_of, coalesce(run_orchestrator_for_org.trigger, 'cron'), run_orchestrator_for_org.triggered_by)
  returning id into v_run_id;
  -- Its own writes need no mark for the next run.
  perform pg_catalog.set_config('renubu.orchestrator_marks_paused', 'on', true);
  -- Statement triggers on customers and executions read their transition tables with
  -- plans cached per session for the row count of the first statement that fired them.
  -- None joins old_rows with new_rows in such a plan (a set difference, or EXECUTE), but
  -- their other reads would still be planned for the one row a pooled session last
  -- fired them for: plan them afresh for this run's thousands of rows.
  discard plans;

  v_fingerprint := app.orchestrator_fingerprint(v_org);
  v_full_reason := app.orchestrator_full_reason(v_org, v_as_of, v_fingerprint, coalesce(run_orchestrator_for_org.full_run, false));
  perform app.orchestrator_prepare_tables();
  v_marks := app.orchestrator_collect_scope(v_org, v_as_of,
               (select w.as_of from app.orchestrator_watermarks w where w.org_id = v_org),
               v_settings.renewal_overdue_cutoff_days, v_full_reason is not null);
  v_customers := app.orchestrator_load_customers(v_org, v_as_of);
  perform app.orchestrator_lock_scope(v_org, v_full_reason is not null);
  perform app.orchestrator_plan(v_org, v_as_of, v_settings);
  -- Superseded renewals point at successors that exist only once the run has opened them:
  -- the key is checked then, not at the end of the UPDATE.
  set constraints app.workflow_executions_successor_is_in_organisation deferred;
  -- The forecast follows the scope's renewals once, after both steps (not once per step).
  perform pg_catalog.set_config('renubu.orchestrator_forecast_deferred', 'on', true);
  v_superseded := app.orchestrator_supersede(v_org, v_as_of, v_settings.renewal_overdue_cutoff_days);
  v_created := app.orchestrator_open(v_org, v_as_of);
  perform pg_catalog.set_config('renubu.orchestrator_forecast_deferred', '', true);
  perform app.forecast_refresh_customers(array(select s.id from pg_temp.orchestrator_customers s));
  perform app.orchestrator_drop_unopened_successors(v_superseded, v_created);
  set constraints app.workflow_executions_successor_is_in_organisation immediate;
  -- Stored stages last: the decisions above use the stage computed for the day, and the
  -- customers trigger then re-scores only the executions still open (not the renewals
  -- just superseded). Its first statement is an executions update of no rows, which would
  -- cache one-row plans for the executions triggers: plan afresh again.
  discard plans;
  v_restaged := app.orchestrator_restage();
  v_result := jsonb_build_object(
    'mode', case when v_full_reason is null then 'incremental' else 'full' end,
    'full_reason', v_full_reason, 'marks', v_marks, 'customers', v_customers, 'restaged', v_restaged,
    'superseded', cardinality(v_superseded),
    'created', cardinality(v_created),
    -- what was due by the start of the run's day, or by now if that is later
    'woken', app.orchestrator_wake(v_org, greatest(now(), (v_as_of::timestamp at time zone v_settings.time_zone))));

  perform pg_catalog.set_config('renubu.orchestrator_marks_paused', '', true);
  return app.orchestrator_finish(v_run_id, v_started, v_fingerprint, v_result);
end;
$$;
comment on function app.run_orchestrator_for_org(uuid, date, text, uuid, boolean) is
  'The orchestrator for one organisation as of a day (default its today): incremental (the customers whose inputs changed or whose stage boundary was crossed since the last run) unless full_run => true or a full run is due; set-based and idempotent. Called by pg_cron and public.run_orchestrator.';
-- No JIT for the run: its statements are planned against tables of millions of rows
-- (costs far above jit_above_cost) but a daily run touches thousands, and compiling and
-- optimising one statement's expressions took 0.3 s of a 5 s run at 300k; the full run is
-- no faster with it either.
alter function app.run_orchestrator_for_org(uuid, date, text, uuid, boolean) set jit = off;
revoke execute on function app.run_orchestrator_for_org(uuid, date, text, uuid, boolean) from public, anon;
grant execute on function app.run_orchestrator_for_org(uuid, date, text, uuid, boolean) to authenticated, service_role;
