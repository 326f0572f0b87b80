-- People administration: list_people() and update_person(profile_id, changes) (docs/admin.md
-- "Administration"; issue 16 "People").
--
-- Why: an admin had to use SQL to change a role, a manager, a title or to take someone's
-- access away. The rules, in the order update_person checks them:
--
--   caller        admin ─────────── every field of anyone in their organisation
--                 manager ──────── manager, title, experience level, active of non-admins
--                 csm / viewer ─── nothing (42501)
--   role          admins only; never one's own (so nobody makes themselves admin)
--   active        never one's own; false = deactivated:
--                   active ──deactivate──▶ deactivated ──reactivate──▶ active
--                 deactivating bans the auth user (auth.users.banned_until, GoTrue's own
--                 column, checked by the password and refresh grants on hosted Supabase and
--                 locally) and ends their sessions; the answer lists their open work so it
--                 can be handed over.
--
-- The role and self rules are also a trigger on app.profiles (guard_profile_changes), so
-- they hold for any future RPC that updates a profile, not only for update_person. Each
-- change is recorded with app.record_admin_change (20261205040000_admin_audit_log.sql).

alter table app.profiles add column deactivated_at timestamptz;
comment on column app.profiles.deactivated_at is 'When an admin or manager took this person''s access away; null while active.';

-- Is the signed-in person's profile active? A deactivated person's access token stays
-- valid until it expires (at most an hour); the administration RPCs refuse them at once.
create or replace function app.caller_is_active()
returns boolean
language plpgsql
stable
security definer -- reads the caller's own profile without re-entering profiles' RLS
set search_path = ''
as $$
begin
  return exists (select 1 from app.profiles p where p.id = (select auth.uid()) and p.deactivated_at is null);
end;
$$;
revoke execute on function app.caller_is_active() from public, anon;
grant execute on function app.caller_is_active() to authenticated, service_role;

-- The audit writer of 20261205040000, now also refusing a deactivated caller, so no
-- administrative change is made by someone whose access was taken away.
create or replace function app.record_admin_change(
  p_entity text, p_entity_id text, p_action text, p_before jsonb, p_after jsonb
)
returns void
language plpgsql
security definer -- writes the append-only log that callers have no grant on
set search_path = ''
as $$
declare
  v_org uuid := app.current_org_id();
  v_actor uuid := auth.uid();
begin
  if v_org is null or v_actor is null or not app.has_role('admin', 'manager') or not app.caller_is_active() then
    raise exception 'Only active admins and managers of an organisation make administrative changes'
      using errcode = '42501';
  end if;
  perform app.write_admin_audit(v_org, v_actor, p_entity, p_entity_id, p_action, p_before, p_after);
end;
$$;

-- A person cannot change their own role or deactivate themselves, and only admins change
-- roles, whatever RPC performs the update (the service role and migrations are exempt).
create or replace function app.guard_profile_changes()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if current_user <> 'authenticated' then
    return new;
  end if;
  if new.role is distinct from old.role then
    if old.id = (select auth.uid()) then
      raise exception 'Nobody can change their own role' using errcode = '42501',
        hint = 'Ask another admin of your organisation.';
    end if;
    if not app.has_role('admin') then
      raise exception 'Only admins can change roles' using errcode = '42501';
    end if;
  end if;
  if new.deactivated_at is distinct from old.deactivated_at and old.id = (select auth.uid()) then
    raise exception 'You cannot deactivate or reactivate yourself' using errcode = '42501',
      hint = 'Ask another admin of your organisation.';
  end if;
  if new.org_id is distinct from old.org_id or new.id is distinct from old.id then
    raise exception 'A person cannot move to another organisation' using errcode = '42501';
  end if;
  return new;
end;
$$;
create trigger profiles_guard_changes before update on app.profiles
  for each row execute function app.guard_profile_changes();

