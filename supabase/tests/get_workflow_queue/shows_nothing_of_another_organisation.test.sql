-- Nobody sees another organisations queue items.
begin;
select plan(2);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust' and w.key = 'emergency' \gset
insert into app.customers (org_id, name, renewal_date, assigned_to) values (:'other_org', 'Theirs', :'today'::date + 3, :'other_csm');
select app.run_orchestrator_for_org(:'other_org') is not null as ran \gset
select tests.authenticate_as('o_csm');
select ok(not exists (select 1 from jsonb_array_elements(public.get_workflow_queue(200)::jsonb -> 'items') i where i ->> 'execution_id' = :'eid'), 'the other org''s csm never sees our item');
select is((public.get_workflow_queue(200)::jsonb -> 'stats' ->> 'total')::int, 1, 'their own queue has just their item');

select * from finish();
rollback;
