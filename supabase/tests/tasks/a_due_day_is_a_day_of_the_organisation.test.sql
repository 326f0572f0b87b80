-- A task's due date is a day of the organisation's calendar (docs/business-rules.md "Tasks"):
-- a due date only (2027-01-29) means that day at 17:00 in the organisation's time zone, so it
-- is listed under Today on that day there, and a day before the organisation's today is refused
-- (22023 naming the parameter) by create_task, update_task, the create_task action and a
-- proposal, as the web app's forms refuse it. Before (migration 20261209300000), a date was read
-- as midnight UTC — the evening before in the Americas, listed a day early — and the server
-- took yesterday as a day of grace, which the forms refused: form and server disagreed.
begin;
select plan(10);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
update app.organisation_settings set time_zone = 'America/Los_Angeles' where org_id = :'org';
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust' and w.key = 'emergency' \gset
select app.organisation_today(:'org') as org_today \gset
select (:'org_today'::date - 1)::text as yesterday \gset
select tests.authenticate_as('e_csm');

select throws_ok(format('select public.create_task(%L, %L, due_date => %L)', 'Call late', :'cust', :'yesterday'),
  '22023', 'due_date is in the past: a task falls due today or later', 'create_task refuses yesterday in the organisation''s time zone');
select throws_ok(format('select public.create_task(%L, %L, due_date => %L)', 'Call late', :'cust', (:'yesterday' || 'T17:00:00-08:00')),
  '22023', 'due_date is in the past: a task falls due today or later', 'also with a time');
select public.create_task('Call today', :'cust', due_date => :'org_today') ->> 'id' as task \gset
select is((select (due_date at time zone 'America/Los_Angeles') from app.workflow_tasks where id = :'task'),
  (:'org_today'::date + time '17:00'), 'a date only is that day at 17:00 in the organisation''s time zone');
select ok(:'task' in (select x ->> 'id' from jsonb_array_elements(public.list_tasks(filters => '{"due": "today"}') -> 'items') x),
  'and it is listed under Today');

select throws_ok(format('select public.update_task(%L, %L)', :'task', json_build_object('due_date', :'yesterday')),
  '22023', 'changes.due_date is in the past: a task falls due today or later', 'update_task refuses yesterday');
select lives_ok(format('select public.update_task(%L, %L)', :'task', json_build_object('due_date', (:'org_today'::date + 1)::text)),
  'and takes tomorrow');
select is((select (due_date at time zone 'America/Los_Angeles') from app.workflow_tasks where id = :'task'),
  (:'org_today'::date + 1 + time '17:00'), 'read as a day of the organisation too');

select throws_ok(format('select public.execute_action(%L, %L, %L)', 'create_task', :'eid', json_build_object('title', 'Call', 'due_date', :'yesterday')),
  '22023', 'due_date is in the past: a task falls due today or later', 'the create_task action refuses yesterday');
select (public.execute_action('create_task', :'eid', json_build_object('title', 'Call', 'due_date', :'org_today')::jsonb,
                              gen_random_uuid()::text) -> 'result' ->> 'task_id') as action_task \gset
select is((select (due_date at time zone 'America/Los_Angeles') from app.workflow_tasks where id = :'action_task'),
  (:'org_today'::date + time '17:00'), 'and reads its date only as the organisation''s day');
select throws_ok(format($$ select public.propose_action('create_task', 'follow up', %L, %L) $$, json_build_object('due_date', :'yesterday'), :'eid'),
  '22023', 'params.due_date is in the past: a task falls due today or later', 'a proposal due yesterday is refused when made');
select tests.clear_authentication();

select * from finish();
rollback;
