-- Revenue: renewal forecasts and their history, renewal outcomes, ARR history versions and the
-- retention metrics cache, with their RPCs.
--
-- Part of the release baseline (docs/schema.md): one file per area, in dependency order.
-- From now on migrations are append-only: a change is a new timestamped file.
--
-- A long function is a guard and a dispatcher over small functions with one job each, named
-- after what they do (issue 17), so a reader can hold each piece in their head. The helpers
-- live in `app`, set search_path = '', run as their caller (RLS applies) unless they serve a
-- security definer function, and are executable only by the roles whose calls reach them.

-- Renewal forecast: the category and forecast ARR of every open renewal, and the history
-- of who changed them when (docs/forecast-and-retention.md "Forecast and retention"; docs/forecast-and-retention.md).
--
-- What a "renewal" is here: the orchestrator opens one renewal execution per stage and
-- supersedes it when the stage moves on, all with the same period_key (the customer's
-- renewal date). A forecast set on the Finalize execution must still hold when the
-- Signature one replaces it, so the current forecast is keyed by the renewal —
-- (customer, renewal date) — and remembers the execution it was last set on. When the
-- renewal date moves (a renewal recorded, a corrected contract), it is another renewal and
-- its category is derived again until a person sets it.
--
--   no row ──(derived)──> probable | at_risk        (never commit: only a person commits)
--   person sets ────────> commit | probable | at_risk | churn_expected  (+ a history row)
--
-- Derived rule (until a person sets it): at_risk when health < 50 or risk_score >= 60,
-- else probable. A missing health or risk score does not make a renewal at risk (a missing
-- health counts as 50, as in the account plan).
--
-- Who writes: anyone who may work on the renewal execution (its csm or an unassigned one;
-- managers and admins), never a viewer, never without a signed-in person (the trigger
-- stamps set_by = auth.uid() and refuses writes without one, so a service call or a model
-- cannot set `commit`). History rows are written only by the trigger (security definer),
-- so nobody can forge who changed what.

create table app.renewal_forecasts (
  org_id uuid not null references app.organisations (id) on delete cascade,
  customer_id uuid not null,
  renewal_date date not null,
  execution_id uuid not null,
  category text not null,
  -- null = the customer's current ARR (follows it until a person names an amount).
  forecast_arr numeric(14, 2),
  note text,
  set_by uuid,
  set_at timestamptz not null default now(),
  constraint renewal_forecasts_pkey primary key (customer_id, org_id, renewal_date),
  constraint renewal_forecasts_category_is_known check (category in ('commit', 'probable', 'at_risk', 'churn_expected')),
  constraint renewal_forecasts_forecast_arr_is_not_negative check (forecast_arr >= 0),
  constraint renewal_forecasts_customer_is_in_organisation foreign key (customer_id, org_id)
    references app.customers (id, org_id) on delete cascade,
  constraint renewal_forecasts_execution_is_in_organisation foreign key (execution_id, org_id)
    references app.workflow_executions (id, org_id) on delete cascade,
  constraint renewal_forecasts_setter_is_in_organisation foreign key (org_id, set_by)
    references app.profiles (org_id, id) on delete set null (set_by)
);
comment on table app.renewal_forecasts is
  'The forecast category and ARR a person set for a customer''s renewal (customer, renewal date); without a row the category is derived.';
alter table app.renewal_forecasts enable row level security;
grant select, insert, update on app.renewal_forecasts to authenticated;
grant select, insert, update, delete on app.renewal_forecasts to service_role;

-- Policies filter on org_id; the forecast reads an organisation's renewals by date.
create index renewal_forecasts_org_id_renewal_date_idx on app.renewal_forecasts (org_id, renewal_date);

create index renewal_forecasts_execution_id_idx on app.renewal_forecasts (execution_id, org_id);

create index renewal_forecasts_set_by_idx on app.renewal_forecasts (org_id, set_by) where set_by is not null;

create table app.renewal_forecast_history (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references app.organisations (id) on delete cascade,
  execution_id uuid not null,
  customer_id uuid not null,
  renewal_date date not null,
  category text not null,
  forecast_arr numeric(14, 2),
  note text,
  changed_by uuid,
  changed_at timestamptz not null default now(),
  constraint renewal_forecast_history_category_is_known check (category in ('commit', 'probable', 'at_risk', 'churn_expected')),
  constraint renewal_forecast_history_forecast_arr_is_not_negative check (forecast_arr >= 0),
  constraint renewal_forecast_history_customer_is_in_organisation foreign key (customer_id, org_id)
    references app.customers (id, org_id) on delete cascade,
  constraint renewal_forecast_history_execution_is_in_organisation foreign key (execution_id, org_id)
    references app.workflow_executions (id, org_id) on delete cascade,
  constraint renewal_forecast_history_person_is_in_organisation foreign key (org_id, changed_by)
    references app.profiles (org_id, id) on delete set null (changed_by)
);
comment on table app.renewal_forecast_history is
  'Every forecast change of a renewal: category, forecast ARR, note, who and when (written by a trigger only).';
alter table app.renewal_forecast_history enable row level security;
grant select on app.renewal_forecast_history to authenticated;
grant select, insert, update, delete on app.renewal_forecast_history to service_role;

create index renewal_forecast_history_customer_id_idx
  on app.renewal_forecast_history (customer_id, org_id, changed_at desc);

create index renewal_forecast_history_execution_id_idx on app.renewal_forecast_history (execution_id, org_id);

create index renewal_forecast_history_org_id_idx on app.renewal_forecast_history (org_id, changed_at desc);

create index renewal_forecast_history_changed_by_idx on app.renewal_forecast_history (org_id, changed_by)
  where changed_by is not null;

-- Renewal forecast RPCs and renewal outcomes (docs/forecast-and-retention.md "Forecast and retention"; docs/forecast-and-retention.md
-- "Revenue"; docs/forecast-and-retention.md).
--
--   set_renewal_forecast(execution_id, category, forecast_arr, note)
--   record_renewal_outcome(execution_id, outcome, new_arr)
--   get_renewal_forecast(period_start, period_end, assignee_id, category, max_items, month, after)
--
-- A renewal's life, as these functions see it:
--
--   open renewal execution ──set_renewal_forecast──> category + forecast ARR (history kept)
--          │
--          └──record_renewal_outcome──> renewed | downgraded | churned   (one per renewal)
--                 customer ARR := new ARR (an arr_history row when it changed),
--                 renewal date := + 12 months (renewed, downgraded) or none (churned),
--                 the open renewal execution(s) completed with the outcome.
--
-- Outcome rules (22023 when broken, with a hint naming the right outcome):
--   renewed     new_arr omitted (= current ARR) or >= current ARR (an uplift at renewal)
--   downgraded  new_arr required, 0 < new_arr < current ARR
--   churned     new_arr omitted or 0; ARR becomes 0
-- Who: whoever may work on the renewal execution (its csm, or anyone's if unassigned for a
-- csm; managers and admins always); while it is escalated only a manager or admin (the
-- escalation is a hold on the assignee). A viewer never. A second outcome for the same
-- renewal, or an outcome on a closed execution, is PT409.
--
-- "Renewal execution" = an execution with a renewal_stage (the orchestrator and
-- create_workflow_execution set it for every renewal workflow); a partial index finds a
-- customer's open one.

---------------------------------------------------------------------------------------
-- Open renewal executions, and the category function on the same predicate
---------------------------------------------------------------------------------------

---------------------------------------------------------------------------------------
-- Outcomes
---------------------------------------------------------------------------------------
create table app.renewal_outcomes (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references app.organisations (id) on delete cascade,
  customer_id uuid not null,
  execution_id uuid not null,
  renewal_date date not null,
  outcome text not null,
  previous_arr numeric(14, 2) not null,
  new_arr numeric(14, 2) not null,
  -- What the forecast said when the renewal closed (forecast accuracy).
  forecast_category text,
  forecast_arr numeric(14, 2),
  assigned_to uuid,
  recorded_by uuid,
  recorded_at timestamptz not null default now(),
  constraint renewal_outcomes_outcome_is_known check (outcome in ('renewed', 'downgraded', 'churned')),
  constraint renewal_outcomes_new_arr_follows_the_outcome check (
    (outcome = 'renewed' and new_arr >= previous_arr)
    or (outcome = 'downgraded' and new_arr > 0 and new_arr < previous_arr)
    or (outcome = 'churned' and new_arr = 0)),
  constraint renewal_outcomes_one_per_renewal unique (customer_id, org_id, renewal_date),
  constraint renewal_outcomes_customer_is_in_organisation foreign key (customer_id, org_id)
    references app.customers (id, org_id) on delete cascade,
  constraint renewal_outcomes_execution_is_in_organisation foreign key (execution_id, org_id)
    references app.workflow_executions (id, org_id) on delete cascade,
  constraint renewal_outcomes_assignee_is_in_organisation foreign key (org_id, assigned_to)
    references app.profiles (org_id, id) on delete set null (assigned_to),
  constraint renewal_outcomes_recorder_is_in_organisation foreign key (org_id, recorded_by)
    references app.profiles (org_id, id) on delete set null (recorded_by)
);
comment on table app.renewal_outcomes is
  'How a renewal closed: renewed, downgraded or churned, the ARR before and after, the forecast at the time, who and when.';
