-- Snoozing a workflow that is already snoozed says until when in words, in the organisation's
-- time zone: 'This workflow is already snoozed until 10 Dec 2026, 06:04' (hint as before:
-- wait, or wake it). Before, 'Cannot snooze this workflow: it is already snoozed until
-- 2026-12-10 01:03:55.09106+00', as the database prints a timestamptz, which the queue's bulk
-- Snooze showed beside the workflow it could not snooze.
-- app.action_snooze restated whole from 20261206340000; only that message changes; the words
-- come from app.organisation_moment_words (20261208300200).
-- Test: supabase/tests/execute_action/snoozing_a_snoozed_workflow_says_until_when_in_words.test.sql.

create or replace function app.action_snooze(a app.saved_actions, e app.workflow_executions, params jsonb, log_id uuid)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_settings app.organisation_settings;
  v_limits constant jsonb := app.action_limits(a.action_type, a.config, e.org_id);
  v_min integer;
  v_max integer;
  v_days integer;
  v_reason text;
  v_until timestamptz;
begin
  select * into v_settings from app.organisation_settings s where s.org_id = e.org_id;
  v_min := (v_limits ->> 'min_days')::integer;
  v_max := (v_limits ->> 'max_days')::integer;
  if params ? 'days' then
    if not app.is_whole_number(params -> 'days') then
      raise exception 'days must be a whole number of days between % and %', v_min, v_max using errcode = '22023';
    end if;
    -- compared as the number sent, so that 1e10 days is out of range rather than an
    -- integer overflow
    if (params ->> 'days')::numeric < v_min or (params ->> 'days')::numeric > v_max then
      raise exception 'days must be between % and %', v_min, v_max using errcode = '22023',
        hint = 'Snooze for ' || v_min || ' to ' || v_max || ' days.';
    end if;
    v_days := (params ->> 'days')::numeric::integer;
  else
    v_days := coalesce((a.config ->> 'default_days')::integer, v_settings.snooze_default_days, 7);
  end if;
  if v_days < v_min or v_days > v_max then
    raise exception 'days must be between % and %', v_min, v_max using errcode = '22023',
      hint = 'Snooze for ' || v_min || ' to ' || v_max || ' days.';
  end if;
  v_reason := app.trimmed(params ->> 'reason');
  if v_reason is null and coalesce((a.config ->> 'reason_required')::boolean, true) then
    raise exception 'reason is required to snooze a workflow' using errcode = '22023';
  end if;
  if e.status = 'snoozed' then
    raise exception 'This workflow is already snoozed until %', app.organisation_moment_words(e.org_id, e.snoozed_until) using errcode = 'PT409',
      hint = 'Wait until it returns to the queue, or wake it to resume now.';
  end if;
  v_until := now() + make_interval(days => v_days);
  update app.workflow_executions x
     set status = 'snoozed',
         snoozed_until = v_until,
         metadata = app.with_history(x.metadata, jsonb_build_object(
           'event', 'snoozed', 'days', v_days, 'reason', v_reason, 'from_status', e.status, 'until', v_until,
           'action_log_id', log_id))
   where x.id = e.id;
  return jsonb_build_object(
    'params', params || jsonb_build_object('days', v_days),
    'result', jsonb_build_object('snoozed_until', v_until, 'days', v_days, 'reason', v_reason),
    'side_effects', '[]'::jsonb);
end;
$$;
