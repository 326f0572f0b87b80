-- The demo people of tests/support/demo-people.ts exist as confirmed GoTrue users with an
-- email identity, the demo password, and a profile of the right organisation and role.
begin;
select plan(8);

create temporary table expected (email text, org text, role text, title text, experience text, manager text);
insert into expected values
  ('ada.admin@acme.test',     'acme-cloud',       'admin',   'Head of Customer Success Operations', 'expert', null),
  ('maria.manager@acme.test', 'acme-cloud',       'manager', 'Customer Success Manager, Team Lead', 'expert', null),
  ('sam.csm@acme.test',       'acme-cloud',       'csm',     'Senior Customer Success Manager',     'senior', 'maria.manager@acme.test'),
  ('casey.csm@acme.test',     'acme-cloud',       'csm',     'Customer Success Manager',            'junior', 'maria.manager@acme.test'),
  ('victor.viewer@acme.test', 'acme-cloud',       'viewer',  'Revenue Operations Analyst',          'mid',    null),
  ('alex.ae@acme.test',       'acme-cloud',       'csm',     'Account Executive',                   'mid',    'maria.manager@acme.test'),
  ('sasha.support@acme.test', 'acme-cloud',       'csm',     'Support Engineer',                    'mid',    'maria.manager@acme.test'),
  ('gina.admin@globex.test',  'globex-analytics', 'admin',   'VP Customer Success',                 'expert', null),
  ('gus.csm@globex.test',     'globex-analytics', 'csm',     'Customer Success Manager',            'mid',    'gina.admin@globex.test');

select is(
  (select count(*)::int from auth.users u join expected e on e.email = u.email),
  9, 'all nine demo people are users'
);

select is_empty(
  $$ select e.email from expected e join auth.users u on u.email = e.email
      where u.encrypted_password <> extensions.crypt('renubu-demo-password', u.encrypted_password) $$,
  'each one''s password is the demo password'
);

select is_empty(
  $$ select e.email from expected e join auth.users u on u.email = e.email
      where u.email_confirmed_at is null or u.aud <> 'authenticated' or u.role <> 'authenticated'
         or u.raw_app_meta_data ->> 'provider' <> 'email' $$,
  'each one is confirmed, authenticated, with the email provider'
);

select is_empty(
  $$ select e.email from expected e join auth.users u on u.email = e.email
      where not exists (select 1 from auth.identities i
                         where i.user_id = u.id and i.provider = 'email' and i.email = e.email) $$,
  'each one has an email identity'
);

select set_eq(
  $$ select p.email, o.slug, p.role, p.title, p.experience_level, m.email as manager_email
       from app.profiles p join app.organisations o on o.id = p.org_id
       left join app.profiles m on m.id = p.manager_id
      where p.email in (select email from expected) $$,
  $$ select email, org, role, title, experience, manager from expected $$,
  'profiles have the expected organisation, role, title, experience and manager'
);

select set_eq(
  $$ select p.role from app.profiles p join app.organisations o on o.id = p.org_id where o.slug = 'acme-cloud' $$,
  array['admin', 'manager', 'csm', 'viewer'],
  'Acme has a person of every role'
);

select set_eq(
  $$ select p.experience_level from app.profiles p join app.organisations o on o.id = p.org_id where o.slug = 'acme-cloud' $$,
  array['junior', 'mid', 'senior', 'expert'],
  'Acme has every experience level'
);

select is(
  (select u.id from auth.users u where u.email = 'sam.csm@acme.test'),
  (select p.id from app.profiles p where p.email = 'sam.csm@acme.test'),
  'a profile shares its user''s id'
);

select * from finish();
rollback;
