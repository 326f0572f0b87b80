-- Outcomes, notes and generated titles within the bounds people can read
-- (docs/api-contract.md "Errors"; docs/business-rules.md "Free text").
--
-- What and why: 20261205201500_free_text_within_bounds bounded tasks, artifacts and action
-- params with row triggers answering 22023 naming the field (app.require_text_within).
-- Other free text a person or the assistant supplies was still unbounded:
-- complete_step {outcome: {notes: 1 MB}} and complete_workflow {outcome: {summary: 1 MB}}
-- answered 200 and stored it, and so could an escalation's reason or a manager's note
-- written on another path, a meeting's title, and a chat message written by anything but
-- post_chat_message. The same class now holds on every path, as row triggers on the tables
-- that store it (each rule written once, in one trigger per table):
--   * a workflow execution's outcome and a step's outcome at most 20 000 characters as
--     JSON text (as an action's params); a step's skip reason at most 2 000;
--   * an escalation's reason and resolution note at most 2 000 (app.required_text's bound,
--     now also on paths that do not call it);
--   * a meeting's title at most 300 (a title, as tasks and artifacts);
--   * a chat message's content at most 20 000 from a person (post_chat_message's bound)
--     and 100 000 from the assistant (an artifact's content bound; a reply is bounded by
--     the model's token limit far below it).
-- The executions' metadata is history the database appends (each entry's free text is a
-- reason already bounded at 2 000), so it is not bounded as a whole: a long-lived workflow
-- must not become unchangeable.
--
-- Generated titles: a customer's name may be 300 characters (ingest), so "Follow up with "
-- plus the name broke the 300-character title bound and the create_task and
-- schedule_meeting actions answered 400 "title is longer than 300 characters" when no
-- title was given. Every title the database makes is now passed through app.fit_title
-- (shortened with an ellipsis to app.title_limit()); a title a person typed that is too
-- long is still refused. The Edge Functions' titles go through fitTitle
-- (functions-shared/text.ts), the same rule.

-- The one length of a title (tasks, artifacts, meetings).
create or replace function app.title_limit()
returns integer
language plpgsql
immutable
set search_path = ''
as $$
begin
  return 300;
end;
$$;
comment on function app.title_limit() is 'The most characters a title may have (tasks, artifacts, meetings); generated titles are shortened to it.';
revoke execute on function app.title_limit() from public, anon;
grant execute on function app.title_limit() to authenticated, service_role;

-- A title the system makes (from a customer's name, a step's title…): shortened to the
-- bound with an ellipsis, never refused. Titles people type are checked, not fitted.
create or replace function app.fit_title(title text)
returns text
language plpgsql
immutable
set search_path = ''
as $$
begin
  if title is null or length(title) <= app.title_limit() then
    return title;
  end if;
  return rtrim(left(title, app.title_limit() - 1)) || '…';
end;
$$;
comment on function app.fit_title(text) is 'A generated title shortened to app.title_limit() characters (ending with an ellipsis when cut).';
revoke execute on function app.fit_title(text) from public, anon;
grant execute on function app.fit_title(text) to authenticated, service_role;

-- The earlier triggers, restated with the one title bound (same checks otherwise).
create or replace function app.tasks_keep_readable_text()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  perform app.require_text_within(new.title, 'title', app.title_limit());
  perform app.require_text_within(new.description, 'description', 10000);
  perform app.require_text_within(new.skip_reason, 'reason', 2000);
  perform app.require_text_within(new.reassign_reason, 'reason', 2000);
  return new;
end;
$$;

create or replace function app.artifacts_keep_readable_text()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  perform app.require_text_within(new.title, 'title', app.title_limit());
  if tg_op = 'INSERT' or new.content is distinct from old.content then
    perform app.require_text_within(new.content::text, 'content', 100000);
  end if;
  if tg_op = 'INSERT' or new.metadata is distinct from old.metadata then
    perform app.require_text_within(new.metadata::text, 'metadata', 20000);
  end if;
  return new;
