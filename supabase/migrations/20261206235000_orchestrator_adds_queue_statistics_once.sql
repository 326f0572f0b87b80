-- An orchestrator run adds its queue statistics once, after its supersede and open steps
-- (issue 18, the 300k daily run; docs/workflow-engine.md "The orchestrator";
-- docs/performance.md).
--
-- What and why: the executions' statement trigger app.executions_keep_queue_stats adds each
-- statement's items to the kept queue statistics (app.queue_stats_add: the totals, the
-- distinct customers per person, the decision dates). A daily run supersedes a renewal
-- that moved on a stage and opens the next one for the same customer and person: one item
-- out and one in. Added in two calls, each wrote them: an upsert per person and customer
-- and per person and decision date that the other call then undid. The run now holds the
-- items of those two steps (the setting
-- renubu.orchestrator_stats_deferred, as it holds the forecast with
-- renubu.orchestrator_forecast_deferred) and adds them in one call, where a customer's -1
-- and +1 cancel out before anything is written. Additions commute, so the kept figures
-- are the ones the two calls wrote; every person whose items changed is rendered again at
-- the end as before. Outside a run (a person's action, a reassignment, ingest) nothing
-- changes. Measured on the 300k daily run (5 734 superseded, 7 083 opened), the old and
-- the new run alternated in rolled-back transactions: 4.55-5.60 s before, 3.81-4.34 s
-- after (four pairs); the statistics' own calls 0.56 s before, 0.42 s after. The rest of
-- the difference was not measured part by part (docs/performance.md).
--
-- New: app.orchestrator_hold_stat_items, app.orchestrator_add_held_stat_items and the
-- run's temporary table orchestrator_stat_items. Restated whole, with only these changes:
-- app.executions_keep_queue_stats (20261204000500: holds the items during a run),
-- app.queue_stats_add_dates (20261204000500: a date whose items cancel out is not
-- written), app.orchestrator_prepare_tables (20261205190000: the table) and
-- app.run_orchestrator_for_org (20261205173000: the hold and the single addition).
-- supabase/tests/run_orchestrator/kept_statistics_match_a_fresh_count.test.sql compares
-- the kept figures after daily runs with a fresh count.

-- Keeps a statement's items for the run's single addition (app.run_orchestrator_for_org).
create or replace function app.orchestrator_hold_stat_items(items app.queue_stat_item[])
returns void
language plpgsql
set search_path = ''
as $$
begin
  perform 'PRAGMA:TABLE: orchestrator_stat_items (item app.queue_stat_item)';
  insert into pg_temp.orchestrator_stat_items select unnest(orchestrator_hold_stat_items.items);
end;
$$;
revoke execute on function app.orchestrator_hold_stat_items(app.queue_stat_item[]) from public, anon, authenticated;
grant execute on function app.orchestrator_hold_stat_items(app.queue_stat_item[]) to service_role;

-- Adds the items the run held, in one call, and empties the table for a next run in the
-- same transaction.
create or replace function app.orchestrator_add_held_stat_items()
returns void
language plpgsql
set search_path = ''
as $$
begin
  perform 'PRAGMA:TABLE: orchestrator_stat_items (item app.queue_stat_item)';
  perform app.queue_stats_add(array(select h.item from pg_temp.orchestrator_stat_items h));
  truncate pg_temp.orchestrator_stat_items;
end;
$$;
revoke execute on function app.orchestrator_add_held_stat_items() from public, anon, authenticated;
grant execute on function app.orchestrator_add_held_stat_items() to service_role;

create or replace function app.executions_keep_queue_stats()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  parts app.queue_stat_item[];
begin
  if tg_op = 'INSERT' then
    select array_agg(row(n.org_id, n.assigned_to, n.customer_id, n.status = 'snoozed', coalesce(n.queue_lane, 3::smallint),
                         coalesce(n.queue_type_rank, 5::smallint), n.customer_account_plan, n.customer_decision_date,
                         n.priority_score, 1)::app.queue_stat_item)
      into parts from new_rows n
     where n.status in ('queued', 'in_progress', 'snoozed', 'escalated') and n.assigned_to is not null;
  elsif tg_op = 'DELETE' then
    select array_agg(row(o.org_id, o.assigned_to, o.customer_id, o.status = 'snoozed', coalesce(o.queue_lane, 3::smallint),
                         coalesce(o.queue_type_rank, 5::smallint), o.customer_account_plan, o.customer_decision_date,
                         o.priority_score, -1)::app.queue_stat_item)
      into parts from old_rows o
     where o.status in ('queued', 'in_progress', 'snoozed', 'escalated') and o.assigned_to is not null;
  else
    -- Only rows whose part changed: a step or metadata update costs one join and stops.
    -- Dynamic SQL: planned for this statement's row count (a plan cached after a 0-row
    -- update would join the transition tables in a nested loop, n x n for a bulk update).
    execute $q$
    with changed as materialized (
      select o.org_id as o_org, o.assigned_to as o_to, o.customer_id as o_customer, o.status as o_status,
             o.queue_lane as o_lane, o.queue_type_rank as o_type, o.customer_account_plan as o_plan,
             o.customer_decision_date as o_date, o.priority_score as o_priority,
             n.org_id, n.assigned_to, n.customer_id, n.status, n.queue_lane, n.queue_type_rank,
             n.customer_account_plan, n.customer_decision_date, n.priority_score
        from old_rows o
        join new_rows n on n.id = o.id
       where (o.org_id, o.assigned_to, o.customer_id, o.status, o.queue_lane, o.queue_type_rank,
              o.customer_account_plan, o.customer_decision_date, o.priority_score)
             is distinct from
             (n.org_id, n.assigned_to, n.customer_id, n.status, n.queue_lane, n.queue_type_rank,
              n.customer_account_plan, n.customer_decision_date, n.priority_score)
    )
    select array_agg(p) from (
      select row(c.o_org, c.o_to, c.o_customer, c.o_status = 'snoozed', coalesce(c.o_lane, 3::smallint),
                 coalesce(c.o_type, 5::smallint), c.o_plan, c.o_date, c.o_priority, -1)::app.queue_stat_item as p
        from changed c
       where c.o_status in ('queued', 'in_progress', 'snoozed', 'escalated') and c.o_to is not null
      union all
      select row(c.org_id, c.assigned_to, c.customer_id, c.status = 'snoozed', coalesce(c.queue_lane, 3::smallint),
                 coalesce(c.queue_type_rank, 5::smallint), c.customer_account_plan, c.customer_decision_date,
                 c.priority_score, 1)::app.queue_stat_item
        from changed c
       where c.status in ('queued', 'in_progress', 'snoozed', 'escalated') and c.assigned_to is not null
    ) x
    $q$ into parts;
  end if;
  -- An orchestrator run holds its items and adds them once, after its supersede and open
  -- steps (app.run_orchestrator_for_org).
  if app.setting_is_on('renubu.orchestrator_stats_deferred') then
    perform app.orchestrator_hold_stat_items(parts);
  else
    perform app.queue_stats_add(parts);
  end if;
  return null;
