-- Honest completion: with steps left, complete_workflow needs skip_remaining and a reason;
-- the steps left become skipped with that reason, progress tells done from skipped, and a
-- workflow where nothing was done is `skipped`, not completed.
begin;
select plan(12);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid, e.total_steps as total from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust' and w.key = 'emergency' \gset
select e.id as other from app.workflow_executions e where e.customer_id = :'cust' and e.id <> :'eid' limit 1 \gset

select tests.authenticate_as('e_csm');
select public.start_workflow(:'eid') is not null as s \gset
select public.complete_step(:'eid', (select current_step_key from app.workflow_executions where id = :'eid')) is not null as done \gset
select throws_ok(format('select public.complete_workflow(%L)', :'eid'), 'PT409',
  format('Cannot complete this workflow: %s of its steps are not done', :total - 1), 'steps left: refused without skip_remaining');
select throws_ok(format('select public.complete_workflow(%L, %L, true)', :'eid', '{}'), '22023', null, 'skip_remaining needs a reason');
select throws_ok(format('select public.complete_workflow(%L, %L, true, %L)', :'eid', '{}', '  '), '22023', null, 'a blank reason is no reason');
select public.complete_workflow(:'eid', '{}', true, 'Customer signed early') as r \gset
select is(:'r'::jsonb ->> 'status', 'completed', 'completed on purpose');
select is((:'r'::jsonb ->> 'steps_done')::int, 1, 'one step done');
select is((:'r'::jsonb ->> 'steps_skipped')::int, :total - 1, 'the rest skipped');
select is((select count(*)::int from app.workflow_step_executions where execution_id = :'eid' and status = 'skipped' and skip_reason = 'Customer signed early'),
  :total - 1, 'each step left is skipped with the reason');
select is((select metadata -> 'history' -> -2 ->> 'event' from app.workflow_executions where id = :'eid'), 'steps_skipped', 'the skip is in the history');

-- Nothing done: skipped.
select public.start_workflow(:'other') is not null as s2 \gset
select is(public.complete_workflow(:'other', '{}', true, 'Not applicable this quarter') ->> 'status', 'skipped', 'nothing done: the workflow is skipped');
select is((select outcome ->> 'skip_reason' from app.workflow_executions where id = :'other'), 'Not applicable this quarter', 'with its reason');
select is((select (metadata -> 'history' -> -1) - 'at' - 'by' from app.workflow_executions where id = :'other'),
  '{"event": "skipped", "reason": "Not applicable this quarter", "how": "complete_workflow", "pending_tasks": false}'::jsonb,
  'its history says it was skipped, how and why, as a last step skipped says it (app.skip_execution)');

-- Another CSM may not.
select tests.authenticate_as('e_csm2');
select throws_ok(format('select public.complete_workflow(%L, %L, true, %L)', :'eid', '{}', 'x'), '42501', null, 'another csm may not complete it');

select * from finish();
rollback;
