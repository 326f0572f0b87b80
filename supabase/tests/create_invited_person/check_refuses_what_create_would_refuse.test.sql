-- check_invited_person (invite-person's first step, before any user is created or mailed)
-- refuses exactly what create_invited_person refuses, writes nothing, and is for the
-- service role only (migration 20261205194500).
begin;
select plan(10);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
select ok(not has_function_privilege('authenticated', 'public.check_invited_person(uuid, text, text, text, uuid, text, text, text)', 'execute'),
          'signed-in people cannot call it');
select tests.authenticate_as_service_role();
select throws_ok(format($$ select public.check_invited_person(%L, 'new@test.renubu.dev', 'New', 'csm') $$, :'manager'),
  '42501', 'Only active admins can invite people', 'a manager cannot invite');
select throws_ok(format($$ select public.check_invited_person(%L, 'new@test.renubu.dev', 'New', 'csm', %L) $$, :'admin', :'other_manager'),
  '22023', 'manager_id must be an active manager or admin of your organisation', 'a manager of another organisation is refused');
select throws_ok(format($$ select public.check_invited_person(%L, 'new@test.renubu.dev', 'New', 'csm', %L) $$, :'admin', :'csm'),
  '22023', 'manager_id must be an active manager or admin of your organisation', 'so is a CSM as manager');
select throws_ok(format($$ select public.check_invited_person(%L, 'not an email', 'New', 'csm') $$, :'admin'),
  '22023', 'email must be an email address', 'a bad email is refused');
select throws_ok(format($$ select public.check_invited_person(%L, 'new@test.renubu.dev', 'New', 'owner') $$, :'admin'),
  '22023', 'role must be one of admin, manager, csm, viewer', 'an unknown role is refused');
select throws_ok(format($$ select public.check_invited_person(%L, 'new@test.renubu.dev', 'New', 'csm', title => %L) $$, :'admin', repeat('t', 121)),
  '22023', 'title must be text of at most 120 characters', 'a title longer than update_person allows is refused');
-- (someone of another organisation is answered as invited, not refused: an_address_elsewhere_is_answered_as_invited)
select throws_ok(format($$ select public.check_invited_person(%L, upper(p.email), 'Again', 'csm') from app.profiles p where p.id = %L $$, :'admin', :'csm'),
  'PT409', 'That person already belongs to an organisation', 'an address that belongs to someone of the organisation is refused before any mail');
select is(public.check_invited_person(:'admin', 'new@test.renubu.dev', 'New Csm', 'csm', :'manager'), '{"ok": true, "has_account": false}'::jsonb,
  'a sound invitation passes');
select tests.clear_authentication();
select is((select count(*)::int from app.profiles where email = 'new@test.renubu.dev'), 0, 'checking wrote nothing');

select * from finish();
rollback;
