-- A deactivated person reaches nothing, whatever their still-valid access token.
--
-- Why: deactivating someone (update_person, 20261205040100) bans the auth user and ends their
-- sessions, but an access token already issued stays valid until it expires (up to an hour).
-- Only the administration RPCs checked app.caller_is_active(); with such a token a
-- deactivated csm could still read every customer, log activity, decide proposals, reassign
-- or cancel work, and so on, because every policy and RPC recognises a member through the
-- helpers below, which looked at the profile's organisation and role only.
--
-- Fix for the whole class: the membership helpers every policy and RPC rests on treat a
-- deactivated profile as no member at all (no organisation, no role, no execution to work
-- on). Same signatures, same grants; only `and p.deactivated_at is null` is added, so an
-- active person sees no change and the service role (no auth.uid()) is unaffected.

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
comment on function app.current_org_id() is 'The organisation of the signed-in person, or null (also when they have been deactivated).';

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
comment on function app.current_member_role() is 'The role of the signed-in person (admin, manager, csm, viewer), or null (also when deactivated).';

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
comment on function app.is_member_of(uuid) is 'True when the signed-in person is an active member of the organisation.';

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
comment on function app.has_role(text[]) is 'True when the signed-in person is active and their role is one of the given roles.';

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