alter table app.renewal_outcomes enable row level security;
-- Written only by app.apply_renewal_outcome (it changes the customer's ARR too).
grant select on app.renewal_outcomes to authenticated;
grant select, insert, update, delete on app.renewal_outcomes to service_role;

create index renewal_outcomes_org_id_renewal_date_idx on app.renewal_outcomes (org_id, renewal_date);

create index renewal_outcomes_execution_id_idx on app.renewal_outcomes (execution_id, org_id);

create index renewal_outcomes_assigned_to_idx on app.renewal_outcomes (org_id, assigned_to) where assigned_to is not null;

create index renewal_outcomes_recorded_by_idx on app.renewal_outcomes (org_id, recorded_by) where recorded_by is not null;

-- Retention: GRR and NRR from ARR history (docs/forecast-and-retention.md "Forecast and retention"; docs/forecast-and-retention.md
-- "Revenue"; docs/forecast-and-retention.md has the definitions with a worked example).
--
--   get_retention_metrics(period_start, period_end, granularity = 'month')
--     -> {starting_arr, expansion, contraction, churn, grr, nrr, customers, ending_arr,
--         series[] (per month or quarter, each with its trailing 12 months)}
--
-- Definitions, for a period [start, end):
--   ARR of a customer at a date d = the newest app.arr_history row recorded before the
--     start of d in the organisation's time zone (a change at 00:00 of d belongs to d);
--   the cohort = customers whose ARR at `start` is > 0 (a customer whose first history is
--     during the period, or who has no history at all, is not counted);
--   S = Σ ARR at start; for each, E = ARR at end;
--   expansion = Σ max(0, E − S_c); contraction = Σ max(0, S_c − E) where E > 0;
--   churn = Σ S_c where E = 0;
--   GRR = (S − contraction − churn) / S; NRR = (S + expansion − contraction − churn) / S
--   (null when S = 0), rounded to 4 decimals; amounts are exact to the cent.
--
-- Why a cache: each figure compares every customer's ARR at two dates; a 12-month series
-- with its trailing-12-month windows needs 24 dates. Over 100 000 customers that is
-- seconds of work, and it only changes when ARR history does. So each (start, end) pair
-- is computed once and kept in app.retention_cache, stamped with the organisation's ARR
-- history version (app.arr_history_versions, bumped by a statement trigger on every
-- insert, update and delete of ARR history, cascades included) and its time zone; a
-- stamp that differs from the current one is never read. The version is read before
-- computing, so a computation that raced a change is stamped with the older version and
-- simply discarded. Reads in a read-only transaction compute without storing.

---------------------------------------------------------------------------------------
-- ARR history version per organisation
---------------------------------------------------------------------------------------

create table app.arr_history_versions (
  org_id uuid primary key references app.organisations (id) on delete cascade,
  version bigint not null default 1,
  changed_at timestamptz not null default now()
);
comment on table app.arr_history_versions is
  'A counter per organisation bumped by every change of its ARR history (retention cache stamps).';
alter table app.arr_history_versions enable row level security;
-- Written only by the trigger above and app.retention_pairs_computed (security definer).
grant select on app.arr_history_versions to authenticated;
grant select, insert, update, delete on app.arr_history_versions to service_role;

---------------------------------------------------------------------------------------
-- The cache of computed (start, end) pairs
---------------------------------------------------------------------------------------
create table app.retention_cache (
  org_id uuid not null references app.organisations (id) on delete cascade,
  period_start date not null,
  period_end date not null,
  version bigint not null,
  time_zone text not null,
  customers integer not null,
  starting_arr numeric(16, 2) not null,
  expansion numeric(16, 2) not null,
  contraction numeric(16, 2) not null,
  churn numeric(16, 2) not null,
  computed_at timestamptz not null default now(),
  constraint retention_cache_pkey primary key (org_id, period_start, period_end),
  constraint retention_cache_period_is_not_empty check (period_end > period_start),
  constraint retention_cache_amounts_are_not_negative check (
    customers >= 0 and starting_arr >= 0 and expansion >= 0 and contraction >= 0 and churn >= 0)
);
comment on table app.retention_cache is
  'Retention sums per organisation and (start, end), valid while its version and time zone are the organisation''s current ones.';
alter table app.retention_cache enable row level security;
grant select on app.retention_cache to authenticated;
grant select, insert, update, delete on app.retention_cache to service_role;

-- Stamps the person and time; a forecast is only ever set by a signed-in person.
create or replace function app.renewal_forecasts_stamp_person()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if (select auth.uid()) is null then
    raise exception 'A forecast is set by a signed-in person' using errcode = '42501',
      hint = 'Sign in; the forecast records who set it.';
  end if;
  new.set_by := (select auth.uid());
  new.set_at := now();
  return new;
end;
$$;

-- Security definer: history is written on behalf of the person whose change RLS allowed,
-- so no caller needs (or gets) the right to write history rows directly.
create or replace function app.renewal_forecasts_record_history()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  insert into app.renewal_forecast_history
    (org_id, execution_id, customer_id, renewal_date, category, forecast_arr, note, changed_by, changed_at)
  values
    (new.org_id, new.execution_id, new.customer_id, new.renewal_date, new.category, new.forecast_arr, new.note,
     new.set_by, new.set_at);
  return null;
end;
$$;

-- The derived category (pure). Set-based readers (get_renewal_forecast) inline the same
-- case expression for speed; a pgTAP test pins that they agree.
create or replace function app.derive_forecast_category(health_score integer, risk_score integer)
returns text
language sql
immutable
parallel safe
set search_path = ''
as $$
  select case
    when derive_forecast_category.health_score < 50 or derive_forecast_category.risk_score >= 60 then 'at_risk'
    else 'probable'
  end
$$;
comment on function app.derive_forecast_category(integer, integer) is
  'Forecast category until a person sets one: at_risk when health < 50 or risk_score >= 60, else probable (never commit).';
grant execute on function app.derive_forecast_category(integer, integer) to authenticated, service_role;

-- The effective category of the customer's open renewal: the one a person set for its
-- current renewal date, else derived; null when the customer has no open renewal
-- execution. Security invoker: reads what the caller may read.
create or replace function app.customer_forecast_category(p_org_id uuid, p_customer_id uuid)
returns text
language sql
stable
set search_path = ''
as $$
  select coalesce(f.category, app.derive_forecast_category(c.health_score, c.risk_score))
    from app.customers c
    left join app.renewal_forecasts f
      on f.customer_id = c.id and f.org_id = c.org_id and f.renewal_date = c.renewal_date
   where c.id = p_customer_id
     and c.org_id = p_org_id
     and c.renewal_date is not null
     and exists (
       select 1 from app.workflow_executions e
        where e.org_id = c.org_id and e.customer_id = c.id
          and e.status in ('queued', 'in_progress', 'snoozed', 'escalated') and e.renewal_stage is not null)
$$;
comment on function app.customer_forecast_category(uuid, uuid) is
  'Forecast category of the customer''s open renewal (person-set, else derived); null without an open renewal.';
grant execute on function app.customer_forecast_category(uuid, uuid) to authenticated, service_role;

---------------------------------------------------------------------------------------
-- set_renewal_forecast
---------------------------------------------------------------------------------------

-- The open renewal execution the caller may change, or the house error.
create or replace function app.require_open_renewal(execution_id uuid, verb text)
returns app.workflow_executions
language plpgsql
stable
set search_path = ''
as $$
declare
  e app.workflow_executions;
begin
  e := app.require_workable_execution(require_open_renewal.execution_id, require_open_renewal.verb);
  if e.renewal_stage is null then
    raise exception 'This workflow is not a renewal' using errcode = '22023',
      hint = 'Pass the execution id of the customer''s open renewal workflow.';
  end if;
  if not app.is_open_status(e.status) then
    raise exception 'This renewal workflow is %', app.status_words(e.status) using errcode = 'PT409',
      hint = 'Use the customer''s open renewal; a closed one keeps its forecast and outcome.';
  end if;
  return e;
end;
$$;
grant execute on function app.require_open_renewal(uuid, text) to authenticated, service_role;

create or replace function public.set_renewal_forecast(
  execution_id uuid,
  category text,
  forecast_arr numeric default null,
  note text default null
)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  e app.workflow_executions;
  c app.customers;
  f app.renewal_forecasts;
  v_note text := nullif(btrim(set_renewal_forecast.note), '');
begin
  if set_renewal_forecast.category is null
     or set_renewal_forecast.category not in ('commit', 'probable', 'at_risk', 'churn_expected') then
    raise exception 'category must be commit, probable, at_risk or churn_expected' using errcode = '22023';
  end if;
  if set_renewal_forecast.forecast_arr < 0 or set_renewal_forecast.forecast_arr >= 1e12 then
    raise exception 'forecast_arr must be between 0 and 999 999 999 999.99' using errcode = '22023';
  end if;
  if length(v_note) > 2000 then
    raise exception 'note is longer than 2000 characters' using errcode = '22023';
  end if;
  e := app.require_open_renewal(set_renewal_forecast.execution_id, 'forecast');
  select * into c from app.customers x where x.id = e.customer_id;
  if c.renewal_date is null then
    raise exception 'The customer has no renewal date' using errcode = 'PT409',
      hint = 'Set the renewal date (or its contract) first.';
  end if;

  select * into f from app.renewal_forecasts x
   where x.customer_id = c.id and x.org_id = c.org_id and x.renewal_date = c.renewal_date
   for update;
  -- The same values again change nothing and add no history (a repeated click).
  if not found
     or f.category is distinct from set_renewal_forecast.category
     or f.forecast_arr is distinct from round(set_renewal_forecast.forecast_arr, 2)
     or f.note is distinct from v_note then
    insert into app.renewal_forecasts (org_id, customer_id, renewal_date, execution_id, category, forecast_arr, note)
    values (c.org_id, c.id, c.renewal_date, e.id, set_renewal_forecast.category,
            round(set_renewal_forecast.forecast_arr, 2), v_note)
    on conflict (customer_id, org_id, renewal_date) do update
       set execution_id = excluded.execution_id, category = excluded.category,
           forecast_arr = excluded.forecast_arr, note = excluded.note
    returning * into f;
  end if;

  return jsonb_build_object(
    'execution_id', e.id,
    'customer_id', c.id,
    'renewal_date', c.renewal_date,
    'category', f.category,
    'category_source', 'person',
    'current_arr', coalesce(c.arr, 0),
    'forecast_arr', coalesce(f.forecast_arr, c.arr, 0),
    'forecast_arr_set', f.forecast_arr is not null,
    'note', f.note,
    'set_by', f.set_by,
    'set_at', f.set_at
  );
end;
$$;
comment on function public.set_renewal_forecast(uuid, text, numeric, text) is
  'Sets the forecast category (and optionally forecast ARR and a note) of an open renewal; history keeps who and when.';
revoke execute on function public.set_renewal_forecast(uuid, text, numeric, text) from public, anon;
grant execute on function public.set_renewal_forecast(uuid, text, numeric, text) to authenticated;

---------------------------------------------------------------------------------------
-- record_renewal_outcome
---------------------------------------------------------------------------------------


---------------------------------------------------------------------------------------
-- app.apply_renewal_outcome: lock and check the renewal, its customer and the new ARR;
-- record the outcome; move the customer to its next renewal; close the open renewals.
---------------------------------------------------------------------------------------

-- The open renewal execution, locked: of the caller's organisation, workable by them, not
-- escalated (unless they are a manager or admin), a renewal, and open.
create or replace function app.lock_open_renewal_execution(execution_id uuid)
returns app.workflow_executions
language plpgsql
set search_path = ''
as $$
declare
  e app.workflow_executions;
begin
  select * into e from app.workflow_executions x where x.id = lock_open_renewal_execution.execution_id for update;
  if not found or e.org_id is distinct from app.current_org_id() then
    raise exception 'Workflow execution not found' using errcode = 'PT404',
      hint = 'Check the id; you can only see workflows of your own organisation.';
  end if;
  if not app.can_work_on_execution(e.id) then
    raise exception 'You may not record the outcome of this renewal' using errcode = '42501',
      hint = 'Only its assigned CSM, a manager or an admin can.';
  end if;
  if e.status = 'escalated' and not (select app.has_role('manager', 'admin')) then
    raise exception 'This renewal is escalated' using errcode = '42501',
      hint = 'While it is escalated a manager decides; withdraw the escalation to record the outcome yourself.';
  end if;
  if e.renewal_stage is null then
    raise exception 'This workflow is not a renewal' using errcode = '22023',
      hint = 'Pass the execution id of the customer''s open renewal workflow.';
  end if;
  if not app.is_open_status(e.status) then
    raise exception 'This renewal workflow is %', app.status_words(e.status) using errcode = 'PT409',
      hint = 'An outcome is recorded once, on the open renewal.';
  end if;
  return e;
end;
$$;
revoke execute on function app.lock_open_renewal_execution(uuid) from public, anon, authenticated;

-- The renewal's customer, locked: it has a renewal date whose outcome is not recorded yet.
create or replace function app.lock_customer_awaiting_outcome(customer_id uuid)
returns app.customers
language plpgsql
set search_path = ''
as $$
declare
  c app.customers;
begin
  select * into c from app.customers x where x.id = lock_customer_awaiting_outcome.customer_id for update;
  if c.renewal_date is null then
    raise exception 'The customer has no renewal date' using errcode = 'PT409';
  end if;
  if exists (select 1 from app.renewal_outcomes o
              where o.customer_id = c.id and o.org_id = c.org_id and o.renewal_date = c.renewal_date) then
    raise exception 'This renewal already has an outcome' using errcode = 'PT409',
      hint = 'Its outcome is on the Forecast page; correct the customer''s ARR instead.';
  end if;
  return c;
end;
$$;
revoke execute on function app.lock_customer_awaiting_outcome(uuid) from public, anon, authenticated;

-- The customer's ARR after the outcome (renewed: at least the current ARR, default
-- unchanged; downgraded: below it and above 0; churned: 0), or 22023 saying which
-- outcome fits.
create or replace function app.renewal_outcome_new_arr(outcome text, new_arr numeric, previous_arr numeric)
returns numeric
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_new numeric := case renewal_outcome_new_arr.outcome
                     when 'renewed' then coalesce(round(renewal_outcome_new_arr.new_arr, 2), previous_arr)
                     when 'downgraded' then round(renewal_outcome_new_arr.new_arr, 2)
                     else coalesce(round(renewal_outcome_new_arr.new_arr, 2), 0) end;
begin
  if outcome = 'renewed' and v_new < previous_arr then
    raise exception 'A renewal at less than the current ARR (%) is a downgrade', previous_arr using errcode = '22023',
      hint = 'Record it as downgraded with the new ARR.';
  elsif outcome = 'downgraded' and v_new is null then
    raise exception 'new_arr is required for a downgrade' using errcode = '22023';
  elsif outcome = 'downgraded' and v_new = 0 then
    raise exception 'A downgrade to 0 is a churn' using errcode = '22023', hint = 'Record it as churned.';
  elsif outcome = 'downgraded' and v_new >= previous_arr then
    raise exception 'A downgrade needs a new ARR below the current ARR (%)', previous_arr using errcode = '22023',
      hint = 'Record it as renewed when the ARR stays the same or grows.';
  elsif outcome = 'churned' and v_new <> 0 then
    raise exception 'A churned customer''s new ARR is 0' using errcode = '22023',
      hint = 'Leave new_arr out, or record a downgrade when some ARR stays.';
  end if;
  return v_new;
end;
$$;
revoke execute on function app.renewal_outcome_new_arr(text, numeric, numeric) from public, anon, authenticated;

-- What the forecast said when the renewal closes (forecast accuracy): the person's
-- category and ARR, else the derived category and the current ARR.
create or replace function app.forecast_at_close(
  c app.customers, previous_arr numeric, out category text, out forecast_arr numeric)
language sql
stable
set search_path = ''
as $$
  select coalesce(f.category, app.derive_forecast_category(c.health_score, c.risk_score)),
         coalesce(f.forecast_arr, forecast_at_close.previous_arr)
    from (select 1) one
    left join app.renewal_forecasts f
      on f.customer_id = c.id and f.org_id = c.org_id and f.renewal_date = c.renewal_date
$$;
revoke execute on function app.forecast_at_close(app.customers, numeric) from public, anon, authenticated;

-- The customer after the outcome: its new ARR (in ARR history when it changed) and its
-- next renewal date (none after a churn).
create or replace function app.move_customer_past_renewal(
  c app.customers, outcome text, new_arr numeric, recorded_at timestamptz)
returns date
language plpgsql
set search_path = ''
as $$
declare
  v_next date := case when outcome = 'churned' then null else (c.renewal_date + interval '12 months')::date end;
begin
  if new_arr is distinct from coalesce(c.arr, 0) then
    insert into app.arr_history (org_id, customer_id, arr, recorded_at, source, reason)
    values (c.org_id, c.id, move_customer_past_renewal.new_arr, move_customer_past_renewal.recorded_at, 'renewal_outcome',
            case move_customer_past_renewal.outcome
              when 'renewed' then 'Renewed with an uplift'
              when 'downgraded' then 'Downgraded at renewal'
              else 'Churned at renewal' end);
  end if;
  update app.customers x set arr = move_customer_past_renewal.new_arr, renewal_date = v_next where x.id = c.id;
  return v_next;
end;
$$;
revoke execute on function app.move_customer_past_renewal(app.customers, text, numeric, timestamptz) from public, anon, authenticated;

-- Completes every open renewal execution of the customer (normally just the one closed)
-- with the outcome; returns their ids.
create or replace function app.complete_open_renewals(
  c app.customers, outcome text, previous_arr numeric, new_arr numeric, outcome_id uuid)
