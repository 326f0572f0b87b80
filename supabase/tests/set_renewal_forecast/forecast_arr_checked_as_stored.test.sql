-- set_renewal_forecast's forecast_arr is checked as it is stored (app.require_money,
-- migration 20261206214000): rounded to the cent, it must fit numeric(14, 2). An amount
-- that rounds up past 999 999 999 999.99 is the 22023 naming forecast_arr, not the
-- database's "numeric field overflow" (22003), and nothing is stored; one that rounds down
-- to it is kept at the cent.
begin;
select plan(11);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 100000, 80, :'today'::date + 40, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid from app.workflow_executions e
 where e.customer_id = :'cust' and e.status = 'queued' and e.renewal_stage is not null \gset

select tests.authenticate_as('e_csm');
select throws_ok(format($$ select public.set_renewal_forecast(%L, 'commit', 999999999999.995) $$, :'eid'),
  '22023', 'forecast_arr must be between 0 and 999 999 999 999.99', 'an amount rounding past the column''s limit is refused by name');
select throws_ok(format($$ select public.set_renewal_forecast(%L, 'commit', 1e12) $$, :'eid'),
  '22023', 'forecast_arr must be between 0 and 999 999 999 999.99', 'as is 1e12');
select throws_ok(format($$ select public.set_renewal_forecast(%L, 'commit', 1e400) $$, :'eid'),
  '22023', 'forecast_arr must be between 0 and 999 999 999 999.99', 'and a number far past it');
select throws_ok(format($$ select public.set_renewal_forecast(%L, 'commit', 'NaN') $$, :'eid'),
  '22023', 'forecast_arr must be between 0 and 999 999 999 999.99', 'NaN is not an amount');
select throws_ok(format($$ select public.set_renewal_forecast(%L, 'commit', 'Infinity') $$, :'eid'),
  '22023', 'forecast_arr must be between 0 and 999 999 999 999.99', 'nor is Infinity');
select throws_ok(format($$ select public.set_renewal_forecast(%L, 'commit', -0.001) $$, :'eid'),
  '22023', 'forecast_arr must be between 0 and 999 999 999 999.99', 'a negative amount is refused, even one that rounds to 0');
select tests.clear_authentication();
select is((select count(*)::int from app.renewal_forecasts where customer_id = :'cust'), 0, 'nothing was stored');
select is((select count(*)::int from app.renewal_forecast_history where customer_id = :'cust'), 0, '... and no history');

select tests.authenticate_as('e_csm');
select is(public.set_renewal_forecast(:'eid', 'commit', 999999999999.994) ->> 'forecast_arr', '999999999999.99',
  'an amount rounding down to the limit is kept at the cent');
select is(public.set_renewal_forecast(:'eid', 'commit', 999999999999.99) ->> 'forecast_arr', '999999999999.99', 'the limit itself is kept');
select tests.clear_authentication();
select is((select count(*)::int from app.renewal_forecast_history where customer_id = :'cust'), 1,
  'the same amount at the cent again adds no history');

select * from finish();
rollback;
