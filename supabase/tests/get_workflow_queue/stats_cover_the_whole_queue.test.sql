-- stats count every item of the queue, not just the page.
begin;
select plan(6);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust' and w.key = 'emergency' \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, risk_score, assigned_to)
select :'org', 'S' || g, 200000, 90, :'today'::date + 10 * g, 80, :'csm' from generate_series(1, 3) g;
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select count(*)::int as n, count(distinct customer_id)::int as cust_n, min(priority_score)::int as lo, max(priority_score)::int as hi
  from app.workflow_executions where assigned_to = :'csm' and status in ('queued', 'in_progress', 'escalated') \gset
select tests.authenticate_as('e_csm');
select public.get_workflow_queue(1)::jsonb -> 'stats' as s \gset
select is((:'s'::jsonb ->> 'total')::int, :n, 'total counts the whole queue');
select is((:'s'::jsonb ->> 'unique_customers')::int, :cust_n, 'unique customers');
select is((select sum(value::int)::int from jsonb_each_text(:'s'::jsonb -> 'by_type')), :n, 'by_type adds up');
select is((:'s'::jsonb -> 'by_type' ->> 'risk')::int, 3, 'three risk assessments');
select is((:'s'::jsonb -> 'priority_range' ->> 'max')::int, :hi, 'priority range max');
select is((:'s'::jsonb -> 'priority_range' ->> 'min')::int, :lo, 'priority range min');

select * from finish();
rollback;
