-- A forecast row checked once for the customer it counts
-- (issue 18, the 300k full rebuild; docs/performance.md).
--
-- What and why: Postgres 15 runs a foreign-key check per key per written row (an executor
-- start, an index probe and a row lock each), and a full rebuild at 300k writes 283 000
-- forecast rows. Their `org_id → organisations` key proved nothing: a row's
-- (customer_id, org_id) must be a row of customers
-- (forecast_open_renewals_customer_is_in_organisation), and a customer's org_id must be an
-- organisation, so the organisation is already proved. Deleting an organisation still
-- removes the rows, through its customers (both cascade).
--
-- The same key on executions stays, although it is as redundant: deleting an organisation
-- relies on it to remove the executions before the rows that point at them (escalations)
-- are updated by the cascade from its people. Merging an execution's workflow and version
-- keys into one does not hold either: an execution of an organisation's override keeps
-- the core workflow's id and runs the override's version.
--
-- Measured inside a rolled-back 300k rebuild: see docs/performance.md.

alter table app.forecast_open_renewals drop constraint forecast_open_renewals_org_id_fkey;
