-- Rule 2: invest and expand accounts get a quarterly review and a monthly health check; others none.
begin;
select plan(3);
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
insert into app.customers (org_id, name, arr, health_score, assigned_to) values
  (:'org', 'Expand Co', 200000, 90, :'csm'), (:'org', 'Manage Co', 10000, 55, :'csm');
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select set_eq(
  $$select w.key from app.workflow_executions e join app.workflows w on w.id = e.workflow_id join app.customers c on c.id = e.customer_id where c.name = 'Expand Co'$$,
  array['quarterly-review', 'health-check'], 'expand: quarterly review and health check');
select is((select count(*)::int from app.workflow_executions e join app.customers c on c.id = e.customer_id where c.name = 'Manage Co'), 0, 'manage: nothing');
select set_eq(
  format('select w.key from app.workflow_executions e join app.workflows w on w.id = e.workflow_id where e.customer_id = %L and w.workflow_type = %L', :'cust', 'strategic'),
  array['quarterly-review', 'health-check'], 'invest: quarterly review and health check');

select * from finish();
rollback;
