-- Nobody sees another organisations queue items.
begin;
select plan(2);
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
insert into app.customers (org_id, name, renewal_date, assigned_to) values (:'other_org', 'Theirs', :'today'::date + 3, :'other_csm');
select app.run_orchestrator_for_org(:'other_org') is not null as ran \gset
select tests.authenticate_as('o_csm');
select ok(not exists (select 1 from jsonb_array_elements(public.get_workflow_queue(200) -> 'items') i where i ->> 'execution_id' = :'eid'), 'the other org''s csm never sees our item');
select is((public.get_workflow_queue(200) -> 'stats' ->> 'total')::int, 1, 'their own queue has just their item');

select * from finish();
rollback;
