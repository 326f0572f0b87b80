-- A person's change is one rule, and an invitation as the person it would make is one rule
-- (docs/admin.md "Revoking or resending an invitation"). No answer changes.
--
-- What and why: 20261215302000 let update_person change an invitation kept unsent, and wrote
-- twice what was written once before: the four steps that make a person as a change leaves them
-- (role, manager, title and level, active) in both of update_person's branches, and an
-- invitation as the person it would make in app.lock_unsent_invitation_as_person beside
-- app.invitation_json. Now app.person_as_changed is the change, for a person and an invitation
-- alike, and app.invitation_as_person the invitation as a person, for People and a change alike.
-- Restated whole: app.invitation_json (20261212400000), app.lock_unsent_invitation_as_person,
-- app.change_unsent_invitation and public.update_person (20261215302000); only the two helpers
-- are new. supabase/tests/invitations/a_pending_invitation_can_be_changed.test.sql and the
-- update_person tests answer as before.

-- An invitation as the person it would make (its id, name, address, role, manager, title,
-- level; joined when it was sent): how People shows one kept unsent, and what a change of it is
-- checked against. Written inline in app.invitation_json and app.lock_unsent_invitation_as_person
-- until now.
create function app.invitation_as_person(i app.invitations)
returns app.profiles
language plpgsql
stable
set search_path = ''
as $$
begin
  return jsonb_populate_record(null::app.profiles, jsonb_build_object(
           'id', i.id, 'org_id', i.org_id, 'role', i.role, 'manager_id', i.manager_id, 'full_name', i.full_name,
           'email', i.email, 'title', i.title, 'experience_level', i.experience_level, 'created_at', i.invited_at));
end;
$$;
revoke execute on function app.invitation_as_person(app.invitations) from public, anon;
grant execute on function app.invitation_as_person(app.invitations) to authenticated, service_role;

-- Restated from 20261212400000: the person by app.invitation_as_person.
create or replace function app.invitation_json(i app.invitations)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
begin
  return app.person_json(app.invitation_as_person(i)) || jsonb_build_object('status', 'invited');
end;
$$;

-- A person as `changes` leave them (role, manager, title, level, active), by the rules of a
-- change (who may, the checks and their words): one rule for update_person's two kinds of row.
create function app.person_as_changed(person app.profiles, changes jsonb, caller_is_admin boolean)
returns app.profiles
language plpgsql
stable
set search_path = ''
as $$
declare
  v_new app.profiles := person_as_changed.person;
begin
  v_new.role := app.person_changed_role(person_as_changed.person, person_as_changed.changes, person_as_changed.caller_is_admin);
  v_new.manager_id := app.person_changed_manager(person_as_changed.person, person_as_changed.changes, person_as_changed.person.org_id);
  v_new := app.person_changed_description(v_new, person_as_changed.changes);
  v_new.deactivated_at := app.person_changed_deactivated_at(person_as_changed.person, person_as_changed.changes);
  return v_new;
end;
$$;
revoke execute on function app.person_as_changed(app.profiles, jsonb, boolean) from public, anon;
grant execute on function app.person_as_changed(app.profiles, jsonb, boolean) to authenticated;

-- The invitation kept unsent of this id, locked, as the person it would make; null when there
-- is none in the organisation.
create or replace function app.lock_unsent_invitation_as_person(org_id uuid, invitation_id uuid)
returns app.profiles
language plpgsql
security definer -- locks a row of app.invitations, which people only read; one organisation's
set search_path = ''
as $$
declare
  i app.invitations;
begin
  if (select auth.uid()) is not null and lock_unsent_invitation_as_person.org_id is distinct from app.current_org_id() then
    raise exception 'Only your own organisation''s invitations can be changed' using errcode = '42501';
  end if;
  select * into i from app.invitations x
   where x.id = lock_unsent_invitation_as_person.invitation_id and x.org_id = lock_unsent_invitation_as_person.org_id
     and x.person_id is null
     for update;
  if i.id is null then
    return null;
  end if;
  return app.invitation_as_person(i);
end;
$$;

-- update_person's change of an invitation kept unsent (`invitation`, as
-- app.lock_unsent_invitation_as_person locked it), by the rules of a person's change.
create or replace function app.change_unsent_invitation(invitation app.profiles, changes jsonb, caller_is_admin boolean)
returns jsonb
language plpgsql
security definer -- writes app.invitations, which people only read; update_person checked the caller
set search_path = ''
as $$
declare
  v_old app.profiles := change_unsent_invitation.invitation;
  v_new app.profiles;
begin
  if (select auth.uid()) is not null and v_old.org_id is distinct from app.current_org_id() then
    raise exception 'Only your own organisation''s invitations can be changed' using errcode = '42501';
  end if;
  if not caller_is_admin and v_old.role = 'admin' then
    raise exception 'Only admins can change an admin' using errcode = '42501';
  end if;
  if jsonb_typeof(changes -> 'active') = 'boolean' and not (changes ->> 'active')::boolean then
    raise exception '% has not joined yet: revoke the invitation instead', v_old.full_name using errcode = 'PT409',
      hint = 'Revoke takes the invitation back (People → Revoke); deactivating is for people who have joined.';
  end if;
  v_new := app.person_as_changed(v_old, changes, caller_is_admin);
  update app.invitations i
     set role = v_new.role, manager_id = v_new.manager_id, title = v_new.title, experience_level = v_new.experience_level
   where i.id = v_old.id;
  perform app.log_person_change(v_old, v_new);
  return jsonb_build_object('person', app.person_json(v_new), 'open_work', app.person_open_work(v_new.id, v_new.org_id));
end;
$$;

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
  -- A new manager is checked against the reporting lines as they are once the other changes
  -- of lines in flight have committed (app.person_changed_manager asks afresh below).
  if update_person.changes ? 'manager_id' then
    perform app.lock_organisation_reporting_lines(v_org);
  end if;
  -- Then the person's workload, before their row: a role change hands their open work back
  -- and a change of level re-scores it, under that lock, and whoever hands them work holds
  -- it first (locked the other way round, the two deadlocked).
  perform app.lock_assignee_workload(update_person.profile_id);
  -- An invitation kept unsent is listed as a person and changed as one (it has no work).
  v_old := app.lock_unsent_invitation_as_person(v_org, update_person.profile_id);
  if v_old.id is not null then
    return app.change_unsent_invitation(v_old, update_person.changes, v_admin);
  end if;
  v_old := app.lock_person_for_change(update_person.profile_id, v_org, v_admin);
  v_new := app.person_as_changed(v_old, update_person.changes, v_admin);

  update app.profiles p
     set role = v_new.role, manager_id = v_new.manager_id, title = v_new.title,
         experience_level = v_new.experience_level, deactivated_at = v_new.deactivated_at
   where p.id = v_old.id
  returning * into v_new;
  perform app.log_person_change(v_old, v_new);

  return jsonb_build_object('person', app.person_json(v_new), 'open_work', app.person_open_work(v_new.id, v_org));
end;
$$;
