-- A closed workflow (completed, skipped, cancelled, superseded) takes no new task and no
-- new draft (PT409, app.require_workflow_accepts, migration 20261205225500): a task added
-- after the end would sit pending behind a workflow that shows `completed`. Work for the
-- customer goes on a task of the customer, or in a new workflow. Its drafts keep their text
-- and approval.
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
select public.start_workflow(:'eid') is not null as s \gset
select (public.create_artifact(:'eid', 'email_draft', 'Before the end', '{"to": ["cfo@contoso.example"], "body": "Hi"}') ->> 'id') as early \gset
select public.complete_workflow(:'eid', '{}', true, 'Signed early') ->> 'status' as closed_status \gset

select throws_ok(format('select public.create_task(%L, %L, execution_id => %L, due_date => %L)', 'Late call', :'cust', :'eid', '2030-01-01'),
  'PT409', format('Cannot add a task to this workflow: it is %s', app.status_words(:'closed_status')), 'no new task on a closed workflow');
select throws_ok(format('select public.create_artifact(%L, %L, %L, %L)', :'eid', 'email_draft', 'Late', '{"body": "Hi"}'),
  'PT409', format('Cannot add an artifact to this workflow: it is %s', app.status_words(:'closed_status')), 'nor a draft');
select tests.authenticate_as('e_manager');
select throws_ok(format('select public.create_task(%L, %L, execution_id => %L, due_date => %L)', 'Late call', :'cust', :'eid', '2030-01-01'),
  'PT409', null, 'not even by a manager');
select tests.authenticate_as('e_csm');
select lives_ok(format('select public.create_task(%L, %L, due_date => %L)', 'Late call', :'cust', '2030-01-01'),
  'a task for the customer is still created');
select throws_ok(format('select public.update_artifact(%L, %L, 1)', :'early', '{"content": {"to": ["ceo@competitor.example"], "body": "After the end"}}'),
  'PT409', format('Cannot change a draft of this workflow: it is %s', app.status_words(:'closed_status')), 'a draft made before the end is not edited after it');
select tests.authenticate_as('e_manager');
select throws_ok(format('select public.approve_artifact(%L)', :'early'), 'PT409', null, 'nor approved');
select tests.clear_authentication();
select is((select count(*)::int from app.workflow_tasks where execution_id = :'eid'), 0, 'the closed workflow holds no task');
select is((select count(*)::int from app.workflow_task_artifacts where execution_id = :'eid'), 1, 'nor a new draft');
select is((select status from app.workflow_executions where id = :'eid'), :'closed_status', 'and keeps its status');

select * from finish();
rollback;
