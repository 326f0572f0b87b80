-- anon cannot reach the private schema at all: no usage, no table privileges.
begin;
select plan(2);

select ok(not has_schema_privilege('anon', 'app', 'usage'), 'anon has no usage on app');
select is_empty(
  $$ select c.relname from pg_class c
     where c.relnamespace = 'app'::regnamespace and c.relkind = 'r'
       and (has_table_privilege('anon', c.oid, 'select') or has_table_privilege('anon', c.oid, 'insert')
            or has_table_privilege('anon', c.oid, 'update') or has_table_privilege('anon', c.oid, 'delete')) $$,
  'anon has no privilege on any app table'
);

select * from finish();
rollback;
