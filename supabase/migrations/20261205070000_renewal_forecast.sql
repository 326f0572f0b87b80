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
-- Policies filter on org_id; the forecast reads an organisation's renewals by date.
create index renewal_forecasts_org_id_renewal_date_idx on app.renewal_forecasts (org_id, renewal_date);
create index renewal_forecasts_execution_id_idx on app.renewal_forecasts (execution_id, org_id);
create index renewal_forecasts_set_by_idx on app.renewal_forecasts (org_id, set_by) where set_by is not null;
comment on table app.renewal_forecasts is
  'The forecast category and ARR a person set for a customer''s renewal (customer, renewal date); without a row the category is derived.';

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
create index renewal_forecast_history_customer_id_idx
  on app.renewal_forecast_history (customer_id, org_id, changed_at desc);
create index renewal_forecast_history_execution_id_idx on app.renewal_forecast_history (execution_id, org_id);
create index renewal_forecast_history_org_id_idx on app.renewal_forecast_history (org_id, changed_at desc);
create index renewal_forecast_history_changed_by_idx on app.renewal_forecast_history (org_id, changed_by)
  where changed_by is not null;
comment on table app.renewal_forecast_history is
  'Every forecast change of a renewal: category, forecast ARR, note, who and when (written by a trigger only).';

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

create trigger renewal_forecasts_stamp_person
  before insert or update on app.renewal_forecasts
  for each row execute function app.renewal_forecasts_stamp_person();
create trigger renewal_forecasts_record_history
  after insert or update on app.renewal_forecasts
  for each row execute function app.renewal_forecasts_record_history();

alter table app.renewal_forecasts enable row level security;
alter table app.renewal_forecast_history enable row level security;

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

grant select, insert, update on app.renewal_forecasts to authenticated;
grant select on app.renewal_forecast_history to authenticated;
grant select, insert, update, delete on app.renewal_forecasts to service_role;
grant select, insert, update, delete on app.renewal_forecast_history to service_role;

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
       select 1
         from app.workflow_executions e
         join app.workflows w on w.id = e.workflow_id and w.workflow_type = 'renewal'
        where e.customer_id = c.id and e.org_id = c.org_id
          and e.status in ('queued', 'in_progress', 'snoozed', 'escalated'))
$$;
comment on function app.customer_forecast_category(uuid, uuid) is
  'Forecast category of the customer''s open renewal (person-set, else derived); null without an open renewal.';

grant execute on function app.derive_forecast_category(integer, integer) to authenticated, service_role;
grant execute on function app.customer_forecast_category(uuid, uuid) to authenticated, service_role;
