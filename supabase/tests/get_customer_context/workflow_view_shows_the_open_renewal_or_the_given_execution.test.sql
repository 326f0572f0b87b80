-- The workflow view shows the open renewal execution with its priority; called with an
-- execution id it shows that execution (of that execution's customer).
begin;
select plan(6);
select tests.create_rls_world();

insert into app.workflow_executions (org_id, customer_id, workflow_id, workflow_version_id, assigned_to, status, priority_score, renewal_stage)
select c.org_id, c.id, w.id, v.id, c.assigned_to, 'queued', 0, 'Signature'
  from app.customers c
  join app.workflows w on w.key = 'signature' and w.org_id is null
  join app.workflow_versions v on v.workflow_id = w.id and v.version = w.current_version
 where c.id = tests.row_id('customers', 'a');

select tests.authenticate_as('csm_a');
select is(public.get_customer_context(customer_id => tests.row_id('customers', 'a')) #>> '{workflow,execution,workflow_key}', 'signature',
  'by customer: the open renewal execution');
select is((public.get_customer_context(customer_id => tests.row_id('customers', 'a')) #>> '{workflow,priority_score}')::numeric,
  (select e.priority_score from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
    where e.customer_id = tests.row_id('customers', 'a') and w.key = 'signature'),
  'with its priority score as the engine keeps it');
select is(jsonb_array_length(public.get_customer_context(customer_id => tests.row_id('customers', 'a')) #> '{workflow,open_executions}'), 2,
  'every open execution of the customer is listed (the renewal and the custom one)');
select is(public.get_customer_context(execution_id => tests.row_id('workflow_executions', 'mine')) #>> '{workflow,execution,id}',
  tests.row_id('workflow_executions', 'mine')::text, 'by execution: that execution');
select is(public.get_customer_context(execution_id => tests.row_id('workflow_executions', 'mine')) #>> '{customer,id}',
  tests.row_id('customers', 'a')::text, 'and its customer');
select is(public.get_customer_context(execution_id => tests.row_id('workflow_executions', 'mine')) #>> '{workflow,execution,workflow_key}',
  'test-flow', 'with its own workflow');

select * from finish();
rollback;
