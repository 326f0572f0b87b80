-- task_due: the morning a task is due (or is flagged force_action) its assignee is told,
-- once that day however often the job runs; not before 06:00 local time, not for tasks
-- done, snoozed or due another day. The job is scheduled hourly.
begin;
select plan(7);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'today'::date + 3, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
select e.id as eid from app.workflow_executions e join app.workflows w on w.id = e.workflow_id
 where e.customer_id = :'cust' and w.key = 'emergency' \gset
select tests.clear_authentication();
update app.organisation_settings set time_zone = 'Europe/Berlin' where org_id = :'org';
-- 09:00 in Berlin on a fixed day.
select '2027-03-10 09:00:00 Europe/Berlin'::timestamptz as morning, '2027-03-10 04:00:00 Europe/Berlin'::timestamptz as night \gset
insert into app.workflow_tasks (org_id, customer_id, title, assigned_to, due_date)
values (:'org', :'cust', 'Due today', :'csm', '2027-03-10 17:00:00 Europe/Berlin'),
       (:'org', :'cust', 'Due tomorrow', :'csm', '2027-03-11 10:00:00 Europe/Berlin');
insert into app.workflow_tasks (org_id, customer_id, title, assigned_to, due_date, status, completed_at)
values (:'org', :'cust', 'Done already', :'csm', '2027-03-10 12:00:00 Europe/Berlin', 'completed', now());
insert into app.workflow_tasks (org_id, customer_id, title, assigned_to, due_date, force_action, force_action_at, first_snoozed_at)
values (:'org', :'cust', 'Flagged today', :'csm2', '2027-03-20 12:00:00 Europe/Berlin', true, '2027-03-10 01:00:00 Europe/Berlin', '2027-03-01');

select is(app.notify_due_tasks(:'night'), 0, 'nobody is woken at 04:00');
select is(app.notify_due_tasks(:'morning'), 2, 'at 09:00: the task due today and the one flagged today');
select is(app.notify_due_tasks(:'morning'::timestamptz + interval '1 hour'), 0, 'the next run that day tells nobody again');
select is((select title from app.notifications where user_id = :'csm' and notification_type = 'task_due'), 'Due today: Due today', 'what is due');
select is((select count(*)::int from app.notifications where user_id = :'csm2' and notification_type = 'task_due' and (data ->> 'force_action')::boolean), 1, 'the flagged task');
select is(app.notify_due_tasks('2027-03-11 08:00:00 Europe/Berlin'), 1, 'the next morning: the task due that day');
select is((select command from cron.job where jobname = 'notify-due-tasks'), 'select app.notify_due_tasks()', 'scheduled by pg_cron');

select * from finish();
rollback;
