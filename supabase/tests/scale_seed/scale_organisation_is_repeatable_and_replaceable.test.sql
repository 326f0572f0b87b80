-- Calling the scale generator again with the same size changes nothing; another size
-- replaces the scale organisation; demo organisations are never touched.
begin;
-- The generator is local tooling, not a migration: install it inside this transaction.
\set QUIET on
\ir ../../../local/scale-seed.sql
\set QUIET off
select plan(7);

-- Every other organisation's customers, to compare after (the demo ones when seeded; on a
-- database with migrations only, a fixture organisation of its own).
select tests.create_organisation('Bystander Org');
insert into app.customers (org_id, name)
select o.id, 'Bystander ' || g from app.organisations o, generate_series(1, 3) g where o.name = 'Bystander Org';
create temporary table bystanders on commit drop as
  select c.id, c.updated_at from app.customers c join app.organisations o on o.id = c.org_id where o.slug <> 'scale-co';

select is((app.seed_scale_organisation(30) ->> 'customers')::int, 30, 'builds 30 customers');
create temporary table first_run on commit drop as
  select c.id from app.customers c join app.organisations o on o.id = c.org_id where o.slug = 'scale-co';

select is(
  (app.seed_scale_organisation(30) ->> 'already_present')::boolean, true,
  'the same size again reports the organisation already present'
);

select set_eq(
  $$ select c.id from app.customers c join app.organisations o on o.id = c.org_id where o.slug = 'scale-co' $$,
  $$ select id from first_run $$,
  'and leaves its customers as they were'
);

select is(
  (app.seed_scale_organisation(40) ->> 'replaced')::boolean, true,
  'another size replaces it'
);

select is(
  (select count(*)::int from app.customers c join app.organisations o on o.id = c.org_id where o.slug = 'scale-co'),
  40, 'with the new number of customers'
);

select is(
  (select count(*)::int from auth.users u where u.email like '%@scale.test'),
  (select count(*)::int from app.profiles p join app.organisations o on o.id = p.org_id where o.slug = 'scale-co'),
  'no user of the replaced organisation is left behind'
);

select set_eq(
  $$ select c.id, c.updated_at from app.customers c join app.organisations o on o.id = c.org_id where o.slug <> 'scale-co' $$,
  $$ select id, updated_at from bystanders $$,
  'every other organisation is untouched'
);

select * from finish();
rollback;
