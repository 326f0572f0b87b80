-- The scale generator reads as a dispatcher over short steps (one per table written): no
-- function of it has a body over 80 lines; anon and authenticated may execute none of them
-- and service_role only the entry points and the sizing helpers (the steps run under the
-- dispatcher, as its owner); each pins its search_path except the SQL helpers the planner
-- inlines into the inserts, and those are indeed inlined (never called row by row).
begin;
\set QUIET on
\ir ../../../local/scale-seed.sql
\set QUIET off
select plan(5);

create temporary table seed_functions on commit drop as
  select p.oid, p.proname, p.oid::regprocedure::text as signature, p.prosrc, p.proconfig
    from pg_proc p
   where p.pronamespace = 'app'::regnamespace
     and (p.proname like 'scale\_%' or p.proname = 'seed_scale_organisation');

select is_empty(
  $$ select signature || ': ' || array_length(string_to_array(prosrc, E'\n'), 1) || ' lines'
       from seed_functions where array_length(string_to_array(prosrc, E'\n'), 1) > 80 $$,
  'no function of the generator has a body over 80 lines');

select is_empty(
  $$ select signature || ' by ' || r.role
       from seed_functions cross join (values ('anon'), ('authenticated')) r(role)
      where has_function_privilege(r.role, oid, 'execute') $$,
  'anon and authenticated may execute none of them');

select set_eq(
  $$ select signature from seed_functions where has_function_privilege('service_role', oid, 'execute') $$,
  $$ values ('app.scale_csm_books(integer)'), ('app.scale_default_slug(integer)'),
            ('app.seed_scale_organisation(integer)'), ('app.seed_scale_organisation(integer,text)') $$,
  'service_role may run the entry points and the sizing helpers, not the steps');

select set_eq(
  $$ select proname from seed_functions
      where not exists (select 1 from unnest(coalesce(proconfig, '{}')) s where s like 'search_path=%') $$,
  $$ values ('scale_seed_id'), ('scale_seed_person_id'), ('scale_seed_execution_slots'), ('scale_seed_open_priority') $$,
  'every function pins its search_path but the SQL helpers inlined into the inserts');

-- Inlined, a helper leaves no call in the plan (its body is planned in its place); called,
-- it would run once per row of the inserts. Arguments from a column, not constants, so that
-- an immutable call is not simply folded away at plan time.
create function pg_temp.plan_of(query text) returns text language plpgsql as $fn$
declare
  r record;
  v_plan text := '';
begin
  for r in execute 'explain (verbose, costs off) ' || query loop
    v_plan := v_plan || r."QUERY PLAN" || E'\n';
  end loop;
  return v_plan;
end;
$fn$;
select is_empty(
  $$ select h.helper from (values
       ('scale_seed_id', $q$select app.scale_seed_id('ns', 'customer', g) from generate_series(1, 3) g$q$),
       ('scale_seed_person_id', $q$select app.scale_seed_person_id('ns', 'csm-' || g) from generate_series(1, 3) g$q$),
       ('scale_seed_execution_slots',
        $q$select s.* from generate_series(1, 3) g cross join lateral app.scale_seed_execution_slots(
             g, 'Engage', current_date + g, current_date + g, 'invest', g, g, current_date - g, current_date) s$q$),
       ('scale_seed_open_priority',
        $q$select f.* from generate_series(1, 3) g cross join lateral app.scale_seed_open_priority(
             'queued', 'renewal', 'engage', 'Engage', null, g, 50, 1000 * g, 'invest', g, 'mid') f$q$)
     ) h(helper, query)
     where pg_temp.plan_of(h.query) like '%' || h.helper || '%' $$,
  'the SQL helpers are inlined into the queries that use them, not called per row');

select * from finish();
rollback;
