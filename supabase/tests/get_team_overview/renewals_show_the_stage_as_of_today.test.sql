-- The team page's renewals this quarter show each renewal's stage as of the organisation's
-- today, from its decision date, beside the days until that decision (docs/business-rules.md
-- "Renewal stage": every read that shows a stage computes it as of today). Before, the list
-- showed the stored stage, stale from the organisation's midnight until the hourly re-stamp:
-- "Critical" beside a decision in 6 days, "Emergency" beside one a day overdue.
begin;
select plan(3);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, arr, renewal_date, assigned_to) values
  (:'org', 'Turned Emergency', 10000, :'today'::date + 6, :'csm'),
  (:'org', 'Turned Overdue', 20000, :'today'::date - 1, :'csm'),
  (:'org', 'Steady', 30000, :'today'::date + 20, :'csm');
-- Stored as yesterday's re-stamp left them (stale on purpose; Steady is not).
alter table app.customers disable trigger customers_keep_priorities_current;
update app.customers set renewal_stage = 'Critical' where org_id = :'org' and name = 'Turned Emergency';
update app.customers set renewal_stage = 'Emergency' where org_id = :'org' and name = 'Turned Overdue';
alter table app.customers enable trigger customers_keep_priorities_current;

select app.team_renewals_of_quarter(:'org', :'today', :'today'::date - 10, :'today'::date + 30) as r \gset
create temp table listed as select i from jsonb_array_elements(:'r'::jsonb -> 'items') i;
select is((select i ->> 'renewal_stage' from listed where i ->> 'name' = 'Turned Emergency'), 'Emergency',
          'a decision in 6 days is in Emergency');
select is((select i ->> 'renewal_stage' from listed where i ->> 'name' = 'Turned Overdue'), 'Overdue',
          'a decision a day ago is Overdue');
select is((select i ->> 'renewal_stage' from listed where i ->> 'name' = 'Steady'), 'Signature',
          'a decision in 20 days is in Signature');

select * from finish();
rollback;
