-- create_task: due date required, priority default medium, linked to the workflow.
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
select throws_ok(format('select public.execute_action(%L, %L, %L)', 'create_task', :'eid', '{"title": "Call"}'), '22023', 'due_date is required for a follow-up task', 'due date required');
select throws_ok(format('select public.execute_action(%L, %L, %L)', 'create_task', :'eid', '{"due_date": "2030-01-01", "priority": "critical"}'), '22023', null, 'unknown priority');
select public.execute_action('create_task', :'eid', '{"title": "Call the CFO", "due_date": "2030-01-01T09:00:00Z"}') as x \gset
select is((select priority from app.workflow_tasks where id = (:'x'::jsonb -> 'result' ->> 'task_id')::uuid), 'medium', 'priority medium');
select is((select execution_id from app.workflow_tasks where id = (:'x'::jsonb -> 'result' ->> 'task_id')::uuid), :'eid'::uuid, 'linked to the workflow');

select * from finish();
rollback;