returns uuid[]
language plpgsql
set search_path = ''
as $$
declare
  v_closed uuid[];
begin
  select array_agg(x.id) into v_closed
    from app.workflow_executions x
   where x.org_id = c.org_id and x.customer_id = c.id
     and x.status in ('queued', 'in_progress', 'snoozed', 'escalated') and x.renewal_stage is not null;
  perform app.complete_execution(x.id,
            coalesce(x.outcome, '{}'::jsonb) || jsonb_build_object('renewal_outcome', complete_open_renewals.outcome,
              'previous_arr', complete_open_renewals.previous_arr, 'new_arr', complete_open_renewals.new_arr,
              'outcome_id', complete_open_renewals.outcome_id),
            'renewal_outcome')
     from app.workflow_executions x
    where x.id = any(v_closed);
  return v_closed;
end;
$$;
revoke execute on function app.complete_open_renewals(app.customers, text, numeric, numeric, uuid) from public, anon, authenticated;

-- Security definer: closing a renewal changes the customer's ARR, renewal date and ARR
-- history, which a csm may not write directly; the checks below (and the caller's in
-- public.record_renewal_outcome) decide who may.
create or replace function app.apply_renewal_outcome(execution_id uuid, outcome text, new_arr numeric)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  e app.workflow_executions := app.lock_open_renewal_execution(apply_renewal_outcome.execution_id);
  c app.customers := app.lock_customer_awaiting_outcome(e.customer_id);
  v_previous numeric := coalesce(c.arr, 0);
  v_new numeric := app.renewal_outcome_new_arr(apply_renewal_outcome.outcome, apply_renewal_outcome.new_arr, v_previous);
  v_recorded_at timestamptz := now();
  f record;
  v_outcome_id uuid;
  v_next date;
  v_closed uuid[];
begin
  select * into f from app.forecast_at_close(c, v_previous);
  insert into app.renewal_outcomes (org_id, customer_id, execution_id, renewal_date, outcome, previous_arr, new_arr,
                                    forecast_category, forecast_arr, assigned_to, recorded_by, recorded_at)
  values (c.org_id, c.id, e.id, c.renewal_date, apply_renewal_outcome.outcome, v_previous, v_new,
          f.category, f.forecast_arr, e.assigned_to, (select auth.uid()), v_recorded_at)
  returning id into v_outcome_id;
  v_next := app.move_customer_past_renewal(c, apply_renewal_outcome.outcome, v_new, v_recorded_at);
  v_closed := app.complete_open_renewals(c, apply_renewal_outcome.outcome, v_previous, v_new, v_outcome_id);

  return jsonb_build_object(
    'outcome_id', v_outcome_id,
    'execution_id', e.id,
    'customer_id', c.id,
    'outcome', apply_renewal_outcome.outcome,
    'renewal_date', c.renewal_date,
    'previous_arr', v_previous,
    'new_arr', v_new,
    'next_renewal_date', v_next,
    'forecast_category', f.category,
    'forecast_arr', f.forecast_arr,
    'closed_execution_ids', coalesce(to_jsonb(v_closed), '[]'::jsonb),
    'recorded_at', v_recorded_at
  );
end;
$$;
comment on function app.apply_renewal_outcome(uuid, text, numeric) is
  'Closes a renewal with its outcome: the outcome row, the customer''s ARR and renewal date, ARR history, the executions.';
grant execute on function app.apply_renewal_outcome(uuid, text, numeric) to authenticated, service_role;

create or replace function public.record_renewal_outcome(execution_id uuid, outcome text, new_arr numeric default null)
returns jsonb
language plpgsql
set search_path = ''
as $$
begin
  if record_renewal_outcome.outcome is null
     or record_renewal_outcome.outcome not in ('renewed', 'downgraded', 'churned') then
    raise exception 'outcome must be renewed, downgraded or churned' using errcode = '22023';
  end if;
  if record_renewal_outcome.new_arr < 0 or record_renewal_outcome.new_arr >= 1e12 then
    raise exception 'new_arr must be between 0 and 999 999 999 999.99' using errcode = '22023';
  end if;
  -- Visibility and rights as the caller sees them (PT404 / 42501), then the change.
  perform app.require_workable_execution(record_renewal_outcome.execution_id, 'record the outcome of');
  return app.apply_renewal_outcome(record_renewal_outcome.execution_id, record_renewal_outcome.outcome,
                                   record_renewal_outcome.new_arr);
end;
$$;
comment on function public.record_renewal_outcome(uuid, text, numeric) is
  'Closes an open renewal as renewed, downgraded or churned: sets the customer''s ARR (and ARR history) and next renewal date.';
revoke execute on function public.record_renewal_outcome(uuid, text, numeric) from public, anon;
grant execute on function public.record_renewal_outcome(uuid, text, numeric) to authenticated;

-- Renewal forecast: totals kept as the renewals change, so a whole-organisation quarter is
-- read from ~3 months x 7 categories rows instead of joining every renewal of the quarter
-- (174 ms at 100 000 customers; docs/forecast-and-retention.md "How the figures are kept").
--
--   app.forecast_open_renewals   one row per customer with an open renewal: what the
--                                forecast counts for it (category, ARR, assignee, month).
--                                Rewritten for exactly the customers a statement touched.
--   app.forecast_month_totals    (organisation, month, category): count, current ARR,
--                                forecast ARR — open categories and closed outcomes.
--   app.forecast_book_totals     the same per assignee (a CSM's book).
--
--   customers / workflow_executions / renewal_forecasts change
--        └─ statement trigger: the touched customers ─> app.forecast_refresh_customers
--              └─ forecast_open_renewals rows inserted / updated / deleted
--                    └─ statement trigger: + new rows − old rows ─> both totals tables
--   renewal_outcomes change ─ statement trigger: + new − old ─> both totals tables
--
-- Every totals change is a delta of rows that are themselves kept, so cascades (a customer
-- or an execution deleted) and bulk statements (the orchestrator opening 100 000
-- renewals) stay exact: the per-customer row is the memory of what was counted.
-- Triggers are statement-level with transition tables (one set-based pass per statement)
-- and do nothing for executions that are not, and were not, open renewals.

---------------------------------------------------------------------------------------
-- Tables
---------------------------------------------------------------------------------------

create table app.forecast_open_renewals (
  org_id uuid not null references app.organisations (id) on delete cascade,
  customer_id uuid not null,
  renewal_date date not null,
  name text not null,
  execution_id uuid not null,
  assigned_to uuid,
  category text not null,
  category_source text not null,
  current_arr numeric(14, 2) not null,
  forecast_arr numeric(14, 2) not null,
  constraint forecast_open_renewals_pkey primary key (customer_id, org_id),
  constraint forecast_open_renewals_category_is_known check (category in ('commit', 'probable', 'at_risk', 'churn_expected')),
  constraint forecast_open_renewals_source_is_known check (category_source in ('derived', 'person')),
  constraint forecast_open_renewals_customer_is_in_organisation foreign key (customer_id, org_id)
    references app.customers (id, org_id) on delete cascade
);
-- The items behind a number, in the page's order, for the organisation and for one book.
create index forecast_open_renewals_org_id_date_idx
  on app.forecast_open_renewals (org_id, renewal_date, name, customer_id);
create index forecast_open_renewals_assignee_date_idx
  on app.forecast_open_renewals (org_id, assigned_to, renewal_date, name, customer_id);
comment on table app.forecast_open_renewals is
  'What the forecast counts for each customer with an open renewal (kept by triggers; read by get_renewal_forecast).';

create table app.forecast_month_totals (
  org_id uuid not null references app.organisations (id) on delete cascade,
  month date not null,
  category text not null,
  renewals integer not null,
  current_arr numeric(16, 2) not null,
  forecast_arr numeric(16, 2) not null,
  constraint forecast_month_totals_pkey primary key (org_id, month, category),
  constraint forecast_month_totals_category_is_known check (category in
    ('commit', 'probable', 'at_risk', 'churn_expected', 'renewed', 'downgraded', 'churned'))
);
comment on table app.forecast_month_totals is
  'Renewals per organisation, renewal month and forecast category / outcome: count, current ARR, forecast ARR (kept by triggers).';

create table app.forecast_book_totals (
  org_id uuid not null references app.organisations (id) on delete cascade,
  month date not null,
  category text not null,
  assigned_to uuid,
  renewals integer not null,
  current_arr numeric(16, 2) not null,
  forecast_arr numeric(16, 2) not null,
  constraint forecast_book_totals_key unique nulls not distinct (org_id, assigned_to, month, category),
  constraint forecast_book_totals_category_is_known check (category in
    ('commit', 'probable', 'at_risk', 'churn_expected', 'renewed', 'downgraded', 'churned'))
);
comment on table app.forecast_book_totals is
  'forecast_month_totals per assignee (null = unassigned), for one CSM''s forecast (kept by triggers).';

alter table app.forecast_open_renewals enable row level security;
alter table app.forecast_month_totals enable row level security;
alter table app.forecast_book_totals enable row level security;
select app.create_org_policies('app.forecast_open_renewals', 'open renewals', readers => 'members');
select app.create_org_policies('app.forecast_month_totals', 'forecast totals', readers => 'members');
select app.create_org_policies('app.forecast_book_totals', 'forecast totals per book', readers => 'members');
-- Written only by the triggers below (security definer); members read.
revoke all on app.forecast_open_renewals, app.forecast_month_totals, app.forecast_book_totals from anon, authenticated;
grant select on app.forecast_open_renewals, app.forecast_month_totals, app.forecast_book_totals to authenticated;
grant select, insert, update, delete on app.forecast_open_renewals, app.forecast_month_totals, app.forecast_book_totals
  to service_role;

---------------------------------------------------------------------------------------
-- Totals: add deltas
---------------------------------------------------------------------------------------

create type app.forecast_delta as (
  org_id uuid, month date, category text, assigned_to uuid, renewals integer, current_arr numeric, forecast_arr numeric);

-- Adds signed deltas to both totals tables, in key order (no check on the sign: an insert's
-- check runs before ON CONFLICT finds the row a negative delta is meant for) (two writers touching the same
-- keys lock them in the same order). An organisation being deleted is skipped.
create or replace function app.forecast_add(deltas app.forecast_delta[])
returns void
language plpgsql
security definer
set search_path = ''
as $$
begin
  if deltas is null or cardinality(deltas) = 0 then
    return;
  end if;
  insert into app.forecast_month_totals as t (org_id, month, category, renewals, current_arr, forecast_arr)
  select d.org_id, d.month, d.category, sum(d.renewals), sum(d.current_arr), sum(d.forecast_arr)
    from unnest(forecast_add.deltas) d
   where exists (select 1 from app.organisations g where g.id = d.org_id)
   group by d.org_id, d.month, d.category
  having sum(d.renewals) <> 0 or sum(d.current_arr) <> 0 or sum(d.forecast_arr) <> 0
   order by d.org_id, d.month, d.category
  on conflict on constraint forecast_month_totals_pkey do update
     set renewals = t.renewals + excluded.renewals, current_arr = t.current_arr + excluded.current_arr,
         forecast_arr = t.forecast_arr + excluded.forecast_arr;
  insert into app.forecast_book_totals as t (org_id, month, category, assigned_to, renewals, current_arr, forecast_arr)
  select d.org_id, d.month, d.category, d.assigned_to, sum(d.renewals), sum(d.current_arr), sum(d.forecast_arr)
    from unnest(forecast_add.deltas) d
   where exists (select 1 from app.organisations g where g.id = d.org_id)
   group by d.org_id, d.assigned_to, d.month, d.category
  having sum(d.renewals) <> 0 or sum(d.current_arr) <> 0 or sum(d.forecast_arr) <> 0
   order by d.org_id, d.assigned_to, d.month, d.category
  on conflict on constraint forecast_book_totals_key do update
     set renewals = t.renewals + excluded.renewals, current_arr = t.current_arr + excluded.current_arr,
         forecast_arr = t.forecast_arr + excluded.forecast_arr;
end;
$$;
revoke execute on function app.forecast_add(app.forecast_delta[]) from public, anon, authenticated;

-- The kept counts of the two tables the forecast sums — open renewals under their category
-- (current and forecast ARR), closed ones under their outcome (ARR before and after) —
-- have one shape, written once here and made for each table with its columns by format():
-- a statement trigger whose rows added count +1 and rows removed -1 (an update does both),
-- in one forecast_add per statement, so an update's deltas net out before anything is
-- written. The functions made are static plpgsql (their plans cached), as if typed out.
do $build$
declare
  t record;
begin
  for t in select * from (values
      ('forecast_open_renewals', 'forecast_open_renewals_count', 'category', 'current_arr', 'forecast_arr'),
      ('renewal_outcomes', 'renewal_outcomes_count', 'outcome', 'previous_arr', 'new_arr')
    ) v(tbl, fn, category, current_arr, forecast_arr)
  loop
    execute format($f$
create or replace function app.%1$I()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  d app.forecast_delta[];
begin
  if tg_op <> 'DELETE' then
    d := array(select row(n.org_id, date_trunc('month', n.renewal_date)::date, n.%2$I, n.assigned_to, 1, n.%3$I, n.%4$I)::app.forecast_delta
                 from new_rows n);
  end if;
  if tg_op <> 'INSERT' then
    d := d || array(select row(o.org_id, date_trunc('month', o.renewal_date)::date, o.%2$I, o.assigned_to, -1, -o.%3$I, -o.%4$I)::app.forecast_delta
                      from old_rows o);
  end if;
  perform app.forecast_add(d);
  return null;
end;
$$$f$, t.fn, t.category, t.current_arr, t.forecast_arr);
    perform app.create_statement_triggers(format('app.%I', t.tbl)::regclass, t.fn, format('app.%I', t.fn)::regproc);
  end loop;
end;
$build$;

---------------------------------------------------------------------------------------
-- The open renewal of a customer, recomputed for the customers a statement touched
---------------------------------------------------------------------------------------

-- What the forecast counts for each given customer, from the base tables: its newest open
-- renewal execution (assignee), its renewal date and month, the category a person set for
-- that renewal date, else the derived one (app.derive_forecast_category inlined; a pgTAP
-- test pins that they agree), and the ARRs.
create or replace function app.forecast_wanted_rows(customer_ids uuid[])
returns setof app.forecast_open_renewals
language sql
stable
set search_path = ''
as $$
  select c.org_id, c.id, c.renewal_date, c.name, r.id, r.assigned_to,
         coalesce(f.category, case when c.health_score < 50 or c.risk_score >= 60 then 'at_risk' else 'probable' end),
         case when f.category is null then 'derived' else 'person' end,
         coalesce(c.arr, 0), coalesce(f.forecast_arr, c.arr, 0)
    from (select distinct x.id from unnest(forecast_wanted_rows.customer_ids) as x(id)) ids
    join app.customers c on c.id = ids.id
    join lateral (
      select e.id, e.assigned_to
        from app.workflow_executions e
       where e.org_id = c.org_id and e.customer_id = c.id
         and e.status in ('queued', 'in_progress', 'snoozed', 'escalated') and e.renewal_stage is not null
       order by e.created_at desc, e.id desc
       limit 1) r on true
    left join app.renewal_forecasts f
      on f.customer_id = c.id and f.org_id = c.org_id and f.renewal_date = c.renewal_date
   where c.renewal_date is not null
$$;
revoke execute on function app.forecast_wanted_rows(uuid[]) from public, anon, authenticated;

-- Brings forecast_open_renewals in line for the given customers (rows that did not change
-- are left alone, so their totals are not touched).
create or replace function app.forecast_refresh_customers(customer_ids uuid[])
returns void
language plpgsql
security definer
set search_path = ''
as $$
begin
  if customer_ids is null or cardinality(customer_ids) = 0 then
    return;
  end if;
  with ids as materialized (
    select distinct x.id from unnest(forecast_refresh_customers.customer_ids) as x(id)
  ), wanted as materialized (
    select * from app.forecast_wanted_rows(forecast_refresh_customers.customer_ids)
  ), gone as (
    delete from app.forecast_open_renewals k
     using ids
     where k.customer_id = ids.id
       and not exists (select 1 from wanted w where w.customer_id = k.customer_id and w.org_id = k.org_id)
  )
  insert into app.forecast_open_renewals as k
  select w.* from wanted w order by w.customer_id
  on conflict on constraint forecast_open_renewals_pkey do update
     set renewal_date = excluded.renewal_date, name = excluded.name, execution_id = excluded.execution_id,
         assigned_to = excluded.assigned_to, category = excluded.category, category_source = excluded.category_source,
         current_arr = excluded.current_arr, forecast_arr = excluded.forecast_arr
   where (k.renewal_date, k.name, k.execution_id, k.assigned_to, k.category, k.category_source, k.current_arr, k.forecast_arr)
         is distinct from (excluded.renewal_date, excluded.name, excluded.execution_id, excluded.assigned_to,
                           excluded.category, excluded.category_source, excluded.current_arr, excluded.forecast_arr);
end;
$$;
revoke execute on function app.forecast_refresh_customers(uuid[]) from public, anon, authenticated;

-- Customers: a change of what the forecast shows (name, ARR, scores, renewal date).
create or replace function app.customers_refresh_forecast()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  -- A set difference, not a join of the transition tables: linear whatever the plan.
  perform app.forecast_refresh_customers(array(
    select x.id
      from (select n.id, n.name, n.arr, n.health_score, n.risk_score, n.renewal_date, n.org_id from new_rows n
            except
            select o.id, o.name, o.arr, o.health_score, o.risk_score, o.renewal_date, o.org_id from old_rows o) x));
  return null;
end;
$$;
select app.create_statement_triggers('app.customers', 'customers_refresh_forecast', 'app.customers_refresh_forecast', '{update}');

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
  if app.orchestrator_forecast_deferred() then
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
select app.create_statement_triggers('app.workflow_executions', 'workflow_executions_refresh_forecast', 'app.executions_refresh_forecast');

-- A person's category or forecast ARR.
create or replace function app.renewal_forecasts_refresh_forecast()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op = 'INSERT' then
    perform app.forecast_refresh_customers(array(select n.customer_id from new_rows n));
  elsif tg_op = 'UPDATE' then
    perform app.forecast_refresh_customers(array(select n.customer_id from new_rows n union select o.customer_id from old_rows o));
  else
    perform app.forecast_refresh_customers(array(select o.customer_id from old_rows o));
  end if;
  return null;
end;
$$;
select app.create_statement_triggers('app.renewal_forecasts', 'renewal_forecasts_refresh_forecast', 'app.renewal_forecasts_refresh_forecast');

-- A fresh count from the base tables, for tests (pgTAP compares it with the kept totals).
create or replace function app.forecast_totals_recomputed(org_id uuid)
returns table (month date, category text, assigned_to uuid, renewals integer, current_arr numeric, forecast_arr numeric)
language sql
stable
set search_path = ''
as $$
  select date_trunc('month', w.renewal_date)::date, w.category, w.assigned_to, count(*)::integer,
         sum(w.current_arr), sum(w.forecast_arr)
    from app.forecast_wanted_rows(array(select c.id from app.customers c where c.org_id = forecast_totals_recomputed.org_id)) w
   group by 1, 2, 3
  union all
  select date_trunc('month', o.renewal_date)::date, o.outcome, o.assigned_to, count(*)::integer, sum(o.previous_arr), sum(o.new_arr)
    from app.renewal_outcomes o
   where o.org_id = forecast_totals_recomputed.org_id
   group by 1, 2, 3
$$;
revoke execute on function app.forecast_totals_recomputed(uuid) from public, anon, authenticated;


---------------------------------------------------------------------------------------
-- get_renewal_forecast
---------------------------------------------------------------------------------------


---------------------------------------------------------------------------------------
-- app.renewal_forecast_of_my_org: guard; then the figures (what is counted, by category
-- and month) and the items (one page of renewals, open and closed), each from its own
-- function. The two halves never shared a row: the figures read the kept totals, the
-- items an index in the page's order. All run as the definer (the caller of
-- get_renewal_forecast reads only its own organisation: app.current_org_id(), checked
-- first), so the helpers are executable by nobody else.
---------------------------------------------------------------------------------------