-- Deactivation reaches sign-in: GoTrue refuses a banned user at the password and refresh
-- grants (400 user_banned), so the ban and the profile can never disagree.
create or replace function app.sync_person_sign_in()
returns trigger
language plpgsql
security definer -- writes auth.users and auth.sessions, which API roles cannot touch
set search_path = ''
as $$
begin
  if new.deactivated_at is not null then
    update auth.users u set banned_until = now() + interval '100 years', updated_at = now() where u.id = new.id;
    delete from auth.sessions s where s.user_id = new.id;
  else
    update auth.users u set banned_until = null, updated_at = now() where u.id = new.id;
  end if;
  return null;
end;
$$;
create trigger profiles_sync_sign_in after update of deactivated_at on app.profiles
  for each row when (new.deactivated_at is distinct from old.deactivated_at)
  execute function app.sync_person_sign_in();

-- Sign-in facts of the caller's organisation's people (auth.users is not readable by API
-- roles); only admins and managers learn them.
create or replace function app.people_sign_in_state()
returns table (id uuid, invited_at timestamptz, confirmed boolean, last_sign_in_at timestamptz)
language plpgsql
stable
security definer -- reads auth.users for the caller's organisation only
set search_path = ''
as $$
begin
  if not app.has_role('admin', 'manager') then
    return;
  end if;
  return query
    select u.id, u.invited_at, u.email_confirmed_at is not null, u.last_sign_in_at
      from app.profiles p
      join auth.users u on u.id = p.id
     where p.org_id = app.current_org_id();
end;
$$;
revoke execute on function app.people_sign_in_state() from public, anon;
grant execute on function app.people_sign_in_state() to authenticated;

-- One person as list_people shows them.
create or replace function app.person_json(p app.profiles)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select jsonb_build_object(
    'id', p.id, 'full_name', p.full_name, 'email', p.email, 'role', p.role, 'title', p.title,
    'experience_level', p.experience_level, 'manager_id', p.manager_id,
    'manager_name', (select m.full_name from app.profiles m where m.id = p.manager_id and m.org_id = p.org_id),
    'active', p.deactivated_at is null, 'deactivated_at', p.deactivated_at, 'created_at', p.created_at,
    'open_workflows', (select count(*)::integer from app.workflow_executions x
                        where x.org_id = p.org_id and x.assigned_to = p.id
                          and x.status in ('queued', 'in_progress', 'snoozed', 'escalated')),
    'open_tasks', (select count(*)::integer from app.workflow_tasks t
                    where t.org_id = p.org_id and t.assigned_to = p.id
                      and t.status in ('pending', 'in_progress', 'snoozed')))
$$;

-- What a person still has open, to hand over when they leave.
create or replace function app.person_open_work(p_person uuid, p_org uuid)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select jsonb_build_object(
    'executions', coalesce((
      select jsonb_agg(jsonb_build_object(
               'id', x.id, 'status', x.status, 'workflow_name', w.name, 'workflow_key', w.key,
               'customer', jsonb_build_object('id', c.id, 'name', c.name))
             order by c.name, x.id)
        from app.workflow_executions x
        join app.customers c on c.id = x.customer_id and c.org_id = x.org_id
        left join app.workflows w on w.id = x.workflow_id
       where x.org_id = p_org and x.assigned_to = p_person
         and x.status in ('queued', 'in_progress', 'snoozed', 'escalated')), '[]'::jsonb),
    'tasks', coalesce((
      select jsonb_agg(jsonb_build_object(
               'id', t.id, 'title', t.title, 'status', t.status, 'due_date', t.due_date,
               'execution_id', t.execution_id,
               'customer', jsonb_build_object('id', c.id, 'name', c.name))
             order by t.due_date nulls last, t.id)
        from app.workflow_tasks t
        join app.customers c on c.id = t.customer_id and c.org_id = t.org_id
       where t.org_id = p_org and t.assigned_to = p_person
         and t.status in ('pending', 'in_progress', 'snoozed')), '[]'::jsonb))
$$;

