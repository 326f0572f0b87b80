-- The orchestrator: which workflow executions should exist (domain.md "The orchestrator").
--
-- Why this shape: a handful of set-based statements over all customers of one
-- organisation, never a loop over customers:
--   1. re-stamp stale renewal stages (as of the run's day),
--   2. supersede open renewal executions whose stage (or renewal date) moved on, or whose
--      customer is now 30+ days overdue or has no renewal date (history kept),
--   3. insert the executions that should exist and do not (`on conflict do nothing` on
--      the one-open-per-customer-and-workflow index), scored in the same statement (step
--      rows follow when the execution is started),
--   4. link each superseded execution to its successor,
--   5. wake snoozed executions whose time has come,
--   6. record the run.
-- A second run finds nothing to do and writes nothing but its run record.
--
-- Which work "already exists" is keyed by `period_key`, so completed work is not
-- re-opened the next morning:
--   renewal     the renewal date (one per stage per renewal cycle),
--   strategic   the quarter ('2026-Q4') or month ('2026-11') of its schedule,
--   risk/opportunity  the month the score was at or above its threshold: while it stays
--               there, one per month (at most one open at any time).
-- Manually opened executions have no period key and are never superseded by it.

-- The orchestrator reads one organisation's open executions (supersede, wake-up): an
-- index of the data-model table that serves exactly that, kept small by its predicate.
create index workflow_executions_open_by_org_idx
  on app.workflow_executions (org_id, customer_id, workflow_id)
  include (period_key)
  where status in ('queued', 'in_progress', 'snoozed', 'escalated');

create or replace function app.run_orchestrator_for_org(
  org_id uuid,
  as_of date default null,
  trigger text default 'cron',
  triggered_by uuid default null
)
returns jsonb
language plpgsql
security definer -- writes every customer's executions of one organisation for the scheduler; people are checked below and in public.run_orchestrator
set search_path = ''
as $$
declare
  v_org uuid := run_orchestrator_for_org.org_id;
  v_as_of date;
  v_settings app.organisation_settings;
  v_started timestamptz := clock_timestamp();
  v_run_id uuid;
  v_restaged integer := 0;
  v_superseded integer := 0;
  v_created integer := 0;
  v_woken integer := 0;
  v_wake_at timestamptz;
  v_created_ids uuid[];
  v_superseded_ids uuid[];
  v_duration integer;
begin
  if v_org is null then
    raise exception 'org_id is required' using errcode = '22023';
  end if;
  -- Called on behalf of a person (not the scheduler): only a manager or admin of that org.
  if (select auth.uid()) is not null
     and not exists (select 1 from app.profiles p
                      where p.id = (select auth.uid()) and p.org_id = v_org and p.role in ('manager', 'admin')) then
    raise exception 'Only managers and admins can run the orchestrator' using errcode = '42501',
      hint = 'Ask a manager of your organisation; it also runs every day on its own.';
  end if;
  select * into v_settings from app.organisation_settings s where s.org_id = v_org;
  if not found then
    raise exception 'Organisation not found' using errcode = 'PT404';
  end if;
  v_as_of := coalesce(run_orchestrator_for_org.as_of, app.organisation_today(v_org));
  -- Wake what was due by the start of the run's day, or by now if that is later.
  v_wake_at := greatest(now(), (v_as_of::timestamp at time zone v_settings.time_zone));

  -- Two runs for one organisation never interleave.
  perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('renubu.orchestrator:' || v_org::text, 0));

  insert into app.orchestrator_runs (org_id, as_of, trigger, triggered_by)
  values (v_org, v_as_of, coalesce(run_orchestrator_for_org.trigger, 'cron'), run_orchestrator_for_org.triggered_by)
  returning id into v_run_id;

  -- 1. Stages as of the run's day (app.restamp_renewal_stages for one organisation, with
  -- the stage rule inlined: 100 000 calls of a `set search_path` function cost a second).
  update app.customers c
     set renewal_stage = case
           when c.renewal_date is null then null
           when c.renewal_date - v_as_of < 0 then 'Overdue'
           when c.renewal_date - v_as_of < 7 then 'Emergency'
           when c.renewal_date - v_as_of < 14 then 'Critical'
           when c.renewal_date - v_as_of < 30 then 'Signature'
           when c.renewal_date - v_as_of < 60 then 'Finalize'
           when c.renewal_date - v_as_of < 90 then 'Negotiate'
           when c.renewal_date - v_as_of < 120 then 'Engage'
           when c.renewal_date - v_as_of < 180 then 'Prepare'
           else 'Monitor' end
   where c.org_id = v_org
     and c.renewal_stage is distinct from (case
           when c.renewal_date is null then null
           when c.renewal_date - v_as_of < 0 then 'Overdue'
           when c.renewal_date - v_as_of < 7 then 'Emergency'
           when c.renewal_date - v_as_of < 14 then 'Critical'
           when c.renewal_date - v_as_of < 30 then 'Signature'
           when c.renewal_date - v_as_of < 60 then 'Finalize'
           when c.renewal_date - v_as_of < 90 then 'Negotiate'
           when c.renewal_date - v_as_of < 120 then 'Engage'
           when c.renewal_date - v_as_of < 180 then 'Prepare'
           else 'Monitor' end);
  get diagnostics v_restaged = row_count;

  -- Tells plpgsql_check (supabase db lint) the shape of the temporary table below.
  perform 'PRAGMA:TABLE: orchestrator_desired (customer_id uuid, assigned_to uuid, workflow_id uuid, version_id uuid, workflow_type text, base_score numeric, total_steps integer, first_step_key text, renewal_stage text, period_key text, reason text, arr numeric, account_plan text, risk_score integer, opportunity_score integer, renewal_date date, experience_level text, active_workflows integer)';
  if to_regclass('pg_temp.orchestrator_desired') is null then
  create temporary table orchestrator_desired (
    customer_id uuid not null,
    assigned_to uuid,
    workflow_id uuid not null,
    version_id uuid not null,
    workflow_type text not null,
    base_score numeric not null,
    total_steps integer not null,
    first_step_key text,
    renewal_stage text,
    period_key text not null,
    reason text not null,
    arr numeric,
    account_plan text,
    risk_score integer,
    opportunity_score integer,
    renewal_date date,
    experience_level text,
    active_workflows integer
  ) on commit drop;
  create index orchestrator_desired_customer_idx on pg_temp.orchestrator_desired (customer_id, workflow_id);
  end if;
  truncate pg_temp.orchestrator_desired;

  with wf as materialized (
    select f.*, coalesce((select array_agg(x) from jsonb_array_elements_text(f.trigger_config -> 'plans') x),
                         array['invest', 'expand']) as plans
      from app.effective_workflows(v_org) f
  ), workload as materialized (
    select x.assigned_to, count(*)::integer as active
      from app.workflow_executions x
     where x.org_id = v_org and x.status = 'in_progress' and x.assigned_to is not null
     group by x.assigned_to
  ), cust as (
    -- The assignee's level and workload ride along, so scoring needs no join later.
    -- The stage of app.calculate_renewal_stage, inlined: 100 000 calls of a function with
    -- `set search_path` (never inlined) cost seconds.
    select c.id, c.assigned_to, c.renewal_date, c.account_plan, c.arr, c.risk_score, c.opportunity_score,
           case
             when c.renewal_date is null then null
             when c.renewal_date - v_as_of < 0 then 'Overdue'
             when c.renewal_date - v_as_of < 7 then 'Emergency'
             when c.renewal_date - v_as_of < 14 then 'Critical'
             when c.renewal_date - v_as_of < 30 then 'Signature'
             when c.renewal_date - v_as_of < 60 then 'Finalize'
             when c.renewal_date - v_as_of < 90 then 'Negotiate'
             when c.renewal_date - v_as_of < 120 then 'Engage'
             when c.renewal_date - v_as_of < 180 then 'Prepare'
             else 'Monitor' end as stage,
           p.experience_level, coalesce(wl.active, 0) as active
      from app.customers c
      left join app.profiles p on p.id = c.assigned_to
      left join workload wl on wl.assigned_to = c.assigned_to
     where c.org_id = v_org
  )
  insert into pg_temp.orchestrator_desired
  -- 1. renewal: one for the current stage, unless 30+ days overdue.
  select c.id, c.assigned_to, w.workflow_id, w.version_id, w.workflow_type, w.base_score, w.total_steps,
         w.first_step_key, c.stage, c.renewal_date::text, 'Renewal stage ' || c.stage,
         c.arr, c.account_plan, c.risk_score, c.opportunity_score, c.renewal_date, c.experience_level, c.active
    from cust c
    join wf w on w.workflow_type = 'renewal'
             and w.trigger_config ->> 'kind' = 'renewal_stage'
             and w.trigger_config ->> 'stage' = c.stage
   where c.renewal_date is not null
     and c.renewal_date - v_as_of > - v_settings.renewal_overdue_cutoff_days
  union all
  -- 2. strategic: invest/expand accounts get each scheduled review once per period.
  select c.id, c.assigned_to, w.workflow_id, w.version_id, w.workflow_type, w.base_score, w.total_steps,
         w.first_step_key, null,
         case w.trigger_config ->> 'every' when 'quarter' then to_char(v_as_of, 'YYYY-"Q"Q') else to_char(v_as_of, 'YYYY-MM') end,
         'Scheduled ' || coalesce(w.trigger_config ->> 'every', 'month') || 'ly for plan ' || c.account_plan,
         c.arr, c.account_plan, c.risk_score, c.opportunity_score, c.renewal_date, c.experience_level, c.active
    from cust c
    join wf w on w.trigger_config ->> 'kind' = 'schedule'
   where c.account_plan = any(w.plans)
  union all
  -- 3./4. risk and opportunity: a score at or above the organisation's threshold.
  select c.id, c.assigned_to, w.workflow_id, w.version_id, w.workflow_type, w.base_score, w.total_steps,
         w.first_step_key, null, to_char(v_as_of, 'YYYY-MM'),
         (w.trigger_config ->> 'field') || ' at or above its threshold',
         c.arr, c.account_plan, c.risk_score, c.opportunity_score, c.renewal_date, c.experience_level, c.active
    from cust c
    join wf w on w.trigger_config ->> 'kind' = 'score'
   where (w.trigger_config ->> 'field' = 'risk_score' and c.risk_score >= v_settings.risk_score_trigger)
      or (w.trigger_config ->> 'field' = 'opportunity_score' and c.opportunity_score >= v_settings.opportunity_score_trigger);

  analyze pg_temp.orchestrator_desired;

  -- 2. Supersede renewal executions that are no longer the one that should be open. The
  -- candidates are found on the open-executions index alone (it carries period_key), then
  -- only those rows are updated.
  with stale as (
    select e.id
      from app.workflow_executions e
      join app.workflows w on w.id = e.workflow_id and w.workflow_type = 'renewal'
     where e.org_id = v_org
       and e.status in ('queued', 'in_progress', 'snoozed', 'escalated')
       and e.period_key is not null
       and not exists (
         select 1 from pg_temp.orchestrator_desired d
          where d.customer_id = e.customer_id and d.workflow_id = e.workflow_id and d.period_key = e.period_key)
  ), superseded as (
    update app.workflow_executions e
       set status = 'superseded',
           completed_at = now(),
           metadata = app.with_history(e.metadata, jsonb_build_object(
             'event', 'superseded', 'from_status', e.status, 'as_of', v_as_of,
             'reason', case
               when c.renewal_date is null then 'The customer no longer has a renewal date'
               when c.renewal_date - v_as_of <= - v_settings.renewal_overdue_cutoff_days then 'The renewal is 30 or more days overdue'
               else 'The renewal stage moved on to ' || app.calculate_renewal_stage(c.renewal_date, v_as_of) end))
      from stale, app.customers c
     where e.id = stale.id
       and c.id = e.customer_id
    returning e.id
  )
  select array_agg(id) into v_superseded_ids from superseded;
  v_superseded := coalesce(cardinality(v_superseded_ids), 0);

  -- 3. Open what should exist and does not, scored in the same statement.
  with todo as (
    select d.*,
           app.calculate_priority(d.workflow_type, d.base_score, d.renewal_stage, d.arr, d.account_plan,
                                  d.opportunity_score, d.risk_score, d.experience_level, d.active_workflows) as factors
      from pg_temp.orchestrator_desired d
     -- Already open for this period (the usual case; answered by the open-executions
     -- index alone), or already done for it (completed/skipped: checked per customer
     -- for the few rows left).
     where not exists (
       select 1 from app.workflow_executions x
        where x.org_id = v_org and x.customer_id = d.customer_id and x.workflow_id = d.workflow_id
          and x.status in ('queued', 'in_progress', 'snoozed', 'escalated')
          and x.period_key = d.period_key)
       and not exists (
         select 1 from app.workflow_executions x
          where x.customer_id = d.customer_id and x.org_id = v_org
            and x.workflow_id = d.workflow_id and x.period_key = d.period_key
            and x.status in ('completed', 'completed_with_pending_tasks', 'skipped'))
  ), inserted as (
    insert into app.workflow_executions (
      org_id, customer_id, workflow_id, workflow_version_id, assigned_to, status,
      priority_score, priority_factors, customer_renewal_date, customer_account_plan,
      renewal_stage, period_key, trigger_reason,
      current_step_key, current_step_index, total_steps, metadata)
    select v_org, t.customer_id, t.workflow_id, t.version_id, t.assigned_to, 'queued',
           (t.factors ->> 'score')::numeric, t.factors, t.renewal_date, t.account_plan,
           t.renewal_stage, t.period_key, t.reason,
           t.first_step_key, case when t.first_step_key is null then null else 0 end, t.total_steps,
           jsonb_build_object('history', jsonb_build_array(jsonb_build_object(
             'event', 'created', 'at', now(), 'by', 'orchestrator', 'as_of', v_as_of, 'reason', t.reason)))
      from todo t
    on conflict (customer_id, workflow_id) where status in ('queued', 'in_progress', 'snoozed', 'escalated')
    do nothing
    returning id
  )
  select array_agg(id) into v_created_ids from inserted;
  v_created := coalesce(cardinality(v_created_ids), 0);
  -- Step rows are created when the execution starts (app.create_step_rows in
  -- start_workflow): most queued work is superseded or woken long before anyone opens it,
  -- and five rows per execution would make a full run minutes instead of seconds. Until
  -- then the steps are read from the version config (get_workflow_execution, the queue).

  -- 4. Link superseded renewals of this run to their successors.
  update app.workflow_executions old
     set superseded_by = new.id
    from unnest(v_superseded_ids) as s(id), unnest(v_created_ids) as n(id), app.workflow_executions new
   where old.id = s.id
     and new.id = n.id
     and new.customer_id = old.customer_id
     and new.renewal_stage is not null;

  -- 5. Wake snoozed executions whose time has come: back where they were in the queue.
  update app.workflow_executions e
     set status = case when e.started_at is null then 'queued' else 'in_progress' end,
         metadata = app.with_history(e.metadata, jsonb_build_object(
           'event', 'woken', 'snoozed_until', e.snoozed_until, 'by', 'orchestrator')),
         snoozed_until = null
   where e.org_id = v_org
     and e.status = 'snoozed'
     and e.snoozed_until <= v_wake_at;
  get diagnostics v_woken = row_count;

  v_duration := (extract(epoch from clock_timestamp() - v_started) * 1000)::integer;
  update app.orchestrator_runs r
     set status = 'succeeded', finished_at = clock_timestamp(), duration_ms = v_duration,
         created_count = v_created, superseded_count = v_superseded, woken_count = v_woken,
         restaged_count = v_restaged
   where r.id = v_run_id;

  return jsonb_build_object(
    'run_id', v_run_id,
    'as_of', v_as_of,
    'created', v_created,
    'superseded', v_superseded,
    'woken', v_woken,
    'restaged', v_restaged,
    'duration_ms', v_duration
  );
