-- The scheduler stores the due briefs max_briefs at a time: each call stores at most that
-- many and returns those still to be written, the ones it just stored first; calls go on
-- until everyone due has one, with nobody twice. max_briefs outside 1..1000 is refused.
begin;
select plan(7);
select * from tests.create_engine_world() \gset
-- Only this test's people are due at this hour: every other organisation's brief time is
-- made later than the test's moment (the demo seed's CSMs would be due too).
update app.organisation_settings set time_zone = 'UTC', settings = settings || '{"brief_time": "23:59"}'
 where org_id not in (:'org', :'other_org');
update app.organisation_settings set time_zone = 'UTC', settings = settings || '{"brief_time": "07:00"}'
 where org_id in (:'org', :'other_org');
select tests.create_member('third_csm', :'org', 'csm') as third \gset
select tests.authenticate_as_service_role();

select throws_ok($$select public.store_daily_briefs('2026-06-01 08:00+00', max_briefs => 0)$$,
  '22023', 'max_briefs must be between 1 and 1000', 'a batch of none is refused');
select public.store_daily_briefs('2026-06-01 08:00+00', max_briefs => 2) as first \gset
select is(jsonb_array_length(:'first'::jsonb), 2, 'the first call stores and returns two');
select public.store_daily_briefs('2026-06-01 08:01+00', max_briefs => 2) as second \gset
select is((select array_agg(x ->> 'brief_id' order by x ->> 'brief_id') from jsonb_array_elements(:'second'::jsonb) x),
          (select array_agg(b.id::text order by b.id::text) from app.daily_briefs b where b.generated_at = '2026-06-01 08:01+00'),
          'the second returns the two it just stored, not the first call''s');
select public.store_daily_briefs('2026-06-01 08:02+00', max_briefs => 2) is not null as third_call \gset
select is((select count(*)::int from app.daily_briefs b where b.profile_id in (:'csm', :'csm2', :'third', :'other_csm')), 4,
  'by the third call every CSM due has a brief');
select is((select count(*)::int from app.daily_briefs b where b.profile_id in (:'csm', :'csm2', :'third', :'other_csm')
            group by b.profile_id order by 1 desc limit 1), 1, 'nobody has two');
select is(jsonb_array_length(public.store_daily_briefs('2026-06-01 08:03+00', max_briefs => 10)), 4,
  'a later call stores nobody new and returns the four still to be written');
select is(jsonb_array_length(public.store_daily_briefs('2026-06-01 08:04+00', max_briefs => 3)), 3,
  'at most max_briefs of them');
select * from finish();
rollback;