-- What the forecast counts in [period_start, period_end), by month and category: the kept
-- totals of its whole months [full_start, full_end) (of the organisation, or of one
-- assignee's book), and the renewals of the days before and after them one by one.
create or replace function app.forecast_counted(
  org_id uuid, assignee_id uuid, period_start date, period_end date, full_start date, full_end date)
returns table (month date, category text, renewals bigint, current_arr numeric, forecast_arr numeric)
language plpgsql
stable
set search_path = ''
as $$
#variable_conflict use_column
declare
  v_org uuid := forecast_counted.org_id;
  v_who uuid := forecast_counted.assignee_id;
  v_start date := forecast_counted.period_start;
  v_end date := forecast_counted.period_end;
  v_full_start date := forecast_counted.full_start;
  v_full_end date := forecast_counted.full_end;
begin
  return query
    -- Whole months, kept (one of the two branches runs: a one-time filter on v_who).
    select t.month, t.category, t.renewals::bigint as renewals, t.current_arr, t.forecast_arr
      from app.forecast_month_totals t
     where v_who is null and t.org_id = v_org and t.month >= v_full_start and t.month < v_full_end
    union all
    select t.month, t.category, t.renewals, t.current_arr, t.forecast_arr
      from app.forecast_book_totals t
     where v_who is not null and t.org_id = v_org and t.assigned_to = v_who
       and t.month >= v_full_start and t.month < v_full_end
    union all
    -- The days before the first and after the last whole month.
    select date_trunc('month', k.renewal_date)::date, k.category, 1, k.current_arr, k.forecast_arr
      from app.forecast_open_renewals k
     where k.org_id = v_org
       and ((k.renewal_date >= v_start and k.renewal_date < v_full_start)
            or (k.renewal_date >= v_full_end and k.renewal_date < v_end))
       and (v_who is null or k.assigned_to = v_who)
    union all
    select date_trunc('month', o.renewal_date)::date, o.outcome, 1, o.previous_arr, o.new_arr
      from app.renewal_outcomes o
     where o.org_id = v_org
       and ((o.renewal_date >= v_start and o.renewal_date < v_full_start)
            or (o.renewal_date >= v_full_end and o.renewal_date < v_end))
       and (v_who is null or o.assigned_to = v_who);
end;
$$;
revoke execute on function app.forecast_counted(uuid, uuid, date, date, date, date) from public, anon, authenticated;

-- The forecast's figures for a period: totals (all, open, closed), by category, by month
-- (each by category), and how many renewals the items are taken from (category and month
-- narrow it).
create or replace function app.forecast_figures(
  org_id uuid, assignee_id uuid, period_start date, period_end date, category text, month date)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
#variable_conflict use_column
declare
  v_start date := forecast_figures.period_start;
  v_end date := forecast_figures.period_end;
  v_category text := forecast_figures.category;
  v_month date := forecast_figures.month;
  v_full_start date := (date_trunc('month', v_start - 1) + interval '1 month')::date;  -- [v_full_start, v_full_end):
  v_full_end date := date_trunc('month', v_end)::date;                                -- the whole months of the period
  v_result jsonb;
begin
  if v_full_end <= v_full_start then
    v_full_start := v_end;  -- no whole month: every day is counted from the renewals
    v_full_end := v_end;
  end if;
  with counted as materialized (
    select * from app.forecast_counted(forecast_figures.org_id, forecast_figures.assignee_id, v_start, v_end, v_full_start, v_full_end)
  ), categories(category, state, ord) as (
    values ('commit', 'open', 1), ('probable', 'open', 2), ('at_risk', 'open', 3), ('churn_expected', 'open', 4),
           ('renewed', 'closed', 5), ('downgraded', 'closed', 6), ('churned', 'closed', 7)
  ), totals as (
    select k.category, k.state, k.ord, coalesce(sum(a.renewals), 0)::integer as count,
           coalesce(sum(a.current_arr), 0) as current_arr, coalesce(sum(a.forecast_arr), 0) as forecast_arr
      from categories k left join counted a on a.category = k.category
     group by k.category, k.state, k.ord
  ), months as (
    select m::date as month
      from generate_series(date_trunc('month', v_start), v_end - 1, interval '1 month') m
  ), month_totals as (
    select m.month, k.category, coalesce(sum(a.renewals), 0)::integer as count,
           coalesce(sum(a.current_arr), 0) as current_arr, coalesce(sum(a.forecast_arr), 0) as forecast_arr
      from months m cross join categories k
      left join counted a on a.category = k.category and a.month = m.month
     group by m.month, k.category
  )
  select jsonb_build_object(
    'totals', jsonb_build_object(
      'count', (select coalesce(sum(t.count), 0) from totals t),
      'current_arr', (select coalesce(sum(t.current_arr), 0) from totals t),
      'forecast_arr', (select coalesce(sum(t.forecast_arr), 0) from totals t),
      'open', (select jsonb_build_object('count', coalesce(sum(t.count), 0), 'current_arr', coalesce(sum(t.current_arr), 0),
                                         'forecast_arr', coalesce(sum(t.forecast_arr), 0))
                 from totals t where t.state = 'open'),
      'closed', (select jsonb_build_object('count', coalesce(sum(t.count), 0), 'current_arr', coalesce(sum(t.current_arr), 0),
                                           'forecast_arr', coalesce(sum(t.forecast_arr), 0))
                   from totals t where t.state = 'closed')),
    'by_category', (select jsonb_agg(jsonb_build_object('category', t.category, 'state', t.state, 'count', t.count,
                                                        'current_arr', t.current_arr, 'forecast_arr', t.forecast_arr)
                                     order by t.ord) from totals t),
    'by_month', (select jsonb_agg(jsonb_build_object(
                   'month', mt.month,
                   'count', mt.count, 'current_arr', mt.current_arr, 'forecast_arr', mt.forecast_arr,
                   'by_category', mt.by_category) order by mt.month)
                   from (select x.month, sum(x.count)::integer as count, sum(x.current_arr) as current_arr,
                                sum(x.forecast_arr) as forecast_arr,
                                jsonb_object_agg(x.category, jsonb_build_object('count', x.count,
                                  'current_arr', x.current_arr, 'forecast_arr', x.forecast_arr)) as by_category
                           from month_totals x group by x.month) mt),
    'items_total', (select coalesce(sum(a.renewals), 0)::integer from counted a
                     where (v_category is null or a.category = v_category)
                       and (v_month is null or a.month = v_month))
  ) into v_result;
  return v_result;
end;
$$;
revoke execute on function app.forecast_figures(uuid, uuid, date, date, text, date) from public, anon, authenticated;

-- One page of the period's renewals in the page's order (renewal date, name, customer id),
-- after the keys of the previous page: the open ones (from an index in that order) under
-- their forecast category, the closed ones under their outcome.
create or replace function app.forecast_page_rows(
  org_id uuid, assignee_id uuid, items_start date, items_end date, of_category text,
  after_date date, after_name text, after_id uuid, max_items integer)
returns table (state text, category text, renewal_date date, current_arr numeric, forecast_arr numeric,
               customer_id uuid, name text, execution_id uuid, assigned_to uuid, decision_date date,
               category_source text, note text, set_by uuid, set_at timestamptz, health_score integer,
               risk_score integer, account_plan text, forecast_category text, forecast_arr_at_close numeric)
language plpgsql
stable
set search_path = ''
as $$
#variable_conflict use_column
declare
  v_org uuid := forecast_page_rows.org_id;
  v_who uuid := forecast_page_rows.assignee_id;
  v_items_start date := forecast_page_rows.items_start;
  v_items_end date := forecast_page_rows.items_end;
  v_category text := forecast_page_rows.of_category;
  v_after_date date := forecast_page_rows.after_date;
  v_after_name text := forecast_page_rows.after_name;
  v_after_id uuid := forecast_page_rows.after_id;
  v_max integer := forecast_page_rows.max_items;
begin
  return query
  with open_page as (
    -- The first items in the page's order, from an index that has that order.
    (select k.*
       from app.forecast_open_renewals k
      where v_who is null and k.org_id = v_org and k.renewal_date >= v_items_start and k.renewal_date < v_items_end
        and (v_category is null or k.category = v_category)
        and (v_after_date is null or (k.renewal_date, k.name, k.customer_id) > (v_after_date, v_after_name, v_after_id))
      order by k.renewal_date, k.name, k.customer_id
      limit v_max)
    union all
    (select k.*
       from app.forecast_open_renewals k
      where v_who is not null and k.org_id = v_org and k.assigned_to = v_who
        and k.renewal_date >= v_items_start and k.renewal_date < v_items_end
        and (v_category is null or k.category = v_category)
        and (v_after_date is null or (k.renewal_date, k.name, k.customer_id) > (v_after_date, v_after_name, v_after_id))
      order by k.renewal_date, k.name, k.customer_id
      limit v_max)
  ), closed_page as (
    select o.id, o.renewal_date, c.name, o.customer_id
      from app.renewal_outcomes o
      join app.customers c on c.id = o.customer_id
     where o.org_id = v_org and o.renewal_date >= v_items_start and o.renewal_date < v_items_end
       and (v_who is null or o.assigned_to = v_who)
       and (v_category is null or o.outcome = v_category)
       and (v_after_date is null or (o.renewal_date, c.name, o.customer_id) > (v_after_date, v_after_name, v_after_id))
     order by o.renewal_date, c.name, o.customer_id
     limit v_max
  ), page as (
    select p.* from (
      select 'open' as state, k.category, k.renewal_date, k.current_arr, k.forecast_arr, k.customer_id, k.name,
             k.execution_id, k.assigned_to, c.decision_date, k.category_source, f.note, f.set_by, f.set_at,
             c.health_score, c.risk_score, c.account_plan, null::text as forecast_category, null::numeric as forecast_arr_at_close
        from open_page k
        join app.customers c on c.id = k.customer_id
        left join app.renewal_forecasts f
          on f.customer_id = k.customer_id and f.org_id = k.org_id and f.renewal_date = k.renewal_date
      union all
      select 'closed', o.outcome, o.renewal_date, o.previous_arr, o.new_arr, o.customer_id, cp.name,
             o.execution_id, o.assigned_to, null::date, 'outcome', null::text, o.recorded_by, o.recorded_at,
             null::integer, null::integer, null::text, o.forecast_category, o.forecast_arr
        from closed_page cp
        join app.renewal_outcomes o on o.id = cp.id) p
     order by p.renewal_date, p.name, p.customer_id
     limit v_max
  )
  select * from page;
end;
$$;
revoke execute on function app.forecast_page_rows(uuid, uuid, date, date, text, date, text, uuid, integer)
  from public, anon, authenticated;

-- The page's items as the answer lists them (an open renewal with its customer's scores and
-- the person's forecast; a closed one with its outcome), and where the next page starts
-- (null on the last page).
create or replace function app.forecast_items(
  org_id uuid, assignee_id uuid, items_start date, items_end date, category text,
  after_date date, after_name text, after_id uuid, max_items integer)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
#variable_conflict use_column
declare
  v_max integer := forecast_items.max_items;
  v_result jsonb;
begin
  with page as materialized (
    select * from app.forecast_page_rows(forecast_items.org_id, forecast_items.assignee_id, forecast_items.items_start,
                                         forecast_items.items_end, forecast_items.category, forecast_items.after_date,
                                         forecast_items.after_name, forecast_items.after_id, v_max)
  )
  select jsonb_build_object(
    'next_after', (select case when count(*) = v_max and v_max > 0 then
                              (array_agg(jsonb_build_object('renewal_date', p.renewal_date, 'name', p.name, 'customer_id', p.customer_id)
                                         order by p.renewal_date desc, p.name desc, p.customer_id desc))[1] end
                     from page p),
    'items', coalesce((
      select jsonb_agg(jsonb_build_object(
               'state', p.state,
               'execution_id', p.execution_id,
               'customer', case when p.state = 'open'
                             then jsonb_build_object('id', p.customer_id, 'name', p.name, 'health_score', p.health_score,
                                                     'risk_score', p.risk_score, 'account_plan', p.account_plan)
                             else jsonb_build_object('id', p.customer_id, 'name', p.name) end,
               'renewal_date', p.renewal_date,
               'decision_date', p.decision_date,
               'assignee_id', p.assigned_to,
               'category', p.category,
               'category_source', p.category_source,
               'current_arr', p.current_arr,
               'forecast_arr', p.forecast_arr,
               'note', p.note,
               'set_by', p.set_by,
               'set_at', p.set_at,
               'outcome', case when p.state = 'closed' then jsonb_build_object(
                            'outcome', p.category, 'previous_arr', p.current_arr, 'new_arr', p.forecast_arr,
                            'recorded_by', p.set_by, 'recorded_at', p.set_at,
                            'forecast_category', p.forecast_category, 'forecast_arr', p.forecast_arr_at_close) end)
             order by p.renewal_date, p.name, p.customer_id)
        from page p), '[]'::jsonb)
  ) into v_result;
  return v_result;
end;
$$;
revoke execute on function app.forecast_items(uuid, uuid, date, date, text, date, text, uuid, integer)
  from public, anon, authenticated;

-- The cursor of a forecast page (the `next_after` of the previous answer): the renewal
-- date, name and customer id of its last item; 22023 when it is not one.
create or replace function app.forecast_after_keys(after jsonb, out renewal_date date, out name text, out customer_id uuid)
language plpgsql
immutable
set search_path = ''
as $$
begin
  if after is null then
    return;
  end if;
  begin
    renewal_date := (after ->> 'renewal_date')::date;
    name := after ->> 'name';
    customer_id := (after ->> 'customer_id')::uuid;
  exception when others then
    renewal_date := null;
  end;
  if renewal_date is null or name is null or customer_id is null then
    raise exception 'after must be the next_after of a previous answer' using errcode = '22023',
      hint = 'Pass {"renewal_date", "name", "customer_id"} of the last item you have.';
  end if;
end;
$$;
revoke execute on function app.forecast_after_keys(jsonb) from public, anon, authenticated;

-- Renewals whose renewal date falls in [period_start, period_end): the open ones (with an
-- open renewal execution) under their forecast category, the closed ones under their
-- outcome. Totals per category and per month cover every renewal of the period
-- (app.forecast_figures, from the kept totals); `items` lists at most max_items of them
-- (optionally of one category and/or month) in renewal date order, continuing after
-- `after` (app.forecast_items).
--
-- The figures read the kept totals (above): whole months of the period from
-- app.forecast_month_totals (or app.forecast_book_totals for one assignee), the days of a
-- month the period only partly covers from the kept renewals; the items are the first
-- max_items of an index in the page's order (renewal date, name) — so a whole-organisation
-- quarter never joins every renewal of the quarter.
--
-- Security definer: every read is filtered on the caller's own organisation
-- (app.current_org_id(), checked first), which members may read anyway; under RLS each
-- table's policy evaluated app.current_org_id() again (up to 8 ms each on a busy machine).
-- It takes no organisation argument, so it can only ever read the caller's. The API
-- function stays security invoker, like every function in public (definer rights live
-- only in app).
create or replace function app.renewal_forecast_of_my_org(
  period_start date,
  period_end date,
  assignee_id uuid default null,
  category text default null,
  max_items integer default 200,
  month date default null,
  after jsonb default null
)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_org uuid := app.current_org_id();
  v_start date := renewal_forecast_of_my_org.period_start;
  v_end date := renewal_forecast_of_my_org.period_end;
  v_who uuid := renewal_forecast_of_my_org.assignee_id;
  v_category text := renewal_forecast_of_my_org.category;
  v_max integer := renewal_forecast_of_my_org.max_items;
  v_month date := date_trunc('month', renewal_forecast_of_my_org.month)::date;
  a record;  -- the cursor's keys: renewal_date, name, customer_id
begin
  if v_org is null then
    raise exception 'Only members of an organisation can read its forecast' using errcode = '42501';
  end if;
  if v_start is null or v_end is null or v_end <= v_start then
    raise exception 'period_start must be before period_end' using errcode = '22023',
      hint = 'The period is [period_start, period_end): a quarter is e.g. 2027-01-01 to 2027-04-01.';
  end if;
  if v_end - v_start > 731 then
    raise exception 'The period is longer than two years' using errcode = '22023';
  end if;
  if v_category is not null and v_category not in
     ('commit', 'probable', 'at_risk', 'churn_expected', 'renewed', 'downgraded', 'churned') then
    raise exception 'category must be a forecast category or an outcome' using errcode = '22023';
  end if;
  if v_max is null or v_max not between 0 and 1000 then
    raise exception 'max_items must be between 0 and 1000' using errcode = '22023';
  end if;
  if v_who is not null and not exists (select 1 from app.profiles p where p.id = v_who and p.org_id = v_org) then
    raise exception 'assignee_id is not a member of your organisation' using errcode = '22023';
  end if;
  a := app.forecast_after_keys(renewal_forecast_of_my_org.after);

  return jsonb_build_object('period_start', v_start, 'period_end', v_end, 'assignee_id', v_who)
      || app.forecast_figures(v_org, v_who, v_start, v_end, v_category, v_month)
      || app.forecast_items(v_org, v_who,
           greatest(v_start, coalesce(v_month, v_start)),                               -- the items' days:
           least(v_end, coalesce((v_month + interval '1 month')::date, v_end)),         -- the period, or its month
           v_category, a.renewal_date, a.name, a.customer_id, v_max);
end;
$$;
revoke execute on function app.renewal_forecast_of_my_org(date, date, uuid, text, integer, date, jsonb) from public, anon;
grant execute on function app.renewal_forecast_of_my_org(date, date, uuid, text, integer, date, jsonb) to authenticated;

create function public.get_renewal_forecast(
  period_start date,
  period_end date,
  assignee_id uuid default null,
  category text default null,
  max_items integer default 200,
  month date default null,
  after jsonb default null
)
returns jsonb
language sql
stable
security invoker
set search_path = ''
as $$
  select app.renewal_forecast_of_my_org(period_start, period_end, assignee_id, category, max_items, month, after);
$$;
comment on function public.get_renewal_forecast(date, date, uuid, text, integer, date, jsonb) is
  'Renewals with a renewal date in [period_start, period_end): totals by forecast category / outcome (count, current ARR, forecast ARR), by month, and the items, a keyset page at a time (read from totals kept by triggers).';
revoke execute on function public.get_renewal_forecast(date, date, uuid, text, integer, date, jsonb) from public, anon;
grant execute on function public.get_renewal_forecast(date, date, uuid, text, integer, date, jsonb) to authenticated;

-- Security definer: the counter moves on behalf of whoever changed ARR history (ingest,
-- a manager, an outcome, a cascade); nobody writes it directly.
create or replace function app.bump_arr_history_version()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op = 'INSERT' then
    insert into app.arr_history_versions as v (org_id)
    select distinct n.org_id from new_rows n
    on conflict (org_id) do update set version = v.version + 1, changed_at = now();
  elsif tg_op = 'UPDATE' then
    insert into app.arr_history_versions as v (org_id)
    select n.org_id from new_rows n union select o.org_id from old_rows o
    on conflict (org_id) do update set version = v.version + 1, changed_at = now();
  else
    -- An organisation being deleted takes its counter with it (the insert finds no parent).
    insert into app.arr_history_versions as v (org_id)
    select distinct o.org_id from old_rows o
     where exists (select 1 from app.organisations g where g.id = o.org_id)
    on conflict (org_id) do update set version = v.version + 1, changed_at = now();
  end if;
  return null;
end;
$$;

---------------------------------------------------------------------------------------
-- The computation
---------------------------------------------------------------------------------------

-- Retention sums for each (starts[i], ends[i]) pair of one organisation, set-based: one
-- pass over its ARR history turns rows into spans [recorded_at, next recorded_at), each
-- span answers "ARR at date d" for the dates it covers, and the pairs join two dates per
-- customer. Pairs without a single customer are left out (the caller fills zeros).
create or replace function app.compute_retention(org_id uuid, starts date[], ends date[], time_zone text)
returns table (period_start date, period_end date, customers integer, starting_arr numeric,
               expansion numeric, contraction numeric, churn numeric)
language sql
stable
set search_path = ''
as $$
  with pairs as materialized (
    select distinct p.s, p.e from unnest(compute_retention.starts, compute_retention.ends) as p(s, e)
  ), boundaries as materialized (
    select b.d, (b.d::timestamp at time zone compute_retention.time_zone) as at
      from (select s as d from pairs union select e from pairs) b
  ), spans as (
    select h.customer_id, h.arr, h.recorded_at,
           lead(h.recorded_at) over (partition by h.customer_id order by h.recorded_at, h.created_at, h.id) as next_at
      from app.arr_history h
     where h.org_id = compute_retention.org_id
       and h.recorded_at < (select max(b.at) from boundaries b)
  ), at_date as materialized (
    select s.customer_id, b.d, s.arr
      from spans s
      join boundaries b on s.recorded_at < b.at and (s.next_at is null or s.next_at >= b.at)
  )
  select p.s, p.e, count(*)::integer,
         sum(a.arr),
         sum(greatest(z.arr - a.arr, 0)),
         sum(case when z.arr > 0 then greatest(a.arr - z.arr, 0) else 0 end),
         sum(case when z.arr = 0 then a.arr else 0 end)
    from pairs p
    join at_date a on a.d = p.s and a.arr > 0
    join at_date z on z.d = p.e and z.customer_id = a.customer_id
   group by p.s, p.e
$$;
comment on function app.compute_retention(uuid, date[], date[], text) is
  'Retention sums (cohort size, starting ARR, expansion, contraction, churn) for (start, end) pairs of one organisation, from ARR history.';
revoke execute on function app.compute_retention(uuid, date[], date[], text) from public, anon, authenticated;
grant execute on function app.compute_retention(uuid, date[], date[], text) to service_role;

-- Retention figures kept as ARR history changes, so no read recomputes history (before:
-- the first read after any ARR change recomputed 25 pairs over every customer, ~8 s at
-- 100 000 customers; docs/forecast-and-retention.md "How the figures are kept").
--
-- A retention figure compares each customer's ARR at two month starts (s, e). It cannot
-- be summed from monthly figures (a customer who grows in January and shrinks back in
-- March is neither expansion nor contraction over the quarter), so what is kept is the
-- figure of every pair a read asks for:
--
--   app.retention_figures (org, s, e)  for e − s of 1, 3 and 12 months (a month, a
--       quarter, a trailing year — every step, trailing window and a 12-month or
--       one-quarter period of get_retention_metrics), with e before the frontier;
--     and (org, s, 'infinity'): s against the latest ARR.
--   app.retention_state (org): the time zone the month starts are in, the frontier (the
--       month start after the newest ARR history row: from there on every customer's ARR
--       is its latest, so any pair ending at or after it equals (s, 'infinity')), and the
--       number and ARR of customers paying now.
--
-- Kept by a statement trigger on app.arr_history: for the customers the statement
-- touched, their contribution to every kept pair is computed from their history before
-- the statement (today's rows − the statement's new rows + its old rows) and after it,
-- and the difference is added. Only those customers' rows are read (an ARR change of one
-- customer: its ~10 rows, ~100 pair rows updated). Backdated rows, deletes, moves between
-- customers and cascades are the same case. The state row is locked first, so writers of
-- one organisation's ARR history take turns and a pair row is never counted twice.
--
-- Pairs a read needs that are not kept (a period of 2 years, 7 months, ...) or an
-- organisation whose time zone changed since the figures were made (rebuilt at once when
-- small, else by the minutely job `rebuild-stale-retention`, in the cron file) are computed as
-- before (app.retention_pairs_computed, cached per ARR-history version).

