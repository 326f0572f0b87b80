-- get_renewal_forecast's month is the first day of one of the period's months: a month
-- outside the period, or a day that is not a month's first, is 22023 naming month and the
-- months there are, never a page of no items (migration 20261208701000). A month of the
-- period narrows the items to it; a period from mid-month has its first, partly covered
-- month too, as by_month lists it.
begin;
select plan(6);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
select (date_trunc('month', :'today'::date) + interval '1 month')::date as p0 \gset
select (:'p0'::date + interval '3 months')::date as p1 \gset
select (:'p0'::date + interval '2 months')::date as last_month \gset
insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
values (:'org', 'Contoso', 1000, 55, (:'p0'::date + interval '1 month')::date + 9, :'csm') returning id as cust \gset
select app.run_orchestrator_for_org(:'org') is not null as ran \gset

select tests.authenticate_as('e_manager');
select throws_ok(format('select public.get_renewal_forecast(%L, %L, month => %L)', :'p0', :'p1', :'p1'),
  '22023', format('month must be the first day of a month of the period: %s through %s, not %s', :'p0', :'last_month', :'p1'),
  'the month after the period is refused, naming the months there are');
select throws_ok(format('select public.get_renewal_forecast(%L, %L, month => %L)', :'p0', :'p1', (:'p0'::date - interval '1 month')::date),
  '22023', null, 'so is the month before it');
select throws_ok(format('select public.get_renewal_forecast(%L, %L, month => %L)', :'p0', :'p1', :'p0'::date + 14),
  '22023', format('month must be the first day of a month of the period: %s through %s, not %s', :'p0', :'last_month', :'p0'::date + 14),
  'a day that is not a month''s first is refused');
select is(jsonb_array_length(public.get_renewal_forecast(:'p0', :'p1', month => (:'p0'::date + interval '1 month')::date::text) -> 'items'), 1,
  'a month of the period narrows the items to it');
select is(jsonb_array_length(public.get_renewal_forecast(:'p0', :'p1', month => :'p0') -> 'items'), 0,
  'and another month of the period has none of them');
select is(jsonb_array_length(public.get_renewal_forecast((:'p0'::date + 20)::text, :'p1', month => :'p0') -> 'items'), 0,
  'a period from mid-month takes its first month');

select * from finish();
rollback;
