-- The team page counts this quarter's overdue renewals as its list shows them (days until
-- decision below zero), and how many of those nobody has an open workflow for: a renewal
-- 30 days past its decision leaves the queues, so only this figure keeps it in sight
-- (migration 20261205203000). The quarter and "today" are given, so the test holds on any day.
begin;
select plan(5);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, renewal_date, assigned_to) values
  (:'org', 'Long Overdue', 10000, '2026-10-05', :'csm'),
  (:'org', 'Overdue Worked', 20000, '2026-10-10', :'csm'),
  (:'org', 'Coming Up', 30000, '2026-12-28', :'csm'),
  (:'org', 'Next Quarter', 40000, '2027-01-05', :'csm');
-- Someone works the second one: an open renewal workflow.
insert into app.workflow_executions (org_id, customer_id, workflow_id, workflow_version_id, assigned_to, status, renewal_stage)
select :'org', c.id, w.id, v.id, :'csm', 'queued', 'Overdue'
  from app.customers c, app.workflows w
  join lateral (select v.id from app.workflow_versions v where v.workflow_id = w.id order by v.version desc limit 1) v on true
 where c.org_id = :'org' and c.name = 'Overdue Worked' and w.key = 'overdue';

select app.team_renewals_of_quarter(:'org', '2026-12-01', '2026-10-01', '2026-12-31') as r \gset
select is((:'r'::jsonb ->> 'count')::int, 3, 'three renewals this quarter');
select is((:'r'::jsonb ->> 'overdue')::int, 2, 'two of them overdue');
select is((:'r'::jsonb ->> 'overdue_without_work')::int, 1, 'one overdue with no open workflow');
select is((select count(*)::int from jsonb_array_elements(:'r'::jsonb -> 'items') i where (i ->> 'days_until_decision')::int < 0),
          (:'r'::jsonb ->> 'overdue')::int, 'the figure is what the list marks overdue');
select is((select i ->> 'name' from jsonb_array_elements(:'r'::jsonb -> 'items') i where i ->> 'execution_id' is null
            and (i ->> 'days_until_decision')::int < 0), 'Long Overdue', 'the one nobody works is listed without a workflow');

select * from finish();
rollback;