create table app.retention_state (
  org_id uuid primary key references app.organisations (id) on delete cascade,
  time_zone text not null,
  frontier date,
  customers integer not null default 0,
  arr numeric(16, 2) not null default 0,
  updated_at timestamptz not null default now()
);
comment on table app.retention_state is
  'Per organisation: the time zone and frontier of its kept retention figures and the customers paying now (kept by a trigger on ARR history).';

create table app.retention_figures (
  org_id uuid not null references app.organisations (id) on delete cascade,
  period_start date not null,
  period_end date not null,
  customers integer not null,
  starting_arr numeric(16, 2) not null,
  expansion numeric(16, 2) not null,
  contraction numeric(16, 2) not null,
  churn numeric(16, 2) not null,
  constraint retention_figures_pkey primary key (org_id, period_start, period_end)
);
comment on table app.retention_figures is
  'Retention sums per organisation and (start, end) month starts (end ''infinity'' = latest ARR), kept by a trigger on ARR history.';

alter table app.retention_state enable row level security;
alter table app.retention_figures enable row level security;
select app.create_org_policies('app.retention_state', 'retention state', readers => 'members');
select app.create_org_policies('app.retention_figures', 'kept retention figures', readers => 'members');
-- Written only by the functions below (security definer); members read.
revoke all on app.retention_state, app.retention_figures from anon, authenticated;
grant select on app.retention_state, app.retention_figures to authenticated;
grant select, insert, update, delete on app.retention_state, app.retention_figures to service_role;

