-- Policies are one per command and table, for authenticated only, never FOR ALL.
begin;
select plan(3);

select is_empty(
  $$ select tablename || ': ' || policyname from pg_policies
     where schemaname = 'app' and roles <> '{authenticated}' $$,
  'every policy is to authenticated'
);
select is_empty(
  $$ select tablename || ': ' || policyname from pg_policies where schemaname = 'app' and cmd = 'ALL' $$,
  'no policy is FOR ALL'
);
select is_empty(
  $$ select tablename || ' ' || cmd from pg_policies where schemaname = 'app'
     group by tablename, cmd having count(*) > 1 $$,
  'at most one policy per table and command'
);

select * from finish();
rollback;
