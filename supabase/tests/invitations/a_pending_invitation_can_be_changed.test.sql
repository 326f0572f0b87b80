-- An invitation not taken up yet is changed as its person would be (migration 20261215302000,
-- docs/admin.md "Revoking or resending an invitation"): update_person on one kept unsent (its
-- address has an account elsewhere, so it made nobody) changes its role, manager, title and
-- level with the rules, audit and answer of a sent one's; before, it was PT404 "Person not
-- found" for a row People lists. It cannot be deactivated: it is revoked (PT409 saying so).
-- get_person_open_work lists what it holds (nothing), where it was PT404 too, and hand_over_work
-- hands it over (nothing to move), where it was PT404 until migration 20261215304000.
begin;
select plan(14);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
select * from tests.create_pending_invitations(:'admin', :'other_csm', 'viewer') \gset
select tests.authenticate_as_service_role();
select (public.create_unsent_invitation(:'admin', 'boss@elsewhere.example', 'Ada Boss', 'admin') #>> '{person,id}') as unsent_admin \gset
select tests.clear_authentication();

select tests.authenticate_as('e_admin');
select public.update_person(:'unsent_id', jsonb_build_object('role', 'csm', 'manager_id', :'manager', 'title', 'Account executive',
                                                              'experience_level', 'mid')) as changed \gset
select public.update_person(:'sent_user', jsonb_build_object('role', 'csm', 'manager_id', :'manager', 'title', 'Account executive',
                                                              'experience_level', 'mid')) as changed_sent \gset
select is((select jsonb_build_object('role', role, 'manager_id', manager_id, 'title', title, 'experience_level', experience_level)
             from app.invitations where id = :'unsent_id'),
          jsonb_build_object('role', 'csm', 'manager_id', :'manager', 'title', 'Account executive', 'experience_level', 'mid'),
          'an invitation kept unsent takes the change');
select is((:'changed'::jsonb -> 'person') - 'id' - 'email' - 'full_name' - 'created_at',
          (:'changed_sent'::jsonb -> 'person') - 'id' - 'email' - 'full_name' - 'created_at',
          'answered as a sent one''s change is');
select is(:'changed'::jsonb -> 'open_work', :'changed_sent'::jsonb -> 'open_work', 'with the same open work (none)');
select is((select r ->> 'role' from jsonb_array_elements(public.list_people()) r where r ->> 'id' = :'unsent_id'), 'csm',
          'People lists it with its new role');
select is((select a.action || ' ' || (a.before ->> 'role') || '>' || (a.after ->> 'role') from app.admin_audit_log a
            where a.entity_id = :'unsent_id' and a.action = 'update'), 'update viewer>csm', 'audited as a person''s change');
select throws_ok(format('select public.update_person(%L, %L)', :'unsent_id', '{"role": "owner"}'), '22023',
                 'changes.role must be one of admin, manager, csm, viewer', 'the same checks');
select throws_ok(format('select public.update_person(%L, %L)', :'unsent_id', '{"active": false}'), 'PT409',
                 'Olly Elsewhere has not joined yet: revoke the invitation instead', 'it is revoked, not deactivated');
select is(public.get_person_open_work(:'unsent_id'), public.get_person_open_work(:'sent_user'),
          'what it holds is listed as a sent one''s is: nothing');
select is(public.hand_over_work(:'unsent_id', :'csm2', 'Covering') - 'profile_id',
          public.hand_over_work(:'sent_user', :'csm2', 'Covering') - 'profile_id',
          'and its work is handed over as a sent one''s is: nothing to move (migration 20261215304000)');
select throws_ok(format('select public.update_person(%L, %L)', gen_random_uuid(), '{"title": "x"}'), 'PT404',
                 'Person not found', 'an unknown id is not found, as before');
select tests.clear_authentication();

select tests.authenticate_as('e_manager');
select throws_ok(format('select public.update_person(%L, %L)', :'unsent_admin', '{"title": "x"}'), '42501',
                 'Only admins can change an admin', 'a manager cannot change an admin''s invitation');
select throws_ok(format('select public.update_person(%L, %L)', :'unsent_id', '{"role": "viewer"}'), '42501',
                 'Only admins can change roles', 'nor its role');
select is(public.update_person(:'unsent_id', '{"title": "Partner manager"}') #>> '{person,title}', 'Partner manager',
          'but may change its title, as a person''s');
select tests.clear_authentication();

select tests.authenticate_as('o_manager');
select throws_ok(format('select public.update_person(%L, %L)', :'unsent_id', '{"title": "x"}'), 'PT404',
                 'Person not found', 'another organisation''s invitation is not found');
select tests.clear_authentication();

select * from finish();
rollback;
