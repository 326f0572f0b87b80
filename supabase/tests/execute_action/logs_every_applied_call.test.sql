-- Every applied call is logged with who, params (with defaults), result and success.
begin;
select plan(4);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust' and w.key = 'emergency' \gset
select tests.authenticate_as('e_csm');
select public.execute_action('snooze', :'eid', '{"reason": "later"}') as x \gset
select tests.clear_authentication();
select is((select executed_by from app.action_executions where id = (:'x'::jsonb ->> 'action_execution_id')::uuid), :'csm'::uuid, 'who');
select is((select (params ->> 'days')::int from app.action_executions where id = (:'x'::jsonb ->> 'action_execution_id')::uuid), 7, 'params with the default applied');
select ok((select success from app.action_executions where id = (:'x'::jsonb ->> 'action_execution_id')::uuid), 'success');
select ok((select result ? 'snoozed_until' from app.action_executions where id = (:'x'::jsonb ->> 'action_execution_id')::uuid), 'the result');

select * from finish();
rollback;
