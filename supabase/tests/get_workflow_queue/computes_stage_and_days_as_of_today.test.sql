-- The stage and days until renewal are computed today, never the stale stored value.
begin;
select plan(2);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
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
select is((select i -> 'customer' ->> 'renewal_stage' from jsonb_array_elements(public.get_workflow_queue(200)::jsonb -> 'items') i where i ->> 'execution_id' = :'eid'),
          'Emergency', 'the stage is computed as of today');
select is((select (i -> 'customer' ->> 'days_until_renewal')::int from jsonb_array_elements(public.get_workflow_queue(200)::jsonb -> 'items') i where i ->> 'execution_id' = :'eid'),
          3, 'days until renewal as of today');

select * from finish();
rollback;