---------------------------------------------------------------------------------------
-- Contributions of some customers to every kept pair
---------------------------------------------------------------------------------------

-- For the given customers of one organisation, Σ over two versions of their ARR history —
-- "after" (today's rows, sign +1) and "before" (today's rows except before_excluded_ids,
-- plus before_extra_rows; sign −1; left out when before_is_empty) — of each customer's
-- contribution to the kept pairs below `frontier`, and to the latest totals
-- (period_start = period_end = 'infinity').
--
-- ARR of a customer at a month start t = its newest row recorded before t (00:00 in
-- time_zone); rows are grouped by the first month start after them ("step"), the last row
-- of a step wins (recorded_at, created_at, id — the order app.compute_retention uses), and
-- the ARR holds at every month start until the next step. Contribution to (s, e), when
-- the ARR at s is above 0: 1 customer, starting ARR, max(0, E − S) expansion,
-- max(0, S − E) contraction when E > 0, S churn when E = 0.
create or replace function app.retention_contributions(
  org_id uuid, customer_ids uuid[], time_zone text, frontier date,
  before_excluded_ids uuid[], before_extra_rows app.arr_history[], before_is_empty boolean)
returns table (period_start date, period_end date, customers bigint, starting_arr numeric,
               expansion numeric, contraction numeric, churn numeric)
language sql
stable
set search_path = ''
-- The row estimates of generate_series are far off (1000 per call): without `jit = off` a
-- one-customer change paid ~3 s of JIT compilation for a plan that runs in 1 ms.
set jit = off
set work_mem = '256MB'
as $$
  with ids as materialized (
    select distinct x.id from unnest(retention_contributions.customer_ids) as x(id)
  ), excluded as materialized (
    select distinct x.id from unnest(retention_contributions.before_excluded_ids) as x(id)
  ), today as materialized (
    -- customer_ids null: every customer of the organisation (a rebuild).
    select h.id, h.customer_id, h.arr, h.recorded_at, h.created_at
      from app.arr_history h
     where retention_contributions.customer_ids is null and h.org_id = retention_contributions.org_id
    union all
    select h.id, h.customer_id, h.arr, h.recorded_at, h.created_at
      from ids join app.arr_history h on h.customer_id = ids.id and h.org_id = retention_contributions.org_id
     where retention_contributions.customer_ids is not null
  ), hist as (
    select 1 as sign, t.customer_id, t.arr, t.recorded_at, t.created_at, t.id from today t
    union all
    select -1, t.customer_id, t.arr, t.recorded_at, t.created_at, t.id
      from today t
     where not retention_contributions.before_is_empty
       and not exists (select 1 from excluded x where x.id = t.id)
    union all
    select -1, r.customer_id, r.arr, r.recorded_at, r.created_at, r.id
      from unnest(retention_contributions.before_extra_rows) r
     where not retention_contributions.before_is_empty and r.org_id = retention_contributions.org_id
  ), steps as (
    -- Amounts in cents (bigint): exact, and fast to add up.
    select distinct on (h.sign, h.customer_id, b.step) h.sign, h.customer_id, b.step, (h.arr * 100)::bigint as cents
      from hist h
      cross join lateral (select (date_trunc('month', h.recorded_at at time zone retention_contributions.time_zone)
                                  + interval '1 month')::date as step) b
     order by h.sign, h.customer_id, b.step, h.recorded_at desc, h.created_at desc, h.id desc
  ), spans as (
    select s.sign, s.customer_id, s.step, s.cents,
           lead(s.step) over w as next_step,
           last_value(s.cents) over (w rows between unbounded preceding and unbounded following) as latest
      from steps s
    window w as (partition by s.sign, s.customer_id order by s.step)
  ), at_month as (
    -- One row per version, customer and month start from its first step to the frontier.
    select p.sign, p.customer_id, m::date as t, p.cents as a, p.latest
      from spans p
      cross join lateral generate_series(p.step::timestamp,
                   least(coalesce(p.next_step, retention_contributions.frontier), retention_contributions.frontier)::timestamp
                   - interval '1 month', interval '1 month') m
  ), lagged as (
    select a.sign, a.t, a.a, a.latest,
           lag(a.a, 1) over w as a1, lag(a.a, 3) over w as a3, lag(a.a, 12) over w as a12
      from at_month a
    window w as (partition by a.sign, a.customer_id order by a.t)
  ), by_month as (
    -- Per month start t: the cohort at t, and the changes of (t − 1, 3, 12 months → t)
    -- and of (t → latest).
    select l.t,
           coalesce(sum(l.sign) filter (where l.a > 0), 0) as n,
           coalesce(sum(l.sign * l.a) filter (where l.a > 0), 0) as s,
           sum(l.sign * greatest(l.a - l.a1, 0)) filter (where l.a1 > 0) as x1,
           sum(l.sign * greatest(l.a1 - l.a, 0)) filter (where l.a1 > 0 and l.a > 0) as c1,
           sum(l.sign * l.a1) filter (where l.a1 > 0 and l.a = 0) as h1,
           sum(l.sign * greatest(l.a - l.a3, 0)) filter (where l.a3 > 0) as x3,
           sum(l.sign * greatest(l.a3 - l.a, 0)) filter (where l.a3 > 0 and l.a > 0) as c3,
           sum(l.sign * l.a3) filter (where l.a3 > 0 and l.a = 0) as h3,
           sum(l.sign * greatest(l.a - l.a12, 0)) filter (where l.a12 > 0) as x12,
           sum(l.sign * greatest(l.a12 - l.a, 0)) filter (where l.a12 > 0 and l.a > 0) as c12,
           sum(l.sign * l.a12) filter (where l.a12 > 0 and l.a = 0) as h12,
           sum(l.sign * greatest(l.latest - l.a, 0)) filter (where l.a > 0) as xi,
           sum(l.sign * greatest(l.a - l.latest, 0)) filter (where l.a > 0 and l.latest > 0) as ci,
           sum(l.sign * l.a) filter (where l.a > 0 and l.latest = 0) as hi
      from lagged l
     group by l.t
  ), figures as (
    select f.s, f.e, f.n, f.cents_s, f.x, f.c, f.h
      from by_month m
      cross join lateral (values
        ((m.t - interval '1 month')::date, m.t, m.x1, m.c1, m.h1),
        ((m.t - interval '3 months')::date, m.t, m.x3, m.c3, m.h3),
        ((m.t - interval '12 months')::date, m.t, m.x12, m.c12, m.h12),
        (m.t, 'infinity'::date, m.xi, m.ci, m.hi)) v(s, e, x, c, h)
      left join by_month z on z.t = v.s
      cross join lateral (select v.s, v.e, coalesce(z.n, 0) as n, coalesce(z.s, 0) as cents_s,
                                 coalesce(v.x, 0) as x, coalesce(v.c, 0) as c, coalesce(v.h, 0) as h) f
    union all
    -- The latest totals: one row per version and customer.
    select 'infinity'::date, 'infinity'::date, sum(p.sign), sum(p.sign * p.latest), 0, 0, 0
      from spans p
     where p.next_step is null and p.latest > 0
  )
  select f.s, f.e, f.n::bigint, f.cents_s / 100.0, f.x / 100.0, f.c / 100.0, f.h / 100.0
    from figures f
   where f.n <> 0 or f.cents_s <> 0 or f.x <> 0 or f.c <> 0 or f.h <> 0
$$;
revoke execute on function app.retention_contributions(uuid, uuid[], text, date, uuid[], app.arr_history[], boolean)
  from public, anon, authenticated;

---------------------------------------------------------------------------------------
-- app.retention_apply: the state row (and whether to rebuild), the new frontier, the pairs
-- the frontier passes, then the touched customers' contributions.
---------------------------------------------------------------------------------------

-- The first month start after the newest ARR history row of the organisation (customer_ids
-- null) or of the given customers, in the organisation's time zone; null without rows.
create or replace function app.retention_history_frontier(org_id uuid, customer_ids uuid[], time_zone text)
returns date
language sql
stable
set search_path = ''
as $$
  select case
    when retention_history_frontier.customer_ids is null then
      (select max((date_trunc('month', h.recorded_at at time zone retention_history_frontier.time_zone) + interval '1 month')::date)
         from app.arr_history h where h.org_id = retention_history_frontier.org_id)
    else
      (select max((date_trunc('month', h.recorded_at at time zone retention_history_frontier.time_zone) + interval '1 month')::date)
         from (select distinct x.id from unnest(retention_history_frontier.customer_ids) as x(id)) ids
         join app.arr_history h on h.customer_id = ids.id and h.org_id = retention_history_frontier.org_id)
  end
