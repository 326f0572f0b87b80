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
create policy "Members can read their organisation's open renewals"
  on app.forecast_open_renewals for select to authenticated
  using (org_id = (select app.current_org_id()));
create policy "Members can read their organisation's forecast totals"
  on app.forecast_month_totals for select to authenticated
  using (org_id = (select app.current_org_id()));
create policy "Members can read their organisation's forecast totals per book"
  on app.forecast_book_totals for select to authenticated
  using (org_id = (select app.current_org_id()));
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

create or replace function app.forecast_open_renewals_count()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op = 'INSERT' then
    perform app.forecast_add(array(
      select row(n.org_id, date_trunc('month', n.renewal_date)::date, n.category, n.assigned_to, 1, n.current_arr, n.forecast_arr)::app.forecast_delta
        from new_rows n));
  elsif tg_op = 'UPDATE' then
    perform app.forecast_add(array(
      select row(n.org_id, date_trunc('month', n.renewal_date)::date, n.category, n.assigned_to, 1, n.current_arr, n.forecast_arr)::app.forecast_delta
        from new_rows n
      union all
      select row(o.org_id, date_trunc('month', o.renewal_date)::date, o.category, o.assigned_to, -1, -o.current_arr, -o.forecast_arr)::app.forecast_delta
        from old_rows o));
  else
    perform app.forecast_add(array(
      select row(o.org_id, date_trunc('month', o.renewal_date)::date, o.category, o.assigned_to, -1, -o.current_arr, -o.forecast_arr)::app.forecast_delta
        from old_rows o));
  end if;
  return null;
end;
$$;

create trigger forecast_open_renewals_count_ins
  after insert on app.forecast_open_renewals referencing new table as new_rows
  for each statement execute function app.forecast_open_renewals_count();
create trigger forecast_open_renewals_count_upd
  after update on app.forecast_open_renewals referencing old table as old_rows new table as new_rows
  for each statement execute function app.forecast_open_renewals_count();
create trigger forecast_open_renewals_count_del
  after delete on app.forecast_open_renewals referencing old table as old_rows
  for each statement execute function app.forecast_open_renewals_count();

-- Closed renewals count under their outcome: ARR before (current) and after (forecast).
create or replace function app.renewal_outcomes_count()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op = 'INSERT' then
    perform app.forecast_add(array(
      select row(n.org_id, date_trunc('month', n.renewal_date)::date, n.outcome, n.assigned_to, 1, n.previous_arr, n.new_arr)::app.forecast_delta
        from new_rows n));
  elsif tg_op = 'UPDATE' then
    perform app.forecast_add(array(
      select row(n.org_id, date_trunc('month', n.renewal_date)::date, n.outcome, n.assigned_to, 1, n.previous_arr, n.new_arr)::app.forecast_delta
        from new_rows n
      union all
      select row(o.org_id, date_trunc('month', o.renewal_date)::date, o.outcome, o.assigned_to, -1, -o.previous_arr, -o.new_arr)::app.forecast_delta
        from old_rows o));
  else
    perform app.forecast_add(array(
      select row(o.org_id, date_trunc('month', o.renewal_date)::date, o.outcome, o.assigned_to, -1, -o.previous_arr, -o.new_arr)::app.forecast_delta
        from old_rows o));
  end if;
  return null;
end;
$$;

create trigger renewal_outcomes_count_ins
  after insert on app.renewal_outcomes referencing new table as new_rows
  for each statement execute function app.renewal_outcomes_count();
create trigger renewal_outcomes_count_upd
  after update on app.renewal_outcomes referencing old table as old_rows new table as new_rows
  for each statement execute function app.renewal_outcomes_count();
create trigger renewal_outcomes_count_del
  after delete on app.renewal_outcomes referencing old table as old_rows
  for each statement execute function app.renewal_outcomes_count();

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
  perform app.forecast_refresh_customers(array(
    select n.id from new_rows n join old_rows o on o.id = n.id
     where (n.name, n.arr, n.health_score, n.risk_score, n.renewal_date, n.org_id)
           is distinct from (o.name, o.arr, o.health_score, o.risk_score, o.renewal_date, o.org_id)));
  return null;
end;
$$;
create trigger customers_refresh_forecast
  after update on app.customers referencing old table as old_rows new table as new_rows
  for each statement execute function app.customers_refresh_forecast();

-- Executions: only rows that are or were open renewals, and only changes that matter
-- (opened, closed, reassigned, moved); a queue claim (queued -> in_progress) is neither.
create or replace function app.executions_refresh_forecast()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op = 'INSERT' then
    perform app.forecast_refresh_customers(array(
      select distinct n.customer_id from new_rows n
       where n.renewal_stage is not null and n.status in ('queued', 'in_progress', 'snoozed', 'escalated')));
  elsif tg_op = 'UPDATE' then
    perform app.forecast_refresh_customers(array(
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
              or n.created_at is distinct from o.created_at)));
  else
    perform app.forecast_refresh_customers(array(
      select distinct o.customer_id from old_rows o
       where o.renewal_stage is not null and o.status in ('queued', 'in_progress', 'snoozed', 'escalated')));
  end if;
  return null;
end;
$$;
create trigger workflow_executions_refresh_forecast_ins
  after insert on app.workflow_executions referencing new table as new_rows
  for each statement execute function app.executions_refresh_forecast();
create trigger workflow_executions_refresh_forecast_upd
  after update on app.workflow_executions referencing old table as old_rows new table as new_rows
  for each statement execute function app.executions_refresh_forecast();
create trigger workflow_executions_refresh_forecast_del
  after delete on app.workflow_executions referencing old table as old_rows
  for each statement execute function app.executions_refresh_forecast();

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
create trigger renewal_forecasts_refresh_forecast_ins
  after insert on app.renewal_forecasts referencing new table as new_rows
  for each statement execute function app.renewal_forecasts_refresh_forecast();
create trigger renewal_forecasts_refresh_forecast_upd
  after update on app.renewal_forecasts referencing old table as old_rows new table as new_rows
  for each statement execute function app.renewal_forecasts_refresh_forecast();
create trigger renewal_forecasts_refresh_forecast_del
  after delete on app.renewal_forecasts referencing old table as old_rows
  for each statement execute function app.renewal_forecasts_refresh_forecast();

---------------------------------------------------------------------------------------
-- Fill from what exists
---------------------------------------------------------------------------------------

insert into app.forecast_open_renewals
select * from app.forecast_wanted_rows(array(
  select distinct e.customer_id from app.workflow_executions e
   where e.status in ('queued', 'in_progress', 'snoozed', 'escalated') and e.renewal_stage is not null));
select app.forecast_add(array(
  select row(o.org_id, date_trunc('month', o.renewal_date)::date, o.outcome, o.assigned_to, 1, o.previous_arr, o.new_arr)::app.forecast_delta
    from app.renewal_outcomes o));

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
