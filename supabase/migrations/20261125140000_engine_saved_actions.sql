-- Saved actions: list_saved_actions, execute_action, the meetings they schedule, and the
-- service-role hook that records side effects (domain.md "Saved actions", api.md "Actions").
--
-- Why this shape:
-- - Idempotency is the unique constraint (org_id, executed_by, idempotency_key) of the
--   action log: execute_action inserts its log row FIRST with `on conflict do nothing`.
--   A concurrent call with the same key waits on that insert until the first commits,
--   then finds the row and replays its stored result; nothing is applied twice.
-- - The state change and its log commit together. Side effects outside the database
--   (mail transport, calendar invite) run afterwards in the execute-action Edge Function;
--   each is recorded in `action_executions.side_effects` with its own status, error and
--   attempts through public.record_action_side_effect (service role only), so a failure
--   never undoes the state change and a replay with the same key retries it.
-- - The manager's in-app notification of an escalation is written in the same
--   transaction as the escalation (it cannot be half-done) and reported as a side effect.
-- - Metadata is appended to (history, escalations, meetings arrays), never overwritten.
-- - Limits come from the saved action's config, else the organisation's settings, else
--   the domain.md defaults.

create table app.workflow_meetings (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null,
  execution_id uuid not null,
  action_execution_id uuid references app.action_executions (id) on delete set null,
  task_id uuid,
  organiser_id uuid,
  title text not null,
  scheduled_at timestamptz not null,
  duration_minutes integer not null,
  attendees text[] not null default '{}',
  -- The iCalendar UID stays the same for every re-send of the invite.
  invite_uid text not null default (gen_random_uuid()::text || '@renubu'),
  invite_ics text,
  invite_status text not null default 'pending',
  invite_error text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint workflow_meetings_title_is_not_blank check (btrim(title) <> ''),
  constraint workflow_meetings_duration_is_positive check (duration_minutes > 0),
  constraint workflow_meetings_invite_status_is_known check (invite_status in ('pending', 'stored', 'failed')),
  constraint workflow_meetings_execution_is_in_organisation foreign key (execution_id, org_id)
    references app.workflow_executions (id, org_id) on delete cascade,
  constraint workflow_meetings_task_is_in_organisation foreign key (task_id, org_id)
    references app.workflow_tasks (id, org_id) on delete set null (task_id),
  constraint workflow_meetings_organiser_is_in_organisation foreign key (organiser_id, org_id)
    references app.profiles (id, org_id) on delete set null (organiser_id)
);
create index workflow_meetings_execution_id_idx on app.workflow_meetings (execution_id, org_id, scheduled_at);
create index workflow_meetings_task_id_idx on app.workflow_meetings (task_id, org_id) where task_id is not null;
create index workflow_meetings_organiser_id_idx on app.workflow_meetings (organiser_id, org_id) where organiser_id is not null;
create index workflow_meetings_action_execution_id_idx on app.workflow_meetings (action_execution_id)
  where action_execution_id is not null;
comment on table app.workflow_meetings is 'Follow-up meetings scheduled from a workflow, with their iCalendar invite.';

create trigger workflow_meetings_touch_updated_at before update on app.workflow_meetings
  for each row execute function app.touch_updated_at();

alter table app.workflow_meetings enable row level security;

create policy "Members can read their organisation's meetings"
  on app.workflow_meetings for select to authenticated
  using (org_id = (select app.current_org_id()));

create policy "Assigned csm, manager or admin can schedule meetings"
  on app.workflow_meetings for insert to authenticated
  with check (org_id = (select app.current_org_id()) and ((select app.has_role('manager', 'admin')) or app.can_work_on_execution(execution_id)));

create policy "Assigned csm, manager or admin can change meetings"
  on app.workflow_meetings for update to authenticated
  using (org_id = (select app.current_org_id()) and ((select app.has_role('manager', 'admin')) or app.can_work_on_execution(execution_id)))
  with check (org_id = (select app.current_org_id()) and ((select app.has_role('manager', 'admin')) or app.can_work_on_execution(execution_id)));

create policy "Managers and admins can delete meetings"
  on app.workflow_meetings for delete to authenticated
  using (org_id = (select app.current_org_id()) and (select app.has_role('manager', 'admin')));

