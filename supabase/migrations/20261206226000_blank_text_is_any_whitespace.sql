-- Text made only of whitespace is blank, whatever the whitespace
-- (docs/business-rules.md "Required text").
--
-- What and why: the required reasons and notes were checked with btrim(), which strips
-- spaces only. "   " was refused, but a reason of a tab or a line break was accepted and
-- stored: an escalation "\n\t", a withdrawal "\n", a snooze "\t", a cancellation "\r\n", an
-- escalation decision's note " \t\n" (an attacker's review). The rule is now one helper,
-- app.trimmed: the text without the whitespace around it (spaces, tabs, line breaks, the
-- no-break and other Unicode spaces, and the invisible characters that show as nothing:
-- app.blank_characters), or null when nothing is left. Every required free text now uses it:
-- - app.required_text: the reasons and notes of cancel, complete, reassign, resolve and
--   withdraw;
-- - the reasons of the escalate and snooze actions, of a task's skip and reassignment;
-- - a task's title (create_task 20261206230000, update_task, and the create_task action's
--   own title, which falls back to its default when blank);
-- - an artifact's title (app.check_new_artifact for create_artifact, the agent's and the
--   assistant's drafts; update_artifact) and an agent draft's agent name;
-- - an engagement's summary (app.log_engagement);
-- - a proposal's rationale (propose_action 20261206231000);
-- - an invited person's name (app.invitation_organisation, for the invite function's check
--   and write), a new organisation's name and its admin's name (create_organisation);
-- - an email's body when it is sent, and its subject, which falls back to the draft's
--   title when blank (app.action_send_email, app.email_overrides);
-- - a webhook secret's label, a custom saved action's name, a workflow definition's name
--   and step titles (app.definition_text_problem, app.definition_field_problems);
-- - a chat message's content (post_chat_message), a history search's query, and the
--   schedule-meeting action's title (which falls back to its default when blank).
-- Functions restated whole from their latest definitions (required_text 20261204000500,
-- action_escalate 20261204000600, action_snooze 20261206213000, task_skip 20261204000700, update_task
-- 20261206204000, task_reassign 20261206215000, check_new_artifact, update_artifact,
-- create_agent_draft and email_overrides 20261204000800, log_engagement and
-- search_customer_history 20261204000400, action_create_task 20261205223500,
-- invitation_organisation 20261205194500, create_organisation 20261204000200,
-- action_send_email 20261205221000, create_webhook_secret 20261204000900,
-- check_saved_action_texts and definition_field_problems 20261204001200,
-- definition_text_problem 20261205064500, post_chat_message 20261205200000,
-- action_schedule_meeting 20261206213000); the helper is the only change.
-- supabase/tests/required_text/blank_text_is_any_whitespace.test.sql sends each of them blanks.

-- The characters that are blank (a regular-expression bracket expression): whitespace and
-- what shows as nothing on its own. One list, for app.trimmed's two ends.
create or replace function app.blank_characters()
returns text
language plpgsql
immutable
set search_path = ''
as $$
begin
  return '[[:space:]\u0001-\u001f\u007f-\u00a0\u00ad\u034f\u061c\u115f\u1160\u1680\u17b4\u17b5'
    || '\u180b-\u180f\u2000-\u200f\u2028-\u202f\u205f-\u206f\u2800\u3000\u3164\ufe00-\ufe0f'
    || '\ufeff\uffa0\ufff0-\ufffb\U000e0000-\U000e007f]';
end;
$$;
revoke execute on function app.blank_characters() from public, anon;
grant execute on function app.blank_characters() to authenticated, service_role;

-- `value` without the whitespace around it, or null when nothing is left.
create or replace function app.trimmed(value text)
returns text
language plpgsql
immutable
set search_path = ''
as $$
begin
  -- [[:space:]] follows the database's locale, which in C.UTF-8 leaves out the no-break
  -- spaces and the other characters Unicode calls whitespace. They are named here, with the
  -- characters that show as nothing on their own: control characters, format characters
  -- (soft hyphen, zero-width spaces and joiners, direction marks and isolates, word
  -- joiner, byte-order mark, tags), the grapheme joiner, variation selectors, Mongolian
  -- and Khmer vowel separators and inherent vowels, the Hangul fillers and the blank
  -- Braille pattern.
  return nullif(pg_catalog.regexp_replace(trimmed.value,
    '^' || app.blank_characters() || '+|' || app.blank_characters() || '+$', '', 'g'), '');
