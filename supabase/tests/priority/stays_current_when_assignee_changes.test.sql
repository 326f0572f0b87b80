-- Experience level, workload and reassignment of the customer re-score open executions.
begin;
select plan(5);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust' and w.key = 'emergency' \gset
update app.profiles set experience_level = 'expert' where id = :'csm';
select is((select (priority_factors ->> 'experience_mult')::numeric from app.workflow_executions where id = :'eid'), 1.2, 'expert -> 1.2');
-- Starting another of the CSM's executions adds one to their workload: every open item
-- they see drops by 2 (the workload term is applied when read).
select e.id as other from app.workflow_executions e where e.customer_id = :'cust' and e.id <> :'eid' limit 1 \gset
select tests.authenticate_as('e_csm');
select (public.get_workflow_execution(:'eid') ->> 'priority_score')::int as s0 \gset
select public.start_workflow(:'other') is not null as started \gset
select is((public.get_workflow_execution(:'eid') ->> 'priority_score')::int, :s0 - 2, 'one more active workflow: -2');
select is((public.get_workflow_execution(:'eid') -> 'priority_factors' ->> 'active_workflows')::int, 1, 'active_workflows 1');
select tests.clear_authentication();
-- Reassigning the customer moves the open executions to the junior CSM and re-scores them.
update app.customers set assigned_to = :'csm2' where id = :'cust';
select is((select assigned_to from app.workflow_executions where id = :'eid'), :'csm2'::uuid, 'the execution follows the customer''s CSM');
select is((select (priority_factors ->> 'experience_mult')::numeric from app.workflow_executions where id = :'eid'), 0.9, 'scored with the junior''s level');

select * from finish();
rollback;
