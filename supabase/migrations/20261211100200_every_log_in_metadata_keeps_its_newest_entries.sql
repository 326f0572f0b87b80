-- Every log kept as a list in a row's metadata keeps its newest entries, as an execution's
-- history has since migration 20261206200000 (docs/business-rules.md "Actions").
--
-- What and why: besides metadata.history, four logs grew by one entry per call without
-- limit: an execution's `escalations` (escalate, withdraw, escalate again …) and `meetings`,
-- a task's `reassignments` (handed back and forth) and an artifact's `approval_log`
-- (approved, withdrawn, edited …). Each travels with every update and every read of its row
-- (the workflow page returns an execution's metadata whole; every artifact version copies
-- its artifact's metadata); an escalation's entry holds its reason (up to 2 000 characters),
-- so a workflow escalated and withdrawn a thousand times carried about 2 MB in every read. The database
-- reads only a log's newest entry (the escalation the hold opens with); the tables behind
-- them (workflow_escalations, workflow_meetings, the action log, the artifact's versions)
-- keep every one. Now every append goes through app.appended_to_log, which keeps the newest
-- app.execution_history_kept() entries (200), and
-- supabase/tests/structure/every_log_in_metadata_keeps_its_newest_entries.test.sql holds
-- every function to it.
--
-- Restated whole, each from its newest definition, with only the append changed:
-- app.with_history (20261206200000), app.action_escalate and app.task_reassign
-- (20261208600000), app.action_schedule_meeting (20261207003000), public.approve_artifact and
-- public.withdraw_overridden_approval (20261205221000), public.update_artifact (20261206226000).

-- A log (a JSON list, or null for none yet) with `entry` appended, keeping its newest entries.
create function app.appended_to_log(log jsonb, entry jsonb)
returns jsonb
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_log jsonb := coalesce(appended_to_log.log, '[]'::jsonb) || jsonb_build_array(appended_to_log.entry);
  v_over integer := jsonb_array_length(v_log) - app.execution_history_kept();
begin
  if v_over > 0 then
    v_log := (select jsonb_agg(l.entry order by l.n) from jsonb_array_elements(v_log) with ordinality l(entry, n)
               where l.n > v_over);
  end if;
  return v_log;
end;
$$;
comment on function app.appended_to_log(jsonb, jsonb) is
  'A log kept in a row''s metadata with one entry appended, keeping the newest app.execution_history_kept() entries.';
revoke execute on function app.appended_to_log(jsonb, jsonb) from public, anon;
grant execute on function app.appended_to_log(jsonb, jsonb) to authenticated, service_role;

create or replace function app.with_history(metadata jsonb, entry jsonb)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
begin
  return coalesce(with_history.metadata, '{}'::jsonb) || jsonb_build_object('history', app.appended_to_log(
    with_history.metadata -> 'history',
    jsonb_build_object('at', now(), 'by', (select auth.uid())) || with_history.entry));
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
                    || jsonb_build_object('escalations', app.appended_to_log(x.metadata -> 'escalations',
                      jsonb_strip_nulls(jsonb_build_object('level', v_level, 'reason', v_reason, 'by', v_me, 'at', now(),
                                         'manager_id', v_manager, 'from_status', e.status, 'snoozed_until', e.snoozed_until))))
   where x.id = e.id;
  if v_manager is not null and v_manager is distinct from v_me then
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
    -- The assignee's manager who escalated it knows: nobody is told of their own action.
    v_effects := jsonb_build_array(jsonb_build_object(
      'type', 'notify_manager', 'status', 'skipped', 'recipient_id', null, 'attempts', 0,
      'error', case when v_manager is null then 'The assignee has no manager to notify'
                    else 'You are the assignee''s manager' end,
      'updated_at', now()));
  end if;
  -- A manager or admin escalating someone else's work: its assignee learns it is on hold.
  perform app.notify(e.org_id, v_assignee, 'escalation',
                     'On hold, escalated by ' || coalesce((select p.full_name from app.profiles p where p.id = v_me), 'a manager')
                       || ': ' || v_workflow_name || ' for ' || v_customer_name,
                     v_reason,
                     jsonb_build_object('execution_id', e.id, 'level', v_level, 'escalated_by', v_me,
                                        'assignee_id', v_assignee, 'manager_id', v_manager));
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
                    || jsonb_build_object('meetings', app.appended_to_log(x.metadata -> 'meetings',
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

create or replace function app.task_reassign(t app.workflow_tasks, params jsonb)
returns app.workflow_tasks
language plpgsql
set search_path = ''
as $$
declare
  v_me uuid := (select auth.uid());
  v_new uuid := app.uuid_param(task_reassign.params, 'assignee_id');
  v_reason text;
  v_task app.workflow_tasks;
begin
  if v_new is null and coalesce(btrim(task_reassign.params ->> 'assignee_id'), '') <> '' then
    raise exception 'params.assignee_id must be a person''s id' using errcode = '22023',
      hint = 'Pick the person from the team list; their id is a UUID.';
  end if;
  if v_new is null then
    raise exception 'params.assignee_id is required: who takes the task over' using errcode = '22023';
  end if;
  v_reason := app.trimmed(task_reassign.params ->> 'reason');
  if v_reason is null then
    raise exception 'params.reason is required to reassign a task' using errcode = '22023';
  end if;
  perform app.require_person_who_can_take_work(t.org_id, v_new, 'params.assignee_id');
  if v_new = t.assigned_to then
    raise exception 'The task is already assigned to that person' using errcode = 'PT409';
  end if;
  update app.workflow_tasks x
     set assigned_to = v_new, reassigned_from = x.assigned_to, reassign_reason = v_reason, status = 'pending',
         snoozed_until = null,
         metadata = x.metadata || jsonb_build_object('reassignments',
           app.appended_to_log(x.metadata -> 'reassignments', jsonb_build_object(
             'from', x.assigned_to, 'to', v_new, 'reason', v_reason, 'by', v_me, 'at', now())))
   where x.id = t.id returning * into v_task;
  perform app.notify_task_handed_over(v_task, v_task.reassigned_from, v_reason);
  return v_task;
end;
$$;

create or replace function public.approve_artifact(artifact_id uuid, approved boolean default true)
returns jsonb
language plpgsql
volatile
set search_path = ''
as $$
declare
  artifact app.workflow_task_artifacts;
  settings app.organisation_settings;
begin
  if approve_artifact.approved is null then
    raise exception 'approved must be true or false' using errcode = '22023', hint = 'Pass false to withdraw an approval.';
  end if;
  artifact := app.artifact_for_write(approve_artifact.artifact_id);

  -- Four eyes: where approval is required, whoever wrote the current text approves it only
  -- when the organisation allows it — the creator, or the colleague who last rewrote it.
  if approve_artifact.approved and app.artifact_text_author(artifact) = (select auth.uid()) then
    select * into settings from app.organisation_settings s where s.org_id = artifact.org_id;
    if coalesce(settings.require_email_approval, true) and not coalesce(settings.allow_self_approval, false) then
      raise exception 'You may not approve a draft whose current text you wrote' using errcode = '42501',
        hint = 'Ask a manager or a colleague to approve it; an admin can allow self-approval in the organisation settings.';
    end if;
  end if;

  -- Approving an approved artifact (or withdrawing an unapproved one) changes nothing.
  if (artifact.approved_by is not null) = approve_artifact.approved then
    return app.artifact_json(artifact);
  end if;

  -- Withdrawing: a send waiting in the queue (or failed) is stopped with it; an email
  -- already delivered, or being delivered now, keeps its approval. Cancel first, then look:
  -- the cancel waits for a drain claiming the row right now, and the look after it (a new
  -- statement, so a new snapshot) sees what that claim committed.
  if not approve_artifact.approved and artifact.artifact_type = 'email_draft' then
    perform app.cancel_unsent_email(artifact.id, artifact.org_id, array['queued', 'failed'], 'Its approval was withdrawn before it went out');
    -- (its queued sends were cancelled just now, so what remains is on its way or sent)
    if app.email_is_sent_or_on_its_way(artifact) then
      raise exception 'This email was sent (or is being delivered now); its approval stays as it went out' using errcode = 'PT409',
        hint = 'To send something else, ask the assistant for a new draft or write one.';
    end if;
  end if;

  update app.workflow_task_artifacts a
     set approved_by = case when approve_artifact.approved then (select auth.uid()) end,
         approved_at = case when approve_artifact.approved then now() end,
         metadata = jsonb_set(a.metadata, '{approval_log}',
           app.appended_to_log(a.metadata -> 'approval_log', jsonb_build_object(
             'approved', approve_artifact.approved, 'by', (select auth.uid()), 'at', now())))
   where a.id = artifact.id
  returning * into artifact;
  return app.artifact_json(artifact);
end;
$$;

create or replace function public.update_artifact(artifact_id uuid, changes jsonb, base_version integer)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  artifact app.workflow_task_artifacts;
  unknown_key text;
  new_title text;
  new_content jsonb;
  new_metadata jsonb;
  content_changed boolean;
  withdrawn boolean := false;
begin
  if update_artifact.changes is null or jsonb_typeof(update_artifact.changes) <> 'object' or update_artifact.changes = '{}'::jsonb then
    raise exception 'changes must be a JSON object with title, content or metadata' using errcode = '22023',
      hint = 'Pass only the fields you change, e.g. {"content": {...}}.';
  end if;
  select k into unknown_key from jsonb_object_keys(update_artifact.changes) k
   where k not in ('title', 'content', 'metadata') limit 1;
  if unknown_key is not null then
    raise exception 'changes.% cannot be changed', unknown_key using errcode = '22023',
      hint = 'An update may change title, content and metadata.';
  end if;
  if update_artifact.changes ? 'title' and (jsonb_typeof(update_artifact.changes -> 'title') <> 'string'
     or app.trimmed(update_artifact.changes ->> 'title') is null) then
    raise exception 'changes.title must be non-empty text' using errcode = '22023', hint = 'Give the artifact a title.';
  end if;
  if update_artifact.changes ? 'content' and jsonb_typeof(update_artifact.changes -> 'content') = 'null' then
    raise exception 'changes.content must not be null' using errcode = '22023', hint = 'Pass the new content as JSON.';
  end if;
  if update_artifact.changes ? 'metadata' and jsonb_typeof(update_artifact.changes -> 'metadata') <> 'object' then
    raise exception 'changes.metadata must be a JSON object' using errcode = '22023', hint = 'Pass the metadata keys to set.';
  end if;
  perform app.refuse_reserved_artifact_metadata(update_artifact.changes -> 'metadata', 'changes.metadata');
  if update_artifact.base_version is null then
    raise exception 'base_version is required' using errcode = '22023',
      hint = 'Pass the version you edited, as returned by get_artifact.';
  end if;

  artifact := app.artifact_for_write(update_artifact.artifact_id);

  if artifact.version <> update_artifact.base_version then
    raise exception 'This artifact was changed by someone else: it is at version %, your edit is based on version %',
      artifact.version, update_artifact.base_version
      using errcode = 'PT409', hint = 'Reload the artifact, apply your change to the current version and save again.';
  end if;

  new_title := coalesce(update_artifact.changes ->> 'title', artifact.title);
  new_content := coalesce(update_artifact.changes -> 'content', artifact.content);
  new_metadata := artifact.metadata || coalesce(update_artifact.changes -> 'metadata', '{}'::jsonb);
  content_changed := new_content is distinct from artifact.content or new_title is distinct from artifact.title;
  withdrawn := content_changed and artifact.approved_by is not null;

  if withdrawn then
    new_metadata := jsonb_set(new_metadata, '{approval_log}',
      app.appended_to_log(new_metadata -> 'approval_log', jsonb_build_object(
        'approved', false, 'by', (select auth.uid()), 'at', now(), 'reason', 'content changed')));
  end if;

  update app.workflow_task_artifacts a
     set title = new_title,
         content = new_content,
         metadata = new_metadata,
         version = a.version + 1,
         approved_by = case when withdrawn then null else a.approved_by end,
         approved_at = case when withdrawn then null else a.approved_at end
   where a.id = artifact.id
  returning * into artifact;

  insert into app.workflow_task_artifact_versions (org_id, artifact_id, version, title, content, metadata, edited_by)
  values (artifact.org_id, artifact.id, artifact.version, artifact.title, artifact.content, artifact.metadata, (select auth.uid()));

  return app.artifact_json(artifact) || jsonb_build_object('approval_withdrawn', withdrawn);
end;
$$;

create or replace function public.withdraw_overridden_approval(executed_by uuid, execution_id uuid, params jsonb)
returns boolean
language plpgsql
volatile
set search_path = ''
as $$
declare
  v_art app.workflow_task_artifacts;
  v_overrides text[];
begin
  select t.* into v_art
    from app.workflow_task_artifacts t
    join app.profiles p on p.id = withdraw_overridden_approval.executed_by and p.org_id = t.org_id
   where t.id = app.uuid_param(withdraw_overridden_approval.params, 'artifact_id')
     and t.execution_id = withdraw_overridden_approval.execution_id
     and t.artifact_type = 'email_draft' and t.approved_by is not null
   for update of t;
  if not found or app.email_is_sent_or_on_its_way(v_art) then
    return false;
  end if;
  v_overrides := app.email_overrides(v_art, withdraw_overridden_approval.params);
  if cardinality(v_overrides) = 0 then
    return false;
  end if;
  perform app.cancel_unsent_email(v_art.id, v_art.org_id, array['failed'], 'Its approval was withdrawn before it went out');
  update app.workflow_task_artifacts t
     set approved_by = null, approved_at = null,
         metadata = jsonb_set(t.metadata, '{approval_log}',
           app.appended_to_log(t.metadata -> 'approval_log', jsonb_build_object(
             'approved', false, 'by', withdraw_overridden_approval.executed_by, 'at', now(),
             'reason', 'send asked for other ' || array_to_string(v_overrides, ' and '))))
   where t.id = v_art.id;
  return true;
end;
$$;

