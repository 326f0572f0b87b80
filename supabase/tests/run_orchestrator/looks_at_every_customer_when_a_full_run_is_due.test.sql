-- The run is a full one on the first run, when asked, when the definitions or settings
-- changed, on a new month (schedules and score periods fall due together) and when run
-- for an earlier day; otherwise it is incremental. People's changes mark customers; the
-- orchestrator's own writes do not.
begin;
select plan(9);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
select (date_trunc('month', :'today'::date) + interval '1 day')::date as d0 \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
select :'org', 'Customer ' || g, 40000, 55, :'d0'::date + 10 * g, :'csm' from generate_series(1, 10) g;

select is(app.run_orchestrator_for_org(:'org', :'d0'::date) ->> 'full_reason', 'first run', 'the first run is full');
select is((select count(*)::int from app.orchestrator_dirty_customers where org_id = :'org'), 0,
          'the orchestrator''s own writes leave no mark');
select is(app.run_orchestrator_for_org(:'org', :'d0'::date + 1) ->> 'mode', 'incremental', 'the next day is incremental');
select is(app.run_orchestrator_for_org(:'org', :'d0'::date + 1, full_run => true) ->> 'full_reason', 'requested', 'full_run => true');

update app.organisation_settings set risk_score_trigger = 50 where org_id = :'org';
select is(app.run_orchestrator_for_org(:'org', :'d0'::date + 1) ->> 'full_reason', 'definitions or settings changed', 'a settings change');

select tests.authenticate_as('e_admin');
select public.set_workflow_enabled('health-check', false) is not null as off \gset
select tests.clear_authentication();
select is(app.run_orchestrator_for_org(:'org', :'d0'::date + 1) ->> 'full_reason', 'definitions or settings changed', 'a definition switched off');

select is(app.run_orchestrator_for_org(:'org', (:'d0'::date + interval '1 month')::date) ->> 'full_reason',
          'a new month: schedules and score periods are due', 'a new month');
select is(app.run_orchestrator_for_org(:'org', :'d0'::date) ->> 'full_reason', 'an earlier day than the last run', 'an earlier day');

update app.customers set risk_score = 90 where name = 'Customer 3';
select is((select count(*)::int from app.orchestrator_dirty_customers d join app.customers c on c.id = d.customer_id
            where d.org_id = :'org' and c.name = 'Customer 3'), 1, 'a person''s change marks the customer');

select * from finish();
rollback;
