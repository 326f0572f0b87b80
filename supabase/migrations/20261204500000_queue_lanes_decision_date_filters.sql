-- The queue a CSM can trust (domain.md "Queue order: lanes before score" and "Renewal
-- clock: the decision date"; api.md "Second release", Queue).
--
-- What and why:
-- 1. Decision date. A contract that renews automatically unless notice is given
--    `notice_period_days` before the renewal date makes that notice deadline the real
--    deadline. `app.customers.decision_date` (renewal_date - notice_period_days when the
--    customer's contract in force has auto_renew and a notice period, else renewal_date) is
--    kept by the customers trigger (on every insert and update of its inputs) and by a
--    statement-level trigger on contracts (insert, update, delete), so changing a contract
--    re-stages the customer in the same statement. The renewal stage, the orchestrator's
--    renewal workflows, the lane and days_until_decision all come from it.
-- 2. Lanes. Every open execution stores its lane (1 now, 2 soon, 3 planned) beside its
--    priority, computed by the same functions and triggers (app.refresh_priorities, the
--    orchestrator's insert); `lane` is added to its priority_factors. The covering queue
--    index now leads with the policy columns and the lane, so the queue stays one
--    index-only scan of the assignee's open executions.
-- 3. get_workflow_queue gains `filters` and `group_by_customer`; the 4-argument signature
--    is dropped (two overloads make PostgREST's choice depend on the argument names).
--
-- Escalation hand-back does not exist yet: an open execution whose metadata carries
-- `handed_back_at` (set by whatever returns an escalation to its assignee) is in lane
-- `now`; a trigger re-computes the lane when that key appears or disappears.

---------------------------------------------------------------------------------------
-- 1. Decision date
---------------------------------------------------------------------------------------

alter table app.customers add column decision_date date;
comment on column app.customers.decision_date is
  'The renewal decision deadline: renewal_date - notice_period_days of the contract in force when it auto-renews with a notice period, else renewal_date. Kept by triggers on customers and contracts; the renewal stage is computed from it.';

-- Pure: the decision date for a renewal date and the contract terms.
create or replace function app.calculate_decision_date(renewal_date date, auto_renew boolean, notice_period_days integer)
returns date
language sql
immutable
parallel safe
set search_path = ''
as $$
  select case
    when calculate_decision_date.renewal_date is null then null
    when coalesce(calculate_decision_date.auto_renew, false) and coalesce(calculate_decision_date.notice_period_days, 0) > 0
      then calculate_decision_date.renewal_date - calculate_decision_date.notice_period_days
    else calculate_decision_date.renewal_date
  end
$$;
comment on function app.calculate_decision_date(date, boolean, integer) is
  'renewal_date - notice_period_days when the contract auto-renews with a notice period, else renewal_date (domain.md "Renewal clock").';

-- The contract in force, as the customer context shows it: active, latest end date first.
create or replace function app.customer_decision_date(customer_id uuid, org_id uuid, renewal_date date)
returns date
language sql
stable
set search_path = ''
as $$
  select app.calculate_decision_date(customer_decision_date.renewal_date,
           (select k.auto_renew from app.contracts k
             where k.customer_id = customer_decision_date.customer_id and k.org_id = customer_decision_date.org_id
               and k.status = 'active'
             order by k.end_date desc nulls first, k.start_date desc limit 1),
           (select k.notice_period_days from app.contracts k
             where k.customer_id = customer_decision_date.customer_id and k.org_id = customer_decision_date.org_id
               and k.status = 'active'
             order by k.end_date desc nulls first, k.start_date desc limit 1))
$$;
comment on function app.customer_decision_date(uuid, uuid, date) is 'The decision date of a customer from its renewal date and its contract in force.';

-- Plan, decision date and stage. A new customer has no contract yet (contracts reference
-- it), so its decision date is its renewal date; afterwards it is read from the contract
-- in force on every update of the trigger's columns (the contracts trigger touches
-- decision_date to ask for it). The stage follows the decision date.
create or replace function app.derive_customer_fields()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.account_plan := app.calculate_account_plan(new.arr, new.health_score);
  if tg_op = 'INSERT' then
    new.decision_date := new.renewal_date;
  else
    new.decision_date := app.customer_decision_date(new.id, new.org_id, new.renewal_date);
  end if;
  if tg_op = 'INSERT'
    or new.renewal_date is distinct from old.renewal_date
    or new.decision_date is distinct from old.decision_date
    or new.org_id is distinct from old.org_id then
    new.renewal_stage := app.calculate_renewal_stage(new.decision_date, app.organisation_today(new.org_id));
  end if;
  return new;
end;
$$;

drop trigger customers_derive_fields on app.customers;
create trigger customers_derive_fields
  before insert or update of arr, health_score, renewal_date, org_id, account_plan, decision_date on app.customers
  for each row execute function app.derive_customer_fields();

-- Existing customers: their decision date and stage from today's contracts.
update app.customers c
   set decision_date = app.customer_decision_date(c.id, c.org_id, c.renewal_date);

-- Contracts: any change re-derives the decision date (and so the stage, the priorities and
-- the lanes) of the customers concerned, in one statement.
create or replace function app.contracts_keep_decision_dates_current()
returns trigger
language plpgsql
security definer -- derived customer data kept on behalf of a contract write RLS allowed
set search_path = ''
as $$
begin
  if tg_op = 'INSERT' then
    update app.customers c set decision_date = c.decision_date
     where c.id in (select n.customer_id from new_rows n)
       and c.decision_date is distinct from app.customer_decision_date(c.id, c.org_id, c.renewal_date);
  elsif tg_op = 'UPDATE' then
    update app.customers c set decision_date = c.decision_date
     where c.id in (select n.customer_id from new_rows n union select o.customer_id from old_rows o)
       and c.decision_date is distinct from app.customer_decision_date(c.id, c.org_id, c.renewal_date);
  else
    update app.customers c set decision_date = c.decision_date
     where c.id in (select o.customer_id from old_rows o)
       and c.decision_date is distinct from app.customer_decision_date(c.id, c.org_id, c.renewal_date);
  end if;
  return null;
end;
$$;

create trigger contracts_keep_decision_dates_current_ins
  after insert on app.contracts
  referencing new table as new_rows
  for each statement execute function app.contracts_keep_decision_dates_current();
create trigger contracts_keep_decision_dates_current_upd
  after update on app.contracts
  referencing old table as old_rows new table as new_rows
  for each statement execute function app.contracts_keep_decision_dates_current();
create trigger contracts_keep_decision_dates_current_del
  after delete on app.contracts
  referencing old table as old_rows
  for each statement execute function app.contracts_keep_decision_dates_current();

-- The hourly re-stamp, from the decision date.
create or replace function app.restamp_renewal_stages(as_of date default null, org_id uuid default null)
returns integer
language plpgsql
set search_path = ''
as $$
declare
  changed integer;
begin
  with due as (
    select c.id,
           app.calculate_renewal_stage(
             c.decision_date,
             coalesce(restamp_renewal_stages.as_of, (now() at time zone coalesce(s.time_zone, 'UTC'))::date)
           ) as stage
    from app.customers c
    left join app.organisation_settings s on s.org_id = c.org_id
    where (restamp_renewal_stages.org_id is null or c.org_id = restamp_renewal_stages.org_id)
  )
  update app.customers c
     set renewal_stage = due.stage
    from due
   where c.id = due.id
     and c.renewal_stage is distinct from due.stage;
  get diagnostics changed = row_count;
  return changed;
end;
$$;

---------------------------------------------------------------------------------------
-- 2. Lanes
---------------------------------------------------------------------------------------

-- 1 now: renewals at Overdue, Emergency or Critical (decision date past or within 13
-- days); work handed back after an escalation; risk-assessment / risk-intervention with
-- risk_score >= 80. 2 soon: renewals at Signature or Finalize; other risk work.
-- 3 planned: everything else.
create or replace function app.queue_lane(workflow_type text, workflow_key text, renewal_stage text, risk_score integer, handed_back boolean)
returns smallint
language sql
immutable
parallel safe
set search_path = ''
as $$
  select (case
    when coalesce(queue_lane.handed_back, false) then 1
    when queue_lane.workflow_type = 'renewal' and queue_lane.renewal_stage in ('Overdue', 'Emergency', 'Critical') then 1
    when queue_lane.workflow_key in ('risk-assessment', 'risk-intervention') and queue_lane.risk_score >= 80 then 1
    when queue_lane.workflow_type = 'renewal' and queue_lane.renewal_stage in ('Signature', 'Finalize') then 2
    when queue_lane.workflow_type = 'risk' then 2
    else 3 end)::smallint
$$;
comment on function app.queue_lane(text, text, text, integer, boolean) is 'The queue lane of an open execution: 1 now, 2 soon, 3 planned (domain.md "Queue order").';

create or replace function app.queue_lane_name(lane smallint)
returns text
language sql
immutable
parallel safe
set search_path = ''
as $$
  select case queue_lane_name.lane when 1 then 'now' when 2 then 'soon' when 3 then 'planned' end
$$;

alter table app.workflow_executions
  add column customer_decision_date date,
  add column queue_lane smallint;
comment on column app.workflow_executions.customer_decision_date is 'Copy of the customer''s decision_date while open (queue stage stats and filters); kept by app.refresh_priorities.';
comment on column app.workflow_executions.queue_lane is 'The queue lane while open (1 now, 2 soon, 3 planned); kept by app.refresh_priorities and the orchestrator.';
alter table app.workflow_executions
  add constraint workflow_executions_queue_lane_is_known check (queue_lane between 1 and 3);

drop index app.workflow_executions_open_queue_idx;
create index workflow_executions_open_queue_idx
  on app.workflow_executions (org_id, assigned_to, status, queue_lane, priority_score desc, id)
  include (customer_id, workflow_id, customer_renewal_date, customer_decision_date, customer_account_plan)
  where status in ('queued', 'in_progress', 'snoozed', 'escalated');

-- app.refresh_priorities (engine_priority), now also keeping the decision date copy and the lane.
create or replace function app.refresh_priorities(execution_ids uuid[])
returns integer
language plpgsql
security definer
set search_path = ''
as $$
declare
  changed integer;
begin
  if execution_ids is null or cardinality(execution_ids) = 0 then
    return 0;
  end if;
  -- unnest + join rather than `= any(array)`: a bulk insert passes 100 000+ ids.
  with target as materialized (
    select e.id, e.org_id, e.assigned_to, e.customer_id, e.workflow_id, e.renewal_stage,
           e.metadata ? 'handed_back_at' as handed_back
      from unnest(refresh_priorities.execution_ids) as ids(id)
      join app.workflow_executions e on e.id = ids.id
     where e.status in ('queued', 'in_progress', 'snoozed', 'escalated')
  ), workload as materialized (
    select x.org_id, x.assigned_to, count(*)::integer as active
      from app.workflow_executions x
     where (x.org_id, x.assigned_to) in (select distinct t.org_id, t.assigned_to from target t where t.assigned_to is not null)
       and x.status = 'in_progress'
     group by x.org_id, x.assigned_to
  ), scored0 as (
    select t.id, c.renewal_date, c.decision_date, c.account_plan,
           app.queue_lane(w.workflow_type, w.key, coalesce(c.renewal_stage, t.renewal_stage), c.risk_score, t.handed_back) as lane,
           app.calculate_priority(
             w.workflow_type, w.base_score, coalesce(c.renewal_stage, t.renewal_stage),
             c.arr, c.account_plan, c.opportunity_score, c.risk_score,
             p.experience_level, coalesce(wl.active, 0)
           ) as factors
      from target t
      join app.customers c on c.id = t.customer_id
      join app.workflows w on w.id = t.workflow_id
      left join app.profiles p on p.id = t.assigned_to
      left join workload wl on wl.org_id = t.org_id and wl.assigned_to = t.assigned_to
  ), scored as (
    select s0.id, s0.renewal_date, s0.decision_date, s0.account_plan, s0.lane,
           s0.factors || jsonb_build_object('lane', app.queue_lane_name(s0.lane)) as factors
      from scored0 s0
  )
  update app.workflow_executions e
     set priority_score = (s.factors ->> 'score')::numeric,
         priority_factors = s.factors,
         customer_renewal_date = s.renewal_date,
         customer_decision_date = s.decision_date,
         customer_account_plan = s.account_plan,
         queue_lane = s.lane
    from scored s
   where e.id = s.id
     and (e.priority_score is distinct from (s.factors ->> 'score')::numeric
          or e.priority_factors is distinct from s.factors
          or e.customer_renewal_date is distinct from s.renewal_date
          or e.customer_decision_date is distinct from s.decision_date
          or e.customer_account_plan is distinct from s.account_plan
          or e.queue_lane is distinct from s.lane);
  get diagnostics changed = row_count;
  return changed;
end;
$$;

-- app.customers_keep_priorities_current (engine_priority), now also on a new decision date.
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
  update app.workflow_executions e
     set assigned_to = n.assigned_to
    from new_rows n
    join old_rows o on o.id = n.id
   where o.assigned_to is distinct from n.assigned_to
     and e.customer_id = n.id
     and e.org_id = n.org_id
     and e.status in ('queued', 'in_progress', 'snoozed', 'escalated')
     and (e.assigned_to is null or e.assigned_to = o.assigned_to);

  select array_agg(n.id) into changed_ids
    from new_rows n
    join old_rows o on o.id = n.id
   where n.arr is distinct from o.arr
      or n.health_score is distinct from o.health_score
      or n.account_plan is distinct from o.account_plan
      or n.renewal_stage is distinct from o.renewal_stage
      or n.renewal_date is distinct from o.renewal_date
      or n.decision_date is distinct from o.decision_date
      or n.risk_score is distinct from o.risk_score
      or n.opportunity_score is distinct from o.opportunity_score;
  perform app.refresh_priorities_for_customers(changed_ids);
  return null;
end;
$$;

-- app.executions_score_inserted (engine_priority): a row inserted without its lane is
-- scored here too (the orchestrator inserts rows complete, lane included).
create or replace function app.executions_score_inserted()
returns trigger
language plpgsql
security definer -- see app.refresh_priorities
set search_path = ''
as $$
declare
  ids uuid[];
  busy uuid[];
begin
  select array_agg(n.id) into ids from new_rows n
   where n.status in ('queued', 'in_progress', 'snoozed', 'escalated')
     and (n.priority_factors = '{}'::jsonb or n.customer_account_plan is null or n.queue_lane is null);
  select array_agg(distinct n.assigned_to) into busy from new_rows n
   where n.status = 'in_progress' and n.assigned_to is not null;
  if busy is not null then
    perform app.refresh_priorities_for_assignees(busy);
  end if;
  perform app.refresh_priorities(ids);
  return null;
end;
$$;

-- The hand-back hook: the lane follows metadata.handed_back_at.
create or replace function app.executions_lane_follows_hand_back()
returns trigger
language plpgsql
security definer -- see app.refresh_priorities
set search_path = ''
as $$
declare
  ids uuid[];
begin
  select array_agg(n.id) into ids
    from old_rows o join new_rows n on n.id = o.id
   where (n.metadata ? 'handed_back_at') is distinct from (o.metadata ? 'handed_back_at');
  perform app.refresh_priorities(ids);
  return null;
end;
$$;

create trigger workflow_executions_lane_follows_hand_back
  after update on app.workflow_executions
  referencing old table as old_rows new table as new_rows
  for each statement execute function app.executions_lane_follows_hand_back();


---------------------------------------------------------------------------------------
-- The orchestrator (app.run_orchestrator_for_org of engine_orchestrator), its renewal
-- stages from the decision date, and the lane set on the rows it opens.
---------------------------------------------------------------------------------------
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
           when c.decision_date is null then null
           when c.decision_date - v_as_of < 0 then 'Overdue'
           when c.decision_date - v_as_of < 7 then 'Emergency'
           when c.decision_date - v_as_of < 14 then 'Critical'
           when c.decision_date - v_as_of < 30 then 'Signature'
           when c.decision_date - v_as_of < 60 then 'Finalize'
           when c.decision_date - v_as_of < 90 then 'Negotiate'
           when c.decision_date - v_as_of < 120 then 'Engage'
           when c.decision_date - v_as_of < 180 then 'Prepare'
           else 'Monitor' end
   where c.org_id = v_org
     and c.renewal_stage is distinct from (case
           when c.decision_date is null then null
           when c.decision_date - v_as_of < 0 then 'Overdue'
           when c.decision_date - v_as_of < 7 then 'Emergency'
           when c.decision_date - v_as_of < 14 then 'Critical'
           when c.decision_date - v_as_of < 30 then 'Signature'
           when c.decision_date - v_as_of < 60 then 'Finalize'
           when c.decision_date - v_as_of < 90 then 'Negotiate'
           when c.decision_date - v_as_of < 120 then 'Engage'
           when c.decision_date - v_as_of < 180 then 'Prepare'
           else 'Monitor' end);
  get diagnostics v_restaged = row_count;

  -- Tells plpgsql_check (supabase db lint) the shape of the temporary table below.
  perform 'PRAGMA:TABLE: orchestrator_desired (customer_id uuid, assigned_to uuid, workflow_id uuid, version_id uuid, workflow_type text, base_score numeric, total_steps integer, first_step_key text, renewal_stage text, period_key text, reason text, arr numeric, account_plan text, risk_score integer, opportunity_score integer, renewal_date date, experience_level text, active_workflows integer, decision_date date, workflow_key text)';
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
    active_workflows integer,
    decision_date date,
    workflow_key text
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
         c.arr, c.account_plan, c.risk_score, c.opportunity_score, c.renewal_date, c.experience_level, c.active, c.decision_date, w.key
    from cust c
    join wf w on w.workflow_type = 'renewal'
             and w.trigger_config ->> 'kind' = 'renewal_stage'
             and w.trigger_config ->> 'stage' = c.stage
   where c.renewal_date is not null
     and c.decision_date - v_as_of > - v_settings.renewal_overdue_cutoff_days
  union all
  -- 2. strategic: invest/expand accounts get each scheduled review once per period.
  select c.id, c.assigned_to, w.workflow_id, w.version_id, w.workflow_type, w.base_score, w.total_steps,
         w.first_step_key, null,
         case w.trigger_config ->> 'every' when 'quarter' then to_char(v_as_of, 'YYYY-"Q"Q') else to_char(v_as_of, 'YYYY-MM') end,
         'Scheduled ' || coalesce(w.trigger_config ->> 'every', 'month') || 'ly for plan ' || c.account_plan,
         c.arr, c.account_plan, c.risk_score, c.opportunity_score, c.renewal_date, c.experience_level, c.active, c.decision_date, w.key
    from cust c
    join wf w on w.trigger_config ->> 'kind' = 'schedule'
   where c.account_plan = any(w.plans)
  union all
  -- 3./4. risk and opportunity: a score at or above the organisation's threshold.
  select c.id, c.assigned_to, w.workflow_id, w.version_id, w.workflow_type, w.base_score, w.total_steps,
         w.first_step_key, null, to_char(v_as_of, 'YYYY-MM'),
         (w.trigger_config ->> 'field') || ' at or above its threshold',
         c.arr, c.account_plan, c.risk_score, c.opportunity_score, c.renewal_date, c.experience_level, c.active, c.decision_date, w.key
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
               when c.decision_date is null then 'The customer no longer has a renewal date'
               when c.decision_date - v_as_of <= - v_settings.renewal_overdue_cutoff_days then 'The renewal is 30 or more days overdue'
               else 'The renewal stage moved on to ' || app.calculate_renewal_stage(c.decision_date, v_as_of) end))
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
                                  d.opportunity_score, d.risk_score, d.experience_level, d.active_workflows) as factors,
           app.queue_lane(d.workflow_type, d.workflow_key, d.renewal_stage, d.risk_score, false) as lane
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
      customer_decision_date, queue_lane,
      renewal_stage, period_key, trigger_reason,
      current_step_key, current_step_index, total_steps, metadata)
    select v_org, t.customer_id, t.workflow_id, t.version_id, t.assigned_to, 'queued',
           (t.factors ->> 'score')::numeric,
           t.factors || jsonb_build_object('lane', app.queue_lane_name(t.lane)), t.renewal_date, t.account_plan,
           t.decision_date, t.lane,
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
  'The orchestrator for one organisation as of a day (default its today): set-based and idempotent; renewal stages from the decision date. Called by pg_cron and public.run_orchestrator.';

