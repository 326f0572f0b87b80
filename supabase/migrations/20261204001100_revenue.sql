-- Revenue: renewal forecasts and their history, renewal outcomes, ARR history versions and the
-- retention metrics cache, with their RPCs.
--
-- Part of the release baseline (docs/schema.md): one file per area, in dependency order.
-- From now on migrations are append-only: a change is a new timestamped file.

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
--   get_renewal_forecast(period_start, period_end, assignee_id, category, max_items)
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
-- Written only by the trigger above and app.retention_pairs (security definer).
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
  v_me uuid := (select auth.uid());
  e app.workflow_executions;
  c app.customers;
  v_previous numeric;
  v_new numeric;
  v_category text;
  v_forecast numeric;
  v_outcome_id uuid;
  v_recorded_at timestamptz := now();
  v_next date;
  v_closed uuid[];
begin
  select * into e from app.workflow_executions x where x.id = apply_renewal_outcome.execution_id for update;
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

  select * into c from app.customers x where x.id = e.customer_id for update;
  if c.renewal_date is null then
    raise exception 'The customer has no renewal date' using errcode = 'PT409';
  end if;
  if exists (select 1 from app.renewal_outcomes o
              where o.customer_id = c.id and o.org_id = c.org_id and o.renewal_date = c.renewal_date) then
    raise exception 'This renewal already has an outcome' using errcode = 'PT409',
      hint = 'Its outcome is on the Forecast page; correct the customer''s ARR instead.';
  end if;

  v_previous := coalesce(c.arr, 0);
  v_new := case apply_renewal_outcome.outcome
             when 'renewed' then coalesce(round(apply_renewal_outcome.new_arr, 2), v_previous)
             when 'downgraded' then round(apply_renewal_outcome.new_arr, 2)
             else coalesce(round(apply_renewal_outcome.new_arr, 2), 0) end;
  if apply_renewal_outcome.outcome = 'renewed' and v_new < v_previous then
    raise exception 'A renewal at less than the current ARR (%) is a downgrade', v_previous using errcode = '22023',
      hint = 'Record it as downgraded with the new ARR.';
  elsif apply_renewal_outcome.outcome = 'downgraded' and v_new is null then
    raise exception 'new_arr is required for a downgrade' using errcode = '22023';
  elsif apply_renewal_outcome.outcome = 'downgraded' and v_new = 0 then
    raise exception 'A downgrade to 0 is a churn' using errcode = '22023', hint = 'Record it as churned.';
  elsif apply_renewal_outcome.outcome = 'downgraded' and v_new >= v_previous then
    raise exception 'A downgrade needs a new ARR below the current ARR (%)', v_previous using errcode = '22023',
      hint = 'Record it as renewed when the ARR stays the same or grows.';
  elsif apply_renewal_outcome.outcome = 'churned' and v_new <> 0 then
    raise exception 'A churned customer''s new ARR is 0' using errcode = '22023',
      hint = 'Leave new_arr out, or record a downgrade when some ARR stays.';
  end if;

  select coalesce(f.category, app.derive_forecast_category(c.health_score, c.risk_score)),
         coalesce(f.forecast_arr, v_previous)
    into v_category, v_forecast
    from (select 1) one
    left join app.renewal_forecasts f
      on f.customer_id = c.id and f.org_id = c.org_id and f.renewal_date = c.renewal_date;

  insert into app.renewal_outcomes (org_id, customer_id, execution_id, renewal_date, outcome, previous_arr, new_arr,
                                    forecast_category, forecast_arr, assigned_to, recorded_by, recorded_at)
  values (c.org_id, c.id, e.id, c.renewal_date, apply_renewal_outcome.outcome, v_previous, v_new,
          v_category, v_forecast, e.assigned_to, v_me, v_recorded_at)
  returning id into v_outcome_id;

  if v_new is distinct from v_previous then
    insert into app.arr_history (org_id, customer_id, arr, recorded_at, source, reason)
    values (c.org_id, c.id, v_new, v_recorded_at, 'renewal_outcome',
            case apply_renewal_outcome.outcome
              when 'renewed' then 'Renewed with an uplift'
              when 'downgraded' then 'Downgraded at renewal'
              else 'Churned at renewal' end);
  end if;

  v_next := case when apply_renewal_outcome.outcome = 'churned' then null
                 else (c.renewal_date + interval '12 months')::date end;
  update app.customers x set arr = v_new, renewal_date = v_next where x.id = c.id;

  -- Every open renewal execution of the customer is done with (normally just this one).
  select array_agg(x.id) into v_closed
    from app.workflow_executions x
   where x.org_id = c.org_id and x.customer_id = c.id
     and x.status in ('queued', 'in_progress', 'snoozed', 'escalated') and x.renewal_stage is not null;
  perform app.complete_execution(x.id,
            coalesce(x.outcome, '{}'::jsonb) || jsonb_build_object('renewal_outcome', apply_renewal_outcome.outcome,
              'previous_arr', v_previous, 'new_arr', v_new, 'outcome_id', v_outcome_id),
            'renewal_outcome')
     from app.workflow_executions x
    where x.id = any(v_closed);

  return jsonb_build_object(
    'outcome_id', v_outcome_id,
    'execution_id', e.id,
    'customer_id', c.id,
    'outcome', apply_renewal_outcome.outcome,
    'renewal_date', c.renewal_date,
    'previous_arr', v_previous,
    'new_arr', v_new,
    'next_renewal_date', v_next,
    'forecast_category', v_category,
    'forecast_arr', v_forecast,
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

---------------------------------------------------------------------------------------
-- get_renewal_forecast
---------------------------------------------------------------------------------------

-- Renewals whose renewal date falls in [period_start, period_end): the open ones (with an
-- open renewal execution) under their forecast category, the closed ones under their
-- outcome. Totals per category and per month cover every renewal of the period; `items`
-- lists at most max_items of them (optionally of one category and/or month) in renewal
-- date order, so the page can show the renewals behind any number.
create or replace function public.get_renewal_forecast(
  period_start date,
  period_end date,
  assignee_id uuid default null,
  category text default null,
  max_items integer default 200,
  month date default null
)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_org uuid := app.current_org_id();
  v_result jsonb;
begin
  if v_org is null then
    raise exception 'Only members of an organisation can read its forecast' using errcode = '42501';
  end if;
  if get_renewal_forecast.period_start is null or get_renewal_forecast.period_end is null
     or get_renewal_forecast.period_end <= get_renewal_forecast.period_start then
    raise exception 'period_start must be before period_end' using errcode = '22023',
      hint = 'The period is [period_start, period_end): a quarter is e.g. 2027-01-01 to 2027-04-01.';
  end if;
  if get_renewal_forecast.period_end - get_renewal_forecast.period_start > 731 then
    raise exception 'The period is longer than two years' using errcode = '22023';
  end if;
  if get_renewal_forecast.category is not null and get_renewal_forecast.category not in
     ('commit', 'probable', 'at_risk', 'churn_expected', 'renewed', 'downgraded', 'churned') then
    raise exception 'category must be a forecast category or an outcome' using errcode = '22023';
  end if;
  if get_renewal_forecast.max_items is null or get_renewal_forecast.max_items not between 0 and 1000 then
    raise exception 'max_items must be between 0 and 1000' using errcode = '22023';
  end if;
  if get_renewal_forecast.assignee_id is not null
     and not exists (select 1 from app.profiles p where p.id = get_renewal_forecast.assignee_id and p.org_id = v_org) then
    raise exception 'assignee_id is not a member of your organisation' using errcode = '22023';
  end if;

  with open_items as materialized (
    -- The derived category is app.derive_forecast_category inlined (a set-based read of
    -- thousands of renewals; a pgTAP test pins that both agree).
    select c.id as customer_id, c.name, c.arr, c.health_score, c.risk_score, c.renewal_date, c.decision_date,
           c.account_plan, r.id as execution_id, r.assigned_to,
           coalesce(f.category, case when c.health_score < 50 or c.risk_score >= 60 then 'at_risk' else 'probable' end)
             as category,
           case when f.category is null then 'derived' else 'person' end as category_source,
           coalesce(c.arr, 0) as current_arr,
           coalesce(f.forecast_arr, c.arr, 0) as forecast_arr,
           f.note, f.set_by, f.set_at
      from app.customers c
      -- The period's open renewals from their own index (each open execution carries a
      -- copy of its customer's renewal date, kept by app.refresh_priorities), newest per
      -- customer, hash-joined: one probe per renewal would cost ~3 µs each.
      join (
        select distinct on (e.customer_id) e.customer_id, e.id, e.assigned_to
          from app.workflow_executions e
         where e.org_id = v_org
           and e.status in ('queued', 'in_progress', 'snoozed', 'escalated') and e.renewal_stage is not null
           and e.customer_renewal_date >= get_renewal_forecast.period_start
           and e.customer_renewal_date < get_renewal_forecast.period_end
         order by e.customer_id, e.created_at desc) r on r.customer_id = c.id
      left join app.renewal_forecasts f
        on f.customer_id = c.id and f.org_id = c.org_id and f.renewal_date = c.renewal_date
     where c.org_id = v_org
       and c.renewal_date >= get_renewal_forecast.period_start
       and c.renewal_date < get_renewal_forecast.period_end
       and (get_renewal_forecast.assignee_id is null or r.assigned_to = get_renewal_forecast.assignee_id)
  ), closed_items as materialized (
    select o.customer_id, c.name, o.renewal_date, o.execution_id, o.assigned_to, o.outcome as category,
           o.previous_arr as current_arr, o.new_arr as forecast_arr, o.recorded_by, o.recorded_at,
           o.forecast_category, o.forecast_arr as forecast_arr_at_close
      from app.renewal_outcomes o
      join app.customers c on c.id = o.customer_id
     where o.org_id = v_org
       and o.renewal_date >= get_renewal_forecast.period_start
       and o.renewal_date < get_renewal_forecast.period_end
       and (get_renewal_forecast.assignee_id is null or o.assigned_to = get_renewal_forecast.assignee_id)
  ), all_items as materialized (
    -- Everything an item shows rides along, so the page of items needs no join back.
    select 'open' as state, i.category, i.renewal_date, i.current_arr, i.forecast_arr, i.customer_id, i.name,
           i.execution_id, i.assigned_to, i.decision_date, i.category_source, i.note, i.set_by, i.set_at,
           i.health_score, i.risk_score, i.account_plan, null::text as forecast_category, null::numeric as forecast_arr_at_close
      from open_items i
    union all
    select 'closed', i.category, i.renewal_date, i.current_arr, i.forecast_arr, i.customer_id, i.name,
           i.execution_id, i.assigned_to, null::date, 'outcome', null::text, i.recorded_by, i.recorded_at,
           null::integer, null::integer, null::text, i.forecast_category, i.forecast_arr_at_close
      from closed_items i
  ), categories(category, state, ord) as (
    values ('commit', 'open', 1), ('probable', 'open', 2), ('at_risk', 'open', 3), ('churn_expected', 'open', 4),
           ('renewed', 'closed', 5), ('downgraded', 'closed', 6), ('churned', 'closed', 7)
  ), totals as (
    select k.category, k.state, k.ord, count(a.category)::integer as count,
           coalesce(sum(a.current_arr), 0) as current_arr, coalesce(sum(a.forecast_arr), 0) as forecast_arr
      from categories k left join all_items a on a.category = k.category
     group by k.category, k.state, k.ord
  ), months as (
    select m::date as month
      from generate_series(date_trunc('month', get_renewal_forecast.period_start),
                           get_renewal_forecast.period_end - 1, interval '1 month') m
  ), month_totals as (
    select m.month, k.category, count(a.category)::integer as count,
           coalesce(sum(a.current_arr), 0) as current_arr, coalesce(sum(a.forecast_arr), 0) as forecast_arr
      from months m cross join categories k
      left join all_items a on a.category = k.category and date_trunc('month', a.renewal_date) = m.month
     group by m.month, k.category
  ), wanted as (
    select a.* from all_items a
     where (get_renewal_forecast.category is null or a.category = get_renewal_forecast.category)
       and (get_renewal_forecast.month is null
            or date_trunc('month', a.renewal_date) = date_trunc('month', get_renewal_forecast.month))
  ), page as (
    select w.* from wanted w order by w.renewal_date, w.name, w.customer_id limit get_renewal_forecast.max_items
  )
  select jsonb_build_object(
    'period_start', get_renewal_forecast.period_start,
    'period_end', get_renewal_forecast.period_end,
    'assignee_id', get_renewal_forecast.assignee_id,
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
    'items_total', (select count(*)::integer from wanted),
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
comment on function public.get_renewal_forecast(date, date, uuid, text, integer, date) is
  'Renewals with a renewal date in [period_start, period_end): totals by forecast category / outcome (count, current ARR, forecast ARR), by month, and the items.';
revoke execute on function public.get_renewal_forecast(date, date, uuid, text, integer, date) from public, anon;
grant execute on function public.get_renewal_forecast(date, date, uuid, text, integer, date) to authenticated;

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

-- The sums for the caller's organisation: cached pairs whose stamp is current, the rest
-- computed and stored. Security definer: reads every ARR history row of the caller's own
-- organisation (members may read them anyway) and writes the cache nobody writes directly.
create or replace function app.retention_pairs(org_id uuid, starts date[], ends date[])
returns table (period_start date, period_end date, customers integer, starting_arr numeric,
               expansion numeric, contraction numeric, churn numeric)
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_org uuid := retention_pairs.org_id;
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
    from (select distinct x.s, x.e from unnest(retention_pairs.starts, retention_pairs.ends) as x(s, e)) p
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
      join (select distinct x.s, x.e from unnest(retention_pairs.starts, retention_pairs.ends) as x(s, e)) p
        on c.period_start = p.s and c.period_end = p.e
     where c.org_id = v_org and c.version = v_version and c.time_zone = v_tz
       and not exists (select 1 from unnest(coalesce(v_computed, '{}'::app.retention_cache[])) t
                        where t.period_start = c.period_start and t.period_end = c.period_end);
end;
$$;
comment on function app.retention_pairs(uuid, date[], date[]) is
  'Retention sums for (start, end) pairs of the caller''s organisation, from the cache when its stamp is current.';
revoke execute on function app.retention_pairs(uuid, date[], date[]) from public, anon;
grant execute on function app.retention_pairs(uuid, date[], date[]) to authenticated, service_role;

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

create policy "Members can read their organisation's renewal forecasts"
  on app.renewal_forecasts for select to authenticated
  using (org_id = (select app.current_org_id()));

create policy "People who work on the renewal can set its forecast"
  on app.renewal_forecasts for insert to authenticated
  with check (org_id = (select app.current_org_id()) and app.can_work_on_execution(execution_id));

create policy "People who work on the renewal can change its forecast"
  on app.renewal_forecasts for update to authenticated
  using (org_id = (select app.current_org_id()) and app.can_work_on_execution(execution_id))
  with check (org_id = (select app.current_org_id()) and app.can_work_on_execution(execution_id));

create policy "Members can read their organisation's forecast history"
  on app.renewal_forecast_history for select to authenticated
  using (org_id = (select app.current_org_id()));

create policy "Members can read their organisation's renewal outcomes"
  on app.renewal_outcomes for select to authenticated
  using (org_id = (select app.current_org_id()));

create policy "Members can read their organisation's ARR history version"
  on app.arr_history_versions for select to authenticated
  using (org_id = (select app.current_org_id()));

create policy "Members can read their organisation's retention figures"
  on app.retention_cache for select to authenticated
  using (org_id = (select app.current_org_id()));

create trigger renewal_forecasts_stamp_person
  before insert or update on app.renewal_forecasts
  for each row execute function app.renewal_forecasts_stamp_person();

create trigger renewal_forecasts_record_history
  after insert or update on app.renewal_forecasts
  for each row execute function app.renewal_forecasts_record_history();

create trigger arr_history_bump_version_ins
  after insert on app.arr_history
  referencing new table as new_rows
  for each statement execute function app.bump_arr_history_version();

create trigger arr_history_bump_version_upd
  after update on app.arr_history
  referencing old table as old_rows new table as new_rows
  for each statement execute function app.bump_arr_history_version();

create trigger arr_history_bump_version_del
  after delete on app.arr_history
  referencing old table as old_rows
  for each statement execute function app.bump_arr_history_version();