end;
$$;

-- Executions and steps: the outcome (complete_workflow, complete_step, the last step,
-- cancel) and a step's skip reason, checked only when they are set or change (WHEN
-- clauses), so the orchestrator's bulk inserts and the many updates of other columns call
-- nothing more.
create or replace function app.outcomes_keep_readable_text()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  -- Only what this statement writes is checked: a value stored before the bound (or by an
  -- earlier release) never blocks a later change of something else.
  if tg_op = 'INSERT' or new.outcome is distinct from old.outcome then
    perform app.require_text_within(new.outcome::text, 'outcome', 20000);
  end if;
  -- (nested: the executions' rows have no skip_reason for the expression to name)
  if tg_table_name = 'workflow_step_executions' then
    if tg_op = 'INSERT' or new.skip_reason is distinct from old.skip_reason then
      perform app.require_text_within(new.skip_reason, 'reason', 2000);
    end if;
  end if;
  return new;
end;
$$;

create trigger workflow_executions_keep_readable_text_ins
  before insert on app.workflow_executions
  for each row when (new.outcome is not null)
  execute function app.outcomes_keep_readable_text();
create trigger workflow_executions_keep_readable_text_upd
  before update of outcome on app.workflow_executions
  for each row when (new.outcome is distinct from old.outcome)
  execute function app.outcomes_keep_readable_text();

create trigger workflow_step_executions_keep_readable_text_ins
  before insert on app.workflow_step_executions
  for each row when (new.outcome <> '{}'::jsonb or new.skip_reason is not null)
  execute function app.outcomes_keep_readable_text();
create trigger workflow_step_executions_keep_readable_text_upd
  before update of outcome, skip_reason on app.workflow_step_executions
  for each row when (new.outcome is distinct from old.outcome or new.skip_reason is distinct from old.skip_reason)
  execute function app.outcomes_keep_readable_text();

create or replace function app.escalations_keep_readable_text()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  -- Only what this statement writes: an escalation opened before the bound, with a longer
  -- reason, can still be decided or withdrawn.
  if tg_op = 'INSERT' or new.reason is distinct from old.reason then
    perform app.require_text_within(new.reason, 'reason', 2000);
  end if;
  if tg_op = 'INSERT' or new.resolution_note is distinct from old.resolution_note then
    perform app.require_text_within(new.resolution_note, 'note', 2000);
  end if;
  return new;
end;
$$;

create trigger workflow_escalations_keep_readable_text
  before insert or update of reason, resolution_note on app.workflow_escalations
  for each row execute function app.escalations_keep_readable_text();

create or replace function app.meetings_keep_readable_text()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if tg_op = 'INSERT' or new.title is distinct from old.title then
    perform app.require_text_within(new.title, 'title', app.title_limit());
  end if;
  return new;
end;
$$;

create trigger workflow_meetings_keep_readable_text
  before insert or update of title on app.workflow_meetings
  for each row execute function app.meetings_keep_readable_text();

-- Chat: a person's message as post_chat_message bounds it, on every path; the assistant's
-- reply (written as it streams) under an artifact's content bound.
create or replace function app.chat_messages_keep_readable_text()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if tg_op = 'INSERT' or new.content is distinct from old.content then
    perform app.require_text_within(new.content, 'content', case when new.role = 'user' then 20000 else 100000 end);
  end if;
  return new;
end;
$$;

create trigger workflow_chat_messages_keep_readable_text
  before insert or update of content on app.workflow_chat_messages
  for each row execute function app.chat_messages_keep_readable_text();

-- The two actions that make titles, restated whole; only the titles changed.
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
  -- A title the person typed is theirs: too long is refused. One the system makes is
  -- shortened to fit, as is the task's "Hold meeting: …" around either.
  v_title := nullif(btrim(params ->> 'title'), '');
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
  v_title := coalesce(nullif(btrim(params ->> 'title'), ''), app.fit_title('Follow up with ' || v_customer_name));
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

