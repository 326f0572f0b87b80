-- A task's snooze refusal says its times as people read them (docs/api-contract.md: messages
-- are for people; the web app shows them as they are).
--
-- What and why: app.task_snooze put the deadline into its message as the database prints a
-- timestamptz, in UTC with microseconds: "Cannot snooze this task past 2026-12-14
-- 01:02:21.812392+00 (7 days after it was first snoozed)", the Tasks page's Snooze dialog
-- showing exactly that, and said "first snoozed" of a task never snoozed; a time gone was
-- "until must be in the future". Now:
--   a first snooze past the window  'A task comes back within 7 days of its first snooze:
--                                    choose 14 Dec 2026, 06:02 or earlier'
--   a later one past it             'This task was first snoozed 7 Dec 2026: it comes back by
--                                    14 Dec 2026, 06:02 at the latest'
--   the window over                 'This task cannot be snoozed again: its 7 days of snoozing
--                                    ended on 6 Dec 2026, 06:02'
--   a time gone                     'The task would come back in the past: choose a day after today'
-- each in the organisation's time zone; codes, hints and rules as before.
--
-- - app.organisation_moment_words(org_id, at, with_time = true): "14 Dec 2026, 06:02" (or
--   "14 Dec 2026") in the organisation's time zone, for messages.
-- - app.task_snooze: restated whole from 20261204000700_tasks.sql; only the messages change.
-- Test: supabase/tests/tasks/a_snooze_refusal_says_its_deadline_in_words.test.sql.

create or replace function app.organisation_moment_words(org_id uuid, at timestamptz, with_time boolean default true)
returns text
language plpgsql
stable
set search_path = ''
as $$
begin
  return to_char(organisation_moment_words.at at time zone coalesce(
      (select s.time_zone from app.organisation_settings s where s.org_id = organisation_moment_words.org_id), 'UTC'),
    case when organisation_moment_words.with_time then 'FMDD Mon YYYY, HH24:MI' else 'FMDD Mon YYYY' end);
end;
$$;
revoke execute on function app.organisation_moment_words(uuid, timestamptz, boolean) from public, anon;
grant execute on function app.organisation_moment_words(uuid, timestamptz, boolean) to authenticated, service_role;
comment on function app.organisation_moment_words(uuid, timestamptz, boolean) is
  'A moment as a message says it to people: "14 Dec 2026, 06:02" (or the day alone) in the organisation''s time zone.';

-- snooze {until}: the task comes back at `until`, which must fall inside the snooze window
-- (the organisation's task_snooze_window_days, default 7, from the first snooze); a task
-- forced to action cannot be snoozed.
create or replace function app.task_snooze(t app.workflow_tasks, params jsonb)
returns app.workflow_tasks
language plpgsql
set search_path = ''
as $$
declare
  v_until timestamptz := app.timestamp_param(task_snooze.params, 'until');
  v_window integer;
  v_deadline timestamptz;
  v_task app.workflow_tasks;
begin
  if v_until is null then
    raise exception 'until is required: when the task should come back' using errcode = '22023';
  end if;
  if v_until <= now() then
    raise exception 'The task would come back in the past: choose a day after today' using errcode = '22023';
  end if;
  select s.task_snooze_window_days into v_window from app.organisation_settings s where s.org_id = t.org_id;
  v_window := coalesce(v_window, 7);
  v_deadline := coalesce(t.first_snoozed_at, now()) + make_interval(days => v_window);
  if t.force_action or now() >= v_deadline then
    raise exception 'This task cannot be snoozed again: its % days of snoozing ended on %', v_window,
      app.organisation_moment_words(t.org_id, v_deadline)
      using errcode = 'PT409', hint = 'Complete or skip the task.';
  end if;
  if v_until > v_deadline and t.first_snoozed_at is null then
    raise exception 'A task comes back within % days of its first snooze: choose % or earlier', v_window,
      app.organisation_moment_words(t.org_id, v_deadline)
      using errcode = 'PT409', hint = 'Pick an earlier time, or complete or skip the task.';
  end if;
  if v_until > v_deadline then
    raise exception 'This task was first snoozed %: it comes back by % at the latest',
      app.organisation_moment_words(t.org_id, t.first_snoozed_at, false), app.organisation_moment_words(t.org_id, v_deadline)
      using errcode = 'PT409', hint = 'Pick an earlier time, or complete or skip the task.';
  end if;
  update app.workflow_tasks x
     set status = 'snoozed', snoozed_until = v_until, first_snoozed_at = coalesce(x.first_snoozed_at, now()),
         snooze_count = x.snooze_count + 1
   where x.id = t.id returning * into v_task;
  return v_task;
end;
$$;
revoke execute on function app.task_snooze(app.workflow_tasks, jsonb) from public, anon;
grant execute on function app.task_snooze(app.workflow_tasks, jsonb) to authenticated;
