-- The orchestrator's daily run touches only the customers whose inputs changed (issue 18,
-- point 3), and app.run_orchestrator_for_org is split into one small function per step
-- (issue 17: none over ~80 lines).
--
-- What the run decides for a customer depends on: its decision date (hence its renewal
-- stage as of the run's day), renewal date, account plan and scores; its executions
-- (which are open, which are done for a period); the organisation's workflow definitions
-- and settings; and the period (month, quarter) of the run's day. So:
--   * app.orchestrator_dirty_customers: statement-level triggers on customers (insert;
--     update of renewal/decision date, plan, scores — a contract change reaches it
--     through the decision date the contracts trigger writes) and on workflow_executions
--     (insert, delete; update of status, period, workflow or customer) append the
--     customer ids. Append-only (no unique key), so concurrent writers never wait on each
--     other. The orchestrator's own writes (and the scale seed's) do not mark.
--   * the stage clock: a customer whose decision date puts a stage boundary (or the
--     30-days-overdue cutoff) between the last run's day and this one is found by an
--     index range on (org_id, decision_date) per boundary — no data changed for it.
--   * app.orchestrator_watermarks: per organisation, the day of the last run and a
--     fingerprint of the definitions and settings it used. The run is a full one
--     (every customer) when asked (`full_run => true`), on the first run, when the
--     fingerprint changed, when the month changed (schedules and score periods are
--     monthly or quarterly: all become due at once), or when the day went backwards.
-- The incremental run processes that scope with the same set-based statements as the
-- full run (the full run's scope is simply every customer), so both give the same
-- result: a pgTAP test makes changes of every kind and checks that a full run after an
-- incremental one finds nothing left to do.
--
-- The steps (each its own function, called by app.run_orchestrator_for_org):
--   app.orchestrator_settings      who may run it, the organisation's settings
--   app.orchestrator_full_reason   full or incremental, and why
--   app.orchestrator_collect_scope the customer ids to look at (and clears the marks)
--   app.orchestrator_load_customers their inputs and stage as of the day
--   app.orchestrator_plan          which executions should exist
--   app.orchestrator_supersede     open renewals that should not
--   app.orchestrator_open          what should exist and does not
--   app.orchestrator_link          superseded renewals to their successors
--   app.orchestrator_restage       stored renewal stages (last: see the dispatcher)
--   app.orchestrator_wake          snoozes whose time has come (index range, every run)
--   app.orchestrator_finish        the run record and the watermark

---------------------------------------------------------------------------------------
-- Tables
---------------------------------------------------------------------------------------
create table app.orchestrator_dirty_customers (
  org_id uuid not null references app.organisations (id) on delete cascade,
  customer_id uuid not null,
  marked_at timestamptz not null default now()
);
comment on table app.orchestrator_dirty_customers is
  'Customers whose orchestrator inputs changed since the last run (appended by triggers, consumed by app.run_orchestrator_for_org). Service only.';
create index orchestrator_dirty_customers_org_idx on app.orchestrator_dirty_customers (org_id);
alter table app.orchestrator_dirty_customers enable row level security;
revoke all on app.orchestrator_dirty_customers from anon, authenticated;
grant select, insert, delete on app.orchestrator_dirty_customers to service_role;

create table app.orchestrator_watermarks (
  org_id uuid primary key references app.organisations (id) on delete cascade,
  as_of date not null,
  fingerprint text not null,
  run_id uuid,
  updated_at timestamptz not null default now()
);
comment on table app.orchestrator_watermarks is
  'Per organisation: the day of the last orchestrator run and the fingerprint of the definitions and settings it used. Service only.';
alter table app.orchestrator_watermarks enable row level security;
revoke all on app.orchestrator_watermarks from anon, authenticated;
grant select on app.orchestrator_watermarks to service_role;

-- Stage-boundary ranges on the decision date (coalesce(decision_date, 'infinity'), id)
-- are served by customers_org_id_decision_idx of the customer list.

---------------------------------------------------------------------------------------
-- Marking changed customers
---------------------------------------------------------------------------------------
-- True while the orchestrator (or the scale seed) writes: its own writes need no mark.
create or replace function app.orchestrator_marks_paused()
returns boolean
language sql
stable
set search_path = ''
as $$
  select coalesce(current_setting('renubu.orchestrator_marks_paused', true), '') = 'on'
$$;
revoke execute on function app.orchestrator_marks_paused() from public, anon, authenticated;
grant execute on function app.orchestrator_marks_paused() to service_role;

create or replace function app.customers_mark_for_orchestrator()
returns trigger
language plpgsql
security definer -- people change customers; the marks table is service-only
set search_path = ''
as $$
begin
  if app.orchestrator_marks_paused() then
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

create trigger customers_mark_for_orchestrator_ins
  after insert on app.customers
  referencing new table as new_rows
  for each statement execute function app.customers_mark_for_orchestrator();
create trigger customers_mark_for_orchestrator_upd
  after update on app.customers
  referencing old table as old_rows new table as new_rows
  for each statement execute function app.customers_mark_for_orchestrator();

create or replace function app.executions_mark_for_orchestrator()
returns trigger
language plpgsql
security definer -- people change executions; the marks table is service-only
set search_path = ''
as $$
begin
  if app.orchestrator_marks_paused() then
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

create trigger workflow_executions_mark_for_orchestrator_ins
  after insert on app.workflow_executions
  referencing new table as new_rows
  for each statement execute function app.executions_mark_for_orchestrator();
create trigger workflow_executions_mark_for_orchestrator_upd
  after update on app.workflow_executions
  referencing old table as old_rows new table as new_rows
  for each statement execute function app.executions_mark_for_orchestrator();
create trigger workflow_executions_mark_for_orchestrator_del
  after delete on app.workflow_executions
  referencing old table as old_rows
  for each statement execute function app.executions_mark_for_orchestrator();

---------------------------------------------------------------------------------------
-- The steps
---------------------------------------------------------------------------------------

-- Who may run it (the scheduler, or a manager/admin of the organisation) and its settings.
create or replace function app.orchestrator_settings(org_id uuid)
returns app.organisation_settings
language plpgsql
stable
set search_path = ''
as $$
declare
  v_settings app.organisation_settings;
begin
  if orchestrator_settings.org_id is null then
    raise exception 'org_id is required' using errcode = '22023';
  end if;
  if (select auth.uid()) is not null
     and not exists (select 1 from app.profiles p
                      where p.id = (select auth.uid()) and p.org_id = orchestrator_settings.org_id
                        and p.role in ('manager', 'admin')) then
    raise exception 'Only managers and admins can run the orchestrator' using errcode = '42501',
      hint = 'Ask a manager of your organisation; it also runs every day on its own.';
  end if;
  select * into v_settings from app.organisation_settings s where s.org_id = orchestrator_settings.org_id;
  if not found then
    raise exception 'Organisation not found' using errcode = 'PT404';
  end if;
  return v_settings;
end;
$$;
revoke execute on function app.orchestrator_settings(uuid) from public, anon, authenticated;
grant execute on function app.orchestrator_settings(uuid) to service_role;

-- What the run's decisions depend on besides the customers and their executions.
create or replace function app.orchestrator_fingerprint(org_id uuid)
returns text
language sql
stable
set search_path = ''
as $$
  select md5(
    coalesce((select string_agg(concat_ws('|', f.workflow_id, f.key, f.workflow_type, f.base_score, f.trigger_config,
                                          f.version_id, f.total_steps, f.first_step_key), ',' order by f.key)
                from app.effective_workflows(orchestrator_fingerprint.org_id) f), '')
    || '#' ||
    coalesce((select concat_ws('|', s.time_zone, s.risk_score_trigger, s.opportunity_score_trigger, s.renewal_overdue_cutoff_days)
                from app.organisation_settings s where s.org_id = orchestrator_fingerprint.org_id), ''))
$$;
revoke execute on function app.orchestrator_fingerprint(uuid) from public, anon, authenticated;
grant execute on function app.orchestrator_fingerprint(uuid) to service_role;

-- Null for an incremental run, else why every customer is looked at.
create or replace function app.orchestrator_full_reason(org_id uuid, as_of date, fingerprint text, requested boolean)
returns text
language sql
stable
set search_path = ''
as $$
  select case
    when orchestrator_full_reason.requested then 'requested'
    when w.org_id is null then 'first run'
    when w.fingerprint is distinct from orchestrator_full_reason.fingerprint then 'definitions or settings changed'
    when orchestrator_full_reason.as_of < w.as_of then 'an earlier day than the last run'
    when date_trunc('month', orchestrator_full_reason.as_of) <> date_trunc('month', w.as_of) then 'a new month: schedules and score periods are due'
  end
    from (select 1) one
    left join app.orchestrator_watermarks w on w.org_id = orchestrator_full_reason.org_id
$$;
revoke execute on function app.orchestrator_full_reason(uuid, date, text, boolean) from public, anon, authenticated;
grant execute on function app.orchestrator_full_reason(uuid, date, text, boolean) to service_role;

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
      experience_level text, active integer not null
    ) on commit drop;
    create temporary table orchestrator_desired (
      customer_id uuid not null, assigned_to uuid, workflow_id uuid not null, version_id uuid not null,
      workflow_type text not null, base_score numeric not null, total_steps integer not null,
      first_step_key text, renewal_stage text, period_key text not null, reason text not null,
      arr numeric, account_plan text, risk_score integer, opportunity_score integer, renewal_date date,
      experience_level text, active_workflows integer, decision_date date, workflow_key text
    ) on commit drop;
    create index orchestrator_desired_customer_idx on pg_temp.orchestrator_desired (customer_id, workflow_id);
  end if;
  truncate pg_temp.orchestrator_scope, pg_temp.orchestrator_customers, pg_temp.orchestrator_desired;
