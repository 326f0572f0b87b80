-- A closed task or workflow says so before any date is weighed: a task that is completed or
-- skipped, sent a due date in the past, is PT409 "Cannot change this task: it is completed", as
-- act_on_task answers it (its state, then what the action asks); a closed workflow asked to
-- take a task due in the past is its PT409 too, from create_task, the create_task action and a
-- proposal alike. Before (migration 20261210200000), update_task and create_task weighed the
-- date first and answered 22023 "… is in the past", and the person fixed the date only to be
-- told the task or workflow was closed. Nothing is changed either way.
begin;
select plan(9);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust' and w.key = 'emergency' \gset
select tests.authenticate_as('e_csm');

select public.create_task('Send the deck', :'cust', due_date => '2031-01-01T09:00:00Z') ->> 'id' as done_task \gset
select public.act_on_task(:'done_task', 'complete') is not null as completed \gset
select throws_ok(format('select public.update_task(%L, %L)', :'done_task', '{"due_date": "2021-03-01"}'),
  'PT409', 'Cannot change this task: it is completed', 'a completed task sent a past due date: its state, not the date');
select public.create_task('Call the CFO', :'cust', due_date => '2031-01-01T09:00:00Z') ->> 'id' as skipped_task \gset
select public.act_on_task(:'skipped_task', 'skip', '{"reason": "not needed"}') is not null as skipped \gset
select throws_ok(format('select public.update_task(%L, %L)', :'skipped_task', '{"due_date": "2021-03-01", "title": "Call"}'),
  'PT409', 'Cannot change this task: it is skipped', 'a skipped task likewise');
select is((select due_date from app.workflow_tasks where id = :'done_task'), '2031-01-01T09:00:00Z'::timestamptz, 'the due date is unchanged');
select throws_ok(format('select public.update_task(%L, %L)', :'done_task', '{"due_date": "2031-02-01"}'),
  'PT409', 'Cannot change this task: it is completed', 'and a date to come meets the same refusal');

select public.start_workflow(:'eid') is not null as s \gset
select public.complete_workflow(:'eid', '{}', true, 'Signed early') ->> 'status' as closed_status \gset
select throws_ok(format('select public.create_task(%L, %L, execution_id => %L, due_date => %L)', 'Late call', :'cust', :'eid', '2021-03-01'),
  'PT409', format('Cannot add a task to this workflow: it is %s', app.status_words(:'closed_status')),
  'create_task on a closed workflow with a past due date: the workflow''s state');
select throws_ok(format('select public.execute_action(%L, %L, %L)', 'create_task', :'eid', '{"title": "Call", "due_date": "2021-03-01"}'),
  'PT409', null, 'the create_task action likewise');
select throws_ok(format($$ select public.propose_action('create_task', 'follow up', '{"due_date": "2021-03-01"}', %L) $$, :'eid'),
  'PT409', null, 'and a proposal to create such a task');
select is((select count(*)::int from app.workflow_tasks where execution_id = :'eid'), 0, 'the closed workflow holds no task');
select throws_ok(format('select public.create_task(%L, %L, due_date => %L)', 'Call', :'cust', '2021-03-01'),
  '22023', 'due_date is in the past: a task falls due today or later', 'a past date with nothing closed is still refused as the date');
select tests.clear_authentication();

select * from finish();
rollback;
