-- User preferences RPCs: public.get_user_preferences() and
-- public.update_user_preferences(changes) (api.md "Preferences and notifications",
-- domain.md "User preferences").
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
comment on function app.user_preference_spec() is 'Every user preference: group, key, JSON type, default and allowed values (domain.md).';

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

grant execute on function app.user_preference_spec() to authenticated, service_role;
grant execute on function app.user_preference_value_is_valid(jsonb, jsonb) to authenticated, service_role;
grant execute on function app.user_preference_problems(jsonb) to authenticated, service_role;
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
