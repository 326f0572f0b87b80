-- The orchestrator and the scheduled jobs since the release baseline: one lock order with
-- people's calls, and a daily run proportional to change (issue 18; docs/workflow-engine.md
-- "The orchestrator" and "Lock order"; docs/performance.md).
--
-- 1. Lock order. A CSM's start (which re-scores their whole queue) deadlocked with the
--    queue jobs, and the orchestrator with people's lifecycle calls and deliveries. Now:
--    a person's two queue-stats rows are taken first and whole (app.queue_stats_lock_people,
--    used by the stats job and by app.lock_customers_for_job); the orchestrator takes its
--    scope's workload locks and then its customers before its first write
--    (app.orchestrator_lock_scope).
-- 2. The run's switches are read by one function, app.setting_is_on, instead of one function
--    per switch (app.orchestrator_marks_paused, app.orchestrator_forecast_deferred).
-- 3. A daily run does only the rules' work: superseded renewals point at their successor in
--    the same UPDATE (the ids are chosen in the plan; app.orchestrator_choose_missing is
--    gone), a stage-only customer change re-scores only renewals scored with another stage,
--    the forecast is refreshed once for the scope, and the run does without JIT (its
--    statements are planned against millions of rows but touch thousands). The scope's
--    workload locks find the open executions' assignees customer by customer in a daily run
--    and in one pass in a full run.
-- 4. What the run opens is scored with the assignee's workload (in-progress executions, a
--    term of the priority) as it is after the supersede. Counted when the scope was loaded,
--    a CSM whose started renewal moved on had its successor scored 2 points low until the
--    next re-score. The count moves to app.orchestrator_open, looked up by key; the scope
--    tables lose the column (every step that names them is redefined with the new shape).
-- 5. workflow_executions_open_renewal_by_date_idx goes: no query reads it since the forecast
--    keeps its own rows, yet every renewal write maintained it (172 MB at 300k).

---------------------------------------------------------------------------------------
-- The switches, the lock order and the triggers that mark work for the run
---------------------------------------------------------------------------------------

-- Whether a transaction-local switch (a `renubu.*` setting) is on. The orchestrator's:
-- renubu.orchestrator_marks_paused while it (or the scale seed) writes, so its own writes
-- need no mark; renubu.orchestrator_forecast_deferred for its supersede and open steps,
-- after which it refreshes its scope's forecast once (app.executions_refresh_forecast).
create or replace function app.setting_is_on(setting text)
returns boolean
language sql
stable
set search_path = ''
as $$
  select coalesce(current_setting(setting_is_on.setting, true), '') = 'on'
$$;
revoke execute on function app.setting_is_on(text) from public, anon, authenticated;
grant execute on function app.setting_is_on(text) to service_role;

-- Customers: a change of a priority input re-scores that customer's open executions; a
-- change of CSM moves the open executions the previous CSM (or nobody) held to the new one.
-- A new decision date is such an input (it moves the stage and the lane), and so is a new
-- name or domain (the queue's search copy).
create or replace function app.customers_keep_priorities_current()
returns trigger
language plpgsql
security definer -- moves executions of a reassigned customer; the customer write was allowed by RLS
set search_path = ''
as $$
declare
  changed_ids uuid[];
begin
  -- Reassignment first: the executions trigger then re-scores moved rows and both workloads.
  -- Dynamic SQL: planned for this statement's row count (a plan cached after a 0-row
  -- update would join the transition tables in a nested loop, n x n for a bulk update).
  execute $q$
  update app.workflow_executions e
     set assigned_to = n.assigned_to
    from new_rows n
    join old_rows o on o.id = n.id
   where o.assigned_to is distinct from n.assigned_to
     and e.customer_id = n.id
     and e.org_id = n.org_id
     and e.status in ('queued', 'in_progress', 'snoozed', 'escalated')
     and (e.assigned_to is null or e.assigned_to = o.assigned_to)
  $q$;

  -- Set differences, not a join of the transition tables: linear whatever the plan.
  -- A customer whose only change is the stored stage (the orchestrator's restage, the
  -- hourly restamp) re-scores only its open renewals scored with another stage: the stage
  -- enters a priority and a lane only for renewals (app.calculate_priority, app.queue_lane),
  -- and the orchestrator has just opened the scope's renewals with the day's stage (a
  -- re-score of every open execution of 4 000 restaged customers cost a daily run ~0.6 s).
  with inputs_changed as (
    select n.id, n.arr, n.health_score, n.account_plan, n.renewal_date,
           n.decision_date, n.risk_score, n.opportunity_score, n.name, n.domain
      from new_rows n
    except
    select o.id, o.arr, o.health_score, o.account_plan, o.renewal_date,
           o.decision_date, o.risk_score, o.opportunity_score, o.name, o.domain
      from old_rows o
  ), stage_changed as (
    select n.id, n.renewal_stage from new_rows n
    except
    select o.id, o.renewal_stage from old_rows o
  ), stage_only as (
    select s.id, s.renewal_stage from stage_changed s where s.id not in (select i.id from inputs_changed i)
  )
  select array_agg(x.id) into changed_ids
    from (select e.id
            from inputs_changed i
            join app.workflow_executions e on e.customer_id = i.id
           where e.status in ('queued', 'in_progress', 'snoozed', 'escalated')
          union all
          -- the renewal workflows as a list, not a join: joined, it was planned as a probe
          -- per customer and workflow (38 000 for 4 000 customers)
          select e.id
            from stage_only s
            join app.workflow_executions e on e.customer_id = s.id
           where e.status in ('queued', 'in_progress', 'snoozed', 'escalated')
             and e.workflow_id = any(array(select w.id from app.workflows w where w.workflow_type = 'renewal'))
             and e.priority_factors ->> 'renewal_stage' is distinct from coalesce(s.renewal_stage, e.renewal_stage)) x;
  perform app.refresh_priorities(changed_ids);
  return null;
