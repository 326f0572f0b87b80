-- A customer (or execution) of another organisation is PT404, exactly like one that does
-- not exist: nothing of it is returned. anon may not call the function at all.
begin;
select plan(8);
select tests.create_rls_world();

select tests.authenticate_as('csm_b');
select throws_ok(format($$ select public.get_customer_context(customer_id => %L) $$, tests.row_id('customers', 'a')),
  'PT404', 'Customer not found', 'a csm of org B cannot read org A''s customer');
select throws_ok(format($$ select public.get_customer_context(execution_id => %L) $$, tests.row_id('workflow_executions', 'mine')),
  'PT404', 'Workflow execution not found', 'nor reach it through one of its executions');
select throws_ok($$ select public.get_customer_context(customer_id => gen_random_uuid()) $$,
  'PT404', 'Customer not found', 'a customer that does not exist gives the same answer');
select is(public.get_customer_context(customer_id => tests.row_id('customers', 'b')) #>> '{customer,name}', 'Bolt',
  'the same person reads their own organisation''s customer');

-- The definer body behind it filters by the caller's organisation on its own, too.
select throws_ok(format($$ select app.customer_context(%L, null) $$, tests.row_id('customers', 'a')),
  'PT404', 'Customer not found', 'the internal body does not serve another organisation''s customer either');
select throws_ok(format($$ select app.customer_context(null, %L) $$, tests.row_id('workflow_executions', 'mine')),
  'PT404', 'Workflow execution not found', 'nor its executions');

select tests.authenticate_as('admin_b');
select throws_ok(format($$ select public.get_customer_context(customer_id => %L) $$, tests.row_id('customers', 'a')),
  'PT404', 'Customer not found', 'an admin of org B cannot either');

select tests.authenticate_as_anon();
select throws_ok(format($$ select public.get_customer_context(customer_id => %L) $$, tests.row_id('customers', 'a')),
  '42501', null, 'anon may not call it');

select * from finish();
rollback;
