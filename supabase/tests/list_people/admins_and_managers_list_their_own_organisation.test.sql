-- list_people: admins and managers see everyone of their organisation with role, manager,
-- status and open work; csms, viewers and anon are refused; another organisation's admin
-- sees only their own people.
begin;
select plan(9);
set client_min_messages = warning;
select tests.create_organisation('People Org') as org \gset
select tests.create_member('lp_admin', :'org', 'admin') as admin \gset
select tests.create_member('lp_manager', :'org', 'manager') as manager \gset
select tests.create_member('lp_csm', :'org', 'csm') as csm \gset
select tests.create_member('lp_viewer', :'org', 'viewer') as viewer \gset
update app.profiles set full_name = 'Carla Csm', manager_id = :'manager', title = 'CSM' where id = :'csm';
update auth.users set email_confirmed_at = now() where id in (:'admin', :'manager', :'csm');
select tests.create_organisation('People Other') as other_org \gset
select tests.create_member('lp_other_admin', :'other_org', 'admin') as other_admin \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Initech', 90000, 70, app.organisation_today(:'org') + 3, :'csm');
select app.run_orchestrator_for_org(:'org') is not null as ran \gset

select tests.authenticate_as('lp_admin');
select is(jsonb_array_length(public.list_people()), 4, 'an admin sees the four people of the organisation');
select is((select p - 'created_at' - 'invited_at' - 'last_sign_in_at' - 'open_workflows' from jsonb_array_elements(public.list_people()) p where p ->> 'id' = :'csm'),
          jsonb_build_object('id', :'csm', 'full_name', 'Carla Csm', 'email', 'lp_csm@test.renubu.dev', 'role', 'csm',
                             'title', 'CSM', 'experience_level', 'mid', 'manager_id', :'manager', 'manager_name', 'Lp Manager',
                             'active', true, 'deactivated_at', null, 'open_tasks', 0, 'customers', 1, 'status', 'active',
                             'invited_by', null),
          'each person with role, manager, title, level and status (nobody invited them: seeded)');
select ok((select (p ->> 'open_workflows')::int > 0 from jsonb_array_elements(public.list_people()) p where p ->> 'id' = :'csm'),
          'open workflows are counted');
select is((select p ->> 'status' from jsonb_array_elements(public.list_people()) p where p ->> 'id' = :'viewer'),
          'invited', 'someone who never confirmed nor signed in is shown as invited');

select tests.authenticate_as('lp_manager');
select is(jsonb_array_length(public.list_people()), 4, 'a manager reads the list too');

select tests.authenticate_as('lp_csm');
select throws_ok('select public.list_people()', '42501', null, 'a csm is refused');
select tests.authenticate_as('lp_viewer');
select throws_ok('select public.list_people()', '42501', null, 'a viewer is refused');

select tests.authenticate_as('lp_other_admin');
select is((select jsonb_agg(p ->> 'id') from jsonb_array_elements(public.list_people()) p), jsonb_build_array(:'other_admin'),
          'an admin of another organisation sees only their own people');

select tests.authenticate_as_anon();
select throws_ok('select public.list_people()', '42501', null, 'anon is refused');

select * from finish();
rollback;
