-- A renewal 30+ days past its decision has no workflow (the orchestrator opens none), yet its
-- outcome can be recorded: record_customer_renewal_outcome closes it by its customer, through
-- the one apply path of record_renewal_outcome (migration 20261213500000).
begin;
select plan(14);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Tailspin', 60000, 40, :'today'::date - 45, :'csm') returning id as cust \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 100000, 80, :'today'::date + 3, :'csm') returning id as worked \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset

select is((select count(*)::int from app.workflow_executions e where e.customer_id = :'cust' and e.renewal_stage is not null), 0,
  'the overdue renewal has no workflow');

-- Who may: the customer's CSM, a manager, an admin; not another CSM, a viewer, another organisation.
select tests.authenticate_as('e_csm2');
select throws_ok(format($$select public.record_customer_renewal_outcome(%L, 'churned')$$, :'cust'),
  '42501', null, 'another CSM may not record it');
select tests.authenticate_as('e_viewer');
select throws_ok(format($$select public.record_customer_renewal_outcome(%L, 'churned')$$, :'cust'),
  '42501', null, 'a viewer may not');
select tests.authenticate_as('o_manager');
select throws_ok(format($$select public.record_customer_renewal_outcome(%L, 'churned')$$, :'cust'),
  'PT404', null, 'another organisation''s customer is not found');

-- Bad input changes nothing.
select tests.authenticate_as('e_csm');
select throws_ok(format($$select public.record_customer_renewal_outcome(%L, 'won')$$, :'cust'),
  '22023', null, 'an unknown outcome is refused');
select throws_ok(format($$select public.record_customer_renewal_outcome(%L, 'renewed', 50000)$$, :'cust'),
  '22023', null, 'a renewal below the ARR is refused (the outcome''s rule)');
select throws_ok(format($$select public.record_customer_renewal_outcome(%L, 'renewed', 120000)$$, :'worked'),
  'PT409', null, 'a renewal with an open workflow is closed there (record_renewal_outcome)');

select public.record_customer_renewal_outcome(:'cust', 'downgraded', 45000, idempotency_key => 'tail-1') as first \gset
select is(:'first'::jsonb ->> 'execution_id', null, 'recorded with no workflow');
select is(public.record_customer_renewal_outcome(:'cust', 'downgraded', 45000, idempotency_key => 'tail-1'), :'first'::jsonb,
  'the same request again answers what it answered');
select throws_ok(format($$select public.record_customer_renewal_outcome(%L, 'churned', idempotency_key => 'tail-1')$$, :'cust'),
  'PT409', 'this key was used for a different request', 'another request under the key is refused');
select throws_ok(format($$select public.record_customer_renewal_outcome(%L, 'churned')$$, :'cust'),
  'PT409', 'This renewal is not past its decision', 'the renewal is closed: a second press does not close next year''s');
select tests.clear_authentication();

select is((select count(*)::int from app.renewal_outcomes o where o.customer_id = :'cust' and o.execution_id is null and o.assigned_to = :'csm'), 1,
  'one outcome, credited to the customer''s CSM');
select is((select (arr, renewal_date) from app.customers where id = :'cust'),
  (45000.00::numeric(14, 2), (:'today'::date - 45 + interval '12 months')::date),
  'the ARR set and the renewal moved a year on');

insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Lapsed', 30000, 30, :'today'::date - 60, :'csm2') returning id as lapsed \gset
select tests.authenticate_as('e_manager');
select lives_ok(format($$select public.record_customer_renewal_outcome(%L, 'churned')$$, :'lapsed'),
  'a manager records the outcome of a CSM''s renewal');
select tests.clear_authentication();
select * from finish();
rollback;
