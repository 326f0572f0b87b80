-- A time zone is a zone's name (Europe/Paris, Asia/Karachi), never a POSIX rule written as
-- an offset (docs/admin.md "Settings").
--
-- What and why: PostgreSQL reads any POSIX rule as a zone, and a POSIX offset counts west of
-- Greenwich: 'UTC+5' is five hours *behind* UTC, '+05:00' too, 'GMT-3' three hours ahead,
-- and any letters will do ('foo+3'). Migration 20261205230000 refused rules outside Earth's
-- offsets, but an admin of an office in Karachi who typed 'UTC+5' or '+05:00' was accepted
-- and moved ten hours the wrong way: the organisation's "today" was a different date for
-- ten hours of every day (queue lanes, overdue renewals, the orchestrator's day), and the
-- brief came at noon UTC instead of two in the morning. Now a name that reads as an offset
-- rule (it starts with a sign or a digit, or its first letters or <…> are followed by one)
-- is taken only if it is also the name of a zone (EST5EDT, GMT+0, listed in
-- pg_timezone_names); every other name is checked as before. The lookup, ~40 ms as it reads
-- every zone file, runs only for those offset-looking names, so the check constraint on
-- organisation_settings stays cheap for Europe/Paris. (Etc/GMT+5 is the zone database's own
-- name, with its own inverted sign, and stays a zone.)
-- app.is_time_zone restated whole from 20261205230000; the offset-rule test is the only
-- change. An organisation that saved such a rule goes back to UTC, as 20261205230000 did for
-- impossible ones. supabase/tests/organisation_settings/offset_rules_are_not_time_zones.test.sql.

create or replace function app.is_time_zone(name text)
returns boolean
language plpgsql
stable
set search_path = ''
as $$
declare
  v_offset interval;
begin
  -- an offset rule ('UTC+5', '+05:00', '<+05>-5', 'foo+3') is a zone only by a zone's name
  if (is_time_zone.name ~ '^[+-]?[0-9]' or is_time_zone.name ~ '^(<[^>]*>|[A-Za-z]+)[+-]?[0-9]')
     and not exists (select 1 from pg_catalog.pg_timezone_names z where z.name = is_time_zone.name) then
    return false;
  end if;
  v_offset := (now() at time zone is_time_zone.name) - (now() at time zone 'UTC');
  return v_offset between interval '-12 hours' and interval '14 hours';
exception when invalid_parameter_value then
  return false;
end;
$$;
comment on function app.is_time_zone(text) is
  'True for a time zone PostgreSQL knows by a zone''s name (never an offset rule such as UTC+5, which POSIX reads west of UTC) whose offset from UTC is a real one (-12 to +14 hours).';

-- An organisation that saved an offset rule before goes back to UTC (the default).
update app.organisation_settings set time_zone = 'UTC' where not app.is_time_zone(time_zone);
