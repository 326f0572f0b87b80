-- A time zone is a zone's name: an offset rule that PostgreSQL reads west of UTC ('UTC+5'
-- and '+05:00' are five hours behind), or any letters with an offset, is refused with 22023
-- naming time_zone, and nothing changes; zone names, those with digits (EST5EDT, GMT+0,
-- Etc/GMT-5) included, are taken. (Migration 20261206284000.)
begin;
select plan(8);
set client_min_messages = warning;
select * from tests.create_engine_world() \gset
select tests.authenticate_as('e_admin');

select throws_ok(format('select public.update_organisation_settings(%L)', jsonb_build_object('time_zone', z)), '22023',
  'time_zone must be a time zone name such as Europe/Paris', format('%s is an offset rule, not a zone', z))
  from unnest(array['UTC+5', '+05:00', '<+05>-5', 'foo+3']) z;
select is((select time_zone from app.organisation_settings where org_id = :'org'), 'UTC', 'nothing was changed');
select lives_ok($$ select public.update_organisation_settings('{"time_zone": "Asia/Karachi"}') $$, 'a zone''s name is taken');
select ok(app.is_time_zone('EST5EDT') and app.is_time_zone('GMT+0') and app.is_time_zone('Etc/GMT-5') and app.is_time_zone('UTC'),
  'zone names with digits or signs are zones');
select ok(not app.is_time_zone('UTC+99') and not app.is_time_zone('Mars/Olympus'), 'impossible and unknown zones are still refused');
select * from finish();
rollback;