end;
$$;

create or replace function app.customers_mark_for_orchestrator()
returns trigger
language plpgsql
security definer -- people change customers; the marks table is service-only
set search_path = ''
as $$
begin
  if app.setting_is_on('renubu.orchestrator_marks_paused') then
    return null;
  end if;
  if tg_op = 'INSERT' then
    insert into app.orchestrator_dirty_customers (org_id, customer_id)
    select n.org_id, n.id from new_rows n;
  else
    -- The rows whose inputs changed, as a set difference: a join of the transition tables
    -- is planned once per session with the first statement's row count, and a plan made
    -- for one row is a nested loop (n x n) for 100 000; hashing the set difference stays
    -- linear whatever the plan.
    insert into app.orchestrator_dirty_customers (org_id, customer_id)
    select x.org_id, x.id
      from (select n.id, n.org_id, n.renewal_date, n.decision_date, n.account_plan, n.risk_score, n.opportunity_score from new_rows n
            except
            select o.id, o.org_id, o.renewal_date, o.decision_date, o.account_plan, o.risk_score, o.opportunity_score from old_rows o) x;
  end if;
  return null;
end;
$$;
revoke execute on function app.customers_mark_for_orchestrator() from public, anon, authenticated;

create or replace function app.executions_mark_for_orchestrator()
returns trigger
language plpgsql
security definer -- people change executions; the marks table is service-only
set search_path = ''
as $$
begin
  if app.setting_is_on('renubu.orchestrator_marks_paused') then
    return null;
  end if;
  if tg_op = 'INSERT' then
    insert into app.orchestrator_dirty_customers (org_id, customer_id)
    select distinct n.org_id, n.customer_id from new_rows n;
  elsif tg_op = 'DELETE' then
    -- Only customers that are still there: when an organisation or a customer is deleted,
    -- its executions go with it and there is nothing left to orchestrate (a mark would
    -- point at the organisation being deleted and fail its foreign key).
    insert into app.orchestrator_dirty_customers (org_id, customer_id)
    select distinct o.org_id, o.customer_id from old_rows o
     where exists (select 1 from app.customers c where c.id = o.customer_id)
       and exists (select 1 from app.organisations g where g.id = o.org_id);
  else
    -- Changed rows as set differences (see app.customers_mark_for_orchestrator), both ways
    -- so a row moved to another customer marks both.
    insert into app.orchestrator_dirty_customers (org_id, customer_id)
    select distinct x.org_id, x.customer_id
      from ((select n.id, n.org_id, n.customer_id, n.status, n.period_key, n.workflow_id from new_rows n
             except
             select o.id, o.org_id, o.customer_id, o.status, o.period_key, o.workflow_id from old_rows o)
            union all
            (select o.id, o.org_id, o.customer_id, o.status, o.period_key, o.workflow_id from old_rows o
             except
             select n.id, n.org_id, n.customer_id, n.status, n.period_key, n.workflow_id from new_rows n)) x;
  end if;
  return null;
end;
$$;
revoke execute on function app.executions_mark_for_orchestrator() from public, anon, authenticated;