-- Open executions that exist already: their lane and decision date copy.
select app.refresh_priorities(array_agg(e.id))
  from app.workflow_executions e
 where e.status in ('queued', 'in_progress', 'snoozed', 'escalated');

---------------------------------------------------------------------------------------
-- 3. The queue
---------------------------------------------------------------------------------------

-- The queue cursor: the 5-tuple of the queue order (lane, priority, renewal date, type, id).
create or replace function app.queue_cursor(lane smallint, priority_score numeric, sort_date date, type_rank integer, id uuid)
returns text
language plpgsql
immutable
set search_path = ''
as $$
begin
  return translate(encode(convert_to(jsonb_build_object(
           'l', queue_cursor.lane,
           'p', queue_cursor.priority_score,
           'd', case when queue_cursor.sort_date = 'infinity'::date then null else queue_cursor.sort_date end,
           't', queue_cursor.type_rank,
           'i', queue_cursor.id)::text, 'UTF8'), 'base64'), E'\n', '');
end;
$$;
grant execute on function app.queue_cursor(smallint, numeric, date, integer, uuid) to authenticated, service_role;

-- The customer card of every queue item and execution: stage and days as of today, the
-- stage from the decision date.
create or replace function app.customer_card(c app.customers, today date)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select jsonb_build_object(
    'id', (customer_card.c).id,
    'name', (customer_card.c).name,
    'domain', (customer_card.c).domain,
    'arr', (customer_card.c).arr,
    'health_score', (customer_card.c).health_score,
    'account_plan', (customer_card.c).account_plan,
    'renewal_stage', app.calculate_renewal_stage((customer_card.c).decision_date, customer_card.today),
    'renewal_date', (customer_card.c).renewal_date,
    'days_until_renewal', (customer_card.c).renewal_date - customer_card.today,
    'decision_date', (customer_card.c).decision_date,
    'days_until_decision', (customer_card.c).decision_date - customer_card.today,
    'assigned_to', (customer_card.c).assigned_to,
    'risk_score', (customer_card.c).risk_score,
    'opportunity_score', (customer_card.c).opportunity_score
  )
