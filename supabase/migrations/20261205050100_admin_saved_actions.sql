-- Administration of saved actions: an organisation's own actions and its own limits for a
-- core one, without SQL (issue 16 item 3; docs/admin.md "Workflows, actions and settings").
--
-- Why this shape:
-- - An action's options (snooze limits, skip reasons, escalation levels, meeting
--   durations, task priorities) live in its config, and only there: execute_action
--   enforces them, list_saved_actions hands them to the web app's forms, which render
--   their choices from it. save_saved_action is the one way to change them.
-- - An override is an organisation row with the core key. execute_action and
--   list_saved_actions already prefer it (`order by org_id nulls last`); it holds the
--   whole effective config (core config merged with the changes), so nothing has to be
--   merged when it is read. The core row is never written.
-- - Config rules per action type are written once as zod schemas
--   (functions-shared/admin/saved-action-config.ts) and here as
--   app.saved_action_config_problems; the agreement test runs the same fixtures through
--   both. Things execute_action's own logic depends on (send_email's approval rule, which
--   belongs to the organisation settings; the task a meeting creates) stay fixed.
-- - The snooze action's limits and the organisation settings' snooze_* columns are the
--   same three numbers; saving one writes the other (app.save_org_saved_action), so they
--   never disagree.

-- Every problem with an action's full config, by action type; empty when valid.
create or replace function app.saved_action_config_problems(action_type text, config jsonb)
returns text[]
language plpgsql
immutable
set search_path = ''
as $$
declare
  c jsonb := saved_action_config_problems.config;
  p text[] := '{}'::text[];
  v_allowed text[];
  k text;
