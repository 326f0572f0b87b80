-- An invitation not taken up yet is changed as its person would be (docs/admin.md "Revoking or
-- resending an invitation").
--
-- What and why: People lists an invitation kept unsent (its address has an account elsewhere, so
-- it made nobody) as it lists a sent one, and says nothing that tells the two apart. An admin
-- who changed a sent one's role or manager through update_person got the change; the same call
-- on one kept unsent answered PT404 "Person not found" for a row on the page, and the only way
-- to correct a mistyped role was to revoke and invite again.
-- Now update_person changes one kept unsent too: its role, manager, title and level, with the
-- rules of a person's change (app.person_changed_role, _manager, _description: who may, the
-- same checks and words), the same audit entry (`update` on the person's id) and the same
-- answer ({person, open_work}, the person as a sent one's is). It cannot be deactivated, having
-- nobody to keep out: `active: false` is PT409 "<name> has not joined yet: revoke the invitation
-- instead" (`active: true` changes nothing). Anything else that is no person of the caller's
-- organisation stays PT404 "Person not found".
-- The same for the list of what someone holds before a change (get_person_open_work): for one
-- kept unsent it is empty, as a sent one's is until it is given work, where it was PT404.
-- Restated whole: public.update_person (20261207302000), the branch to
-- app.change_unsent_invitation the one change; public.get_person_open_work (20261210500000), which
-- finds an invitation kept unsent as it finds a person.
-- supabase/tests/invitations/a_pending_invitation_can_be_changed.test.sql.

-- The invitation kept unsent of this id, locked, as the person it would make (its id, name,
-- address, role, manager, title, level); null when there is none in the organisation.
create function app.lock_unsent_invitation_as_person(org_id uuid, invitation_id uuid)
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
  return jsonb_populate_record(null::app.profiles, jsonb_build_object(
           'id', i.id, 'org_id', i.org_id, 'role', i.role, 'manager_id', i.manager_id, 'full_name', i.full_name,
           'email', i.email, 'title', i.title, 'experience_level', i.experience_level, 'created_at', i.invited_at));
end;
$$;
revoke execute on function app.lock_unsent_invitation_as_person(uuid, uuid) from public, anon;
grant execute on function app.lock_unsent_invitation_as_person(uuid, uuid) to authenticated, service_role;

-- update_person's change of an invitation kept unsent (`invitation`, as
-- app.lock_unsent_invitation_as_person locked it), by the rules of a person's change.
create function app.change_unsent_invitation(invitation app.profiles, changes jsonb, caller_is_admin boolean)
returns jsonb
language plpgsql
security definer -- writes app.invitations, which people only read; update_person checked the caller
set search_path = ''
as $$
declare
  v_old app.profiles := change_unsent_invitation.invitation;
  v_new app.profiles := change_unsent_invitation.invitation;
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
  v_new.role := app.person_changed_role(v_old, changes, caller_is_admin);
  v_new.manager_id := app.person_changed_manager(v_old, changes, v_old.org_id);
  v_new := app.person_changed_description(v_new, changes);
  v_new.deactivated_at := app.person_changed_deactivated_at(v_old, changes);
  update app.invitations i
     set role = v_new.role, manager_id = v_new.manager_id, title = v_new.title, experience_level = v_new.experience_level
   where i.id = v_old.id;
  perform app.log_person_change(v_old, v_new);
  return jsonb_build_object('person', app.person_json(v_new), 'open_work', app.person_open_work(v_new.id, v_new.org_id));
end;
$$;
revoke execute on function app.change_unsent_invitation(app.profiles, jsonb, boolean) from public, anon;
grant execute on function app.change_unsent_invitation(app.profiles, jsonb, boolean) to authenticated;

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

create or replace function public.get_person_open_work(profile_id uuid)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_org uuid := app.current_org_id();
begin
  if v_org is null or not app.has_role('admin', 'manager') or not app.caller_is_active() then
    raise exception 'Only admins and managers can see a person''s open work' using errcode = '42501';
  end if;
  perform app.require_given(get_person_open_work.profile_id is not null, 'profile_id', 'Pass the id of the person whose open work to list.');
  -- A person of the organisation, or an invitation of it kept unsent (listed as one, holding nothing).
  if not exists (select 1 from app.profiles p where p.id = get_person_open_work.profile_id and p.org_id = v_org)
     and not exists (select 1 from app.invitations i
                      where i.id = get_person_open_work.profile_id and i.org_id = v_org and i.person_id is null) then
    raise exception 'Person not found' using errcode = 'PT404';
  end if;
  return app.person_open_work(get_person_open_work.profile_id, v_org);
end;
$$;
