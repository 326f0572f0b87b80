-- A csm opens a manual workflow; a second open one is PT409; unknown key 22023; viewer 42501.
begin;
select plan(5);
set client_min_messages = warning;
select tests.create_organisation('Engine Org') as org \gset
select tests.create_member('e_admin', :'org', 'admin', 'expert') as admin \gset
select tests.create_member('e_manager', :'org', 'manager', 'senior') as manager \gset
select tests.create_member('e_csm', :'org', 'csm', 'senior') as csm \gset
select tests.create_member('e_csm2', :'org', 'csm', 'junior') as csm2 \gset
select tests.create_member('e_viewer', :'org', 'viewer') as viewer \gset
update app.profiles set manager_id = :'manager' where id in (:'csm', :'csm2');
select tests.create_organisation('Other Org') as other_org \gset
select tests.create_member('o_manager', :'other_org', 'manager') as other_manager \gset
select tests.create_member('o_csm', :'other_org', 'csm') as other_csm \gset
select app.organisation_today(:'org') as today \gset
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
