-- Every function in public and app pins its search_path, so no caller can hijack a name.
begin;
select plan(1);

select is_empty(
  $$ select p.oid::regprocedure::text from pg_proc p
     where p.pronamespace in ('public'::regnamespace, 'app'::regnamespace)
       and not exists (select 1 from pg_depend d where d.objid = p.oid and d.deptype = 'e')
       and not exists (select 1 from unnest(coalesce(p.proconfig, '{}')) s where s like 'search_path=%') $$,
  'every function in public and app sets search_path'
);

select * from finish();
rollback;
