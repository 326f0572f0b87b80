-- A customer handed to another CSM takes along the open tasks its previous CSM held that are on
-- no open workflow — the customer's own follow-ups, and those left open by a workflow that
-- completed with tasks pending — and they are counted in the one notice and the audit entry
-- (migration 20261211301000, docs/escalation-loop.md "Who may do what"). Tasks someone else
-- holds and done tasks stay. Any change of the customer's CSM moves them (the same trigger as its
-- workflows'), each with its own notice when it is not a hand-over. Before, only the tasks of its
-- open workflows followed; the rest stayed with the previous CSM, a leaver's too.
begin;
select plan(11);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, assigned_to)
values (:'org', 'Fabrikam', 40000, 70, :'csm') returning id as cust \gset
select tests.authenticate_as('e_csm');
select (public.create_workflow_execution(:'cust', 'risk-intervention') ->> 'id') as open_wf \gset
select (public.create_workflow_execution(:'cust', 'expansion-proposal') ->> 'id') as done_wf \gset
select public.create_task('Call the CFO', :'cust', execution_id => :'open_wf', due_date => '2031-01-20T17:00:00Z') ->> 'id' as wf_task \gset
select public.create_task('Send the deck', :'cust', execution_id => :'done_wf', due_date => '2031-01-20T17:00:00Z') ->> 'id' as left_task \gset
select public.start_workflow(:'done_wf') is not null as started \gset
select public.complete_step(:'done_wf', (select current_step_key from app.workflow_executions where id = :'done_wf')) is not null as stepped \gset
select public.complete_workflow(:'done_wf', '{}', true, 'Agreed on the call') ->> 'status' as done_status \gset
select public.create_task('Renewal lunch', :'cust', due_date => '2031-01-20T17:00:00Z') ->> 'id' as own_task \gset
select public.create_task('Old note', :'cust', due_date => '2031-01-20T17:00:00Z') ->> 'id' as done_task \gset
select public.act_on_task(:'done_task', 'complete') is not null as completed \gset
select tests.authenticate_as('e_manager');
select public.create_task('Check the invoice', :'cust', due_date => '2031-01-20T17:00:00Z', assigned_to => :'manager') ->> 'id' as managers_task \gset
select tests.clear_authentication();
select is(:'done_status'::text, 'completed_with_pending_tasks', 'a workflow closed with a task still open');
delete from app.notifications;

select tests.authenticate_as('e_manager');
select public.reassign_customer(:'cust', :'csm2', 'Sam is on leave') -> 'handed_over' as counts \gset
select tests.clear_authentication();
select is(:'counts'::jsonb, '{"customers": 1, "workflows": 1, "tasks": 3}'::jsonb,
  'the answer counts the customer''s own open tasks with its workflow''s');
select is((select assigned_to from app.workflow_tasks where id = :'own_task'), :'csm2'::uuid, 'a task on no workflow follows the customer');
select is((select assigned_to from app.workflow_tasks where id = :'left_task'), :'csm2'::uuid, 'so does one a closed workflow left open');
select is((select assigned_to from app.workflow_tasks where id = :'wf_task'), :'csm2'::uuid, 'and its open workflow''s, as before');
select is((select assigned_to from app.workflow_tasks where id = :'managers_task'), :'manager'::uuid, 'someone else''s task stays theirs');
select is((select assigned_to from app.workflow_tasks where id = :'done_task'), :'csm'::uuid, 'a done task stays as it was done');
select is((select array_agg(title) from app.notifications where user_id = :'csm2'),
  array['Handed to you: Fabrikam (1 workflow and 3 tasks)'], 'one notice for all of it, no notice per task');
select is((select after -> 'handed_over' ->> 'tasks' from app.admin_audit_log where entity = 'customer' and entity_id = :'cust'), '3',
  'the audit entry counts them');

-- Any other change of the customer's CSM (an admin's edit, the ingest) moves them too, each told.
delete from app.notifications;
select tests.authenticate_as('e_admin');
update app.customers set assigned_to = :'csm' where id = :'cust';
select tests.clear_authentication();
select is((select assigned_to from app.workflow_tasks where id = :'own_task'), :'csm'::uuid, 'a direct change of CSM moves the customer''s task too');
select is((select count(*)::int from app.notifications where user_id = :'csm' and notification_type = 'task_reassigned'
             and data ->> 'task_id' in (:'own_task', :'left_task')), 2, 'with a notice for each');

select * from finish();
rollback;
