-- A branch leading to an earlier step reopens it: monitor's "Check again later" snoozes
-- and returns to the first step, which is in progress again when the workflow wakes.
begin;
select plan(4);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 80000, 68, :'today'::date + 300, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust' and w.key = 'monitor' \gset
select tests.authenticate_as('e_csm');
select public.start_workflow(:'eid') is not null as started \gset
select public.complete_step(:'eid', 'health-snapshot') is not null as d1 \gset
select public.complete_step(:'eid', 'check-adoption') is not null as d2 \gset
select public.choose_chat_branch(:'eid', 'next-touchpoint', 'later', '{"reason": "Quiet quarter"}') as x \gset
select is(:'x'::jsonb -> 'execution' ->> 'status', 'snoozed', 'the snooze ran with its default days');
select is(:'x'::jsonb -> 'execution' -> 'current_step' ->> 'key', 'health-snapshot', 'the earlier step is current');
select results_eq(
  format($$select step_key, status from app.workflow_step_executions where execution_id = %L order by step_index$$, :'eid'),
  $$values ('health-snapshot', 'in_progress'), ('check-adoption', 'completed'), ('next-touchpoint', 'completed')$$,
  'the earlier step is reopened; the others keep their state');
select is(:'x'::jsonb -> 'route' ->> 'direction', 'backward', 'the route says backward');

select * from finish();
rollback;
