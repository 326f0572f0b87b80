-- Changes of reporting lines take turns per organisation (docs/admin.md;
-- tests/integration/people-change-races.test.ts).
--
-- update_person refuses a manager who already reports to the person (22023 "That manager
-- reports to this person already"), asking the reporting chain as it is. Two changes at
-- once each asked it before the other committed: with Milo reporting to Max, Mona made
-- Milo's report while Max was made Mona's were both written, and Mona, Milo and Max reported
-- to each other in a loop. The locks each took (the person's row, a key share on the new
-- manager's) do not meet when the loop closes over a third person.
--
-- Fix: a change of someone's manager takes the organisation's reporting-lines lock first
-- (after the admins lock, before the person's workload and row), so the second waits and
-- then asks the chain as the first left it.

create or replace function app.lock_organisation_reporting_lines(org_id uuid)
returns void
language plpgsql
set search_path = ''
as $$
begin
  perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('renubu.reporting_lines:' || lock_organisation_reporting_lines.org_id::text, 0));
end;
$$;
comment on function app.lock_organisation_reporting_lines(uuid) is
  'Changes of who reports to whom in an organisation take turns, so none closes a reporting loop (update_person).';
revoke execute on function app.lock_organisation_reporting_lines(uuid) from public, anon;
grant execute on function app.lock_organisation_reporting_lines(uuid) to authenticated, service_role;

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
