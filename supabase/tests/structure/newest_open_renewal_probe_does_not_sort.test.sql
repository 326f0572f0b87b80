-- A customer's newest open renewal (app.newest_open_renewals: created_at desc, id desc) is
-- the first entry of an index in that order, not a sort of the customer's entries per
-- probe (migration 20261210100000, docs/performance.md 7 Dec 2026): the forecast refresh
-- probes once per customer it follows, 94 000 times in a 100k rebuild.
begin;
select plan(3);

-- The function's own statement, planned with a list of customers in place of its argument.
-- Sequential and bitmap scans and sorts off: on the tests' small tables (with whatever
-- statistics the last analyze left) a scan and a sort may cost less, on an organisation's a
-- probe per customer is the plan. A sort is only made dear, not forbidden: a plan that needs
-- one (an index without the order) still shows it, and fails below.
create function pg_temp.newest_open_renewals_plan() returns text
language plpgsql as $$
declare
  v_plan text;
begin
  set local enable_seqscan = off;
  set local enable_bitmapscan = off;
  set local enable_sort = off;
  set local enable_incremental_sort = off;
  execute 'explain (format json) ' || replace(
    (select p.prosrc from pg_proc p where p.oid = 'app.newest_open_renewals(uuid[])'::regprocedure),
    'newest_open_renewals.customer_ids', quote_literal(array[gen_random_uuid(), gen_random_uuid()]::text) || '::uuid[]')
    into v_plan;
  return v_plan;
end;
$$;

select ok((select prosrc from pg_proc where oid = 'app.newest_open_renewals(uuid[])'::regprocedure)
            ~ 'newest_open_renewals\.customer_ids',
          'the check plans the function''s statement with the list in place of its argument');
select ok(pg_temp.newest_open_renewals_plan() ~ '"Index Name": "workflow_executions_open_renewal_idx"',
          'each customer is probed on the open-renewal index');
-- (the list's distinct may sort the list; no sort may order a customer's renewals)
select ok(pg_temp.newest_open_renewals_plan() !~ '"Sort Key": \[[^]]*created_at',
          'the probe takes the index''s first entry, with no sort per customer');

select * from finish();
rollback;