end;
$$;
revoke execute on function app.orchestrator_prepare_tables() from public, anon, authenticated;
grant execute on function app.orchestrator_prepare_tables() to service_role;

-- The customer ids to look at: every customer (full), or the marked ones and those whose
-- decision date crosses a stage boundary or the overdue cutoff after the last run's day.
-- The marks are consumed either way. Returns how many marks were consumed.
create or replace function app.orchestrator_collect_scope(org_id uuid, as_of date, last_as_of date, cutoff_days integer, full_run boolean)
returns integer
language plpgsql
set search_path = ''
as $$
declare
  v_org uuid := orchestrator_collect_scope.org_id;
  v_marks integer;
  v_k integer;
begin
  perform 'PRAGMA:TABLE: orchestrator_scope (customer_id uuid)';
  with consumed as (
    delete from app.orchestrator_dirty_customers d where d.org_id = v_org returning d.customer_id
  )
  insert into pg_temp.orchestrator_scope (customer_id)
  select c.customer_id from consumed c where not orchestrator_collect_scope.full_run;
  get diagnostics v_marks = row_count;

  if orchestrator_collect_scope.full_run then
    insert into pg_temp.orchestrator_scope (customer_id)
    select c.id from app.customers c where c.org_id = v_org;
  else
    -- A boundary k ("decision_date - day < k") is crossed on day d by the customers whose
    -- decision date is d + k - 1; for the days after last_as_of up to as_of that is the
    -- range [last_as_of + k, as_of + k - 1]: one index range each (customers_org_id_decision_idx).
    foreach v_k in array array[0, 7, 14, 30, 60, 90, 120, 180, 1 - orchestrator_collect_scope.cutoff_days] loop
      insert into pg_temp.orchestrator_scope (customer_id)
      select c.id
        from app.customers c
       where c.org_id = v_org
         and coalesce(c.decision_date, 'infinity'::date)
             between orchestrator_collect_scope.last_as_of + v_k and orchestrator_collect_scope.as_of + v_k - 1;
    end loop;
  end if;
  analyze pg_temp.orchestrator_scope;
  return v_marks;
