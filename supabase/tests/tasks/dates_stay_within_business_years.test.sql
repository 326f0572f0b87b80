-- Dates and times a person sends stay within the years 2000 to 2099: 'infinity', 'epoch'
-- and 1900 are refused with 22023 naming the argument, nothing is stored, and the pages
-- that read tasks keep working (migration 20261205193000).
begin;
select plan(15);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust' and w.key = 'emergency' \gset
select tests.authenticate_as('e_csm');

select throws_ok(format('select public.create_task(%L, %L, due_date => %L)', 'Call', :'cust', 'infinity'),
  '22023', 'due_date must be a date and time (ISO 8601)', 'create_task refuses a due date of infinity, which is no ISO 8601 date (migration 20261206352000)');
select throws_ok(format('select public.execute_action(%L, %L, %L)', 'create_task', :'eid', '{"due_date": "9999-12-31T09:00:00Z"}'),
  '22023', 'due_date must be a date and time in the years 2000 to 2099', 'the create_task action refuses 9999');
select throws_ok(format('select public.execute_action(%L, %L, %L)', 'create_task', :'eid', '{"due_date": "infinity"}'),
  '22023', 'due_date must be a date and time (ISO 8601)', 'and infinity, which is no ISO 8601 date (migration 20261206202000)');
select throws_ok(format('select public.execute_action(%L, %L, %L)', 'create_task', :'eid', '{"due_date": "-infinity"}'),
  '22023', null, 'and -infinity');
select throws_ok(format('select public.execute_action(%L, %L, %L)', 'create_task', :'eid', '{"due_date": "epoch"}'),
  '22023', null, 'and epoch (1970)');
select throws_ok(format('select public.execute_action(%L, %L, %L)', 'schedule_meeting', :'eid', '{"scheduled_at": "infinity"}'),
  '22023', 'scheduled_at must be a date and time (ISO 8601)', 'schedule_meeting refuses infinity');
select throws_ok(format('select public.execute_action(%L, %L, %L)', 'schedule_meeting', :'eid', '{"scheduled_at": "1900-01-01T09:00:00Z"}'),
  '22023', null, 'and a meeting in 1900');
select is((select count(*)::int from app.workflow_tasks where customer_id = :'cust'), 0, 'nothing was stored');
select is((select count(*)::int from app.workflow_meetings where execution_id = :'eid'), 0, 'no meeting either');

select public.create_task('Call the CFO', :'cust', due_date => '2030-01-01T09:00:00Z') ->> 'id' as task \gset
select throws_ok(format('select public.update_task(%L, %L)', :'task', '{"due_date": "2100-01-01"}'),
  '22023', 'changes.due_date must be a date and time in the years 2000 to 2099', 'update_task refuses 2100, naming changes.due_date (migration 20261209301000)');
select is((select due_date from app.workflow_tasks where id = :'task'), '2030-01-01T09:00:00Z'::timestamptz, 'the due date is unchanged');
select ok(public.list_tasks() is not null and public.get_task(:'task') is not null, 'the task list and the task still read');
select throws_ok(format('select public.get_renewal_forecast(%L, %L)', '-infinity', :'today'),
  '22023', 'period_start must be a date (ISO 8601)', 'a forecast from -infinity is refused (no ISO 8601 date)');

select tests.clear_authentication();
-- No other path stores one either: the tasks' own trigger.
select throws_ok(format('insert into app.workflow_tasks (org_id, customer_id, title, task_type, assigned_to, due_date) values (%L, %L, %L, %L, %L, %L)',
                        :'org', :'cust', 'Direct', 'follow_up', :'csm', 'infinity'),
  '22023', 'due_date must be a date and time in the years 2000 to 2099', 'an insert by any path is refused');
select lives_ok(format('insert into app.workflow_tasks (org_id, customer_id, title, task_type, assigned_to, due_date) values (%L, %L, %L, %L, %L, %L)',
                       :'org', :'cust', 'Direct', 'follow_up', :'csm', '2099-12-31T23:00:00Z'),
  'the last hour of 2099 is still a business date');

select * from finish();
rollback;
