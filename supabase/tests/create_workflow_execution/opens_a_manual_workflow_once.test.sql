-- A csm opens a manual workflow; a second open one is PT409; unknown key 22023; viewer 42501.
begin;
select plan(5);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust' and w.key = 'emergency' \gset
select tests.authenticate_as('e_csm');
select public.create_workflow_execution(:'cust', 'risk-intervention') as x \gset
select is(:'x'::jsonb ->> 'status', 'queued', 'opened queued');
select is(:'x'::jsonb ->> 'assignee_id', :'csm', 'assigned to the customer''s CSM');
select throws_ok(format('select public.create_workflow_execution(%L, %L)', :'cust', 'risk-intervention'), 'PT409', null, 'a second open one is a conflict');
select throws_ok(format('select public.create_workflow_execution(%L, %L)', :'cust', 'no-such-flow'), '22023', null, 'unknown workflow key');
select tests.authenticate_as('e_viewer');
select throws_ok(format('select public.create_workflow_execution(%L, %L)', :'cust', 'expansion-proposal'), '42501', null, 'a viewer may not');

select * from finish();
rollback;
