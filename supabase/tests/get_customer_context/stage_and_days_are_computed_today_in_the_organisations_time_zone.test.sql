-- Days until renewal and the stage are computed as of today in the organisation's time
-- zone, never read from a stored stage that may be stale.
begin;
select plan(4);
select tests.create_rls_world();

-- Far east of UTC: "today" there may already be tomorrow in UTC.
update app.organisation_settings set time_zone = 'Pacific/Kiritimati' where org_id = tests.org_id('Org A');
update app.customers
   set renewal_date = (now() at time zone 'Pacific/Kiritimati')::date + 14
 where id = tests.row_id('customers', 'a');
-- A stale stored stage (as if the daily re-stamp had not run).
update app.customers set renewal_stage = 'Monitor' where id = tests.row_id('customers', 'a');

select tests.authenticate_as('csm_a');
select is((public.get_customer_context(customer_id => tests.row_id('customers', 'a')) #>> '{customer,days_until_renewal}')::int, 14,
  '14 days in the organisation''s own calendar');
select is(public.get_customer_context(customer_id => tests.row_id('customers', 'a')) #>> '{customer,renewal_stage}', 'Signature',
  'the stage computed today, not the stale stored one');
select is(public.get_customer_context(customer_id => tests.row_id('customers', 'a')) #>> '{workflow,renewal_stage}', 'Signature',
  'the workflow view agrees');
select is((public.get_customer_context(customer_id => tests.row_id('customers', 'a')) #>> '{freshness,today}')::date,
  (now() at time zone 'Pacific/Kiritimati')::date, 'today is the organisation''s date');

select * from finish();
rollback;