$$;

-- Checks a filters object and returns the normalised arrays (null = no filter).
create or replace function app.queue_filter_values(filters jsonb, key text, allowed text[])
returns text[]
language plpgsql
immutable
set search_path = ''
as $$
declare
  v jsonb := queue_filter_values.filters -> queue_filter_values.key;
  bad text;
  result text[];
begin
  if v is null or v = 'null'::jsonb then
    return null;
  end if;
  if jsonb_typeof(v) <> 'array' then
    raise exception 'filters.% must be an array of strings', queue_filter_values.key using errcode = '22023',
      hint = format('For example {"%s": ["%s"]}; allowed: %s.', queue_filter_values.key, queue_filter_values.allowed[1],
                    array_to_string(queue_filter_values.allowed, ', '));
  end if;
  if exists (select 1 from jsonb_array_elements(v) x where jsonb_typeof(x) <> 'string') then
    raise exception 'filters.% must be an array of strings', queue_filter_values.key using errcode = '22023',
      hint = format('Allowed values: %s.', array_to_string(queue_filter_values.allowed, ', '));
  end if;
  select x into bad from jsonb_array_elements_text(v) x where x <> all(queue_filter_values.allowed) limit 1;
  if bad is not null then
    raise exception 'filters.% has an unknown value "%"', queue_filter_values.key, left(bad, 60) using errcode = '22023',
      hint = format('Allowed values: %s.', array_to_string(queue_filter_values.allowed, ', '));
  end if;
  select array_agg(distinct x) into result from jsonb_array_elements_text(v) x;
  return result;  -- an empty array is no filter
