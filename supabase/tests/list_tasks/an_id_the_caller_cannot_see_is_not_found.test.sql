-- list_tasks named a customer or a workflow the caller cannot see — another
-- organisation's, or one that never existed — answers PT404 with the same words for both,
-- as every function named an id does; before, both were an empty page. A visible customer
-- with none of the caller's tasks is still an empty page. (Migration 20261206254000.)
begin;
select plan(6);
select tests.create_rls_world();
select tests.authenticate_as('csm_a');
select public.create_task('Call the signer', tests.row_id('customers', 'a'), execution_id => tests.row_id('workflow_executions', 'mine')) is not null as created \gset

select tests.authenticate_as('csm_b');
select throws_ok(format('select public.list_tasks(customer_id => %L)', tests.row_id('customers', 'a')),
  'PT404', 'Customer not found', 'another organisation''s customer is not found');
select throws_ok(format('select public.list_tasks(customer_id => %L)', gen_random_uuid()),
  'PT404', 'Customer not found', 'the same answer as for a customer that never existed');
select throws_ok(format('select public.list_tasks(execution_id => %L)', tests.row_id('workflow_executions', 'mine')),
  'PT404', 'Workflow execution not found', 'another organisation''s workflow is not found');
select throws_ok(format('select public.list_tasks(execution_id => %L)', gen_random_uuid()),
  'PT404', 'Workflow execution not found', 'the same answer as for a workflow that never existed');

select tests.authenticate_as('csm_a');
select ok(public.list_tasks(customer_id => tests.row_id('customers', 'a')) -> 'items' @> '[{"title": "Call the signer"}]',
  'the caller''s own customer lists their task');
select is(public.list_tasks(execution_id => tests.row_id('workflow_executions', 'theirs')) -> 'items', '[]'::jsonb,
  'a visible workflow with none of the caller''s tasks is an empty page');
select * from finish();
rollback;
