-- Idempotence: a second run creates, supersedes and wakes nothing, and no row changes.
begin;
select plan(4);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust' and w.key = 'emergency' \gset
select md5(string_agg(e::text, '' order by e.id)) as before from app.workflow_executions e where e.org_id = :'org' \gset
select app.run_orchestrator_for_org(:'org') as r \gset
select is((:'r'::jsonb ->> 'created')::int, 0, 'nothing created');
select is((:'r'::jsonb ->> 'superseded')::int, 0, 'nothing superseded');
select is((select md5(string_agg(e::text, '' order by e.id)) from app.workflow_executions e where e.org_id = :'org'), :'before', 'no execution changed');
select is((select count(*)::int from app.orchestrator_runs where org_id = :'org' and status = 'succeeded'), 2, 'both runs are recorded');

select * from finish();
rollback;