end;
$$;

drop function public.get_workflow_queue(integer, text, uuid, boolean);
drop function app.queue_cursor(numeric, date, integer, uuid);

create or replace function public.get_workflow_queue(
  page_size integer default 50,
  cursor text default null,
  assignee_id uuid default null,
  include_snoozed boolean default false,
  filters jsonb default '{}'::jsonb,
  group_by_customer boolean default false
)
returns jsonb
language plpgsql
stable
set search_path = ''
-- Its statements are written for a generic plan (every optional filter and the grouping
-- are one-time filters on parameters); left to choose, the plan cache re-plans the main
-- statement on every call (~1.5 ms on a 900-item queue).
set plan_cache_mode = force_generic_plan
as $$
declare
  v_me uuid := (select auth.uid());
  v_org uuid;
  v_role text;
  v_target uuid;
  v_today date;
  v_statuses text[];
  v_filters jsonb := coalesce(get_workflow_queue.filters, '{}'::jsonb);
  v_types integer[];
  v_stages text[];
  v_plans text[];
  v_lanes smallint[];
  v_search text;
  v_pattern text;
  v_grouped boolean := coalesce(get_workflow_queue.group_by_customer, false);
  v_unknown text;
  v_cur jsonb;
  c_l smallint;
  c_p numeric;
  c_d date;
  c_t integer;
  c_id uuid;
  v_items jsonb;
  v_stats jsonb;
  v_next text;