-- Admins and managers: everyone of the organisation with role, manager, sign-in state and
-- open work counts, by name.
create or replace function public.list_people()
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_org uuid := app.current_org_id();
begin
  if v_org is null or not app.has_role('admin', 'manager') or not app.caller_is_active() then
    raise exception 'Only admins and managers can list people' using errcode = '42501';
  end if;
  return coalesce((
    select jsonb_agg(app.person_json(p) || jsonb_build_object(
             'invited_at', s.invited_at,
             'last_sign_in_at', s.last_sign_in_at,
             'status', case when p.deactivated_at is not null then 'deactivated'
                            when s.confirmed is not true and s.last_sign_in_at is null then 'invited'
                            else 'active' end)
           order by lower(p.full_name), p.id)
      from app.profiles p
      left join app.people_sign_in_state() s on s.id = p.id
     where p.org_id = v_org), '[]'::jsonb);
end;
$$;
comment on function public.list_people() is
  'Admins and managers: the organisation''s people with role, manager, title, level, status (active, invited, deactivated) and open work counts.';
revoke execute on function public.list_people() from public, anon;
grant execute on function public.list_people() to authenticated;

-- Changes role, manager_id, title, experience_level and active of one person; returns
-- {person, open_work{executions[], tasks[]}}.
create or replace function public.update_person(profile_id uuid, changes jsonb)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_org uuid := app.current_org_id();
  v_me uuid := (select auth.uid());
  v_admin boolean := app.has_role('admin');
  v_old app.profiles;
  v_new app.profiles;
  v_key text;
  v_manager uuid;
  v_active boolean;
  v_before jsonb := '{}'::jsonb;
  v_after jsonb := '{}'::jsonb;
