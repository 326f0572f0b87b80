-- A task's due date is not in the past (migration 20261209300000): a due date whose day, in
-- the organisation's time zone, is before yesterday there is refused with 22023 naming the
-- parameter — create_task's due_date (the chat's tool and the MCP server call it),
-- update_task's changes.due_date, the create_task action's due_date (an approved proposal
-- runs it) and a proposal's params.due_date — and nothing is made or changed. Today is taken
-- (yesterday was too, a day of grace, until migration 20261210301000:
-- a_due_day_is_a_day_of_the_organisation.test.sql); a due date sent again as it was is left alone.
begin;
select plan(12);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust' and w.key = 'emergency' \gset
-- A task made long ago, before the rule, still due then.
insert into app.workflow_tasks (org_id, customer_id, title, task_type, priority, assigned_to, created_by, due_date)
values (:'org', :'cust', 'Old call', 'custom', 'medium', :'csm', :'csm', '2021-03-01T17:00:00Z') returning id as old_task \gset
select tests.authenticate_as('e_csm');

select throws_ok(format('select public.create_task(%L, %L, due_date => %L)', 'Call the CFO', :'cust', '2021-03-01'),
  '22023', 'due_date is in the past: a task falls due today or later', 'create_task refuses a due date years gone');
select throws_ok(format('select public.create_task(%L, %L, due_date => %L)', 'Call the CFO', :'cust', (app.organisation_today(:'org') - 2)::text),
  '22023', 'due_date is in the past: a task falls due today or later', 'and the day before yesterday');
select is((select count(*)::int from app.workflow_tasks where customer_id = :'cust' and title = 'Call the CFO'), 0, 'no task was made');
select lives_ok(format('select public.create_task(%L, %L, due_date => %L)', 'Call today', :'cust', app.organisation_today(:'org')::text),
  'a task due today is made');
select throws_ok(format('select public.create_task(%L, %L, due_date => %L)', 'Call late', :'cust', (app.organisation_today(:'org') - 1)::text),
  '22023', 'due_date is in the past: a task falls due today or later',
  'and one due yesterday: no day of grace since migration 20261210301000 (a date is the organisation''s day)');

select public.create_task('Send the deck', :'cust', due_date => '2030-01-01T09:00:00Z') ->> 'id' as task \gset
select throws_ok(format('select public.update_task(%L, %L)', :'task', '{"due_date": "2021-03-01"}'),
  '22023', 'changes.due_date is in the past: a task falls due today or later', 'update_task refuses it, naming changes.due_date');
select is((select due_date from app.workflow_tasks where id = :'task'), '2030-01-01T09:00:00Z'::timestamptz, 'the due date is unchanged');
select lives_ok(format('select public.update_task(%L, %L)', :'old_task', '{"due_date": "2021-03-01T17:00:00Z", "priority": "high"}'),
  'a due date sent again as it was is left alone');

select throws_ok(format('select public.execute_action(%L, %L, %L)', 'create_task', :'eid', '{"title": "Call", "due_date": "2021-03-01"}'),
  '22023', 'due_date is in the past: a task falls due today or later', 'the create_task action refuses it');
select throws_ok(format($$ select public.propose_action('create_task', 'follow up', '{"due_date": "2021-03-01"}', %L) $$, :'eid'),
  '22023', 'params.due_date is in the past: a task falls due today or later', 'and a proposal to create such a task is refused when made');
select is((select count(*)::int from app.workflow_tasks where execution_id = :'eid'), 0, 'no task on the workflow');
select lives_ok(format($$ select public.propose_action('create_task', 'follow up', '{"due_date": "2030-01-01"}', %L) $$, :'eid'),
  'a proposal due to come is made');
select tests.clear_authentication();

select * from finish();
rollback;
