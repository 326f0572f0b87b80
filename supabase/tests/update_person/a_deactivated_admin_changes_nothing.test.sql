-- A deactivated admin's access token stays valid until it expires; meanwhile the
-- administration RPCs refuse them: no people, no changes, no audit entries, no integrations.
begin;
select plan(4);
set client_min_messages = warning;
select tests.create_organisation('Gone Org') as org \gset
select tests.create_member('go_admin', :'org', 'admin') as admin \gset
select tests.create_member('go_leaver', :'org', 'admin') as leaver \gset
select tests.create_member('go_csm', :'org', 'csm') as csm \gset
update app.profiles set deactivated_at = now() where id = :'leaver';

select tests.authenticate_as('go_leaver');
select throws_ok('select public.list_people()', '42501', null, 'a deactivated admin lists nobody');
select throws_ok(format($$ select public.update_person(%L, '{"role": "admin"}') $$, :'csm'), '42501', null, 'and changes nobody');
select throws_ok($$ select app.record_admin_change('person', 'x', 'update', null, null) $$, '42501', null, 'and records no change');
select throws_ok('select public.get_integrations_overview()', '42501', null, 'and sees no integrations');

select * from finish();
rollback;
