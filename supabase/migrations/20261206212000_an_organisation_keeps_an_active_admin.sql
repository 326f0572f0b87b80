-- An organisation always keeps at least one active admin (docs/admin.md "People").
--
-- What and why: nobody can demote or deactivate themselves, so one admin alone can never
-- leave the organisation without one. Two admins could: each demoting (or deactivating)
-- the other at the same moment, both calls answered 200 (19 runs out of 20 in an
-- attacker's test), because each call checked its caller's authority before it locked
-- anything and locked only the person it changed. The organisation was then left with no
-- one who can reach people, settings, workflows or the audit log.
--
-- Now an admin losing that standing (role changed from admin, or deactivated) is a change
-- made one at a time per organisation: the trigger takes the organisation's admin lock
-- (a transaction advisory lock, held to commit) and then, on what has committed by then,
-- requires that the caller is still an active admin and that another active admin remains.
-- The second of two crossing calls waits for the first, then finds its caller no longer
-- an admin and is refused (42501), or finds no other admin and is refused (PT409). Like
-- app.guard_profile_changes, it applies to people acting through the API; the service
-- role and migrations are exempt. update_person takes the same lock before it locks the
-- person when the change names a role or `active`, so a call that also sets a manager (whose
-- row its foreign key then reads) never holds a person while it waits for the lock.

-- The organisation's admin lock: every change that may remove an admin takes it, held to
-- commit (re-taking it in the same transaction is free).
create or replace function app.lock_organisation_admins(org_id uuid)
returns void
language plpgsql
set search_path = ''
as $$
begin
  perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('renubu.admins:' || lock_organisation_admins.org_id::text, 0));
end;
$$;
revoke execute on function app.lock_organisation_admins(uuid) from public, anon;
grant execute on function app.lock_organisation_admins(uuid) to authenticated, service_role;

create or replace function app.profiles_keep_an_active_admin()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if current_user <> 'authenticated' then
    return new;
  end if;
  -- Serialises every removal of an admin in this organisation; released at commit.
  perform app.lock_organisation_admins(old.org_id);
  -- Read after the lock, so a removal that committed meanwhile counts (PL/pgSQL takes a
  -- new snapshot per statement in a read-committed trigger).
  if not exists (select 1 from app.profiles p
                  where p.id = (select auth.uid()) and p.org_id = old.org_id
                    and p.role = 'admin' and p.deactivated_at is null) then
    raise exception 'Only admins can change an admin' using errcode = '42501',
      hint = 'Your own role changed meanwhile.';
  end if;
  if not exists (select 1 from app.profiles p
                  where p.org_id = old.org_id and p.id <> old.id
                    and p.role = 'admin' and p.deactivated_at is null) then
    raise exception 'An organisation keeps at least one active admin' using errcode = 'PT409',
      hint = 'Make someone else an admin first.';
  end if;
  return new;
end;
$$;
revoke execute on function app.profiles_keep_an_active_admin() from public, anon;

create trigger profiles_keep_an_active_admin
  before update on app.profiles
  for each row
  when (old.role = 'admin' and old.deactivated_at is null
        and (new.role is distinct from 'admin' or new.deactivated_at is not null))
  execute function app.profiles_keep_an_active_admin();

-- Restated whole (20261204001200); only the admin lock before the person's is new.
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
  -- A change that may remove an admin takes the organisation's admin lock before the
  -- person (app.profiles_keep_an_active_admin takes it again, for free).
  if update_person.changes ?| array['role', 'active'] then
    perform app.lock_organisation_admins(v_org);
  end if;
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
