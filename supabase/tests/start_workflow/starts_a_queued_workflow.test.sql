-- queued -> in_progress, first step in progress, started_at set.
begin;
select plan(4);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust' and w.key = 'emergency' \gset
select tests.authenticate_as('e_csm');
select public.start_workflow(:'eid') as x \gset
select is(:'x'::jsonb ->> 'status', 'in_progress', 'in progress');
select ok(:'x'::jsonb ->> 'started_at' is not null, 'started_at set');
select is(:'x'::jsonb -> 'current_step' ->> 'index', '0', 'the first step is current');
select is((select status from app.workflow_step_executions where execution_id = :'eid' and step_index = 0), 'in_progress', 'the first step is in progress');

select * from finish();
rollback;
