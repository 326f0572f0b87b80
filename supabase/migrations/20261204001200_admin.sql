-- Administration: the audit log, people administration, integrations, workflow definitions
-- (and disabled core workflows), saved action settings and organisation settings.
--
-- Part of the release baseline (docs/schema.md): one file per area, in dependency order.
-- From now on migrations are append-only: a change is a new timestamped file.
--
-- A long function is a guard and a dispatcher over small functions with one job each, named
-- after what they do (issue 17), so a reader can hold each piece in their head. The helpers
-- live in `app`, set search_path = '', run as their caller (RLS applies) unless they serve a
-- security definer function, and are executable only by the roles whose calls reach them.

-- Administration audit: who changed what in an organisation's setup, when, from what to
-- what (issue 16, "every admin change recorded and visible on an Audit page").
--
-- Why: people, roles, webhook secrets, workflow definitions and settings are changed from
-- the Admin pages; an admin must be able to see afterwards who did it and what the row
-- looked like before and after. The log is append-only and written by the server only:
--
--   admin RPC (security invoker, RLS decides the change)
--     └─ app.record_admin_change(entity, entity_id, action, before, after)
--          security definer: org = app.current_org_id(), actor = auth.uid()
--          └─ insert into app.admin_audit_log            (nobody else inserts)
--   public.list_admin_audit(page_size, cursor, entity)   admins of the org, newest first
--
-- The caller cannot choose the organisation or the actor: both come from the signed-in
-- person (their JWT's `sub` and that person's profile), like every other RPC here. Work the
-- service role does on an admin's behalf (the invite-person function) names the actor
-- explicitly through app.write_admin_audit, which only the service role may execute.
--
-- actor_id has no foreign key on purpose: an audit row outlives the person who made it.

create table app.admin_audit_log (
  id bigint generated always as identity primary key,
  org_id uuid not null references app.organisations (id) on delete cascade,
  actor_id uuid,
  entity text not null,
  entity_id text,
  action text not null,
  before jsonb,
  after jsonb,
  at timestamptz not null default now(),
  constraint admin_audit_log_entity_is_a_word check (entity ~ '^[a-z][a-z0-9_]{0,62}$'),
  constraint admin_audit_log_action_is_a_word check (action ~ '^[a-z][a-z0-9_]{0,62}$'),
  constraint admin_audit_log_entity_id_is_short check (entity_id is null or length(entity_id) <= 200)
);
comment on table app.admin_audit_log is 'Append-only record of administrative changes: who, when, which row, before and after.';
alter table app.admin_audit_log enable row level security;
-- No insert, update or delete policy and no such grant: rows come from the functions below.
grant select on app.admin_audit_log to authenticated;
grant select on app.admin_audit_log to service_role;

create index admin_audit_log_org_id_at_idx on app.admin_audit_log (org_id, at desc, id desc);

create index admin_audit_log_org_id_entity_at_idx on app.admin_audit_log (org_id, entity, at desc, id desc);

