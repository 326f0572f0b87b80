-- complete_step completes the current step and starts the next; progress follows.
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
select public.start_workflow(:'eid') -> 'current_step' ->> 'key' as k0 \gset
select public.complete_step(:'eid', :'k0', '{"note": "done"}') as x \gset
select is(:'x'::jsonb -> 'step' ->> 'status', 'completed', 'the step is completed');
select is(:'x'::jsonb -> 'next_step' ->> 'index', '1', 'the next step starts');
select is((:'x'::jsonb -> 'execution' ->> 'completed_steps')::int, 1, 'one step done');
select is(:'x'::jsonb -> 'step' -> 'outcome' ->> 'note', 'done', 'its outcome is kept');

select * from finish();
rollback;
