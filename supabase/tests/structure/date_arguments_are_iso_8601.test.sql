-- A date a person sends is ISO 8601, never a text PostgreSQL reads its own way: no RPC a
-- signed-in person may call takes a date or time parameter (the Data API would convert
-- 'tomorrow', '12/01/2026' month first or '2026-12-01 10:00 UTC+5' before the function
-- ran), and each date argument is read by app.date_param (or a time by app.timestamp_param),
-- refusing anything else with 22023 naming it. The calls below go through json_to_record,
-- as PostgREST's (and the local gateway's) /rest/v1/rpc does. (Migration 20261207100000.)
begin;
select plan(21);
set client_min_messages = warning;

select is_empty(
  $$ select p.oid::regprocedure::text
       from pg_proc p cross join unnest(p.proargtypes::oid[]) t(oid)
      where p.pronamespace = 'public'::regnamespace
        and has_function_privilege('authenticated', p.oid, 'execute')
        and exists (select 1 from pg_type ty where ty.oid = t.oid and ty.typcategory = 'D') $$,
  'no RPC a signed-in person may call takes a date or time parameter');

select * from tests.create_engine_world() \gset
select tests.authenticate_as('e_manager');

-- What PostgreSQL's date input took and ISO 8601 does not write so: refused, naming it.
select throws_ok(format($$ select public.get_daily_brief(a.brief_date) from json_to_record(%L) as a(brief_date text) $$,
                        json_build_object('brief_date', sent)),
                 '22023', 'brief_date must be a date (ISO 8601)', format('get_daily_brief refuses brief_date %s', sent))
  from unnest(array['tomorrow', '12/01/2026', '2026-12-01 10:00 UTC+5', 'J2461376', '20261201']) sent;
select is(public.get_daily_brief('2026-12-01'), null, '... and reads one that is (no brief that day)');

select throws_ok($$ select public.get_renewal_forecast('tomorrow', '2027-01-01') $$,
  '22023', 'period_start must be a date (ISO 8601)', 'get_renewal_forecast: period_start tomorrow is refused');
select throws_ok($$ select public.get_renewal_forecast('2026-10-01', '01/01/2027') $$,
  '22023', 'period_end must be a date (ISO 8601)', '... period_end month first');
select throws_ok($$ select public.get_renewal_forecast('2026-10-01', '2027-01-01', month => '2026-11-01 00:00 UTC+5') $$,
  '22023', 'month must be a date (ISO 8601)', '... month with a POSIX zone');
select throws_ok($$ select public.get_renewal_forecast('2026-10-01', '2027-01-01', after => '{"renewal_date": "tomorrow", "name": "A", "customer_id": "00000000-0000-4000-8000-000000000000"}') $$,
  '22023', 'after must be the next_after of a previous answer', '... and a cursor whose renewal_date is tomorrow');
select is(public.get_renewal_forecast('2026-10-01', '2027-01-01') ->> 'period_end', '2027-01-01', '... and ISO dates are read');

select throws_ok($$ select public.get_retention_metrics('2026-01-01', 'today') $$,
  '22023', 'period_end must be a date (ISO 8601)', 'get_retention_metrics: period_end today is refused');
select throws_ok($$ select public.get_retention_metrics('01/01/2026', '2027-01-01') $$,
  '22023', 'period_start must be a date (ISO 8601)', '... period_start month first');
select throws_ok($$ select public.get_retention_metrics('2026-02-30', '2027-01-01') $$,
  '22023', 'period_start must be a date (ISO 8601)', '... a day that does not exist');
select is(public.get_retention_metrics('2026-01-01', '2027-01-01') ->> 'period_end', '2027-01-01', '... and ISO dates are read');

select throws_ok($$ select public.run_orchestrator('tomorrow') $$,
  '22023', 'as_of must be a date (ISO 8601)', 'run_orchestrator: as_of tomorrow is refused');
select is((select count(*)::int from app.orchestrator_runs where org_id = :'org'), 0, '... and nothing ran');
select is(public.run_orchestrator((:'today'::date + 1)::text) ->> 'as_of', (:'today'::date + 1)::text, '... and an ISO date within a day of today runs');

select is(app.date_param('{"d": " 2026-12-01 "}', 'd'), date '2026-12-01', 'app.date_param: spaces around an ISO date are read as around a time');
select is(app.date_param('{"d": "\u00a0"}', 'd'), null, '... and a blank date is no date, as a blank time');

select * from finish();
rollback;