end;
$$;

create or replace function app.queue_stats_add_dates(items app.queue_stat_item[])
returns void
language plpgsql
security definer
set search_path = ''
as $$
declare
  empty_dates date[];
begin
  with kept_dates as (
    insert into app.queue_stat_dates as k (org_id, assigned_to, decision_date, active, snoozed)
    select i.org_id, i.assigned_to, i.decision_date,
           coalesce(sum(i.sign) filter (where not i.snoozed), 0)::integer,
           coalesce(sum(i.sign) filter (where i.snoozed), 0)::integer
      from unnest(queue_stats_add_dates.items) i where i.decision_date is not null
     group by 1, 2, 3
    -- a date whose items cancel out (a renewal that moved on a stage keeps its decision
    -- date) is left as it is, where it was written with nothing added
    having coalesce(sum(i.sign) filter (where not i.snoozed), 0) <> 0
        or coalesce(sum(i.sign) filter (where i.snoozed), 0) <> 0
     order by 1, 2, 3
    on conflict (org_id, assigned_to, decision_date) do update
      set active = k.active + excluded.active, snoozed = k.snoozed + excluded.snoozed
    returning k.decision_date, k.active, k.snoozed
  )
  select array_agg(kd.decision_date) into empty_dates from kept_dates kd where kd.active = 0 and kd.snoozed = 0;
  -- Dates that left the queue: only those this statement brought to zero.
  if empty_dates is not null then
    delete from app.queue_stat_dates k
     using (select distinct x.org_id, x.assigned_to, x.decision_date from unnest(queue_stats_add_dates.items) x) d
     where k.org_id = d.org_id and k.assigned_to = d.assigned_to and k.decision_date = d.decision_date
       and k.decision_date = any(empty_dates) and k.active = 0 and k.snoozed = 0;
  end if;
end;
$$;

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
    -- the queue statistics' items of the run's supersede and open steps, added once after both
    create temporary table orchestrator_stat_items (item app.queue_stat_item) on commit drop;
  else
    -- An earlier run in this transaction built it: app.orchestrator_plan builds it again
    -- once the table is filled.
    drop index if exists pg_temp.orchestrator_desired_customer_idx;
  end if;
  truncate pg_temp.orchestrator_scope, pg_temp.orchestrator_customers, pg_temp.orchestrator_desired,
           pg_temp.orchestrator_stat_items;
end;
$$;

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
set jit = off -- as before (docs/performance.md): planned for millions of rows, touches thousands
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
  -- The forecast follows the renewals the run moves once, after both steps (not once per step),
  -- and so do the queue's kept statistics: a renewal that moves on a stage is one item out
  -- and one in for the same person and customer, which cancel out when added together.
  perform pg_catalog.set_config('renubu.orchestrator_forecast_deferred', 'on', true);
  perform pg_catalog.set_config('renubu.orchestrator_stats_deferred', 'on', true);
  v_superseded := app.orchestrator_supersede(v_org, v_as_of, v_settings.renewal_overdue_cutoff_days);
  v_created := app.orchestrator_open(v_org, v_as_of);
  perform pg_catalog.set_config('renubu.orchestrator_forecast_deferred', '', true);
  perform pg_catalog.set_config('renubu.orchestrator_stats_deferred', '', true);
  perform app.orchestrator_add_held_stat_items();
  perform app.forecast_refresh_customers(app.orchestrator_moved_renewal_customers(v_superseded, v_created));
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
