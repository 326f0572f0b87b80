-- The forecast totals kept by triggers (app.forecast_open_renewals, app.forecast_month_totals,
-- app.forecast_book_totals) equal a fresh count from the base tables after each kind of
-- change: renewals opened by the orchestrator (bulk insert), a person's category and
-- forecast ARR, ARR / scores / name / renewal date changed in one bulk update, a customer
-- reassigned (its open work follows), an outcome recorded, an execution cancelled or
-- deleted, a customer deleted. get_renewal_forecast for a period that starts and ends
-- mid-month (whole months from the totals, the edges from the renewals) matches a direct
-- count. The items come a keyset page at a time (next_after).
begin;
select plan(15);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
select (date_trunc('month', :'today'::date + 60))::date as p0 \gset

create or replace function pg_temp.mismatches(org uuid) returns bigint language sql as $$
  with kept as (select month, category, assigned_to, renewals, current_arr, forecast_arr
                  from app.forecast_book_totals where org_id = org and renewals <> 0),
       kept_org as (select month, category, renewals, current_arr, forecast_arr
                      from app.forecast_month_totals where org_id = org and renewals <> 0),
       fresh as (select month, category, assigned_to, renewals, current_arr::numeric(16, 2), forecast_arr::numeric(16, 2)
                   from app.forecast_totals_recomputed(org)),
       fresh_org as (select month, category, sum(renewals)::integer as renewals, sum(current_arr)::numeric(16, 2) as current_arr,
                            sum(forecast_arr)::numeric(16, 2) as forecast_arr
                       from fresh group by month, category),
       rows_kept as (select customer_id, renewal_date, name, assigned_to, category, category_source, current_arr, forecast_arr
                       from app.forecast_open_renewals where org_id = org),
       rows_fresh as (select customer_id, renewal_date, name, assigned_to, category, category_source, current_arr, forecast_arr
                        from app.forecast_wanted_rows(array(select id from app.customers where org_id = org)))
  select (select count(*) from ((select * from kept except select * from fresh) union all (select * from fresh except select * from kept)) a)
       + (select count(*) from ((select * from kept_org except select * from fresh_org) union all (select * from fresh_org except select * from kept_org)) b)
       + (select count(*) from ((select * from rows_kept except select * from rows_fresh) union all (select * from rows_fresh except select * from rows_kept)) d)
$$;

insert into app.customers (org_id, name, arr, health_score, risk_score, renewal_date, assigned_to)
select :'org', 'Customer ' || i, 1000 * i + 0.25, 30 + (i * 7) % 70, (i * 13) % 100, :'p0'::date + (i * 5) % 120,
       case i % 3 when 0 then :'csm'::uuid when 1 then :'csm2'::uuid end
  from generate_series(1, 30) i;
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'other_org', 'Elsewhere', 5000, 70, :'p0'::date + 5, :'other_csm');
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select app.run_orchestrator_for_org(:'other_org') is not null as ran_other \gset
select cmp_ok((select count(*) from app.forecast_open_renewals where org_id = :'org'), '>=', 20::bigint, 'the orchestrator''s renewals are counted');
select is(pg_temp.mismatches(:'org'), 0::bigint, 'renewals opened in bulk: totals per month, category and assignee as counted afresh');

create temp table r on commit drop as
  select c.name, e.id as eid from app.customers c
  join app.workflow_executions e on e.customer_id = c.id and e.status in ('queued', 'in_progress', 'snoozed', 'escalated')
   and e.renewal_stage is not null
  where c.org_id = :'org';
grant select on r to authenticated;

select tests.authenticate_as('e_manager');
select public.set_renewal_forecast((select eid from r where name = 'Customer 3'), 'commit', 12345.67) is not null as a \gset
select public.set_renewal_forecast((select eid from r where name = 'Customer 4'), 'churn_expected') is not null as b \gset
select public.set_renewal_forecast((select eid from r where name = 'Customer 3'), 'probable') is not null as a2 \gset
select public.record_renewal_outcome((select eid from r where name = 'Customer 6'), 'downgraded', 1000) is not null as o1 \gset
select public.record_renewal_outcome((select eid from r where name = 'Customer 7'), 'churned') is not null as o2 \gset
select tests.clear_authentication();
select is(pg_temp.mismatches(:'org'), 0::bigint, 'categories set by a person and outcomes recorded');