end;
$$;
comment on function app.run_orchestrator_for_org(uuid, date, text, uuid) is
  'The orchestrator for one organisation as of a day (default its today): set-based and idempotent. Called by pg_cron and public.run_orchestrator.';
revoke execute on function app.run_orchestrator_for_org(uuid, date, text, uuid) from public, anon;
grant execute on function app.run_orchestrator_for_org(uuid, date, text, uuid) to authenticated, service_role;

-- The name seed.sql and older scripts look for.
create or replace function app.run_orchestrator(org_id uuid, as_of date default null, trigger text default 'cron', triggered_by uuid default null)
returns jsonb
language sql
set search_path = ''
as $$
  select app.run_orchestrator_for_org(run_orchestrator.org_id, run_orchestrator.as_of, run_orchestrator.trigger, run_orchestrator.triggered_by)
$$;
revoke execute on function app.run_orchestrator(uuid, date, text, uuid) from public, anon;
grant execute on function app.run_orchestrator(uuid, date, text, uuid) to service_role;

-- The API: managers and admins run it for their own organisation. `as_of` null means
-- today in the organisation's time zone.
create or replace function public.run_orchestrator(as_of date default null)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_org uuid := app.current_org_id();
  v_result jsonb;
begin
  if v_org is null or not app.has_role('manager', 'admin') then
    raise exception 'Only managers and admins can run the orchestrator' using errcode = '42501',
      hint = 'Ask a manager of your organisation; it also runs every day on its own.';
  end if;
  v_result := app.run_orchestrator_for_org(v_org, run_orchestrator.as_of, 'manual', (select auth.uid()));
  return v_result;