end;
$$;
revoke execute on function app.orchestrator_collect_scope(uuid, date, date, integer, boolean) from public, anon, authenticated;
grant execute on function app.orchestrator_collect_scope(uuid, date, date, integer, boolean) to service_role;

-- The scope's customers with what the decisions need: the stage as of the day (the rule
-- of app.calculate_renewal_stage, inlined: a `set search_path` function is never inlined
-- and 100 000 calls cost seconds), the assignee's level and in-progress workload.
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
  perform 'PRAGMA:TABLE: orchestrator_customers (id uuid, assigned_to uuid, renewal_date date, decision_date date, account_plan text, arr numeric, risk_score integer, opportunity_score integer, stage text, experience_level text, active integer)';
  with ids as materialized (
    select distinct s.customer_id from pg_temp.orchestrator_scope s
  ), cust as materialized (
    select c.* from app.customers c join ids on ids.customer_id = c.id where c.org_id = v_org
  ), workload as materialized (
    select x.assigned_to, count(*)::integer as active
      from app.workflow_executions x
     where x.org_id = v_org and x.status = 'in_progress'
       and x.assigned_to in (select distinct c.assigned_to from cust c)
     group by x.assigned_to
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
         p.experience_level, coalesce(wl.active, 0)
    from cust c
    left join app.profiles p on p.id = c.assigned_to
    left join workload wl on wl.assigned_to = c.assigned_to;
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
  perform 'PRAGMA:TABLE: orchestrator_customers (id uuid, assigned_to uuid, renewal_date date, decision_date date, account_plan text, arr numeric, risk_score integer, opportunity_score integer, stage text, experience_level text, active integer)';
  update app.customers c
     set renewal_stage = s.stage
    from pg_temp.orchestrator_customers s
   where c.id = s.id
     and c.renewal_stage is distinct from s.stage;
  get diagnostics v_count = row_count;
  return v_count;
end;
$$;
revoke execute on function app.orchestrator_restage() from public, anon, authenticated;
grant execute on function app.orchestrator_restage() to service_role;

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
  perform 'PRAGMA:TABLE: orchestrator_customers (id uuid, assigned_to uuid, renewal_date date, decision_date date, account_plan text, arr numeric, risk_score integer, opportunity_score integer, stage text, experience_level text, active integer)';
  perform 'PRAGMA:TABLE: orchestrator_desired (customer_id uuid, assigned_to uuid, workflow_id uuid, version_id uuid, workflow_type text, base_score numeric, total_steps integer, first_step_key text, renewal_stage text, period_key text, reason text, arr numeric, account_plan text, risk_score integer, opportunity_score integer, renewal_date date, experience_level text, active_workflows integer, decision_date date, workflow_key text)';
  with wf as materialized (
    select f.*, coalesce((select array_agg(x) from jsonb_array_elements_text(f.trigger_config -> 'plans') x),
                         array['invest', 'expand']) as plans
      from app.effective_workflows(orchestrator_plan.org_id) f
  )
  insert into pg_temp.orchestrator_desired
  -- renewal: one for the current stage, unless 30+ days overdue.
  select c.id, c.assigned_to, w.workflow_id, w.version_id, w.workflow_type, w.base_score, w.total_steps,
         w.first_step_key, c.stage, c.renewal_date::text, 'Renewal stage ' || c.stage,
         c.arr, c.account_plan, c.risk_score, c.opportunity_score, c.renewal_date, c.experience_level, c.active, c.decision_date, w.key
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
         c.arr, c.account_plan, c.risk_score, c.opportunity_score, c.renewal_date, c.experience_level, c.active, c.decision_date, w.key
    from pg_temp.orchestrator_customers c
    join wf w on w.trigger_config ->> 'kind' = 'schedule'
   where c.account_plan = any(w.plans)
  union all
  -- risk and opportunity: a score at or above the organisation's threshold.
  select c.id, c.assigned_to, w.workflow_id, w.version_id, w.workflow_type, w.base_score, w.total_steps,
         w.first_step_key, null, to_char(v_as_of, 'YYYY-MM'),
         (w.trigger_config ->> 'field') || ' at or above its threshold',
         c.arr, c.account_plan, c.risk_score, c.opportunity_score, c.renewal_date, c.experience_level, c.active, c.decision_date, w.key
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
-- become `superseded` (history kept). Returns their ids.
create or replace function app.orchestrator_supersede(org_id uuid, as_of date, cutoff_days integer)
returns uuid[]
language plpgsql
set search_path = ''
as $$
declare
  v_as_of date := orchestrator_supersede.as_of;
  v_ids uuid[];
begin
  perform 'PRAGMA:TABLE: orchestrator_customers (id uuid, assigned_to uuid, renewal_date date, decision_date date, account_plan text, arr numeric, risk_score integer, opportunity_score integer, stage text, experience_level text, active integer)';
  perform 'PRAGMA:TABLE: orchestrator_desired (customer_id uuid, assigned_to uuid, workflow_id uuid, version_id uuid, workflow_type text, base_score numeric, total_steps integer, first_step_key text, renewal_stage text, period_key text, reason text, arr numeric, account_plan text, risk_score integer, opportunity_score integer, renewal_date date, experience_level text, active_workflows integer, decision_date date, workflow_key text)';
  with stale as (
    -- found on the open-executions index alone (it carries period_key)
    select e.id, s.decision_date, s.stage
      from pg_temp.orchestrator_customers s
      join app.workflow_executions e
        on e.org_id = orchestrator_supersede.org_id and e.customer_id = s.id
       and e.status in ('queued', 'in_progress', 'snoozed', 'escalated')
       and e.period_key is not null
      join app.workflows w on w.id = e.workflow_id and w.workflow_type = 'renewal'
     where not exists (
       select 1 from pg_temp.orchestrator_desired d
        where d.customer_id = e.customer_id and d.workflow_id = e.workflow_id and d.period_key = e.period_key)
  ), superseded as (
    update app.workflow_executions e
       set status = 'superseded',
           completed_at = now(),
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

-- Open what should exist and does not (neither open nor done for its period), scored in
-- the same statement. Step rows follow when the execution is started (start_workflow).
create or replace function app.orchestrator_open(org_id uuid, as_of date)
returns uuid[]
language plpgsql
set search_path = ''
as $$
declare
  v_org uuid := orchestrator_open.org_id;
  v_ids uuid[];
begin
  perform 'PRAGMA:TABLE: orchestrator_desired (customer_id uuid, assigned_to uuid, workflow_id uuid, version_id uuid, workflow_type text, base_score numeric, total_steps integer, first_step_key text, renewal_stage text, period_key text, reason text, arr numeric, account_plan text, risk_score integer, opportunity_score integer, renewal_date date, experience_level text, active_workflows integer, decision_date date, workflow_key text)';
  with todo as (
    select d.*,
           app.calculate_priority(d.workflow_type, d.base_score, d.renewal_stage, d.arr, d.account_plan,
                                  d.opportunity_score, d.risk_score, d.experience_level, d.active_workflows) as factors,
           app.queue_lane(d.workflow_type, d.workflow_key, d.renewal_stage, d.risk_score, false) as lane
      from pg_temp.orchestrator_desired d
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
      customer_decision_date, queue_lane, renewal_stage, period_key, trigger_reason,
      current_step_key, current_step_index, total_steps, metadata)
    select v_org, t.customer_id, t.workflow_id, t.version_id, t.assigned_to, 'queued',
           (t.factors ->> 'score')::numeric,
           t.factors || jsonb_build_object('lane', app.queue_lane_name(t.lane)), t.renewal_date, t.account_plan,
           t.decision_date, t.lane, t.renewal_stage, t.period_key, t.reason,
           t.first_step_key, case when t.first_step_key is null then null else 0 end, t.total_steps,
           jsonb_build_object('history', jsonb_build_array(jsonb_build_object(
             'event', 'created', 'at', now(), 'by', 'orchestrator', 'as_of', orchestrator_open.as_of, 'reason', t.reason)))
      from todo t
    on conflict (customer_id, workflow_id) where status in ('queued', 'in_progress', 'snoozed', 'escalated')
    do nothing
    returning id
  )
  select array_agg(id) into v_ids from inserted;
  return coalesce(v_ids, '{}');
end;
$$;
revoke execute on function app.orchestrator_open(uuid, date) from public, anon, authenticated;
grant execute on function app.orchestrator_open(uuid, date) to service_role;

-- Each renewal superseded by this run points at the renewal opened for its customer.
create or replace function app.orchestrator_link(superseded uuid[], created uuid[])
returns void
language sql
set search_path = ''
as $$
  update app.workflow_executions old
     set superseded_by = new.id
    from unnest(orchestrator_link.superseded) as s(id), unnest(orchestrator_link.created) as n(id), app.workflow_executions new
   where old.id = s.id
     and new.id = n.id
     and new.customer_id = old.customer_id
     and new.renewal_stage is not null
$$;
revoke execute on function app.orchestrator_link(uuid[], uuid[]) from public, anon, authenticated;
grant execute on function app.orchestrator_link(uuid[], uuid[]) to service_role;

-- Snoozed executions whose time has come go back where they were in the queue (a range
-- of workflow_executions_snoozed_until_idx).
create or replace function app.orchestrator_wake(org_id uuid, wake_at timestamptz)
returns integer
language plpgsql
set search_path = ''
as $$
declare
  v_count integer;
begin
  update app.workflow_executions e
     set status = case when e.started_at is null then 'queued' else 'in_progress' end,
         metadata = app.with_history(e.metadata, jsonb_build_object(
           'event', 'woken', 'snoozed_until', e.snoozed_until, 'by', 'orchestrator')),
         snoozed_until = null
   where e.org_id = orchestrator_wake.org_id
     and e.status = 'snoozed'
     and e.snoozed_until <= orchestrator_wake.wake_at;
  get diagnostics v_count = row_count;
  return v_count;
end;
$$;
revoke execute on function app.orchestrator_wake(uuid, timestamptz) from public, anon, authenticated;
grant execute on function app.orchestrator_wake(uuid, timestamptz) to service_role;

-- The run record and the organisation's watermark; the result returned to the caller.
create or replace function app.orchestrator_finish(run_id uuid, started timestamptz, fingerprint text, result jsonb)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_run app.orchestrator_runs;
  v_duration integer := (extract(epoch from clock_timestamp() - orchestrator_finish.started) * 1000)::integer;
begin
  update app.orchestrator_runs r
     set status = 'succeeded', finished_at = clock_timestamp(), duration_ms = v_duration,
         created_count = (orchestrator_finish.result ->> 'created')::integer,
         superseded_count = (orchestrator_finish.result ->> 'superseded')::integer,
         woken_count = (orchestrator_finish.result ->> 'woken')::integer,
         restaged_count = (orchestrator_finish.result ->> 'restaged')::integer,
         details = r.details || jsonb_build_object('mode', orchestrator_finish.result ->> 'mode',
                                                   'full_reason', orchestrator_finish.result -> 'full_reason',
                                                   'customers', orchestrator_finish.result -> 'customers',
                                                   'marks', orchestrator_finish.result -> 'marks')
   where r.id = orchestrator_finish.run_id
  returning * into v_run;
  insert into app.orchestrator_watermarks as w (org_id, as_of, fingerprint, run_id, updated_at)
  values (v_run.org_id, v_run.as_of, orchestrator_finish.fingerprint, v_run.id, now())
  on conflict (org_id) do update
    set as_of = excluded.as_of, fingerprint = excluded.fingerprint, run_id = excluded.run_id, updated_at = excluded.updated_at;
  return jsonb_build_object('run_id', v_run.id, 'as_of', v_run.as_of) || orchestrator_finish.result
         || jsonb_build_object('duration_ms', v_duration);
end;
$$;
revoke execute on function app.orchestrator_finish(uuid, timestamptz, text, jsonb) from public, anon, authenticated;
grant execute on function app.orchestrator_finish(uuid, timestamptz, text, jsonb) to service_role;

---------------------------------------------------------------------------------------
-- The dispatcher. The 4-argument signature is replaced by one with `full_run` (default
-- false; `full_run => true` looks at every customer): every existing caller (pg_cron, public.run_orchestrator, seed.sql through
-- app.run_orchestrator) keeps working and gets the incremental run.
---------------------------------------------------------------------------------------
drop function if exists app.run_orchestrator_for_org(uuid, date, text, uuid);

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
  perform app.orchestrator_plan(v_org, v_as_of, v_settings);
  v_superseded := app.orchestrator_supersede(v_org, v_as_of, v_settings.renewal_overdue_cutoff_days);
  v_created := app.orchestrator_open(v_org, v_as_of);
  perform app.orchestrator_link(v_superseded, v_created);
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
revoke execute on function app.run_orchestrator_for_org(uuid, date, text, uuid, boolean) from public, anon;
grant execute on function app.run_orchestrator_for_org(uuid, date, text, uuid, boolean) to authenticated, service_role;