$$;
revoke execute on function app.retention_history_frontier(uuid, uuid[], text) from public, anon, authenticated;

-- When the frontier moves from st.frontier to new_frontier, the pairs ending in between
-- were "against the latest ARR" until now: keeps them as they were, before the change is
-- added.
create or replace function app.retention_keep_pairs_before(st app.retention_state, new_frontier date)
returns void
language plpgsql
set search_path = ''
as $$
begin
  insert into app.retention_figures as f
    (org_id, period_start, period_end, customers, starting_arr, expansion, contraction, churn)
  select st.org_id, x.s, x.e, x.customers, x.starting_arr, x.expansion, x.contraction, x.churn
    from (
      select (e.e - make_interval(months => l.months))::date as s, e.e::date as e,
             coalesce(i.customers, case when (e.e - make_interval(months => l.months))::date >= st.frontier then st.customers end) as customers,
             coalesce(i.starting_arr, case when (e.e - make_interval(months => l.months))::date >= st.frontier then st.arr end) as starting_arr,
             coalesce(i.expansion, 0) as expansion, coalesce(i.contraction, 0) as contraction, coalesce(i.churn, 0) as churn
        from generate_series(st.frontier::timestamp, new_frontier::timestamp - interval '1 month', interval '1 month') e(e)
        cross join (values (1), (3), (12)) l(months)
        left join app.retention_figures i
          on i.org_id = st.org_id and i.period_start = (e.e - make_interval(months => l.months))::date
         and i.period_end = 'infinity'::date
      union all
      select s.s::date, 'infinity'::date, st.customers, st.arr, 0, 0, 0
        from generate_series(st.frontier::timestamp, new_frontier::timestamp - interval '1 month', interval '1 month') s(s)
    ) x
   where x.customers > 0
   order by x.s, x.e
  on conflict on constraint retention_figures_pkey do update
     set customers = excluded.customers, starting_arr = excluded.starting_arr, expansion = excluded.expansion,
         contraction = excluded.contraction, churn = excluded.churn;
end;
$$;
revoke execute on function app.retention_keep_pairs_before(app.retention_state, date) from public, anon, authenticated;

-- Adds (after − before) of the touched customers (null: all, a rebuild) to the kept
-- pairs, in key order, and to the latest totals; the state moves to `frontier`.
create or replace function app.retention_add_contributions(
  org_id uuid, customer_ids uuid[], time_zone text, frontier date,
  new_ids uuid[], old_rows app.arr_history[], rebuild boolean)
returns void
language plpgsql
set search_path = ''
as $$
begin
  with c as materialized (
    select * from app.retention_contributions(retention_add_contributions.org_id, retention_add_contributions.customer_ids,
                                              retention_add_contributions.time_zone, retention_add_contributions.frontier,
                                              retention_add_contributions.new_ids, retention_add_contributions.old_rows,
                                              retention_add_contributions.rebuild)
  ), latest as (
    update app.retention_state s
       set frontier = retention_add_contributions.frontier, time_zone = retention_add_contributions.time_zone, updated_at = now(),
           customers = s.customers + coalesce(l.customers, 0), arr = s.arr + coalesce(l.starting_arr, 0)
      from (select sum(c.customers)::integer as customers, sum(c.starting_arr) as starting_arr
              from c where c.period_start = 'infinity'::date) l
     where s.org_id = retention_add_contributions.org_id
  )
  insert into app.retention_figures as f
    (org_id, period_start, period_end, customers, starting_arr, expansion, contraction, churn)
  select retention_add_contributions.org_id, c.period_start, c.period_end, c.customers, c.starting_arr,
         c.expansion, c.contraction, c.churn
    from c
   where c.period_start < 'infinity'::date
     and (c.customers <> 0 or c.starting_arr <> 0 or c.expansion <> 0 or c.contraction <> 0 or c.churn <> 0)
   order by c.period_start, c.period_end
  on conflict on constraint retention_figures_pkey do update
     set customers = f.customers + excluded.customers, starting_arr = f.starting_arr + excluded.starting_arr,
         expansion = f.expansion + excluded.expansion, contraction = f.contraction + excluded.contraction,
         churn = f.churn + excluded.churn;
end;
$$;
revoke execute on function app.retention_add_contributions(uuid, uuid[], text, date, uuid[], app.arr_history[], boolean)
  from public, anon, authenticated;

-- Applies a change of some customers' ARR history to the kept figures (or, with rebuild,
-- computes the organisation's figures afresh from all of its history).
create or replace function app.retention_apply(org_id uuid, customer_ids uuid[], new_ids uuid[],
                                               old_rows app.arr_history[], rebuild boolean default false)
returns void
language plpgsql
security definer
set search_path = ''
set jit = off
as $$
declare
  v_org uuid := retention_apply.org_id;
  v_tz text;
  st app.retention_state;
  v_frontier date;
  v_rebuild boolean := retention_apply.rebuild;
  v_customers uuid[] := retention_apply.customer_ids;
begin
  if not exists (select 1 from app.organisations g where g.id = v_org) then
    return;  -- the organisation is being deleted (its figures go with it)
  end if;
  select coalesce((select s.time_zone from app.organisation_settings s where s.org_id = v_org), 'UTC') into v_tz;
  insert into app.retention_state (org_id, time_zone) values (v_org, v_tz) on conflict do nothing;
  select * into st from app.retention_state s where s.org_id = v_org for update;
  if st.time_zone is distinct from v_tz then
    -- Figures in another time zone: start again — now when that is cheap, else the
    -- minutely job does it (until then reads compute; nothing is lost by not adding now).
    if st.customers > 5000 and not v_rebuild then
      return;
    end if;
    v_rebuild := true;
  elsif st.frontier is null then
    -- The organisation's first ARR history (a seed, a first import): everything it has is
    -- this statement's, so computing it all at once is the same and cheaper.
    v_rebuild := true;
  end if;

  if v_rebuild then
    delete from app.retention_figures f where f.org_id = v_org;
    update app.retention_state s set time_zone = v_tz, frontier = null, customers = 0, arr = 0 where s.org_id = v_org;
    st.frontier := null; st.customers := 0; st.arr := 0;
    v_customers := null;  -- every customer
  elsif v_customers is null or cardinality(v_customers) = 0 then
    return;
  end if;

  -- The frontier moves on when a row is recorded in or after its month (it never moves back:
  -- pairs kept past the newest row stay exact, they are only not needed).
  v_frontier := app.retention_history_frontier(v_org, v_customers, v_tz);
  if v_customers is not null then
    v_frontier := greatest(st.frontier, v_frontier);
  end if;
  if v_frontier is null and st.frontier is null then
    return;  -- no ARR history (left)
  end if;
  v_frontier := coalesce(v_frontier, st.frontier);
  if st.frontier is not null and v_frontier > st.frontier then
    perform app.retention_keep_pairs_before(st, v_frontier);
  end if;
  perform app.retention_add_contributions(v_org, v_customers, v_tz, v_frontier, retention_apply.new_ids,
                                          retention_apply.old_rows, v_rebuild);
end;
$$;
revoke execute on function app.retention_apply(uuid, uuid[], uuid[], app.arr_history[], boolean) from public, anon, authenticated;

-- Rebuilds one organisation's figures from all of its ARR history (the migration, a time
-- zone change; the service role may call it by hand).
create or replace function app.retention_rebuild(org_id uuid)
returns void
language sql
security definer
set search_path = ''
as $$
  select app.retention_apply(retention_rebuild.org_id, '{}'::uuid[], '{}'::uuid[], '{}'::app.arr_history[], true)
$$;
revoke execute on function app.retention_rebuild(uuid) from public, anon, authenticated;
grant execute on function app.retention_rebuild(uuid) to service_role;

---------------------------------------------------------------------------------------
-- Triggers
---------------------------------------------------------------------------------------

create or replace function app.arr_history_keep_retention()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_org uuid;
begin
  if tg_op = 'INSERT' then
    for v_org in select distinct n.org_id from new_rows n order by 1 loop
      perform app.retention_apply(v_org,
        array(select n.customer_id from new_rows n where n.org_id = v_org),
        array(select n.id from new_rows n where n.org_id = v_org),
        '{}'::app.arr_history[]);
    end loop;
  elsif tg_op = 'UPDATE' then
    for v_org in select n.org_id from new_rows n union select o.org_id from old_rows o order by 1 loop
      perform app.retention_apply(v_org,
        array(select n.customer_id from new_rows n where n.org_id = v_org
              union select o.customer_id from old_rows o where o.org_id = v_org),
        array(select n.id from new_rows n where n.org_id = v_org),
        array(select o::app.arr_history from old_rows o where o.org_id = v_org));
    end loop;
  else
    for v_org in select distinct o.org_id from old_rows o order by 1 loop
      perform app.retention_apply(v_org,
        array(select o.customer_id from old_rows o where o.org_id = v_org),
        '{}'::uuid[],
        array(select o::app.arr_history from old_rows o where o.org_id = v_org));
    end loop;
  end if;
  return null;
end;
$$;

select app.create_statement_triggers('app.arr_history', 'arr_history_keep_retention', 'app.arr_history_keep_retention');

