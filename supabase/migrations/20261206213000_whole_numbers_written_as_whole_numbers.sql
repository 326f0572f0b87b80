-- A whole number is one written as one: 30, never 30.0 (docs/admin.md "Settings",
-- docs/business-rules.md "Actions").
--
-- What and why: an attacker's review found that JSON numbers written with a fractional
-- zero passed every "whole number" check, which compared the number with trunc() of itself
-- (30.0 = 30), while the code after it casts the value's text with `::integer`, which reads
-- '30.0' as invalid input. So update_organisation_settings {"thresholds":
-- {"risk_score_trigger": 60.0}} or {"snooze": {"max_days": 29.0}} and save_saved_action
-- {"action_key": "snooze", "config": {"max_days": 28.0}} answered with a raw 22P02; worse,
-- save_saved_action stored a schedule_meeting config with "default_duration_minutes": 30.0
-- (and an organisation's own snooze action with "default_days": 30.0), and from then on
-- every CSM's execute_action of it failed with 22P02. jsonb keeps a number as it was
-- written (30.0 stays '30.0'; 3e1 is read as 30 and kept as '30'), and compares 30.0
-- equal to 30, so a value found in a list of offered lengths could be 30.0 too.
--   * app.is_whole_number: the rule, written once. A JSON value is a whole number only
--     when its text is an integer literal (`^-?[0-9]+$`); 30.0, 30.5 and "30" are not.
--   * Every check of a whole number uses it, each keeping its 22023 message naming the
--     field: the organisation settings (thresholds, snooze days), a saved action's config
--     (snooze days, meeting lengths and the default length), a workflow definition (a
--     score trigger's min, a branch's default days and minutes) and an action's params
--     (snooze days, meeting minutes). What passes is then cast safely with `::integer`,
--     so update_organisation_settings and app.save_org_saved_action are unchanged.
--   * Configs and branch defaults already stored with such a number (the only way the
--     actions broke after the fact) are rewritten once, below, as the whole numbers they
--     are (30.0 -> 30).

create or replace function app.is_whole_number(value jsonb)
returns boolean
language plpgsql
immutable
parallel safe
set search_path = ''
as $$
begin
  return coalesce(jsonb_typeof(is_whole_number.value) = 'number' and (is_whole_number.value #>> '{}') ~ '^-?[0-9]+$', false);
end;
$$;
comment on function app.is_whole_number(jsonb) is
  'Whether a JSON value is a whole number written as one (an integer literal: 30, not 30.0, 30.5 or "30"); false for null.';
revoke execute on function app.is_whole_number(jsonb) from public, anon;
grant execute on function app.is_whole_number(jsonb) to authenticated, service_role;

-- Restated whole (migrations are append-only); in each, only the whole-number check changed.

-- A workflow definition: a score trigger's min.
-- The trigger (absent is fine): an object whose kind is known, with that kind's fields.
create or replace function app.definition_trigger_problems(d jsonb, voc jsonb)
returns text[]
language plpgsql
immutable
set search_path = ''
as $$
declare
  t jsonb := definition_trigger_problems.d -> 'trigger';
  p text[] := '{}'::text[];
begin
  if not d ? 'trigger' then
    return p;
  end if;
  if jsonb_typeof(t) <> 'object' then
    return array['trigger must be an object with a kind'];
  end if;
  if not (voc -> 'trigger_kinds') @> jsonb_build_array(t -> 'kind') then
    return array['trigger.kind must be one of ' || app.definition_vocabulary_words(voc -> 'trigger_kinds')];
  end if;
  case t ->> 'kind'
    when 'manual' then
      p := p || app.definition_unknown_keys('trigger', t, array['kind']);
    when 'renewal_stage' then
      p := p || app.definition_unknown_keys('trigger', t, array['kind', 'stage']);
      if not (voc -> 'renewal_stages') @> jsonb_build_array(t -> 'stage') then
        p := p || ('trigger.stage must be one of ' || app.definition_vocabulary_words(voc -> 'renewal_stages'));
      end if;
      if coalesce(d ->> 'type', 'renewal') <> 'renewal' then
        p := p || 'a renewal_stage trigger needs type renewal'::text;
      end if;
    when 'schedule' then
      p := p || app.definition_unknown_keys('trigger', t, array['kind', 'every', 'plans']);
      if not (voc -> 'schedule_every') @> jsonb_build_array(t -> 'every') then
        p := p || 'trigger.every must be one of month, quarter'::text;
      end if;
      if t ? 'plans' and (jsonb_typeof(t -> 'plans') <> 'array' or jsonb_array_length(t -> 'plans') = 0
          or not (voc -> 'plans') @> (t -> 'plans')
          or (select count(distinct x) from jsonb_array_elements(t -> 'plans') x) <> jsonb_array_length(t -> 'plans')) then
        p := p || 'trigger.plans must be a non-empty list of distinct plans (invest, expand, manage, monitor)'::text;
      end if;
    when 'score' then
      p := p || app.definition_unknown_keys('trigger', t, array['kind', 'field', 'min']);
      if not (voc -> 'score_fields') @> jsonb_build_array(t -> 'field') then
        p := p || 'trigger.field must be one of risk_score, opportunity_score'::text;
      end if;
      if t ? 'min' and (not app.is_whole_number(t -> 'min')
          or (t ->> 'min')::numeric < 0 or (t ->> 'min')::numeric > 100) then
        p := p || 'trigger.min must be a whole number from 0 to 100'::text;
      end if;
  end case;
  return p;
end;
$$;
revoke execute on function app.definition_trigger_problems(jsonb, jsonb) from public, anon;
grant execute on function app.definition_trigger_problems(jsonb, jsonb) to authenticated, service_role;

-- A workflow definition: a saved_action branch's default days (snooze) and minutes (schedule_meeting).
-- The rules that need the organisation: a saved_action branch names an action the
-- organisation has, and its default params are ones that action accepts, within its limits.
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
    select br.path, a.action_type, a.config, x.key as param, x.value
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
               'must be a whole number of days from ' || (pr.config ->> 'min_days') || ' to ' || (pr.config ->> 'max_days')
             when pr.action_type = 'escalate' and pr.param = 'level' then
               'must be one of ' || (select string_agg(x, ', ') from jsonb_array_elements_text(pr.config -> 'levels') x)
             when pr.action_type = 'schedule_meeting' and pr.param = 'duration_minutes' then
               'must be one of ' || (select string_agg(x, ', ') from jsonb_array_elements_text(pr.config -> 'durations_minutes') x)
             when pr.action_type = 'create_task' and pr.param = 'priority' then
               'must be one of ' || (select string_agg(x, ', ') from jsonb_array_elements_text(pr.config -> 'priorities') x)
             when pr.action_type = 'skip' and pr.param = 'reason' then
               'must be one of the skip reasons'
             when pr.param in ('reason', 'title', 'description', 'task_type', 'note') then 'must be text'
             else 'is not a parameter of this action'
           end
      from params pr
     where not case
             when pr.action_type = 'snooze' and pr.param = 'days' then
               app.is_whole_number(pr.value)
               and (pr.value #>> '{}')::numeric between coalesce((pr.config ->> 'min_days')::numeric, 1) and coalesce((pr.config ->> 'max_days')::numeric, 30)
             when pr.action_type = 'snooze' then pr.param = 'reason' and jsonb_typeof(pr.value) = 'string'
             when pr.action_type = 'escalate' and pr.param = 'level' then coalesce(pr.config -> 'levels', '[]'::jsonb) @> jsonb_build_array(pr.value)
             when pr.action_type = 'escalate' then pr.param = 'reason' and jsonb_typeof(pr.value) = 'string'
             when pr.action_type = 'schedule_meeting' and pr.param = 'duration_minutes' then
               app.is_whole_number(pr.value) and coalesce(pr.config -> 'durations_minutes', '[]'::jsonb) @> jsonb_build_array(pr.value)
             when pr.action_type = 'schedule_meeting' then pr.param = 'title' and jsonb_typeof(pr.value) = 'string'
             when pr.action_type = 'create_task' and pr.param = 'priority' then coalesce(pr.config -> 'priorities', '[]'::jsonb) @> jsonb_build_array(pr.value)
             when pr.action_type = 'create_task' then pr.param in ('task_type', 'title', 'description') and jsonb_typeof(pr.value) = 'string'
             when pr.action_type = 'skip' and pr.param = 'reason' then coalesce(pr.config -> 'reasons', '[]'::jsonb) @> jsonb_build_array(pr.value)
             when pr.action_type = 'skip' then pr.param = 'note' and jsonb_typeof(pr.value) = 'string'
             when pr.action_type = 'custom' then true
             else false
           end
  ) problems
$$;
comment on function app.workflow_definition_org_problems(uuid, jsonb) is
  'Problems of a definition that depend on the organisation: unknown saved actions and default params outside an action''s limits.';
grant execute on function app.workflow_definition_org_problems(uuid, jsonb) to authenticated, service_role;

-- A saved action's config: the lists of whole numbers (meeting lengths).
-- A list setting: 1 to max_items distinct items, each a non-blank text of at most `hi`
-- characters (lo null) or a whole number from lo to hi.
create or replace function app.config_list_is_valid(list jsonb, max_items integer, lo numeric, hi numeric)
returns boolean
language sql
immutable
parallel safe
set search_path = ''
as $$
  select case when jsonb_typeof(list) <> 'array' or jsonb_array_length(list) not between 1 and max_items then false
    else not exists (select 1 from jsonb_array_elements(list) x
                      where case when lo is null
                              then jsonb_typeof(x) <> 'string' or btrim(x #>> '{}') = '' or length(x #>> '{}') > hi
                              else not app.is_whole_number(x)
                                   or (x #>> '{}')::numeric not between lo and hi end)
     and (select count(distinct x) from jsonb_array_elements(list) x) = jsonb_array_length(list) end
$$;
revoke execute on function app.config_list_is_valid(jsonb, integer, numeric, numeric) from public, anon;
grant execute on function app.config_list_is_valid(jsonb, integer, numeric, numeric) to authenticated, service_role;

-- A saved action's config: snooze days.
-- snooze: whole days with 1 ≤ min ≤ default ≤ max ≤ 365.
create or replace function app.snooze_config_problems(c jsonb)
returns text[]
language sql
immutable
parallel safe
set search_path = ''
as $$
  select case
    when exists (select 1 from unnest(array['default_days', 'min_days', 'max_days']) f
                  where not app.is_whole_number(c -> f))
      then array['config.default_days, min_days and max_days must be whole numbers of days']
    when not ((c ->> 'min_days')::numeric >= 1 and (c ->> 'min_days')::numeric <= (c ->> 'default_days')::numeric
              and (c ->> 'default_days')::numeric <= (c ->> 'max_days')::numeric and (c ->> 'max_days')::numeric <= 365)
      then array['config snooze days must satisfy 1 ≤ min_days ≤ default_days ≤ max_days ≤ 365']
    else '{}'::text[] end
$$;
revoke execute on function app.snooze_config_problems(jsonb) from public, anon;
grant execute on function app.snooze_config_problems(jsonb) to authenticated, service_role;

-- A saved action's config: the default meeting length is a whole number too, not only one
-- equal to an offered length (jsonb finds 30.0 in [15, 30]).
-- schedule_meeting: 1 to 12 distinct durations (5 to 480 whole minutes) with a default
-- among them.
create or replace function app.schedule_meeting_config_problems(c jsonb)
returns text[]
language sql
immutable
parallel safe
set search_path = ''
as $$
  select case
    when not app.config_list_is_valid(c -> 'durations_minutes', 12, 5, 480)
      then array['config.durations_minutes must be a list of 1 to 12 distinct whole minutes from 5 to 480']
    when not app.is_whole_number(c -> 'default_duration_minutes')
         or not (c -> 'durations_minutes') @> jsonb_build_array(c -> 'default_duration_minutes')
      then array['config.default_duration_minutes must be one of config.durations_minutes']
    else '{}'::text[] end
$$;
revoke execute on function app.schedule_meeting_config_problems(jsonb) from public, anon;
grant execute on function app.schedule_meeting_config_problems(jsonb) to authenticated, service_role;

-- The organisation settings: thresholds and snooze days.
-- Every problem of a settings change, naming the key; empty when it can be applied.
create or replace function app.organisation_settings_problems(changes jsonb)
returns text[]
language sql
stable
set search_path = ''
as $$
  with spec(grp, key, kind, lo, hi) as (values
    ('', 'time_zone', 'time_zone', null::numeric, null::numeric),
    ('email', 'require_approval', 'boolean', null, null),
    ('email', 'allow_self_approval', 'boolean', null, null),
    ('thresholds', 'risk_score_trigger', 'integer', 0, 100),
    ('thresholds', 'opportunity_score_trigger', 'integer', 0, 100),
    ('thresholds', 'renewal_overdue_cutoff_days', 'integer', 1, 365),
    ('snooze', 'default_days', 'integer', 1, 365),
    ('snooze', 'min_days', 'integer', 1, 365),
    ('snooze', 'max_days', 'integer', 1, 365),
    ('brief', 'time', 'clock', null, null),
    ('llm', 'model', 'model', null, null)
  ), entries as (
    select '' as grp, g.key, g.value from jsonb_each(organisation_settings_problems.changes) g where g.key = 'time_zone'
    union all
    select g.key, e.key, e.value
      from jsonb_each(organisation_settings_problems.changes) g
      cross join lateral jsonb_each(case when jsonb_typeof(g.value) = 'object' then g.value else '{}'::jsonb end) e
     where g.key <> 'time_zone'
  )
  select coalesce(array_agg(problem order by problem), '{}') from (
    select g.key || ' is not a settings group (known: time_zone, email, thresholds, snooze, brief, llm)' as problem
      from jsonb_each(organisation_settings_problems.changes) g
     where g.key not in ('time_zone', 'email', 'thresholds', 'snooze', 'brief', 'llm')
    union all
    select g.key || ' must be an object of settings, e.g. {"' || g.key || '": {"' ||
           (select min(s.key) from spec s where s.grp = g.key) || '": …}}'
      from jsonb_each(organisation_settings_problems.changes) g
     where g.key in ('email', 'thresholds', 'snooze', 'brief', 'llm') and jsonb_typeof(g.value) <> 'object'
    union all
    select e.grp || '.' || e.key || ' is not a setting (known in ' || e.grp || ': '
           || (select string_agg(s.key, ', ' order by s.key) from spec s where s.grp = e.grp) || ')'
      from entries e
     where e.grp in ('email', 'thresholds', 'snooze', 'brief', 'llm')
       and not exists (select 1 from spec s where s.grp = e.grp and s.key = e.key)
    union all
    select ltrim(e.grp || '.' || e.key, '.') || case s.kind
             when 'time_zone' then ' must be a time zone name such as Europe/Paris'
             when 'boolean' then ' must be true or false'
             when 'integer' then ' must be a whole number from ' || s.lo || ' to ' || s.hi
             when 'clock' then ' must be a time of day as HH:MM, e.g. 07:00'
             else ' must be a model name of letters, digits and . _ : / - (at most 100 characters)' end
      from entries e
      join spec s on s.grp = e.grp and s.key = e.key
     where not case s.kind
             when 'time_zone' then jsonb_typeof(e.value) = 'string' and app.is_time_zone(e.value #>> '{}')
             when 'boolean' then jsonb_typeof(e.value) = 'boolean'
             when 'integer' then app.is_whole_number(e.value)
                                 and (e.value #>> '{}')::numeric between s.lo and s.hi
             when 'clock' then jsonb_typeof(e.value) = 'string' and (e.value #>> '{}') ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'
             else jsonb_typeof(e.value) = 'string' and (e.value #>> '{}') ~ '^[A-Za-z0-9._:/-]{1,100}$' end
  ) problems
$$;
grant execute on function app.organisation_settings_problems(jsonb) to authenticated, service_role;

-- The actions' params: snooze days.
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

-- The actions' params: a meeting's minutes (jsonb finds 30.0 among the offered lengths too).
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

-- The numbers stored before this rule as 30.0 are rewritten as 30 (their value is the same,
-- jsonb compares them equal, so the rows are found by their text).
update app.saved_actions a
   set config = a.config
       || coalesce((select jsonb_object_agg(f.key, to_jsonb((f.value #>> '{}')::numeric::integer))
                      from jsonb_each(a.config) f
                     where f.key in ('default_days', 'min_days', 'max_days', 'default_duration_minutes')
                       and jsonb_typeof(f.value) = 'number' and not app.is_whole_number(f.value)
                       and (f.value #>> '{}')::numeric = trunc((f.value #>> '{}')::numeric)), '{}'::jsonb)
       || case when jsonb_typeof(a.config -> 'durations_minutes') = 'array' then jsonb_build_object('durations_minutes',
            (select coalesce(jsonb_agg(case when jsonb_typeof(x) = 'number' and not app.is_whole_number(x)
                                                 and (x #>> '{}')::numeric = trunc((x #>> '{}')::numeric)
                                            then to_jsonb((x #>> '{}')::numeric::integer) else x end order by n), '[]'::jsonb)
               from jsonb_array_elements(a.config -> 'durations_minutes') with ordinality d(x, n)))
          else '{}'::jsonb end
 where a.action_type in ('snooze', 'schedule_meeting')
   and (exists (select 1 from jsonb_each(a.config) f
                 where f.key in ('default_days', 'min_days', 'max_days', 'default_duration_minutes')
                   and jsonb_typeof(f.value) = 'number' and not app.is_whole_number(f.value)
                   and (f.value #>> '{}')::numeric = trunc((f.value #>> '{}')::numeric))
        or exists (select 1 from jsonb_array_elements(case when jsonb_typeof(a.config -> 'durations_minutes') = 'array'
                                                           then a.config -> 'durations_minutes' end) x
                    where jsonb_typeof(x) = 'number' and not app.is_whole_number(x)
                      and (x #>> '{}')::numeric = trunc((x #>> '{}')::numeric)));

update app.workflow_chat_branches b
   set config = jsonb_set(b.config, '{defaults}', b.config -> 'defaults'
         || (select jsonb_object_agg(d.key, to_jsonb((d.value #>> '{}')::numeric::integer))
               from jsonb_each(b.config -> 'defaults') d
              where d.key in ('days', 'duration_minutes') and jsonb_typeof(d.value) = 'number' and not app.is_whole_number(d.value)
                and (d.value #>> '{}')::numeric = trunc((d.value #>> '{}')::numeric)))
 where b.branch_type = 'saved_action' and jsonb_typeof(b.config -> 'defaults') = 'object'
   and exists (select 1 from jsonb_each(b.config -> 'defaults') d
                where d.key in ('days', 'duration_minutes') and jsonb_typeof(d.value) = 'number' and not app.is_whole_number(d.value)
                  and (d.value #>> '{}')::numeric = trunc((d.value #>> '{}')::numeric));
