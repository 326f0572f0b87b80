-- Changing ARR, health (plan) or risk of a customer re-scores its open executions.
begin;
select plan(4);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust' and w.key = 'emergency' \gset
select priority_score::int as before from app.workflow_executions where id = :'eid' \gset
update app.customers set arr = 120000 where id = :'cust';
select is((select priority_score::int from app.workflow_executions where id = :'eid'), round(105 * 1.5 * 1.5 * 1.1)::int, 'ARR 120 000 -> arr_mult 1.5');
update app.customers set health_score = 40 where id = :'cust';
select is((select priority_factors ->> 'account_plan' from app.workflow_executions where id = :'eid'), 'monitor', 'health 40 -> plan monitor in the factors');
select is((select priority_score::int from app.workflow_executions where id = :'eid'), round(105 * 1.5 * 0.8 * 1.1)::int, 'and the score follows');
update app.customers set name = 'Renamed' where id = :'cust';
select is((select priority_score::int from app.workflow_executions where id = :'eid'), round(105 * 1.5 * 0.8 * 1.1)::int, 'a change of an unrelated column leaves it alone');

select * from finish();
rollback;
