-- A task snoozes up to 7 days after its first snooze; then it must be completed or skipped.
begin;
select plan(4);
set client_min_messages = warning;
select tests.create_organisation('Engine Org') as org \gset
select tests.create_member('e_admin', :'org', 'admin', 'expert') as admin \gset
select tests.create_member('e_manager', :'org', 'manager', 'senior') as manager \gset
select tests.create_member('e_csm', :'org', 'csm', 'senior') as csm \gset
select tests.create_member('e_csm2', :'org', 'csm', 'junior') as csm2 \gset
select tests.create_member('e_viewer', :'org', 'viewer') as viewer \gset
update app.profiles set manager_id = :'manager' where id in (:'csm', :'csm2');
select tests.create_organisation('Other Org') as other_org \gset
select tests.create_member('o_manager', :'other_org', 'manager') as other_manager \gset
select tests.create_member('o_csm', :'other_org', 'csm') as other_csm \gset
select app.organisation_today(:'org') as today \gset
insert into app.customers (org_id, name, assigned_to) values (:'org', 'Task Co', :'csm') returning id as tc \gset

select tests.authenticate_as('e_csm');
select public.create_task('Chase', :'tc', due_date => now() + interval '1 day') ->> 'id' as task \gset
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
