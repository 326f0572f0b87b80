-- CSM books in the scale organisation hold 25 to 500 accounts, and one CSM (csm-0001)
-- holds exactly 500 (min(500, n) for a small n).
begin;
-- The generator is local tooling, not a migration: install it inside this transaction.
\set QUIET on
\ir ../../../local/scale-seed.sql
\set QUIET off
select plan(5);

select lives_ok($$ select app.seed_scale_organisation(700) $$, 'builds a scale organisation of 700 customers');

select is(
  (select count(*)::int from app.customers c join app.profiles p on p.id = c.assigned_to
    where p.email = 'csm-0001@scale.test'),
  500, 'csm-0001 has exactly 500 accounts'
);

select is_empty(
  $$ select p.email, count(c.id) from app.profiles p
       join app.organisations o on o.id = p.org_id and o.slug = 'scale-co'
       left join app.customers c on c.assigned_to = p.id
      where p.email like 'csm-%'
      group by p.email having count(c.id) not between 25 and 500 $$,
  'every CSM book holds 25 to 500 accounts'
);

select is(
  (select count(*)::int from app.customers c join app.organisations o on o.id = c.org_id
    where o.slug = 'scale-co' and c.assigned_to is null),
  0, 'no account is left unassigned when the remainder fills a book'
);

select results_eq(
  $$ select p.role, count(*)::int from app.profiles p join app.organisations o on o.id = p.org_id
      where o.slug = 'scale-co' group by p.role order by p.role $$,
  $$ values ('admin'::text, 1), ('csm', 6), ('manager', 1) $$,
  'an admin, a manager, the account executive, the support engineer and four CSM books (500, 25, 60, 115)'
);

select * from finish();
rollback;
