-- The execution view has its customer, steps with branches, tasks and action log; another org gets PT404.
begin;
select plan(5);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust' and w.key = 'emergency' \gset
select tests.authenticate_as('e_viewer');
select public.get_workflow_execution(:'eid') as x \gset
select is(:'x'::jsonb -> 'customer' ->> 'name', 'Contoso', 'with its customer');
select is(jsonb_array_length(:'x'::jsonb -> 'steps'), (:'x'::jsonb ->> 'total_steps')::int, 'every step');
select ok(jsonb_array_length(:'x'::jsonb -> 'steps' -> 0 -> 'branches') > 0, 'steps carry their chat branches');
select ok(:'x'::jsonb ?& array['threads', 'artifacts', 'tasks', 'actions', 'priority_factors'], 'threads, artifacts, tasks, actions');
select tests.authenticate_as('o_csm');
select throws_ok(format('select public.get_workflow_execution(%L)', :'eid'), 'PT404', null, 'another organisation: not found');

select * from finish();
rollback;
