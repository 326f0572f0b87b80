-- A meeting is scheduled for a time to come (docs/business-rules.md "Actions").
--
-- What and why: Schedule meeting took any time, 1 January 2020 included: the meeting, its
-- "Hold meeting" task (due then, so overdue at once) and its invitation were made for a
-- time already gone. A meeting that has ended before now is refused, 22023, with a hint to
-- log a meeting that took place as activity instead; one under way (started less than its
-- length ago) is still taken. An AI proposal to schedule one is refused the same way when
-- approved after its time.
-- Restated whole from 20261206340000; only the new check.
-- supabase/tests/execute_action/a_meeting_is_scheduled_for_a_time_to_come.test.sql.
create or replace function app.action_schedule_meeting(a app.saved_actions, e app.workflow_executions, params jsonb, log_id uuid)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_me uuid := (select auth.uid());
  v_durations jsonb := app.action_limits(a.action_type, a.config, e.org_id) -> 'durations_minutes';
  v_minutes integer;
  v_when timestamptz;
  v_attendees text[];
  v_title text;
  v_assignee uuid := coalesce(e.assigned_to, v_me);
  v_customer_name text;
  v_workflow_name text;
  v_task_id uuid;
  v_id uuid;
  v_uid text;
begin
  if params ? 'duration_minutes' then
    if not app.is_whole_number(params -> 'duration_minutes') or not (v_durations @> jsonb_build_array(params -> 'duration_minutes')) then
      raise exception 'duration_minutes must be one of: %', (select string_agg(r, ', ') from jsonb_array_elements_text(v_durations) r)
        using errcode = '22023';
    end if;
    v_minutes := (params ->> 'duration_minutes')::numeric::integer;
  else
    v_minutes := coalesce((a.config ->> 'default_duration_minutes')::integer, 30);
  end if;
  v_when := app.timestamp_param(params, 'scheduled_at');
  if v_when is null then
    raise exception 'scheduled_at is required: the date and time of the meeting' using errcode = '22023';
  end if;
  -- A meeting to come: one that has already ended is something that happened (logged as
  -- activity on the customer), not an invitation to send.
  if v_when + make_interval(mins => v_minutes) < now() then
    raise exception 'scheduled_at is in the past: a meeting is scheduled for a time to come' using errcode = '22023',
      hint = 'Choose a date and time from now on; to record a meeting that took place, log it as activity on the customer.';
  end if;
  v_attendees := app.email_list(params -> 'attendees');
  if v_attendees is null then
    raise exception 'attendees must be a list of email addresses' using errcode = '22023';
  end if;
  select x.customer_name, x.workflow_name into v_customer_name, v_workflow_name from app.action_context(e) x;
  -- A title the person typed is theirs: too long is refused. One the system makes is
  -- shortened to fit, as is the task's "Hold meeting: …" around either.
  v_title := app.trimmed(params ->> 'title');
  perform app.require_text_within(v_title, 'title', app.title_limit());
  v_title := coalesce(v_title, app.fit_title('Follow-up: ' || v_customer_name));
  insert into app.workflow_tasks (org_id, customer_id, execution_id, step_key, title, description, task_type,
                                  priority, assigned_to, created_by, due_date, metadata)
  values (e.org_id, e.customer_id, e.id, e.current_step_key, app.fit_title('Hold meeting: ' || v_title),
          'Meeting of ' || v_minutes || ' minutes scheduled from ' || v_workflow_name || '.',
          coalesce(a.config ->> 'creates_task_type', 'schedule_meeting'), 'medium', v_assignee, v_me, v_when,
          jsonb_build_object('action_execution_id', log_id))
  returning id into v_task_id;
  insert into app.workflow_meetings (org_id, execution_id, action_execution_id, task_id, organiser_id, title,
                                     scheduled_at, duration_minutes, attendees)
  values (e.org_id, e.id, log_id, v_task_id, v_me, v_title, v_when, v_minutes, v_attendees)
  returning id, invite_uid into v_id, v_uid;
  update app.workflow_executions x
     set metadata = app.with_history(x.metadata, jsonb_build_object('event', 'meeting_scheduled', 'meeting_id', v_id))
                    || jsonb_build_object('meetings', coalesce(x.metadata -> 'meetings', '[]'::jsonb) || jsonb_build_array(
                      jsonb_build_object('id', v_id, 'title', v_title, 'scheduled_at', v_when, 'duration_minutes', v_minutes,
                                         'attendees', to_jsonb(v_attendees), 'task_id', v_task_id)))
   where x.id = e.id;
  return jsonb_build_object(
    'params', params || jsonb_build_object('duration_minutes', v_minutes),
    'result', jsonb_build_object('meeting_id', v_id, 'task_id', v_task_id, 'title', v_title, 'scheduled_at', v_when,
                                 'duration_minutes', v_minutes, 'attendees', to_jsonb(v_attendees), 'invite_uid', v_uid,
                                 'organiser_email', (select p.email from app.profiles p where p.id = v_me),
                                 'description', v_workflow_name || ' for ' || v_customer_name),
    'side_effects', jsonb_build_array(jsonb_build_object(
      'type', 'calendar_invite', 'status', 'pending', 'meeting_id', v_id, 'attempts', 0, 'error', null, 'updated_at', now())));
end;
$$;