-- The month starts are in the organisation's time zone: a new time zone rebuilds the
-- figures — at once for an organisation with up to 5 000 paying customers, else by the
-- minutely job `rebuild-stale-retention` (in the cron file; a rebuild of 100 000
-- customers takes longer than a request may);
-- until then reads compute from ARR history (app.retention_pairs_computed).
create or replace function app.organisation_settings_rebuild_retention()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_org uuid;
begin
  -- A set difference, not a join of the transition tables (org_id is each side's key).
  for v_org in
    select x.org_id
      from (select n.org_id, n.time_zone from new_rows n
            except
            select o.org_id, o.time_zone from old_rows o) x
     where exists (select 1 from app.retention_state s where s.org_id = x.org_id and s.customers <= 5000)
     order by 1
  loop
    perform app.retention_rebuild(v_org);
  end loop;
  return null;
end;
$$;

-- Rebuilds the figures of every organisation whose time zone changed since they were made.
create or replace function app.rebuild_stale_retention()
returns integer
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_org uuid;
  v_count integer := 0;
begin
  for v_org in
    select s.org_id from app.retention_state s
      join app.organisation_settings o on o.org_id = s.org_id
     where o.time_zone is distinct from s.time_zone
     order by 1
  loop
    perform app.retention_rebuild(v_org);
    v_count := v_count + 1;
  end loop;
  return v_count;
end;
$$;
revoke execute on function app.rebuild_stale_retention() from public, anon, authenticated;
grant execute on function app.rebuild_stale_retention() to service_role;

select app.create_statement_triggers('app.organisation_settings', 'organisation_settings_rebuild_retention', 'app.organisation_settings_rebuild_retention', '{update}');

---------------------------------------------------------------------------------------
-- Reading
---------------------------------------------------------------------------------------

-- The computation as it was, for pairs that are not kept (the sums for the caller's
-- organisation: cached pairs whose stamp is current, the rest computed and stored; security
-- definer: reads every ARR history row of the caller's own organisation, which members may
-- read anyway, and writes the cache nobody writes directly).
create or replace function app.retention_pairs_computed(org_id uuid, starts date[], ends date[])
returns table (period_start date, period_end date, customers integer, starting_arr numeric,
               expansion numeric, contraction numeric, churn numeric)
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_org uuid := retention_pairs_computed.org_id;
  v_version bigint;
  v_tz text;
  v_missing_starts date[];
  v_missing_ends date[];
  v_computed app.retention_cache[];
begin
  -- A member for their own organisation; the service role (no person) for any.
  if v_org is null
     or (v_org is distinct from app.current_org_id()
         and coalesce(nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role', '') <> 'service_role') then
    raise exception 'Only members of an organisation can read its retention' using errcode = '42501';
  end if;
  -- The stamp first: a change committed while we compute makes our result stale-stamped.
  select coalesce((select v.version from app.arr_history_versions v where v.org_id = v_org), 0) into v_version;
  select s.time_zone into v_tz from app.organisation_settings s where s.org_id = v_org;
  v_tz := coalesce(v_tz, 'UTC');

  select array_agg(p.s), array_agg(p.e) into v_missing_starts, v_missing_ends
    from (select distinct x.s, x.e from unnest(retention_pairs_computed.starts, retention_pairs_computed.ends) as x(s, e)) p
   where not exists (select 1 from app.retention_cache c
                      where c.org_id = v_org and c.period_start = p.s and c.period_end = p.e
                        and c.version = v_version and c.time_zone = v_tz);

  if v_missing_starts is not null then
    -- Computed rows are kept in a variable (no temporary table), stored, and returned.
    select array_agg(row(v_org, m.s, m.e, v_version, v_tz, coalesce(r.customers, 0), coalesce(r.starting_arr, 0),
                         coalesce(r.expansion, 0), coalesce(r.contraction, 0), coalesce(r.churn, 0), now())::app.retention_cache)
      into v_computed
      from unnest(v_missing_starts, v_missing_ends) as m(s, e)
      left join app.compute_retention(v_org, v_missing_starts, v_missing_ends, v_tz) r
        on r.period_start = m.s and r.period_end = m.e;
    begin
      insert into app.retention_cache as c
      select t.* from unnest(v_computed) t
      on conflict on constraint retention_cache_pkey do update
         set version = excluded.version, time_zone = excluded.time_zone, customers = excluded.customers,
             starting_arr = excluded.starting_arr, expansion = excluded.expansion,
             contraction = excluded.contraction, churn = excluded.churn, computed_at = excluded.computed_at
       where c.version <= excluded.version;
    exception when read_only_sql_transaction then
      null; -- a read-only request (GET): answer without storing
    end;
  end if;
  return query
    select t.period_start, t.period_end, t.customers, t.starting_arr::numeric, t.expansion::numeric,
           t.contraction::numeric, t.churn::numeric
      from unnest(coalesce(v_computed, '{}'::app.retention_cache[])) t
    union all
    select c.period_start, c.period_end, c.customers, c.starting_arr::numeric, c.expansion::numeric,
           c.contraction::numeric, c.churn::numeric
      from app.retention_cache c
      join (select distinct x.s, x.e from unnest(retention_pairs_computed.starts, retention_pairs_computed.ends) as x(s, e)) p
        on c.period_start = p.s and c.period_end = p.e
     where c.org_id = v_org and c.version = v_version and c.time_zone = v_tz
       and not exists (select 1 from unnest(coalesce(v_computed, '{}'::app.retention_cache[])) t
                        where t.period_start = c.period_start and t.period_end = c.period_end);
end;
$$;
comment on function app.retention_pairs_computed(uuid, date[], date[]) is
  'Retention sums computed from ARR history (cached per ARR-history version): for pairs app.retention_figures does not keep.';
revoke execute on function app.retention_pairs_computed(uuid, date[], date[]) from public, anon, authenticated;
grant execute on function app.retention_pairs_computed(uuid, date[], date[]) to service_role;

-- Same contract as before: the sums of each (starts[i], ends[i]) of the caller's
-- organisation. Kept pairs are read (a missing row = nobody in the cohort); the rest are
-- computed.
create or replace function app.retention_pairs(org_id uuid, starts date[], ends date[])
returns table (period_start date, period_end date, customers integer, starting_arr numeric,
               expansion numeric, contraction numeric, churn numeric)
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_org uuid := retention_pairs.org_id;
  st app.retention_state;
  v_tz text;
  v_rest_starts date[];
  v_rest_ends date[];
begin
  if v_org is null
     or (v_org is distinct from app.current_org_id()
         and coalesce(nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role', '') <> 'service_role') then
    raise exception 'Only members of an organisation can read its retention' using errcode = '42501';
  end if;
  select * into st from app.retention_state s where s.org_id = v_org;
  select coalesce((select s.time_zone from app.organisation_settings s where s.org_id = v_org), 'UTC') into v_tz;

  if st.org_id is not null and st.time_zone = v_tz then
    select array_agg(p.s), array_agg(p.e) into v_rest_starts, v_rest_ends
      from (select distinct x.s, x.e from unnest(retention_pairs.starts, retention_pairs.ends) as x(s, e)) p
     where not (p.s >= coalesce(st.frontier, '-infinity'::date)
                or p.e >= coalesce(st.frontier, '-infinity'::date)
                or p.e in ((p.s + interval '1 month')::date, (p.s + interval '3 months')::date, (p.s + interval '12 months')::date));
  elsif st.org_id is null and not exists (select 1 from app.arr_history h where h.org_id = v_org) then
    v_rest_starts := null;  -- no ARR history at all: every figure is zero
  else
    select array_agg(p.s), array_agg(p.e) into v_rest_starts, v_rest_ends
      from (select distinct x.s, x.e from unnest(retention_pairs.starts, retention_pairs.ends) as x(s, e)) p;
    st := null;
  end if;

  return query
    select p.s, p.e,
           coalesce(case when p.s >= st.frontier then st.customers else f.customers end, 0),
           coalesce(case when p.s >= st.frontier then st.arr else f.starting_arr end, 0)::numeric,
           coalesce(case when p.s >= st.frontier then 0 else f.expansion end, 0)::numeric,
           coalesce(case when p.s >= st.frontier then 0 else f.contraction end, 0)::numeric,
           coalesce(case when p.s >= st.frontier then 0 else f.churn end, 0)::numeric
      from (select distinct x.s, x.e from unnest(retention_pairs.starts, retention_pairs.ends) as x(s, e)) p
      left join app.retention_figures f
        on f.org_id = v_org and f.period_start = p.s
       and f.period_end = case when p.e >= st.frontier then 'infinity'::date else p.e end
     where (st.org_id is not null or v_rest_starts is null)
       and not exists (select 1 from unnest(v_rest_starts, v_rest_ends) as r(s, e) where r.s = p.s and r.e = p.e)
    union all
    select c.period_start, c.period_end, c.customers, c.starting_arr, c.expansion, c.contraction, c.churn
      from app.retention_pairs_computed(v_org, v_rest_starts, v_rest_ends) c
     where v_rest_starts is not null;
end;
$$;
comment on function app.retention_pairs(uuid, date[], date[]) is
  'Retention sums for (start, end) pairs of the caller''s organisation: kept figures where kept, else computed.';
revoke execute on function app.retention_pairs(uuid, date[], date[]) from public, anon;
grant execute on function app.retention_pairs(uuid, date[], date[]) to authenticated, service_role;

-- A fresh computation for tests (pgTAP compares the kept figures with it).
create or replace function app.retention_figures_recomputed(org_id uuid, starts date[], ends date[])
returns table (period_start date, period_end date, customers integer, starting_arr numeric,
               expansion numeric, contraction numeric, churn numeric)
language sql
stable
set search_path = ''
as $$
  select p.s, p.e, coalesce(r.customers, 0), coalesce(r.starting_arr, 0), coalesce(r.expansion, 0),
         coalesce(r.contraction, 0), coalesce(r.churn, 0)
    from unnest(retention_figures_recomputed.starts, retention_figures_recomputed.ends) as p(s, e)
    left join app.compute_retention(retention_figures_recomputed.org_id, retention_figures_recomputed.starts,
                                    retention_figures_recomputed.ends,
                                    coalesce((select s.time_zone from app.organisation_settings s
                                               where s.org_id = retention_figures_recomputed.org_id), 'UTC')) r
      on r.period_start = p.s and r.period_end = p.e
$$;
revoke execute on function app.retention_figures_recomputed(uuid, date[], date[]) from public, anon, authenticated;

-- One figure as the API shows it.
create or replace function app.retention_figure(period_start date, period_end date, customers integer,
                                                starting_arr numeric, expansion numeric, contraction numeric, churn numeric)
returns jsonb
language sql
immutable
set search_path = ''
as $$
  select jsonb_build_object(
    'period_start', retention_figure.period_start,
    'period_end', retention_figure.period_end,
    'customers', coalesce(retention_figure.customers, 0),
    'starting_arr', coalesce(retention_figure.starting_arr, 0),
    'expansion', coalesce(retention_figure.expansion, 0),
    'contraction', coalesce(retention_figure.contraction, 0),
    'churn', coalesce(retention_figure.churn, 0),
    'ending_arr', coalesce(retention_figure.starting_arr + retention_figure.expansion
                           - retention_figure.contraction - retention_figure.churn, 0),
    'grr', case when retention_figure.starting_arr > 0 then round(
             (retention_figure.starting_arr - retention_figure.contraction - retention_figure.churn)
             / retention_figure.starting_arr, 4) end,
    'nrr', case when retention_figure.starting_arr > 0 then round(
             (retention_figure.starting_arr + retention_figure.expansion - retention_figure.contraction
              - retention_figure.churn) / retention_figure.starting_arr, 4) end)
$$;
grant execute on function app.retention_figure(date, date, integer, numeric, numeric, numeric, numeric) to authenticated, service_role;

---------------------------------------------------------------------------------------
-- get_retention_metrics
---------------------------------------------------------------------------------------

-- Not `stable`: it stores what it computed (the cache).
create or replace function public.get_retention_metrics(period_start date, period_end date, granularity text default 'month')
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_org uuid := app.current_org_id();
  v_step interval;
  v_starts date[];
  v_ends date[];
  v_result jsonb;
begin
  if v_org is null then
    raise exception 'Only members of an organisation can read its retention' using errcode = '42501';
  end if;
  if get_retention_metrics.granularity is null or get_retention_metrics.granularity not in ('month', 'quarter') then
    raise exception 'granularity must be month or quarter' using errcode = '22023';
  end if;
  v_step := case get_retention_metrics.granularity when 'month' then interval '1 month' else interval '3 months' end;
  if get_retention_metrics.period_start is null or get_retention_metrics.period_end is null
     or get_retention_metrics.period_end <= get_retention_metrics.period_start then
    raise exception 'period_start must be before period_end' using errcode = '22023',
      hint = 'The period is [period_start, period_end), e.g. 2026-01-01 to 2027-01-01 for a year.';
  end if;
  if extract(day from get_retention_metrics.period_start) <> 1 or extract(day from get_retention_metrics.period_end) <> 1
     or (get_retention_metrics.granularity = 'quarter'
         and (extract(month from get_retention_metrics.period_start)::int % 3 <> 1
              or extract(month from get_retention_metrics.period_end)::int % 3 <> 1)) then
    raise exception 'period_start and period_end must be the first day of a %', get_retention_metrics.granularity
      using errcode = '22023', hint = 'Retention is measured between month starts (quarters: January, April, July, October).';
  end if;
  if get_retention_metrics.period_end > (get_retention_metrics.period_start + interval '60 months')::date then
    raise exception 'The period is longer than five years' using errcode = '22023';
  end if;
  if ((extract(year from age(get_retention_metrics.period_end, get_retention_metrics.period_start)) * 12
       + extract(month from age(get_retention_metrics.period_end, get_retention_metrics.period_start)))::int
      % (case get_retention_metrics.granularity when 'month' then 1 else 3 end)) <> 0 then
    raise exception 'The period must be whole quarters' using errcode = '22023';
  end if;

  -- The pairs: the whole period; each step; each step's trailing 12 months.
  with steps as (
    select g::date as s, (g + v_step)::date as e
      from generate_series(get_retention_metrics.period_start::timestamp,
                           (get_retention_metrics.period_end::timestamp - v_step), v_step) g
  ), pairs as (
    select get_retention_metrics.period_start as s, get_retention_metrics.period_end as e
    union select s, e from steps
    union select (e - interval '12 months')::date, e from steps
  )
  select array_agg(p.s), array_agg(p.e) into v_starts, v_ends from pairs p;

  with sums as materialized (
    select * from app.retention_pairs(v_org, v_starts, v_ends)
  ), steps as (
    select g::date as s, (g + v_step)::date as e
      from generate_series(get_retention_metrics.period_start::timestamp,
                           (get_retention_metrics.period_end::timestamp - v_step), v_step) g
  )
  select app.retention_figure(t.period_start, t.period_end, t.customers, t.starting_arr, t.expansion, t.contraction, t.churn)
         || jsonb_build_object(
              'granularity', get_retention_metrics.granularity,
              'series', (
                select coalesce(jsonb_agg(
                         app.retention_figure(st.s, st.e, m.customers, m.starting_arr, m.expansion, m.contraction, m.churn)
                         || jsonb_build_object('trailing_12_months',
                              app.retention_figure((st.e - interval '12 months')::date, st.e, y.customers, y.starting_arr,
                                                   y.expansion, y.contraction, y.churn))
                         order by st.s), '[]'::jsonb)
                  from steps st
                  left join sums m on m.period_start = st.s and m.period_end = st.e
                  left join sums y on y.period_start = (st.e - interval '12 months')::date and y.period_end = st.e))
    into v_result
    from sums t
   where t.period_start = get_retention_metrics.period_start and t.period_end = get_retention_metrics.period_end;
  return v_result;
end;
$$;
comment on function public.get_retention_metrics(date, date, text) is
  'GRR, NRR, starting ARR, expansion, contraction and churn for [period_start, period_end) from ARR history, with a monthly (or quarterly) series and each step''s trailing 12 months.';
revoke execute on function public.get_retention_metrics(date, date, text) from public, anon;
grant execute on function public.get_retention_metrics(date, date, text) to authenticated;

select app.create_org_policies('app.renewal_forecasts', 'renewal forecasts', readers => 'members');

create policy "People who work on the renewal can set its forecast"
  on app.renewal_forecasts for insert to authenticated
  with check (org_id = (select app.current_org_id()) and app.can_work_on_execution(execution_id));

create policy "People who work on the renewal can change its forecast"
  on app.renewal_forecasts for update to authenticated
  using (org_id = (select app.current_org_id()) and app.can_work_on_execution(execution_id))
  with check (org_id = (select app.current_org_id()) and app.can_work_on_execution(execution_id));

select app.create_org_policies('app.renewal_forecast_history', 'forecast history', readers => 'members');
select app.create_org_policies('app.renewal_outcomes', 'renewal outcomes', readers => 'members');
select app.create_org_policies('app.arr_history_versions', 'ARR history version', readers => 'members');
select app.create_org_policies('app.retention_cache', 'retention figures', readers => 'members');

create trigger renewal_forecasts_stamp_person
  before insert or update on app.renewal_forecasts
  for each row execute function app.renewal_forecasts_stamp_person();

create trigger renewal_forecasts_record_history
  after insert or update on app.renewal_forecasts
  for each row execute function app.renewal_forecasts_record_history();

select app.create_statement_triggers('app.arr_history', 'arr_history_bump_version', 'app.bump_arr_history_version');