begin
  select p.org_id, p.role into v_org, v_role from app.profiles p where p.id = v_me;
  if v_org is null then
    raise exception 'Only members of an organisation have a queue' using errcode = '42501',
      hint = 'Sign in as a member of an organisation.';
  end if;
  if get_workflow_queue.page_size is null or get_workflow_queue.page_size < 1 or get_workflow_queue.page_size > 200 then
    raise exception 'page_size must be between 1 and 200' using errcode = '22023';
  end if;
  v_target := coalesce(get_workflow_queue.assignee_id, v_me);
  if v_target <> v_me then
    if v_role not in ('manager', 'admin') then
      raise exception 'Only managers and admins can view another person''s queue' using errcode = '42501',
        hint = 'Leave assignee_id out to see your own queue.';
    end if;
    if not exists (select 1 from app.profiles p where p.id = v_target and p.org_id = v_org) then
      raise exception 'No such person in your organisation' using errcode = 'PT404',
        hint = 'assignee_id must be a member of your organisation.';
    end if;
  end if;

  -- Filters: {types[], stages[], plans[], lanes[], search}; anything else is refused.
  if jsonb_typeof(v_filters) <> 'object' then
    raise exception 'filters must be a JSON object' using errcode = '22023',
      hint = 'For example {"lanes": ["now"], "search": "acme"}; {} for no filter.';
  end if;
  select k into v_unknown from jsonb_object_keys(v_filters) k
   where k not in ('types', 'stages', 'plans', 'lanes', 'search') limit 1;
  if v_unknown is not null then
    raise exception 'filters has an unknown key "%"', left(v_unknown, 60) using errcode = '22023',
      hint = 'Known keys: types, stages, plans, lanes, search.';
  end if;
  select array_agg(case x when 'renewal' then 1 when 'strategic' then 2 when 'opportunity' then 3 when 'risk' then 4 else 5 end)
    into v_types
    from unnest(app.queue_filter_values(v_filters, 'types', array['renewal', 'strategic', 'opportunity', 'risk', 'custom'])) x;
  v_stages := app.queue_filter_values(v_filters, 'stages',
    array['Overdue', 'Emergency', 'Critical', 'Signature', 'Finalize', 'Negotiate', 'Engage', 'Prepare', 'Monitor']);
  v_plans := app.queue_filter_values(v_filters, 'plans', array['expand', 'invest', 'manage', 'monitor']);
  select array_agg(case x when 'now' then 1 when 'soon' then 2 else 3 end)::smallint[] into v_lanes
    from unnest(app.queue_filter_values(v_filters, 'lanes', array['now', 'soon', 'planned'])) x;
  if v_filters ? 'search' and v_filters -> 'search' <> 'null'::jsonb then
    if jsonb_typeof(v_filters -> 'search') <> 'string' then
      raise exception 'filters.search must be a string' using errcode = '22023',
        hint = 'A part of the customer''s name or domain, e.g. {"search": "acme"}.';
    end if;
    v_search := btrim(v_filters ->> 'search');
    if length(v_search) > 200 then
      raise exception 'filters.search is longer than 200 characters' using errcode = '22023',
        hint = 'Search by a part of the customer''s name or domain.';
    end if;
    if v_search = '' then
      v_search := null;
    else
      -- Case-insensitive substring; %, _ and \ in the text match themselves.
      v_pattern := '%' || replace(replace(replace(v_search, '\', '\\'), '%', '\%'), '_', '\_') || '%';
    end if;
  end if;

  if get_workflow_queue.cursor is not null then
    begin
      v_cur := convert_from(decode(get_workflow_queue.cursor, 'base64'), 'UTF8')::jsonb;
      c_l := (v_cur ->> 'l')::smallint;
      c_p := (v_cur ->> 'p')::numeric;
      c_d := coalesce((v_cur ->> 'd')::date, 'infinity'::date);
      c_t := (v_cur ->> 't')::integer;
      c_id := (v_cur ->> 'i')::uuid;
    exception when others then
      c_id := null;
    end;
    if c_id is null or c_l is null or c_p is null or c_t is null then
      raise exception 'cursor is not valid' using errcode = '22023',
        hint = 'Pass the next_cursor of the previous page unchanged, or leave it out for the first page.';
    end if;
  end if;
  v_today := app.organisation_today(v_org);
  v_statuses := case when coalesce(get_workflow_queue.include_snoozed, false)
                     then array['queued', 'in_progress', 'escalated', 'snoozed']
                     else array['queued', 'in_progress', 'escalated'] end;

  with q0 as (
    -- One index-only scan of workflow_executions_open_queue_idx (the assignee's open
    -- executions with their lane, priority and customer copies).
    select e.id, coalesce(e.queue_lane, 3::smallint) as lane, e.priority_score, e.customer_id,
           -- Inline rather than app.workflow_type_rank(): a function with `set search_path` is
           -- never inlined, and a call per row costs more than the rest of the scan.
           case w.workflow_type when 'renewal' then 1 when 'strategic' then 2
                                when 'opportunity' then 3 when 'risk' then 4 else 5 end as type_rank,
           coalesce(e.customer_renewal_date, 'infinity'::date) as sort_date,
           e.customer_account_plan as account_plan,
           e.customer_decision_date - v_today as days  -- days until decision: the stage
      from app.workflow_executions e
      join app.workflows w on w.id = e.workflow_id
     where e.org_id = v_org
       and e.assigned_to = v_target
       -- The literal list lets the planner use the partial covering index; the array narrows it.
       and e.status in ('queued', 'in_progress', 'snoozed', 'escalated')
       and e.status = any(v_statuses)
       and (v_lanes is null or e.queue_lane = any(v_lanes))
       and (v_plans is null or e.customer_account_plan = any(v_plans))
       and (v_pattern is null or exists (
             select 1 from app.customers c
              where c.id = e.customer_id and (c.name ilike v_pattern or c.domain ilike v_pattern)))
  ), q as (
    select q0.*,
           case when q0.days is null then null
                when q0.days < 0 then 'Overdue' when q0.days < 7 then 'Emergency' when q0.days < 14 then 'Critical'
                when q0.days < 30 then 'Signature' when q0.days < 60 then 'Finalize' when q0.days < 90 then 'Negotiate'
                when q0.days < 120 then 'Engage' when q0.days < 180 then 'Prepare' else 'Monitor' end as stage
      from q0
     where (v_types is null or q0.type_rank = any(v_types))
  ), qf as materialized (
    select q.* from q where v_stages is null or q.stage = any(v_stages)
  ), stats as (
    -- One pass over the filtered queue; keys of each breakdown come from fixed lists, zero
    -- counts are dropped (as a group-by would never have produced them).
    select jsonb_build_object(
      'total', a.total,
      'by_lane', jsonb_strip_nulls(jsonb_build_object(
        'now', nullif(a.l_now, 0), 'soon', nullif(a.l_soon, 0), 'planned', nullif(a.l_planned, 0))),
      'by_type', jsonb_strip_nulls(jsonb_build_object(
        'renewal', nullif(a.t_renewal, 0), 'strategic', nullif(a.t_strategic, 0),
        'opportunity', nullif(a.t_opportunity, 0), 'risk', nullif(a.t_risk, 0), 'custom', nullif(a.t_custom, 0))),
      'by_stage', jsonb_strip_nulls(jsonb_build_object(
        'Overdue', nullif(a.s_overdue, 0), 'Emergency', nullif(a.s_emergency, 0),
        'Critical', nullif(a.s_critical, 0), 'Signature', nullif(a.s_signature, 0),
        'Finalize', nullif(a.s_finalize, 0), 'Negotiate', nullif(a.s_negotiate, 0),
        'Engage', nullif(a.s_engage, 0), 'Prepare', nullif(a.s_prepare, 0), 'Monitor', nullif(a.s_monitor, 0))),
      'by_account_plan', jsonb_strip_nulls(jsonb_build_object(
        'expand', nullif(a.p_expand, 0), 'invest', nullif(a.p_invest, 0),
        'monitor', nullif(a.p_monitor, 0), 'manage', nullif(a.p_manage, 0))),
      'unique_customers', a.unique_customers,
      'avg_priority', a.avg_priority,
      'priority_range', jsonb_build_object('min', a.min_priority, 'max', a.max_priority)
    ) as s
      from (select count(*) as total, count(distinct qf.customer_id) as unique_customers,
                   round(avg(qf.priority_score), 1) as avg_priority,
                   min(qf.priority_score)::integer as min_priority, max(qf.priority_score)::integer as max_priority,
                   count(*) filter (where qf.lane = 1) as l_now,
                   count(*) filter (where qf.lane = 2) as l_soon,
                   count(*) filter (where qf.lane = 3) as l_planned,
                   count(*) filter (where qf.type_rank = 1) as t_renewal,
                   count(*) filter (where qf.type_rank = 2) as t_strategic,
                   count(*) filter (where qf.type_rank = 3) as t_opportunity,
                   count(*) filter (where qf.type_rank = 4) as t_risk,
                   count(*) filter (where qf.type_rank = 5) as t_custom,
                   count(*) filter (where qf.days < 0) as s_overdue,
                   count(*) filter (where qf.days between 0 and 6) as s_emergency,
                   count(*) filter (where qf.days between 7 and 13) as s_critical,
                   count(*) filter (where qf.days between 14 and 29) as s_signature,
                   count(*) filter (where qf.days between 30 and 59) as s_finalize,
                   count(*) filter (where qf.days between 60 and 89) as s_negotiate,
                   count(*) filter (where qf.days between 90 and 119) as s_engage,
                   count(*) filter (where qf.days between 120 and 179) as s_prepare,
                   count(*) filter (where qf.days >= 180) as s_monitor,
                   count(*) filter (where qf.account_plan = 'expand') as p_expand,
                   count(*) filter (where qf.account_plan = 'invest') as p_invest,
                   count(*) filter (where qf.account_plan = 'monitor') as p_monitor,
                   count(*) filter (where qf.account_plan = 'manage') as p_manage
              from qf) a
  ), ranked as (
    -- Grouped mode only: each customer's first item by the queue order.
    -- `where v_grouped` everywhere grouping is computed: a one-time filter, so an ungrouped
    -- call never runs the window (also under a generic plan, where v_grouped is a parameter).
    select qf.*, row_number() over (partition by qf.customer_id
                                    order by qf.lane, qf.priority_score desc, qf.sort_date, qf.type_rank, qf.id) as crn
      from qf
     where v_grouped
  ), others as materialized (  -- computed once, not once per page row
    select r.customer_id, count(*)::integer as n,
           array_agg(distinct case r.type_rank when 1 then 'renewal' when 2 then 'strategic'
                                  when 3 then 'opportunity' when 4 then 'risk' else 'custom' end) as kinds
      from ranked r
     where v_grouped and r.crn > 1
     group by r.customer_id
  ), heads as (
    select qf.id, qf.lane, qf.priority_score, qf.sort_date, qf.type_rank, qf.customer_id
      from qf where not v_grouped
    union all
    select r.id, r.lane, r.priority_score, r.sort_date, r.type_rank, r.customer_id
      from ranked r where v_grouped and r.crn = 1
  ), page as (
    select h.*
      from heads h
     where c_id is null
        or (h.lane, -h.priority_score, h.sort_date, h.type_rank, h.id) > (c_l, -c_p, c_d, c_t, c_id)
     order by h.lane, h.priority_score desc, h.sort_date, h.type_rank, h.id
     limit get_workflow_queue.page_size + 1
  ), numbered as (
    select page.*, row_number() over (order by page.lane, page.priority_score desc, page.sort_date, page.type_rank, page.id) as rn
      from page
  ), titles as (
    -- Step titles from the version config, read once per version on the page: queued
    -- executions have no step rows until they start.
    select v.id as version_id, (st.ord - 1)::integer as idx, st.step ->> 'title' as title
      from (select distinct x.workflow_version_id from numbered n2
              join app.workflow_executions x on x.id = n2.id) dv
      join app.workflow_versions v on v.id = dv.workflow_version_id
      cross join lateral jsonb_array_elements(v.config -> 'steps') with ordinality as st(step, ord)
  )
  select (select s from stats),
         coalesce(jsonb_agg(jsonb_build_object(
           'execution_id', e.id,
           'workflow_key', w.key,
           'workflow_name', w.name,
           'workflow_type', w.workflow_type,
           'status', e.status,
           'lane', case n.lane when 1 then 'now' when 2 then 'soon' else 'planned' end,
           'priority_score', e.priority_score::integer,
           'priority_factors', e.priority_factors,
           -- app.customer_card, inlined (a `set search_path` function is called per row).
           'customer', jsonb_build_object(
             'id', c.id, 'name', c.name, 'domain', c.domain, 'arr', c.arr, 'health_score', c.health_score,
             'account_plan', c.account_plan,
             'renewal_stage', case
               when c.decision_date is null then null
               when c.decision_date - v_today < 0 then 'Overdue'
               when c.decision_date - v_today < 7 then 'Emergency'
               when c.decision_date - v_today < 14 then 'Critical'
               when c.decision_date - v_today < 30 then 'Signature'
               when c.decision_date - v_today < 60 then 'Finalize'
               when c.decision_date - v_today < 90 then 'Negotiate'
               when c.decision_date - v_today < 120 then 'Engage'
               when c.decision_date - v_today < 180 then 'Prepare'
               else 'Monitor' end,
             'renewal_date', c.renewal_date, 'days_until_renewal', c.renewal_date - v_today,
             'decision_date', c.decision_date, 'days_until_decision', c.decision_date - v_today,
             'assigned_to', c.assigned_to, 'risk_score', c.risk_score, 'opportunity_score', c.opportunity_score),
           'assignee_id', e.assigned_to,
           'current_step', case when e.current_step_key is null then null else jsonb_build_object(
             'key', e.current_step_key,
             'title', coalesce(
               (select s.title from app.workflow_step_executions s
                 where s.execution_id = e.id and s.org_id = e.org_id and s.step_key = e.current_step_key),
               (select t.title from titles t where t.version_id = e.workflow_version_id and t.idx = e.current_step_index),
               e.current_step_key),
             'index', e.current_step_index) end,
           'total_steps', e.total_steps,
           'completed_steps', e.completed_steps,
           'snoozed_until', e.snoozed_until,
           'created_at', e.created_at
         ) || case when v_grouped then jsonb_build_object('other_items', jsonb_build_object(
                'count', coalesce(o.n, 0), 'kinds', coalesce(to_jsonb(o.kinds), '[]'::jsonb))) else '{}'::jsonb end
         order by n.rn) filter (where n.rn <= get_workflow_queue.page_size), '[]'::jsonb),
         max(app.queue_cursor(n.lane, n.priority_score, n.sort_date, n.type_rank, n.id)) filter (where n.rn = get_workflow_queue.page_size),
         count(*) filter (where n.rn > get_workflow_queue.page_size)
    into v_stats, v_items, v_next, c_t
    from numbered n
    join app.workflow_executions e on e.id = n.id
    join app.customers c on c.id = e.customer_id
    join app.workflows w on w.id = e.workflow_id
    left join others o on v_grouped and o.customer_id = n.customer_id;

  if v_stats is null then
    select s into v_stats from (select jsonb_build_object(
      'total', 0, 'by_lane', '{}'::jsonb, 'by_type', '{}'::jsonb, 'by_stage', '{}'::jsonb, 'by_account_plan', '{}'::jsonb,
      'unique_customers', 0, 'avg_priority', null, 'priority_range', jsonb_build_object('min', null, 'max', null)) as s) x;
  end if;
  if coalesce(c_t, 0) = 0 then
    v_next := null;
  end if;

  return jsonb_build_object('items', v_items, 'next_cursor', v_next, 'stats', v_stats);
end;
$$;
comment on function public.get_workflow_queue(integer, text, uuid, boolean, jsonb, boolean) is
  'One person''s open workflow executions by lane, then priority (keyset-paginated), filtered server-side ({types, stages, plans, lanes, search}), optionally one row per customer; stats follow the filters.';
revoke execute on function public.get_workflow_queue(integer, text, uuid, boolean, jsonb, boolean) from public, anon;
grant execute on function public.get_workflow_queue(integer, text, uuid, boolean, jsonb, boolean) to authenticated;

grant execute on function app.calculate_decision_date(date, boolean, integer) to authenticated, service_role;
grant execute on function app.customer_decision_date(uuid, uuid, date) to authenticated, service_role;
grant execute on function app.queue_lane(text, text, text, integer, boolean) to authenticated, service_role;
grant execute on function app.queue_lane_name(smallint) to authenticated, service_role;
grant execute on function app.queue_filter_values(jsonb, text, text[]) to authenticated, service_role;
revoke execute on function app.contracts_keep_decision_dates_current() from public, anon;
revoke execute on function app.executions_lane_follows_hand_back() from public, anon;
