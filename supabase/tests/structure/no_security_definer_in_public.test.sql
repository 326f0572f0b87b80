-- API functions run as the caller so row-level security applies; definer rights live only in app.
begin;
select plan(1);

select is_empty(
  $$ select p.oid::regprocedure::text from pg_proc p
     where p.pronamespace = 'public'::regnamespace and p.prosecdef
       and not exists (select 1 from pg_depend d where d.objid = p.oid and d.deptype = 'e') $$,
  'no function in public is security definer'
);

select * from finish();
rollback;
