-- Rule 1: a customer with a renewal date gets one open renewal execution for its current stage.
begin;
select plan(4);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust' and w.key = 'emergency' \gset
select is((select count(*)::int from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
            where e.customer_id = :'cust' and w.workflow_type = 'renewal' and app.is_open_status(e.status)), 1, 'one open renewal execution');
select is((select w.key from app.workflow_executions e join app.workflows w on w.id = e.workflow_id where e.id = :'eid'), 'emergency', 'for the Emergency stage');
select is((select assigned_to from app.workflow_executions where id = :'eid'), :'csm'::uuid, 'assigned to the customer''s CSM');
select is(jsonb_array_length(public.get_workflow_execution(:'eid') -> 'steps'),
          (select total_steps from app.workflow_executions where id = :'eid'), 'with every step of its definition');

select * from finish();
rollback;
