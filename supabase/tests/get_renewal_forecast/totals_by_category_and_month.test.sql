-- get_renewal_forecast: renewals with a renewal date in [period_start, period_end), open
-- ones under their forecast category (person-set, else derived), closed ones under their
-- outcome; totals by category (count, current ARR, forecast ARR) and by month add up to
-- the hand-computed figures below; items are the renewals behind them; the assignee and
-- category filters; another organisation sees nothing; bad periods are refused.
begin;
select plan(17);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
select (date_trunc('month', :'today'::date + 60))::date as p0 \gset
select (:'p0'::date + interval '3 months')::date as p1 \gset
insert into app.customers (org_id, name, arr, health_score, risk_score, renewal_date, assigned_to) values
  (:'org', 'A committed', 100000, 80, null, :'p0'::date + 5, :'csm'),
  (:'org', 'B unhealthy', 50000, 40, null, :'p0'::date + 35, :'csm'),
  (:'org', 'C risky', 30000, 90, 70, :'p0'::date + 40, :'csm2'),
  (:'org', 'D leaving', 20000, 70, null, :'p0'::date + 70, :'csm'),
  (:'org', 'E before', 999, 70, null, :'p0'::date - 1, :'csm'),
  (:'org', 'F downgraded', 40000, 70, null, :'p0'::date + 10, :'csm'),
  (:'org', 'G fine', 10000, 60, null, :'p0'::date + 20, :'csm'),
  (:'org', 'H after', 777, 70, null, :'p1'::date, :'csm');
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'other_org', 'Elsewhere', 5000, 70, :'p0'::date + 5, :'other_csm');
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select app.run_orchestrator_for_org(:'other_org') is not null as ran_other \gset
create temp table r on commit drop as
  select c.name, e.id as eid from app.customers c
  join app.workflow_executions e on e.customer_id = c.id and e.status = 'queued' and e.renewal_stage is not null
  where c.org_id = :'org';
grant select on r to authenticated;

select tests.authenticate_as('e_manager');
select public.set_renewal_forecast((select eid from r where name = 'A committed'), 'commit', 110000) is not null as a \gset
select public.set_renewal_forecast((select eid from r where name = 'D leaving'), 'churn_expected', 0) is not null as d \gset
select public.record_renewal_outcome((select eid from r where name = 'F downgraded'), 'downgraded', 30000) is not null as f \gset

select tests.authenticate_as('e_csm');
select public.get_renewal_forecast(:'p0', :'p1') as fc \gset
select is((select jsonb_object_agg(x ->> 'category', jsonb_build_array((x ->> 'count')::int, (x ->> 'current_arr')::numeric, (x ->> 'forecast_arr')::numeric))
             from jsonb_array_elements(:'fc'::jsonb -> 'by_category') x),
  '{"commit": [1, 100000, 110000], "probable": [1, 10000, 10000], "at_risk": [2, 80000, 80000],
    "churn_expected": [1, 20000, 0], "renewed": [0, 0, 0], "downgraded": [1, 40000, 30000], "churned": [0, 0, 0]}'::jsonb,
  'totals by category: count, current ARR, forecast ARR');
select is((select array_agg(x ->> 'category' order by ord) from jsonb_array_elements(:'fc'::jsonb -> 'by_category') with ordinality t(x, ord)),
  array['commit', 'probable', 'at_risk', 'churn_expected', 'renewed', 'downgraded', 'churned'], 'categories in a fixed order, zeros included');
select is(:'fc'::jsonb -> 'totals' -> 'open', '{"count": 5, "current_arr": 210000.00, "forecast_arr": 200000.00}'::jsonb, 'open totals');
select is(:'fc'::jsonb -> 'totals' -> 'closed', '{"count": 1, "current_arr": 40000.00, "forecast_arr": 30000.00}'::jsonb, 'closed totals');
select is((select jsonb_agg(jsonb_build_array(x ->> 'month', (x ->> 'count')::int, (x ->> 'current_arr')::numeric, (x ->> 'forecast_arr')::numeric) order by x ->> 'month')
             from jsonb_array_elements(:'fc'::jsonb -> 'by_month') x),
  jsonb_build_array(jsonb_build_array(:'p0'::date, 3, 150000, 150000),
                    jsonb_build_array((:'p0'::date + interval '1 month')::date, 2, 80000, 80000),
                    jsonb_build_array((:'p0'::date + interval '2 months')::date, 1, 20000, 0)),
  'by month: three months, each with its count and ARR');
select is(:'fc'::jsonb -> 'by_month' -> 0 -> 'by_category' -> 'commit', '{"count": 1, "current_arr": 100000.00, "forecast_arr": 110000.00}'::jsonb,
  'each month is split by category');
select is((select array_agg(x -> 'customer' ->> 'name' order by ord) from jsonb_array_elements(:'fc'::jsonb -> 'items') with ordinality t(x, ord)),
  array['A committed', 'F downgraded', 'G fine', 'B unhealthy', 'C risky', 'D leaving'], 'the items, in renewal date order (outside the period: none)');
select is((select x ->> 'category_source' from jsonb_array_elements(:'fc'::jsonb -> 'items') x where x -> 'customer' ->> 'name' = 'B unhealthy'),
  'derived', 'an item says whether its category is derived');
select is((select x -> 'outcome' ->> 'outcome' from jsonb_array_elements(:'fc'::jsonb -> 'items') x where x -> 'customer' ->> 'name' = 'F downgraded'),
  'downgraded', 'a closed item carries its outcome');
select is_empty(format($$ select x from jsonb_array_elements(%L::jsonb -> 'items') x
                          where x ->> 'state' = 'open'
                            and x ->> 'category' is distinct from app.customer_forecast_category(%L, (x -> 'customer' ->> 'id')::uuid) $$,
                       :'fc', :'org'),
  'every open item''s category is app.customer_forecast_category''s (the inlined rule agrees)');

select is((select array_agg(x -> 'customer' ->> 'name') from jsonb_array_elements(public.get_renewal_forecast(:'p0', :'p1', category => 'at_risk') -> 'items') x),
  array['B unhealthy', 'C risky'], 'items of one category');
select is(public.get_renewal_forecast(:'p0', :'p1', max_items => 2) -> 'items_total', '6'::jsonb, 'items_total counts all of them');
select is(jsonb_array_length(public.get_renewal_forecast(:'p0', :'p1', max_items => 2) -> 'items'), 2, '... while items holds max_items');
select is(public.get_renewal_forecast(:'p0', :'p1', :'csm2') -> 'totals' -> 'open' ->> 'count', '1', 'assignee_id: only that person''s renewals');
select throws_ok(format($$ select public.get_renewal_forecast(%L, %L) $$, :'p1', :'p0'), '22023', null, 'an empty period is refused');

select tests.authenticate_as('o_csm');
select is(public.get_renewal_forecast(:'p0', :'p1') -> 'totals' -> 'count', '1'::jsonb, 'another organisation sees only its own renewal');
select tests.authenticate_as('e_viewer');
select is(public.get_renewal_forecast(:'p0', :'p1') -> 'totals' -> 'count', '6'::jsonb, 'a viewer reads the forecast');

select * from finish();
rollback;
