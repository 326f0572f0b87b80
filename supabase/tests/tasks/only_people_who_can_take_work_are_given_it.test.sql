-- Work goes only to an active CSM, manager or admin: creating a task or opening a workflow
-- for a viewer or a deactivated person is refused with 22023, and nothing is stored
-- (migration 20261205193000). Work that falls to such a person by default (the customer's
-- CSM became a viewer) opens unassigned. A job with nobody signed in follows the rules.
begin;
select plan(12);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust' and w.key = 'emergency' \gset
update app.profiles set deactivated_at = now() where id = :'csm2';
select tests.authenticate_as('e_csm');

select throws_ok(format('select public.create_task(%L, %L, due_date => %L, assigned_to => %L)', 'Call', :'cust', '2030-01-01', :'viewer'),
  '22023', 'assigned_to is a viewer, who cannot take work', 'create_task refuses a viewer');
select throws_ok(format('select public.create_task(%L, %L, due_date => %L, assigned_to => %L)', 'Call', :'cust', '2030-01-01', :'csm2'),
  '22023', 'assigned_to has been deactivated and cannot take work', 'and a deactivated person');
select throws_ok(format('select public.execute_action(%L, %L, %L)', 'create_task', :'eid',
                        jsonb_build_object('due_date', '2030-01-01', 'assigned_to', :'viewer')),
  '22023', 'assigned_to is a viewer, who cannot take work', 'the create_task action refuses a viewer');
select is((select count(*)::int from app.workflow_tasks where customer_id = :'cust'), 0, 'nothing was stored');
select lives_ok(format('select public.create_task(%L, %L, due_date => %L, assigned_to => %L)', 'Call', :'cust', '2030-01-01', :'manager'),
  'a task for an active manager is created');

select tests.authenticate_as('e_manager');
select throws_ok(format('select public.create_workflow_execution(%L, %L, %L)', :'cust', 'risk-assessment', :'viewer'),
  '22023', 'assignee_id is a viewer, who cannot take work', 'a workflow is not opened for a viewer');
select throws_ok(format('select public.create_workflow_execution(%L, %L, %L)', :'cust', 'risk-assessment', :'csm2'),
  '22023', 'assignee_id has been deactivated and cannot take work', 'nor for a deactivated person');
select throws_ok(format('select public.create_workflow_execution(%L, %L, %L)', :'cust', 'risk-assessment', :'other_csm'),
  '22023', 'assignee_id must be a member of your organisation', 'nor for someone of another organisation');
select is((select count(*)::int from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
            where e.customer_id = :'cust' and w.key = 'risk-assessment'), 0, 'no workflow was opened');
select lives_ok(format('select public.create_workflow_execution(%L, %L, %L)', :'cust', 'risk-assessment', :'csm'),
  'it opens for an active CSM');
select tests.clear_authentication();
insert into app.customers (org_id, name, arr, assigned_to) values (:'org', 'Viewer Owned', 10000, :'viewer') returning id as vcust \gset
select tests.authenticate_as('e_manager');
select is(public.create_workflow_execution(:'vcust', 'risk-assessment') ->> 'assignee_id', null,
  'work that would fall to a viewer by default opens unassigned');

select tests.clear_authentication();
select lives_ok(format('insert into app.workflow_tasks (org_id, customer_id, title, task_type, assigned_to) values (%L, %L, %L, %L, %L)',
                       :'org', :'cust', 'By the system', 'follow_up', :'viewer'),
  'a job with nobody signed in is not refused');

select * from finish();
rollback;
