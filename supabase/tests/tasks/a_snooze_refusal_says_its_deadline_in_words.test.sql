-- A task's snooze refused for its window says the last moment it may come back as people
-- read a time, in the organisation's time zone ("14 Dec 2026, 09:30"), never the database's
-- "2026-12-14 09:30:21.812392+00"; a task never snoozed is not said to have been "first
-- snoozed"; a time gone says so in words, not "until must be in the future"
-- (migration 20261208300200).
begin;
select plan(4);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
update app.organisation_settings set time_zone = 'Asia/Karachi' where org_id = :'org';
insert into app.customers (org_id, name, assigned_to) values (:'org', 'Task Co', :'csm') returning id as tc \gset

select tests.authenticate_as('e_csm');
select public.create_task('Chase', :'tc', due_date => (now() + interval '1 day')::text) ->> 'id' as task \gset
-- Never snoozed: the window starts now.
select to_char((now() + interval '7 days') at time zone 'Asia/Karachi', 'FMDD Mon YYYY, HH24:MI') as deadline \gset
select throws_ok(format('select public.act_on_task(%L, %L, %L)', :'task', 'snooze', jsonb_build_object('until', now() + interval '12 days')),
  'PT409', format('A task comes back within 7 days of its first snooze: choose %s or earlier', :'deadline'),
  'a first snooze past the window names the last moment in the organisation''s time, without "first snoozed"');
select public.act_on_task(:'task', 'snooze', jsonb_build_object('until', now() + interval '2 days')) ->> 'status' as snoozed \gset
select throws_ok(format('select public.act_on_task(%L, %L, %L)', :'task', 'snooze', jsonb_build_object('until', now() + interval '9 days')),
  'PT409', format('This task was first snoozed %s: it comes back by %s at the latest', to_char(now() at time zone 'Asia/Karachi', 'FMDD Mon YYYY'), :'deadline'),
  'a later snooze past the window names when it was first snoozed and the last moment');
select tests.clear_authentication();
update app.workflow_tasks set first_snoozed_at = now() - interval '8 days' where id = :'task';
select tests.authenticate_as('e_csm');
select throws_ok(format('select public.act_on_task(%L, %L, %L)', :'task', 'snooze', jsonb_build_object('until', now() + interval '1 day')),
  'PT409', format('This task cannot be snoozed again: its 7 days of snoozing ended on %s',
    to_char((now() - interval '1 day') at time zone 'Asia/Karachi', 'FMDD Mon YYYY, HH24:MI')),
  'a window that is over says when it ended, in words');
select throws_ok(format('select public.act_on_task(%L, %L, %L)', :'task', 'snooze', jsonb_build_object('until', now() - interval '1 day')),
  '22023', 'The task would come back in the past: choose a day after today',
  'a time gone, in words');

select * from finish();
rollback;
