-- Deactivating a person bans their auth user (GoTrue's banned_until), ends their sessions
-- and returns their open executions and tasks for reassignment; reactivating lifts the ban.
-- Nobody deactivates themselves.
begin;
select plan(10);
set client_min_messages = warning;
select tests.create_organisation('Leaver Org') as org \gset
select tests.create_member('le_admin', :'org', 'admin') as admin \gset
select tests.create_member('le_manager', :'org', 'manager') as manager \gset
select tests.create_member('le_csm', :'org', 'csm') as csm \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Globex', 120000, 70, app.organisation_today(:'org') + 3, :'csm') returning id as customer \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset
insert into app.workflow_tasks (org_id, customer_id, title, assigned_to, status)
values (:'org', :'customer', 'Send the renewal quote', :'csm', 'pending');
insert into auth.sessions (id, user_id) values (gen_random_uuid(), :'csm');

select tests.authenticate_as('le_admin');
select throws_ok(format($$ select public.update_person(%L, '{"active": false}') $$, :'admin'), '42501', null,
                 'an admin cannot deactivate themselves');
select public.update_person(:'csm', '{"active": false}') as result \gset
select is((:'result'::jsonb -> 'person' ->> 'active')::boolean, false, 'the person is inactive');
select ok(jsonb_array_length(:'result'::jsonb -> 'open_work' -> 'executions') > 0, 'their open executions are listed');
select is(:'result'::jsonb -> 'open_work' -> 'executions' -> 0 -> 'customer' ->> 'name', 'Globex', 'with their customer');
select is(:'result'::jsonb -> 'open_work' -> 'tasks' -> 0 ->> 'title', 'Send the renewal quote', 'their open tasks are listed');
select tests.clear_authentication();
select ok((select banned_until > now() + interval '50 years' from auth.users where id = :'csm'), 'their auth user is banned');
select is((select count(*)::int from auth.sessions where user_id = :'csm'), 0, 'their sessions are ended');
select is((select action from app.admin_audit_log where entity_id = :'csm'), 'deactivate', 'the deactivation is audited');

select tests.authenticate_as('le_manager');
select is(public.update_person(:'csm', '{"active": true}') -> 'person' ->> 'active', 'true', 'a manager reactivates a csm');
select tests.clear_authentication();
select is((select banned_until from auth.users where id = :'csm'), null, 'and the ban is lifted');

select * from finish();
rollback;
