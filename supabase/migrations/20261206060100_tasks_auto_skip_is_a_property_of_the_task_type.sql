-- How long an unattended task waits before it is skipped automatically is a property of
-- its type, kept with the type in app.task_types (auto_skip: standard, long or never)
-- instead of a second list of type names inside the daily job.
--
-- Why: app.process_task_deadlines named review_contract and prepare_proposal (the long
-- window, organisation_settings.task_auto_skip_hours_long) twice and escalate (never)
-- once, a copy of part of the task-type list that a new type could not join. Now a new
-- type says its window where it is defined (20261206060000_lookups_…). Behaviour is
-- unchanged for the existing types.

alter table app.task_types add column auto_skip text not null default 'standard';
alter table app.task_types add constraint task_types_auto_skip_is_known check (auto_skip in ('standard', 'long', 'never'));
comment on column app.task_types.auto_skip is
  'After the snooze window: skipped automatically after task_auto_skip_hours (standard), task_auto_skip_hours_long (long), or never.';
update app.task_types set auto_skip = 'long' where key in ('review_contract', 'prepare_proposal');
update app.task_types set auto_skip = 'never' where key = 'escalate';

-- app.process_task_deadlines of 20261125150000, the auto-skip window read from the task's type.
create or replace function app.process_task_deadlines(as_of timestamptz default now())
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_now timestamptz := coalesce(process_task_deadlines.as_of, now());
  v_woken integer;
  v_flagged integer;
  v_skipped integer;
begin
  update app.workflow_tasks t
     set status = case when t.started_at is null then 'pending' else 'in_progress' end, snoozed_until = null
   where t.status = 'snoozed' and t.snoozed_until <= v_now;
  get diagnostics v_woken = row_count;

  with flagged as (
    update app.workflow_tasks t
       set force_action = true, force_action_at = v_now
      from app.organisation_settings s
     where s.org_id = t.org_id
       and t.status in ('pending', 'in_progress', 'snoozed')
       and t.first_snoozed_at is not null
       and not t.force_action
       and t.first_snoozed_at + make_interval(days => s.task_snooze_window_days) <= v_now
    returning t.*
  ), notified as (
    insert into app.notifications (org_id, user_id, notification_type, title, body, data)
    select f.org_id, f.assigned_to, 'task_force_action', 'Action needed: ' || f.title,
           'The snooze window of this task has ended: complete or skip it, or it will be skipped automatically.',
           jsonb_build_object('task_id', f.id)
      from flagged f where f.assigned_to is not null
    returning 1
  )
  select count(*) into v_flagged from flagged;

  with due as (
    select t.id, case tt.auto_skip when 'long' then s.task_auto_skip_hours_long else s.task_auto_skip_hours end as hours
      from app.workflow_tasks t
      join app.task_types tt on tt.key = t.task_type
      join app.organisation_settings s on s.org_id = t.org_id
     where t.force_action
       and t.status in ('pending', 'in_progress', 'snoozed')
       and tt.auto_skip <> 'never'
  )
  update app.workflow_tasks t
     set status = 'skipped', skipped_at = v_now, snoozed_until = null,
         skip_reason = 'Skipped automatically: no action within ' || due.hours || ' hours after the snooze window ended'
    from due
   where t.id = due.id
     and t.force_action_at + make_interval(hours => due.hours) <= v_now;
  get diagnostics v_skipped = row_count;

  return jsonb_build_object('woken', v_woken, 'flagged', v_flagged, 'auto_skipped', v_skipped, 'as_of', v_now);
end;
$$;
comment on function app.process_task_deadlines(timestamptz) is
  'Wakes snoozed tasks, flags force_action after the snooze window, auto-skips after the window of the task''s type (app.task_types.auto_skip). Run by pg_cron.';
