-- A draft's step is one of its workflow's steps, and its task is a task of that workflow or
-- of its customer outside any workflow: never another workflow's or another customer's.
begin;
select plan(8);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 120000, 70, :'today'::date + 40, :'csm') returning id as cust \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Fabrikam', 90000, 70, :'today'::date + 40, :'csm') returning id as other_cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid, e.current_step_key as step from app.workflow_executions e
 where e.customer_id = :'cust' and e.renewal_stage is not null and e.status = 'queued' \gset
select e.id as other_eid from app.workflow_executions e
 where e.customer_id = :'other_cust' and e.renewal_stage is not null and e.status = 'queued' \gset

select tests.authenticate_as('e_csm');
select public.create_task('Send the quote', :'cust', execution_id => :'eid') ->> 'id' as own_task \gset
select public.create_task('Ask for references', :'cust') ->> 'id' as customer_task \gset
select public.create_task('Chase the signer', :'other_cust', execution_id => :'other_eid') ->> 'id' as their_task \gset
-- A second workflow of the same customer, with a task of its own.
select public.create_workflow_execution(:'cust', 'risk-assessment') ->> 'id' as second_eid \gset
select public.create_task('Review the risk', :'cust', execution_id => :'second_eid') ->> 'id' as sibling_task \gset

select throws_ok($$select public.create_artifact(null, 'summary', 'T', '{"text": "x"}')$$,
  '22023', 'execution_id is required', 'a missing workflow is named, not looked for');
select throws_ok(format($$select public.create_artifact(%L, 'summary', 'T', '{"text": "x"}', step_key => 'no-such-step')$$, :'eid'),
  '22023', 'step_key "no-such-step" is not a step of this workflow', 'a step the workflow does not have is refused');
select lives_ok(format($$select public.create_artifact(%L, 'summary', 'T', '{"text": "x"}', step_key => %L)$$, :'eid', :'step'),
  'a step of the workflow is taken');
select lives_ok(format($$select public.create_artifact(%L, 'summary', 'T', '{"text": "x"}', task_id => %L)$$, :'eid', :'own_task'),
  'a task of the workflow is taken');
select lives_ok(format($$select public.create_artifact(%L, 'summary', 'T', '{"text": "x"}', task_id => %L)$$, :'eid', :'customer_task'),
  'a task of its customer outside any workflow is taken');
select throws_ok(format($$select public.create_artifact(%L, 'summary', 'T', '{"text": "x"}', task_id => %L)$$, :'eid', :'their_task'),
  '22023', 'task_id is not a task of this workflow or its customer', 'another customer''s workflow''s task is refused');
select throws_ok(format($$select public.create_artifact(%L, 'summary', 'T', '{"text": "x"}', task_id => %L)$$, :'eid', :'sibling_task'),
  '22023', 'task_id is not a task of this workflow or its customer', 'a task of another workflow of the same customer is refused');
select is((select count(*)::int from app.workflow_task_artifacts where execution_id = :'eid'), 3, 'only the three accepted drafts are stored');
select * from finish();
rollback;
