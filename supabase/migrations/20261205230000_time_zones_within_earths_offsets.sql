-- A time zone is one of this planet's: its offset from UTC lies between -12 and +14 hours
-- (docs/admin.md "Settings").
--
-- What and why: app.is_time_zone asked only whether PostgreSQL could read the name, and
-- PostgreSQL reads any POSIX rule as a zone: `UTC+99` or `<+99>-99` were accepted for an
-- organisation, moving its "today" by four days for everyone in it — queue lanes, overdue
-- renewals, the orchestrator's day, the brief's hour. The offset the zone gives now is
-- checked as well; no real zone is outside -12 to +14 hours. (A lookup in
-- pg_timezone_names would be exact but reads every zone file, ~120 ms, and the check
-- constraint on organisation_settings runs this function on every write of the row.)

create or replace function app.is_time_zone(name text)
returns boolean
language plpgsql
stable
set search_path = ''
as $$
declare
  v_offset interval;
begin
  v_offset := (now() at time zone is_time_zone.name) - (now() at time zone 'UTC');
  return v_offset between interval '-12 hours' and interval '14 hours';
exception when invalid_parameter_value then
  return false;
end;
$$;
comment on function app.is_time_zone(text) is
  'True for a time zone PostgreSQL knows whose offset from UTC is a real one (-12 to +14 hours).';

-- An organisation that saved an impossible zone before goes back to UTC (the default).
update app.organisation_settings set time_zone = 'UTC' where not app.is_time_zone(time_zone);
