-- The stage and days until renewal are computed today, never the stale stored value.
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
-- Make the stored stage stale on purpose (as if the re-stamp job had not run).
alter table app.customers disable trigger customers_keep_priorities_current;
update app.customers set renewal_stage = 'Monitor' where id = :'cust';
alter table app.customers enable trigger customers_keep_priorities_current;
select tests.authenticate_as('e_csm');
select is((select i -> 'customer' ->> 'renewal_stage' from jsonb_array_elements(public.get_workflow_queue(200) -> 'items') i where i ->> 'execution_id' = :'eid'),
          'Emergency', 'the stage is computed as of today');
select is((select (i -> 'customer' ->> 'days_until_renewal')::int from jsonb_array_elements(public.get_workflow_queue(200) -> 'items') i where i ->> 'execution_id' = :'eid'),
          3, 'days until renewal as of today');

select * from finish();
rollback;
