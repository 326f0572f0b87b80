-- Snoozed executions are hidden unless include_snoozed is true.
begin;
select plan(2);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust' and w.key = 'emergency' \gset
update app.workflow_executions set status = 'snoozed', snoozed_until = now() + interval '3 days' where id = :'eid';
select tests.authenticate_as('e_csm');
select ok(not exists (select 1 from jsonb_array_elements(public.get_workflow_queue(200)::jsonb -> 'items') i where i ->> 'execution_id' = :'eid'), 'hidden by default');
select ok(exists (select 1 from jsonb_array_elements(public.get_workflow_queue(200, null, null, true)::jsonb -> 'items') i
                   where i ->> 'execution_id' = :'eid' and i ->> 'status' = 'snoozed'), 'shown with include_snoozed');

select * from finish();
rollback;
