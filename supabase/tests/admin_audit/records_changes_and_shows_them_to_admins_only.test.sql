-- app.record_admin_change takes the organisation and the actor from the signed-in person;
-- list_admin_audit shows admins their own organisation's entries newest first in keyset
-- pages; managers, csms, viewers, anon and other organisations read nothing; nobody
-- writes the log directly.
begin;
select plan(16);
set client_min_messages = warning;
select tests.create_organisation('Audit Org') as org \gset
select tests.create_member('au_admin', :'org', 'admin') as admin \gset
select tests.create_member('au_manager', :'org', 'manager') as manager \gset
select tests.create_member('au_csm', :'org', 'csm') as csm \gset
select tests.create_organisation('Audit Other') as other_org \gset
select tests.create_member('au_other_admin', :'other_org', 'admin') as other_admin \gset

select tests.authenticate_as('au_admin');
select lives_ok($$ select app.record_admin_change('person', 'p-1', 'update', '{"role": "csm"}', '{"role": "manager"}') $$,
                'an admin records a change');
select lives_ok($$ select app.record_admin_change('webhook_secret', 's-1', 'create', null, '{"label": "crm"}') $$,
                'a second one');
select tests.authenticate_as('au_manager');
select lives_ok($$ select app.record_admin_change('person', 'p-2', 'update', '{"title": null}', '{"title": "Lead"}') $$,
                'a manager records a change too');

select tests.authenticate_as('au_csm');
select throws_ok($$ select app.record_admin_change('person', 'p-3', 'update', null, null) $$, '42501', null,
                 'a csm cannot write the audit log');
select throws_ok($$ select public.list_admin_audit() $$, '42501', null, 'a csm cannot read it');
select throws_ok($$ insert into app.admin_audit_log (org_id, entity, action) values ('$$ || :'org' || $$', 'person', 'forged') $$,
                 '42501', null, 'nobody inserts directly');

select tests.authenticate_as('au_manager');
select throws_ok($$ select public.list_admin_audit() $$, '42501', null, 'a manager cannot read it');

select tests.authenticate_as('au_admin');
select throws_ok($$ select app.record_admin_change('Person!', 'p-1', 'update', null, null) $$, '22023', null,
                 'an entity that is not a word is refused');
select is((select jsonb_agg(i -> 'action' order by ord) from jsonb_array_elements(public.list_admin_audit() -> 'items') with ordinality t(i, ord)),
          '["update", "create", "update"]'::jsonb, 'the admin sees all three, newest first');
select is((public.list_admin_audit() -> 'items' -> 0 -> 'actor' ->> 'id'), :'manager', 'the actor is the signed-in person');
select is((public.list_admin_audit() -> 'items' -> 2 -> 'before'), '{"role": "csm"}'::jsonb, 'before and after are kept');
select is(jsonb_array_length(public.list_admin_audit(entity => 'person') -> 'items'), 2, 'filtered by entity');
select is((select jsonb_array_length(public.list_admin_audit(1, public.list_admin_audit(1) ->> 'next_cursor') -> 'items')), 1,
          'the next page follows the cursor');
select throws_ok($$ select public.list_admin_audit(1, 'not a cursor') $$, '22023', null, 'a bad cursor is bad input');
select throws_ok($$ update app.admin_audit_log set action = 'forged' $$, '42501', null, 'nobody edits an entry');

select tests.authenticate_as('au_other_admin');
select is(public.list_admin_audit() -> 'items', '[]'::jsonb, 'an admin of another organisation sees nothing');

select * from finish();
rollback;
