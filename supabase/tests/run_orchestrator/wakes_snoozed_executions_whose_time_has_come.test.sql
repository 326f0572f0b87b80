-- Snoozed executions return to the queue when snoozed_until has passed; later ones stay snoozed.
begin;
select plan(3);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust' and w.key = 'emergency' \gset
update app.workflow_executions set status = 'snoozed', snoozed_until = now() - interval '1 minute' where id = :'eid';
update app.workflow_executions set status = 'snoozed', snoozed_until = now() + interval '2 days'
 where customer_id = :'cust' and id <> :'eid';
select app.run_orchestrator_for_org(:'org') as r \gset
select is((select status from app.workflow_executions where id = :'eid'), 'queued', 'due: back to queued');
select ok((select bool_and(status = 'snoozed') from app.workflow_executions where customer_id = :'cust' and id <> :'eid'), 'not due: still snoozed');
select is((:'r'::jsonb ->> 'woken')::int, 1, 'the run counts one woken');

select * from finish();
rollback;
