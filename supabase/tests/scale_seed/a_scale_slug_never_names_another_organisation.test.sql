-- `renubu seed --scale N --org <slug>` names the scale organisation to build or replace. A
-- slug that belongs to an organisation the seed did not make (a team's own, or the demo's
-- acme-cloud) is refused in words, and that organisation is left as it was; before, the
-- insert failed on the slug's unique constraint ("duplicate key value violates …").
begin;
\set QUIET on
\ir ../../../local/scale-seed.sql
\set QUIET off
select plan(3);

insert into app.organisations (name, slug) values ('Taken Co', 'taken-co');
create temporary table taken_before on commit drop as select o.* from app.organisations o where o.slug = 'taken-co';

select throws_ok(
  $$ select app.seed_scale_organisation(3, 'taken-co') $$,
  'PT409',
  'The slug taken-co belongs to "Taken Co", which is not a scale organisation: choose a slug of its own, such as scale-co-50k',
  'a slug of an organisation the seed did not make is refused in words'
);
select set_eq(
  $$ select o.* from app.organisations o where o.slug = 'taken-co' $$,
  $$ select * from taken_before $$,
  'that organisation is left as it was'
);
select is(app.seed_scale_organisation(3, 'taken-co-scale') ->> 'org_slug', 'taken-co-scale', 'a slug of its own builds one');

select * from finish();
rollback;
