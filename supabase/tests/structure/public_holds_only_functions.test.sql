-- The exposed schema holds API functions and nothing else (no tables, views, sequences).
begin;
select plan(1);

select is_empty(
  $$ select c.relname from pg_class c
     where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p', 'v', 'm', 'S', 'f') $$,
  'public has no tables, views, materialized views, sequences or foreign tables'
);

select * from finish();
rollback;
