-- get_customer_context needs exactly one of customer_id and execution_id: none or both is 22023.
begin;
select plan(3);
select tests.create_rls_world();
select tests.authenticate_as('csm_a');

select throws_ok($$ select public.get_customer_context() $$, '22023',
  'Pass exactly one of customer_id or execution_id', 'neither argument is refused');
select throws_ok(format($$ select public.get_customer_context(customer_id => %L, execution_id => %L) $$,
                        tests.row_id('customers', 'a'), tests.row_id('workflow_executions', 'mine')),
  '22023', 'Pass exactly one of customer_id or execution_id', 'both arguments are refused');
select lives_ok(format($$ select public.get_customer_context(customer_id => %L) $$, tests.row_id('customers', 'a')),
  'one argument is enough');

select * from finish();
rollback;
