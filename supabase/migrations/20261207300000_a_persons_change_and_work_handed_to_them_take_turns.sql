-- A person changed by an admin and work handed to that person at the same moment take turns
-- (docs/workflow-engine.md "Locks"; tests/integration/people-change-races.test.ts).
--
-- Two races, one class: the person's row and their workload were locked in no agreed order.
-- - Made a viewer while a manager handed them a workflow: update_person locked the person's
--   row `for update`, then its trigger (app.profiles_made_viewers_hand_back_open_work) waited
--   for the person's workload lock, which the reassignment held while its foreign key waited
--   for a key share on the person's row. A deadlock: 40P01, a 500 to one of the two.
-- - Deactivated (or made a viewer) while a workflow or a task was handed to them: the
--   assignment asked whether the person could take work before the change committed, read
--   them as active, and waited only in its foreign key. Once the change committed, the work
--   landed on a deactivated person and was missing from the deactivation's list of their
--   open work, which the admin hands over from (docs/admin.md).
--
-- Fix: a change of a person takes their workload lock before their row, as every writer of
-- their work takes it first; and an assignment takes the key share on the person's row (what
-- its foreign key takes anyway, only sooner) before it asks whether they can take work, so
-- it waits for a change in flight and reads it as committed.

-- The person's row `for key share`, then asked afresh (a new statement of the caller reads
-- what committed meanwhile).
create or replace function app.lock_person_taking_work(person_id uuid)
returns void
language plpgsql
security definer -- a locking read sees only rows the caller may update (profiles' update policy): a CSM's would lock nothing; it returns nothing
set search_path = ''
as $$
begin
  perform 1 from app.profiles p where p.id = lock_person_taking_work.person_id for key share;
end;
$$;
comment on function app.lock_person_taking_work(uuid) is
  'Locks the person work is handed to (for key share, as the assignment''s foreign key does) so that a change of that person in flight is waited for before asking whether they can take work.';
revoke execute on function app.lock_person_taking_work(uuid) from public, anon;
grant execute on function app.lock_person_taking_work(uuid) to authenticated, service_role;

create or replace function app.executions_go_to_people_who_can_take_them()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  perform app.lock_person_taking_work(new.assigned_to);
  if app.can_take_work(new.org_id, new.assigned_to) then
    return new;
  end if;
  if (select auth.uid()) is not null then
    perform app.require_person_who_can_take_work(new.org_id, new.assigned_to, 'assignee_id');
    -- (raises for anyone app.can_take_work refuses; kept as a guard should the two differ)
    raise exception 'assignee_id cannot take work' using errcode = '22023';
  end if;
  -- Someone of no profile in this organisation is not a member who cannot take work but
  -- a wrong reference: the organisation's key refuses it (23503), never silently dropped.
  if not exists (select 1 from app.profiles p where p.id = new.assigned_to and p.org_id = new.org_id) then
    return new;
  end if;
  new.assigned_to := null;
  return new;
end;
$$;

create or replace function app.unassign_new_work_of_people_who_cannot_take_it()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  perform app.lock_person_taking_work(new.assigned_to);
  if exists (select 1 from app.profiles p
              where p.id = new.assigned_to and (p.deactivated_at is not null or p.role = 'viewer')) then
    new.assigned_to := null;
  end if;
  return new;
end;
$$;

create or replace function app.tasks_go_to_people_who_can_take_them()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if tg_op = 'UPDATE' and new.assigned_to is not distinct from old.assigned_to then
    return new; -- named in the SET but not changed
  end if;
  if (select auth.uid()) is not null then
    perform app.lock_person_taking_work(new.assigned_to);
    perform app.require_person_who_can_take_work(new.org_id, new.assigned_to, 'assigned_to');
  end if;
  return new;
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
  -- Then the person's workload, before their row: a role change hands their open work back
  -- and a change of level re-scores it, under that lock, and whoever hands them work holds
  -- it first (locked the other way round, the two deadlocked).
  perform app.lock_assignee_workload(update_person.profile_id);
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
