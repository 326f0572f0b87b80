-- The six core actions plus the organisations own; not another organisations.
begin;
select plan(3);
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
insert into app.saved_actions (org_id, key, name, action_type) values (:'other_org', 'their_thing', 'Their thing', 'custom');
insert into app.saved_actions (org_id, key, name, action_type) values (:'org', 'log_call', 'Log a call', 'custom');
select tests.authenticate_as('e_csm');
select ok((select array_agg(a ->> 'key') from jsonb_array_elements(public.list_saved_actions()) a)
          @> array['snooze', 'skip', 'escalate', 'schedule_meeting', 'send_email', 'create_task', 'log_call'], 'core and own actions');
select ok(not exists (select 1 from jsonb_array_elements(public.list_saved_actions()) a where a ->> 'key' = 'their_thing'), 'not another organisation''s');
select ok(not has_function_privilege('anon', 'public.list_saved_actions()', 'execute'), 'anon cannot call it');

select * from finish();
rollback;
