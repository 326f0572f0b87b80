-- A second scale point is an organisation of its own beside Scale Co (one cluster holds
-- the 100k and the 300k organisations for the flat-cost bench): building it leaves Scale
-- Co as it was, its people have their own e-mail domain, and sizes above 100 000 get
-- their own slug by default.
begin;
\set QUIET on
\ir ../../../local/scale-seed.sql
\set QUIET off
select plan(6);

select is(app.seed_scale_organisation(30) ->> 'org_slug', 'scale-co', 'up to 100 000 customers: scale-co');
create temporary table scale_co on commit drop as
  select c.id, c.updated_at from app.customers c join app.organisations o on o.id = c.org_id where o.slug = 'scale-co';

select is(app.seed_scale_organisation(40, 'scale-co-bench') ->> 'replaced', 'false', 'another slug builds a second organisation');
select set_eq(
  $$ select c.id, c.updated_at from app.customers c join app.organisations o on o.id = c.org_id where o.slug = 'scale-co' $$,
  $$ select id, updated_at from scale_co $$,
  'Scale Co is left as it was');
select is((select count(*)::int from app.customers c join app.organisations o on o.id = c.org_id where o.slug = 'scale-co-bench'),
          40, 'the second one has its own 40 customers');
select is((select count(*)::int from app.profiles p join app.organisations o on o.id = p.org_id
            where o.slug = 'scale-co-bench' and p.email not like '%@scale-co-bench.test'), 0,
          'its people are @scale-co-bench.test');
select is(app.scale_default_slug(300000), 'scale-co-300k', 'sizes above 100 000 get their own slug');

select * from finish();
rollback;
