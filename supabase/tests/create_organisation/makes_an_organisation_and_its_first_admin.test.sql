-- First run without the demo data: the service role makes an organisation with the default
-- settings and an existing Auth user as its admin; nobody else may, and a clash is refused.
begin;
select plan(9);

select tests.create_supabase_user('founder');
select tests.create_supabase_user('second-founder');

select tests.authenticate_as('founder');
select throws_ok(
  $$ select public.create_organisation('Sneaky Co', tests.get_supabase_uid('founder'), 'F', 'f@x.test') $$,
  '42501', null, 'a signed-in person may not create organisations'
);
select tests.clear_authentication();

select tests.authenticate_as_service_role();
select is(
  public.create_organisation('Fresh Team Ltd.', tests.get_supabase_uid('founder'), 'Fran Founder', 'Fran@Fresh.test', null, 'Europe/Berlin') ->> 'slug',
  'fresh-team-ltd', 'the slug is made from the name'
);
select is(
  (select p.role from app.profiles p where p.id = tests.get_supabase_uid('founder')), 'admin',
  'the person is its admin'
);
select is(
  (select s.time_zone from app.organisation_settings s join app.organisations o on o.id = s.org_id where o.slug = 'fresh-team-ltd'),
  'Europe/Berlin', 'with the settings row, in the time zone given'
);
select is(
  (select s.require_email_approval from app.organisation_settings s join app.organisations o on o.id = s.org_id where o.slug = 'fresh-team-ltd'),
  true, 'and the default rules'
);
select throws_ok(
  $$ select public.create_organisation('Fresh Team Ltd', tests.get_supabase_uid('second-founder'), 'S', 's@x.test') $$,
  'PT409', null, 'a taken slug is a conflict'
);
select throws_ok(
  $$ select public.create_organisation('Other Team', tests.get_supabase_uid('founder'), 'F', 'f@x.test') $$,
  'PT409', null, 'a person already in an organisation is a conflict'
);
select throws_ok(
  $$ select public.create_organisation('Ghost Team', '00000000-0000-4000-8000-00000000beef', 'G', 'g@x.test') $$,
  'PT404', null, 'a user Auth does not know is not found'
);
select throws_ok(
  $$ select public.create_organisation('  ', tests.get_supabase_uid('second-founder'), 'S', 's@x.test') $$,
  '22023', null, 'a blank name is refused'
);

select * from finish();
rollback;