update app.customers set arr = arr * 2, health_score = 100 - health_score, risk_score = (risk_score + 40) % 100
 where org_id = :'org' and name like 'Customer 1%';
select is(pg_temp.mismatches(:'org'), 0::bigint, 'ARR and scores changed in one bulk update');
update app.customers set renewal_date = renewal_date + 40, name = name || ' (renamed)' where org_id = :'org' and name in ('Customer 2', 'Customer 3');
select is(pg_temp.mismatches(:'org'), 0::bigint, 'a renewal date moved (a person''s category is for the old date) and a name changed');

update app.customers set assigned_to = :'csm2' where org_id = :'org' and assigned_to = :'csm';
select is(pg_temp.mismatches(:'org'), 0::bigint, 'a book reassigned (the open renewals follow)');
select is((select count(*) from app.forecast_book_totals where org_id = :'org' and assigned_to = :'csm' and category in ('commit', 'probable', 'at_risk', 'churn_expected') and renewals <> 0),
  0::bigint, 'the old assignee has no open renewals left');

update app.workflow_executions set status = 'in_progress', started_at = now()
 where id = (select eid from r where name = 'Customer 11');
select is(pg_temp.mismatches(:'org'), 0::bigint, 'a renewal started (still open)');
update app.workflow_executions set status = 'cancelled', completed_at = now()
 where id = (select eid from r where name = 'Customer 12');
select is(pg_temp.mismatches(:'org'), 0::bigint, 'a renewal cancelled');
delete from app.workflow_executions where id = (select eid from r where name = 'Customer 13');
select is(pg_temp.mismatches(:'org'), 0::bigint, 'an execution deleted');
delete from app.customers where org_id = :'org' and name in ('Customer 14', 'Customer 6');
select is(pg_temp.mismatches(:'org'), 0::bigint, 'customers deleted (one with an outcome): their rows go by cascade');
select is(pg_temp.mismatches(:'other_org'), 0::bigint, 'the other organisation is counted apart');

-- A period from mid-month to mid-month: the whole months come from the totals, the edges
-- from the renewals; both add up to a direct count.
select tests.authenticate_as('e_manager');
select public.get_renewal_forecast((:'p0'::date + 10)::text, (:'p0'::date + interval '2 months 17 days')::date::text) as fc \gset
select tests.clear_authentication();
select is((:'fc'::jsonb -> 'totals' ->> 'count')::int,
  (select count(*)::int from (
     select renewal_date from app.forecast_open_renewals where org_id = :'org'
     union all select renewal_date from app.renewal_outcomes where org_id = :'org') x
    where x.renewal_date >= :'p0'::date + 10 and x.renewal_date < (:'p0'::date + interval '2 months 17 days')::date),
  'a period from mid-month to mid-month counts every renewal in it once');
select is((:'fc'::jsonb ->> 'items_total')::int, (:'fc'::jsonb -> 'totals' ->> 'count')::int, 'items_total is the same count');

create or replace function pg_temp.paged(p0 date, p1 date) returns text[] language plpgsql as $$
declare
  v_after jsonb;
  v_page jsonb;
  v_names text[] := '{}';
begin
  loop
    v_page := public.get_renewal_forecast(p0::text, p1::text, max_items => 4, after => v_after);
    v_names := v_names || array(select x -> 'customer' ->> 'name' from jsonb_array_elements(v_page -> 'items') x);
    v_after := v_page -> 'next_after';
    exit when v_after is null or jsonb_typeof(v_after) = 'null';
  end loop;
  return v_names;
end;
$$;
grant execute on function pg_temp.paged(date, date) to authenticated;
select tests.authenticate_as('e_manager');
select is(pg_temp.paged(:'p0', (:'p0'::date + interval '4 months')::date),
  array(select x -> 'customer' ->> 'name'
          from jsonb_array_elements(public.get_renewal_forecast(:'p0', (:'p0'::date + interval '4 months')::date::text) -> 'items') x),
  'pages of 4 items, each starting after the last (next_after), give every item once and in order');
select tests.clear_authentication();

select * from finish();
rollback;