end;
$$;
comment on function public.run_orchestrator(date) is 'Managers and admins: run the orchestrator for their organisation now; returns {created, superseded, woken, restaged, duration_ms}.';
revoke execute on function public.run_orchestrator(date) from public, anon;
grant execute on function public.run_orchestrator(date) to authenticated;

-- The scheduler's entry point: every organisation whose local day has no successful run
-- yet (pg_cron calls it hourly, so each organisation runs shortly after its own midnight).
create or replace function app.run_orchestrator_for_due_organisations()
returns integer
language plpgsql
security definer -- the scheduler runs for every organisation
set search_path = ''
as $$
declare
  o record;
  n integer := 0;
begin
  for o in
    select s.org_id, app.organisation_today(s.org_id) as today
      from app.organisation_settings s
     where not exists (
       select 1 from app.orchestrator_runs r
        where r.org_id = s.org_id and r.as_of = app.organisation_today(s.org_id) and r.status = 'succeeded')
  loop
    perform app.run_orchestrator_for_org(o.org_id, o.today, 'cron', null);
    n := n + 1;
  end loop;
  return n;
end;
$$;
revoke execute on function app.run_orchestrator_for_due_organisations() from public, anon;
grant execute on function app.run_orchestrator_for_due_organisations() to service_role;
