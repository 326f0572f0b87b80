-- A person's address holds no invisible character (migration 20261206247000): an
-- invitation, or a new organisation's first admin, with a zero-width space, a word joiner
-- or a no-break space in the address is refused before anything is written or mailed; a
-- plain address still passes.
begin;
select plan(7);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
select tests.authenticate_as_service_role();

select throws_ok(format($$ select public.check_invited_person(%L, %L, 'New', 'csm') $$, :'admin', E'dana\u200b@contoso.example'),
  '22023', 'email must be an email address', 'an invitation to an address with a zero-width space is refused');
select throws_ok(format($$ select public.check_invited_person(%L, %L, 'New', 'csm') $$, :'admin', E'dana@con\u2060toso.example'),
  '22023', 'email must be an email address', 'so is one with a word joiner');
select throws_ok(format($$ select public.check_invited_person(%L, %L, 'New', 'csm') $$, :'admin', E'\u00a0dana@contoso.example'),
  '22023', 'email must be an email address', 'and one with a no-break space in front');
select is(public.check_invited_person(:'admin', 'dana@contoso.example', 'Dana', 'csm'), '{"ok": true, "has_account": false}'::jsonb,
  'a plain address passes');

select tests.create_supabase_user('founder');
select throws_ok(format($$ select public.create_organisation('Fresh Team Ltd.', %L, 'Fran Founder', %L) $$,
                        tests.get_supabase_uid('founder'), E'fran\u200b@fresh.test'),
  '22023', 'admin_email must be an email address', 'a first admin''s address with a zero-width space is refused');
select is((select count(*)::int from app.organisations where name = 'Fresh Team Ltd.'), 0, 'and no organisation is made');
select is(public.create_organisation('Fresh Team Ltd.', tests.get_supabase_uid('founder'), 'Fran Founder', 'fran@fresh.test') ->> 'slug',
  'fresh-team-ltd', 'a plain address makes the organisation');

select * from finish();
rollback;
