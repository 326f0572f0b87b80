-- record_renewal_outcome's new_arr is checked as it is stored (app.require_money,
-- migration 20261206214000): rounded to the cent, it must fit numeric(14, 2). An amount
-- that rounds up past 999 999 999 999.99 is the 22023 naming new_arr, not the database's
-- "numeric field overflow" (22003), and the renewal stays open with nothing recorded; one
-- that rounds down to the limit is recorded at the cent.
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
select throws_ok(format($$ select public.record_renewal_outcome(%L, 'renewed', 999999999999.995) $$, :'eid'),
  '22023', 'new_arr must be between 0 and 999 999 999 999.99', 'an amount rounding past the column''s limit is refused by name');
select throws_ok(format($$ select public.record_renewal_outcome(%L, 'renewed', 1e400) $$, :'eid'),
  '22023', 'new_arr must be between 0 and 999 999 999 999.99', 'as is a number far past it');
select throws_ok(format($$ select public.record_renewal_outcome(%L, 'renewed', 'NaN') $$, :'eid'),
  '22023', 'new_arr must be between 0 and 999 999 999 999.99', 'NaN is not an amount');
select throws_ok(format($$ select public.record_renewal_outcome(%L, 'churned', -0.001) $$, :'eid'),
  '22023', 'new_arr must be between 0 and 999 999 999 999.99', 'a negative amount is refused, even one that rounds to 0');
select tests.clear_authentication();
select is((select count(*)::int from app.renewal_outcomes where customer_id = :'cust'), 0, 'no outcome was recorded');
select results_eq(format($$ select arr, renewal_date from app.customers where id = %L $$, :'cust'),
  format($$ values (100000.00::numeric(14, 2), %L::date) $$, :'today'::date + 40), 'the customer keeps its ARR and renewal');
select is((select count(*)::int from app.arr_history where customer_id = :'cust'), 0, 'no ARR history was written');
select is((select status from app.workflow_executions where id = :'eid'), 'queued', 'the renewal stays open');

select tests.authenticate_as('e_csm');
select is(public.record_renewal_outcome(:'eid', 'renewed', 999999999999.994) ->> 'new_arr', '999999999999.99',
  'an amount rounding down to the limit is recorded at the cent');
select tests.clear_authentication();
select is((select arr from app.customers where id = :'cust'), 999999999999.99, 'the customer''s ARR is the new ARR');
select is((select new_arr from app.renewal_outcomes where customer_id = :'cust'), 999999999999.99, '... as is the outcome''s');

select * from finish();
rollback;
