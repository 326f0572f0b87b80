-- skip: reason from the list; the step is skipped and the workflow advances.
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
select public.start_workflow(:'eid') is not null as s \gset
select throws_ok(format('select public.execute_action(%L, %L, %L)', 'skip', :'eid', '{"reason": "Bored"}'), '22023', null, 'an unknown reason is refused');
select public.execute_action('skip', :'eid', '{"reason": "Customer requested skip"}') as x \gset
select is(:'x'::jsonb -> 'result' -> 'step' ->> 'status', 'skipped', 'the step is skipped');
select is(:'x'::jsonb -> 'execution' -> 'current_step' ->> 'index', '1', 'the workflow advances');
select is((select skip_reason from app.workflow_step_executions where execution_id = :'eid' and step_index = 0), 'Customer requested skip', 'with its reason');

select * from finish();
rollback;
