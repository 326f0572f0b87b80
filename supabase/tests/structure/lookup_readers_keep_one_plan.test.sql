-- A function that reads the app.lookups view keeps the plan it made once per connection
-- (migration 20261209200000, docs/performance.md 7 Dec 2026): the view is a UNION ALL of
-- four tables, and for one lookup the custom plan (one branch) always looks cheaper than the
-- generic one (four behind one-time filters), so without force_generic_plan every call
-- planned the view again (167 µs a call against 45 µs).
begin;
select plan(2);

select is_empty(
  $$ select p.oid::regprocedure::text from pg_proc p join pg_namespace n on n.oid = p.pronamespace
      where n.nspname in ('app', 'public') and p.prosrc ~ 'app\.lookups\M'
        and not coalesce('plan_cache_mode=force_generic_plan' = any(p.proconfig), false) $$,
  'every function reading app.lookups keeps one plan'
);
select ok((select count(*) from pg_proc p join pg_namespace n on n.oid = p.pronamespace
            where n.nspname in ('app', 'public') and p.prosrc ~ 'app\.lookups\M') >= 2,
  'the lookup lists are among them (the rule is not checked on nothing)');

select * from finish();
rollback;
