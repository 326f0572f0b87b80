-- update_person refuses unknown keys, bad values, a manager who is no manager, oneself as
-- manager and reporting loops; an unchanged value records nothing.
begin;
select plan(12);
set client_min_messages = warning;
select tests.create_organisation('Validate Org') as org \gset
select tests.create_member('va_admin', :'org', 'admin') as admin \gset
select tests.create_member('va_manager', :'org', 'manager') as manager \gset
select tests.create_member('va_csm', :'org', 'csm') as csm \gset
select tests.create_organisation('Validate Other') as other_org \gset
select tests.create_member('va_other_manager', :'other_org', 'manager') as other_manager \gset

select tests.authenticate_as('va_admin');
select throws_ok(format($$ select public.update_person(%L, '{"email": "x@y.z"}') $$, :'csm'), '22023', null, 'an unknown key');
select throws_ok(format($$ select public.update_person(%L, '{}') $$, :'csm'), '22023', null, 'no change at all');
select throws_ok(format($$ select public.update_person(%L, '{"role": "owner"}') $$, :'csm'), '22023', null, 'an unknown role');
select throws_ok(format($$ select public.update_person(%L, '{"experience_level": "guru"}') $$, :'csm'), '22023', null, 'an unknown level');
select throws_ok(format($$ select public.update_person(%L, '{"active": "no"}') $$, :'csm'), '22023', null, 'active must be a boolean');
select throws_ok(format($$ select public.update_person(%L, jsonb_build_object('manager_id', %L)) $$, :'csm', :'other_manager'), '22023', null,
                 'a manager from another organisation');
select throws_ok(format($$ select public.update_person(%L, jsonb_build_object('manager_id', %L)) $$, :'manager', :'csm'), '22023', null,
                 'a csm as manager');
select throws_ok(format($$ select public.update_person(%L, jsonb_build_object('manager_id', %L)) $$, :'manager', :'manager'), '22023', null,
                 'oneself as manager');
select lives_ok(format($$ select public.update_person(%L, jsonb_build_object('manager_id', %L)) $$, :'csm', :'manager'), 'a manager is set');
update app.profiles set manager_id = :'csm' where id = :'admin';
select throws_ok(format($$ select public.update_person(%L, jsonb_build_object('manager_id', %L)) $$, :'manager', :'admin'), '22023', null,
                 'a reporting loop (admin reports to csm who reports to manager)');
select lives_ok(format($$ select public.update_person(%L, jsonb_build_object('manager_id', %L)) $$, :'csm', :'manager'), 'the same manager again');
select is((select count(*)::int from app.admin_audit_log where entity_id = :'csm'), 1, 'setting the same manager again records nothing');

select * from finish();
rollback;
