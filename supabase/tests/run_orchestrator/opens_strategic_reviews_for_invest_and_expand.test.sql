-- Rule 2: invest and expand accounts get a quarterly review and a monthly health check; others none.
begin;
select plan(3);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
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