begin
  if c is null or jsonb_typeof(c) <> 'object' then
    return array['config must be a JSON object'];
  end if;
  v_allowed := case saved_action_config_problems.action_type
    when 'snooze' then array['default_days', 'min_days', 'max_days', 'reason_required']
    when 'skip' then array['reasons', 'reason_required']
    when 'escalate' then array['levels', 'default_level', 'reason_required', 'notify']
    when 'schedule_meeting' then array['durations_minutes', 'default_duration_minutes', 'date_required', 'attendees_allowed', 'creates_task_type']
    when 'send_email' then array['artifact_type', 'requires_approval', 'approval_setting']
    when 'create_task' then array['due_date_required', 'default_priority', 'priorities', 'default_task_type']
    when 'custom' then null
    else array[]::text[] end;
  if saved_action_config_problems.action_type is null
     or saved_action_config_problems.action_type not in ('snooze', 'skip', 'escalate', 'schedule_meeting', 'send_email', 'create_task', 'custom') then
    return array['action_type must be one of snooze, skip, escalate, schedule_meeting, send_email, create_task, custom'];
  end if;
  if v_allowed is null then
    -- custom: a few plain settings the action's own client reads.
    if (select count(*) from jsonb_object_keys(c)) > 20
       or exists (select 1 from jsonb_each(c) x where x.key !~ '^[a-z0-9]+(_[a-z0-9]+)*$'
                    or jsonb_typeof(x.value) not in ('string', 'number', 'boolean')
                    or (jsonb_typeof(x.value) = 'string' and length(x.value #>> '{}') > 500)) then
      p := p || 'config of a custom action must be at most 20 snake_case settings, each text (up to 500 characters), a number or true/false'::text;
    end if;
    return p;
  end if;
  p := p || app.definition_unknown_keys('config', c, v_allowed);
  -- Every key of the type is required (a saved config is always whole).
  foreach k in array v_allowed loop
    if not c ? k or jsonb_typeof(c -> k) = 'null' then
      p := p || ('config.' || k || ' is required');
    end if;
  end loop;
  if cardinality(p) > 0 then
    return p;
  end if;
  -- true/false settings
  foreach k in array array['reason_required', 'date_required', 'attendees_allowed', 'due_date_required'] loop
    if c ? k and jsonb_typeof(c -> k) <> 'boolean' then
      p := p || ('config.' || k || ' must be true or false');
    end if;
  end loop;

  case saved_action_config_problems.action_type
  when 'snooze' then
    if exists (select 1 from unnest(array['default_days', 'min_days', 'max_days']) f
                where jsonb_typeof(c -> f) <> 'number' or (c ->> f)::numeric <> trunc((c ->> f)::numeric)) then
      p := p || 'config.default_days, min_days and max_days must be whole numbers of days'::text;
    elsif not ((c ->> 'min_days')::numeric >= 1 and (c ->> 'min_days')::numeric <= (c ->> 'default_days')::numeric
               and (c ->> 'default_days')::numeric <= (c ->> 'max_days')::numeric and (c ->> 'max_days')::numeric <= 365) then
      p := p || 'config snooze days must satisfy 1 ≤ min_days ≤ default_days ≤ max_days ≤ 365'::text;
    end if;
    if c -> 'reason_required' <> 'true'::jsonb then
      p := p || 'config.reason_required must stay true: a snooze always says why'::text;
    end if;
  when 'skip' then
    if jsonb_typeof(c -> 'reasons') <> 'array' or jsonb_array_length(c -> 'reasons') not between 1 and 20
       or exists (select 1 from jsonb_array_elements(c -> 'reasons') x
                   where jsonb_typeof(x) <> 'string' or btrim(x #>> '{}') = '' or length(x #>> '{}') > 80)
       or (select count(distinct x) from jsonb_array_elements(c -> 'reasons') x) <> jsonb_array_length(c -> 'reasons') then
      p := p || 'config.reasons must be a list of 1 to 20 distinct reasons, each 1 to 80 characters'::text;
    end if;
    if c -> 'reason_required' <> 'true'::jsonb then
      p := p || 'config.reason_required must stay true: a skipped step always says why'::text;
    end if;
  when 'escalate' then
    if jsonb_typeof(c -> 'levels') <> 'array' or jsonb_array_length(c -> 'levels') = 0
       or not '["manager", "vp_cs", "ceo"]'::jsonb @> (c -> 'levels')
       or (select count(distinct x) from jsonb_array_elements(c -> 'levels') x) <> jsonb_array_length(c -> 'levels') then
      p := p || 'config.levels must be a non-empty list of distinct levels from manager, vp_cs, ceo'::text;
    elsif not (c -> 'levels') @> jsonb_build_array(c -> 'default_level') then
      p := p || 'config.default_level must be one of config.levels'::text;
    end if;
    if c -> 'reason_required' <> 'true'::jsonb then
      p := p || 'config.reason_required must stay true: an escalation always says why'::text;
    end if;
    if c -> 'notify' <> '"assignee_manager"'::jsonb then
      p := p || 'config.notify must be assignee_manager'::text;
    end if;
  when 'schedule_meeting' then
    if jsonb_typeof(c -> 'durations_minutes') <> 'array' or jsonb_array_length(c -> 'durations_minutes') not between 1 and 12
       or exists (select 1 from jsonb_array_elements(c -> 'durations_minutes') x
                   where jsonb_typeof(x) <> 'number' or (x #>> '{}')::numeric <> trunc((x #>> '{}')::numeric)
                      or (x #>> '{}')::numeric not between 5 and 480)
       or (select count(distinct x) from jsonb_array_elements(c -> 'durations_minutes') x) <> jsonb_array_length(c -> 'durations_minutes') then
      p := p || 'config.durations_minutes must be a list of 1 to 12 distinct whole minutes from 5 to 480'::text;
    elsif not (c -> 'durations_minutes') @> jsonb_build_array(c -> 'default_duration_minutes') then
      p := p || 'config.default_duration_minutes must be one of config.durations_minutes'::text;
    end if;
    if c -> 'creates_task_type' <> '"schedule_meeting"'::jsonb then
      p := p || 'config.creates_task_type must be schedule_meeting'::text;
    end if;
  when 'send_email' then
    if c <> '{"artifact_type": "email_draft", "requires_approval": "organisation_setting", "approval_setting": "require_email_approval"}'::jsonb then
      p := p || 'config of send_email is fixed: whether a draft needs approval is an organisation setting (email.require_approval)'::text;
    end if;
  when 'create_task' then
    if jsonb_typeof(c -> 'priorities') <> 'array' or jsonb_array_length(c -> 'priorities') = 0
       or not '["low", "medium", "high", "urgent"]'::jsonb @> (c -> 'priorities')
       or (select count(distinct x) from jsonb_array_elements(c -> 'priorities') x) <> jsonb_array_length(c -> 'priorities') then
      p := p || 'config.priorities must be a non-empty list of distinct priorities from low, medium, high, urgent'::text;
    elsif not (c -> 'priorities') @> jsonb_build_array(c -> 'default_priority') then
      p := p || 'config.default_priority must be one of config.priorities'::text;
    end if;
    if not '["review_contract", "draft_email", "schedule_meeting", "analyze_usage", "prepare_proposal", "follow_up", "escalate", "update_crm", "get_transcript", "review_recommendation", "custom"]'::jsonb
           @> jsonb_build_array(c -> 'default_task_type') then
      p := p || 'config.default_task_type must be a task type'::text;
    end if;
    if c -> 'due_date_required' <> 'true'::jsonb then
      p := p || 'config.due_date_required must stay true: a follow-up task always has a due date'::text;
    end if;
  end case;
  return p;
end;
$$;
comment on function app.saved_action_config_problems(text, jsonb) is
  'Every problem with a saved action''s full config for its type (the zod schemas of functions-shared/admin/saved-action-config.ts); empty when valid.';

-- One list entry: the effective action for an organisation, with the core config it overrides.
create or replace function app.saved_action_entry(a app.saved_actions)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select jsonb_build_object(
    'key', a.key, 'name', a.name, 'type', a.action_type, 'description', a.description, 'config', a.config,
    'scope', case when a.org_id is null then 'core'
                  when exists (select 1 from app.saved_actions c where c.org_id is null and c.key = a.key) then 'override'
                  else 'organisation' end,
    'core_config', (select c.config from app.saved_actions c where c.org_id is null and c.key = a.key and a.org_id is not null),
    'updated_at', a.updated_at)
$$;

create or replace function public.list_saved_actions()
returns jsonb
language sql
stable
set search_path = ''
as $$
  select coalesce(jsonb_agg(app.saved_action_entry(a) order by a.name), '[]'::jsonb)
    from (
      select distinct on (s.key) s.*
        from app.saved_actions s
       where s.is_active and (s.org_id is null or s.org_id = (select app.current_org_id()))
       order by s.key, s.org_id nulls last
    ) a
   where (select app.current_org_id()) is not null
$$;
comment on function public.list_saved_actions() is
  'The saved actions of the caller''s organisation with their effective config (its override, else the core one): {key, name, type, description, config, scope, core_config}.';
revoke execute on function public.list_saved_actions() from public, anon;
grant execute on function public.list_saved_actions() to authenticated;

-- Writes an organisation's action (own or override) after validating the merged config;
-- shared by save_saved_action and update_organisation_settings (snooze limits). The
-- caller has checked that the person is an admin.
create or replace function app.save_org_saved_action(
  org_id uuid, action_key text, changes jsonb, name text, action_type text, description text
)
returns app.saved_actions
language plpgsql
set search_path = ''
as $$
declare
  v_org uuid := save_org_saved_action.org_id;
  own app.saved_actions;
  core app.saved_actions;
  v_type text;
  v_base jsonb;
  v_config jsonb;
  v_problems text[];
  v_before jsonb;
  v_action text;
begin
  if save_org_saved_action.action_key is null or save_org_saved_action.action_key !~ '^[a-z0-9]+(_[a-z0-9]+)*$'
     or length(save_org_saved_action.action_key) > 64 then
    raise exception 'action_key must be a key of lowercase words joined by underscores, e.g. snooze_short' using errcode = '22023';
  end if;
  if save_org_saved_action.changes is null or jsonb_typeof(save_org_saved_action.changes) <> 'object' then
    raise exception 'config must be a JSON object of the settings to change' using errcode = '22023';
  end if;
  perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended(
    'renubu.saved_action:' || v_org::text || ':' || save_org_saved_action.action_key, 0));
  select * into own from app.saved_actions s where s.org_id = v_org and s.key = save_org_saved_action.action_key for update;
  select * into core from app.saved_actions s where s.org_id is null and s.key = save_org_saved_action.action_key;
  v_type := coalesce(own.action_type, core.action_type, save_org_saved_action.action_type);
  if save_org_saved_action.action_type is not null and save_org_saved_action.action_type is distinct from v_type then
    raise exception 'action "%" is a % action; its type cannot change', save_org_saved_action.action_key, v_type
      using errcode = '22023', hint = 'Create an action with a new key for another type.';
  end if;
  if v_type is null then
    raise exception 'action_type is required for a new action' using errcode = '22023',
      hint = 'One of snooze, skip, escalate, schedule_meeting, send_email, create_task, custom.';
  end if;
  if own.id is null and core.id is not null and (save_org_saved_action.name is not null or save_org_saved_action.description is not null) then
    raise exception 'A core action keeps its name and description; your organisation sets its limits' using errcode = '22023';
  end if;
  if own.id is null and core.id is null and coalesce(btrim(save_org_saved_action.name), '') = '' then
    raise exception 'name is required for a new action' using errcode = '22023';
  end if;
  if length(save_org_saved_action.name) > 120 or length(save_org_saved_action.description) > 1000 then
    raise exception 'name must be at most 120 and description at most 1000 characters' using errcode = '22023';
  end if;
  -- What the changes apply to: the current config, else that of the core action of this type.
  v_base := coalesce(own.config, core.config,
                     (select c.config from app.saved_actions c where c.org_id is null and c.key = v_type), '{}'::jsonb);
  v_config := v_base || save_org_saved_action.changes;
  v_problems := app.saved_action_config_problems(v_type, v_config);
  if cardinality(v_problems) > 0 then
    raise exception 'The action''s settings are not valid: %', array_to_string(v_problems[1:3], '; ')
      using errcode = '22023', detail = array_to_string(v_problems, E'\n'), hint = 'Fix the settings named above and save again.';
  end if;

  if own.id is not null then
    v_action := 'update';
    v_before := app.saved_action_entry(own);
    update app.saved_actions s
       set config = v_config,
           name = coalesce(nullif(btrim(save_org_saved_action.name), ''), s.name),
           description = coalesce(save_org_saved_action.description, s.description)
     where s.id = own.id
    returning * into own;
  else
    v_action := case when core.id is null then 'create' else 'override' end;
    v_before := case when core.id is null then null else app.saved_action_entry(core) end;
    insert into app.saved_actions (org_id, key, name, description, action_type, config)
    values (v_org, save_org_saved_action.action_key, coalesce(core.name, btrim(save_org_saved_action.name)),
            coalesce(core.description, save_org_saved_action.description), v_type, v_config)
    returning * into own;
  end if;

  -- The snooze limits of the organisation settings are the same numbers.
  if own.key = 'snooze' then
    update app.organisation_settings s
       set snooze_min_days = (v_config ->> 'min_days')::integer,
           snooze_default_days = (v_config ->> 'default_days')::integer,
           snooze_max_days = (v_config ->> 'max_days')::integer
     where s.org_id = v_org;
  end if;
  if v_before is distinct from app.saved_action_entry(own) then
    perform app.record_admin_change('saved_action', own.key, v_action, v_before, app.saved_action_entry(own));
  end if;
  return own;
end;
$$;
comment on function app.save_org_saved_action(uuid, text, jsonb, text, text, text) is
  'Writes an organisation''s saved action (its own, or its override of a core one) with a validated, merged config.';

create or replace function public.save_saved_action(
  action_key text, config jsonb, name text default null, action_type text default null, description text default null
)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_org uuid := app.current_org_id();
  a app.saved_actions;
begin
  if v_org is null or not app.has_role('admin') then
    raise exception 'Only admins can change saved actions' using errcode = '42501',
      hint = 'Ask an admin of your organisation.';
  end if;
  a := app.save_org_saved_action(v_org, save_saved_action.action_key, save_saved_action.config,
                                 save_saved_action.name, save_saved_action.action_type, save_saved_action.description);
  return app.saved_action_entry(a);
end;
$$;
comment on function public.save_saved_action(text, jsonb, text, text, text) is
  'Admins: an organisation''s own saved action, or its limits for a core one; config holds only the settings to change, merged and validated.';
revoke execute on function public.save_saved_action(text, jsonb, text, text, text) from public, anon;
grant execute on function public.save_saved_action(text, jsonb, text, text, text) to authenticated;

grant execute on function app.saved_action_config_problems(text, jsonb) to authenticated, service_role;
grant execute on function app.saved_action_entry(app.saved_actions) to authenticated, service_role;
grant execute on function app.save_org_saved_action(uuid, text, jsonb, text, text, text) to authenticated, service_role;
