-- A task snoozes up to 7 days after its first snooze; then it must be completed or skipped.
begin;
select plan(4);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, assigned_to) values (:'org', 'Task Co', :'csm') returning id as tc \gset

select tests.authenticate_as('e_csm');
select public.create_task('Chase', :'tc', due_date => (now() + interval '1 day')::text) ->> 'id' as task \gset
select is(public.act_on_task(:'task', 'snooze', jsonb_build_object('until', now() + interval '3 days')) ->> 'status', 'snoozed', 'first snooze');
select throws_ok(format('select public.act_on_task(%L, %L, %L)', :'task', 'snooze', jsonb_build_object('until', now() + interval '8 days')), 'PT409', null, 'not past 7 days after the first snooze');
-- Pretend the first snooze was 8 days ago.
select tests.clear_authentication();
update app.workflow_tasks set first_snoozed_at = now() - interval '8 days' where id = :'task';
select tests.authenticate_as('e_csm');
select throws_ok(format('select public.act_on_task(%L, %L, %L)', :'task', 'snooze', jsonb_build_object('until', now() + interval '1 day')), 'PT409', null, 'window over: no more snoozing');
select is(public.act_on_task(:'task', 'complete') ->> 'status', 'completed', 'it can still be completed');

select * from finish();
rollback;
