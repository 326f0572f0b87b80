-- A reassignment names the parameter it was sent (params.assignee_id), whether the person
-- is deactivated, a viewer or the id is malformed, and changes nothing; the notification of a
-- reassigned task with a 300-character title keeps the title bound (migration 20261206215000).
begin;
select plan(8);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, health_score, assigned_to)
values (:'org', 'Contoso', 180000, 68, :'csm') returning id as cust \gset
update app.profiles set deactivated_at = now() where id = :'csm2';
select tests.authenticate_as('e_csm');
select public.create_task(repeat('t', 300), :'cust', due_date => '2030-01-01') ->> 'id' as task \gset

select throws_ok(format('select public.act_on_task(%L, %L, %L)', :'task', 'reassign',
                        jsonb_build_object('assignee_id', :'csm2', 'reason', 'leave')),
  '22023', 'params.assignee_id has been deactivated and cannot take work', 'a deactivated person is named by the parameter sent');
select throws_ok(format('select public.act_on_task(%L, %L, %L)', :'task', 'reassign',
                        jsonb_build_object('assignee_id', :'viewer', 'reason', 'leave')),
  '22023', 'params.assignee_id is a viewer, who cannot take work', 'and a viewer');
select throws_ok(format('select public.act_on_task(%L, %L, %L)', :'task', 'reassign',
                        '{"assignee_id": "not-a-uuid", "reason": "leave"}'::jsonb),
  '22023', 'params.assignee_id must be a person''s id', 'a malformed id is not called missing');
select throws_ok(format('select public.act_on_task(%L, %L, %L)', :'task', 'reassign', '{"reason": "leave"}'::jsonb),
  '22023', 'params.assignee_id is required: who takes the task over', 'a missing one is');
select is((select assigned_to from app.workflow_tasks where id = :'task'), :'csm'::uuid, 'the task stayed where it was');

select lives_ok(format('select public.act_on_task(%L, %L, %L)', :'task', 'reassign',
                       jsonb_build_object('assignee_id', :'manager', 'reason', 'cover')),
  'a reassignment to an active manager is made');
select tests.clear_authentication();
select is((select length(title) from app.notifications where user_id = :'manager' and notification_type = 'task_reassigned'),
          app.title_limit(), 'the notification''s title is cut to the title bound');
select ok((select title like 'Task handed to you: t%…' from app.notifications
            where user_id = :'manager' and notification_type = 'task_reassigned'), 'ending with an ellipsis');

select * from finish();
rollback;