-- The people among these whose stats rows this transaction now holds, every one of them:
-- locked sorted and without waiting (`skip locked`). A transaction changing a person's queue
-- holds both rows (see app.queue_stats_add); a job that waited for one of them while holding
-- the other would deadlock with it, so it takes only the people returned here and leaves the
-- rest to its next run.
create or replace function app.queue_stats_lock_people(people app.queue_stats_person[])
returns app.queue_stats_person[]
language plpgsql
set search_path = ''
as $$
declare
  held app.queue_stats_person[];
begin
  with locked as materialized (
    select s.org_id, s.assigned_to
      from app.queue_stats s
     where (s.org_id, s.assigned_to) in (select p.org_id, p.assigned_to from unnest(queue_stats_lock_people.people) p)
     order by s.org_id, s.assigned_to, s.include_snoozed
       for no key update skip locked
  )
  -- (A person with no rows yet has, vacuously, all of them.)
  select coalesce(array_agg(row(p.org_id, p.assigned_to)::app.queue_stats_person), '{}') into held
    from (select distinct x.org_id, x.assigned_to from unnest(queue_stats_lock_people.people) x) p
    left join (select l.org_id, l.assigned_to, count(*) as n from locked l group by 1, 2) h
      on h.org_id = p.org_id and h.assigned_to = p.assigned_to
   where coalesce(h.n, 0) = (select count(*) from app.queue_stats a
                              where a.org_id = p.org_id and a.assigned_to = p.assigned_to);
  return held;
end;
$$;
revoke execute on function app.queue_stats_lock_people(app.queue_stats_person[]) from public, anon, authenticated;
grant execute on function app.queue_stats_lock_people(app.queue_stats_person[]) to service_role;

-- The job: the people whose stats were rendered for an earlier day (or never), up to
-- max_people, that no transaction is changing (app.queue_stats_lock_people); returns how
-- many it rendered.
create or replace function app.queue_stats_render_stale(max_people integer default 2000)
returns integer
language plpgsql
security definer -- see app.queue_stats_render
set search_path = ''
as $$
declare
  people app.queue_stats_person[];
begin
  people := app.queue_stats_lock_people(array(
    select distinct row(c.org_id, c.assigned_to)::app.queue_stats_person
      from app.queue_stats c
     where c.rendered_for is null or c.rendered_for < app.organisation_today(c.org_id)
     limit max_people));
  perform app.queue_stats_render(people);
  return coalesce(cardinality(people), 0);
end;
$$;
revoke execute on function app.queue_stats_render_stale(integer) from public, anon, authenticated;
comment on function app.queue_stats_render_stale(integer) is
  'Renders the queue stats JSON of people whose row was rendered for an earlier day; run every minute by pg_cron.';

