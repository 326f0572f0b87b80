-- The forecast and retention tables: members read their own organisation's rows; another
-- organisation sees none; a viewer writes none; history, outcomes, the ARR-history version
-- and the retention cache are written only by their functions (no direct grant), and anon
-- has no access at all. The kept totals and figures (forecast_open_renewals,
-- forecast_month_totals, forecast_book_totals, retention_state, retention_figures) are
-- written by triggers only.
begin;
select plan(32);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to) values
  (:'org', 'Forecast Co', 100000, 80, :'today'::date + 40, :'csm'),
  (:'org', 'Outcome Co', 50000, 80, :'today'::date + 40, :'csm');
insert into app.arr_history (org_id, customer_id, arr, recorded_at)
select :'org', id, arr, now() - interval '2 years' from app.customers where org_id = :'org';
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid from app.workflow_executions e join app.customers c on c.id = e.customer_id
 where c.name = 'Forecast Co' and e.status = 'queued' and e.renewal_stage is not null \gset
select e.id as oid from app.workflow_executions e join app.customers c on c.id = e.customer_id
 where c.name = 'Outcome Co' and e.status = 'queued' and e.renewal_stage is not null \gset
select tests.authenticate_as('e_csm');
select public.set_renewal_forecast(:'eid', 'commit') is not null as s \gset
select public.record_renewal_outcome(:'oid', 'churned') is not null as o \gset
select public.get_retention_metrics(date_trunc('month', now() - interval '1 year')::date::text, date_trunc('month', now())::date::text) is not null as r \gset
select tests.clear_authentication();

create temporary table new_tables (name text) on commit drop;
insert into new_tables values ('renewal_forecasts'), ('renewal_forecast_history'), ('renewal_outcomes'),
  ('arr_history_versions'), ('forecast_open_renewals'), ('forecast_month_totals'), ('forecast_book_totals'),
  ('retention_state'), ('retention_figures');
grant select on new_tables to authenticated, anon;

select tests.authenticate_as('o_manager');
select is(tests.visible_rows(name, :'org'), 0, format('another organisation sees none of %s', name)) from new_tables order by name;
select tests.authenticate_as('e_viewer');
select cmp_ok(tests.visible_rows(name, :'org'), '>', 0, format('a viewer reads the organisation''s %s', name)) from new_tables order by name;
select throws_ok(format($$ select public.set_renewal_forecast(%L, 'probable') $$, :'eid'), '42501', null, 'a viewer cannot set a forecast');
select is_empty(format($$ update app.renewal_forecasts set note = 'x' where execution_id = %L returning 1 $$, :'eid'), 'a viewer''s direct update matches nothing');
select throws_ok(format($$ insert into app.renewal_forecasts (org_id, customer_id, renewal_date, execution_id, category)
                           select org_id, customer_id, current_date, id, 'commit' from app.workflow_executions where id = %L $$, :'eid'),
  '42501', null, 'a viewer''s direct insert is refused');

select tests.authenticate_as('e_manager');
select throws_ok($$ insert into app.renewal_outcomes (org_id, customer_id, execution_id, renewal_date, outcome, previous_arr, new_arr)
                    select org_id, customer_id, execution_id, renewal_date + 1, 'renewed', 1, 1 from app.renewal_outcomes limit 1 $$,
  '42501', null, 'outcomes are not written directly, even by a manager');
select throws_ok($$ update app.arr_history_versions set version = 0 $$, '42501', null, 'nor the ARR-history version');
select throws_ok($$ update app.retention_cache set churn = 0 $$, '42501', null, 'nor the retention cache');
select throws_ok($$ delete from app.renewal_forecast_history $$, '42501', null, 'nor the forecast history');
select throws_ok($$ update app.forecast_month_totals set renewals = 0 $$, '42501', null, 'nor the kept forecast totals');
select throws_ok($$ insert into app.forecast_open_renewals select * from app.forecast_open_renewals $$, '42501', null, 'nor the kept open renewals');
select throws_ok($$ update app.retention_figures set churn = 0 $$, '42501', null, 'nor the kept retention figures');

select tests.authenticate_as_anon();
select throws_ok($$ select 1 from app.retention_cache $$, '42501', null, 'anon reads nothing');
select throws_ok($$ select 1 from app.retention_figures $$, '42501', null, 'not the kept retention figures');
select throws_ok($$ select 1 from app.forecast_month_totals $$, '42501', null, 'nor the kept forecast totals');
select throws_ok($$ select public.get_renewal_forecast(current_date::text, (current_date + 90)::text) $$, '42501', null, 'anon cannot call the forecast');

select * from finish();
rollback;
