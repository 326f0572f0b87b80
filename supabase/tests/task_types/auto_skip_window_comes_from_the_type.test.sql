-- The auto-skip window is the task type's (app.task_types.auto_skip): a type added with a
-- long window waits 48 h, one added as never is not skipped, whatever its name.
begin;
select plan(3);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, assigned_to) values (:'org', 'Window Co', :'csm') returning id as tc \gset
insert into app.task_types (key, label, sort, auto_skip) values ('legal_review', 'Legal review', 200, 'long'), ('board_prep', 'Board preparation', 210, 'never');

insert into app.workflow_tasks (org_id, customer_id, title, task_type, assigned_to, status, snoozed_until, first_snoozed_at) values
  (:'org', :'tc', 'Follow', 'follow_up', :'csm', 'snoozed', now() + interval '1 day', now()),
  (:'org', :'tc', 'Legal', 'legal_review', :'csm', 'snoozed', now() + interval '1 day', now()),
  (:'org', :'tc', 'Board', 'board_prep', :'csm', 'snoozed', now() + interval '1 day', now());
select app.process_task_deadlines(now() + interval '7 days') is not null as j1 \gset
select app.process_task_deadlines(now() + interval '8 days 1 hour') is not null as j2 \gset
select is((select array_agg(title order by title) from app.workflow_tasks where customer_id = :'tc' and status = 'skipped'), array['Follow'], 'after 24 h only the standard type is skipped');
select app.process_task_deadlines(now() + interval '9 days 1 hour') is not null as j3 \gset
select is((select status from app.workflow_tasks where title = 'Legal' and customer_id = :'tc'), 'skipped', 'a new long-window type is skipped after 48 h');
select app.process_task_deadlines(now() + interval '60 days') is not null as j4 \gset
select is((select status from app.workflow_tasks where title = 'Board' and customer_id = :'tc'), 'pending', 'a new never type is never skipped');

select * from finish();
rollback;
