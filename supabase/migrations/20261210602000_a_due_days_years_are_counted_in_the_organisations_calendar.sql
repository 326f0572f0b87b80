-- The years a task may fall due in (2000 to 2099) are counted in the organisation's calendar,
-- as its due day is (docs/business-rules.md "Tasks", migration 20261210301000).
--
-- What and why: a due date sent as a day alone is that day at 17:00 in the organisation's time
-- zone (app.due_date_param). West of UTC the last day of 2099 is then already 2100 in UTC
-- (2100-01-01T04:00Z in Pacific/Pago_Pago), and the tasks' own trigger, which counted the years
-- in UTC (20261205193000), refused it with "due_date must be a date and time in the years 2000
-- to 2099": a day in those years, taken east of UTC (Pacific/Kiritimati), refused in the
-- Americas. The trigger now takes a due date whose day in the organisation's time zone is in
-- those years; it looks the zone up only for one outside them in UTC, so the rows of every
-- other write cost what they did. A date and time sent whole is still refused past 2099 in UTC
-- by app.timestamp_param, as before.
-- Restated whole from 20261205193000; the due date's check is the only change.
-- supabase/tests/tasks/the_last_day_of_2099_is_a_due_day_everywhere.test.sql.

-- Tasks hold only business dates, whichever path writes them; a due date's years are those of
-- its day in the organisation's calendar.
create or replace function app.tasks_keep_business_dates()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if new.due_date is not null and not (new.due_date >= '2000-01-01 00:00:00+00' and new.due_date < '2100-01-01 00:00:00+00')
     and not coalesce((new.due_date at time zone coalesce(
           (select s.time_zone from app.organisation_settings s where s.org_id = new.org_id), 'UTC'))::date
         between date '2000-01-01' and date '2099-12-31', false) then
    perform app.require_business_time(new.due_date, 'due_date');
  end if;
  perform app.require_business_time(new.snoozed_until, 'until');
  return new;
end;
$$;
