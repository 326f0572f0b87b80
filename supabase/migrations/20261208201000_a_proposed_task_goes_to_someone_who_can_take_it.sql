-- A proposed task goes to someone who can take it (docs/branches-and-proposals.md "AI
-- proposals").
--
-- What and why: migration 20261208200000 refused a proposed task for someone outside the
-- organisation, but took one for a deactivated colleague or a viewer: the tasks' trigger
-- (app.require_person_who_can_take_work) refuses both when the task is made, so the
-- proposal could only fail on Approve ("assigned_to has been deactivated and cannot take
-- work"). app.require_params_to_run now asks the same rule, naming params.assigned_to.
-- Restated whole from 20261208200000; only the assigned_to check changed.
-- supabase/tests/propose_action/a_proposal_that_could_not_run_is_refused.test.sql.

-- The params are ones the action can run with (see the top of this file): 22023 naming the
-- first that is missing or cannot be read. The types were checked by app.require_action_params.
create or replace function app.require_params_to_run(action_type text, config jsonb, execution app.workflow_executions, params jsonb)
returns void
language plpgsql
stable
set search_path = ''
as $$
declare
  v_params constant jsonb := coalesce(require_params_to_run.params, '{}'::jsonb);
  v_when timestamptz;
  v_minutes integer;
  v_assignee uuid;
  v_draft uuid;
begin
  perform app.require_params_within_limits(require_params_to_run.action_type, require_params_to_run.config,
                                           require_params_to_run.execution.org_id, v_params);
  case require_params_to_run.action_type
    when 'snooze' then
      if coalesce((require_params_to_run.config ->> 'reason_required')::boolean, true) then
        perform app.require_proposed_text(v_params, 'reason', 'to snooze a workflow');
      end if;
    when 'escalate' then
      perform app.require_proposed_text(v_params, 'reason', 'to escalate a workflow');
    when 'skip' then
      -- A reason given is one of the list (app.require_params_within_limits); none is none of it.
      if v_params ->> 'reason' is null then
        raise exception 'params.reason is required: one of %',
          (select string_agg(r, ', ') from jsonb_array_elements_text(app.action_limits('skip', require_params_to_run.config,
             require_params_to_run.execution.org_id) -> 'reasons') r) using errcode = '22023';
      end if;
    when 'schedule_meeting' then
      v_when := app.timestamp_param(v_params, 'scheduled_at');
      if v_when is null then
        raise exception 'params.scheduled_at is required: the date and time of the meeting' using errcode = '22023';
      end if;
      v_minutes := coalesce((v_params ->> 'duration_minutes')::numeric::integer,
                            (require_params_to_run.config ->> 'default_duration_minutes')::integer, 30);
      if v_when + make_interval(mins => v_minutes) < now() then
        raise exception 'params.scheduled_at is in the past: a meeting is scheduled for a time to come' using errcode = '22023',
          hint = 'Propose a date and time from now on; a meeting that took place is logged as activity on the customer.';
      end if;
      if app.email_list(v_params -> 'attendees') is null then
        raise exception 'params.attendees must be a list of email addresses' using errcode = '22023';
      end if;
      perform app.require_text_within(app.trimmed(v_params ->> 'title'), 'params.title', app.title_limit());
    when 'create_task' then
      if app.timestamp_param(v_params, 'due_date') is null then
        raise exception 'params.due_date is required for a follow-up task' using errcode = '22023';
      end if;
      if v_params ->> 'task_type' is not null then
        perform app.require_task_type(v_params ->> 'task_type', 'params.task_type');
      end if;
      -- Someone who can take the task when it is made: an active CSM, manager or admin of
      -- the organisation (the rule of the tasks' trigger, app.require_person_who_can_take_work).
      if v_params ? 'assigned_to' then
        v_assignee := app.uuid_param(v_params, 'assigned_to');
        if v_assignee is null then
          raise exception 'params.assigned_to must be a member of your organisation' using errcode = '22023';
        end if;
        perform app.require_person_who_can_take_work(require_params_to_run.execution.org_id, v_assignee, 'params.assigned_to');
      end if;
      perform app.require_text_within(app.trimmed(v_params ->> 'title'), 'params.title', app.title_limit());
      perform app.require_text_within(app.trimmed(v_params ->> 'description'), 'params.description', 10000);
    when 'send_email' then
      v_draft := app.uuid_param(v_params, 'artifact_id');
      if v_draft is null then
        raise exception 'params.artifact_id is required: the id of the email draft to send' using errcode = '22023';
      end if;
      if not exists (select 1 from app.workflow_task_artifacts t
                      where t.id = v_draft and t.execution_id = require_params_to_run.execution.id
                        and t.artifact_type = 'email_draft') then
        raise exception 'params.artifact_id must be an email draft of this workflow' using errcode = '22023';
      end if;
    else
      null;  -- a custom action takes any params
  end case;
end;
$$;
comment on function app.require_params_to_run(text, jsonb, app.workflow_executions, jsonb) is
  'Refuses (22023, naming the param) a proposal''s params its action could not run with, whatever the workflow''s state: outside its limits, a required param missing, a date, address list, task type, assignee or draft that cannot be read.';
revoke execute on function app.require_params_to_run(text, jsonb, app.workflow_executions, jsonb) from public, anon;
grant execute on function app.require_params_to_run(text, jsonb, app.workflow_executions, jsonb) to authenticated, service_role;
