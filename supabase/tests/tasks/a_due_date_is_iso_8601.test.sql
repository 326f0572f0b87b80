-- A task's due date is ISO 8601, never a text PostgreSQL reads its own way: an offset written
-- as a POSIX zone ('UTC+5', read five hours west of UTC), 'tomorrow', or a date month first
-- ('12/01/2026') is refused with 22023 naming due_date and no task is made; a time with an
-- ISO offset is read east of UTC, and a date alone is still a due date (migration 20261206352000).
begin;
select plan(7);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, renewal_date, assigned_to)
values (:'org', 'Offset Co', 1000, current_date + 200, :'csm') returning id as cust \gset
select tests.authenticate_as('e_csm');

select throws_ok(format('select public.create_task(%L, %L, due_date => %L)', 'Call', :'cust', '2030-12-10 09:00 UTC+5'),
  '22023', 'due_date must be a date and time (ISO 8601)', 'a POSIX zone such as UTC+5 is refused');
select throws_ok(format('select public.create_task(%L, %L, due_date => %L)', 'Call', :'cust', 'tomorrow'),
  '22023', 'due_date must be a date and time (ISO 8601)', 'so is tomorrow');
select throws_ok(format('select public.create_task(%L, %L, due_date => %L)', 'Call', :'cust', '12/01/2026'),
  '22023', 'due_date must be a date and time (ISO 8601)', 'and a date month first');
select is((select count(*)::int from app.workflow_tasks where customer_id = :'cust'), 0, 'no task was made');

select is((public.create_task('Call', :'cust', due_date => '2030-12-10T09:00:00+05:00') ->> 'due_date')::timestamptz,
  '2030-12-10 04:00:00+00'::timestamptz, 'an ISO offset is east of UTC: 09:00 at +05:00 is 04:00 UTC');
select is((public.create_task('Call again', :'cust', due_date => '2030-12-10') ->> 'due_date')::timestamptz,
  '2030-12-10 17:00:00+00'::timestamptz, 'a date alone is a due date: that day at 17:00 in the organisation''s time zone, UTC here (migration 20261210301000)');
select is((public.create_task('Whenever', :'cust', due_date => null) ->> 'due_date'), null, 'and no due date is none');
select * from finish();
rollback;
