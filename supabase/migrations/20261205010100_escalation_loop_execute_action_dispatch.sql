-- execute_action becomes a guard and a dispatcher over one small function per action kind
-- (app.action_snooze, app.action_skip, app.action_escalate, app.action_schedule_meeting,
-- app.action_send_email, app.action_create_task, app.action_custom), and `escalated` is a
-- hold (docs/escalation-loop.md "Escalation, hand-back and reassignment").
--
-- Why: the 330-line body could not be read on one screen, and the escalation loop needs a
-- rule in the guard that every action obeys. Behaviour is unchanged except:
-- - an escalated workflow refuses every action (PT409): it waits for its assignee to
--   withdraw the escalation or for a manager's decision (resolve_escalation). Before, the
--   assignee could keep working on it, escalate it again or skip its steps;
-- - escalate also opens the workflow's row in app.workflow_escalations (with the status
--   and snooze it had, so a return puts it back there) and records the snooze it ends.
--
-- Each app.action_<kind>(a, e, params, log_id) runs as the caller (RLS applies) — what it
-- records in the execution's history or the step's outcome names its log row — after the
-- guard has claimed the idempotency key and locked the execution, and returns
-- {params, result, side_effects}: the params as applied (defaults filled in), the result
-- and the side effects the log records.

-- What the messages of an action name: the customer's and the workflow's names.
create or replace function app.action_context(e app.workflow_executions)
returns table (customer_name text, workflow_name text)
language sql
stable
set search_path = ''
as $$
  select c.name, w.name
    from app.customers c, app.workflows w
   where c.id = (action_context.e).customer_id and w.id = (action_context.e).workflow_id
$$;

-- ---------------------------------------------------------------------------- snooze
create or replace function app.action_snooze(a app.saved_actions, e app.workflow_executions, params jsonb, log_id uuid)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_settings app.organisation_settings;
  v_min integer;
  v_max integer;
  v_days integer;
  v_reason text;
  v_until timestamptz;
begin
  select * into v_settings from app.organisation_settings s where s.org_id = e.org_id;
  v_min := coalesce((a.config ->> 'min_days')::integer, v_settings.snooze_min_days, 1);
  v_max := coalesce((a.config ->> 'max_days')::integer, v_settings.snooze_max_days, 30);
  if params ? 'days' then
    if jsonb_typeof(params -> 'days') <> 'number' or (params ->> 'days')::numeric <> trunc((params ->> 'days')::numeric) then
      raise exception 'days must be a whole number of days between % and %', v_min, v_max using errcode = '22023';
    end if;
    v_days := (params ->> 'days')::numeric::integer;
  else
    v_days := coalesce((a.config ->> 'default_days')::integer, v_settings.snooze_default_days, 7);
  end if;
  if v_days < v_min or v_days > v_max then
    raise exception 'days must be between % and %', v_min, v_max using errcode = '22023',
      hint = 'Snooze for ' || v_min || ' to ' || v_max || ' days.';
  end if;
  v_reason := nullif(btrim(params ->> 'reason'), '');
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

-- ---------------------------------------------------------------------------- skip
create or replace function app.action_skip(a app.saved_actions, e app.workflow_executions, params jsonb, log_id uuid)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_reasons jsonb := coalesce(a.config -> 'reasons',
    '["Not applicable", "Already completed", "Customer requested skip", "Internal decision", "Other"]'::jsonb);
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
                              jsonb_strip_nulls(jsonb_build_object('note', params ->> 'note', 'action_log_id', log_id)), v_reason),
    'side_effects', '[]'::jsonb);
end;
$$;

-- ---------------------------------------------------------------------------- escalate
create or replace function app.action_escalate(a app.saved_actions, e app.workflow_executions, params jsonb, log_id uuid)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_me uuid := (select auth.uid());
  v_levels jsonb := coalesce(a.config -> 'levels', '["manager", "vp_cs", "ceo"]'::jsonb);
  v_level text := coalesce(params ->> 'level', a.config ->> 'default_level', 'manager');
  v_reason text := nullif(btrim(params ->> 'reason'), '');
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
  update app.workflow_executions x
     set status = 'escalated',
         snoozed_until = null,
         metadata = app.with_history(x.metadata, jsonb_build_object(
                      'event', 'escalated', 'level', v_level, 'reason', v_reason, 'from_status', e.status))
                    || jsonb_build_object('escalations', coalesce(x.metadata -> 'escalations', '[]'::jsonb) || jsonb_build_array(
                      jsonb_strip_nulls(jsonb_build_object('level', v_level, 'reason', v_reason, 'by', v_me, 'at', now(),
                                         'manager_id', v_manager, 'from_status', e.status, 'snoozed_until', e.snoozed_until))))
   where x.id = e.id;
  insert into app.workflow_escalations (org_id, execution_id, level, reason, escalated_by, assignee_id, manager_id,
                                        from_status, from_snoozed_until, action_execution_id)
  values (e.org_id, e.id, v_level, v_reason, v_me, v_assignee, v_manager, e.status, e.snoozed_until, log_id);
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

