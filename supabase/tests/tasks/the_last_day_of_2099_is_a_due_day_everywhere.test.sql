-- A due day is a day of the organisation's calendar, and the years a due day may be in are
-- counted in that calendar too: 31 Dec 2099 sent as a day alone is that day at 17:00 in the
-- organisation's time zone, which west of UTC (Pacific/Pago_Pago, UTC-11; America/Los_Angeles)
-- is already 2100 in UTC. Before (migrations 20261205193000, 20261210301000) the tasks' own
-- trigger counted the years in UTC and refused it, "due_date must be a date and time in the
-- years 2000 to 2099", a day in those years; east of UTC (Pacific/Kiritimati) it was taken.
-- A date and time sent whole is still refused past 2099 in UTC, as is any other path's.
begin;
select plan(7);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust' and w.key = 'emergency' \gset

update app.organisation_settings set time_zone = 'Pacific/Pago_Pago' where org_id = :'org';
select tests.authenticate_as('e_csm');
select lives_ok(format('select public.create_task(%L, %L, due_date => %L)', 'Renew the lease', :'cust', '2099-12-31'),
  'in Pacific/Pago_Pago, create_task takes 31 Dec 2099');
select is((select (due_date at time zone 'Pacific/Pago_Pago')::text from app.workflow_tasks where title = 'Renew the lease'),
  '2099-12-31 17:00:00', 'due that day at 17:00 there');
select lives_ok(format('select public.execute_action(%L, %L, %L, %L)', 'create_task', :'eid',
                       '{"title": "Renew again", "due_date": "2099-12-31"}', gen_random_uuid()),
  'the create_task action takes it too');
select throws_ok(format('select public.create_task(%L, %L, due_date => %L)', 'Later', :'cust', '2100-01-01'),
  '22023', 'due_date must be a date and time in the years 2000 to 2099', 'the first day of 2100 is refused');
select throws_ok(format('select public.create_task(%L, %L, due_date => %L)', 'Later', :'cust', '2099-12-31T17:00:00-11:00'),
  '22023', 'due_date must be a date and time in the years 2000 to 2099', 'a date and time sent whole is still counted in UTC');
select tests.clear_authentication();

update app.organisation_settings set time_zone = 'Pacific/Kiritimati' where org_id = :'org';
select tests.authenticate_as('e_csm');
select lives_ok(format('select public.create_task(%L, %L, due_date => %L)', 'East', :'cust', '2099-12-31'),
  'in Pacific/Kiritimati it is taken as before');
select tests.clear_authentication();

select throws_ok(format('insert into app.workflow_tasks (org_id, customer_id, title, task_type, assigned_to, due_date) values (%L, %L, %L, %L, %L, %L)',
                        :'org', :'cust', 'Direct', 'follow_up', :'csm', '2100-01-01T12:00:00Z'),
  '22023', 'due_date must be a date and time in the years 2000 to 2099', 'another path''s due date already 2100 in the organisation is refused');

select * from finish();
rollback;