grant select, insert, update, delete on app.workflow_meetings to authenticated;
grant select, insert, update, delete on app.workflow_meetings to service_role;

-- A list of email addresses from a jsonb string or array; null when any entry is not one.
create or replace function app.email_list(value jsonb)
returns text[]
language sql
immutable
set search_path = ''
as $$
  select case
    when email_list.value is null or jsonb_typeof(email_list.value) = 'null' then '{}'::text[]
    when jsonb_typeof(email_list.value) = 'string' then
      case when btrim(email_list.value #>> '{}') ~ '^[^@\s]+@[^@\s]+$' then array[btrim(email_list.value #>> '{}')] end
    when jsonb_typeof(email_list.value) = 'array' then (
      select case when bool_and(jsonb_typeof(x) = 'string' and btrim(x #>> '{}') ~ '^[^@\s]+@[^@\s]+$')
                  then coalesce(array_agg(btrim(x #>> '{}')), '{}'::text[]) end
        from jsonb_array_elements(email_list.value) x)
  end
$$;

-- A timestamptz parameter, or a 22023 naming it.
create or replace function app.timestamp_param(params jsonb, name text)
returns timestamptz
language plpgsql
stable
set search_path = ''
as $$
declare
  raw text := timestamp_param.params ->> timestamp_param.name;
begin
  if raw is null or btrim(raw) = '' then
    return null;
  end if;
  return raw::timestamptz;
exception when others then
  raise exception '% must be a date and time (ISO 8601)', timestamp_param.name using errcode = '22023';
end;
$$;

-- An optional id in action parameters: null when it is missing or not a uuid, so the
-- caller raises one 22023 that names the parameter for both cases.
create or replace function app.uuid_param(params jsonb, name text)
returns uuid
language plpgsql
immutable
set search_path = ''
as $$
begin
  return (uuid_param.params ->> uuid_param.name)::uuid;
exception when others then
  return null;
end;
$$;

create or replace function public.list_saved_actions()
returns jsonb
language sql
stable
set search_path = ''
as $$
  select coalesce(jsonb_agg(jsonb_build_object(
           'key', a.key, 'name', a.name, 'type', a.action_type, 'description', a.description,
           'config', a.config, 'scope', case when a.org_id is null then 'core' else 'organisation' end)
         order by a.name), '[]'::jsonb)
    from (
      select distinct on (s.key) s.*
        from app.saved_actions s
       where s.is_active and (s.org_id is null or s.org_id = (select app.current_org_id()))
       order by s.key, s.org_id nulls last
    ) a
   where (select app.current_org_id()) is not null
$$;
comment on function public.list_saved_actions() is 'The saved actions available to the caller''s organisation: {key, name, type, description, config}.';
revoke execute on function public.list_saved_actions() from public, anon;
grant execute on function public.list_saved_actions() to authenticated;

-- The action log is history users cannot forge: execute_action writes it only through
-- these two helpers (20261125140200 then takes every direct write away from users).
create or replace function app.claim_action_log(
  execution_id uuid,
  saved_action_id uuid,
  params jsonb,
  idempotency_key text
)
returns uuid
language plpgsql
security definer -- users have no insert privilege on the action log; this is its only writer for them
set search_path = ''
as $$
declare
  v_me uuid := (select auth.uid());
  v_org uuid := app.current_org_id();
  v_key text;
  v_id uuid;
begin
  if v_me is null or v_org is null or coalesce(app.current_member_role(), '') not in ('csm', 'manager', 'admin')
     or not exists (select 1 from app.workflow_executions e
                     where e.id = claim_action_log.execution_id and e.org_id = v_org)
     or not app.can_work_on_execution(claim_action_log.execution_id) then
    raise exception 'You may not run actions on this workflow' using errcode = '42501',
      hint = 'Only its assigned CSM, a manager or an admin can change it.';
  end if;
  select s.key into v_key from app.saved_actions s
   where s.id = claim_action_log.saved_action_id and s.is_active and (s.org_id = v_org or s.org_id is null);
  if v_key is null then
    raise exception 'saved_action_id is not an action available to your organisation' using errcode = '22023';
  end if;
  insert into app.action_executions (org_id, execution_id, saved_action_id, action_key, executed_by, params, success, idempotency_key)
  values (v_org, claim_action_log.execution_id, claim_action_log.saved_action_id, v_key, v_me,
          coalesce(claim_action_log.params, '{}'::jsonb), false, claim_action_log.idempotency_key)
  on conflict on constraint action_executions_idempotency_key_is_unique_per_user do nothing
  returning id into v_id;
  return v_id;
end;
$$;
comment on function app.claim_action_log(uuid, uuid, jsonb, text) is
  'execute_action''s log claim: the caller''s unfinished entry, or null when the idempotency key is already used.';
revoke execute on function app.claim_action_log(uuid, uuid, jsonb, text) from public, anon;
grant execute on function app.claim_action_log(uuid, uuid, jsonb, text) to authenticated;

create or replace function app.complete_action_log(
  action_execution_id uuid,
  params jsonb,
  result jsonb,
  side_effects jsonb
)
returns void
language plpgsql
security definer -- users have no update privilege on the action log; this completes only their own entry of this transaction
set search_path = ''
as $$
begin
  update app.action_executions x
     set success = true, result = complete_action_log.result, params = complete_action_log.params,
         side_effects = complete_action_log.side_effects
   where x.id = complete_action_log.action_execution_id
     and x.org_id = app.current_org_id()
     and x.executed_by = (select auth.uid())
     and not x.success and x.error_message is null and x.result = '{}'::jsonb
     and x.created_at = now()
     and app.can_work_on_execution(x.execution_id);
  if not found then
    raise exception 'Only an action running in this transaction can complete its own log entry' using errcode = '42501',
      hint = 'The action log is history: run the action with execute_action.';
  end if;
end;
$$;
comment on function app.complete_action_log(uuid, jsonb, jsonb, jsonb) is
  'execute_action''s log completion: the outcome of the caller''s own entry claimed in this transaction.';
revoke execute on function app.complete_action_log(uuid, jsonb, jsonb, jsonb) from public, anon;
grant execute on function app.complete_action_log(uuid, jsonb, jsonb, jsonb) to authenticated;

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
  v_settings app.organisation_settings;
  a app.saved_actions;
  e app.workflow_executions;
  prior app.action_executions;
  v_log_id uuid;
  v_result jsonb := '{}'::jsonb;
  v_effects jsonb := '[]'::jsonb;
  v_customer_name text;
  v_workflow_name text;
  -- per action
  v_int integer;
  v_min integer;
  v_max integer;
  v_text text;
  v_list jsonb;
  v_when timestamptz;
  v_emails text[];
  v_cc text[];
  v_id uuid;
  v_task_id uuid;
  v_assignee uuid;
  v_manager uuid;
  v_art app.workflow_task_artifacts;
  v_requires_approval boolean;
  v_uid text;
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
      raise exception 'idempotency_key "%" was already used for a different action', v_key using errcode = 'PT409',
        hint = 'Use a new idempotency key for each new action.';
    end if;
    return jsonb_build_object(
      'action_execution_id', prior.id, 'action_key', prior.action_key, 'success', prior.success,
      'result', prior.result, 'execution', app.execution_summary(e.id),
      'side_effects', prior.side_effects, 'replayed', true);
  end if;

  -- Guard: workload lock, then the row, then the state.
  perform app.lock_assignee_workload(e.assigned_to);
  select * into e from app.workflow_executions x where x.id = e.id for update;
  if not app.is_open_status(e.status) then
    raise exception 'Cannot run "%" on this workflow: it is %', a.name, app.status_words(e.status)
      using errcode = 'PT409', hint = 'Closed workflows cannot change.';
  end if;
  select * into v_settings from app.organisation_settings s where s.org_id = v_org;
  select c.name into v_customer_name from app.customers c where c.id = e.customer_id;
  select w.name into v_workflow_name from app.workflows w where w.id = e.workflow_id;

  case a.action_type
  -- ---------------------------------------------------------------------------- snooze
  when 'snooze' then
    v_min := coalesce((a.config ->> 'min_days')::integer, v_settings.snooze_min_days, 1);
    v_max := coalesce((a.config ->> 'max_days')::integer, v_settings.snooze_max_days, 30);
    if v_params ? 'days' then
      if jsonb_typeof(v_params -> 'days') <> 'number' or (v_params ->> 'days')::numeric <> trunc((v_params ->> 'days')::numeric) then
        raise exception 'days must be a whole number of days between % and %', v_min, v_max using errcode = '22023';
      end if;
      v_int := (v_params ->> 'days')::numeric::integer;
    else
      v_int := coalesce((a.config ->> 'default_days')::integer, v_settings.snooze_default_days, 7);
    end if;
    if v_int < v_min or v_int > v_max then
      raise exception 'days must be between % and %', v_min, v_max using errcode = '22023',
        hint = 'Snooze for ' || v_min || ' to ' || v_max || ' days.';
    end if;
    v_text := nullif(btrim(v_params ->> 'reason'), '');
    if v_text is null and coalesce((a.config ->> 'reason_required')::boolean, true) then
      raise exception 'reason is required to snooze a workflow' using errcode = '22023';
    end if;
    if e.status = 'snoozed' then
      raise exception 'Cannot snooze this workflow: it is already snoozed until %', e.snoozed_until using errcode = 'PT409',
        hint = 'Wait until it returns to the queue, or start it to resume now.';
    end if;
    update app.workflow_executions x
       set status = 'snoozed',
           snoozed_until = now() + make_interval(days => v_int),
           metadata = app.with_history(x.metadata, jsonb_build_object(
             'event', 'snoozed', 'days', v_int, 'reason', v_text, 'from_status', e.status,
             'until', now() + make_interval(days => v_int)))
     where x.id = e.id;
    v_params := v_params || jsonb_build_object('days', v_int);
    v_result := jsonb_build_object('snoozed_until', now() + make_interval(days => v_int), 'days', v_int, 'reason', v_text);

  -- ---------------------------------------------------------------------------- skip
  when 'skip' then
    v_list := coalesce(a.config -> 'reasons',
      '["Not applicable", "Already completed", "Customer requested skip", "Internal decision", "Other"]'::jsonb);
    v_text := v_params ->> 'reason';
    if v_text is null or not (v_list ? v_text) then
      raise exception 'reason must be one of: %', (select string_agg(r, ', ') from jsonb_array_elements_text(v_list) r)
        using errcode = '22023';
    end if;
    if e.status not in ('in_progress', 'escalated') then
      raise exception 'Cannot skip a step: the workflow is %', app.status_words(e.status) using errcode = 'PT409',
        hint = 'Start the workflow first.';
    end if;
    v_result := app.finish_step(e, v_params ->> 'step_key', 'skipped',
                                jsonb_strip_nulls(jsonb_build_object('note', v_params ->> 'note')), v_text);

  -- ---------------------------------------------------------------------------- escalate
  when 'escalate' then
    v_list := coalesce(a.config -> 'levels', '["manager", "vp_cs", "ceo"]'::jsonb);
    v_text := coalesce(v_params ->> 'level', a.config ->> 'default_level', 'manager');
    if not (v_list ? v_text) then
      raise exception 'level must be one of: %', (select string_agg(r, ', ') from jsonb_array_elements_text(v_list) r)
        using errcode = '22023';
    end if;
    if nullif(btrim(v_params ->> 'reason'), '') is null then
      raise exception 'reason is required to escalate a workflow' using errcode = '22023';
    end if;
    v_assignee := coalesce(e.assigned_to, v_me);
    select p.manager_id into v_manager from app.profiles p where p.id = v_assignee;
    update app.workflow_executions x
       set status = 'escalated',
           snoozed_until = null,
           metadata = app.with_history(x.metadata, jsonb_build_object(
                        'event', 'escalated', 'level', v_text, 'reason', btrim(v_params ->> 'reason'), 'from_status', e.status))
                      || jsonb_build_object('escalations', coalesce(x.metadata -> 'escalations', '[]'::jsonb) || jsonb_build_array(
                        jsonb_build_object('level', v_text, 'reason', btrim(v_params ->> 'reason'), 'by', v_me, 'at', now(),
                                           'manager_id', v_manager, 'from_status', e.status)))
     where x.id = e.id;
    if v_manager is not null then
      -- The id is made here: RLS lets the caller write the manager's notification but not read it back.
      v_id := gen_random_uuid();
      insert into app.notifications (id, org_id, user_id, notification_type, title, body, data)
      values (v_id, v_org, v_manager, 'escalation',
              'Escalated to you: ' || v_workflow_name || ' for ' || v_customer_name,
              btrim(v_params ->> 'reason'),
              jsonb_build_object('execution_id', e.id, 'level', v_text, 'escalated_by', v_me, 'assignee_id', v_assignee));
      v_effects := jsonb_build_array(jsonb_build_object(
        'type', 'notify_manager', 'status', 'delivered', 'recipient_id', v_manager, 'notification_id', v_id,
        'attempts', 1, 'error', null, 'updated_at', now()));
    else
      v_effects := jsonb_build_array(jsonb_build_object(
        'type', 'notify_manager', 'status', 'skipped', 'recipient_id', null, 'attempts', 0,
        'error', 'The assignee has no manager to notify', 'updated_at', now()));
    end if;
    v_params := v_params || jsonb_build_object('level', v_text);
    v_result := jsonb_build_object('level', v_text, 'reason', btrim(v_params ->> 'reason'),
                                   'manager_id', v_manager, 'notification_id', v_id);

  -- ---------------------------------------------------------------------------- schedule_meeting
  when 'schedule_meeting' then
    v_list := coalesce(a.config -> 'durations_minutes', '[15, 30, 45, 60]'::jsonb);
    if v_params ? 'duration_minutes' then
      if jsonb_typeof(v_params -> 'duration_minutes') <> 'number' or not (v_list @> jsonb_build_array(v_params -> 'duration_minutes')) then
        raise exception 'duration_minutes must be one of: %', (select string_agg(r, ', ') from jsonb_array_elements_text(v_list) r)
          using errcode = '22023';
      end if;
      v_int := (v_params ->> 'duration_minutes')::numeric::integer;
    else
      v_int := coalesce((a.config ->> 'default_duration_minutes')::integer, 30);
    end if;
    v_when := app.timestamp_param(v_params, 'scheduled_at');
    if v_when is null then
      raise exception 'scheduled_at is required: the date and time of the meeting' using errcode = '22023';
    end if;
    v_emails := app.email_list(v_params -> 'attendees');
    if v_emails is null then
      raise exception 'attendees must be a list of email addresses' using errcode = '22023';
    end if;
    v_text := coalesce(nullif(btrim(v_params ->> 'title'), ''), 'Follow-up: ' || v_customer_name);
    v_assignee := coalesce(e.assigned_to, v_me);
    insert into app.workflow_tasks (org_id, customer_id, execution_id, step_key, title, description, task_type,
                                    priority, assigned_to, created_by, due_date, metadata)
    values (v_org, e.customer_id, e.id, e.current_step_key, 'Hold meeting: ' || v_text,
            'Meeting of ' || v_int || ' minutes scheduled from ' || v_workflow_name || '.',
            coalesce(a.config ->> 'creates_task_type', 'schedule_meeting'), 'medium', v_assignee, v_me, v_when,
            jsonb_build_object('action_execution_id', v_log_id))
    returning id into v_task_id;
    insert into app.workflow_meetings (org_id, execution_id, action_execution_id, task_id, organiser_id, title,
                                       scheduled_at, duration_minutes, attendees)
    values (v_org, e.id, v_log_id, v_task_id, v_me, v_text, v_when, v_int, v_emails)
    returning id, invite_uid into v_id, v_uid;
    update app.workflow_executions x
       set metadata = app.with_history(x.metadata, jsonb_build_object('event', 'meeting_scheduled', 'meeting_id', v_id))
                      || jsonb_build_object('meetings', coalesce(x.metadata -> 'meetings', '[]'::jsonb) || jsonb_build_array(
                        jsonb_build_object('id', v_id, 'title', v_text, 'scheduled_at', v_when, 'duration_minutes', v_int,
                                           'attendees', to_jsonb(v_emails), 'task_id', v_task_id)))
     where x.id = e.id;
    v_effects := jsonb_build_array(jsonb_build_object(
      'type', 'calendar_invite', 'status', 'pending', 'meeting_id', v_id, 'attempts', 0, 'error', null, 'updated_at', now()));
    v_params := v_params || jsonb_build_object('duration_minutes', v_int);
    v_result := jsonb_build_object('meeting_id', v_id, 'task_id', v_task_id, 'title', v_text, 'scheduled_at', v_when,
                                   'duration_minutes', v_int, 'attendees', to_jsonb(v_emails), 'invite_uid', v_uid,
                                   'organiser_email', (select p.email from app.profiles p where p.id = v_me),
                                   'description', v_workflow_name || ' for ' || v_customer_name);

  -- ---------------------------------------------------------------------------- send_email
  when 'send_email' then
    v_id := app.uuid_param(v_params, 'artifact_id');
    if v_id is null then
      raise exception 'artifact_id is required: the id of the email draft to send' using errcode = '22023';
    end if;
    select * into v_art from app.workflow_task_artifacts t where t.id = v_id and t.execution_id = e.id;
    if not found or v_art.artifact_type <> 'email_draft' then
      raise exception 'artifact_id must be an email draft of this workflow' using errcode = '22023';
    end if;
    v_requires_approval := case
      when jsonb_typeof(a.config -> 'requires_approval') = 'boolean' then (a.config ->> 'requires_approval')::boolean
      else coalesce(v_settings.require_email_approval, true) end;
    if v_requires_approval and v_art.approved_at is null then
      raise exception 'Cannot send this email: the draft is not approved' using errcode = 'PT409',
        hint = 'Your organisation requires approval: approve the draft, then send it.';
    end if;
    v_emails := app.email_list(coalesce(v_params -> 'to', v_art.content -> 'to'));
    if v_emails is null or cardinality(v_emails) = 0 then
      raise exception 'to is required: the draft has no valid recipient' using errcode = '22023',
        hint = 'Add recipients to the draft or pass params.to.';
    end if;
    v_cc := coalesce(app.email_list(coalesce(v_params -> 'cc', v_art.content -> 'cc')), '{}');
    v_text := coalesce(nullif(btrim(v_params ->> 'subject'), ''), nullif(btrim(v_art.content ->> 'subject'), ''), v_art.title);
    insert into app.email_outbox (org_id, execution_id, artifact_id, action_execution_id, requested_by,
                                  to_addresses, cc_addresses, subject, body_text, body_html, status)
    values (v_org, e.id, v_art.id, v_log_id, v_me, v_emails, v_cc, v_text,
            coalesce(v_art.content ->> 'body', v_art.content ->> 'text', ''), v_art.content ->> 'html', 'queued')
    returning id into v_id;
    update app.workflow_executions x
       set metadata = app.with_history(x.metadata, jsonb_build_object(
                        'event', 'email_queued', 'outbox_id', v_id, 'artifact_id', v_art.id))
     where x.id = e.id;
    v_effects := jsonb_build_array(jsonb_build_object(
      'type', 'send_email', 'status', 'pending', 'outbox_id', v_id, 'attempts', 0, 'error', null, 'updated_at', now()));
    v_result := jsonb_build_object('outbox_id', v_id, 'artifact_id', v_art.id, 'to', to_jsonb(v_emails),
                                   'cc', to_jsonb(v_cc), 'subject', v_text, 'status', 'queued',
                                   'from', (select p.email from app.profiles p where p.id = v_me),
                                   'body_text', coalesce(v_art.content ->> 'body', v_art.content ->> 'text', ''),
                                   'body_html', v_art.content ->> 'html');

  -- ---------------------------------------------------------------------------- create_task
  when 'create_task' then
    v_when := app.timestamp_param(v_params, 'due_date');
    if v_when is null then
      raise exception 'due_date is required for a follow-up task' using errcode = '22023';
    end if;
    v_list := coalesce(a.config -> 'priorities', '["low", "medium", "high", "urgent"]'::jsonb);
    v_text := coalesce(v_params ->> 'priority', a.config ->> 'default_priority', 'medium');
    if not (v_list ? v_text) then
      raise exception 'priority must be one of: %', (select string_agg(r, ', ') from jsonb_array_elements_text(v_list) r)
        using errcode = '22023';
    end if;
    if coalesce(v_params ->> 'task_type', a.config ->> 'default_task_type', 'follow_up') not in (
      'review_contract', 'draft_email', 'schedule_meeting', 'analyze_usage', 'prepare_proposal', 'follow_up',
      'escalate', 'update_crm', 'get_transcript', 'review_recommendation', 'custom') then
      raise exception 'task_type is not a known task type' using errcode = '22023';
    end if;
    if v_params ? 'assigned_to' then
      v_assignee := app.uuid_param(v_params, 'assigned_to');
      if v_assignee is null or not exists (select 1 from app.profiles p where p.id = v_assignee and p.org_id = v_org) then
        raise exception 'assigned_to must be a member of your organisation' using errcode = '22023';
      end if;
    else
      v_assignee := coalesce(e.assigned_to, v_me);
    end if;
    insert into app.workflow_tasks (org_id, customer_id, execution_id, step_key, title, description, task_type,
                                    priority, assigned_to, created_by, due_date, metadata)
    values (v_org, e.customer_id, e.id, e.current_step_key,
            coalesce(nullif(btrim(v_params ->> 'title'), ''), 'Follow up with ' || v_customer_name),
            v_params ->> 'description',
            coalesce(v_params ->> 'task_type', a.config ->> 'default_task_type', 'follow_up'),
            v_text, v_assignee, v_me, v_when, jsonb_build_object('action_execution_id', v_log_id))
    returning id into v_task_id;
    if v_assignee <> v_me then
      insert into app.notifications (org_id, user_id, notification_type, title, body, data)
      values (v_org, v_assignee, 'task_assigned', 'New task: ' || coalesce(nullif(btrim(v_params ->> 'title'), ''), 'Follow up with ' || v_customer_name),
              'Assigned to you from ' || v_workflow_name || ' for ' || v_customer_name || '.',
              jsonb_build_object('task_id', v_task_id, 'execution_id', e.id, 'assigned_by', v_me));
    end if;
    update app.workflow_executions x
       set metadata = app.with_history(x.metadata, jsonb_build_object('event', 'task_created', 'task_id', v_task_id))
     where x.id = e.id;
    v_params := v_params || jsonb_build_object('priority', v_text);
    v_result := jsonb_build_object('task_id', v_task_id, 'due_date', v_when, 'priority', v_text, 'assigned_to', v_assignee);

  -- ---------------------------------------------------------------------------- custom
  else
    update app.workflow_executions x
       set metadata = app.with_history(x.metadata, jsonb_build_object('event', 'custom_action', 'action_key', a.key))
     where x.id = e.id;
    v_result := jsonb_build_object('recorded', true);
  end case;

  perform app.complete_action_log(v_log_id, v_params, v_result, v_effects);

  return jsonb_build_object(
    'action_execution_id', v_log_id, 'action_key', a.key, 'success', true, 'result', v_result,
    'execution', app.execution_summary(e.id), 'side_effects', v_effects, 'replayed', false);
end;
$$;
comment on function public.execute_action(text, uuid, jsonb, text) is
  'Applies a saved action''s state change and logs it; idempotent under idempotency_key (replayed: true).';
revoke execute on function public.execute_action(text, uuid, jsonb, text) from public, anon;
grant execute on function public.execute_action(text, uuid, jsonb, text) to authenticated;

-- Service role only (the execute-action Edge Function): the outcome of one side effect.
-- Updates the effect's entry in the action log (status, error, attempts) and its
-- subject: the outbox row for `send_email`, the meeting's invite for `calendar_invite`.
create or replace function public.record_action_side_effect(
  action_execution_id uuid,
  effect_type text,
  status text,
  error_message text default null,
  details jsonb default '{}'::jsonb
)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_log app.action_executions;
  v_effects jsonb;
  v_details jsonb := coalesce(record_action_side_effect.details, '{}'::jsonb);
  v_ok boolean := record_action_side_effect.status in ('delivered', 'sent', 'delivered_to_sink', 'stored', 'skipped');
begin
  if record_action_side_effect.status not in ('pending', 'delivered', 'sent', 'delivered_to_sink', 'stored', 'failed', 'skipped') then
    raise exception 'status must be one of pending, delivered, sent, delivered_to_sink, stored, failed, skipped' using errcode = '22023';
  end if;
  select * into v_log from app.action_executions x where x.id = record_action_side_effect.action_execution_id for update;
  if not found then
    raise exception 'Action execution not found' using errcode = 'PT404';
  end if;

  select coalesce(jsonb_agg(case when el ->> 'type' = record_action_side_effect.effect_type
             then el || (v_details - 'ics') || jsonb_build_object(
                    'status', record_action_side_effect.status,
                    'error', record_action_side_effect.error_message,
                    'attempts', coalesce((el ->> 'attempts')::integer, 0) + 1,
                    'updated_at', now())
             else el end order by ord), '[]'::jsonb)
    into v_effects
    from jsonb_array_elements(v_log.side_effects) with ordinality as t(el, ord);
  if not exists (select 1 from jsonb_array_elements(v_log.side_effects) el where el ->> 'type' = record_action_side_effect.effect_type) then
    v_effects := v_effects || jsonb_build_array((v_details - 'ics') || jsonb_build_object(
      'type', record_action_side_effect.effect_type, 'status', record_action_side_effect.status,
      'error', record_action_side_effect.error_message, 'attempts', 1, 'updated_at', now()));
  end if;
  update app.action_executions x set side_effects = v_effects where x.id = v_log.id;

  if record_action_side_effect.effect_type = 'send_email' and record_action_side_effect.status <> 'pending' then
    update app.email_outbox o
       set status = case when v_ok then record_action_side_effect.status else 'failed' end,
           attempts = o.attempts + 1,
           last_error = record_action_side_effect.error_message,
           provider_message_id = coalesce(v_details ->> 'provider_message_id', o.provider_message_id),
           sent_at = case when v_ok then now() else o.sent_at end,
           next_attempt_at = case when v_ok then o.next_attempt_at
                                  else now() + make_interval(mins => least(60, 1 << least(o.attempts, 6))) end
     where o.action_execution_id = v_log.id;
  elsif record_action_side_effect.effect_type = 'calendar_invite' and record_action_side_effect.status <> 'pending' then
    update app.workflow_meetings m
       set invite_ics = coalesce(v_details ->> 'ics', m.invite_ics),
           invite_status = case when v_ok then 'stored' else 'failed' end,
           invite_error = record_action_side_effect.error_message
     where m.action_execution_id = v_log.id;
  end if;
  return v_effects;
end;
$$;
comment on function public.record_action_side_effect(uuid, text, text, text, jsonb) is
  'Service role only: records the outcome of a side effect of an executed action (email, invite) with its error and attempts.';
revoke execute on function public.record_action_side_effect(uuid, text, text, text, jsonb) from public, anon, authenticated;
grant execute on function public.record_action_side_effect(uuid, text, text, text, jsonb) to service_role;

grant execute on function app.email_list(jsonb) to authenticated, service_role;
grant execute on function app.timestamp_param(jsonb, text) to authenticated, service_role;
grant execute on function app.uuid_param(jsonb, text) to authenticated, service_role;

-- Service role only (the execute-action Edge Function): logs a refused call (bad params,
-- illegal transition, not allowed), which the refusing transaction itself could not keep
-- because a database error rolls everything back. The idempotency key is kept in the
-- result, not in its unique column, so a corrected retry with the same key still applies.
-- Calls for executions that do not exist or belong to another organisation are not logged.
create or replace function public.log_refused_action(
  executed_by uuid,
  action_key text,
  execution_id uuid,
  params jsonb,
  idempotency_key text,
  error_code text,
  error_message text
)
returns uuid
language plpgsql
set search_path = ''
as $$
declare
  v_id uuid;
begin
  insert into app.action_executions (org_id, execution_id, saved_action_id, action_key, executed_by, params,
                                     result, success, error_message)
  select e.org_id, e.id,
         (select s.id from app.saved_actions s
           where s.key = log_refused_action.action_key and (s.org_id = e.org_id or s.org_id is null)
           order by s.org_id nulls last limit 1),
         left(coalesce(log_refused_action.action_key, ''), 100), p.id,
         case when jsonb_typeof(log_refused_action.params) = 'object' then log_refused_action.params else '{}'::jsonb end,
         jsonb_build_object('refused', true, 'error_code', log_refused_action.error_code,
                            'idempotency_key', log_refused_action.idempotency_key),
         false, left(log_refused_action.error_message, 500)
    from app.workflow_executions e
    join app.profiles p on p.id = log_refused_action.executed_by and p.org_id = e.org_id
   where e.id = log_refused_action.execution_id
  returning id into v_id;
  return v_id;
end;
$$;
comment on function public.log_refused_action(uuid, text, uuid, jsonb, text, text, text) is
  'Service role only: records a refused execute_action call in the action log (success false, the error).';
revoke execute on function public.log_refused_action(uuid, text, uuid, jsonb, text, text, text) from public, anon, authenticated;
grant execute on function public.log_refused_action(uuid, text, uuid, jsonb, text, text, text) to service_role;
