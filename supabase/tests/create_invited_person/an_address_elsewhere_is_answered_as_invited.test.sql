-- An invitation does not say whether an address has an account in another organisation
-- (migration 20261211300000, docs/admin.md "Inviting someone"): check_invited_person answers an
-- address of another organisation's person, or of a confirmed account that is nobody's person,
-- with `as_invited` — the person as an invitation sent would answer them, nothing written — and
-- create_invited_person never makes a person of them either (one rule, app.address_taken_elsewhere). A person of the admin's own
-- organisation is refused as before.
begin;
select plan(10);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
select tests.create_supabase_user('loner', 'loner@elsewhere.example') as loner \gset
update auth.users set email_confirmed_at = now() where id = :'loner';
select tests.authenticate_as_service_role();

select public.check_invited_person(:'admin', upper(p.email), 'Someone Else', 'viewer', :'manager', 'Analyst', 'mid') as elsewhere
  from app.profiles p where p.id = :'other_csm' \gset
select is(:'elsewhere'::jsonb - 'as_invited', '{"ok": true}'::jsonb, 'another organisation''s person: answered as invited, nothing else said');
select is((:'elsewhere'::jsonb -> 'as_invited') - 'id' - 'created_at',
          jsonb_build_object('full_name', 'Someone Else', 'email', (select lower(email) from app.profiles where id = :'other_csm'),
                             'role', 'viewer', 'title', 'Analyst', 'experience_level', 'mid', 'manager_id', :'manager',
                             'manager_name', (select full_name from app.profiles where id = :'manager'), 'active', true,
                             'deactivated_at', null, 'open_workflows', 0, 'open_tasks', 0, 'customers', 0, 'status', 'invited'),
          'the person as create_invited_person answers one, from the invitation');
select isnt((:'elsewhere'::jsonb -> 'as_invited' ->> 'id')::uuid, :'other_csm'::uuid, 'under an id that is not theirs');
select is(public.check_invited_person(:'admin', 'loner@elsewhere.example', 'Lone', 'csm') - 'as_invited', '{"ok": true}'::jsonb,
          'a confirmed account of nobody''s (Auth will not invite it again): the same');
select is(public.check_invited_person(:'admin', 'new@elsewhere.example', 'New', 'csm'), '{"ok": true, "has_account": false}'::jsonb,
          'a new address: sent as before');
select throws_ok(format($$ select public.check_invited_person(%L, upper(p.email), 'Again', 'csm') from app.profiles p where p.id = %L $$, :'admin', :'csm'),
  'PT409', 'That person already belongs to an organisation', 'a person of the admin''s own organisation is still refused');
select throws_ok(format($$ select public.create_invited_person(%L, %L, p.email, 'Moved', 'csm') from app.profiles p where p.id = %L $$,
                        :'admin', :'loner', :'other_csm'),
  'PT409', 'This person already belongs to an organisation', 'create never makes a second person of another organisation''s');
select throws_ok(format($$ select public.create_invited_person(%L, %L, 'loner@elsewhere.example', 'Lone', 'csm') $$, :'admin', :'loner'),
  'PT409', 'This person already belongs to an organisation', 'nor a person of a confirmed account the check answered as invited');
select tests.clear_authentication();
select is((select org_id from app.profiles where id = :'other_csm'), :'other_org'::uuid, 'they stay where they were');
select is((select count(*)::int from app.profiles where id = :'loner' or email in ('new@elsewhere.example')), 0, 'and nobody was made');

select * from finish();
rollback;
