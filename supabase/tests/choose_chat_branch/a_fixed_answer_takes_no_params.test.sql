-- A fixed answer routes and runs nothing, so params sent with it are refused (22023 naming
-- the branch) and nothing moves; null or {} params follow it as before.
-- (Migration 20261206244100.)
begin;
select plan(5);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust' and w.key = 'emergency' \gset
select tests.authenticate_as('e_csm');
select public.start_workflow(:'eid') is not null as started \gset

select throws_ok(format('select public.choose_chat_branch(%L, %L, %L, %L)', :'eid', 'check-signature-path', 'on-track', '{"reason": "Customer asked"}'),
  '22023', 'params are for a branch that runs a saved action; branch "on-track" is a fixed answer', 'params with a fixed answer are refused');
select is((select current_step_key from app.workflow_executions where id = :'eid'), 'check-signature-path', 'and the workflow did not move');
select is((select status from app.workflow_step_executions where execution_id = :'eid' and step_key = 'check-signature-path'), 'in_progress',
  'nor was the step completed');
select is(public.choose_chat_branch(:'eid', 'check-signature-path', 'on-track', '{}') -> 'execution' -> 'current_step' ->> 'key', 'send-final-terms',
  'empty params follow the answer');
select public.complete_step(:'eid', 'send-final-terms') is not null as done \gset
select is(public.choose_chat_branch(:'eid', 'daily-check', 'signed', null) -> 'route' ->> 'from', 'daily-check',
  'and so do null params');
select * from finish();
rollback;
