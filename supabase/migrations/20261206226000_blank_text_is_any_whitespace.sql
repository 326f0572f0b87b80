-- Text made only of whitespace is blank, whatever the whitespace
-- (docs/business-rules.md "Required text").
--
-- What and why: the required reasons and notes were checked with btrim(), which strips
-- spaces only. "   " was refused, but a reason of a tab or a line break was accepted and
-- stored: an escalation "\n\t", a withdrawal "\n", a snooze "\t", a cancellation "\r\n", an
-- escalation decision's note " \t\n" (an attacker's review). The rule is now one helper,
-- app.trimmed: the text without the whitespace around it (spaces, tabs, line breaks, the
-- no-break and other Unicode spaces, and the zero-width characters that show as nothing),
-- or null when nothing is left. Every required free text now uses it:
-- - app.required_text: the reasons and notes of cancel, complete, reassign, resolve and
--   withdraw;
-- - the reasons of the escalate and snooze actions, of a task's skip and reassignment;
-- - a task's title (create_task 20261206230000, update_task, and the create_task action's
--   own title, which falls back to its default when blank);
-- - an artifact's title (app.check_new_artifact for create_artifact, the agent's and the
--   assistant's drafts; update_artifact) and an agent draft's agent name;
-- - an engagement's summary (app.log_engagement);
-- - a proposal's rationale (propose_action 20261206231000).
-- Functions restated whole from their latest definitions (required_text 20261204000500,
-- action_escalate and action_snooze 20261206213000, task_skip 20261204000700, update_task
-- 20261206204000, task_reassign 20261206215000, check_new_artifact, update_artifact and
-- create_agent_draft 20261204000800, log_engagement 20261204000400, action_create_task
-- 20261205223500); the helper is the only change.
-- supabase/tests/required_text/blank_text_is_any_whitespace.test.sql sends each of them blanks.

-- `value` without the whitespace around it, or null when nothing is left.
create or replace function app.trimmed(value text)
returns text
language plpgsql
immutable
set search_path = ''
as $$
begin
  -- [[:space:]] follows the database's locale, which in C.UTF-8 leaves out the no-break
  -- spaces and the other characters Unicode calls whitespace; they are named here, with the
  -- zero-width ones that show as nothing.
  return nullif(pg_catalog.regexp_replace(trimmed.value,
    '^[[:space:]\u00a0\u0085\u1680\u180e\u2000-\u200d\u2028\u2029\u202f\u205f\u2060\u3000\ufeff]+'
    || '|[[:space:]\u00a0\u0085\u1680\u180e\u2000-\u200d\u2028\u2029\u202f\u205f\u2060\u3000\ufeff]+$', '', 'g'), '');
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
security definer
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