begin
  if v_org is null or not app.has_role('admin', 'manager') or not app.caller_is_active() then
    raise exception 'Only admins and managers can change people' using errcode = '42501';
  end if;
  if update_person.changes is null or jsonb_typeof(update_person.changes) <> 'object' or update_person.changes = '{}'::jsonb then
    raise exception 'changes must be an object with at least one of role, manager_id, title, experience_level, active'
      using errcode = '22023';
  end if;
  for v_key in select jsonb_object_keys(update_person.changes) loop
    if v_key not in ('role', 'manager_id', 'title', 'experience_level', 'active') then
      raise exception 'changes.% cannot be changed here', v_key using errcode = '22023',
        hint = 'Allowed: role, manager_id, title, experience_level, active.';
    end if;
  end loop;

  -- Visible first (a manager's row lock would skip an admin's row, which the update policy
  -- hides from them), then locked.
  select * into v_old from app.profiles p
   where p.id = update_person.profile_id and p.org_id = v_org;
  if v_old.id is null then
    raise exception 'Person not found' using errcode = 'PT404';
  end if;
  if not v_admin and v_old.role = 'admin' then
    raise exception 'Only admins can change an admin' using errcode = '42501';
  end if;
  select * into v_old from app.profiles p
   where p.id = update_person.profile_id and p.org_id = v_org
   for update;
  if v_old.id is null or (not v_admin and v_old.role = 'admin') then
    raise exception 'This person changed meanwhile; try again' using errcode = 'PT409';
  end if;
  v_new := v_old;

  if update_person.changes ? 'role' then
    if jsonb_typeof(update_person.changes -> 'role') is distinct from 'string'
       or update_person.changes ->> 'role' not in ('admin', 'manager', 'csm', 'viewer') then
      raise exception 'changes.role must be one of admin, manager, csm, viewer' using errcode = '22023';
    end if;
    if not v_admin then
      raise exception 'Only admins can change roles' using errcode = '42501';
    end if;
    if v_old.id = v_me and update_person.changes ->> 'role' <> v_old.role then
      raise exception 'Nobody can change their own role' using errcode = '42501',
        hint = 'Ask another admin of your organisation.';
    end if;
    v_new.role := update_person.changes ->> 'role';
  end if;

  if update_person.changes ? 'manager_id' then
    if jsonb_typeof(update_person.changes -> 'manager_id') = 'null' then
      v_manager := null;
    else
      v_manager := app.uuid_param(update_person.changes, 'manager_id');
      if v_manager is null then
        raise exception 'changes.manager_id must be a person''s id or null' using errcode = '22023';
      end if;
      if v_manager = v_old.id then
        raise exception 'Nobody can be their own manager' using errcode = '22023';
      end if;
      if not exists (select 1 from app.profiles m where m.id = v_manager and m.org_id = v_org
                      and m.role in ('manager', 'admin') and m.deactivated_at is null) then
        raise exception 'changes.manager_id must be an active manager or admin of your organisation' using errcode = '22023';
      end if;
      -- No loops: the new manager must not report (directly or not) to this person.
      if exists (
        with recursive chain(id, depth) as (
          select m.manager_id, 1 from app.profiles m where m.id = v_manager and m.org_id = v_org
          union all
          select m.manager_id, c.depth + 1 from chain c join app.profiles m on m.id = c.id and m.org_id = v_org
           where c.depth < 50
        )
        select 1 from chain where chain.id = v_old.id
      ) then
        raise exception 'That manager reports to this person already' using errcode = '22023',
          hint = 'Pick someone above this person, or change the other manager first.';
      end if;
    end if;
    v_new.manager_id := v_manager;
  end if;

  if update_person.changes ? 'title' then
    if jsonb_typeof(update_person.changes -> 'title') not in ('string', 'null')
       or length(update_person.changes ->> 'title') > 120 then
      raise exception 'changes.title must be text of at most 120 characters, or null' using errcode = '22023';
    end if;
    v_new.title := nullif(btrim(update_person.changes ->> 'title'), '');
  end if;

  if update_person.changes ? 'experience_level' then
    if jsonb_typeof(update_person.changes -> 'experience_level') <> 'null'
       and (jsonb_typeof(update_person.changes -> 'experience_level') <> 'string'
            or update_person.changes ->> 'experience_level' not in ('junior', 'mid', 'senior', 'expert')) then
      raise exception 'changes.experience_level must be one of junior, mid, senior, expert, or null' using errcode = '22023';
    end if;
    v_new.experience_level := update_person.changes ->> 'experience_level';
  end if;

  if update_person.changes ? 'active' then
    if jsonb_typeof(update_person.changes -> 'active') <> 'boolean' then
      raise exception 'changes.active must be true or false' using errcode = '22023';
    end if;
    v_active := (update_person.changes ->> 'active')::boolean;
    if v_old.id = v_me and v_active is distinct from (v_old.deactivated_at is null) then
      raise exception 'You cannot deactivate or reactivate yourself' using errcode = '42501',
        hint = 'Ask another admin of your organisation.';
    end if;
    v_new.deactivated_at := case
      when v_active then null
      else coalesce(v_old.deactivated_at, now())
    end;
  end if;

  update app.profiles p
     set role = v_new.role, manager_id = v_new.manager_id, title = v_new.title,
         experience_level = v_new.experience_level, deactivated_at = v_new.deactivated_at
   where p.id = v_old.id
  returning * into v_new;

  -- Only what changed goes into the log.
  select coalesce(jsonb_object_agg(o.key, o.value), '{}'::jsonb), coalesce(jsonb_object_agg(o.key, n.value), '{}'::jsonb)
    into v_before, v_after
    from jsonb_each(jsonb_build_object('role', v_old.role, 'manager_id', v_old.manager_id, 'title', v_old.title,
                                       'experience_level', v_old.experience_level, 'active', v_old.deactivated_at is null)) o
    join jsonb_each(jsonb_build_object('role', v_new.role, 'manager_id', v_new.manager_id, 'title', v_new.title,
                                       'experience_level', v_new.experience_level, 'active', v_new.deactivated_at is null)) n
      on n.key = o.key
   where n.value is distinct from o.value;
  if v_after <> '{}'::jsonb then
    perform app.record_admin_change(
      'person', v_new.id::text,
      case when v_after ? 'active' and (v_after ->> 'active')::boolean is false then 'deactivate'
           when v_after ? 'active' then 'reactivate'
           else 'update' end,
      v_before, v_after);
  end if;

  return jsonb_build_object('person', app.person_json(v_new), 'open_work', app.person_open_work(v_new.id, v_org));
