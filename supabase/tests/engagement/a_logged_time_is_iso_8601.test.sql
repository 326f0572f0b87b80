-- When a logged activity happened is ISO 8601, never a text PostgreSQL reads its own way: an
-- offset written as a POSIX zone ('… UTC+5', read five hours west of UTC), 'yesterday' or a
-- date month first is refused with 22023 naming occurred_at and nothing is logged; a time with
-- an ISO offset is read east of UTC (migration 20261206353000).
begin;
select plan(6);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
insert into app.customers (org_id, name, assigned_to) values (:'org', 'Offset Logged Co', :'csm') returning id as lc \gset
-- Yesterday at this minute, UTC, written without a zone.
select to_char(now() at time zone 'UTC' - interval '1 day', 'YYYY-MM-DD"T"HH24:MI') as local_time \gset

select tests.authenticate_as('e_csm');
select throws_ok(format('select public.log_engagement(%L, %L, %L, %L)', :'lc', 'call', :'local_time' || ' UTC+5', 'Budget call'),
  '22023', 'occurred_at must be a date and time (ISO 8601)', 'a POSIX zone such as UTC+5 is refused');
select throws_ok(format('select public.log_engagement(%L, %L, %L, %L)', :'lc', 'call', 'yesterday', 'Budget call'),
  '22023', 'occurred_at must be a date and time (ISO 8601)', 'so is yesterday');
select throws_ok(format('select public.log_engagement(%L, %L, %L, %L)', :'lc', 'call', to_char(now() - interval '1 day', 'MM/DD/YYYY'), 'Budget call'),
  '22023', 'occurred_at must be a date and time (ISO 8601)', 'and a date month first');
select is((select count(*)::int from app.engagement_events where customer_id = :'lc'), 0, 'nothing was logged');

select is((public.log_engagement(:'lc', 'call', :'local_time' || '+05:00', 'Budget call') ->> 'occurred_at')::timestamptz,
  (:'local_time' || 'Z')::timestamptz - interval '5 hours', 'an ISO offset is east of UTC: +05:00 is five hours before UTC');
select throws_ok(format('select public.log_engagement(%L, %L, %L, %L)', :'lc', 'note', '', 'x'),
  '22023', 'occurred_at is required', 'a blank time is none, and one is required');
select * from finish();
rollback;
