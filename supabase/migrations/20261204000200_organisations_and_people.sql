-- Organisations and people: tenancy, membership and the caller's own settings.
-- Holds: organisations, organisation_settings, profiles, user_preferences; the membership
-- helpers every row-level policy uses (app.current_org_id, app.current_member_role, …);
-- get_my_profile, preferences, team, create_organisation and people's access rules.
--
-- Part of the release baseline (docs/schema.md): one file per area, in dependency order.
-- From now on migrations are append-only: a change is a new timestamped file.

-- Tenancy and people: organisations, their settings, profiles, user preferences and
-- notifications (docs/business-rules.md "Tenancy and roles", "Preferences").
--
-- Why: every business row carries `org_id`, and row-level security decides visibility
-- from the caller's profile (one organisation per person, one role). Rows that point at
-- a person use a composite foreign key on (their org_id, the person's id) referencing
-- profiles (org_id, id), so a row can never name someone from another organisation. The
-- key's column order follows the index that serves it: `org_id` first where that index
-- is also the one policies and lists use, the person first for rarely-read audit columns.

create table app.organisations (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  slug text not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint organisations_name_is_not_blank check (btrim(name) <> ''),
  constraint organisations_slug_is_lowercase_words check (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  constraint organisations_slug_is_unique unique (slug)
);
comment on table app.organisations is 'A CS team: the tenant every business row belongs to.';
alter table app.organisations enable row level security;
grant select, update on app.organisations to authenticated;

-- One row per organisation. Every number is a product default (docs/business-rules.md) an organisation may change.
create table app.organisation_settings (
  org_id uuid primary key references app.organisations (id) on delete cascade,
  time_zone text not null default 'UTC',
  require_email_approval boolean not null default true,
  risk_score_trigger integer not null default 60,
  opportunity_score_trigger integer not null default 70,
  renewal_overdue_cutoff_days integer not null default 30,
  snooze_default_days integer not null default 7,
  snooze_min_days integer not null default 1,
  snooze_max_days integer not null default 30,
  task_snooze_window_days integer not null default 7,
  task_auto_skip_hours integer not null default 24,
  task_auto_skip_hours_long integer not null default 48,
  settings jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint organisation_settings_time_zone_is_known check (app.is_time_zone(time_zone)),
  constraint organisation_settings_risk_trigger_is_percentage check (risk_score_trigger between 0 and 100),
  constraint organisation_settings_opportunity_trigger_is_percentage check (opportunity_score_trigger between 0 and 100),
  constraint organisation_settings_overdue_cutoff_is_positive check (renewal_overdue_cutoff_days > 0),
  constraint organisation_settings_snooze_limits_are_ordered check (
    snooze_min_days >= 1 and snooze_min_days <= snooze_default_days and snooze_default_days <= snooze_max_days
  ),
  constraint organisation_settings_task_window_is_positive check (task_snooze_window_days > 0),
  constraint organisation_settings_auto_skip_hours_are_positive check (task_auto_skip_hours > 0 and task_auto_skip_hours_long > 0),
  constraint organisation_settings_settings_is_object check (jsonb_typeof(settings) = 'object'),
  allow_self_approval boolean not null default false
);
comment on table app.organisation_settings is 'Per-organisation thresholds, time zone and approval rules (docs/business-rules.md).';
alter table app.organisation_settings enable row level security;
grant select, update on app.organisation_settings to authenticated;
comment on column app.organisation_settings.allow_self_approval is
  'Whether the author of an artifact may approve it themselves where email approval is required (default: no).';

-- A person: one row per auth.users row, in exactly one organisation.
create table app.profiles (
  id uuid primary key references auth.users (id) on delete cascade,
  org_id uuid not null references app.organisations (id) on delete cascade,
  role text not null default 'csm',
  manager_id uuid,
  full_name text not null,
  email text not null,
  title text,
  experience_level text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint profiles_role_is_known check (role in ('admin', 'manager', 'csm', 'viewer')),
  constraint profiles_experience_level_is_known check (experience_level in ('junior', 'mid', 'senior', 'expert')),
  constraint profiles_full_name_is_not_blank check (btrim(full_name) <> ''),
  constraint profiles_email_looks_like_an_email check (email ~ '^[^@\s]+@[^@\s]+$'),
  constraint profiles_manager_is_not_self check (manager_id <> id),
  -- Target of the composite "same organisation" foreign keys.
  constraint profiles_id_org_id_key unique (id, org_id),
  constraint profiles_manager_is_in_same_organisation foreign key (org_id, manager_id)
    references app.profiles (org_id, id) on delete set null (manager_id),
  deactivated_at timestamptz
);
comment on table app.profiles is 'A person of an organisation with their role (admin, manager, csm, viewer).';
alter table app.profiles enable row level security;
grant select, insert, update, delete on app.profiles to authenticated;
comment on column app.profiles.deactivated_at is 'When an admin or manager took this person''s access away; null while active.';

create index profiles_org_id_role_idx on app.profiles (org_id, role);

create index profiles_org_id_manager_id_idx on app.profiles (org_id, manager_id) where manager_id is not null;

-- Stored preferences: only what the person changed; RPCs fill in the defaults of app.user_preference_spec().
create table app.user_preferences (
  user_id uuid primary key,
  org_id uuid not null,
  chat jsonb not null default '{}'::jsonb,
  notifications jsonb not null default '{}'::jsonb,
  ui jsonb not null default '{}'::jsonb,
  workflow jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint user_preferences_chat_is_object check (jsonb_typeof(chat) = 'object'),
  constraint user_preferences_notifications_is_object check (jsonb_typeof(notifications) = 'object'),
  constraint user_preferences_ui_is_object check (jsonb_typeof(ui) = 'object'),
  constraint user_preferences_workflow_is_object check (jsonb_typeof(workflow) = 'object'),
  constraint user_preferences_user_is_in_organisation foreign key (org_id, user_id)
    references app.profiles (org_id, id) on delete cascade
);
comment on table app.user_preferences is 'A person''s preferences (chat, notifications, ui, workflow), private to them.';
alter table app.user_preferences enable row level security;
grant select, insert, update, delete on app.user_preferences to authenticated;

create index user_preferences_org_id_user_id_idx on app.user_preferences (org_id, user_id);

-- Every organisation has its settings row, so readers never need a coalesce per field.
create or replace function app.create_organisation_settings()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  insert into app.organisation_settings (org_id) values (new.id) on conflict do nothing;
  return new;
end;
$$;

-- Who is asking: the helpers every row-level security policy and RPC uses to learn the
-- caller's organisation and role, and whether they may work on an execution.
--
-- Why security definer: they read `app.profiles` and `app.workflow_executions`, whose
-- own policies call these helpers; reading as the owner avoids that recursion and one
-- indexed lookup answers the question. They live in `app` (not exposed), set
-- `search_path = ''` and reveal nothing but a yes/no or the caller's own org and role.
--
-- Policies compare `org_id = (select app.current_org_id())`: wrapped in a sub-select the
-- call is an InitPlan evaluated once per statement (not per row), and the comparison is
-- an equality the planner can match to indexes that lead with `org_id`.
--
-- Why plpgsql: a sql function with `set search_path` (or security definer) is never
-- inlined, and a non-inlined sql function is parsed and planned afresh on every call
-- (once per statement for an InitPlan, once per row for the can_work_on_* checks).
-- A plpgsql body is planned once per session and its plan reused: measured 4-10x less per
-- call, ~0.4 ms off every get_workflow_queue (several RLS InitPlans per call).

-- A deactivated person reaches nothing, whatever their still-valid access token: an access
-- token stays valid until it expires (up to an hour) after the auth user is banned, and
-- every policy and RPC recognises a member through these helpers, so they treat a
-- deactivated profile as no member at all (no organisation, no role, no execution to work
-- on). The service role (no auth.uid()) is unaffected.

-- The caller's organisation; null for anyone without a profile (anon, service calls).
create or replace function app.current_org_id()
returns uuid
language plpgsql
stable
security definer -- reads the caller's own profile without re-entering profiles' RLS
set search_path = ''
as $$
begin
  return (
    select p.org_id from app.profiles p
     where p.id = (select auth.uid()) and p.deactivated_at is null
  );
end;
$$;
grant execute on function app.current_org_id() to authenticated, service_role;
comment on function app.current_org_id() is 'The organisation of the signed-in person, or null (also when they have been deactivated).';

-- The caller's role in their organisation: admin, manager, csm or viewer; null if none.
create or replace function app.current_member_role()
returns text
language plpgsql
stable
security definer -- reads the caller's own profile without re-entering profiles' RLS
set search_path = ''
as $$
begin
  return (
    select p.role from app.profiles p
     where p.id = (select auth.uid()) and p.deactivated_at is null
  );
end;
$$;
grant execute on function app.current_member_role() to authenticated, service_role;
comment on function app.current_member_role() is 'The role of the signed-in person (admin, manager, csm, viewer), or null (also when deactivated).';

-- Is the caller a member of this organisation? (For RPCs; policies use the InitPlan form.)
create or replace function app.is_member_of(org_id uuid)
returns boolean
language plpgsql
stable
security definer -- reads the caller's own profile without re-entering profiles' RLS
set search_path = ''
as $$
begin
  return (
    select exists (
      select 1 from app.profiles p
      where p.id = (select auth.uid()) and p.org_id = is_member_of.org_id and p.deactivated_at is null
    )
  );
end;
$$;
grant execute on function app.is_member_of(uuid) to authenticated, service_role;
comment on function app.is_member_of(uuid) is 'True when the signed-in person is an active member of the organisation.';

-- Does the caller hold one of these roles? Call it as `(select app.has_role('manager', 'admin'))`.
create or replace function app.has_role(variadic roles text[])
returns boolean
language plpgsql
stable
security definer -- reads the caller's own profile without re-entering profiles' RLS
set search_path = ''
as $$
begin
  return (
    select coalesce(
      (select p.role = any(has_role.roles) from app.profiles p
        where p.id = (select auth.uid()) and p.deactivated_at is null),
      false
    )
  );
end;
$$;
grant execute on function app.has_role(text[]) to authenticated, service_role;
comment on function app.has_role(text[]) is 'True when the signed-in person is active and their role is one of the given roles.';

-- May the caller change this execution and what hangs off it (steps, threads, artifacts,
-- tasks, actions)? Managers and admins of its organisation always; a csm when it is
-- assigned to them or to nobody (docs/business-rules.md "Tenancy and roles").
create or replace function app.can_work_on_execution(execution_id uuid)
returns boolean
language plpgsql
stable
security definer -- reads the execution and the caller's profile without re-entering their RLS
set search_path = ''
as $$
begin
  return (
    select exists (
      select 1
      from app.workflow_executions e
      join app.profiles p on p.id = (select auth.uid()) and p.org_id = e.org_id and p.deactivated_at is null
      where e.id = can_work_on_execution.execution_id
        and (
          p.role in ('manager', 'admin')
          or (p.role = 'csm' and (e.assigned_to is null or e.assigned_to = p.id))
        )
    )
  );
end;
$$;
comment on function app.can_work_on_execution(uuid) is 'True when the signed-in person may change this execution and its steps, threads, artifacts and tasks.';
grant execute on function app.can_work_on_execution(uuid) to authenticated, service_role;

-- The same question for a chat thread (messages, LLM context and tool calls hang off it).
-- The rule is written out again rather than calling app.can_work_on_execution: one
-- indexed query per check, and these run for every row an RLS policy looks at.
create or replace function app.can_work_on_thread(thread_id uuid)
returns boolean
language plpgsql
stable
security definer -- reads the thread, its execution and the caller's profile without re-entering their RLS
set search_path = ''
as $$
begin
  return (
    select exists (
      select 1
      from app.workflow_chat_threads t
      join app.workflow_executions e on e.id = t.execution_id
      join app.profiles p on p.id = (select auth.uid()) and p.org_id = e.org_id and p.deactivated_at is null
      where t.id = can_work_on_thread.thread_id
        and (
          p.role in ('manager', 'admin')
          or (p.role = 'csm' and (e.assigned_to is null or e.assigned_to = p.id))
        )
    )
  );
end;
$$;
comment on function app.can_work_on_thread(uuid) is 'True when the signed-in person may change this chat thread and its messages.';
grant execute on function app.can_work_on_thread(uuid) to authenticated, service_role;

-- The same question for an artifact (its version history hangs off it).
create or replace function app.can_work_on_artifact(artifact_id uuid)
returns boolean
language plpgsql
stable
security definer -- reads the artifact, its execution and the caller's profile without re-entering their RLS
set search_path = ''
as $$
begin
  return (
    select exists (
      select 1
      from app.workflow_task_artifacts a
      join app.workflow_executions e on e.id = a.execution_id
      join app.profiles p on p.id = (select auth.uid()) and p.org_id = e.org_id and p.deactivated_at is null
      where a.id = can_work_on_artifact.artifact_id
        and (
          p.role in ('manager', 'admin')
          or (p.role = 'csm' and (e.assigned_to is null or e.assigned_to = p.id))
        )
    )
  );
end;
$$;
comment on function app.can_work_on_artifact(uuid) is 'True when the signed-in person may change this artifact and its versions.';
grant execute on function app.can_work_on_artifact(uuid) to authenticated, service_role;

-- Row-level security: each access rule written once (docs/data-model.md "Row-level security").
--
-- Why: some thirty tables share a handful of rules — members of the organisation read it,
-- managers and admins (or admins only) write it, whoever may work on the execution (or
-- thread, or artifact) the row hangs off writes it, people reach only their own rows.
-- Written out, each predicate stood in up to four policies per table, 140 times in all, and
-- a rule changed in one copy but not the others would silently give one table other
-- rights. So each rule's predicate is written here once (app.policy_rules), and each table
-- states in one call, beside the table's other policies, which rule reads it and which
-- writes it (app.create_org_policies). The predicate is pasted into the policy as written,
-- the `(select …)` InitPlan form included: the stored policy is exactly the one a person
-- would have typed, so planning and cost are the same (nothing is called per row that the
-- rule does not call itself). Policies no rule fits (organisations, keyed by `id`; tasks,
-- escalations, proposals, briefs, renewal forecasts, the lookups, storage objects) stay
-- written out beside their table. Migration-time only: no API role may call these functions.

-- The rules: a name, the predicate (over the columns a table using it must have), and the
-- words a policy name made from it uses ("<actor> can <verb> <scope><subject>").
create or replace function app.policy_rules()
returns table (rule text, predicate text, actor text, scope text)
language sql
immutable
set search_path = ''
as $rules$
  values
    -- every active member of the row's organisation
    ('members', $p$org_id = (select app.current_org_id())$p$,
     'Members', 'their organisation''s '),
    -- the shipped catalogue (org_id null) and the organisation's own rows
    ('members and core', $p$org_id is null or org_id = (select app.current_org_id())$p$,
     'Members', 'core and organisation '),
    ('admins', $p$org_id = (select app.current_org_id()) and (select app.has_role('admin'))$p$,
     'Admins', 'their organisation''s '),
    ('managers', $p$org_id = (select app.current_org_id()) and (select app.has_role('manager', 'admin'))$p$,
     'Managers and admins', ''),
    -- profiles: an admin anyone, a manager anyone but an admin
    ('admins, managers of non-admins', $p$org_id = (select app.current_org_id()) and ((select app.has_role('admin')) or ((select app.has_role('manager')) and role <> 'admin'))$p$,
     'Admins and managers', ''),
    -- a person's own rows (user_id), inside their organisation
    ('owner', $p$user_id = (select auth.uid()) and org_id = (select app.current_org_id())$p$,
     'People', 'their own '),
    -- an execution itself: managers and admins, a csm when it is theirs or nobody's
    ('execution assignees', $p$org_id = (select app.current_org_id()) and ((select app.has_role('manager', 'admin')) or ((select app.has_role('csm')) and (assigned_to is null or assigned_to = (select auth.uid()))))$p$,
     'Assigned csm, manager or admin', ''),
    -- what hangs off an execution, a thread or an artifact: managers and admins, or whoever
    -- may work on it (app.can_work_on_execution and friends, asked only when the role is not enough)
    ('workers on execution', $p$org_id = (select app.current_org_id()) and ((select app.has_role('manager', 'admin')) or app.can_work_on_execution(execution_id))$p$,
     'Assigned csm, manager or admin', ''),
    ('workers on execution, if any', $p$org_id = (select app.current_org_id()) and ((select app.has_role('manager', 'admin')) or (execution_id is not null and app.can_work_on_execution(execution_id)))$p$,
     'Assigned csm, manager or admin', ''),
    ('workers on thread', $p$org_id = (select app.current_org_id()) and ((select app.has_role('manager', 'admin')) or app.can_work_on_thread(thread_id))$p$,
     'Assigned csm, manager or admin', ''),
    ('workers on artifact', $p$org_id = (select app.current_org_id()) and ((select app.has_role('manager', 'admin')) or app.can_work_on_artifact(artifact_id))$p$,
     'Assigned csm, manager or admin', '')
$rules$;
comment on function app.policy_rules() is
  'Migration-time only: each row-level security rule''s predicate, written once, with the words of the policy names made from it (app.create_org_policies).';
revoke execute on function app.policy_rules() from public, anon, authenticated, service_role;

-- One policy, `to authenticated`, from a rule: `select` and `delete` apply it in USING,
-- `insert` in WITH CHECK, `update` in both; named "<actor> can <verb> <scope><subject>".
create or replace function app.create_rule_policy(tbl regclass, command text, rule text, verb text, subject text)
returns void
language plpgsql
set search_path = ''
as $$
declare
  v_rule record;
  v_name text;
begin
  if command is null or command not in ('select', 'insert', 'update', 'delete') then
    raise exception 'unknown policy command % (select, insert, update or delete)', command using errcode = '22023';
  end if;
  select * into v_rule from app.policy_rules() r where r.rule = create_rule_policy.rule;
  if not found then
    raise exception 'unknown policy rule %', rule using errcode = '22023';
  end if;
  v_name := format('%s can %s %s%s', v_rule.actor, verb, v_rule.scope, subject);
  if octet_length(v_name) > 63 then
    raise exception 'policy name longer than 63 bytes: %', v_name using errcode = '22023';
  end if;
  execute format('create policy %I on %s for %s to authenticated %s', v_name, tbl, command,
    case command
      when 'insert' then format('with check (%s)', v_rule.predicate)
      when 'update' then format('using (%1$s) with check (%1$s)', v_rule.predicate)
      else format('using (%s)', v_rule.predicate)
    end);
end;
$$;
comment on function app.create_rule_policy(regclass, text, text, text, text) is
  'Migration-time only: creates one row-level security policy from a rule of app.policy_rules.';
revoke execute on function app.create_rule_policy(regclass, text, text, text, text) from public, anon, authenticated, service_role;

-- A table's policies in one call: `readers` reads (a `for select` policy, verb "read"),
-- `writers` has each command of `commands`; `verbs`, lined up with `commands`, name them
-- (default add / change / delete). A table whose commands follow different rules makes one
-- call per rule.
create or replace function app.create_org_policies(
  tbl regclass,
  subject text,
  readers text default null,
  writers text default null,
  commands text[] default '{insert,update,delete}',
  verbs text[] default null
)
returns void
language plpgsql
set search_path = ''
as $$
begin
  if readers is not null then
    perform app.create_rule_policy(tbl, 'select', readers, 'read', subject);
  end if;
  if writers is null then
    return;
  end if;
  if verbs is not null and cardinality(verbs) <> cardinality(commands) then
    raise exception 'verbs % do not line up with commands %', verbs, commands using errcode = '22023';
  end if;
  for i in 1 .. cardinality(commands) loop
    perform app.create_rule_policy(tbl, commands[i], writers,
      coalesce(verbs[i], case commands[i] when 'insert' then 'add' when 'update' then 'change' else 'delete' end),
      subject);
  end loop;
end;
$$;
comment on function app.create_org_policies(regclass, text, text, text, text[], text[]) is
  'Migration-time only: creates a table''s row-level security policies from the rules of app.policy_rules (docs/data-model.md "Row-level security").';
revoke execute on function app.create_org_policies(regclass, text, text, text, text[], text[]) from public, anon, authenticated, service_role;

-- public.get_my_profile(): who the signed-in person is (docs/data-model.md "Row-level security").
--
-- Why: the web app's first call after sign-in; everything else it shows depends on the
-- person's organisation and role. Security invoker: RLS already lets a member read
-- their own profile and organisation.

create or replace function public.get_my_profile()
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  result jsonb;
begin
  select jsonb_build_object(
           'id', p.id,
           'org_id', p.org_id,
           'org_name', o.name,
           'full_name', p.full_name,
           'email', p.email,
           'role', p.role,
           'title', p.title,
           'experience_level', p.experience_level,
           'manager_id', p.manager_id
         )
    into result
    from app.profiles p
    join app.organisations o on o.id = p.org_id
   where p.id = (select auth.uid());

  if result is null then
    raise exception 'No profile for the signed-in user'
      using errcode = 'PT404',
            hint = 'Sign in as a user who belongs to an organisation, or ask an admin to add you.';
  end if;
  return result;
end;
$$;
comment on function public.get_my_profile() is 'The signed-in person''s profile with their organisation''s name.';
revoke execute on function public.get_my_profile() from public, anon;
grant execute on function public.get_my_profile() to authenticated, service_role;

-- User preferences RPCs: public.get_user_preferences() and
-- public.update_user_preferences(changes) (docs/data-model.md "Preferences",
-- docs/business-rules.md "Preferences").
--
-- Why this shape:
-- - One description of every preference (its group, key, JSON type, default and allowed
--   values) lives in `app.user_preference_spec()`. Validation, defaults and the answer
--   are all derived from it, so adding a preference is one line here and nothing else.
-- - The table stores only what a person chose (its author's design: each group holds the
--   keys the person set). Defaults are overlaid when preferences are read, never copied
--   into the row. So a person who never touched a setting follows the product's default
--   even if that default changes later, and "fill in any missing key" is true of every
--   read by construction rather than by a repair step. A stored value that is no longer
--   valid (a key or allowed value removed in a later release) is ignored on read.
-- - get_user_preferences() still creates the caller's row on first call (empty groups),
--   so every later write is a plain update of a row that exists.
-- - update_user_preferences() validates all of `changes` before writing anything: an
--   unknown group or key, a wrong JSON type or a value outside its allowed values is
--   refused with 22023 naming the key (`ui.theme`), and nothing changes. Valid changes
--   merge key by key into the stored groups in one upsert (row-locked, so two
--   concurrent updates of different keys both land).
-- - Security invoker: RLS (user_preferences policies) already confines every read and
--   write to the caller's own row.

-- Every preference: {group: {key: {type, default, allowed?}}}. `type` is a jsonb_typeof name.
create or replace function app.user_preference_spec()
returns jsonb
language sql
immutable
parallel safe
set search_path = ''
as $$
  select '{
    "chat": {
      "shiftEnterToSubmit": {"type": "boolean", "default": false},
      "enableSoundNotifications": {"type": "boolean", "default": true},
      "autoScrollToBottom": {"type": "boolean", "default": true}
    },
    "notifications": {
      "emailDigest": {"type": "string", "default": "daily", "allowed": ["off", "daily", "weekly"]},
      "inAppNotifications": {"type": "boolean", "default": true},
      "desktopNotifications": {"type": "boolean", "default": false}
    },
    "ui": {
      "theme": {"type": "string", "default": "light", "allowed": ["light", "dark", "system"]},
      "compactMode": {"type": "boolean", "default": false},
      "sidebarCollapsed": {"type": "boolean", "default": false}
    },
    "workflow": {
      "autoAdvanceSteps": {"type": "boolean", "default": false},
      "showCompletedTasks": {"type": "boolean", "default": true}
    }
  }'::jsonb
$$;
comment on function app.user_preference_spec() is 'Every user preference: group, key, JSON type, default and allowed values (docs/business-rules.md "Preferences").';
grant execute on function app.user_preference_spec() to authenticated, service_role;

-- Is `value` acceptable for a preference described by `rule` (null rule: unknown key)?
create or replace function app.user_preference_value_is_valid(rule jsonb, value jsonb)
returns boolean
language sql
immutable
parallel safe
set search_path = ''
as $$
  select user_preference_value_is_valid.rule is not null
     and jsonb_typeof(user_preference_value_is_valid.value) is not distinct from user_preference_value_is_valid.rule ->> 'type'
     and (not user_preference_value_is_valid.rule ? 'allowed'
          or user_preference_value_is_valid.rule -> 'allowed' @> jsonb_build_array(user_preference_value_is_valid.value))
$$;
comment on function app.user_preference_value_is_valid(jsonb, jsonb) is 'True when a value has the type and one of the allowed values of its preference.';
grant execute on function app.user_preference_value_is_valid(jsonb, jsonb) to authenticated, service_role;

-- What is wrong with `changes`, one row per problem, each naming the key ('ui.theme').
-- Empty when every group, key, type and value is acceptable. `changes` must be an object.
create or replace function app.user_preference_problems(changes jsonb)
returns table (key text, problem text)
language sql
immutable
parallel safe
set search_path = ''
as $$
  with spec as (
    select app.user_preference_spec() as s
  ),
  groups as (
    select g.key as grp, g.value as val
    from jsonb_each(user_preference_problems.changes) g
  ),
  entries as (
    select gr.grp, e.key, e.value, spec.s -> gr.grp -> e.key as rule
    from groups gr
    cross join spec
    cross join lateral jsonb_each(gr.val) e
    where spec.s ? gr.grp and jsonb_typeof(gr.val) = 'object'
  )
  select gr.grp,
         format('%s is not a preference group (known groups: %s)', gr.grp,
                (select string_agg(k, ', ' order by k) from jsonb_object_keys(spec.s) k))
  from groups gr cross join spec
  where not spec.s ? gr.grp
  union all
  select gr.grp,
         format('%s must be an object of preferences, e.g. {"%s": {"%s": ...}}', gr.grp, gr.grp,
                (select min(k) from jsonb_object_keys(spec.s -> gr.grp) k))
  from groups gr cross join spec
  where spec.s ? gr.grp and jsonb_typeof(gr.val) <> 'object'
  union all
  select concat(en.grp, '.', en.key),
         case
           when en.rule is null then
             format('%s.%s is not a preference (known in %s: %s)', en.grp, en.key, en.grp,
                    (select string_agg(k, ', ' order by k) from jsonb_object_keys(spec.s -> en.grp) k))
           when jsonb_typeof(en.value) is distinct from en.rule ->> 'type' then
             format('%s.%s must be a %s, not %s', en.grp, en.key, en.rule ->> 'type', jsonb_typeof(en.value))
           else
             format('%s.%s must be one of %s', en.grp, en.key,
                    (select string_agg(a, ', ' order by o) from jsonb_array_elements_text(en.rule -> 'allowed') with ordinality x(a, o)))
         end
  from entries en cross join spec
  where not app.user_preference_value_is_valid(en.rule, en.value)
$$;
comment on function app.user_preference_problems(jsonb) is 'Every problem with a preferences change, one row per key: unknown group or key, wrong type, value not allowed.';
grant execute on function app.user_preference_problems(jsonb) to authenticated, service_role;

-- The full preferences: every group and key of the spec, the stored value where it is
-- still valid, the default otherwise. Keys the spec no longer knows are dropped.
create or replace function app.resolve_user_preferences(chat jsonb, notifications jsonb, ui jsonb, workflow jsonb)
returns jsonb
language sql
immutable
parallel safe
set search_path = ''
as $$
  with stored as (
    select jsonb_build_object(
      'chat', coalesce(resolve_user_preferences.chat, '{}'::jsonb),
      'notifications', coalesce(resolve_user_preferences.notifications, '{}'::jsonb),
      'ui', coalesce(resolve_user_preferences.ui, '{}'::jsonb),
      'workflow', coalesce(resolve_user_preferences.workflow, '{}'::jsonb)
    ) as s
  )
  select jsonb_object_agg(g.key, (
           select jsonb_object_agg(
                    k.key,
                    case when app.user_preference_value_is_valid(k.value, stored.s -> g.key -> k.key)
                         then stored.s -> g.key -> k.key
                         else k.value -> 'default' end)
           from jsonb_each(g.value) k))
  from jsonb_each(app.user_preference_spec()) g
  cross join stored
$$;
comment on function app.resolve_user_preferences(jsonb, jsonb, jsonb, jsonb) is 'Stored preference groups overlaid on the defaults: the full {chat, notifications, ui, workflow}.';
grant execute on function app.resolve_user_preferences(jsonb, jsonb, jsonb, jsonb) to authenticated, service_role;

-- The caller's preferences with every default filled in; creates their row on first call.
create or replace function public.get_user_preferences()
returns jsonb
language plpgsql
volatile
security invoker
set search_path = ''
as $$
declare
  caller_org uuid := app.current_org_id();
  stored app.user_preferences;
begin
  if caller_org is null then
    raise exception 'No profile for the signed-in user'
      using errcode = 'PT404',
            hint = 'Sign in as a user who belongs to an organisation, or ask an admin to add you.';
  end if;

  insert into app.user_preferences (user_id, org_id)
  values ((select auth.uid()), caller_org)
  on conflict (user_id) do nothing;

  select p.* into stored
  from app.user_preferences p
  where p.user_id = (select auth.uid());

  return app.resolve_user_preferences(stored.chat, stored.notifications, stored.ui, stored.workflow);
end;
$$;
comment on function public.get_user_preferences() is 'The signed-in person''s preferences {chat, notifications, ui, workflow}, defaults filled in.';
revoke execute on function public.get_user_preferences() from public, anon;
grant execute on function public.get_user_preferences() to authenticated;

-- Validates `changes` ({group: {key: value}}) as a whole, then merges it key by key into
-- the caller's stored preferences; returns the full preferences. Nothing is written
-- unless every change is acceptable.
create or replace function public.update_user_preferences(changes jsonb)
returns jsonb
language plpgsql
volatile
security invoker
set search_path = ''
as $$
declare
  caller_org uuid := app.current_org_id();
  problems text[];
  stored app.user_preferences;
begin
  if caller_org is null then
    raise exception 'No profile for the signed-in user'
      using errcode = 'PT404',
            hint = 'Sign in as a user who belongs to an organisation, or ask an admin to add you.';
  end if;

  if update_user_preferences.changes is null or jsonb_typeof(update_user_preferences.changes) <> 'object' then
    raise exception 'changes must be an object of preference groups, e.g. {"ui": {"theme": "dark"}}'
      using errcode = '22023',
            hint = 'Send {"group": {"key": value}} with groups chat, notifications, ui, workflow.';
  end if;

  select array_agg(pr.problem order by pr.key) into problems
  from app.user_preference_problems(update_user_preferences.changes) pr;

  if problems is not null then
    raise exception '%', problems[1]
      using errcode = '22023',
            detail = array_to_string(problems, '; '),
            hint = 'Nothing was changed. Send only known groups and keys with values of the right type.';
  end if;

  insert into app.user_preferences as p (user_id, org_id, chat, notifications, ui, workflow)
  values (
    (select auth.uid()),
    caller_org,
    coalesce(update_user_preferences.changes -> 'chat', '{}'::jsonb),
    coalesce(update_user_preferences.changes -> 'notifications', '{}'::jsonb),
    coalesce(update_user_preferences.changes -> 'ui', '{}'::jsonb),
    coalesce(update_user_preferences.changes -> 'workflow', '{}'::jsonb)
  )
  on conflict (user_id) do update
    set chat = p.chat || excluded.chat,
        notifications = p.notifications || excluded.notifications,
        ui = p.ui || excluded.ui,
        workflow = p.workflow || excluded.workflow
  returning p.* into stored;

  return app.resolve_user_preferences(stored.chat, stored.notifications, stored.ui, stored.workflow);
end;
$$;
comment on function public.update_user_preferences(jsonb) is 'Validates and merges preference changes key by key; returns the full preferences. 22023 naming the key on any bad change, and then nothing is changed.';
revoke execute on function public.update_user_preferences(jsonb) from public, anon;
grant execute on function public.update_user_preferences(jsonb) to authenticated;

-- The people of the caller's organisation and the organisation's sent mail
-- (web app: the manager's "Queue of" switcher, task "Reassign", the "Sent mail" page).
--
-- Why: the web app had no way to list people except through customer owners, and the
-- local mail sink writes into app.email_outbox, which nothing let a member read. Both RPCs
-- are security invoker: the "Members can read ..." policies on app.profiles and
-- app.email_outbox decide what the caller sees (their own organisation, every role). The
-- explicit `org_id = app.current_org_id()` filters only let the org-leading indexes serve.

-- The caller's organisation's people, by name, with their count of open workflows.
create or replace function public.list_team_members()
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_org uuid := app.current_org_id();
begin
  if v_org is null then
    raise exception 'Only members of an organisation have a team' using errcode = '42501';
  end if;
  return coalesce((
    select jsonb_agg(jsonb_build_object(
             'id', p.id, 'full_name', p.full_name, 'email', p.email, 'role', p.role, 'title', p.title,
             'experience_level', p.experience_level, 'manager_id', p.manager_id,
             'open_workflows', coalesce(w.open_workflows, 0))
           order by lower(p.full_name), p.id)
      from app.profiles p
      left join (
        select x.assigned_to, count(*)::integer as open_workflows
          from app.workflow_executions x
         where x.org_id = v_org
           and x.assigned_to is not null
           and x.status in ('queued', 'in_progress', 'snoozed', 'escalated')
         group by x.assigned_to
      ) w on w.assigned_to = p.id
     where p.org_id = v_org), '[]'::jsonb);
end;
$$;
comment on function public.list_team_members() is
  'The people of the caller''s organisation by name: id, full_name, email, role, title, experience_level, manager_id, open_workflows.';
revoke execute on function public.list_team_members() from public, anon;
grant execute on function public.list_team_members() to authenticated;

-- The organisation's outgoing mail, newest first, in keyset pages: {items, next_cursor}.
create or replace function public.list_outbox_messages(page_size integer default 50, cursor text default null)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_org uuid := app.current_org_id();
  v_cur jsonb;
  c_at timestamptz;
  c_id uuid;
  v_items jsonb;
  v_next text;
begin
  if v_org is null then
    raise exception 'Only members of an organisation have an outbox' using errcode = '42501';
  end if;
  perform app.check_page_size(list_outbox_messages.page_size);
  if list_outbox_messages.cursor is not null then
    begin
      v_cur := convert_from(decode(list_outbox_messages.cursor, 'base64'), 'UTF8')::jsonb;
      c_at := (v_cur ->> 'c')::timestamptz;
      c_id := (v_cur ->> 'i')::uuid;
    exception when others then
      c_id := null;
    end;
    if c_id is null or c_at is null then
      raise exception 'cursor is not valid' using errcode = '22023',
        hint = 'Pass the next_cursor of the previous page unchanged.';
    end if;
  end if;

  with page as (
    select o.*
      from app.email_outbox o
     where o.org_id = v_org
       and (c_id is null or (o.created_at, o.id) < (c_at, c_id))
     order by o.created_at desc, o.id desc
     limit list_outbox_messages.page_size + 1
  ), numbered as (
    select page.*, row_number() over (order by page.created_at desc, page.id desc) as rn from page
  )
  select coalesce(jsonb_agg(jsonb_build_object(
           'id', n.id, 'to', to_jsonb(n.to_addresses), 'cc', to_jsonb(n.cc_addresses),
           'subject', n.subject, 'body_text', n.body_text, 'body_html', n.body_html,
           'status', n.status, 'attempts', n.attempts, 'last_error', n.last_error,
           'provider_message_id', n.provider_message_id, 'sent_at', n.sent_at,
           'created_at', n.created_at, 'updated_at', n.updated_at,
           'execution_id', n.execution_id, 'artifact_id', n.artifact_id,
           'requested_by', case when n.requested_by is null then null else jsonb_build_object(
             'id', n.requested_by,
             'full_name', (select p.full_name from app.profiles p where p.id = n.requested_by and p.org_id = n.org_id)) end,
           'customer', (select jsonb_build_object('id', c.id, 'name', c.name)
                          from app.workflow_executions x
                          join app.customers c on c.id = x.customer_id and c.org_id = x.org_id
                         where x.id = n.execution_id and x.org_id = n.org_id))
           order by n.rn) filter (where n.rn <= list_outbox_messages.page_size), '[]'::jsonb),
         case when count(*) > list_outbox_messages.page_size then
           (select encode(convert_to(jsonb_build_object('c', l.created_at, 'i', l.id)::text, 'UTF8'), 'base64')
              from numbered l where l.rn = list_outbox_messages.page_size)
         end
    into v_items, v_next
    from numbered n;

  return jsonb_build_object('items', v_items, 'next_cursor', replace(v_next, E'\n', ''));
end;
$$;
comment on function public.list_outbox_messages(integer, text) is
  'The caller''s organisation''s outgoing email (the mail sink included), newest first, keyset-paged: {items, next_cursor}.';
revoke execute on function public.list_outbox_messages(integer, text) from public, anon;
grant execute on function public.list_outbox_messages(integer, text) to authenticated;

-- First run: an organisation and its first admin, so a team can start without the demo
-- seed. The person must already exist in Auth (the Auth admin API creates them on hosted
-- Supabase; `renubu org create` does both locally); this adds the organisation (its
-- settings row comes from the insert trigger, with the defaults of docs/data-model.md) and
-- makes that person its admin. The workflow catalogue is global product data
-- (20261204001300_product_catalogue.sql), so the new organisation has all of it at once.
--
-- Service role only: creating tenants is an operator's act, not something a signed-in
-- person can do through the API.

create or replace function public.create_organisation(
  name text,
  admin_user_id uuid,
  admin_full_name text,
  admin_email text,
  slug text default null,
  time_zone text default 'UTC'
)
returns jsonb
language plpgsql
volatile
set search_path = ''
as $$
declare
  v_slug text;
  v_org uuid;
begin
  if create_organisation.name is null or btrim(create_organisation.name) = '' then
    raise exception 'name must not be empty' using errcode = '22023', hint = 'Give the organisation the name its people know it by.';
  end if;
  if create_organisation.admin_user_id is null then
    raise exception 'admin_user_id is required' using errcode = '22023', hint = 'Create the person in Auth first and pass their user id.';
  end if;
  if create_organisation.admin_full_name is null or btrim(create_organisation.admin_full_name) = '' then
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
comment on function public.create_organisation(text, uuid, text, text, text, text) is
  'Service role: a new organisation with its first admin (an existing Auth user).';
revoke execute on function public.create_organisation(text, uuid, text, text, text, text) from public, anon, authenticated;
grant execute on function public.create_organisation(text, uuid, text, text, text, text) to service_role;

-- No workflow or task is handed to a deactivated person.
--
-- Why: a deactivated person can no longer sign in or see anything (the membership helpers above), yet
-- reassign_workflow, act_on_task's reassign and resolve_escalation's reassign checked only
-- that the new assignee was a csm, manager or admin of the organisation. Work given to a
-- leaver sits unseen: nobody's queue shows it as theirs to do.
--
-- Fix for the class: a trigger on both tables that hold an assignee refuses (22023) any
-- change of assigned_to to a deactivated profile made by a signed-in person, whatever RPC
-- makes it. New rows are left alone on purpose: the orchestrator opens work for a customer's
-- CSM (the customer's own assignment), and that is a hand-over for the admin to do after a
-- deactivation, not a reason to stop the daily run.

create or replace function app.refuse_assignment_to_deactivated()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if (select auth.uid()) is not null
     and new.assigned_to is not null
     and exists (select 1 from app.profiles p where p.id = new.assigned_to and p.deactivated_at is not null) then
    raise exception 'That person has been deactivated and cannot take work' using errcode = '22023',
      hint = 'Assign it to an active member of your organisation.';
  end if;
  return new;
end;
$$;
comment on function app.refuse_assignment_to_deactivated() is
  'Trigger: a person cannot hand a workflow or task to a deactivated profile (22023).';
revoke execute on function app.refuse_assignment_to_deactivated() from public, anon;

-- New workflows for a deactivated person's customers are opened unassigned.
--
-- Why: the orchestrator (and create_workflow_execution without an assignee) gives a new
-- workflow to the customer's CSM. Once that CSM is deactivated they can no longer sign in,
-- so each new renewal for their customers would sit in a queue nobody sees until an admin
-- reassigns the customers. Unassigned work is visible to the team and any csm may take it.
--
-- Fix: a BEFORE INSERT trigger that clears an assignee who has been deactivated (the same
-- rule as app.refuse_assignment_to_deactivated for reassignments, which refuse instead: there a person chose the
-- assignee, here the customer's stale assignment did). Nothing else about the row changes.

create or replace function app.unassign_new_work_of_deactivated()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if exists (select 1 from app.profiles p where p.id = new.assigned_to and p.deactivated_at is not null) then
    new.assigned_to := null;
  end if;
  return new;
end;
$$;
comment on function app.unassign_new_work_of_deactivated() is
  'Trigger: a new workflow for a deactivated person is opened unassigned, for the team to pick up.';
revoke execute on function app.unassign_new_work_of_deactivated() from public, anon;

-- Row-level security: who reads and writes what (docs/business-rules.md "Tenancy and roles").
--
-- Why: RPCs are security invoker, so these policies are the one place the rules live:
-- - members read everything of their own organisation, except other people's
--   preferences and notifications; nobody reads or writes another organisation's rows;
-- - viewer writes nothing but its own preferences and notifications;
-- - csm changes executions, tasks, artifacts and threads of workflows assigned to them
--   or to nobody (app.can_work_on_execution and friends);
-- - manager and admin change anything in their organisation, except that only admin
--   changes organisation settings, workflow definitions, saved actions and webhook
--   secrets (and a manager cannot create, edit or remove an admin);
-- - anon has no privileges on `app` at all (see the grants migration).
-- One policy per command, `to authenticated`, named as a sentence. Every membership test
-- is `org_id = (select app.current_org_id())`: an InitPlan computed once per statement
-- and an equality that indexes leading with `org_id` serve. Tables with no policy for a
-- command refuse it (and the grants migration does not grant it either).

-- organisations (created and removed by the service only)

create policy "Members can read their own organisation"
  on app.organisations for select to authenticated
  using (id = (select app.current_org_id()));

create policy "Admins can rename their own organisation"
  on app.organisations for update to authenticated
  using (id = (select app.current_org_id()) and (select app.has_role('admin')))
  with check (id = (select app.current_org_id()) and (select app.has_role('admin')));

-- organisation settings (one row per organisation, created with it)
select app.create_org_policies('app.organisation_settings', 'settings', readers => 'members', writers => 'admins', commands => '{update}');

-- profiles
select app.create_org_policies('app.profiles', 'profiles', readers => 'members');
select app.create_org_policies('app.profiles', 'non-admin people', writers => 'admins, managers of non-admins', verbs => '{add,change,remove}');

-- user preferences (private to their owner, every role included)
select app.create_org_policies('app.user_preferences', 'preferences', readers => 'owner', writers => 'owner', verbs => '{create,change,delete}');

select app.create_touch_triggers('app.organisations', 'app.organisation_settings', 'app.profiles', 'app.user_preferences');

create trigger organisations_create_settings after insert on app.organisations
  for each row execute function app.create_organisation_settings();