-- The customers among `customer_ids` whose rows this transaction could lock without
-- waiting, together with the rows a change of their priority inputs writes: their open
-- executions and the queue stats rows of those executions' assignees. A job that can leave
-- work to its next run writes only these (docs/workflow-engine.md "Lock order"): it takes
-- the coarse lock first, a person's two stats rows (people sorted, as the queue's writers
-- take them), then the customers (sorted), then their open executions (sorted), each with
-- `skip locked`, so it never waits for a transaction working on the same queue while it
-- holds rows that transaction will want. A customer left out (a row of it, of one of its
-- open executions or of their assignee's stats is held) is taken by the next run.
create or replace function app.lock_customers_for_job(customer_ids uuid[])
returns uuid[]
language plpgsql
set search_path = ''
as $$
declare
  v_people uuid[];
  v_customers uuid[];
begin
  if customer_ids is null or cardinality(customer_ids) = 0 then
    return '{}'::uuid[];
  end if;
  -- The people whose every stats row this transaction now holds.
  select coalesce(array_agg(h.assigned_to), '{}'::uuid[]) into v_people
    from unnest(app.queue_stats_lock_people(array(
           select distinct row(e.org_id, e.assigned_to)::app.queue_stats_person
             from unnest(lock_customers_for_job.customer_ids) as c(id)
             join app.workflow_executions e on e.customer_id = c.id
            where e.status in ('queued', 'in_progress', 'snoozed', 'escalated') and e.assigned_to is not null))) h;

  select coalesce(array_agg(x.id), '{}'::uuid[]) into v_customers
    from (select c.id from app.customers c
           where c.id = any(lock_customers_for_job.customer_ids)
           order by c.id
             for no key update skip locked) x;

  -- Locked rows are read as they are now (a concurrent reassignment that committed shows).
  with locked as materialized (
    select e.id, e.customer_id, e.assigned_to
      from app.workflow_executions e
     where e.customer_id = any(v_customers) and e.status in ('queued', 'in_progress', 'snoozed', 'escalated')
     order by e.id
       for no key update skip locked
  )
  select coalesce(array_agg(c.id), '{}'::uuid[]) into v_customers
    from unnest(v_customers) as c(id)
   where not exists (
           select 1 from app.workflow_executions e
            where e.customer_id = c.id and e.status in ('queued', 'in_progress', 'snoozed', 'escalated')
              and not exists (select 1 from locked l where l.id = e.id))
     and not exists (
           select 1 from locked l
            where l.customer_id = c.id and l.assigned_to is not null
              and l.assigned_to <> all(v_people));
  return v_customers;
end;
$$;
comment on function app.lock_customers_for_job(uuid[]) is
  'Locks without waiting (skip locked) the given customers, their open executions and their assignees'' queue stats rows, coarse to fine; returns the customers whose every such row it holds.';
revoke execute on function app.lock_customers_for_job(uuid[]) from public, anon, authenticated;
grant execute on function app.lock_customers_for_job(uuid[]) to service_role;

-- Executions: only rows that are or were open renewals, and only changes that matter
-- (opened, closed, reassigned, moved); a queue claim (queued -> in_progress) is neither.
create or replace function app.executions_refresh_forecast()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_ids uuid[];
begin
  -- An orchestrator run supersedes and opens its scope's renewals in two statements and
  -- refreshes the scope's customers once after both (app.run_orchestrator_for_org):
  -- refreshing after each removed and re-added every moved renewal's row.
  if app.setting_is_on('renubu.orchestrator_forecast_deferred') then
    return null;
  end if;
  if tg_op = 'INSERT' then
    perform app.forecast_refresh_customers(array(
      select distinct n.customer_id from new_rows n
       where n.renewal_stage is not null and n.status in ('queued', 'in_progress', 'snoozed', 'escalated')));
  elsif tg_op = 'UPDATE' then
    -- Dynamic SQL: planned for this statement's row count (a plan cached after a 0-row
    -- update would join the transition tables in a nested loop, n x n for a bulk update).
    execute $q$
    select array(
      select x.customer_id
        from new_rows n join old_rows o on o.id = n.id
        cross join lateral (values (n.customer_id), (o.customer_id)) x(customer_id)
       where ((n.renewal_stage is not null and n.status in ('queued', 'in_progress', 'snoozed', 'escalated'))
              or (o.renewal_stage is not null and o.status in ('queued', 'in_progress', 'snoozed', 'escalated')))
         and ((n.renewal_stage is not null and n.status in ('queued', 'in_progress', 'snoozed', 'escalated'))
                is distinct from (o.renewal_stage is not null and o.status in ('queued', 'in_progress', 'snoozed', 'escalated'))
              or n.assigned_to is distinct from o.assigned_to
              or n.customer_id is distinct from o.customer_id
              or n.org_id is distinct from o.org_id
              or n.created_at is distinct from o.created_at))
    $q$ into v_ids;
    perform app.forecast_refresh_customers(v_ids);
  else
    perform app.forecast_refresh_customers(array(
      select distinct o.customer_id from old_rows o
       where o.renewal_stage is not null and o.status in ('queued', 'in_progress', 'snoozed', 'escalated')));
  end if;
  return null;
end;
$$;

drop function app.orchestrator_marks_paused();
drop function app.orchestrator_forecast_deferred();
drop function app.orchestrator_choose_missing(uuid);

drop index app.workflow_executions_open_renewal_by_date_idx;

---------------------------------------------------------------------------------------
-- The run, step by step
---------------------------------------------------------------------------------------

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
create or replace function app.orchestrator_lock_scope(org_id uuid, full_run boolean)
returns void
language plpgsql
set search_path = ''
as $$
begin
  perform 'PRAGMA:TABLE: orchestrator_customers (id uuid, assigned_to uuid, renewal_date date, decision_date date, account_plan text, arr numeric, risk_score integer, opportunity_score integer, stage text, experience_level text, stored_stage text)';
  -- One statement; the branch the run does not need is cut by its constant condition.
  perform app.lock_assignee_workload(x.id)
     from (select s.assigned_to as id from pg_temp.orchestrator_customers s
           union
           select e.assigned_to from app.workflow_executions e
            where orchestrator_lock_scope.full_run
              and e.org_id = orchestrator_lock_scope.org_id
              and e.status in ('queued', 'in_progress', 'snoozed', 'escalated')
           union
           select unnest(array(select e.assigned_to from app.workflow_executions e
                                where e.customer_id = s.id
                                  and e.status in ('queued', 'in_progress', 'snoozed', 'escalated')))
             from pg_temp.orchestrator_customers s
            where not orchestrator_lock_scope.full_run) x
    where x.id is not null
    order by x.id;
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