end;
$$;
comment on function public.update_person(uuid, jsonb) is
  'Admins (managers: not roles, not admins): changes role, manager_id, title, experience_level, active; returns {person, open_work}.';
revoke execute on function public.update_person(uuid, jsonb) from public, anon;
grant execute on function public.update_person(uuid, jsonb) to authenticated;

-- The invite-person Edge Function's second half: after the Auth admin API created (and
-- invited) the user, their profile joins the inviting admin's organisation. The service
-- role names the admin; the admin is checked again here.
create or replace function public.create_invited_person(
  actor_id uuid, user_id uuid, email text, full_name text, role text,
  manager_id uuid default null, title text default null, experience_level text default null
)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_org uuid;
  v_person app.profiles;
begin
  select p.org_id into v_org from app.profiles p
   where p.id = create_invited_person.actor_id and p.role = 'admin' and p.deactivated_at is null;
  if v_org is null then
    raise exception 'Only active admins can invite people' using errcode = '42501';
  end if;
  if create_invited_person.role is null or create_invited_person.role not in ('admin', 'manager', 'csm', 'viewer') then
    raise exception 'role must be one of admin, manager, csm, viewer' using errcode = '22023';
  end if;
  if nullif(btrim(create_invited_person.full_name), '') is null or length(create_invited_person.full_name) > 200 then
    raise exception 'full_name is required (at most 200 characters)' using errcode = '22023';
  end if;
  if create_invited_person.experience_level is not null
     and create_invited_person.experience_level not in ('junior', 'mid', 'senior', 'expert') then
    raise exception 'experience_level must be one of junior, mid, senior, expert' using errcode = '22023';
  end if;
  if create_invited_person.manager_id is not null and not exists (
       select 1 from app.profiles m where m.id = create_invited_person.manager_id and m.org_id = v_org
          and m.role in ('manager', 'admin') and m.deactivated_at is null) then
    raise exception 'manager_id must be an active manager or admin of your organisation' using errcode = '22023';
  end if;
  if exists (select 1 from app.profiles p where p.id = create_invited_person.user_id) then
    raise exception 'This person already belongs to an organisation' using errcode = 'PT409';
  end if;
  if nullif(btrim(create_invited_person.email), '') is null or create_invited_person.email !~ '^[^@\s]+@[^@\s]+$' then
    raise exception 'email must be an email address' using errcode = '22023';
  end if;

  insert into app.profiles (id, org_id, role, manager_id, full_name, email, title, experience_level)
  values (create_invited_person.user_id, v_org, create_invited_person.role, create_invited_person.manager_id,
          btrim(create_invited_person.full_name), lower(create_invited_person.email),
          nullif(btrim(create_invited_person.title), ''), create_invited_person.experience_level)
  returning * into v_person;
  -- (profiles.id references auth.users: an id the Auth API did not create is a 23503.)

  perform app.write_admin_audit(v_org, create_invited_person.actor_id, 'person', v_person.id::text, 'invite', null,
    jsonb_build_object('email', v_person.email, 'full_name', v_person.full_name, 'role', v_person.role,
                       'manager_id', v_person.manager_id));
  return app.person_json(v_person) || jsonb_build_object('status', 'invited');
end;
$$;
comment on function public.create_invited_person(uuid, uuid, text, text, text, uuid, text, text) is
  'Service role only (invite-person): the invited auth user''s profile in the inviting admin''s organisation, audited.';
revoke execute on function public.create_invited_person(uuid, uuid, text, text, text, uuid, text, text) from public, anon, authenticated;
grant execute on function public.create_invited_person(uuid, uuid, text, text, text, uuid, text, text) to service_role;

grant execute on function app.person_json(app.profiles) to authenticated, service_role;
grant execute on function app.person_open_work(uuid, uuid) to authenticated, service_role;
