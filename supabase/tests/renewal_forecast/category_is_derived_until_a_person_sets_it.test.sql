-- The forecast category of an open renewal is derived (at_risk when health < 50 or
-- risk_score >= 60, else probable; never commit) until a person sets one; a customer without
-- an open renewal has none; the person-set category survives the orchestrator replacing
-- the stage execution (same renewal), and a new renewal date starts derived again.
begin;
select plan(14);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, risk_score, renewal_date, assigned_to) values
  (:'org', 'Healthy', 100000, 80, null, :'today'::date + 40, :'csm'),
  (:'org', 'Sick', 100000, 49, null, :'today'::date + 40, :'csm'),
  (:'org', 'Borderline', 100000, 50, 59, :'today'::date + 40, :'csm'),
  (:'org', 'Risky', 100000, 90, 60, :'today'::date + 40, :'csm'),
  (:'org', 'Unscored', 100000, null, null, :'today'::date + 40, :'csm'),
  (:'org', 'No renewal', 100000, 20, 90, null, :'csm');
select id as healthy from app.customers where name = 'Healthy' \gset
select id as norenewal from app.customers where name = 'No renewal' \gset

select is(app.customer_forecast_category(:'org', :'healthy'), null, 'before the orchestrator opens a renewal: no category');
select app.run_orchestrator_for_org(:'org') is not null as ran \gset

select is(app.customer_forecast_category(:'org', c.id), 'probable', 'health 80, no risk: probable') from app.customers c where c.name = 'Healthy';
select is(app.customer_forecast_category(:'org', c.id), 'at_risk', 'health 49: at_risk') from app.customers c where c.name = 'Sick';
select is(app.customer_forecast_category(:'org', c.id), 'probable', 'health 50 and risk 59: probable (boundaries)') from app.customers c where c.name = 'Borderline';
select is(app.customer_forecast_category(:'org', c.id), 'at_risk', 'risk 60: at_risk') from app.customers c where c.name = 'Risky';
select is(app.customer_forecast_category(:'org', c.id), 'probable', 'no scores: probable (missing health counts as 50)') from app.customers c where c.name = 'Unscored';
select is(app.customer_forecast_category(:'org', :'norenewal'), null, 'no renewal date: no category');
select is(app.derive_forecast_category(h, r), e, format('derived(%s, %s) = %s', h, r, e))
  from (values (0, 100, 'at_risk')) v(h, r, e);

select e.id as eid from app.workflow_executions e join app.workflows w on w.id = e.workflow_id and w.workflow_type = 'renewal'
 where e.customer_id = :'healthy' and e.status = 'queued' \gset
select tests.authenticate_as('e_csm');
insert into app.renewal_forecasts (org_id, customer_id, renewal_date, execution_id, category, note)
select :'org', :'healthy', c.renewal_date, :'eid', 'commit', 'Signed order form expected' from app.customers c where c.id = :'healthy';
select is(app.customer_forecast_category(:'org', :'healthy'), 'commit', 'a person set commit: commit');
select results_eq(
  $$ select category, changed_by, note from app.renewal_forecast_history $$,
  $$ values ('commit', tests.get_supabase_uid('e_csm'), 'Signed order form expected') $$,
  'the change is in the history with who set it');
select tests.clear_authentication();

select throws_ok(
  format($$ insert into app.renewal_forecast_history (org_id, execution_id, customer_id, renewal_date, category)
            values (%L, %L, %L, current_date, 'commit') $$, :'org', :'eid', :'healthy'),
  '42501', null, 'history is not written by hand (no grant)') from (select tests.authenticate_as('e_manager')) s;
select tests.clear_authentication();
select throws_ok(
  format($$ update app.renewal_forecasts set category = 'commit' where customer_id = %L $$, :'healthy'),
  '42501', null, 'without a signed-in person nobody sets a forecast (not even commit by a service)');

-- The stage moves on: the orchestrator supersedes the execution; the forecast holds.
update app.customers set renewal_date = :'today'::date + 20 where id = :'healthy';
update app.customers set renewal_date = :'today'::date + 40 where id = :'healthy';
select is(app.customer_forecast_category(:'org', :'healthy'), 'commit', 'same renewal date: the person-set category holds');
update app.customers set renewal_date = :'today'::date + 400 where id = :'healthy';
select app.run_orchestrator_for_org(:'org') is not null as ran2 \gset
select is(app.customer_forecast_category(:'org', :'healthy'), 'probable', 'a new renewal date: derived again');

select * from finish();
rollback;
