-- An action's limits are checked when it is proposed, as when it runs, and are written
-- once (docs/branches-and-proposals.md "AI proposals", docs/business-rules.md "Actions").
--
-- What and why: propose_action checked a proposal's params by name and type
-- (app.require_action_params) but not against the saved action's limits. The chat model or
-- an agent could propose a snooze of {"days": 300}, an escalation to a level the
-- organisation does not offer, a meeting of 50 minutes, a task with a priority the action
-- does not offer or a skip with a reason not in its list: it was stored and notified, and
-- refused only when the person pressed Approve. The model got no error it could correct,
-- and the person saw a proposal that could not run as made. Such a proposal is now refused
-- when made, 22023 naming the param and the values allowed, and nothing is stored.
--
--   * app.action_limits(action_type, config, org_id): the values an action allows, computed
--     once, with the fallbacks the action functions used (the action's config, then the
--     organisation's settings or the lookups, then the product's constants): a snooze's
--     min_days/max_days, an escalation's levels, a meeting's durations_minutes, a task's
--     priorities, a skip's reasons ('{}' for the other types).
--   * The five action functions (app.action_snooze, action_escalate,
--     action_schedule_meeting, action_create_task, action_skip) take their limits from it
--     instead of computing them inline; their checks, defaults and messages are unchanged.
--   * app.require_params_within_limits: the check a proposal gets, on the params it sends
--     (a param left out runs with the action's default, which its config keeps inside the
--     limits). propose_action asks it after app.require_action_params.
--   * app.workflow_definition_org_problems (a branch's default params) reads the same
--     limits. It used the config only, with 1..30 days and empty lists as fallbacks; a
--     stored config always has every key of its type (app.saved_action_config_keys), so
--     the answers are the same for every action that can be saved, and a definition is now
--     held to exactly what its branch's action will apply.
--
-- Restated whole from their latest definitions (action_snooze, action_escalate and
-- action_schedule_meeting 20261206226000, action_create_task and action_skip
-- 20261206240000, propose_action 20261206244300, workflow_definition_org_problems
-- 20261206213000); only the lines named above changed. Grants and comments of the restated
-- functions stay (create or replace).
-- supabase/tests/propose_action/params_outside_the_actions_limits_are_refused.test.sql.

-- The values an action of this type and config allows when it runs in this organisation.
-- The fallbacks are the action functions' own: a snooze's days from its config, else the
-- organisation's settings, else 1 to 30; levels from the config, else every escalation
-- level; meeting lengths from the config, else 15, 30, 45 and 60; priorities from the
-- config (as action_create_task read them: an array of the config's list, so a config
-- without one offers none; a stored config always has one); skip reasons from the config,
-- else the product's five.
create or replace function app.action_limits(action_type text, config jsonb, org_id uuid)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_settings app.organisation_settings;
begin
  case action_limits.action_type
    when 'snooze' then
      select * into v_settings from app.organisation_settings s where s.org_id = action_limits.org_id;
      return jsonb_build_object(
        'min_days', coalesce((action_limits.config ->> 'min_days')::integer, v_settings.snooze_min_days, 1),
        'max_days', coalesce((action_limits.config ->> 'max_days')::integer, v_settings.snooze_max_days, 30));
    when 'escalate' then
      return jsonb_build_object('levels',
        coalesce(action_limits.config -> 'levels', to_jsonb(app.lookup_keys('escalation_level'))));
    when 'schedule_meeting' then
      return jsonb_build_object('durations_minutes',
        coalesce(action_limits.config -> 'durations_minutes', '[15, 30, 45, 60]'::jsonb));
    when 'create_task' then
      return jsonb_build_object('priorities',
        to_jsonb(coalesce(array(select jsonb_array_elements_text(action_limits.config -> 'priorities')),
                          app.lookup_keys('task_priority'))));
    when 'skip' then
      return jsonb_build_object('reasons', coalesce(action_limits.config -> 'reasons',
        '["Not applicable", "Already completed", "Customer requested skip", "Internal decision", "Other"]'::jsonb));
    else
      return '{}'::jsonb;
  end case;
end;
$$;
comment on function app.action_limits(text, jsonb, uuid) is
  'The values an action allows when it runs (snooze min_days/max_days, escalate levels, schedule_meeting durations_minutes, create_task priorities, skip reasons): its config, else the organisation''s settings or the lookups. The one source for the action functions, proposals and workflow definitions.';
revoke execute on function app.action_limits(text, jsonb, uuid) from public, anon;
grant execute on function app.action_limits(text, jsonb, uuid) to authenticated, service_role;

-- The params sent (a proposal's) are within the limits the action applies when it runs:
-- 22023 naming the first one outside them and the values allowed. A param left out is not
-- checked (the action's default applies); the types were checked by app.require_action_params.
create or replace function app.require_params_within_limits(action_type text, config jsonb, org_id uuid, params jsonb)
returns void
language plpgsql
stable
set search_path = ''
as $$
declare
  v_limits constant jsonb := app.action_limits(require_params_within_limits.action_type, require_params_within_limits.config,
                                               require_params_within_limits.org_id);
  v_params constant jsonb := coalesce(require_params_within_limits.params, '{}'::jsonb);
begin
  case require_params_within_limits.action_type
    when 'snooze' then
      if v_params ? 'days' and (not app.is_whole_number(v_params -> 'days')
                                or (v_params ->> 'days')::numeric < (v_limits ->> 'min_days')::numeric
                                or (v_params ->> 'days')::numeric > (v_limits ->> 'max_days')::numeric) then
        raise exception 'params.days must be between % and %', v_limits ->> 'min_days', v_limits ->> 'max_days'
          using errcode = '22023', hint = 'Snooze for ' || (v_limits ->> 'min_days') || ' to ' || (v_limits ->> 'max_days') || ' days.';
      end if;
    when 'escalate' then
      if v_params ->> 'level' is not null and not ((v_limits -> 'levels') ? (v_params ->> 'level')) then
        raise exception 'params.level must be one of: %',
          (select string_agg(r, ', ') from jsonb_array_elements_text(v_limits -> 'levels') r) using errcode = '22023';
      end if;
    when 'schedule_meeting' then
      if v_params ? 'duration_minutes' and (not app.is_whole_number(v_params -> 'duration_minutes')
                                            or not ((v_limits -> 'durations_minutes') @> jsonb_build_array(v_params -> 'duration_minutes'))) then
        raise exception 'params.duration_minutes must be one of: %',
          (select string_agg(r, ', ') from jsonb_array_elements_text(v_limits -> 'durations_minutes') r) using errcode = '22023';
      end if;
    when 'create_task' then
      if v_params ->> 'priority' is not null then
        perform app.require_task_priority(v_params ->> 'priority', 'params.priority',
                                          array(select jsonb_array_elements_text(v_limits -> 'priorities')));
      end if;
    when 'skip' then
      if v_params ->> 'reason' is not null and not ((v_limits -> 'reasons') ? (v_params ->> 'reason')) then
        raise exception 'params.reason must be one of: %',
          (select string_agg(r, ', ') from jsonb_array_elements_text(v_limits -> 'reasons') r) using errcode = '22023';
      end if;
    else
      null;
  end case;
end;
$$;
comment on function app.require_params_within_limits(text, jsonb, uuid, jsonb) is
  'Refuses (22023, naming the param and the values allowed) params outside the limits the action applies when it runs (app.action_limits); params left out are not checked.';
revoke execute on function app.require_params_within_limits(text, jsonb, uuid, jsonb) from public, anon;
grant execute on function app.require_params_within_limits(text, jsonb, uuid, jsonb) to authenticated, service_role;

-- Restated whole; only the lines named at the top changed (the limits from app.action_limits,
-- and propose_action's one new check).
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
    raise exception 'Cannot snooze this workflow: it is already snoozed until %', e.snoozed_until using errcode = 'PT409',
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

create or replace function app.action_escalate(a app.saved_actions, e app.workflow_executions, params jsonb, log_id uuid)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_me uuid := (select auth.uid());
  v_levels jsonb := app.action_limits(a.action_type, a.config, e.org_id) -> 'levels';
  v_level text := coalesce(params ->> 'level', a.config ->> 'default_level', 'manager');
  v_reason text := app.trimmed(params ->> 'reason');
  v_assignee uuid;
  v_manager uuid;
  v_customer_name text;
  v_workflow_name text;
  v_id uuid;
  v_effects jsonb;
begin
  if not (v_levels ? v_level) then
    raise exception 'level must be one of: %', (select string_agg(r, ', ') from jsonb_array_elements_text(v_levels) r)
      using errcode = '22023';
  end if;
  if v_reason is null then
    raise exception 'reason is required to escalate a workflow' using errcode = '22023';
  end if;
  select x.customer_name, x.workflow_name into v_customer_name, v_workflow_name from app.action_context(e) x;
  v_assignee := coalesce(e.assigned_to, v_me);
  select p.manager_id into v_manager from app.profiles p where p.id = v_assignee;
  -- The escalation row first: the status trigger below then finds it and adds none.
  insert into app.workflow_escalations (org_id, execution_id, level, reason, escalated_by, assignee_id, manager_id,
                                        from_status, from_snoozed_until, action_execution_id)
  values (e.org_id, e.id, v_level, v_reason, v_me, v_assignee, v_manager, e.status, e.snoozed_until, log_id);
  update app.workflow_executions x
     set status = 'escalated',
         snoozed_until = null,
         metadata = app.with_history(x.metadata, jsonb_build_object(
                      'event', 'escalated', 'level', v_level, 'reason', v_reason, 'from_status', e.status))
                    || jsonb_build_object('escalations', coalesce(x.metadata -> 'escalations', '[]'::jsonb) || jsonb_build_array(
                      jsonb_strip_nulls(jsonb_build_object('level', v_level, 'reason', v_reason, 'by', v_me, 'at', now(),
                                         'manager_id', v_manager, 'from_status', e.status, 'snoozed_until', e.snoozed_until))))
   where x.id = e.id;
  if v_manager is not null then
    -- The id is made here: RLS lets the caller write the manager's notification but not read it back.
    v_id := gen_random_uuid();
    insert into app.notifications (id, org_id, user_id, notification_type, title, body, data)
    values (v_id, e.org_id, v_manager, 'escalation',
            'Escalated to you: ' || v_workflow_name || ' for ' || v_customer_name,
            v_reason,
            jsonb_build_object('execution_id', e.id, 'level', v_level, 'escalated_by', v_me, 'assignee_id', v_assignee));
    v_effects := jsonb_build_array(jsonb_build_object(
      'type', 'notify_manager', 'status', 'delivered', 'recipient_id', v_manager, 'notification_id', v_id,
      'attempts', 1, 'error', null, 'updated_at', now()));
  else
    v_effects := jsonb_build_array(jsonb_build_object(
      'type', 'notify_manager', 'status', 'skipped', 'recipient_id', null, 'attempts', 0,
      'error', 'The assignee has no manager to notify', 'updated_at', now()));
  end if;
  return jsonb_build_object(
    'params', params || jsonb_build_object('level', v_level),
    'result', jsonb_build_object('level', v_level, 'reason', v_reason, 'manager_id', v_manager, 'notification_id', v_id),
    'side_effects', v_effects);
end;
$$;

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

create or replace function app.action_create_task(a app.saved_actions, e app.workflow_executions, params jsonb, log_id uuid)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_me uuid := (select auth.uid());
  v_when timestamptz := app.timestamp_param(params, 'due_date');
  v_priorities text[] := array(select jsonb_array_elements_text(app.action_limits(a.action_type, a.config, e.org_id) -> 'priorities'));
  v_priority text := coalesce(params ->> 'priority', a.config ->> 'default_priority', 'medium');
  v_type text := coalesce(params ->> 'task_type', a.config ->> 'default_task_type', 'follow_up');
  v_assignee uuid;
  v_customer_name text;
  v_workflow_name text;
  v_title text;
  v_task_id uuid;
begin
  if v_when is null then
    raise exception 'due_date is required for a follow-up task' using errcode = '22023';
  end if;
  -- The action's config may offer fewer priorities than the organisation knows.
  perform app.require_task_priority(v_priority, 'priority', v_priorities);
  perform app.require_task_type(v_type, 'task_type');
  if params ? 'assigned_to' then
    v_assignee := app.uuid_param(params, 'assigned_to');
    if v_assignee is null or not exists (select 1 from app.profiles p where p.id = v_assignee and p.org_id = e.org_id) then
      raise exception 'assigned_to must be a member of your organisation' using errcode = '22023';
    end if;
  else
    v_assignee := coalesce(e.assigned_to, v_me);
  end if;
  select x.customer_name, x.workflow_name into v_customer_name, v_workflow_name from app.action_context(e) x;
  -- A typed title too long is refused (the tasks' own bound); a generated one is shortened.
  v_title := coalesce(app.trimmed(params ->> 'title'), app.fit_title('Follow up with ' || v_customer_name));
  insert into app.workflow_tasks (org_id, customer_id, execution_id, step_key, title, description, task_type,
                                  priority, assigned_to, created_by, due_date, metadata)
  values (e.org_id, e.customer_id, e.id, e.current_step_key, v_title, app.trimmed(params ->> 'description'), v_type,
          v_priority, v_assignee, v_me, v_when, jsonb_build_object('action_execution_id', log_id))
  returning id into v_task_id;
  if v_assignee <> v_me then
    insert into app.notifications (org_id, user_id, notification_type, title, body, data)
    values (e.org_id, v_assignee, 'task_assigned', app.fit_title('New task: ' || v_title),
            'Assigned to you from ' || v_workflow_name || ' for ' || v_customer_name || '.',
            jsonb_build_object('task_id', v_task_id, 'execution_id', e.id, 'assigned_by', v_me));
  end if;
  update app.workflow_executions x
     set metadata = app.with_history(x.metadata, jsonb_build_object('event', 'task_created', 'task_id', v_task_id))
   where x.id = e.id;
  return jsonb_build_object(
    'params', params || jsonb_build_object('priority', v_priority),
    'result', jsonb_build_object('task_id', v_task_id, 'due_date', v_when, 'priority', v_priority, 'assigned_to', v_assignee),
    'side_effects', '[]'::jsonb);
end;
$$;

create or replace function app.action_skip(a app.saved_actions, e app.workflow_executions, params jsonb, log_id uuid)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_reasons jsonb := app.action_limits(a.action_type, a.config, e.org_id) -> 'reasons';
  v_reason text := params ->> 'reason';
begin
  if v_reason is null or not (v_reasons ? v_reason) then
    raise exception 'reason must be one of: %', (select string_agg(r, ', ') from jsonb_array_elements_text(v_reasons) r)
      using errcode = '22023';
  end if;
  if e.status <> 'in_progress' then
    raise exception 'Cannot skip a step: the workflow is %', app.status_words(e.status) using errcode = 'PT409',
      hint = 'Start the workflow first.';
  end if;
  return jsonb_build_object(
    'params', params,
    'result', app.finish_step(e, params ->> 'step_key', 'skipped',
                              jsonb_strip_nulls(jsonb_build_object('note', app.trimmed(params ->> 'note'), 'action_log_id', log_id)), v_reason),
    'side_effects', '[]'::jsonb);
end;
$$;

create or replace function public.propose_action(action_key text, rationale text, params jsonb default '{}', execution_id uuid default null, thread_id uuid default null, message_id uuid default null, author_id uuid default null, source text default null, source_ref text default null)
returns jsonb
language plpgsql
set search_path = ''
as $$
#variable_conflict use_column
declare
  e app.workflow_executions;
  author app.profiles;
  p app.action_proposals;
  v_source text := coalesce(propose_action.source, case when propose_action.thread_id is not null then 'thread' else 'agent' end);
  v_author uuid := app.proposal_author_id(v_source, propose_action.author_id);
  v_execution uuid;
  v_params jsonb := coalesce(propose_action.params, '{}'::jsonb);
  v_action app.saved_actions;
begin
  if app.trimmed(propose_action.rationale) is null or length(propose_action.rationale) > 2000 then
    raise exception 'rationale is required (at most 2000 characters): why this action helps' using errcode = '22023';
  end if;
  if jsonb_typeof(v_params) <> 'object' then
    raise exception 'params must be a JSON object' using errcode = '22023';
  end if;
  v_execution := app.proposal_execution_id(v_source, propose_action.execution_id, propose_action.thread_id, propose_action.message_id);
  if v_execution is null then
    raise exception 'execution_id is required' using errcode = '22023';
  end if;
  select * into e from app.workflow_executions x where x.id = v_execution;
  if not found then
    raise exception 'Workflow execution not found' using errcode = 'PT404',
      hint = 'Check the id; you can only see workflows of your own organisation.';
  end if;
  -- Locked as the other writers of a workflow lock it (the assignee's workload, then the
  -- row), and who may propose and the workflow's state asked on the locked row: an
  -- escalation, a close or a reassignment committing now is waited for and seen, and one
  -- that starts now waits for this proposal.
  e := app.lock_workable_execution(e, 'propose actions on');
  author := app.proposal_author(e, v_author);
  perform app.require_workflow_accepts(e, 'action', 'propose an action on');
  v_action := app.available_action(propose_action.action_key, e.org_id);
  perform app.require_action_params(v_action.action_type, v_params);
  -- Within the limits the action will apply when it runs (app.action_limits): a proposal
  -- that could only be refused on Approve is refused now, naming the param and its values.
  perform app.require_params_within_limits(v_action.action_type, v_action.config, e.org_id, v_params);

  insert into app.action_proposals (org_id, execution_id, action_key, params, rationale, source, thread_id, message_id,
                                    source_ref, proposed_for)
  values (e.org_id, e.id, propose_action.action_key, v_params, app.trimmed(propose_action.rationale), v_source,
          propose_action.thread_id, propose_action.message_id, left(app.trimmed(propose_action.source_ref), 200), author.id)
  on conflict (execution_id, action_key, md5(params::text)) where status = 'proposed' do nothing
  returning * into p;
  if p.id is null then
    -- The same suggestion is already waiting: return it, notify nobody again.
    select * into p from app.action_proposals x
     where x.execution_id = e.id and x.action_key = propose_action.action_key and x.params = v_params and x.status = 'proposed';
    return app.proposal_json(p) || jsonb_build_object('duplicate', true);
  end if;
  perform app.notify_proposal(p, e, author.id, v_action.name);
  return app.proposal_json(p) || jsonb_build_object('duplicate', false);
end;
$$;

create or replace function app.workflow_definition_org_problems(org_id uuid, definition jsonb)
returns text[]
language sql
stable
set search_path = ''
as $$
  with branches as (
    select 'steps[' || (s.ord - 1) || '].branches[' || (b.ord - 1) || ']' as path, b.branch
      from jsonb_array_elements(workflow_definition_org_problems.definition -> 'steps') with ordinality as s(step, ord)
      cross join lateral jsonb_array_elements(coalesce(s.step -> 'branches', '[]'::jsonb)) with ordinality as b(branch, ord)
     where b.branch ->> 'type' = 'saved_action'
  ), actions as (
    select distinct on (a.key) a.key, a.action_type, a.config
      from app.saved_actions a
     where a.is_active and (a.org_id = workflow_definition_org_problems.org_id or a.org_id is null)
     order by a.key, a.org_id nulls last
  ), params as (
    select br.path, a.action_type, app.action_limits(a.action_type, a.config, workflow_definition_org_problems.org_id) as limits,
           x.key as param, x.value
      from branches br
      join actions a on a.key = br.branch ->> 'saved_action_key'
      cross join lateral jsonb_each(coalesce(br.branch -> 'config' -> 'defaults', '{}'::jsonb)) x
  )
  select coalesce(array_agg(problem order by problem), '{}') from (
    select br.path || '.saved_action_key "' || (br.branch ->> 'saved_action_key') || '" is not an action of your organisation' as problem
      from branches br
     where not exists (select 1 from actions a where a.key = br.branch ->> 'saved_action_key')
    union all
    select pr.path || '.config.defaults.' || pr.param || ' ' || case
             when pr.action_type = 'snooze' and pr.param = 'days' then
               'must be a whole number of days from ' || (pr.limits ->> 'min_days') || ' to ' || (pr.limits ->> 'max_days')
             when pr.action_type = 'escalate' and pr.param = 'level' then
               'must be one of ' || (select string_agg(x, ', ') from jsonb_array_elements_text(pr.limits -> 'levels') x)
             when pr.action_type = 'schedule_meeting' and pr.param = 'duration_minutes' then
               'must be one of ' || (select string_agg(x, ', ') from jsonb_array_elements_text(pr.limits -> 'durations_minutes') x)
             when pr.action_type = 'create_task' and pr.param = 'priority' then
               'must be one of ' || (select string_agg(x, ', ') from jsonb_array_elements_text(pr.limits -> 'priorities') x)
             when pr.action_type = 'skip' and pr.param = 'reason' then
               'must be one of the skip reasons'
             when pr.param in ('reason', 'title', 'description', 'task_type', 'note') then 'must be text'
             else 'is not a parameter of this action'
           end
      from params pr
     where not case
             when pr.action_type = 'snooze' and pr.param = 'days' then
               app.is_whole_number(pr.value)
               and (pr.value #>> '{}')::numeric between (pr.limits ->> 'min_days')::numeric and (pr.limits ->> 'max_days')::numeric
             when pr.action_type = 'snooze' then pr.param = 'reason' and jsonb_typeof(pr.value) = 'string'
             when pr.action_type = 'escalate' and pr.param = 'level' then (pr.limits -> 'levels') @> jsonb_build_array(pr.value)
             when pr.action_type = 'escalate' then pr.param = 'reason' and jsonb_typeof(pr.value) = 'string'
             when pr.action_type = 'schedule_meeting' and pr.param = 'duration_minutes' then
               app.is_whole_number(pr.value) and (pr.limits -> 'durations_minutes') @> jsonb_build_array(pr.value)
             when pr.action_type = 'schedule_meeting' then pr.param = 'title' and jsonb_typeof(pr.value) = 'string'
             when pr.action_type = 'create_task' and pr.param = 'priority' then (pr.limits -> 'priorities') @> jsonb_build_array(pr.value)
             when pr.action_type = 'create_task' then pr.param in ('task_type', 'title', 'description') and jsonb_typeof(pr.value) = 'string'
             when pr.action_type = 'skip' and pr.param = 'reason' then (pr.limits -> 'reasons') @> jsonb_build_array(pr.value)
             when pr.action_type = 'skip' then pr.param = 'note' and jsonb_typeof(pr.value) = 'string'
             when pr.action_type = 'custom' then true
             else false
           end
  ) problems
$$;
