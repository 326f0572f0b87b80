-- Every table in the private schema has row-level security switched on.
begin;
select plan(2);

select is_empty(
  $$ select c.relname from pg_class c
     where c.relnamespace = 'app'::regnamespace and c.relkind in ('r', 'p') and not c.relrowsecurity $$,
  'every table in app has row-level security enabled'
);
select cmp_ok(
  (select count(*)::int from pg_class c where c.relnamespace = 'app'::regnamespace and c.relkind = 'r'),
  '>=', 29, 'all the data model''s tables exist'
);

select * from finish();
rollback;
