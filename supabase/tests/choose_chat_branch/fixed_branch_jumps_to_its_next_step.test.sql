-- A fixed branch completes its step and moves to next_step_key; the steps jumped over are
-- skipped "Not applicable"; without next_step_key it moves to the next step (and the last
-- step completes the workflow).
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

-- Emergency, step 0 "check-signature-path": "Everything is with the signer" -> send-final-terms (step 2).
select public.choose_chat_branch(:'eid', 'check-signature-path', 'on-track') as x \gset
select is(:'x'::jsonb -> 'execution' -> 'current_step' ->> 'key', 'send-final-terms', 'the workflow lands on next_step_key');
select is(:'x'::jsonb -> 'route' -> 'skipped', '["remove-blockers"]'::jsonb, 'the step jumped over is reported');
select is(:'x'::jsonb ->> 'response_text', 'Then the job is to keep it moving: a short reminder and a daily check until it is signed.', 'the canned response is returned');
select results_eq(
  format($$select step_key, status, coalesce(skip_reason, '') from app.workflow_step_executions where execution_id = %L and step_index <= 2 order by step_index$$, :'eid'),
  $$values ('check-signature-path', 'completed', ''), ('remove-blockers', 'skipped', 'Not applicable'), ('send-final-terms', 'in_progress', '')$$,
  'chosen step completed, jumped step skipped with its reason, target in progress');
select is((select outcome ->> 'branch_key' from app.workflow_step_executions where execution_id = :'eid' and step_key = 'check-signature-path'),
  'on-track', 'the step records the branch chosen');
select is((:'x'::jsonb -> 'execution' ->> 'completed_steps')::int, 2, 'progress counts completed and skipped steps');
select is((select metadata -> 'history' -> -1 ->> 'event' from app.workflow_executions where id = :'eid'), 'step_routed', 'the route is in the history');

-- daily-check "It is signed" -> record-outcome (the next step), then "Signed" on the last step.
select public.complete_step(:'eid', 'send-final-terms') is not null as done \gset
select public.choose_chat_branch(:'eid', 'daily-check', 'signed') as y \gset
select is(:'y'::jsonb -> 'execution' -> 'current_step' ->> 'key', 'record-outcome', 'a jump to the next step skips nothing');
select public.choose_chat_branch(:'eid', 'record-outcome', 'signed') as z \gset
select is(:'z'::jsonb -> 'execution' ->> 'status', 'completed', 'a fixed branch on the last step completes the workflow');
select is((:'z'::jsonb -> 'execution' ->> 'completed_steps')::int, 5, 'every step is done or skipped');

select * from finish();
rollback;
