-- Task RPCs: create notifies another assignee, update, reassign notifies, list, delete; denials.
begin;
select plan(11);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, assigned_to) values (:'org', 'Task Co', :'csm') returning id as tc \gset

select tests.authenticate_as('e_csm');
select public.create_task('Prepare deck', :'tc', due_date => (now() + interval '2 days')::text, assigned_to => :'csm2') ->> 'id' as task \gset
select public.create_task('Mine', :'tc', due_date => (now() + interval '1 day')::text) ->> 'id' as mine \gset
select throws_ok(format('select public.create_task(%L, %L, task_type => %L)', 'x', :'tc', 'dance'), '22023', null, 'unknown task type');
select is((select (public.list_tasks() -> 'items' -> 0 ->> 'days_until_deadline')::int), 1, 'list_tasks: days until deadline');
select is(public.update_task(:'mine', '{"priority": "high"}') ->> 'priority', 'high', 'update_task changes the priority');
select throws_ok(format('select public.update_task(%L, %L)', :'mine', '{"status": "completed"}'), '22023', null, 'status is not an update_task field');
select throws_ok(format('select public.act_on_task(%L, %L, %L)', :'mine', 'reassign', jsonb_build_object('assignee_id', :'csm2')), '22023', null, 'reassign needs a reason');
select is(public.act_on_task(:'mine', 'reassign', jsonb_build_object('assignee_id', :'csm2', 'reason', 'Holiday')) ->> 'assigned_to', :'csm2', 'reassigned');
select tests.clear_authentication();
select is((select count(*)::int from app.notifications where user_id = :'csm2' and notification_type in ('task_assigned', 'task_reassigned')), 2, 'the new assignee is notified of both');
select tests.authenticate_as('e_viewer');
select throws_ok(format('select public.delete_task(%L)', :'task'), '42501', null, 'a viewer may not delete');
-- A task someone else gave is skipped with a reason, not deleted by its assignee (migration 20261212120000).
select tests.authenticate_as('e_csm2');
select throws_ok(format('select public.delete_task(%L)', :'task'), '42501',
  'Only the person who created this task, a manager or an admin can delete it', 'its assignee may not delete a task given to them');
select tests.authenticate_as('e_csm');
select is(public.delete_task((public.create_task('Made by mistake', :'tc') ->> 'id')::uuid) ->> 'deleted', 'true', 'a CSM deletes a task they made');
select tests.authenticate_as('e_manager');
select is(public.delete_task(:'task') ->> 'deleted', 'true', 'a manager deletes a task someone else made');

select * from finish();
rollback;
