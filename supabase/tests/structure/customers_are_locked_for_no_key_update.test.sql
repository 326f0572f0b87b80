-- Whoever locks a customer to change it locks it `for no key update` (docs/workflow-engine.md,
-- "Customer before its renewals"): that is what an UPDATE of the row takes anyway, and it does
-- not refuse the key share that every row pointing at the customer takes through its foreign
-- key (a task, a log entry, a meeting). `for update` refuses it: a writer holding one of the
-- customer's workflows that then writes such a row waits for the customer, while the one
-- holding the customer waits for that workflow, and one of the two fails 40P01 (ingest until
-- migration 20261207303000; the hand-overs, reassign_customer and hand_over_work, until
-- migration 20261211100400, tests/integration/hand-overs-never-deadlock.test.ts).
begin;
select plan(1);

select is(
  (select coalesce(string_agg(n.nspname || '.' || p.proname, ', ' order by n.nspname, p.proname), '')
     from pg_proc p join pg_namespace n on n.oid = p.pronamespace
    where n.nspname in ('app', 'public')
      and regexp_replace(p.prosrc, '--[^\n]*', '', 'g') ~* 'app\.customers\M[^;]*\mfor\s+update\M'),
  '', 'no function locks a customer for update');

select * from finish();
rollback;
