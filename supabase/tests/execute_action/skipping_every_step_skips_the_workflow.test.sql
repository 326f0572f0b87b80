-- Honest completion, step by step: a workflow whose steps were all skipped one at a time
-- (the Skip action, or a step's "Skip this step" branch, which runs it) ends `skipped`, not
-- `completed`, as complete_workflow ends one where nothing was done; one with a step done
-- still completes (docs/escalation-loop.md "Honest completion").
begin;
select plan(10);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, assigned_to)
values (:'org', 'Fabrikam', 40000, 70, :'csm') returning id as cust \gset

select tests.authenticate_as('e_csm');

-- Every step skipped with the Skip action.
select (public.create_workflow_execution(:'cust', 'health-check') ->> 'id') as skipped_all \gset
select public.start_workflow(:'skipped_all') is not null as s1 \gset
select public.execute_action('skip', :'skipped_all', '{"reason": "Not applicable"}', 'skip-1') is not null as k1 \gset
select public.execute_action('skip', :'skipped_all', '{"reason": "Not applicable"}', 'skip-2') is not null as k2 \gset
select public.execute_action('skip', :'skipped_all', '{"reason": "Customer requested skip"}', 'skip-3') as last \gset
select is(:'last'::jsonb -> 'execution' ->> 'status', 'skipped', 'the last skip of a workflow where nothing was done skips it');
select is((select status from app.workflow_executions where id = :'skipped_all'), 'skipped', 'it is stored skipped');
select is((select outcome ->> 'skip_reason' from app.workflow_executions where id = :'skipped_all'), 'Customer requested skip',
  'with the last step''s reason');
select is((select metadata -> 'history' -> -1 ->> 'event' from app.workflow_executions where id = :'skipped_all'), 'skipped',
  'the history says it was skipped');
select is((select completed_steps from app.workflow_executions where id = :'skipped_all'), 3, 'progress reads every step');

-- One step done, the rest skipped: completed.
select (public.create_workflow_execution(:'cust', 'health-check') ->> 'id') as one_done \gset
select public.start_workflow(:'one_done') is not null as s2 \gset
select public.complete_step(:'one_done', 'review-health') is not null as c2 \gset
select public.execute_action('skip', :'one_done', '{"reason": "Other"}', 'skip-4') is not null as k4 \gset
select is(public.execute_action('skip', :'one_done', '{"reason": "Other"}', 'skip-5') -> 'execution' ->> 'status', 'completed',
  'a workflow with a step done completes');

-- Every step skipped through the steps' skip branches, with a task still open.
select (public.create_workflow_execution(:'cust', 'health-check') ->> 'id') as by_branch \gset
select public.start_workflow(:'by_branch') is not null as s3 \gset
select public.create_task('Send the usage report', :'cust', null, :'by_branch', 'follow_up', 'medium', '2031-01-15') is not null as t3 \gset
select public.choose_chat_branch(:'by_branch', 'review-health', 'skip-step', '{"reason": "Other"}', 'branch-1') is not null as b1 \gset
select public.choose_chat_branch(:'by_branch', 'support-review', 'skip-step', '{"reason": "Other"}', 'branch-2') is not null as b2 \gset
select public.choose_chat_branch(:'by_branch', 'update-plan', 'skip-step', '{"reason": "Internal decision"}', 'branch-3') as b3 \gset
select is(:'b3'::jsonb -> 'execution' ->> 'status', 'skipped', 'skipped through its branches: skipped, not completed with pending tasks');
select is((select (metadata -> 'history' -> -1 ->> 'pending_tasks')::boolean from app.workflow_executions where id = :'by_branch'), true,
  'the history says a task is still open');
select is((select status from app.workflow_tasks where execution_id = :'by_branch'), 'pending', 'the task is left as it was');

-- complete_workflow keeps the same rule (unchanged).
select (public.create_workflow_execution(:'cust', 'health-check') ->> 'id') as whole \gset
select public.start_workflow(:'whole') is not null as s4 \gset
select is(public.complete_workflow(:'whole', '{}', true, 'Not this month') ->> 'status', 'skipped', 'complete_workflow with nothing done: skipped');

select * from finish();
rollback;