-- ---------------------------------------------------------------------------- schedule_meeting
create or replace function app.action_schedule_meeting(a app.saved_actions, e app.workflow_executions, params jsonb, log_id uuid)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_me uuid := (select auth.uid());
  v_durations jsonb := coalesce(a.config -> 'durations_minutes', '[15, 30, 45, 60]'::jsonb);
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
    if jsonb_typeof(params -> 'duration_minutes') <> 'number' or not (v_durations @> jsonb_build_array(params -> 'duration_minutes')) then
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
  v_title := coalesce(nullif(btrim(params ->> 'title'), ''), 'Follow-up: ' || v_customer_name);
  insert into app.workflow_tasks (org_id, customer_id, execution_id, step_key, title, description, task_type,
                                  priority, assigned_to, created_by, due_date, metadata)
  values (e.org_id, e.customer_id, e.id, e.current_step_key, 'Hold meeting: ' || v_title,
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

-- ---------------------------------------------------------------------------- send_email
create or replace function app.action_send_email(a app.saved_actions, e app.workflow_executions, params jsonb, log_id uuid)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_me uuid := (select auth.uid());
  v_settings app.organisation_settings;
  v_art_id uuid := app.uuid_param(params, 'artifact_id');
  v_art app.workflow_task_artifacts;
  v_requires_approval boolean;
  v_overrides text[];
  v_prior text;
  v_to text[];
  v_cc text[];
  v_subject text;
  v_id uuid;
begin
  if v_art_id is null then
    raise exception 'artifact_id is required: the id of the email draft to send' using errcode = '22023';
  end if;
  if params ? 'resend' and jsonb_typeof(params -> 'resend') <> 'boolean' then
    raise exception 'resend must be true or false' using errcode = '22023';
  end if;
  -- The draft is locked: an edit, an approval or another send of it waits for this one.
  select * into v_art from app.workflow_task_artifacts t where t.id = v_art_id and t.execution_id = e.id for update;
  if not found or v_art.artifact_type <> 'email_draft' then
    raise exception 'artifact_id must be an email draft of this workflow' using errcode = '22023';
  end if;
  select * into v_settings from app.organisation_settings s where s.org_id = e.org_id;
  v_requires_approval := case
    when jsonb_typeof(a.config -> 'requires_approval') = 'boolean' then (a.config ->> 'requires_approval')::boolean
    else coalesce(v_settings.require_email_approval, true) end;
  if v_requires_approval and v_art.approved_at is null then
    raise exception 'Cannot send this email: the draft is not approved' using errcode = 'PT409',
      hint = 'Your organisation requires approval: approve the draft, then send it.';
  end if;
  -- An approval covers the draft's recipients and subject; asking for others is not the
  -- approved email. (The execute-action function then withdraws the approval.)
  v_overrides := app.email_overrides(v_art, params);
  if v_requires_approval and cardinality(v_overrides) > 0 then
    raise exception 'Cannot send this email: its % differ from the approved draft', array_to_string(v_overrides, ' and ')
      using errcode = 'PT409', detail = 'approval_overridden',
      hint = 'Send the draft as approved, or change the draft itself and have it approved again.';
  end if;
  -- Once sent (or on its way), sending it again is an explicit resend.
  select o.status into v_prior from app.email_outbox o
   where o.artifact_id = v_art.id and o.status in ('queued', 'sending', 'sent', 'delivered_to_sink')
   order by o.created_at desc limit 1;
  if found and not coalesce((params ->> 'resend')::boolean, false) then
    raise exception 'Cannot send this email: it was already sent%',
      case when v_prior in ('queued', 'sending') then ' (it is on its way)' else '' end
      using errcode = 'PT409', hint = 'To send it again, pass resend: true.';
  end if;
  if v_requires_approval then
    v_to := app.email_list(v_art.content -> 'to');
    v_cc := coalesce(app.email_list(v_art.content -> 'cc'), '{}');
    v_subject := coalesce(nullif(btrim(v_art.content ->> 'subject'), ''), v_art.title);
  else
    v_to := app.email_list(coalesce(params -> 'to', v_art.content -> 'to'));
    v_cc := coalesce(app.email_list(coalesce(params -> 'cc', v_art.content -> 'cc')), '{}');
    v_subject := coalesce(nullif(btrim(params ->> 'subject'), ''), nullif(btrim(v_art.content ->> 'subject'), ''), v_art.title);
  end if;
  if v_to is null or cardinality(v_to) = 0 then
    raise exception 'to is required: the draft has no valid recipient' using errcode = '22023',
      hint = 'Add recipients to the draft.';
  end if;
  insert into app.email_outbox (org_id, execution_id, artifact_id, action_execution_id, requested_by,
                                to_addresses, cc_addresses, subject, body_text, body_html, status)
  values (e.org_id, e.id, v_art.id, log_id, v_me, v_to, v_cc, v_subject,
          coalesce(v_art.content ->> 'body', v_art.content ->> 'text', ''), v_art.content ->> 'html', 'queued')
  returning id into v_id;
  update app.workflow_executions x
     set metadata = app.with_history(x.metadata, jsonb_build_object(
                      'event', 'email_queued', 'outbox_id', v_id, 'artifact_id', v_art.id))
   where x.id = e.id;
  return jsonb_build_object(
    'params', params,
    'result', jsonb_build_object('outbox_id', v_id, 'artifact_id', v_art.id, 'to', to_jsonb(v_to),
                                 'cc', to_jsonb(v_cc), 'subject', v_subject, 'status', 'queued',
                                 'resend', coalesce((params ->> 'resend')::boolean, false)),
    'side_effects', jsonb_build_array(jsonb_build_object(
      'type', 'send_email', 'status', 'pending', 'outbox_id', v_id, 'attempts', 0, 'error', null, 'updated_at', now())));
end;
$$;

-- ---------------------------------------------------------------------------- create_task
create or replace function app.action_create_task(a app.saved_actions, e app.workflow_executions, params jsonb, log_id uuid)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_me uuid := (select auth.uid());
  v_when timestamptz := app.timestamp_param(params, 'due_date');
  v_priorities jsonb := coalesce(a.config -> 'priorities', '["low", "medium", "high", "urgent"]'::jsonb);
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
  if not (v_priorities ? v_priority) then
    raise exception 'priority must be one of: %', (select string_agg(r, ', ') from jsonb_array_elements_text(v_priorities) r)
      using errcode = '22023';
  end if;
  if v_type not in (
    'review_contract', 'draft_email', 'schedule_meeting', 'analyze_usage', 'prepare_proposal', 'follow_up',
    'escalate', 'update_crm', 'get_transcript', 'review_recommendation', 'custom') then
    raise exception 'task_type is not a known task type' using errcode = '22023';
  end if;
  if params ? 'assigned_to' then
    v_assignee := app.uuid_param(params, 'assigned_to');
    if v_assignee is null or not exists (select 1 from app.profiles p where p.id = v_assignee and p.org_id = e.org_id) then
      raise exception 'assigned_to must be a member of your organisation' using errcode = '22023';
    end if;
  else
    v_assignee := coalesce(e.assigned_to, v_me);
  end if;
  select x.customer_name, x.workflow_name into v_customer_name, v_workflow_name from app.action_context(e) x;
  v_title := coalesce(nullif(btrim(params ->> 'title'), ''), 'Follow up with ' || v_customer_name);
  insert into app.workflow_tasks (org_id, customer_id, execution_id, step_key, title, description, task_type,
                                  priority, assigned_to, created_by, due_date, metadata)
  values (e.org_id, e.customer_id, e.id, e.current_step_key, v_title, params ->> 'description', v_type,
          v_priority, v_assignee, v_me, v_when, jsonb_build_object('action_execution_id', log_id))
  returning id into v_task_id;
  if v_assignee <> v_me then
    insert into app.notifications (org_id, user_id, notification_type, title, body, data)
    values (e.org_id, v_assignee, 'task_assigned', 'New task: ' || v_title,
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

-- ---------------------------------------------------------------------------- custom
create or replace function app.action_custom(a app.saved_actions, e app.workflow_executions, params jsonb, log_id uuid)
returns jsonb
language plpgsql
set search_path = ''
as $$
begin
  update app.workflow_executions x
     set metadata = app.with_history(x.metadata, jsonb_build_object('event', 'custom_action', 'action_key', a.key,
                                                                    'action_log_id', log_id))
   where x.id = e.id;
  return jsonb_build_object('params', params, 'result', jsonb_build_object('recorded', true), 'side_effects', '[]'::jsonb);
end;
$$;

-- ---------------------------------------------------------------------------- the guard and the dispatch
create or replace function public.execute_action(
  action_key text,
  execution_id uuid,
  params jsonb default '{}'::jsonb,
  idempotency_key text default null
)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_me uuid := (select auth.uid());
  v_org uuid := app.current_org_id();
  v_role text := app.current_member_role();
  v_params jsonb := coalesce(execute_action.params, '{}'::jsonb);
  v_key text := execute_action.idempotency_key;
  a app.saved_actions;
  e app.workflow_executions;
  prior app.action_executions;
  v_log_id uuid;
  v_applied jsonb;
begin
  if v_org is null or v_role not in ('csm', 'manager', 'admin') then
    raise exception 'Your role may not run actions on workflows' using errcode = '42501',
      hint = 'Viewers can read workflows but not change them.';
  end if;
  if coalesce(btrim(execute_action.action_key), '') = '' then
    raise exception 'action_key is required' using errcode = '22023';
  end if;
  if jsonb_typeof(v_params) <> 'object' then
    raise exception 'params must be a JSON object' using errcode = '22023';
  end if;
  if v_key is not null and (btrim(v_key) = '' or length(v_key) > 200) then
    raise exception 'idempotency_key must be 1 to 200 characters' using errcode = '22023';
  end if;
  select * into a from app.saved_actions s
   where s.key = execute_action.action_key and s.is_active and (s.org_id = v_org or s.org_id is null)
   order by s.org_id nulls last limit 1;
  if not found then
    raise exception 'action_key "%" is not an action available to your organisation', execute_action.action_key
      using errcode = '22023', hint = 'See list_saved_actions for the available keys.';
  end if;
  e := app.require_workable_execution(execute_action.execution_id, 'run actions on');

  -- Claim the idempotency key before anything else; a concurrent call with the same key
  -- waits here until this transaction ends, then replays.
  v_log_id := app.claim_action_log(e.id, a.id, v_params, v_key);
  if v_log_id is null then
    select * into prior from app.action_executions x
     where x.org_id = v_org and x.executed_by = v_me and x.idempotency_key = v_key;
    if prior.execution_id is distinct from e.id or prior.action_key is distinct from a.key then
      raise exception 'this key was used for a different request' using errcode = 'PT409',
        hint = 'Use a new idempotency key for each new action; a retry repeats the same action, workflow and params.';
    end if;
    return jsonb_build_object(
      'action_execution_id', prior.id, 'action_key', prior.action_key, 'success', prior.success,
      'result', prior.result, 'execution', app.execution_summary(e.id),
      'side_effects', prior.side_effects, 'replayed', true);
  end if;

  -- Guard: workload lock, then the row, then the state.
  perform app.lock_assignee_workload(e.assigned_to);
  select * into e from app.workflow_executions x where x.id = e.id for update;
  if e.status = 'escalated' then
    raise exception 'Cannot run "%" on this workflow: it is escalated and waits for a decision', a.name
      using errcode = 'PT409',
      hint = 'Its assignee can withdraw the escalation; a manager can return, reassign or close it.';
  end if;
  if not app.is_open_status(e.status) then
    raise exception 'Cannot run "%" on this workflow: it is %', a.name, app.status_words(e.status)
      using errcode = 'PT409', hint = 'Closed workflows cannot change.';
  end if;

  v_applied := case a.action_type
    when 'snooze' then app.action_snooze(a, e, v_params, v_log_id)
    when 'skip' then app.action_skip(a, e, v_params, v_log_id)
    when 'escalate' then app.action_escalate(a, e, v_params, v_log_id)
    when 'schedule_meeting' then app.action_schedule_meeting(a, e, v_params, v_log_id)
    when 'send_email' then app.action_send_email(a, e, v_params, v_log_id)
    when 'create_task' then app.action_create_task(a, e, v_params, v_log_id)
    else app.action_custom(a, e, v_params, v_log_id)
  end;

  perform app.complete_action_log(v_log_id, v_applied -> 'params', v_applied -> 'result', v_applied -> 'side_effects');

  return jsonb_build_object(
    'action_execution_id', v_log_id, 'action_key', a.key, 'success', true, 'result', v_applied -> 'result',
    'execution', app.execution_summary(e.id), 'side_effects', v_applied -> 'side_effects', 'replayed', false);
end;
$$;
comment on function public.execute_action(text, uuid, jsonb, text) is
  'Applies a saved action''s state change and logs it; idempotent under idempotency_key (replayed: true). An escalated workflow refuses actions.';
revoke execute on function public.execute_action(text, uuid, jsonb, text) from public, anon;
grant execute on function public.execute_action(text, uuid, jsonb, text) to authenticated;

do $$
declare
  fn text;
begin
  foreach fn in array array['action_snooze', 'action_skip', 'action_escalate', 'action_schedule_meeting',
                            'action_send_email', 'action_create_task', 'action_custom'] loop
    execute format('revoke execute on function app.%I(app.saved_actions, app.workflow_executions, jsonb, uuid) from public, anon', fn);
    execute format('grant execute on function app.%I(app.saved_actions, app.workflow_executions, jsonb, uuid) to authenticated, service_role', fn);
  end loop;
end
$$;
revoke execute on function app.action_context(app.workflow_executions) from public, anon;
grant execute on function app.action_context(app.workflow_executions) to authenticated, service_role;
