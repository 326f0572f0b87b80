-- The scheduler makes exactly one brief per CSM per local day, at the organisation's brief
-- time in its own time zone: run every 15 minutes over a simulated 24 hours for two
-- organisations twelve hours apart, then again — no duplicates, nobody missed, no viewer or
-- manager, nobody deactivated.
begin;
select plan(8);
select * from tests.create_engine_world() \gset
update app.organisation_settings set time_zone = 'Pacific/Auckland' where org_id = :'org';
update app.organisation_settings set time_zone = 'America/Los_Angeles' where org_id = :'other_org';
select tests.create_member('gone_csm', :'other_org', 'csm') as gone \gset
update app.profiles set deactivated_at = now() where id = :'gone';

-- Only this test's people count (the demo seed's CSMs are due too).
create temp view ours as select b.* from app.daily_briefs b join app.profiles p on p.id = b.profile_id
  where p.org_id in (:'org', :'other_org');
grant select on ours to service_role;
select tests.authenticate_as_service_role();
-- A fixed UTC day, quarter-hour by quarter-hour.
create temp table runs as
  select t as at, jsonb_array_length(public.store_daily_briefs(t)) as returned
    from generate_series('2026-06-01 00:00+00'::timestamptz, '2026-06-01 23:45+00'::timestamptz, interval '15 minutes') t;

-- The UTC day starts at 12:00 in Auckland and 17:00 (the day before) in Los Angeles: each
-- CSM's first brief is for the local day already past 07:00, the second at 07:00 sharp.
select is((select count(*)::int from app.daily_briefs where profile_id in (:'csm', :'csm2', :'other_csm')), 6,
  'each of the three CSMs got one brief per local day the window touched (two each)');
select is((select count(*)::int from app.daily_briefs where profile_id in (:'admin', :'manager', :'viewer', :'other_manager', :'gone')), 0,
  'admins, managers, viewers and deactivated people get none');
-- 07:00 in Auckland (NZST, UTC+12) on 2 June is 19:00 UTC on 1 June; in Los Angeles (PDT, UTC-7) it is 14:00 UTC.
select is((select array_agg((brief_date, generated_at)::text order by brief_date) from app.daily_briefs where profile_id = :'csm'),
  array[('2026-06-01'::date, '2026-06-01 00:00:00+00'::timestamptz)::text, ('2026-06-02'::date, '2026-06-01 19:00:00+00'::timestamptz)::text],
  'Auckland: 2 June''s brief is written at 07:00 local (19:00 UTC), for its local date');
select is((select array_agg((brief_date, generated_at)::text order by brief_date) from app.daily_briefs where profile_id = :'other_csm'),
  array[('2026-05-31'::date, '2026-06-01 00:00:00+00'::timestamptz)::text, ('2026-06-01'::date, '2026-06-01 14:00:00+00'::timestamptz)::text],
  'Los Angeles: 1 June''s brief at 07:00 local (14:00 UTC)');

-- Run the same day again: nothing new.
select is((select count(*)::int from (select public.store_daily_briefs(t)
            from generate_series('2026-06-01 00:00+00'::timestamptz, '2026-06-01 23:45+00'::timestamptz, interval '15 minutes') t) x
            where false), 0, 'running the day again');
select is((select count(*)::int from ours), 6, 'makes no second brief');

-- Briefs stay due for writing until written: a failed write is retried, a written one is not.
select is((select count(*)::int from jsonb_array_elements(public.store_daily_briefs('2026-06-01 23:50+00')) x
            where (x.value ->> 'profile_id')::uuid in (select profile_id from ours)), 6, 'unwritten briefs of the last day are returned again for writing');
select public.write_daily_briefs(jsonb_agg(jsonb_build_object('brief_id', id, 'model', 'test', 'sentences', '[]'::jsonb)))
  from app.daily_briefs where profile_id = :'csm';
select is((select count(*)::int from jsonb_array_elements(public.store_daily_briefs('2026-06-01 23:55+00')) x
            where (x.value ->> 'profile_id')::uuid in (select profile_id from ours)), 4, 'a written brief is not written again');
select * from finish();
rollback;
