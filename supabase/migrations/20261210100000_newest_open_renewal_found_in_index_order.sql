-- A customer's newest open renewal is read from an index in the rule's own order (issue 18
-- point 3; docs/performance.md "The rebuild's forecast probe in index order, 7 Dec 2026").
--
-- app.newest_open_renewals orders a customer's open renewals by created_at desc, id desc
-- (the id breaks a tie between two created in the same transaction). Its index kept the id
-- as an included column, so every probe sorted the customer's entries before taking the
-- first, and fetched the heap for each of them (a rebuild's superseded renewal and its
-- successor are both in the index within the transaction): 94 463 probes with a sort each,
-- 1.5-2 s of a 100k rebuild's forecast refresh. With the id in the key, the probe is the
-- index's first visible entry: no sort, and the newest renewal is met first.
-- structure/newest_open_renewal_probe_does_not_sort pins it.

drop index app.workflow_executions_open_renewal_idx;
create index workflow_executions_open_renewal_idx
  on app.workflow_executions (org_id, customer_id, created_at desc, id desc)
  include (assigned_to)
  where status in ('queued', 'in_progress', 'snoozed', 'escalated') and renewal_stage is not null;
