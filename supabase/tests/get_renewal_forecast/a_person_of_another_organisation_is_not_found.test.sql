-- The forecast for a person who is not of the caller's organisation is "Person not found"
-- (PT404, migration 20261206248000), with the same words for another organisation's CSM and
-- an id that is nobody, as the other lists' person filters answer; a colleague's forecast
-- still reads.
begin;
select plan(3);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
select (date_trunc('month', :'today'::date))::date as p0 \gset
select (:'p0'::date + interval '3 months')::date as p1 \gset

select tests.authenticate_as('e_manager');
select throws_ok(format('select public.get_renewal_forecast(%L, %L, assignee_id => %L)', :'p0', :'p1', :'other_csm'),
  'PT404', 'Person not found', 'another organisation''s CSM is not found');
select throws_ok(format('select public.get_renewal_forecast(%L, %L, assignee_id => %L)', :'p0', :'p1', gen_random_uuid()),
  'PT404', 'Person not found', 'nor is an id that is nobody, in the same words');
select is(public.get_renewal_forecast(:'p0', :'p1', assignee_id => :'csm') ->> 'assignee_id', :'csm',
  'a colleague''s forecast reads');

select * from finish();
rollback;
