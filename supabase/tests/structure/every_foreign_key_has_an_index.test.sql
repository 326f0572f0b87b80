-- Every foreign key in app is served by an index whose leading columns are the key's
-- columns in the key's order (the rule of the advisors' unindexed_foreign_keys lint).
begin;
select plan(1);

select is_empty(
  $$ select c.conrelid::regclass::text || '.' || c.conname
     from pg_constraint c
     where c.contype = 'f' and c.connamespace = 'app'::regnamespace
       and not exists (
         select 1 from pg_index i
         where i.indrelid = c.conrelid
           and (string_to_array(i.indkey::text, ' ')::int2[])[1:cardinality(c.conkey)] = c.conkey
       ) $$,
  'every foreign key has an index'
);

select * from finish();
rollback;