-- Administration of the workflow catalogue: list, read, save (a new version) and switch
-- off workflow definitions without SQL (issue 16 item 2; docs/admin.md "Workflows,
-- actions and settings").
--
-- Why this shape:
-- - One definition document, {name, description, type, trigger, base_score, steps[] with
--   their branches[], change_note}, is what the editor edits, what
--   save_workflow_definition takes and what get_workflow_definition returns. Its rules are
--   written once as a zod schema (functions-shared/admin/workflow-definition.ts, from which
--   the JSON Schema is generated) and enforced here by app.workflow_definition_problems;
--   tests/unit/admin-workflow-definition-agreement.test.ts runs the same valid and invalid
--   fixtures through both, so the two cannot drift. Rules that need the organisation's data
--   (a branch's saved action exists, its default params fit that action's limits) are SQL
--   only: app.workflow_definition_org_problems.
-- - Versions: saving inserts a new app.workflow_versions row (and its branch rows) and
--   moves the definition's current_version; nothing is updated in place. Executions point
--   at the version they were opened with (workflow_executions.workflow_version_id), and
--   their step rows are made from that version, so running and queued work keeps its
--   steps; executions opened afterwards get the new ones.
-- - Overrides: an organisation's edit of a core definition creates its own app.workflows
--   row (overrides_workflow_id = the core row) whose first version numbers on from the
--   core's current version, so a stale base_version is still caught on the first edit.
--   The core row is never written. An override keeps the core's name, type, trigger and
--   score (the queue, the priority score and the orchestrator read those from the
--   definition an execution belongs to); its steps and branches are the organisation's.
-- - Identity: app.effective_workflows (shared by the orchestrator and
--   create_workflow_execution) now answers an override with the core definition's id and
--   the override's current version. An execution's workflow_id therefore stays the same
--   when an organisation starts overriding a definition: the orchestrator neither
--   supersedes open work nor opens a second execution for it (the one-open-per-customer-
--   and-workflow index is keyed on workflow_id), and new executions run the override's
--   steps.
-- - Switching off: app.disabled_workflows holds the keys an organisation turned off;
--   app.effective_workflows leaves them out, so neither the orchestrator nor
--   create_workflow_execution opens new executions of them. Open executions are left as
--   they are (the orchestrator's renewal pass closes an open renewal whose definition it
--   no longer runs as superseded, as it does when a stage moves on).
-- - Every change is recorded with app.record_admin_change (the audit log above).

-- ------------------------------------------------------------------------------ table

create table app.disabled_workflows (
  org_id uuid not null references app.organisations (id) on delete cascade,
  workflow_key text not null,
  disabled_by uuid,
  disabled_at timestamptz not null default now(),
  constraint disabled_workflows_pkey primary key (org_id, workflow_key),
  constraint disabled_workflows_key_is_kebab_case check (workflow_key ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  constraint disabled_workflows_disabled_by_is_in_organisation foreign key (org_id, disabled_by)
    references app.profiles (org_id, id) on delete set null (disabled_by)
);
comment on table app.disabled_workflows is 'Workflow keys an organisation switched off: no new executions of them are opened.';
alter table app.disabled_workflows enable row level security;
grant select, insert, delete on app.disabled_workflows to authenticated;
grant select on app.disabled_workflows to service_role;

create index disabled_workflows_org_id_disabled_by_idx on app.disabled_workflows (org_id, disabled_by)
  where disabled_by is not null;

-- The definitions an organisation runs: its own (active) row for a key, else the core one,
-- with the current version, its step count and first step.
create or replace function app.effective_workflows(org_id uuid)
returns table (
  workflow_id uuid,
  key text,
  name text,
  workflow_type text,
  base_score numeric,
  trigger_config jsonb,
  version_id uuid,
  total_steps integer,
  first_step_key text,
  first_step_title text
)
language sql
stable
set search_path = ''
as $$
  -- An override answers with the core definition's id (the identity executions keep) and
  -- its own current version; switched-off keys are left out.
  select coalesce(w.overrides_workflow_id, w.id), w.key, w.name, w.workflow_type, w.base_score, w.trigger_config,
         v.id, coalesce(jsonb_array_length(v.config -> 'steps'), 0),
         v.config -> 'steps' -> 0 ->> 'key', v.config -> 'steps' -> 0 ->> 'title'
    from (
      select distinct on (w0.key) w0.*
        from app.workflows w0
       where w0.is_active
         and (w0.org_id = effective_workflows.org_id or w0.org_id is null)
       order by w0.key, w0.org_id nulls last
    ) w
    join app.workflow_versions v on v.workflow_id = w.id and v.version = w.current_version
   where not exists (select 1 from app.disabled_workflows d
                      where d.org_id = effective_workflows.org_id and d.workflow_key = w.key)
$$;
grant execute on function app.effective_workflows(uuid) to authenticated, service_role;
comment on function app.effective_workflows(uuid) is
  'The workflow definitions an organisation runs (its override, else the core one; switched-off keys left out) with their current version; an override keeps the core id.';

-- The orchestrator's fingerprint (workflows area): what its decisions depend on besides the
-- customers and their executions. Here, after app.effective_workflows, which it reads.
create or replace function app.orchestrator_fingerprint(org_id uuid)
returns text
language sql
stable
set search_path = ''
as $$
  select md5(
    coalesce((select string_agg(concat_ws('|', f.workflow_id, f.key, f.workflow_type, f.base_score, f.trigger_config,
                                          f.version_id, f.total_steps, f.first_step_key), ',' order by f.key)
                from app.effective_workflows(orchestrator_fingerprint.org_id) f), '')
    || '#' ||
    coalesce((select concat_ws('|', s.time_zone, s.risk_score_trigger, s.opportunity_score_trigger, s.renewal_overdue_cutoff_days)
                from app.organisation_settings s where s.org_id = orchestrator_fingerprint.org_id), ''))
$$;
revoke execute on function app.orchestrator_fingerprint(uuid) from public, anon, authenticated;
grant execute on function app.orchestrator_fingerprint(uuid) to service_role;

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
grant execute on function app.saved_action_entry(app.saved_actions) to authenticated, service_role;

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
revoke execute on function public.list_saved_actions() from public, anon;
grant execute on function public.list_saved_actions() to authenticated;
comment on function public.list_saved_actions() is
  'The saved actions of the caller''s organisation with their effective config (its override, else the core one): {key, name, type, description, config, scope, core_config}.';

-- The one writer. Validates the names so the log stays readable.
create or replace function app.write_admin_audit(
  p_org_id uuid, p_actor_id uuid, p_entity text, p_entity_id text, p_action text, p_before jsonb, p_after jsonb
)
returns void
language plpgsql
security definer -- the log has no insert grant for anyone; this is its only door
set search_path = ''
as $$
begin
  if p_org_id is null then
    raise exception 'An audit entry needs an organisation' using errcode = '22023';
  end if;
  if p_entity is null or p_entity !~ '^[a-z][a-z0-9_]{0,62}$' then
    raise exception 'entity must be a lowercase word such as person or webhook_secret' using errcode = '22023';
  end if;
  if p_action is null or p_action !~ '^[a-z][a-z0-9_]{0,62}$' then
    raise exception 'action must be a lowercase word such as update or revoke' using errcode = '22023';
  end if;
  insert into app.admin_audit_log (org_id, actor_id, entity, entity_id, action, before, after)
  values (p_org_id, p_actor_id, p_entity, left(p_entity_id, 200), p_action, p_before, p_after);
end;
$$;
comment on function app.write_admin_audit(uuid, uuid, text, text, text, jsonb, jsonb) is
  'Service role only: appends an audit entry for an explicit organisation and actor.';
revoke execute on function app.write_admin_audit(uuid, uuid, text, text, text, jsonb, jsonb) from public, anon, authenticated;
grant execute on function app.write_admin_audit(uuid, uuid, text, text, text, jsonb, jsonb) to service_role;

-- What admin RPCs call after a change: the organisation and actor are the caller's. A
-- deactivated caller is refused, so no administrative change is made by someone whose
-- access was taken away.
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
comment on function app.record_admin_change(text, text, text, jsonb, jsonb) is
  'Appends an audit entry for the signed-in admin or manager''s organisation (entity, entity_id, action, before, after).';
revoke execute on function app.record_admin_change(text, text, text, jsonb, jsonb) from public, anon;
grant execute on function app.record_admin_change(text, text, text, jsonb, jsonb) to authenticated;

-- The organisation's audit log, newest first, keyset-paged: {items, next_cursor}.
create or replace function public.list_admin_audit(
  page_size integer default 50, cursor text default null, entity text default null
)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_org uuid := app.current_org_id();
  v_cur jsonb;
  c_at timestamptz;
  c_id bigint;
  v_items jsonb;
  v_next text;
begin
  if v_org is null or not app.has_role('admin') then
    raise exception 'Only admins can read the audit log' using errcode = '42501';
  end if;
  perform app.check_page_size(list_admin_audit.page_size);
  if list_admin_audit.cursor is not null then
    begin
      v_cur := convert_from(decode(list_admin_audit.cursor, 'base64'), 'UTF8')::jsonb;
      c_at := (v_cur ->> 'c')::timestamptz;
      c_id := (v_cur ->> 'i')::bigint;
    exception when others then
      c_id := null;
    end;
    if c_id is null or c_at is null then
      raise exception 'cursor is not valid' using errcode = '22023',
        hint = 'Pass the next_cursor of the previous page unchanged.';
    end if;
  end if;

  with page as (
    select l.*
      from app.admin_audit_log l
     where l.org_id = v_org
       and (list_admin_audit.entity is null or l.entity = list_admin_audit.entity)
       and (c_id is null or (l.at, l.id) < (c_at, c_id))
     order by l.at desc, l.id desc
     limit list_admin_audit.page_size + 1
  ), numbered as (
    select page.*, row_number() over (order by page.at desc, page.id desc) as rn from page
  )
  select coalesce(jsonb_agg(jsonb_build_object(
           'id', n.id, 'at', n.at, 'entity', n.entity, 'entity_id', n.entity_id, 'action', n.action,
           'before', n.before, 'after', n.after,
           'actor', case when n.actor_id is null then null else jsonb_build_object(
             'id', n.actor_id,
             'full_name', (select p.full_name from app.profiles p where p.id = n.actor_id and p.org_id = n.org_id)) end)
           order by n.rn) filter (where n.rn <= list_admin_audit.page_size), '[]'::jsonb),
         case when count(*) > list_admin_audit.page_size then
           (select encode(convert_to(jsonb_build_object('c', l.at, 'i', l.id)::text, 'UTF8'), 'base64')
              from numbered l where l.rn = list_admin_audit.page_size)
         end
    into v_items, v_next
    from numbered n;

  return jsonb_build_object('items', v_items, 'next_cursor', replace(v_next, E'\n', ''));
end;
$$;
comment on function public.list_admin_audit(integer, text, text) is
  'Admins: the organisation''s administrative changes, newest first, keyset-paged, optionally of one entity: {items, next_cursor}.';
revoke execute on function public.list_admin_audit(integer, text, text) from public, anon;
grant execute on function public.list_admin_audit(integer, text, text) to authenticated;

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
-- change is recorded with app.record_admin_change (the audit log above).

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
grant execute on function app.person_json(app.profiles) to authenticated, service_role;

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
grant execute on function app.person_open_work(uuid, uuid) to authenticated, service_role;

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

---------------------------------------------------------------------------------------
-- public.update_person: guard, lock the person, one function per changed field, write,
-- log what changed.
---------------------------------------------------------------------------------------

-- The changes object names at least one field, and only fields update_person changes.
create or replace function app.check_person_change_fields(changes jsonb)
returns void
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_key text;
begin
  if changes is null or jsonb_typeof(changes) <> 'object' or changes = '{}'::jsonb then
    raise exception 'changes must be an object with at least one of role, manager_id, title, experience_level, active'
      using errcode = '22023';
  end if;
  for v_key in select jsonb_object_keys(changes) loop
    if v_key not in ('role', 'manager_id', 'title', 'experience_level', 'active') then
      raise exception 'changes.% cannot be changed here', v_key using errcode = '22023',
        hint = 'Allowed: role, manager_id, title, experience_level, active.';
    end if;
  end loop;
end;
$$;
revoke execute on function app.check_person_change_fields(jsonb) from public, anon;
grant execute on function app.check_person_change_fields(jsonb) to authenticated;

-- The person's row, locked for the change. Visible first (a manager's row lock would skip
-- an admin's row, which the update policy hides from them), then locked.
create or replace function app.lock_person_for_change(profile_id uuid, org_id uuid, caller_is_admin boolean)
returns app.profiles
language plpgsql
set search_path = ''
as $$
declare
  v_person app.profiles;
begin
  select * into v_person from app.profiles p
   where p.id = lock_person_for_change.profile_id and p.org_id = lock_person_for_change.org_id;
  if v_person.id is null then
    raise exception 'Person not found' using errcode = 'PT404';
  end if;
  if not caller_is_admin and v_person.role = 'admin' then
    raise exception 'Only admins can change an admin' using errcode = '42501';
  end if;
  select * into v_person from app.profiles p
   where p.id = lock_person_for_change.profile_id and p.org_id = lock_person_for_change.org_id
   for update;
  if v_person.id is null or (not caller_is_admin and v_person.role = 'admin') then
    raise exception 'This person changed meanwhile; try again' using errcode = 'PT409';
  end if;
  return v_person;
end;
$$;
revoke execute on function app.lock_person_for_change(uuid, uuid, boolean) from public, anon;
grant execute on function app.lock_person_for_change(uuid, uuid, boolean) to authenticated;

-- The person's role after the change: only admins change roles, and nobody their own.
create or replace function app.person_changed_role(person app.profiles, changes jsonb, caller_is_admin boolean)
returns text
language plpgsql
stable
set search_path = ''
as $$
begin
  if not changes ? 'role' then
    return person.role;
  end if;
  if jsonb_typeof(changes -> 'role') is distinct from 'string'
     or changes ->> 'role' not in ('admin', 'manager', 'csm', 'viewer') then
    raise exception 'changes.role must be one of admin, manager, csm, viewer' using errcode = '22023';
  end if;
  if not caller_is_admin then
    raise exception 'Only admins can change roles' using errcode = '42501';
  end if;
  if person.id = (select auth.uid()) and changes ->> 'role' <> person.role then
    raise exception 'Nobody can change their own role' using errcode = '42501',
      hint = 'Ask another admin of your organisation.';
  end if;
  return changes ->> 'role';
end;
$$;
revoke execute on function app.person_changed_role(app.profiles, jsonb, boolean) from public, anon;
grant execute on function app.person_changed_role(app.profiles, jsonb, boolean) to authenticated;

-- Whether `person_id` is somewhere above `manager_id` in the organisation's reporting
-- chain (followed up to 50 levels).
create or replace function app.is_in_reporting_chain_of(manager_id uuid, person_id uuid, org_id uuid)
returns boolean
language sql
stable
set search_path = ''
as $$
  with recursive chain(id, depth) as (
    select m.manager_id, 1 from app.profiles m
     where m.id = is_in_reporting_chain_of.manager_id and m.org_id = is_in_reporting_chain_of.org_id
    union all
    select m.manager_id, c.depth + 1 from chain c
      join app.profiles m on m.id = c.id and m.org_id = is_in_reporting_chain_of.org_id
     where c.depth < 50
  )
  select exists (select 1 from chain where chain.id = is_in_reporting_chain_of.person_id)
$$;
revoke execute on function app.is_in_reporting_chain_of(uuid, uuid, uuid) from public, anon;
grant execute on function app.is_in_reporting_chain_of(uuid, uuid, uuid) to authenticated;

-- The person's manager after the change: null, or an active manager or admin of the
-- organisation who is not the person and does not report to them.
create or replace function app.person_changed_manager(person app.profiles, changes jsonb, org_id uuid)
returns uuid
language plpgsql
stable
set search_path = ''
as $$
declare
  v_manager uuid;
begin
  if not changes ? 'manager_id' then
    return person.manager_id;
  end if;
  if jsonb_typeof(changes -> 'manager_id') = 'null' then
    return null;
  end if;
  v_manager := app.uuid_param(changes, 'manager_id');
  if v_manager is null then
    raise exception 'changes.manager_id must be a person''s id or null' using errcode = '22023';
  end if;
  if v_manager = person.id then
    raise exception 'Nobody can be their own manager' using errcode = '22023';
  end if;
  if not exists (select 1 from app.profiles m where m.id = v_manager and m.org_id = person_changed_manager.org_id
                  and m.role in ('manager', 'admin') and m.deactivated_at is null) then
    raise exception 'changes.manager_id must be an active manager or admin of your organisation' using errcode = '22023';
  end if;
  if app.is_in_reporting_chain_of(v_manager, person.id, person_changed_manager.org_id) then
    raise exception 'That manager reports to this person already' using errcode = '22023',
      hint = 'Pick someone above this person, or change the other manager first.';
  end if;
  return v_manager;
end;
$$;
revoke execute on function app.person_changed_manager(app.profiles, jsonb, uuid) from public, anon;
grant execute on function app.person_changed_manager(app.profiles, jsonb, uuid) to authenticated;

-- The person's title and experience level after the change (each text or null).
create or replace function app.person_changed_description(person app.profiles, changes jsonb)
returns app.profiles
language plpgsql
immutable
set search_path = ''
as $$
begin
  if changes ? 'title' then
    if jsonb_typeof(changes -> 'title') not in ('string', 'null') or length(changes ->> 'title') > 120 then
      raise exception 'changes.title must be text of at most 120 characters, or null' using errcode = '22023';
    end if;
    person.title := nullif(btrim(changes ->> 'title'), '');
  end if;
  if changes ? 'experience_level' then
    if jsonb_typeof(changes -> 'experience_level') <> 'null'
       and (jsonb_typeof(changes -> 'experience_level') <> 'string'
            or changes ->> 'experience_level' not in ('junior', 'mid', 'senior', 'expert')) then
      raise exception 'changes.experience_level must be one of junior, mid, senior, expert, or null' using errcode = '22023';
    end if;
    person.experience_level := changes ->> 'experience_level';
  end if;
  return person;
end;
$$;
revoke execute on function app.person_changed_description(app.profiles, jsonb) from public, anon;
grant execute on function app.person_changed_description(app.profiles, jsonb) to authenticated;

-- When the person was deactivated after the change (null: active). Nobody deactivates or
-- reactivates themselves; deactivating again keeps the first time.
create or replace function app.person_changed_deactivated_at(person app.profiles, changes jsonb)
returns timestamptz
language plpgsql
stable
set search_path = ''
as $$
declare
  v_active boolean;
begin
  if not changes ? 'active' then
    return person.deactivated_at;
  end if;
  if jsonb_typeof(changes -> 'active') <> 'boolean' then
    raise exception 'changes.active must be true or false' using errcode = '22023';
  end if;
  v_active := (changes ->> 'active')::boolean;
  if person.id = (select auth.uid()) and v_active is distinct from (person.deactivated_at is null) then
    raise exception 'You cannot deactivate or reactivate yourself' using errcode = '42501',
      hint = 'Ask another admin of your organisation.';
  end if;
  return case when v_active then null else coalesce(person.deactivated_at, now()) end;
end;
$$;
revoke execute on function app.person_changed_deactivated_at(app.profiles, jsonb) from public, anon;
grant execute on function app.person_changed_deactivated_at(app.profiles, jsonb) to authenticated;

-- The admin log entry for a person's change: only the fields that changed, as
-- deactivate, reactivate or update (nothing when nothing changed).
create or replace function app.log_person_change(before_change app.profiles, after_change app.profiles)
returns void
language plpgsql
set search_path = ''
as $$
declare
  v_before jsonb;
  v_after jsonb;
begin
  select coalesce(jsonb_object_agg(o.key, o.value), '{}'::jsonb), coalesce(jsonb_object_agg(o.key, n.value), '{}'::jsonb)
    into v_before, v_after
    from jsonb_each(jsonb_build_object('role', before_change.role, 'manager_id', before_change.manager_id, 'title', before_change.title,
                                       'experience_level', before_change.experience_level, 'active', before_change.deactivated_at is null)) o
    join jsonb_each(jsonb_build_object('role', after_change.role, 'manager_id', after_change.manager_id, 'title', after_change.title,
                                       'experience_level', after_change.experience_level, 'active', after_change.deactivated_at is null)) n
      on n.key = o.key
   where n.value is distinct from o.value;
  if v_after <> '{}'::jsonb then
    perform app.record_admin_change(
      'person', after_change.id::text,
      case when v_after ? 'active' and (v_after ->> 'active')::boolean is false then 'deactivate'
           when v_after ? 'active' then 'reactivate'
           else 'update' end,
      v_before, v_after);
  end if;
end;
$$;
revoke execute on function app.log_person_change(app.profiles, app.profiles) from public, anon;
grant execute on function app.log_person_change(app.profiles, app.profiles) to authenticated;

-- Changes role, manager_id, title, experience_level and active of one person; returns
-- {person, open_work{executions[], tasks[]}}.
create or replace function public.update_person(profile_id uuid, changes jsonb)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_org uuid := app.current_org_id();
  v_admin boolean := app.has_role('admin');
  v_old app.profiles;
  v_new app.profiles;
begin
  if v_org is null or not app.has_role('admin', 'manager') or not app.caller_is_active() then
    raise exception 'Only admins and managers can change people' using errcode = '42501';
  end if;
  perform app.check_person_change_fields(update_person.changes);
  v_old := app.lock_person_for_change(update_person.profile_id, v_org, v_admin);

  v_new := v_old;
  v_new.role := app.person_changed_role(v_old, update_person.changes, v_admin);
  v_new.manager_id := app.person_changed_manager(v_old, update_person.changes, v_org);
  v_new := app.person_changed_description(v_new, update_person.changes);
  v_new.deactivated_at := app.person_changed_deactivated_at(v_old, update_person.changes);

  update app.profiles p
     set role = v_new.role, manager_id = v_new.manager_id, title = v_new.title,
         experience_level = v_new.experience_level, deactivated_at = v_new.deactivated_at
   where p.id = v_old.id
  returning * into v_new;
  perform app.log_person_change(v_old, v_new);

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

-- Integrations: webhook secret rotation with overlap, the organisation's ingest address,
-- and a log of the last deliveries with their result (issue 16, "Integrations").
--
-- Why: with create / list / revoke alone (20261204000900_ingest_and_webhooks.sql) rotating
-- needs two calls in the right order, changes are not audited and a failed delivery leaves
-- no trace an admin can see. A secret's life:
--
--   create ──▶ active ──rotate(overlap_hours)──▶ expiring (still verifies until expires_at)
--                 │                                   └──▶ expired (verifies nothing)
--                 └──revoke──▶ revoked (verifies nothing at once)
--
-- The ingest function verifies against every active, unexpired secret
-- (ingest_webhook_secrets), so during a rotation's overlap both the old and the new one
-- work and the sender can switch without losing a delivery. The full secret is shown once,
-- when created; afterwards only its prefix. Every change to a secret is audited by a
-- trigger, whichever RPC makes it. Deliveries are written by the ingest function
-- (service role) through record_webhook_delivery; only the newest 200 per organisation
-- are kept.

-- A secret as list_webhook_secrets (20261204000900_ingest_and_webhooks.sql) shows it: never the secret.
create or replace function app.webhook_secret_json(s app.webhook_secrets)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select jsonb_build_object(
    'id', s.id, 'label', s.label, 'secret_prefix', left(s.secret, 12),
    'active', s.active and (s.expires_at is null or s.expires_at > now()),
    'expires_at', s.expires_at, 'created_at', s.created_at)
$$;
grant execute on function app.webhook_secret_json(app.webhook_secrets) to authenticated, service_role;

create or replace function app.require_integrations_admin()
returns uuid
language plpgsql
stable
set search_path = ''
as $$
declare
  v_org uuid := app.current_org_id();
begin
  if v_org is null or not app.has_role('admin') or not app.caller_is_active() then
    raise exception 'Only admins manage integrations' using errcode = '42501',
      hint = 'Ask an admin of your organisation.';
  end if;
  return v_org;
end;
$$;
grant execute on function app.require_integrations_admin() to authenticated;

-- Every change an admin makes to a secret (create_webhook_secret, revoke_webhook_secret,
-- rotate_webhook_secret, or any later RPC) is audited, by prefix, never the secret.
create or replace function app.audit_webhook_secret_change()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if current_user <> 'authenticated' then
    return null;
  end if;
  if tg_op = 'INSERT' then
    perform app.record_admin_change('webhook_secret', new.id::text, 'create', null, app.webhook_secret_json(new));
  elsif tg_op = 'DELETE' then
    perform app.record_admin_change('webhook_secret', old.id::text, 'delete', app.webhook_secret_json(old), null);
  elsif (old.active, old.expires_at, old.label) is distinct from (new.active, new.expires_at, new.label) then
    perform app.record_admin_change('webhook_secret', new.id::text,
      case when not new.active or new.expires_at <= now() then 'revoke'
           when new.expires_at is not null then 'expire_later'
           else 'update' end,
      app.webhook_secret_json(old), app.webhook_secret_json(new));
  end if;
  return null;
end;
$$;

-- Admins: a new secret with the same label; the old one keeps verifying for overlap_hours,
-- then stops. The answer is the only time the new secret is shown whole.
create or replace function public.rotate_webhook_secret(secret_id uuid, overlap_hours integer default 24)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_org uuid := app.require_integrations_admin();
  v_old app.webhook_secrets;
  v_new app.webhook_secrets;
begin
  if rotate_webhook_secret.overlap_hours is null or rotate_webhook_secret.overlap_hours < 0 or rotate_webhook_secret.overlap_hours > 168 then
    raise exception 'overlap_hours must be between 0 and 168 (one week)' using errcode = '22023';
  end if;
  select * into v_old from app.webhook_secrets s
   where s.id = rotate_webhook_secret.secret_id and s.org_id = v_org
   for update;
  if v_old.id is null then
    raise exception 'Webhook secret not found' using errcode = 'PT404';
  end if;
  if not v_old.active or v_old.expires_at is not null then
    raise exception 'Only a secret in use without an end date can be rotated' using errcode = 'PT409',
      hint = 'Rotate the newest secret, or create a new one.';
  end if;
  update app.webhook_secrets s
     set expires_at = now() + make_interval(hours => rotate_webhook_secret.overlap_hours)
   where s.id = v_old.id
  returning * into v_old;
  insert into app.webhook_secrets (org_id, label, secret)
  values (v_org, v_old.label, 'whsec_' || encode(extensions.gen_random_bytes(32), 'base64'))
  returning * into v_new;
  return jsonb_build_object(
    'secret', app.webhook_secret_json(v_new) || jsonb_build_object('secret', v_new.secret),
    'previous', app.webhook_secret_json(v_old));
end;
$$;
comment on function public.rotate_webhook_secret(uuid, integer) is
  'Admins: replaces a secret; the old one keeps verifying for overlap_hours (default 24, at most 168). Returns {secret (whole, once), previous}.';
revoke execute on function public.rotate_webhook_secret(uuid, integer) from public, anon;
grant execute on function public.rotate_webhook_secret(uuid, integer) to authenticated;

-- Admins: where senders post, and the newest deliveries with their result.
create or replace function public.get_integrations_overview(page_size integer default 50)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_org uuid := app.require_integrations_admin();
begin
  perform app.check_page_size(get_integrations_overview.page_size);
  return jsonb_build_object(
    'ingest_path', '/functions/v1/ingest/' || (select o.slug from app.organisations o where o.id = v_org),
    'org_slug', (select o.slug from app.organisations o where o.id = v_org),
    'secrets', public.list_webhook_secrets(),
    'deliveries', coalesce((
      select jsonb_agg(jsonb_build_object(
               'id', d.id, 'webhook_id', d.webhook_id, 'received_at', d.received_at, 'status', d.status,
               'outcome', d.outcome, 'event_count', d.event_count, 'message', d.message)
             order by d.received_at desc, d.id desc)
        from (select * from app.webhook_deliveries x where x.org_id = v_org
               order by x.received_at desc, x.id desc limit get_integrations_overview.page_size) d), '[]'::jsonb));
end;
$$;
comment on function public.get_integrations_overview(integer) is
  'Admins: {ingest_path, org_slug, secrets[], deliveries[]} — the last page_size (default 50) deliveries newest first.';
revoke execute on function public.get_integrations_overview(integer) from public, anon;
grant execute on function public.get_integrations_overview(integer) to authenticated;

-- The ingest function's record of one delivery; keeps the newest 200 per organisation.
create or replace function public.record_webhook_delivery(
  org_id uuid, webhook_id text, status integer, outcome text, event_count integer default 0, message text default null
)
returns void
language plpgsql
set search_path = ''
as $$
begin
  insert into app.webhook_deliveries (org_id, webhook_id, status, outcome, event_count, message)
  values (record_webhook_delivery.org_id, left(record_webhook_delivery.webhook_id, 200), record_webhook_delivery.status,
          record_webhook_delivery.outcome, coalesce(record_webhook_delivery.event_count, 0), left(record_webhook_delivery.message, 500));
  delete from app.webhook_deliveries d
   where d.org_id = record_webhook_delivery.org_id
     and d.id < (select x.id from app.webhook_deliveries x where x.org_id = record_webhook_delivery.org_id
                  order by x.received_at desc, x.id desc offset 199 limit 1);
end;
$$;
comment on function public.record_webhook_delivery(uuid, text, integer, text, integer, text) is
  'Service role only (ingest): records one delivery and its result; the newest 200 per organisation are kept.';
revoke execute on function public.record_webhook_delivery(uuid, text, integer, text, integer, text) from public, anon, authenticated;
grant execute on function public.record_webhook_delivery(uuid, text, integer, text, integer, text) to service_role;

-- ------------------------------------------------------------------------------ the rules

-- The words a definition may use. The zod schema (functions-shared/admin/workflow-definition.ts)
-- holds the same lists; the agreement test compares them.
create or replace function app.workflow_definition_vocabulary()
returns jsonb
language sql
immutable
parallel safe
set search_path = ''
as $$
  select '{
    "workflow_types": ["renewal", "strategic", "risk", "opportunity", "custom"],
    "trigger_kinds": ["manual", "renewal_stage", "schedule", "score"],
    "renewal_stages": ["Overdue", "Emergency", "Critical", "Signature", "Finalize", "Negotiate", "Engage", "Prepare", "Monitor"],
    "schedule_every": ["month", "quarter"],
    "plans": ["invest", "expand", "manage", "monitor"],
    "score_fields": ["risk_score", "opportunity_score"],
    "step_types": ["review", "analysis", "draft", "meeting", "action", "outcome"],
    "artifact_types": ["email_draft", "contract_analysis", "meeting_notes", "proposal_draft", "recommendation", "assessment", "action_plan", "summary", "custom"],
    "branch_types": ["fixed", "llm", "saved_action", "rag"],
    "limits": {"name": 120, "description": 2000, "change_note": 500, "steps": 30, "title": 200,
               "prompt_template": 8000, "branches": 12, "label": 200, "response_text": 4000,
               "key": 64, "sources": 10, "defaults": 10, "default_text": 500, "base_score": 1000}
  }'::jsonb
$$;
comment on function app.workflow_definition_vocabulary() is 'The types, stages and limits a workflow definition may use (mirrored by the zod schema).';
grant execute on function app.workflow_definition_vocabulary() to authenticated, service_role;

-- Problems with one JSON value against a small rule, or null when it is fine.
create or replace function app.definition_text_problem(path text, value jsonb, max_length integer, required boolean)
returns text
language sql
immutable
parallel safe
set search_path = ''
as $$
  select case
    when definition_text_problem.value is null or jsonb_typeof(definition_text_problem.value) = 'null' then
      case when definition_text_problem.required then definition_text_problem.path || ' is required' end
    when jsonb_typeof(definition_text_problem.value) <> 'string' then definition_text_problem.path || ' must be text'
    when definition_text_problem.required and btrim(definition_text_problem.value #>> '{}') = '' then
      definition_text_problem.path || ' must not be blank'
    when length(definition_text_problem.value #>> '{}') > definition_text_problem.max_length then
      definition_text_problem.path || ' must be at most ' || definition_text_problem.max_length || ' characters'
  end
$$;
grant execute on function app.definition_text_problem(text, jsonb, integer, boolean) to authenticated, service_role;

create or replace function app.definition_key_problem(path text, value jsonb, pattern text, required boolean)
returns text
language sql
immutable
parallel safe
set search_path = ''
as $$
  select case
    when definition_key_problem.value is null or jsonb_typeof(definition_key_problem.value) = 'null' then
      case when definition_key_problem.required then definition_key_problem.path || ' is required' end
    when jsonb_typeof(definition_key_problem.value) <> 'string'
      or (definition_key_problem.value #>> '{}') !~ definition_key_problem.pattern
      or length(definition_key_problem.value #>> '{}') > 64 then
      definition_key_problem.path || ' must be a key of lowercase words ('
        || case when definition_key_problem.pattern like '%\_%' then 'snake_case' else 'kebab-case' end
        || ', at most 64 characters)'
  end
$$;
grant execute on function app.definition_key_problem(text, jsonb, text, boolean) to authenticated, service_role;

-- Unknown keys of an object, as problems.
create or replace function app.definition_unknown_keys(path text, obj jsonb, allowed text[])
returns text[]
language sql
immutable
parallel safe
set search_path = ''
as $$
  select coalesce(array_agg(definition_unknown_keys.path || '.' || k || ' is not a known field' order by k), '{}')
    from jsonb_object_keys(definition_unknown_keys.obj) k
   where not k = any(definition_unknown_keys.allowed)
$$;
grant execute on function app.definition_unknown_keys(text, jsonb, text[]) to authenticated, service_role;

---------------------------------------------------------------------------------------
-- app.workflow_definition_problems: the document's fields, its trigger, each step, each
-- branch (one function per branch type).
---------------------------------------------------------------------------------------

-- The words of a vocabulary list, for a problem line ("one of a, b, c").
create or replace function app.definition_vocabulary_words(list jsonb)
returns text
language sql
immutable
parallel safe
set search_path = ''
as $$
  select string_agg(x, ', ') from jsonb_array_elements_text(definition_vocabulary_words.list) x
$$;
revoke execute on function app.definition_vocabulary_words(jsonb) from public, anon;
grant execute on function app.definition_vocabulary_words(jsonb) to authenticated, service_role;

-- The document's own fields (name, description, change note, type, base score).
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
  if d ? 'name' and jsonb_typeof(d -> 'name') = 'string' and btrim(d ->> 'name') = '' then
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
revoke execute on function app.definition_field_problems(jsonb, jsonb) from public, anon;
grant execute on function app.definition_field_problems(jsonb, jsonb) to authenticated, service_role;

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
      if t ? 'min' and (jsonb_typeof(t -> 'min') <> 'number' or (t ->> 'min')::numeric <> trunc((t ->> 'min')::numeric)
          or (t ->> 'min')::numeric < 0 or (t ->> 'min')::numeric > 100) then
        p := p || 'trigger.min must be a whole number from 0 to 100'::text;
      end if;
  end case;
  return p;
end;
$$;
revoke execute on function app.definition_trigger_problems(jsonb, jsonb) from public, anon;
grant execute on function app.definition_trigger_problems(jsonb, jsonb) to authenticated, service_role;

-- A branch's step reference (next_step_key, return_step_key): a key, naming a step that exists.
create or replace function app.definition_step_reference_problems(path text, value jsonb, step_keys text[])
returns text[]
language sql
immutable
parallel safe
set search_path = ''
as $$
  select array[app.definition_key_problem(path, value, '^[a-z0-9]+(-[a-z0-9]+)*$', false)]
      || case when jsonb_typeof(value) = 'string' and not (value #>> '{}') = any(step_keys)
              then array[path || ' "' || (value #>> '{}') || '" is not a step of this workflow']
              else '{}'::text[] end
$$;
revoke execute on function app.definition_step_reference_problems(text, jsonb, text[]) from public, anon;
grant execute on function app.definition_step_reference_problems(text, jsonb, text[]) to authenticated, service_role;

-- A fixed branch: a canned response, then optionally another step.
create or replace function app.definition_fixed_branch_problems(bp text, b jsonb, step_keys text[], lim jsonb)
returns text[]
language sql
immutable
parallel safe
set search_path = ''
as $$
  select app.definition_unknown_keys(bp, b, array['key', 'label', 'type', 'response_text', 'next_step_key'])
      || app.definition_text_problem(bp || '.response_text', b -> 'response_text', (lim ->> 'response_text')::int, true)
      || app.definition_step_reference_problems(bp || '.next_step_key', b -> 'next_step_key', step_keys)
$$;
revoke execute on function app.definition_fixed_branch_problems(text, jsonb, text[], jsonb) from public, anon;
grant execute on function app.definition_fixed_branch_problems(text, jsonb, text[], jsonb) to authenticated, service_role;

-- An llm or rag branch: a prompt (required for llm), may go off script; rag may name sources.
create or replace function app.definition_model_branch_problems(bp text, b jsonb, lim jsonb)
returns text[]
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_rag boolean := definition_model_branch_problems.b ->> 'type' = 'rag';
  v_config jsonb := definition_model_branch_problems.b -> 'config';
  p text[];
begin
  p := app.definition_unknown_keys(bp, b, array['key', 'label', 'type', 'prompt_template', 'allow_off_script']
                                          || case when v_rag then array['config'] else '{}'::text[] end);
  p := p || app.definition_text_problem(bp || '.prompt_template', b -> 'prompt_template', (lim ->> 'prompt_template')::int, not v_rag);
  if b ? 'allow_off_script' and jsonb_typeof(b -> 'allow_off_script') <> 'boolean' then
    p := p || (bp || '.allow_off_script must be true or false');
  end if;
  if not v_rag or not b ? 'config' then
    return p;
  end if;
  if jsonb_typeof(v_config) <> 'object' then
    return p || (bp || '.config must be an object');
  end if;
  p := p || app.definition_unknown_keys(bp || '.config', v_config, array['sources']);
  if v_config ? 'sources' and (jsonb_typeof(v_config -> 'sources') <> 'array'
      or jsonb_array_length(v_config -> 'sources') > (lim ->> 'sources')::int
      or exists (select 1 from jsonb_array_elements(v_config -> 'sources') x
                  where jsonb_typeof(x) <> 'string' or (x #>> '{}') !~ '^[a-z0-9]+(_[a-z0-9]+)*$' or length(x #>> '{}') > 64)) then
    p := p || (bp || '.config.sources must be a list of at most ' || (lim ->> 'sources') || ' snake_case source names');
  end if;
  return p;
end;
$$;
revoke execute on function app.definition_model_branch_problems(text, jsonb, jsonb) from public, anon;
grant execute on function app.definition_model_branch_problems(text, jsonb, jsonb) to authenticated, service_role;

-- A saved_action branch: the action's key, where to return, and default params.
create or replace function app.definition_saved_action_branch_problems(bp text, b jsonb, step_keys text[], lim jsonb)
returns text[]
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_config jsonb := definition_saved_action_branch_problems.b -> 'config';
  p text[];
begin
  p := app.definition_unknown_keys(bp, b, array['key', 'label', 'type', 'saved_action_key', 'return_step_key', 'config']);
  p := p || app.definition_key_problem(bp || '.saved_action_key', b -> 'saved_action_key', '^[a-z0-9]+(_[a-z0-9]+)*$', true);
  p := p || app.definition_step_reference_problems(bp || '.return_step_key', b -> 'return_step_key', step_keys);
  if not b ? 'config' then
    return p;
  end if;
  if jsonb_typeof(v_config) <> 'object' then
    return p || (bp || '.config must be an object');
  end if;
  p := p || app.definition_unknown_keys(bp || '.config', v_config, array['defaults']);
  if v_config ? 'defaults' and (jsonb_typeof(v_config -> 'defaults') <> 'object'
      or (select count(*) from jsonb_object_keys(v_config -> 'defaults')) > (lim ->> 'defaults')::int
      or exists (select 1 from jsonb_each(v_config -> 'defaults') x
                  where x.key !~ '^[a-z0-9]+(_[a-z0-9]+)*$'
                     or jsonb_typeof(x.value) not in ('string', 'number', 'boolean')
                     or (jsonb_typeof(x.value) = 'string' and length(x.value #>> '{}') > (lim ->> 'default_text')::int))) then
    p := p || (bp || '.config.defaults must be an object of at most ' || (lim ->> 'defaults')
               || ' snake_case params, each text (up to ' || (lim ->> 'default_text') || ' characters), a number or true/false');
  end if;
  return p;
end;
$$;
revoke execute on function app.definition_saved_action_branch_problems(text, jsonb, text[], jsonb) from public, anon;
grant execute on function app.definition_saved_action_branch_problems(text, jsonb, text[], jsonb) to authenticated, service_role;

-- One branch: an object with a key unique within its step, a label and a known type; then
-- that type's fields.
create or replace function app.definition_branch_problems(
  bp text, b jsonb, earlier_branch_keys text[], step_keys text[], voc jsonb)
returns text[]
language plpgsql
immutable
set search_path = ''
as $$
declare
  lim jsonb := definition_branch_problems.voc -> 'limits';
  p text[];
begin
  if jsonb_typeof(b) <> 'object' then
    return array[bp || ' must be an object'];
  end if;
  p := array[app.definition_key_problem(bp || '.key', b -> 'key', '^[a-z0-9]+(-[a-z0-9]+)*$', true)];
  if jsonb_typeof(b -> 'key') = 'string' and (b ->> 'key') = any(earlier_branch_keys) then
    p := p || (bp || '.key "' || (b ->> 'key') || '" is used by an earlier branch of this step');
  end if;
  p := p || app.definition_text_problem(bp || '.label', b -> 'label', (lim ->> 'label')::int, true);
  if jsonb_typeof(b -> 'type') is distinct from 'string' or not (voc -> 'branch_types') @> jsonb_build_array(b -> 'type') then
    return p || (bp || '.type must be one of fixed, llm, saved_action, rag');
  end if;
  return p || case b ->> 'type'
                when 'fixed' then app.definition_fixed_branch_problems(bp, b, step_keys, lim)
                when 'saved_action' then app.definition_saved_action_branch_problems(bp, b, step_keys, lim)
                else app.definition_model_branch_problems(bp, b, lim)  -- llm, rag
              end;
end;
$$;
revoke execute on function app.definition_branch_problems(text, jsonb, text[], text[], jsonb) from public, anon;
grant execute on function app.definition_branch_problems(text, jsonb, text[], text[], jsonb) to authenticated, service_role;

-- One step: an object with a key unique in the workflow, a title, a known type, a prompt,
-- artifact types, and at most `limits.branches` branches.
create or replace function app.definition_step_problems(
  sp text, s jsonb, earlier_step_keys text[], step_keys text[], voc jsonb)
returns text[]
language plpgsql
immutable
set search_path = ''
as $$
declare
  lim jsonb := definition_step_problems.voc -> 'limits';
  p text[];
  b jsonb;
  j integer := -1;
  v_branch_keys text[] := '{}'::text[];
begin
  if jsonb_typeof(s) <> 'object' then
    return array[sp || ' must be an object'];
  end if;
  p := app.definition_unknown_keys(sp, s, array['key', 'title', 'type', 'prompt_template', 'artifact_types', 'branches']);
  p := p || app.definition_key_problem(sp || '.key', s -> 'key', '^[a-z0-9]+(-[a-z0-9]+)*$', true);
  if jsonb_typeof(s -> 'key') = 'string' and (s ->> 'key') = any(earlier_step_keys) then
    p := p || (sp || '.key "' || (s ->> 'key') || '" is used by an earlier step');
  end if;
  p := p || app.definition_text_problem(sp || '.title', s -> 'title', (lim ->> 'title')::int, true);
  if not (voc -> 'step_types') @> jsonb_build_array(s -> 'type') then
    p := p || (sp || '.type must be one of ' || app.definition_vocabulary_words(voc -> 'step_types'));
  end if;
  p := p || app.definition_text_problem(sp || '.prompt_template', s -> 'prompt_template', (lim ->> 'prompt_template')::int, true);
  if s ? 'artifact_types' and (jsonb_typeof(s -> 'artifact_types') <> 'array'
      or not (voc -> 'artifact_types') @> (s -> 'artifact_types')
      or (select count(distinct x) from jsonb_array_elements(s -> 'artifact_types') x) <> jsonb_array_length(s -> 'artifact_types')) then
    p := p || (sp || '.artifact_types must be a list of distinct artifact types ('
               || app.definition_vocabulary_words(voc -> 'artifact_types') || ')');
  end if;
  if not s ? 'branches' then
    return p;
  end if;
  if jsonb_typeof(s -> 'branches') <> 'array' or jsonb_array_length(s -> 'branches') > (lim ->> 'branches')::int then
    return p || (sp || '.branches must be a list of at most ' || (lim ->> 'branches') || ' branches');
  end if;
  for b in select x from jsonb_array_elements(s -> 'branches') x loop
    j := j + 1;
    p := p || app.definition_branch_problems(sp || '.branches[' || j || ']', b, v_branch_keys, step_keys, voc);
    if jsonb_typeof(b) = 'object' and jsonb_typeof(b -> 'key') = 'string' then
      v_branch_keys := v_branch_keys || (b ->> 'key');
    end if;
  end loop;
  return p;
end;
$$;
revoke execute on function app.definition_step_problems(text, jsonb, text[], text[], jsonb) from public, anon;
grant execute on function app.definition_step_problems(text, jsonb, text[], text[], jsonb) to authenticated, service_role;

-- Every structural problem of a definition document, as readable lines naming the path
-- ("steps[1].branches[0].next_step_key: …"); empty when it is valid. These are exactly the
-- rules of the zod schema WorkflowDefinition: strict objects, required fields, lengths,
-- vocabularies, unique step and branch keys, next/return steps that exist. JSON null counts
-- as absent for optional fields.
create or replace function app.workflow_definition_problems(definition jsonb)
returns text[]
language plpgsql
immutable
set search_path = ''
as $$
declare
  voc jsonb := app.workflow_definition_vocabulary();
  d jsonb := jsonb_strip_nulls(workflow_definition_problems.definition);
  p text[];
  s jsonb;
  i integer := -1;
  v_step_keys text[];  -- every step's key, so a branch may point at a later step
  v_seen text[] := '{}'::text[];
begin
  if d is null or jsonb_typeof(d) <> 'object' then
    return array['the definition must be a JSON object'];
  end if;
  p := app.definition_field_problems(d, voc) || app.definition_trigger_problems(d, voc);
  if not d ? 'steps' then
    return array_remove(p || 'steps is required'::text, null);
  end if;
  if jsonb_typeof(d -> 'steps') <> 'array' or jsonb_array_length(d -> 'steps') = 0
     or jsonb_array_length(d -> 'steps') > (voc #>> '{limits,steps}')::int then
    return array_remove(p || ('steps must be a list of 1 to ' || (voc #>> '{limits,steps}') || ' steps'), null);
  end if;
  select coalesce(array_agg(x ->> 'key' order by n), '{}') into v_step_keys
    from jsonb_array_elements(d -> 'steps') with ordinality e(x, n)
   where jsonb_typeof(x) = 'object' and jsonb_typeof(x -> 'key') = 'string';
  for s in select x from jsonb_array_elements(d -> 'steps') x loop
    i := i + 1;
    p := p || app.definition_step_problems('steps[' || i || ']', s, v_seen, v_step_keys, voc);
    if jsonb_typeof(s) = 'object' and jsonb_typeof(s -> 'key') = 'string' then
      v_seen := v_seen || (s ->> 'key');
    end if;
  end loop;
  return array_remove(p, null);
end;
$$;
comment on function app.workflow_definition_problems(jsonb) is
  'Every structural problem of a workflow definition document (the zod schema WorkflowDefinition''s rules); empty when valid.';
grant execute on function app.workflow_definition_problems(jsonb) to authenticated, service_role;

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
               jsonb_typeof(pr.value) = 'number' and (pr.value #>> '{}')::numeric = trunc((pr.value #>> '{}')::numeric)
               and (pr.value #>> '{}')::numeric between coalesce((pr.config ->> 'min_days')::numeric, 1) and coalesce((pr.config ->> 'max_days')::numeric, 30)
             when pr.action_type = 'snooze' then pr.param = 'reason' and jsonb_typeof(pr.value) = 'string'
             when pr.action_type = 'escalate' and pr.param = 'level' then coalesce(pr.config -> 'levels', '[]'::jsonb) @> jsonb_build_array(pr.value)
             when pr.action_type = 'escalate' then pr.param = 'reason' and jsonb_typeof(pr.value) = 'string'
             when pr.action_type = 'schedule_meeting' and pr.param = 'duration_minutes' then
               coalesce(pr.config -> 'durations_minutes', '[]'::jsonb) @> jsonb_build_array(pr.value)
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

-- ------------------------------------------------------------------------------ documents

-- A stored version as the definition document the editor edits (branches inside their step).
create or replace function app.workflow_definition_document(workflow_id uuid, version_id uuid)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select jsonb_strip_nulls(jsonb_build_object(
           'name', w.name, 'description', w.description, 'type', w.workflow_type,
           'trigger', w.trigger_config, 'base_score', w.base_score,
           'change_note', v.change_note,
           'steps', coalesce((
             select jsonb_agg(jsonb_build_object(
                      'key', s.step ->> 'key',
                      'title', s.step ->> 'title',
                      'type', s.step ->> 'type',
                      'prompt_template', s.step ->> 'prompt_template',
                      'artifact_types', coalesce(s.step -> 'artifact_types', '[]'::jsonb),
                      'branches', coalesce((
                        select jsonb_agg(jsonb_strip_nulls(case b.branch_type
                                 when 'fixed' then jsonb_build_object('key', b.branch_key, 'label', b.label, 'type', b.branch_type,
                                   'response_text', b.response_text, 'next_step_key', b.next_step_key)
                                 when 'llm' then jsonb_build_object('key', b.branch_key, 'label', b.label, 'type', b.branch_type,
                                   'prompt_template', b.prompt_template, 'allow_off_script', b.allow_off_script)
                                 when 'rag' then jsonb_build_object('key', b.branch_key, 'label', b.label, 'type', b.branch_type,
                                   'prompt_template', b.prompt_template, 'allow_off_script', b.allow_off_script,
                                   'config', nullif(b.config, '{}'::jsonb))
                                 else jsonb_build_object('key', b.branch_key, 'label', b.label, 'type', b.branch_type,
                                   'saved_action_key', b.saved_action_key, 'return_step_key', b.return_step_key,
                                   'config', nullif(b.config, '{}'::jsonb))
                               end) order by b.position, b.branch_key)
                          from app.workflow_chat_branches b
                         where b.workflow_version_id = v.id and b.step_key = s.step ->> 'key'), '[]'::jsonb)
                    ) order by s.ord)
               from jsonb_array_elements(v.config -> 'steps') with ordinality as s(step, ord)), '[]'::jsonb)
         ))
    from app.workflows w
    join app.workflow_versions v on v.id = workflow_definition_document.version_id
   where w.id = workflow_definition_document.workflow_id
$$;
comment on function app.workflow_definition_document(uuid, uuid) is
  'A stored workflow version as the definition document {name, description, type, trigger, base_score, change_note, steps[{…, branches[]}]}.';
grant execute on function app.workflow_definition_document(uuid, uuid) to authenticated, service_role;

-- One catalogue entry: what list_workflow_definitions shows for a definition row.
create or replace function app.workflow_definition_summary(w app.workflows, org_id uuid)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select jsonb_build_object(
    'key', w.key,
    'name', w.name,
    'description', w.description,
    'type', w.workflow_type,
    'trigger', w.trigger_config,
    'base_score', w.base_score,
    'scope', case when w.org_id is null then 'core' when w.overrides_workflow_id is not null then 'override' else 'organisation' end,
    'version', w.current_version,
    'enabled', not exists (select 1 from app.disabled_workflows d
                            where d.org_id = workflow_definition_summary.org_id and d.workflow_key = w.key),
    'step_count', (select coalesce(jsonb_array_length(v.config -> 'steps'), 0) from app.workflow_versions v
                    where v.workflow_id = w.id and v.version = w.current_version),
    'steps', (select coalesce(jsonb_agg(jsonb_build_object('key', s ->> 'key', 'title', s ->> 'title')), '[]'::jsonb)
                from app.workflow_versions v, jsonb_array_elements(v.config -> 'steps') s
               where v.workflow_id = w.id and v.version = w.current_version),
    'updated_at', w.updated_at
  )
$$;
grant execute on function app.workflow_definition_summary(app.workflows, uuid) to authenticated, service_role;

-- ------------------------------------------------------------------------------ the API
create or replace function public.list_workflow_definitions()
returns jsonb
language sql
stable
set search_path = ''
as $$
  select coalesce(jsonb_agg(app.workflow_definition_summary(w, (select app.current_org_id()))
                            order by w.workflow_type = 'custom', w.base_score desc, w.key), '[]'::jsonb)
    from (
      select distinct on (w0.key) w0.*
        from app.workflows w0
       where w0.is_active and (w0.org_id is null or w0.org_id = (select app.current_org_id()))
       order by w0.key, w0.org_id nulls last
    ) w
   where (select app.current_org_id()) is not null
$$;
comment on function public.list_workflow_definitions() is
  'The organisation''s workflow catalogue (core definitions and its own or overriding ones): key, name, type, scope, version, enabled, steps.';
revoke execute on function public.list_workflow_definitions() from public, anon;
grant execute on function public.list_workflow_definitions() to authenticated;

create or replace function public.get_workflow_definition(workflow_key text, version integer default null)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_org uuid := app.current_org_id();
  own app.workflows;
  core app.workflows;
  w app.workflows;
  v_ids uuid[];
  v_shown app.workflow_versions;
  v_prev app.workflow_versions;
  v_versions jsonb;
begin
  if v_org is null then
    raise exception 'You are not a member of an organisation' using errcode = '42501';
  end if;
  select * into own from app.workflows x where x.org_id = v_org and x.key = get_workflow_definition.workflow_key;
  select * into core from app.workflows x where x.org_id is null and x.key = get_workflow_definition.workflow_key and x.is_active;
  w := case when own.id is not null then own else core end;
  if w.id is null then
    raise exception 'Workflow "%" not found', get_workflow_definition.workflow_key using errcode = 'PT404',
      hint = 'Use a key from list_workflow_definitions.';
  end if;
  -- The versions behind this key: an override's own, then those of the core one it overrides.
  v_ids := case when own.id is null then array[core.id]
                when own.overrides_workflow_id is not null then array[own.id, core.id]
                else array[own.id] end;
  select coalesce(jsonb_agg(jsonb_build_object(
           'version', v.version, 'scope', case when v.org_id is null then 'core' else 'organisation' end,
           'created_at', v.created_at, 'change_note', v.change_note,
           'created_by', (select p.full_name from app.profiles p where p.id = v.created_by))
           order by v.version desc, v.org_id nulls last), '[]'::jsonb)
    into v_versions
    from app.workflow_versions v
   where v.workflow_id = any(v_ids);

  select * into v_shown from app.workflow_versions v
   where v.workflow_id = any(v_ids) and v.version = coalesce(get_workflow_definition.version, w.current_version)
   order by v.org_id nulls last limit 1;
  if v_shown.id is null then
    raise exception 'Version % of "%" not found', get_workflow_definition.version, get_workflow_definition.workflow_key
      using errcode = 'PT404', hint = 'Use a version listed under versions.';
  end if;
  select * into v_prev from app.workflow_versions v
   where v.workflow_id = any(v_ids) and v.version < v_shown.version
   order by v.version desc, v.org_id nulls last limit 1;

  return app.workflow_definition_summary(w, v_org) || jsonb_build_object(
    'shown_version', v_shown.version,
    'definition', app.workflow_definition_document(v_shown.workflow_id, v_shown.id),
    'previous', case when v_prev.id is null then null else jsonb_build_object(
      'version', v_prev.version, 'scope', case when v_prev.org_id is null then 'core' else 'organisation' end,
      'definition', app.workflow_definition_document(v_prev.workflow_id, v_prev.id)) end,
    'versions', v_versions);
end;
$$;
comment on function public.get_workflow_definition(text, integer) is
  'One workflow definition as the editor edits it (a version, default the current one), with the previous version and the version list.';
revoke execute on function public.get_workflow_definition(text, integer) from public, anon;
grant execute on function public.get_workflow_definition(text, integer) to authenticated;

---------------------------------------------------------------------------------------
-- public.save_workflow_definition: guard, check the document, lock and check the base
-- version, check what an existing definition keeps, store the row, store the version,
-- log.
---------------------------------------------------------------------------------------

-- Refuses a definition with structural problems, or (only when it has none) problems that
-- depend on the organisation: 22023 naming the first three, every one in the detail.
create or replace function app.check_workflow_definition_valid(org_id uuid, d jsonb)
returns void
language plpgsql
stable
set search_path = ''
as $$
declare
  v_problems text[] := app.workflow_definition_problems(check_workflow_definition_valid.d);
begin
  if cardinality(v_problems) = 0 then
    v_problems := app.workflow_definition_org_problems(check_workflow_definition_valid.org_id, d);
  end if;
  if cardinality(v_problems) > 0 then
    raise exception 'The workflow definition is not valid: %', array_to_string(v_problems[1:3], '; ')
      using errcode = '22023', detail = array_to_string(v_problems, E'\n'),
      hint = 'Fix the fields named above and save again.';
  end if;
end;
$$;
revoke execute on function app.check_workflow_definition_valid(uuid, jsonb) from public, anon;
grant execute on function app.check_workflow_definition_valid(uuid, jsonb) to authenticated;

-- What a save may not change: an override keeps the core workflow's name, type, trigger
-- and score; an existing definition its type and trigger. A new workflow needs a name and
-- is never opened by a renewal stage (each stage has its core workflow).
create or replace function app.check_workflow_definition_keeps(own app.workflows, core app.workflows, d jsonb)
returns void
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_override boolean := core.id is not null and (own.id is null or own.overrides_workflow_id is not null);
  v_fixed jsonb := case
    when v_override then jsonb_build_object('name', core.name, 'type', core.workflow_type,
                                           'trigger', core.trigger_config, 'base_score', core.base_score)
    when own.id is not null then jsonb_build_object('type', own.workflow_type, 'trigger', own.trigger_config)
    else '{}'::jsonb end;
begin
  if exists (select 1 from jsonb_each(v_fixed) f
              where d ? f.key
                and not case when f.key = 'base_score' then (d ->> 'base_score')::numeric = (f.value #>> '{}')::numeric
                             else d -> f.key = f.value end) then
    raise exception '%', case when v_override
        then 'Your organisation''s version of a core workflow keeps its name, type, trigger and score'
        else 'A workflow keeps its type and trigger once created' end
      using errcode = '22023',
      hint = 'Change its steps and branches; for a different type or trigger, create a workflow with a new key.';
  end if;
  if own.id is null and core.id is null and d -> 'trigger' ->> 'kind' = 'renewal_stage' then
    raise exception 'A new workflow cannot be opened by a renewal stage' using errcode = '22023',
      hint = 'Each stage has its core workflow: edit that one instead (your organisation gets its own version of it).';
  end if;
  if own.id is null and core.id is null and not d ? 'name' then
    raise exception 'name is required for a new workflow' using errcode = '22023';
  end if;
end;
$$;
revoke execute on function app.check_workflow_definition_keeps(app.workflows, app.workflows, jsonb) from public, anon;
grant execute on function app.check_workflow_definition_keeps(app.workflows, app.workflows, jsonb) to authenticated;

-- A definition row's current version as the admin log shows it: {version, scope, definition}.
create or replace function app.workflow_definition_log_entry(w app.workflows)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select jsonb_build_object(
    'version', w.current_version,
    'scope', case when w.org_id is null then 'core' when w.overrides_workflow_id is null then 'organisation' else 'override' end,
    'definition', app.workflow_definition_document(w.id,
      (select v.id from app.workflow_versions v where v.workflow_id = w.id and v.version = w.current_version)))
$$;
revoke execute on function app.workflow_definition_log_entry(app.workflows) from public, anon;
grant execute on function app.workflow_definition_log_entry(app.workflows) to authenticated;

-- The organisation's definition row at version `version`: its own row updated (name,
-- description, score), or a new one (its own workflow, or its override of the core one,
-- which keeps the core's name, type, trigger and score).
create or replace function app.store_workflow_definition_row(
  org_id uuid, workflow_key text, own app.workflows, core app.workflows, d jsonb, version integer)
returns app.workflows
language plpgsql
set search_path = ''
as $$
declare
  v_row app.workflows;
begin
  if own.id is not null then
    update app.workflows w
       set name = coalesce(d ->> 'name', w.name),
           description = case when d ? 'description' then d ->> 'description' else w.description end,
           base_score = coalesce((d ->> 'base_score')::numeric, w.base_score),
           current_version = store_workflow_definition_row.version
     where w.id = own.id
    returning * into v_row;
    return v_row;
  end if;
  insert into app.workflows (org_id, key, name, description, workflow_type, trigger_config, base_score,
                             current_version, overrides_workflow_id)
  values (store_workflow_definition_row.org_id, store_workflow_definition_row.workflow_key,
          coalesce(core.name, d ->> 'name'),
          case when d ? 'description' then d ->> 'description' else core.description end,
          coalesce(core.workflow_type, d ->> 'type', case when d -> 'trigger' ->> 'kind' = 'renewal_stage' then 'renewal' else 'custom' end),
          coalesce(core.trigger_config, d -> 'trigger', '{"kind": "manual"}'::jsonb),
          coalesce(core.base_score, (d ->> 'base_score')::numeric, 50),
          store_workflow_definition_row.version, core.id)
  returning * into v_row;
  return v_row;
end;
$$;
revoke execute on function app.store_workflow_definition_row(uuid, text, app.workflows, app.workflows, jsonb, integer) from public, anon;
grant execute on function app.store_workflow_definition_row(uuid, text, app.workflows, app.workflows, jsonb, integer) to authenticated;

-- The definition's steps as the row's current version, and their branches; returns the
-- version's id.
create or replace function app.store_workflow_definition_version(w app.workflows, d jsonb)
returns uuid
language plpgsql
set search_path = ''
as $$
declare
  v_version_id uuid;
begin
  insert into app.workflow_versions (workflow_id, org_id, version, config, change_note, created_by)
  values (w.id, w.org_id, w.current_version,
          jsonb_build_object('steps', (
            select jsonb_agg(jsonb_build_object(
                     'key', s ->> 'key', 'title', s ->> 'title', 'type', s ->> 'type',
                     'prompt_template', s ->> 'prompt_template',
                     'artifact_types', coalesce(s -> 'artifact_types', '[]'::jsonb)) order by ord)
              from jsonb_array_elements(d -> 'steps') with ordinality as x(s, ord))),
          d ->> 'change_note', (select auth.uid()))
  returning id into v_version_id;

  insert into app.workflow_chat_branches (
    workflow_version_id, org_id, step_key, branch_key, label, branch_type, position,
    response_text, next_step_key, prompt_template, allow_off_script, saved_action_key, return_step_key, config)
  select v_version_id, w.org_id, s ->> 'key', b ->> 'key', b ->> 'label', b ->> 'type', (b_ord - 1)::integer,
         b ->> 'response_text', b ->> 'next_step_key', b ->> 'prompt_template',
         coalesce((b ->> 'allow_off_script')::boolean, false),
         b ->> 'saved_action_key', b ->> 'return_step_key', coalesce(b -> 'config', '{}'::jsonb)
    from jsonb_array_elements(d -> 'steps') as x(s)
    cross join lateral jsonb_array_elements(coalesce(s -> 'branches', '[]'::jsonb)) with ordinality as y(b, b_ord);
  return v_version_id;
end;
$$;
revoke execute on function app.store_workflow_definition_version(app.workflows, jsonb) from public, anon;
grant execute on function app.store_workflow_definition_version(app.workflows, jsonb) to authenticated;

create or replace function public.save_workflow_definition(workflow_key text, definition jsonb, base_version integer)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_org uuid := app.current_org_id();
  d jsonb := jsonb_strip_nulls(save_workflow_definition.definition);
  own app.workflows;
  core app.workflows;
  v_current integer;
  v_before jsonb;
begin
  if v_org is null or not app.has_role('admin') then
    raise exception 'Only admins can change workflow definitions' using errcode = '42501',
      hint = 'Ask an admin of your organisation.';
  end if;
  if save_workflow_definition.workflow_key is null
     or save_workflow_definition.workflow_key !~ '^[a-z0-9]+(-[a-z0-9]+)*$' or length(save_workflow_definition.workflow_key) > 64 then
    raise exception 'workflow_key must be a key of lowercase words joined by hyphens, e.g. renewal-kickoff' using errcode = '22023';
  end if;
  if save_workflow_definition.base_version is not null and save_workflow_definition.base_version < 0 then
    raise exception 'base_version must be the version you edited (0 or null for a new workflow)' using errcode = '22023';
  end if;
  perform app.check_workflow_definition_valid(v_org, d);

  -- Two admins saving the same key queue here; the loser then sees a newer version.
  perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended(
    'renubu.workflow_definition:' || v_org::text || ':' || save_workflow_definition.workflow_key, 0));
  select * into own from app.workflows x where x.org_id = v_org and x.key = save_workflow_definition.workflow_key for update;
  select * into core from app.workflows x where x.org_id is null and x.key = save_workflow_definition.workflow_key and x.is_active;
  v_current := coalesce(own.current_version, core.current_version, 0);
  if coalesce(save_workflow_definition.base_version, 0) <> v_current then
    raise exception 'This workflow was changed since you opened it: it is now at version %, you edited version %',
      v_current, coalesce(save_workflow_definition.base_version, 0)
      using errcode = 'PT409', detail = 'stale_base_version',
      hint = 'Reload it to see the other change, apply yours again and save.';
  end if;
  perform app.check_workflow_definition_keeps(own, core, d);

  v_before := case when own.id is not null then app.workflow_definition_log_entry(own)
                   when core.id is not null then app.workflow_definition_log_entry(core) end;
  own := app.store_workflow_definition_row(v_org, save_workflow_definition.workflow_key, own, core, d, v_current + 1);
  perform app.store_workflow_definition_version(own, d);
  perform app.record_admin_change('workflow_definition', save_workflow_definition.workflow_key,
    case when v_before is null then 'create' when v_before ->> 'scope' = 'core' then 'override' else 'update' end,
    v_before, app.workflow_definition_log_entry(own));
  return public.get_workflow_definition(save_workflow_definition.workflow_key);
end;
$$;
comment on function public.save_workflow_definition(text, jsonb, integer) is
  'Admins: saves a workflow definition as a new version (an organisation''s own, or its override of a core one); PT409 when base_version is not the current version.';
revoke execute on function public.save_workflow_definition(text, jsonb, integer) from public, anon;
grant execute on function public.save_workflow_definition(text, jsonb, integer) to authenticated;

create or replace function public.set_workflow_enabled(workflow_key text, enabled boolean)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_org uuid := app.current_org_id();
  w app.workflows;
  v_was boolean;
begin
  if v_org is null or not app.has_role('admin') then
    raise exception 'Only admins can switch workflows on or off' using errcode = '42501',
      hint = 'Ask an admin of your organisation.';
  end if;
  if set_workflow_enabled.enabled is null then
    raise exception 'enabled must be true or false' using errcode = '22023';
  end if;
  select * into w from app.workflows x
   where x.key = set_workflow_enabled.workflow_key and x.is_active and (x.org_id = v_org or x.org_id is null)
   order by x.org_id nulls last limit 1;
  if w.id is null then
    raise exception 'Workflow "%" not found', set_workflow_enabled.workflow_key using errcode = 'PT404',
      hint = 'Use a key from list_workflow_definitions.';
  end if;
  v_was := not exists (select 1 from app.disabled_workflows d where d.org_id = v_org and d.workflow_key = w.key);
  if set_workflow_enabled.enabled then
    delete from app.disabled_workflows d where d.org_id = v_org and d.workflow_key = w.key;
  else
    insert into app.disabled_workflows (org_id, workflow_key, disabled_by)
    values (v_org, w.key, (select auth.uid()))
    on conflict do nothing;
  end if;
  if v_was is distinct from set_workflow_enabled.enabled then
    perform app.record_admin_change('workflow_definition', w.key, case when set_workflow_enabled.enabled then 'enable' else 'disable' end,
      jsonb_build_object('enabled', v_was), jsonb_build_object('enabled', set_workflow_enabled.enabled));
  end if;
  return app.workflow_definition_summary(w, v_org);
end;
$$;
comment on function public.set_workflow_enabled(text, boolean) is
  'Admins: switches a workflow off (no new executions are opened, by the orchestrator or by hand) or back on for the organisation.';
revoke execute on function public.set_workflow_enabled(text, boolean) from public, anon;
grant execute on function public.set_workflow_enabled(text, boolean) to authenticated;

-- The problem (at most one) with a config's choice among a lookup's keys: `list_key` must
-- be a non-empty list of distinct keys of `lookup`, and `default_key` one of them.
create or replace function app.config_choice_problems(c jsonb, list_key text, default_key text, lookup text, what text)
returns text[]
language sql
stable
set search_path = ''
as $$
  select case
    when jsonb_typeof(c -> list_key) <> 'array' or jsonb_array_length(c -> list_key) = 0
         or not to_jsonb(app.lookup_keys(lookup)) @> (c -> list_key)
         or (select count(distinct x) from jsonb_array_elements(c -> list_key) x) <> jsonb_array_length(c -> list_key)
      then array[format('config.%s must be a non-empty list of distinct %s from %s', list_key, what, array_to_string(app.lookup_keys(lookup), ', '))]
    when not (c -> list_key) @> jsonb_build_array(c -> default_key)
      then array[format('config.%s must be one of config.%s', default_key, list_key)]
    else '{}'::text[] end
$$;
grant execute on function app.config_choice_problems(jsonb, text, text, text, text) to authenticated, service_role;
revoke execute on function app.config_choice_problems(jsonb, text, text, text, text) from public, anon;

---------------------------------------------------------------------------------------
-- app.saved_action_config_problems: the config's keys (all of its type's, no others),
-- its true/false settings, then one function per action type.
---------------------------------------------------------------------------------------

-- The config keys of an action type (a saved config always has all of them); null for
-- custom, whose config is free-form.
create or replace function app.saved_action_config_keys(action_type text)
returns text[]
language sql
immutable
parallel safe
set search_path = ''
as $$
  select case saved_action_config_keys.action_type
    when 'snooze' then array['default_days', 'min_days', 'max_days', 'reason_required']
    when 'skip' then array['reasons', 'reason_required']
    when 'escalate' then array['levels', 'default_level', 'reason_required', 'notify']
    when 'schedule_meeting' then array['durations_minutes', 'default_duration_minutes', 'date_required', 'attendees_allowed', 'creates_task_type']
    when 'send_email' then array['artifact_type', 'requires_approval', 'approval_setting']
    when 'create_task' then array['due_date_required', 'default_priority', 'priorities', 'default_task_type']
    when 'custom' then null
    else array[]::text[] end
$$;
revoke execute on function app.saved_action_config_keys(text) from public, anon;
grant execute on function app.saved_action_config_keys(text) to authenticated, service_role;

-- A custom action's config: a few plain settings the action's own client reads.
create or replace function app.custom_action_config_problems(c jsonb)
returns text[]
language plpgsql
immutable
set search_path = ''
as $$
begin
  if (select count(*) from jsonb_object_keys(c)) > 20
     or exists (select 1 from jsonb_each(c) x where x.key !~ '^[a-z0-9]+(_[a-z0-9]+)*$'
                  or jsonb_typeof(x.value) not in ('string', 'number', 'boolean')
                  or (jsonb_typeof(x.value) = 'string' and length(x.value #>> '{}') > 500)) then
    return array['config of a custom action must be at most 20 snake_case settings, each text (up to 500 characters), a number or true/false'];
  end if;
  return '{}'::text[];
end;
$$;
revoke execute on function app.custom_action_config_problems(jsonb) from public, anon;
grant execute on function app.custom_action_config_problems(jsonb) to authenticated, service_role;

-- The config's keys: none unknown, every one of the type's present and not null.
create or replace function app.config_key_problems(c jsonb, allowed text[])
returns text[]
language sql
immutable
parallel safe
set search_path = ''
as $$
  select app.definition_unknown_keys('config', c, allowed)
      || coalesce((select array_agg('config.' || k || ' is required' order by n)
                     from unnest(allowed) with ordinality a(k, n)
                    where not c ? k or jsonb_typeof(c -> k) = 'null'), '{}'::text[])
$$;
revoke execute on function app.config_key_problems(jsonb, text[]) from public, anon;
grant execute on function app.config_key_problems(jsonb, text[]) to authenticated, service_role;

-- The true/false settings any action type may have.
create or replace function app.config_flag_problems(c jsonb)
returns text[]
language sql
immutable
parallel safe
set search_path = ''
as $$
  select coalesce(array_agg('config.' || k || ' must be true or false' order by n), '{}'::text[])
    from unnest(array['reason_required', 'date_required', 'attendees_allowed', 'due_date_required']) with ordinality f(k, n)
   where c ? k and jsonb_typeof(c -> k) <> 'boolean'
$$;
revoke execute on function app.config_flag_problems(jsonb) from public, anon;
grant execute on function app.config_flag_problems(jsonb) to authenticated, service_role;

-- The settings an action type fixes (a snooze always says why, an escalation notifies the
-- assignee's manager, …), one row each: checked after the type's own rules, so its
-- problems come last.
create or replace function app.config_fixed_problems(action_type text, c jsonb)
returns text[]
language sql
immutable
parallel safe
set search_path = ''
as $$
  select coalesce(array_agg(f.problem order by f.n), '{}'::text[])
    from (values
      (1, 'snooze', 'reason_required', 'true', 'config.reason_required must stay true: a snooze always says why'),
      (2, 'skip', 'reason_required', 'true', 'config.reason_required must stay true: a skipped step always says why'),
      (3, 'escalate', 'reason_required', 'true', 'config.reason_required must stay true: an escalation always says why'),
      (4, 'escalate', 'notify', '"assignee_manager"', 'config.notify must be assignee_manager'),
      (5, 'schedule_meeting', 'creates_task_type', '"schedule_meeting"', 'config.creates_task_type must be schedule_meeting'),
      (6, 'create_task', 'due_date_required', 'true', 'config.due_date_required must stay true: a follow-up task always has a due date')
    ) f(n, action_type, key, value, problem)
   where f.action_type = config_fixed_problems.action_type and c -> f.key <> f.value::jsonb
$$;
revoke execute on function app.config_fixed_problems(text, jsonb) from public, anon;
grant execute on function app.config_fixed_problems(text, jsonb) to authenticated, service_role;

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
                              else jsonb_typeof(x) <> 'number' or (x #>> '{}')::numeric <> trunc((x #>> '{}')::numeric)
                                   or (x #>> '{}')::numeric not between lo and hi end)
     and (select count(distinct x) from jsonb_array_elements(list) x) = jsonb_array_length(list) end
$$;
revoke execute on function app.config_list_is_valid(jsonb, integer, numeric, numeric) from public, anon;
grant execute on function app.config_list_is_valid(jsonb, integer, numeric, numeric) to authenticated, service_role;

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
                  where jsonb_typeof(c -> f) <> 'number' or (c ->> f)::numeric <> trunc((c ->> f)::numeric))
      then array['config.default_days, min_days and max_days must be whole numbers of days']
    when not ((c ->> 'min_days')::numeric >= 1 and (c ->> 'min_days')::numeric <= (c ->> 'default_days')::numeric
              and (c ->> 'default_days')::numeric <= (c ->> 'max_days')::numeric and (c ->> 'max_days')::numeric <= 365)
      then array['config snooze days must satisfy 1 ≤ min_days ≤ default_days ≤ max_days ≤ 365']
    else '{}'::text[] end
$$;
revoke execute on function app.snooze_config_problems(jsonb) from public, anon;
grant execute on function app.snooze_config_problems(jsonb) to authenticated, service_role;

-- skip: 1 to 20 distinct short reasons.
create or replace function app.skip_config_problems(c jsonb)
returns text[]
language sql
immutable
parallel safe
set search_path = ''
as $$
  select case when app.config_list_is_valid(c -> 'reasons', 20, null, 80) then '{}'::text[]
    else array['config.reasons must be a list of 1 to 20 distinct reasons, each 1 to 80 characters'] end
$$;
revoke execute on function app.skip_config_problems(jsonb) from public, anon;
grant execute on function app.skip_config_problems(jsonb) to authenticated, service_role;

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
    when not (c -> 'durations_minutes') @> jsonb_build_array(c -> 'default_duration_minutes')
      then array['config.default_duration_minutes must be one of config.durations_minutes']
    else '{}'::text[] end
$$;
revoke execute on function app.schedule_meeting_config_problems(jsonb) from public, anon;
grant execute on function app.schedule_meeting_config_problems(jsonb) to authenticated, service_role;

-- send_email: fixed; whether a draft needs approval is an organisation setting.
create or replace function app.send_email_config_problems(c jsonb)
returns text[]
language sql
immutable
parallel safe
set search_path = ''
as $$
  select case when c <> '{"artifact_type": "email_draft", "requires_approval": "organisation_setting", "approval_setting": "require_email_approval"}'::jsonb
              then array['config of send_email is fixed: whether a draft needs approval is an organisation setting (email.require_approval)']
              else '{}'::text[] end
$$;
revoke execute on function app.send_email_config_problems(jsonb) from public, anon;
grant execute on function app.send_email_config_problems(jsonb) to authenticated, service_role;

-- create_task: priorities from app.task_priorities with a default among them, and a
-- default task type from app.task_types.
create or replace function app.create_task_config_problems(c jsonb)
returns text[]
language sql
stable
set search_path = ''
as $$
  select app.config_choice_problems(c, 'priorities', 'default_priority', 'task_priority', 'priorities')
      || case when to_jsonb(app.lookup_keys('task_type')) @> jsonb_build_array(c -> 'default_task_type') then '{}'::text[]
              else array['config.default_task_type must be a task type'] end
$$;
revoke execute on function app.create_task_config_problems(jsonb) from public, anon;
grant execute on function app.create_task_config_problems(jsonb) to authenticated, service_role;

-- Every problem with an action's full config, by action type; empty when valid.
create or replace function app.saved_action_config_problems(action_type text, config jsonb)
returns text[]
language plpgsql
stable
set search_path = ''
as $$
declare
  c jsonb := saved_action_config_problems.config;
  v_type text := saved_action_config_problems.action_type;
  p text[];
begin
  if c is null or jsonb_typeof(c) <> 'object' then
    return array['config must be a JSON object'];
  end if;
  if v_type is null
     or v_type not in ('snooze', 'skip', 'escalate', 'schedule_meeting', 'send_email', 'create_task', 'custom') then
    return array['action_type must be one of snooze, skip, escalate, schedule_meeting, send_email, create_task, custom'];
  end if;
  if v_type = 'custom' then
    return app.custom_action_config_problems(c);
  end if;
  p := app.config_key_problems(c, app.saved_action_config_keys(v_type));
  if cardinality(p) > 0 then
    return p;
  end if;
  return app.config_flag_problems(c) || case v_type
    when 'snooze' then app.snooze_config_problems(c)
    when 'skip' then app.skip_config_problems(c)
    when 'escalate' then app.config_choice_problems(c, 'levels', 'default_level', 'escalation_level', 'levels')
    when 'schedule_meeting' then app.schedule_meeting_config_problems(c)
    when 'send_email' then app.send_email_config_problems(c)
    when 'create_task' then app.create_task_config_problems(c)
  end || app.config_fixed_problems(v_type, c);
end;
$$;
comment on function app.saved_action_config_problems(text, jsonb) is
  'Every problem with a saved action''s full config for its type; task types and priorities are checked against app.task_types / app.task_priorities. Empty when valid.';
grant execute on function app.saved_action_config_problems(text, jsonb) to authenticated, service_role;

---------------------------------------------------------------------------------------
-- app.save_org_saved_action: guard, lock, the action's type, its name and description,
-- its merged config, store, keep the snooze settings in step, log.
---------------------------------------------------------------------------------------

-- The action's type: the one it has (own or core), else the one asked for; it never changes.
create or replace function app.saved_action_type_of(
  action_key text, own app.saved_actions, core app.saved_actions, action_type text)
returns text
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_type text := coalesce(own.action_type, core.action_type, saved_action_type_of.action_type);
begin
  if saved_action_type_of.action_type is not null and saved_action_type_of.action_type is distinct from v_type then
    raise exception 'action "%" is a % action; its type cannot change', saved_action_type_of.action_key, v_type
      using errcode = '22023', hint = 'Create an action with a new key for another type.';
  end if;
  if v_type is null then
    raise exception 'action_type is required for a new action' using errcode = '22023',
      hint = 'One of snooze, skip, escalate, schedule_meeting, send_email, create_task, custom.';
  end if;
  return v_type;
end;
$$;
revoke execute on function app.saved_action_type_of(text, app.saved_actions, app.saved_actions, text) from public, anon;
grant execute on function app.saved_action_type_of(text, app.saved_actions, app.saved_actions, text) to authenticated, service_role;

-- A core action keeps its name and description; a new one needs a name; both are short.
create or replace function app.check_saved_action_texts(
  own app.saved_actions, core app.saved_actions, name text, description text)
returns void
language plpgsql
immutable
set search_path = ''
as $$
begin
  if own.id is null and core.id is not null and (check_saved_action_texts.name is not null or check_saved_action_texts.description is not null) then
    raise exception 'A core action keeps its name and description; your organisation sets its limits' using errcode = '22023';
  end if;
  if own.id is null and core.id is null and coalesce(btrim(check_saved_action_texts.name), '') = '' then
    raise exception 'name is required for a new action' using errcode = '22023';
  end if;
  if length(check_saved_action_texts.name) > 120 or length(check_saved_action_texts.description) > 1000 then
    raise exception 'name must be at most 120 and description at most 1000 characters' using errcode = '22023';
  end if;
end;
$$;
revoke execute on function app.check_saved_action_texts(app.saved_actions, app.saved_actions, text, text) from public, anon;
grant execute on function app.check_saved_action_texts(app.saved_actions, app.saved_actions, text, text) to authenticated, service_role;

-- The action's config after the changes, checked: the changes apply to the current config,
-- else that of the core action of this type.
create or replace function app.saved_action_merged_config(
  own app.saved_actions, core app.saved_actions, action_type text, changes jsonb)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_config jsonb := coalesce(own.config, core.config,
                             (select c.config from app.saved_actions c
                               where c.org_id is null and c.key = saved_action_merged_config.action_type), '{}'::jsonb)
                    || saved_action_merged_config.changes;
  v_problems text[] := app.saved_action_config_problems(saved_action_merged_config.action_type, v_config);
begin
  if cardinality(v_problems) > 0 then
    raise exception 'The action''s settings are not valid: %', array_to_string(v_problems[1:3], '; ')
      using errcode = '22023', detail = array_to_string(v_problems, E'\n'), hint = 'Fix the settings named above and save again.';
  end if;
  return v_config;
end;
$$;
revoke execute on function app.saved_action_merged_config(app.saved_actions, app.saved_actions, text, jsonb) from public, anon;
grant execute on function app.saved_action_merged_config(app.saved_actions, app.saved_actions, text, jsonb) to authenticated, service_role;

-- The organisation's action row: its own updated, or a new one (its own action, or its
-- override of the core one, which keeps the core's name and description).
create or replace function app.store_org_saved_action(
  org_id uuid, action_key text, own app.saved_actions, core app.saved_actions,
  action_type text, config jsonb, name text, description text)
returns app.saved_actions
language plpgsql
set search_path = ''
as $$
declare
  v_row app.saved_actions;
begin
  if own.id is not null then
    update app.saved_actions s
       set config = store_org_saved_action.config,
           name = coalesce(nullif(btrim(store_org_saved_action.name), ''), s.name),
           description = coalesce(store_org_saved_action.description, s.description)
     where s.id = own.id
    returning * into v_row;
    return v_row;
  end if;
  insert into app.saved_actions (org_id, key, name, description, action_type, config)
  values (store_org_saved_action.org_id, store_org_saved_action.action_key,
          coalesce(core.name, btrim(store_org_saved_action.name)),
          coalesce(core.description, store_org_saved_action.description),
          store_org_saved_action.action_type, store_org_saved_action.config)
  returning * into v_row;
  return v_row;
end;
$$;
revoke execute on function app.store_org_saved_action(uuid, text, app.saved_actions, app.saved_actions, text, jsonb, text, text) from public, anon;
grant execute on function app.store_org_saved_action(uuid, text, app.saved_actions, app.saved_actions, text, jsonb, text, text) to authenticated, service_role;

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
  v_config jsonb;
  v_before jsonb;
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
  v_type := app.saved_action_type_of(save_org_saved_action.action_key, own, core, save_org_saved_action.action_type);
  perform app.check_saved_action_texts(own, core, save_org_saved_action.name, save_org_saved_action.description);
  v_config := app.saved_action_merged_config(own, core, v_type, save_org_saved_action.changes);

  v_before := case when own.id is not null then app.saved_action_entry(own)
                   when core.id is not null then app.saved_action_entry(core) end;
  own := app.store_org_saved_action(v_org, save_org_saved_action.action_key, own, core, v_type, v_config,
                                    save_org_saved_action.name, save_org_saved_action.description);
  -- The snooze limits of the organisation settings are the same numbers.
  if own.key = 'snooze' then
    update app.organisation_settings s
       set snooze_min_days = (v_config ->> 'min_days')::integer,
           snooze_default_days = (v_config ->> 'default_days')::integer,
           snooze_max_days = (v_config ->> 'max_days')::integer
     where s.org_id = v_org;
  end if;
  if v_before is distinct from app.saved_action_entry(own) then
    perform app.record_admin_change('saved_action', own.key,
      case when v_before is null then 'create' when v_before ->> 'scope' = 'core' then 'override' else 'update' end,
      v_before, app.saved_action_entry(own));
  end if;
  return own;
end;
$$;
comment on function app.save_org_saved_action(uuid, text, jsonb, text, text, text) is
  'Writes an organisation''s saved action (its own, or its override of a core one) with a validated, merged config.';
grant execute on function app.save_org_saved_action(uuid, text, jsonb, text, text, text) to authenticated, service_role;

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

-- Organisation settings as an API: get_organisation_settings (any member) and
-- update_organisation_settings (admins), a validated merge like update_user_preferences
-- (issue 16 item 3; docs/admin.md "Workflows, actions and settings").
--
-- The settings, grouped as the Settings page shows them:
--   time_zone                        organisation_settings.time_zone
--   email.require_approval           organisation_settings.require_email_approval
--   email.allow_self_approval        organisation_settings.allow_self_approval
--   thresholds.risk_score_trigger    organisation_settings.risk_score_trigger      (orchestrator)
--   thresholds.opportunity_score_trigger                                            (orchestrator)
--   thresholds.renewal_overdue_cutoff_days                                          (orchestrator)
--   snooze.{default_days,min_days,max_days}  the `snooze` saved action's config (written
--                                    through app.save_org_saved_action, which keeps the
--                                    snooze_* columns equal to it)
--   brief.time                       organisation_settings.settings ->> 'brief_time' ('07:00',
--                                    local time in time_zone; app.organisation_brief_time)
--   llm.model                        organisation_settings.settings ->> 'llm_model' (read by
--                                    create_chat_thread; default llama3.1:8b)
--
-- Why: an unknown group or key, a wrong type or an out-of-range value is refused with
-- 22023 naming the key, and nothing changes; what is valid is applied in one transaction
-- and recorded with app.record_admin_change (before and after).

-- The settings as one document.
create or replace function app.organisation_settings_document(org_id uuid)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select jsonb_build_object(
    'time_zone', s.time_zone,
    'email', jsonb_build_object('require_approval', s.require_email_approval, 'allow_self_approval', s.allow_self_approval),
    'thresholds', jsonb_build_object(
      'risk_score_trigger', s.risk_score_trigger,
      'opportunity_score_trigger', s.opportunity_score_trigger,
      'renewal_overdue_cutoff_days', s.renewal_overdue_cutoff_days),
    'snooze', (
      select jsonb_build_object('default_days', (a.config ->> 'default_days')::integer,
                                'min_days', (a.config ->> 'min_days')::integer,
                                'max_days', (a.config ->> 'max_days')::integer)
        from app.saved_actions a
       where a.key = 'snooze' and a.is_active and (a.org_id = s.org_id or a.org_id is null)
       order by a.org_id nulls last limit 1),
    'brief', jsonb_build_object('time', coalesce(s.settings ->> 'brief_time', '07:00')),
    'llm', jsonb_build_object('model', coalesce(s.settings ->> 'llm_model', 'llama3.1:8b')),
    'updated_at', s.updated_at)
    from app.organisation_settings s
   where s.org_id = organisation_settings_document.org_id
$$;
grant execute on function app.organisation_settings_document(uuid) to authenticated, service_role;

-- When the daily brief is due for an organisation, in its own time zone.
create or replace function app.organisation_brief_time(org_id uuid)
returns time
language sql
stable
set search_path = ''
as $$
  select coalesce((s.settings ->> 'brief_time')::time, '07:00'::time)
    from app.organisation_settings s where s.org_id = organisation_brief_time.org_id
$$;
comment on function app.organisation_brief_time(uuid) is 'The local time (in the organisation''s time zone) at which daily briefs are due; default 07:00.';
grant execute on function app.organisation_brief_time(uuid) to authenticated, service_role;

create or replace function public.get_organisation_settings()
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_org uuid := app.current_org_id();
begin
  if v_org is null then
    raise exception 'You are not a member of an organisation' using errcode = '42501';
  end if;
  return app.organisation_settings_document(v_org);
end;
$$;
comment on function public.get_organisation_settings() is
  'The organisation''s settings: time_zone, email approval, orchestrator thresholds, snooze limits, brief time, LLM model.';
revoke execute on function public.get_organisation_settings() from public, anon;
grant execute on function public.get_organisation_settings() to authenticated;

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
             when 'integer' then jsonb_typeof(e.value) = 'number'
                                 and (e.value #>> '{}')::numeric = trunc((e.value #>> '{}')::numeric)
                                 and (e.value #>> '{}')::numeric between s.lo and s.hi
             when 'clock' then jsonb_typeof(e.value) = 'string' and (e.value #>> '{}') ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'
             else jsonb_typeof(e.value) = 'string' and (e.value #>> '{}') ~ '^[A-Za-z0-9._:/-]{1,100}$' end
  ) problems
$$;
grant execute on function app.organisation_settings_problems(jsonb) to authenticated, service_role;

create or replace function public.update_organisation_settings(changes jsonb)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_org uuid := app.current_org_id();
  c jsonb := update_organisation_settings.changes;
  v_problems text[];
  v_before jsonb;
  v_after jsonb;
begin
  if v_org is null or not app.has_role('admin') then
    raise exception 'Only admins can change the organisation''s settings' using errcode = '42501',
      hint = 'Ask an admin of your organisation.';
  end if;
  if c is null or jsonb_typeof(c) <> 'object' then
    raise exception 'changes must be a JSON object such as {"email": {"require_approval": true}}' using errcode = '22023';
  end if;
  v_problems := app.organisation_settings_problems(c);
  if cardinality(v_problems) > 0 then
    raise exception '%', array_to_string(v_problems, '; ') using errcode = '22023',
      hint = 'Nothing was changed; fix the settings named and try again.';
  end if;
  perform 1 from app.organisation_settings s where s.org_id = v_org for update;
  v_before := app.organisation_settings_document(v_org);

  update app.organisation_settings s
     set time_zone = coalesce(c ->> 'time_zone', s.time_zone),
         require_email_approval = coalesce((c -> 'email' ->> 'require_approval')::boolean, s.require_email_approval),
         allow_self_approval = coalesce((c -> 'email' ->> 'allow_self_approval')::boolean, s.allow_self_approval),
         risk_score_trigger = coalesce((c -> 'thresholds' ->> 'risk_score_trigger')::integer, s.risk_score_trigger),
         opportunity_score_trigger = coalesce((c -> 'thresholds' ->> 'opportunity_score_trigger')::integer, s.opportunity_score_trigger),
         renewal_overdue_cutoff_days = coalesce((c -> 'thresholds' ->> 'renewal_overdue_cutoff_days')::integer, s.renewal_overdue_cutoff_days),
         settings = s.settings
                    || case when c -> 'brief' ? 'time' then jsonb_build_object('brief_time', c -> 'brief' ->> 'time') else '{}'::jsonb end
                    || case when c -> 'llm' ? 'model' then jsonb_build_object('llm_model', c -> 'llm' ->> 'model') else '{}'::jsonb end
   where s.org_id = v_org;
  -- The snooze limits are the snooze action's (validated there: min ≤ default ≤ max).
  if c ? 'snooze' and exists (select 1 from jsonb_each(c -> 'snooze') x where v_before -> 'snooze' -> x.key is distinct from x.value) then
    perform app.save_org_saved_action(v_org, 'snooze', c -> 'snooze', null, null, null);
  end if;

  v_after := app.organisation_settings_document(v_org);
  if (v_before - 'updated_at') is distinct from (v_after - 'updated_at') then
    perform app.record_admin_change('organisation_settings', v_org::text, 'update', v_before - 'updated_at', v_after - 'updated_at');
  end if;
  return v_after;
end;
$$;
comment on function public.update_organisation_settings(jsonb) is
  'Admins: a validated merge of setting changes ({time_zone, email{}, thresholds{}, snooze{}, brief{}, llm{}}); returns all settings.';
revoke execute on function public.update_organisation_settings(jsonb) from public, anon;
grant execute on function public.update_organisation_settings(jsonb) to authenticated;

-- Who is due a brief at `at`: active CSMs whose organisation's local time has passed its
-- brief time and who have no brief for that local date yet.
create or replace function app.due_daily_briefs(p_at timestamptz)
returns table (org_id uuid, profile_id uuid, brief_date date)
language sql
stable
set search_path = ''
as $$
  select p.org_id, p.id, (p_at at time zone s.time_zone)::date
    from app.profiles p
    join app.organisation_settings s on s.org_id = p.org_id
   where p.role = 'csm' and p.deactivated_at is null
     and (p_at at time zone s.time_zone)::time >= app.organisation_brief_time(p.org_id)
     and not exists (select 1 from app.daily_briefs d
                      where d.profile_id = p.id and d.brief_date = (p_at at time zone s.time_zone)::date)
$$;
revoke execute on function app.due_daily_briefs(timestamptz) from public, anon, authenticated;
grant execute on function app.due_daily_briefs(timestamptz) to service_role;

select app.create_org_policies('app.admin_audit_log', 'audit log', readers => 'admins');

select app.create_org_policies('app.disabled_workflows', 'switched-off workflows', readers => 'members');
select app.create_org_policies('app.disabled_workflows', 'workflows', writers => 'admins', commands => '{insert,delete}', verbs => '{"switch off","switch back on"}');

create trigger profiles_guard_changes before update on app.profiles
  for each row execute function app.guard_profile_changes();

create trigger profiles_sync_sign_in after update of deactivated_at on app.profiles
  for each row when (new.deactivated_at is distinct from old.deactivated_at)
  execute function app.sync_person_sign_in();

create trigger webhook_secrets_audit after insert or update or delete on app.webhook_secrets
  for each row execute function app.audit_webhook_secret_change();
