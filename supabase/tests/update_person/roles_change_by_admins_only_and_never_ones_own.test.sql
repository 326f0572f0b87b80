-- Roles: only admins change them; nobody changes their own (so nobody makes themselves
-- admin); a manager changes title, level and manager of non-admins but no role and no
-- admin; csms and viewers change nobody; an admin of another organisation finds nobody.
-- The same rules hold for a direct update of app.profiles (the trigger), not only the RPC.
begin;
select plan(17);
set client_min_messages = warning;
select tests.create_organisation('Roles Org') as org \gset
select tests.create_member('ro_admin', :'org', 'admin') as admin \gset
select tests.create_member('ro_admin2', :'org', 'admin') as admin2 \gset
select tests.create_member('ro_manager', :'org', 'manager') as manager \gset
select tests.create_member('ro_csm', :'org', 'csm') as csm \gset
select tests.create_member('ro_viewer', :'org', 'viewer') as viewer \gset
select tests.create_organisation('Roles Other') as other_org \gset
select tests.create_member('ro_other_admin', :'other_org', 'admin') as other_admin \gset

select tests.authenticate_as('ro_manager');
select throws_ok(format($$ select public.update_person(%L, '{"role": "manager"}') $$, :'csm'), '42501', null,
                 'a manager cannot change a role');
select throws_ok(format($$ select public.update_person(%L, '{"role": "admin"}') $$, :'manager'), '42501', null,
                 'a manager cannot make themselves admin');
select throws_ok(format($$ select public.update_person(%L, '{"title": "Boss"}') $$, :'admin'), '42501', null,
                 'a manager cannot change an admin');
select is(public.update_person(:'csm', '{"title": "Senior CSM", "experience_level": "senior"}') -> 'person' ->> 'title', 'Senior CSM',
          'a manager changes a csm''s title and level');
select throws_ok(format($$ update app.profiles set role = 'admin' where id = %L $$, :'csm'), '42501', null,
                 'a direct update of a role by a manager is refused too');

select tests.authenticate_as('ro_csm');
select throws_ok(format($$ select public.update_person(%L, '{"role": "admin"}') $$, :'csm'), '42501', null,
                 'a csm cannot make themselves admin');
select throws_ok(format($$ select public.update_person(%L, '{"title": "x"}') $$, :'viewer'), '42501', null,
                 'a csm changes nobody');
select tests.authenticate_as('ro_viewer');
select throws_ok(format($$ select public.update_person(%L, '{"title": "x"}') $$, :'viewer'), '42501', null,
                 'a viewer changes nobody, not even themselves');

select tests.authenticate_as('ro_admin');
select throws_ok(format($$ select public.update_person(%L, '{"role": "manager"}') $$, :'admin'), '42501', null,
                 'an admin cannot change their own role');
select throws_ok(format($$ update app.profiles set role = 'csm' where id = %L $$, :'admin'), '42501', null,
                 'nor by a direct update');
select is(public.update_person(:'csm', '{"role": "manager"}') -> 'person' ->> 'role', 'manager', 'an admin changes a role');
select is(public.update_person(:'admin2', '{"role": "csm"}') -> 'person' ->> 'role', 'csm', 'an admin demotes another admin');
select is((select l.before || l.after from app.admin_audit_log l where l.entity_id = :'admin2'),
          '{"role": "csm"}'::jsonb || '{}'::jsonb, 'the change is audited with what it was and became');
select is((select jsonb_build_object('before', l.before, 'after', l.after, 'actor', l.actor_id, 'action', l.action)
             from app.admin_audit_log l where l.entity_id = :'admin2'),
          jsonb_build_object('before', '{"role": "admin"}'::jsonb, 'after', '{"role": "csm"}'::jsonb, 'actor', :'admin', 'action', 'update'),
          'before, after, actor and action are recorded');

select tests.authenticate_as('ro_admin2');
select throws_ok(format($$ select public.update_person(%L, '{"role": "admin"}') $$, :'admin2'), '42501', null,
                 'a demoted admin cannot promote themselves back');

select tests.authenticate_as('ro_other_admin');
select throws_ok(format($$ select public.update_person(%L, '{"title": "Spy"}') $$, :'csm'), 'PT404', null,
                 'an admin of another organisation finds nobody');
select is((select title from app.profiles where id = :'csm'), null, 'and nothing changed');

select * from finish();
rollback;