end;
$$;
revoke execute on function app.trimmed(text) from public, anon;
grant execute on function app.trimmed(text) to authenticated, service_role;

create or replace function app.required_text(value text, name text, what text)
returns text
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_text text := app.trimmed(required_text.value);
begin
  if v_text is null then
    raise exception '% is required %', required_text.name, required_text.what using errcode = '22023';
  end if;
  if length(required_text.value) > 2000 then
    raise exception '% must be at most 2000 characters', required_text.name using errcode = '22023';
  end if;
  return v_text;
end;
$$;

create or replace function app.action_escalate(a app.saved_actions, e app.workflow_executions, params jsonb, log_id uuid)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_me uuid := (select auth.uid());
  v_levels jsonb := coalesce(a.config -> 'levels', to_jsonb(app.lookup_keys('escalation_level')));
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

create or replace function app.task_skip(t app.workflow_tasks, params jsonb)
returns app.workflow_tasks
language plpgsql
set search_path = ''
as $$
declare
  v_reason text := app.trimmed(task_skip.params ->> 'reason');
  v_task app.workflow_tasks;
begin
  if v_reason is null then
    raise exception 'reason is required to skip a task' using errcode = '22023';
  end if;
  update app.workflow_tasks x set status = 'skipped', skip_reason = v_reason, skipped_at = now(), snoozed_until = null
   where x.id = t.id returning * into v_task;
  return v_task;
end;
$$;

create or replace function public.update_task(task_id uuid, changes jsonb)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  t app.workflow_tasks;
  v_key text;
  v_due timestamptz;
begin
  if update_task.changes is null or jsonb_typeof(update_task.changes) <> 'object' or update_task.changes = '{}'::jsonb then
    raise exception 'changes must be a JSON object with at least one field' using errcode = '22023';
  end if;
  for v_key in select jsonb_object_keys(update_task.changes) loop
    if v_key not in ('title', 'description', 'priority', 'due_date') then
      raise exception 'changes.% cannot be changed here', v_key using errcode = '22023',
        hint = 'update_task changes title, description, priority and due_date; use act_on_task for status.';
    end if;
  end loop;
  perform app.require_text_params(update_task.changes, array['title', 'description', 'priority', 'due_date'], 'changes');
  if update_task.changes ? 'title' and app.trimmed(update_task.changes ->> 'title') is null then
    raise exception 'changes.title must not be blank' using errcode = '22023';
  end if;
  if update_task.changes ? 'priority' then
    perform app.require_task_priority(coalesce(update_task.changes ->> 'priority', ''), 'changes.priority');
  end if;
  if update_task.changes ? 'due_date' then
    v_due := app.timestamp_param(update_task.changes, 'due_date');
  end if;
  t := app.lock_task(update_task.task_id, 'change');
  if t.status not in ('pending', 'in_progress', 'snoozed') then
    raise exception 'Cannot change this task: it is %', t.status using errcode = 'PT409',
      hint = 'Completed and skipped tasks are kept as they were.';
  end if;
  update app.workflow_tasks x
     set title = case when update_task.changes ? 'title' then app.trimmed(update_task.changes ->> 'title') else x.title end,
         description = case when update_task.changes ? 'description' then update_task.changes ->> 'description' else x.description end,
         priority = case when update_task.changes ? 'priority' then update_task.changes ->> 'priority' else x.priority end,
         due_date = case when update_task.changes ? 'due_date' then v_due else x.due_date end
   where x.id = t.id
  returning * into t;
  return app.task_json(t, app.organisation_today(t.org_id));
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
           coalesce(x.metadata -> 'reassignments', '[]'::jsonb) || jsonb_build_array(jsonb_build_object(
             'from', x.assigned_to, 'to', v_new, 'reason', v_reason, 'by', v_me, 'at', now())))
   where x.id = t.id returning * into v_task;
  insert into app.notifications (org_id, user_id, notification_type, title, body, data)
  values (v_task.org_id, v_new, 'task_reassigned', 'Task handed to you: ' || v_task.title, v_reason,
          jsonb_build_object('task_id', v_task.id, 'reassigned_by', v_me, 'reassigned_from', v_task.reassigned_from));
  return v_task;
