-- After the window: force_action, then auto-skip 24 h later (48 h for review_contract; escalate never).
begin;
select plan(6);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, assigned_to) values (:'org', 'Task Co', :'csm') returning id as tc \gset

insert into app.workflow_tasks (org_id, customer_id, title, task_type, assigned_to, status, snoozed_until, first_snoozed_at) values
  (:'org', :'tc', 'Follow', 'follow_up', :'csm', 'snoozed', now() + interval '1 day', now()),
  (:'org', :'tc', 'Contract', 'review_contract', :'csm', 'snoozed', now() + interval '1 day', now()),
  (:'org', :'tc', 'Escalate', 'escalate', :'csm', 'snoozed', now() + interval '1 day', now());
select app.process_task_deadlines(now() + interval '7 days') is not null as j1 \gset
select ok((select bool_and(force_action) from app.workflow_tasks where customer_id = :'tc'), 'flagged force_action when the 7-day window ends');
select is((select count(*)::int from app.notifications where user_id = :'csm' and notification_type = 'task_force_action'), 3, 'the assignee is told');
select app.process_task_deadlines(now() + interval '7 days 23 hours') is not null as j2 \gset
select is((select count(*)::int from app.workflow_tasks where customer_id = :'tc' and status = 'skipped'), 0, 'nothing skipped before 24 h');
select app.process_task_deadlines(now() + interval '8 days') is not null as j3 \gset
select is((select status from app.workflow_tasks where title = 'Follow' and customer_id = :'tc'), 'skipped', 'follow_up skipped after 24 h');
select is((select status from app.workflow_tasks where title = 'Contract' and customer_id = :'tc'), 'pending', 'review_contract waits 48 h');
select app.process_task_deadlines(now() + interval '30 days') is not null as j4 \gset
select is((select status from app.workflow_tasks where title = 'Escalate' and customer_id = :'tc'), 'pending', 'escalate tasks never auto-skip');

select * from finish();
rollback;
