-- A saved_action branch runs its action with the branch's defaults (the CSM's params on
-- top) and then makes return_step_key the current step; the same idempotency key replays
-- without applying or routing again; without a different return step it stays.
begin;
select plan(10);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust' and w.key = 'emergency' \gset
select tests.authenticate_as('e_csm');
select public.start_workflow(:'eid') is not null as started \gset
select public.choose_chat_branch(:'eid', 'check-signature-path', 'on-track') is not null as jumped \gset
select public.complete_step(:'eid', 'send-final-terms') is not null as done \gset

-- daily-check "Create a daily check-in task" (create_task, defaults priority urgent) -> record-outcome.
select public.choose_chat_branch(:'eid', 'daily-check', 'daily-task',
  jsonb_build_object('title', 'Call the signer', 'due_date', (:'today'::date + 1)::text), 'branch-key-1') as x \gset
select is(:'x'::jsonb -> 'execution' -> 'current_step' ->> 'key', 'record-outcome', 'the workflow returns to return_step_key');
select is(:'x'::jsonb -> 'action' ->> 'action_key', 'create_task', 'the saved action ran');
select is((select priority || '/' || task_type from app.workflow_tasks where execution_id = :'eid' and title = 'Call the signer'),
  'urgent/follow_up', 'with the branch''s default params');
select is((select status from app.workflow_step_executions where execution_id = :'eid' and step_key = 'daily-check'),
  'completed', 'the branch''s step is completed');
select is((select outcome ->> 'action_execution_id' from app.workflow_step_executions where execution_id = :'eid' and step_key = 'daily-check'),
  :'x'::jsonb -> 'action' ->> 'action_execution_id', 'the step links the action log');

select public.choose_chat_branch(:'eid', 'daily-check', 'daily-task',
  jsonb_build_object('title', 'Call the signer', 'due_date', (:'today'::date + 1)::text), 'branch-key-1') as r \gset
select is((:'r'::jsonb ->> 'replayed')::boolean, true, 'the same key replays');
select is((select count(*)::int from app.workflow_tasks where execution_id = :'eid' and title = 'Call the signer'), 1, 'nothing is applied twice');
select is((select current_step_key from app.workflow_executions where id = :'eid'), 'record-outcome', 'and nothing is routed twice');

-- Overdue-like stay: the emergency "This needs my manager" escalates and returns to its own step.
select tests.clear_authentication();
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Fabrikam', 90000, 68, :'today'::date + 4, :'csm') returning id as cust2 \gset
select app.run_orchestrator_for_org(:'org') is not null as ran2 \gset
select e.id as eid2 from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust2' and w.key = 'emergency' \gset
select tests.authenticate_as('e_csm');
select public.start_workflow(:'eid2') is not null as started2 \gset
select public.complete_step(:'eid2', 'check-signature-path') is not null as done2 \gset
select public.choose_chat_branch(:'eid2', 'remove-blockers', 'escalate', '{"reason": "Legal is stuck"}') as s \gset
select is(:'s'::jsonb -> 'execution' ->> 'status', 'escalated', 'the escalation ran (level manager by default)');
select is(:'s'::jsonb -> 'execution' -> 'current_step' ->> 'key', 'remove-blockers', 'returning to its own step stays');

select * from finish();
rollback;
