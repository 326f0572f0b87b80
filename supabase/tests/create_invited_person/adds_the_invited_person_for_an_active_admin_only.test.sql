-- create_invited_person (the invite-person function's second half) is for the service role
-- only; it adds the profile to the inviting admin's organisation, audited, and refuses an
-- actor who is no active admin, a person who already belongs somewhere and bad input.
begin;
select plan(9);
set client_min_messages = warning;
select tests.create_organisation('Invite Org') as org \gset
select tests.create_member('in_admin', :'org', 'admin') as admin \gset
select tests.create_member('in_manager', :'org', 'manager') as manager \gset
select tests.create_supabase_user('in_new', 'new.csm@test.renubu.dev') as new_user \gset

select ok(not has_function_privilege('authenticated', 'public.create_invited_person(uuid, uuid, text, text, text, uuid, text, text, text)', 'execute'),
          'signed-in people cannot call it');
select tests.authenticate_as_service_role();
select throws_ok(format($$ select public.create_invited_person(%L, %L, 'new.csm@test.renubu.dev', 'New Csm', 'csm') $$, :'manager', :'new_user'),
                 '42501', null, 'a manager is not an admin');
select throws_ok(format($$ select public.create_invited_person(%L, %L, 'new.csm@test.renubu.dev', 'New Csm', 'owner') $$, :'admin', :'new_user'),
                 '22023', null, 'an unknown role');
select throws_ok(format($$ select public.create_invited_person(%L, %L, 'new.csm@test.renubu.dev', 'New Csm', 'csm', %L) $$, :'admin', :'new_user', :'new_user'),
                 '22023', null, 'a manager who is not a manager of the organisation');
select is(public.create_invited_person(:'admin', :'new_user', 'New.Csm@test.renubu.dev', 'New Csm', 'csm', :'manager') - 'created_at' - 'id',
          jsonb_build_object('full_name', 'New Csm', 'email', 'new.csm@test.renubu.dev', 'role', 'csm', 'title', null,
                             'experience_level', null, 'manager_id', :'manager', 'manager_name', 'In Manager', 'active', true,
                             'deactivated_at', null, 'open_workflows', 0, 'open_tasks', 0, 'customers', 0, 'status', 'invited'),
          'the profile joins the admin''s organisation');
select is((select org_id from app.profiles where id = :'new_user'), :'org'::uuid, 'in the admin''s organisation');
select is((select actor_id || ' ' || action from app.admin_audit_log where entity_id = :'new_user'), :'admin' || ' invite', 'audited as the admin''s invite');
select throws_ok(format($$ select public.create_invited_person(%L, %L, 'new.csm@test.renubu.dev', 'New Csm', 'csm') $$, :'admin', :'new_user'),
                 'PT409', null, 'a person who already belongs somewhere');
update app.profiles set deactivated_at = now() where id = :'admin';
select throws_ok(format($$ select public.create_invited_person(%L, %L, 'x@test.renubu.dev', 'X', 'csm') $$, :'admin', gen_random_uuid()),
                 '42501', null, 'a deactivated admin invites nobody');

select * from finish();
rollback;