end;
$$;

create or replace function app.check_new_artifact(artifact_type text, title text, content jsonb)
returns void
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_types constant text[] := app.artifact_types();
begin
  if check_new_artifact.artifact_type is null or not check_new_artifact.artifact_type = any (v_types) then
    raise exception 'artifact_type "%" is not known', check_new_artifact.artifact_type using errcode = '22023',
      hint = format('Use %s or %s.', array_to_string(v_types[1:cardinality(v_types) - 1], ', '), v_types[cardinality(v_types)]);
  end if;
  if app.trimmed(check_new_artifact.title) is null then
    raise exception 'title must not be empty' using errcode = '22023', hint = 'Give the artifact a title.';
  end if;
  if check_new_artifact.content is null then
    raise exception 'content is required' using errcode = '22023', hint = 'Pass the artifact''s content as JSON.';
  end if;
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
      coalesce(new_metadata -> 'approval_log', '[]'::jsonb) || jsonb_build_array(jsonb_build_object(
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

create or replace function public.create_agent_draft(execution_id uuid, artifact_type text, title text, content jsonb, agent_name text)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  created jsonb;
  v_agent text := app.trimmed(create_agent_draft.agent_name);
begin
  if v_agent is null or length(v_agent) > 100 then
    raise exception 'agent_name is required (at most 100 characters): the client that drafted it' using errcode = '22023';
  end if;
  created := public.create_artifact(
    execution_id => create_agent_draft.execution_id,
    artifact_type => create_agent_draft.artifact_type,
    title => create_agent_draft.title,
    content => create_agent_draft.content
  );
  return app.artifact_json(app.mark_artifact_drafted_by_agent((created ->> 'id')::uuid, v_agent));
end;
$$;

create or replace function app.log_engagement(customer_id uuid, kind text, occurred_at timestamptz, summary text, details jsonb)
returns jsonb
language plpgsql
security definer -- the insert policy on engagement_events is managers/admins only; the checks below allow csms too
set search_path = ''
as $$
declare
  v_me uuid := (select auth.uid());
  v_org uuid := app.current_org_id();
  v_role text := app.current_member_role();
  v_summary text := coalesce(app.trimmed(log_engagement.summary), '');
  v_details jsonb := coalesce(log_engagement.details, '{}'::jsonb);
  e app.engagement_events;
begin
  if v_org is null then
    raise exception 'Only members of an organisation can log activity' using errcode = '42501';
  end if;
  if v_role not in ('csm', 'manager', 'admin') then
    raise exception 'Your role may not log activity' using errcode = '42501',
      hint = 'Viewers can read a customer''s timeline but not add to it.';
  end if;
  if log_engagement.customer_id is null then
    raise exception 'customer_id is required' using errcode = '22023';
  end if;
  if not exists (select 1 from app.customers c where c.id = log_engagement.customer_id and c.org_id = v_org) then
    raise exception 'Customer not found' using errcode = 'PT404',
      hint = 'Check the id; you can only see customers of your own organisation.';
  end if;
  if log_engagement.kind is null or log_engagement.kind not in ('note', 'call', 'meeting', 'email') then
    raise exception 'kind must be note, call, meeting or email' using errcode = '22023';
  end if;
  if log_engagement.occurred_at is null then
    raise exception 'occurred_at is required' using errcode = '22023', hint = 'When did it happen?';
  end if;
  -- What happened, not what is planned (a few minutes' grace for a skewed clock).
  if log_engagement.occurred_at > now() + interval '5 minutes' or log_engagement.occurred_at < now() - interval '10 years' then
    raise exception 'occurred_at must be in the past (within the last ten years)' using errcode = '22023',
      hint = 'Log what happened; plan future meetings as tasks.';
  end if;
  if v_summary = '' then
    raise exception 'summary is required' using errcode = '22023', hint = 'Say in a few words what happened.';
  end if;
  if length(v_summary) > 4000 then
    raise exception 'summary must be at most 4000 characters' using errcode = '22023';
  end if;
  if jsonb_typeof(v_details) <> 'object' then
    raise exception 'details must be a JSON object' using errcode = '22023';
  end if;
  if length(v_details::text) > 16000 then
    raise exception 'details must be at most 16 kB' using errcode = '22023';
  end if;

  insert into app.engagement_events (org_id, customer_id, event_type, occurred_at, title, description, metadata, source)
  values (v_org, log_engagement.customer_id, log_engagement.kind, log_engagement.occurred_at,
          left(split_part(v_summary, E'\n', 1), 200), v_summary,
          jsonb_build_object('details', v_details, 'logged_by', v_me), 'manual')
  returning * into e;

  return jsonb_build_object(
    'id', e.id, 'customer_id', e.customer_id, 'kind', e.event_type, 'occurred_at', e.occurred_at,
    'summary', e.description, 'details', v_details, 'logged_by', v_me, 'created_at', e.created_at);
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
  v_priorities text[] := coalesce(array(select jsonb_array_elements_text(a.config -> 'priorities')), app.lookup_keys('task_priority'));
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
  values (e.org_id, e.customer_id, e.id, e.current_step_key, v_title, params ->> 'description', v_type,
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

create or replace function app.invitation_organisation(actor_id uuid, email text, full_name text, role text, manager_id uuid, title text, experience_level text)
returns uuid
language plpgsql
stable
set search_path = ''
as $$
declare
  v_org uuid;
begin
  select p.org_id into v_org from app.profiles p
   where p.id = invitation_organisation.actor_id and p.role = 'admin' and p.deactivated_at is null;
  if v_org is null then
    raise exception 'Only active admins can invite people' using errcode = '42501';
  end if;
  if invitation_organisation.role is null or invitation_organisation.role not in ('admin', 'manager', 'csm', 'viewer') then
    raise exception 'role must be one of admin, manager, csm, viewer' using errcode = '22023';
  end if;
  if app.trimmed(invitation_organisation.full_name) is null or length(invitation_organisation.full_name) > 200 then
    raise exception 'full_name is required (at most 200 characters)' using errcode = '22023';
  end if;
  -- the bound update_person puts on a title
  if length(invitation_organisation.title) > 120 then
    raise exception 'title must be text of at most 120 characters' using errcode = '22023';
  end if;
  if invitation_organisation.experience_level is not null
     and invitation_organisation.experience_level not in ('junior', 'mid', 'senior', 'expert') then
    raise exception 'experience_level must be one of junior, mid, senior, expert' using errcode = '22023';
  end if;
  if invitation_organisation.manager_id is not null and not exists (
       select 1 from app.profiles m where m.id = invitation_organisation.manager_id and m.org_id = v_org
          and m.role in ('manager', 'admin') and m.deactivated_at is null) then
    raise exception 'manager_id must be an active manager or admin of your organisation' using errcode = '22023';
  end if;
  if nullif(btrim(invitation_organisation.email), '') is null or invitation_organisation.email !~ '^[^@\s]+@[^@\s]+$' then
    raise exception 'email must be an email address' using errcode = '22023';
  end if;
  -- Someone with this address is in an organisation already, perhaps still invited: asking
  -- the Auth API again would mail them a new link and void the one they have.
  if exists (select 1 from app.profiles p where lower(p.email) = lower(btrim(invitation_organisation.email))) then
    raise exception 'That person already belongs to an organisation' using errcode = 'PT409',
      hint = 'Look for them in the list of people; an invitation already sent stays valid.';
  end if;
  return v_org;
end;
$$;

create or replace function public.create_organisation(name text, admin_user_id uuid, admin_full_name text, admin_email text, slug text default null, time_zone text default 'UTC')
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_slug text;
  v_org uuid;
begin
  if app.trimmed(create_organisation.name) is null then
    raise exception 'name must not be empty' using errcode = '22023', hint = 'Give the organisation the name its people know it by.';
  end if;
  if create_organisation.admin_user_id is null then
    raise exception 'admin_user_id is required' using errcode = '22023', hint = 'Create the person in Auth first and pass their user id.';
  end if;
  if app.trimmed(create_organisation.admin_full_name) is null then
    raise exception 'admin_full_name must not be empty' using errcode = '22023';
  end if;
  if create_organisation.admin_email is null or create_organisation.admin_email !~ '^[^@\s]+@[^@\s]+$' then
    raise exception 'admin_email must be an email address' using errcode = '22023';
  end if;
  if not app.is_time_zone(coalesce(create_organisation.time_zone, '')) then
    raise exception 'time_zone must be a known time zone such as Europe/Berlin' using errcode = '22023';
  end if;
  -- The slug names the organisation in URLs (ingest webhooks): from the name unless given.
  v_slug := coalesce(nullif(btrim(create_organisation.slug), ''),
                     btrim(regexp_replace(lower(create_organisation.name), '[^a-z0-9]+', '-', 'g'), '-'));
  if v_slug !~ '^[a-z0-9]+(-[a-z0-9]+)*$' then
    raise exception 'slug must be lowercase words joined by hyphens' using errcode = '22023',
      hint = 'Pass a slug such as acme-cloud.';
  end if;
  if exists (select 1 from app.organisations o where o.slug = v_slug) then
    raise exception 'An organisation with the slug % already exists', v_slug using errcode = 'PT409',
      hint = 'Pass another slug.';
  end if;
  if exists (select 1 from app.profiles p where p.id = create_organisation.admin_user_id) then
    raise exception 'That person already belongs to an organisation' using errcode = 'PT409',
      hint = 'A person is a member of one organisation; invite another address.';
  end if;

  insert into app.organisations (name, slug) values (btrim(create_organisation.name), v_slug)
  returning id into v_org;
  update app.organisation_settings s set time_zone = create_organisation.time_zone where s.org_id = v_org;
  begin
    insert into app.profiles (id, org_id, role, full_name, email)
    values (create_organisation.admin_user_id, v_org, 'admin', btrim(create_organisation.admin_full_name),
            lower(create_organisation.admin_email));
  exception when foreign_key_violation then
    raise exception 'No such person in Auth' using errcode = 'PT404',
      hint = 'Create the person in Auth first (the Auth admin API, or renubu org create locally).';
  end;

  return jsonb_build_object('organisation_id', v_org, 'slug', v_slug, 'admin_id', create_organisation.admin_user_id);
end;
$$;

create or replace function app.email_overrides(draft app.workflow_task_artifacts, params jsonb)
returns text[]
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_changed text[] := '{}'::text[];
  v_list text[];
  v_subject text := app.trimmed(email_overrides.params ->> 'subject');
begin
  if email_overrides.params ? 'to' then
    v_list := case when email_overrides.params -> 'to' = '[]'::jsonb then '{}'::text[]
                   else app.email_list(email_overrides.params -> 'to') end;
    if v_list is null then
      raise exception 'to must be an email address or a list of them' using errcode = '22023';
    end if;
    if app.email_set(v_list) <> app.email_set(coalesce(app.email_list(email_overrides.draft.content -> 'to'), '{}')) then
      v_changed := v_changed || 'recipients'::text;
    end if;
  end if;
  if email_overrides.params ? 'cc' then
    v_list := case when email_overrides.params -> 'cc' = '[]'::jsonb then '{}'::text[]
                   else app.email_list(email_overrides.params -> 'cc') end;
    if v_list is null then
      raise exception 'cc must be an email address or a list of them' using errcode = '22023';
    end if;
    if app.email_set(v_list) <> app.email_set(coalesce(app.email_list(email_overrides.draft.content -> 'cc'), '{}')) then
      v_changed := v_changed || 'cc recipients'::text;
    end if;
  end if;
  if v_subject is not null and v_subject is distinct from
     coalesce(app.trimmed(email_overrides.draft.content ->> 'subject'), email_overrides.draft.title) then
    v_changed := v_changed || 'subject'::text;
  end if;
  return v_changed;
end;
$$;

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
  -- The text is the draft's body, as every screen shows it; never HTML no screen shows.
  if app.trimmed(v_art.content ->> 'body') is null then
    raise exception 'Cannot send this email: the draft has no text' using errcode = '22023',
      hint = 'Write the message in the draft''s body, then send it.';
  end if;
  if v_requires_approval then
    v_to := app.email_list(v_art.content -> 'to');
    v_cc := app.email_list(nullif(v_art.content -> 'cc', '""'::jsonb));
    v_subject := coalesce(app.trimmed(v_art.content ->> 'subject'), v_art.title);
  else
    v_to := app.email_list(coalesce(params -> 'to', v_art.content -> 'to'));
    v_cc := app.email_list(nullif(coalesce(params -> 'cc', v_art.content -> 'cc'), '""'::jsonb));
    v_subject := coalesce(app.trimmed(params ->> 'subject'), app.trimmed(v_art.content ->> 'subject'), v_art.title);
  end if;
  if v_to is null or cardinality(v_to) = 0 then
    raise exception 'to is required: the draft has no valid recipient' using errcode = '22023',
      hint = 'Add recipients to the draft.';
  end if;
  -- A copy the approver saw is sent or refused, never dropped: an invalid address in cc
  -- is an error, as one in to is.
  if v_cc is null then
    raise exception 'cc holds an address that is not valid' using errcode = '22023',
      hint = 'Correct or remove it in the draft (or leave cc empty).';
  end if;
  insert into app.email_outbox (org_id, execution_id, artifact_id, action_execution_id, requested_by,
                                to_addresses, cc_addresses, subject, body_text, body_html, status)
  values (e.org_id, e.id, v_art.id, log_id, v_me, v_to, v_cc, v_subject, v_art.content ->> 'body', null, 'queued')
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

create or replace function public.create_webhook_secret(label text default 'default')
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_org uuid := (select app.current_org_id());
  v_row app.webhook_secrets;
begin
  if not (select app.has_role('admin')) then
    raise exception 'Only admins manage webhook secrets' using errcode = '42501',
      hint = 'Ask an admin of your organisation.';
  end if;
  if app.trimmed(create_webhook_secret.label) is null or length(create_webhook_secret.label) > 100 then
    raise exception 'label must be between 1 and 100 characters' using errcode = '22023';
  end if;
  insert into app.webhook_secrets (org_id, label, secret)
  values (v_org, btrim(create_webhook_secret.label), 'whsec_' || encode(extensions.gen_random_bytes(32), 'base64'))
  returning * into v_row;
  return jsonb_build_object(
    'id', v_row.id, 'label', v_row.label, 'secret', v_row.secret, 'active', v_row.active,
    'expires_at', v_row.expires_at, 'created_at', v_row.created_at
  );
end;
$$;

create or replace function app.check_saved_action_texts(own app.saved_actions, core app.saved_actions, name text, description text)
returns void
language plpgsql
immutable
set search_path = ''
as $$
begin
  if own.id is null and core.id is not null and (check_saved_action_texts.name is not null or check_saved_action_texts.description is not null) then
    raise exception 'A core action keeps its name and description; your organisation sets its limits' using errcode = '22023';
  end if;
  if own.id is null and core.id is null and app.trimmed(check_saved_action_texts.name) is null then
    raise exception 'name is required for a new action' using errcode = '22023';
  end if;
  if length(check_saved_action_texts.name) > 120 or length(check_saved_action_texts.description) > 1000 then
    raise exception 'name must be at most 120 and description at most 1000 characters' using errcode = '22023';
  end if;
end;
$$;

create or replace function app.definition_text_problem(path text, value jsonb, max_length integer, required boolean)
returns text
language plpgsql
immutable
parallel safe
set search_path = ''
as $$
begin
  return case
    when definition_text_problem.value is null or jsonb_typeof(definition_text_problem.value) = 'null' then
      case when definition_text_problem.required then definition_text_problem.path || ' is required' end
    when jsonb_typeof(definition_text_problem.value) <> 'string' then definition_text_problem.path || ' must be text'
    when definition_text_problem.required and app.trimmed(definition_text_problem.value #>> '{}') is null then
      definition_text_problem.path || ' must not be blank'
    when length(definition_text_problem.value #>> '{}') > definition_text_problem.max_length then
      definition_text_problem.path || ' must be at most ' || definition_text_problem.max_length || ' characters'
  end;
end;
$$;

create or replace function app.definition_field_problems(d jsonb, voc jsonb)
returns text[]
language plpgsql
immutable
set search_path = ''
as $$
declare
  lim jsonb := definition_field_problems.voc -> 'limits';
  p text[];
begin
  p := app.definition_unknown_keys('definition', d,
         array['name', 'description', 'type', 'trigger', 'base_score', 'steps', 'change_note']);
  p := p || app.definition_text_problem('name', d -> 'name', (lim ->> 'name')::int, false);
  p := p || app.definition_text_problem('description', d -> 'description', (lim ->> 'description')::int, false);
  p := p || app.definition_text_problem('change_note', d -> 'change_note', (lim ->> 'change_note')::int, false);
  if d ? 'name' and jsonb_typeof(d -> 'name') = 'string' and app.trimmed(d ->> 'name') is null then
    p := p || 'name must not be blank'::text;
  end if;
  if d ? 'type' and not (voc -> 'workflow_types') @> jsonb_build_array(d -> 'type') then
    p := p || ('type must be one of ' || app.definition_vocabulary_words(voc -> 'workflow_types'));
  end if;
  if d ? 'base_score' and (jsonb_typeof(d -> 'base_score') <> 'number'
      or (d ->> 'base_score')::numeric < 0 or (d ->> 'base_score')::numeric > (lim ->> 'base_score')::numeric) then
    p := p || ('base_score must be a number from 0 to ' || (lim ->> 'base_score'));
  end if;
  return p;
end;
$$;

create or replace function public.post_chat_message(thread_id uuid, content text, client_message_id text)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  thread app.workflow_chat_threads;
  replayed jsonb;
  prompt jsonb;
begin
  if app.trimmed(post_chat_message.content) is null then
    raise exception 'content must not be empty' using errcode = '22023', hint = 'Type a message.';
  end if;
  if length(post_chat_message.content) > 20000 then
    raise exception 'content is longer than 20000 characters' using errcode = '22023', hint = 'Shorten the message.';
  end if;
  if post_chat_message.client_message_id is null or btrim(post_chat_message.client_message_id) = ''
     or length(post_chat_message.client_message_id) > 200 then
    raise exception 'client_message_id must be 1 to 200 characters' using errcode = '22023',
      hint = 'Generate one id per message on the client (a UUID) and reuse it when retrying the same send.';
  end if;

  thread := app.chat_thread_for_write(post_chat_message.thread_id);
  replayed := app.replayed_chat_exchange(thread.id, post_chat_message.client_message_id);
  if replayed is not null then
    -- a retry sends the same message; another text under the same id is another request
    if replayed -> 'user_message' ->> 'content' is distinct from post_chat_message.content then
      raise exception 'this client_message_id was used for a different message' using errcode = 'PT409',
        hint = 'Generate a new client_message_id for each new message; reuse one only to retry the same send.';
    end if;
    return replayed;
  end if;
  if thread.status <> 'active' then
    raise exception 'This chat is %', thread.status using errcode = 'PT409',
      hint = 'Start a new chat for this step to keep talking.';
  end if;
  -- The prompt before the pair is stored: its history is the earlier turns.
  prompt := app.chat_prompt_for(thread, post_chat_message.content);
  -- The thread's totals are updated when the reply finishes (both messages at once).
  return app.insert_chat_exchange(thread, post_chat_message.content, post_chat_message.client_message_id)
         || jsonb_build_object('prompt', prompt);
end;
$$;

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

create or replace function public.search_customer_history(customer_id uuid, query text, max_results integer default 8)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  customer app.customers;
  tsq tsquery;
begin
  if search_customer_history.customer_id is null then
    raise exception 'customer_id is required' using errcode = '22023', hint = 'Pass the id of a customer.';
  end if;
  if app.trimmed(search_customer_history.query) is null then
    raise exception 'query must not be empty' using errcode = '22023', hint = 'Type the words to look for, e.g. "pricing objection".';
  end if;
  if length(search_customer_history.query) > 500 then
    raise exception 'query is longer than 500 characters' using errcode = '22023', hint = 'Shorten the search.';
  end if;
  if search_customer_history.max_results is null or search_customer_history.max_results not between 1 and 50 then
    raise exception 'max_results must be between 1 and 50' using errcode = '22023', hint = 'Leave max_results out for 8.';
  end if;

  select c.* into customer from app.customers c where c.id = search_customer_history.customer_id;
  perform app.require_found(found, 'Customer', 'customer', 'customers');

  tsq := websearch_to_tsquery('english'::regconfig, search_customer_history.query);
  if numnode(tsq) = 0 then
    return '[]'::jsonb; -- only stop words: nothing to look for
  end if;

  return coalesce((
    select jsonb_agg(jsonb_build_object(
             'source_kind', r.source_kind, 'source_id', r.source_id, 'occurred_at', r.occurred_at,
             'title', r.title, 'snippet', r.snippet, 'rank', round(r.rank::numeric, 4))
             order by r.rank desc, r.occurred_at desc, r.source_id)
      from app.search_history_passages(customer.org_id, customer.id, tsq, search_customer_history.max_results) r
  ), '[]'::jsonb);
end;
$$;
