-- anon (and PUBLIC) can execute no API function; authenticated is granted each one.
begin;
select plan(3);

select is_empty(
  $$ select p.oid::regprocedure::text from pg_proc p
     where p.pronamespace = 'public'::regnamespace
       and not exists (select 1 from pg_depend d where d.objid = p.oid and d.deptype = 'e')
       and has_function_privilege('anon', p.oid, 'execute') $$,
  'anon can execute no function in public'
);
select is_empty(
  $$ select p.oid::regprocedure::text from pg_proc p, aclexplode(coalesce(p.proacl, acldefault('f', p.proowner))) a
     where p.pronamespace in ('public'::regnamespace, 'app'::regnamespace)
       and a.grantee = 0 and a.privilege_type = 'EXECUTE'
       and not exists (select 1 from pg_depend d where d.objid = p.oid and d.deptype = 'e') $$,
  'PUBLIC can execute no function in public or app'
);
select ok(has_function_privilege('authenticated', 'public.get_my_profile()', 'execute'),
          'authenticated can execute get_my_profile');

select * from finish();
rollback;
