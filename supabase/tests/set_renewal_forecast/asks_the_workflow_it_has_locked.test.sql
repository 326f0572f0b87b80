-- set_renewal_forecast locks the workflow as its other writers do (the assignee's workload,
-- then the execution row; migration 20261206214000) and asks the hold and the open state on
-- the locked row. One session cannot race: the race is tests/integration/forecast-races.test.ts,
-- which fails without the locks. This file is a regression guard of the answers the
-- forecast gives once an escalation or an outcome has committed (the same before and after
-- the locks, from the unlocked check): an
-- escalated renewal is refused (PT409, nobody forecasts it), a closed one keeps the
-- forecast and outcome it closed with, and neither call stores anything.
begin;
select plan(10);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to) values
  (:'org', 'Escalates', 180000, 68, :'today'::date + 3, :'csm'),
  (:'org', 'Closes', 100000, 80, :'today'::date + 40, :'csm');
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as esc_eid, e.customer_id as esc_cust from app.workflow_executions e join app.customers c on c.id = e.customer_id
 where c.name = 'Escalates' and e.status = 'queued' and e.renewal_stage is not null \gset
select e.id as closed_eid, e.customer_id as closed_cust from app.workflow_executions e join app.customers c on c.id = e.customer_id
 where c.name = 'Closes' and e.status = 'queued' and e.renewal_stage is not null \gset

-- The escalation commits first; the forecast that follows is refused and stores nothing.
select tests.authenticate_as('e_csm');
select public.start_workflow(:'esc_eid') is not null as s \gset
select public.execute_action('escalate', :'esc_eid', '{"reason": "Procurement blocks the renewal"}') is not null as esc \gset
select throws_ok(format('select public.set_renewal_forecast(%L, %L, %s)', :'esc_eid', 'commit', 190000),
  'PT409', 'Cannot forecast this workflow: it is escalated and on hold', 'an escalated renewal takes no forecast from its CSM');
select tests.authenticate_as('e_manager');
select throws_ok(format('select public.set_renewal_forecast(%L, %L)', :'esc_eid', 'at_risk'),
  'PT409', 'Cannot forecast this workflow: it is escalated and on hold', 'nor from a manager');
select tests.clear_authentication();
select is((select count(*)::int from app.renewal_forecasts where customer_id = :'esc_cust'), 0, 'no forecast was stored');
select is((select count(*)::int from app.renewal_forecast_history where customer_id = :'esc_cust'), 0, '... and no history');

-- The outcome commits first; the forecast that follows is refused and the closed renewal
-- keeps the forecast its outcome recorded.
select tests.authenticate_as('e_csm');
select public.set_renewal_forecast(:'closed_eid', 'commit', 110000, 'Signed') is not null as f \gset
select public.record_renewal_outcome(:'closed_eid', 'renewed', 110000) is not null as o \gset
select throws_ok(format('select public.set_renewal_forecast(%L, %L, %s)', :'closed_eid', 'churn_expected', 0),
  'PT409', 'This renewal workflow is already completed', 'a closed renewal takes no forecast');
select throws_ok(format('select public.set_renewal_forecast(%L, %L)', :'closed_eid', 'commit'),
  'PT409', null, 'not even the same category again');
select tests.clear_authentication();
select results_eq(
  format($$ select renewal_date, category, forecast_arr, note from app.renewal_forecasts where customer_id = %L $$, :'closed_cust'),
  format($$ values (%L::date, 'commit'::text, 110000.00::numeric(14, 2), 'Signed'::text) $$, :'today'::date + 40),
  'the closed renewal keeps its forecast, and none is written for the next renewal');
select is((select count(*)::int from app.renewal_forecast_history where customer_id = :'closed_cust'), 1, 'the history holds only the forecast before the close');
select results_eq(
  format($$ select forecast_category, forecast_arr, new_arr from app.renewal_outcomes where execution_id = %L $$, :'closed_eid'),
  $$ values ('commit'::text, 110000.00::numeric(14, 2), 110000.00::numeric(14, 2)) $$,
  'the outcome keeps the forecast it closed with');
select is((select status from app.workflow_executions where id = :'closed_eid'), 'completed', 'the renewal stays completed');

select * from finish();
rollback;
