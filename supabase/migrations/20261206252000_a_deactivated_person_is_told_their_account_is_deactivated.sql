-- A deactivated person who still holds a valid access token is told that their account is
-- deactivated, by every call (docs/business-rules.md "Roles", docs/api-contract.md "Errors").
--
-- What and why: deactivating someone bans their sign-in and refresh, but an access token
-- already issued stays valid for up to an hour. Meanwhile every membership helper treated
-- them as a non-member, so each RPC answered in its own words, none of them true: "Your
-- role may not run actions on workflows" (execute_action, create_task, ...), "Only members
-- of an organisation can list customers", "No profile for the signed-in user" (404 from
-- get_my_profile and the preferences), "Workflow execution not found" (404 for their own
-- workflow), or an empty 200 (list_saved_actions, list_workflow_definitions). A person who
-- was a CSM a minute ago was told their role or their work had vanished.
--
-- Now the helpers every policy and RPC rests on — app.current_org_id,
-- app.current_member_role, app.has_role, app.is_member_of and app.caller_is_active — read
-- the caller's profile as before and, when it is deactivated, raise 42501 "Your account is
-- deactivated" with a hint for a person (app.refuse_deactivated_caller), instead of
-- answering null or false. So every read or write under row-level security, and every
-- RPC's own membership or role check, answers the same thing. Nothing more is reached
-- than before: the refusal replaces an empty answer or another refusal. Callers without
-- a profile (the service role, the scheduler, a signed-up user of no organisation) and
-- active members are answered as before, with the same one index lookup.
-- Functions restated from their definitions of 20261204000200 (the first four) and
-- 20261204001200 (caller_is_active); the check of deactivated_at is the only change.
-- supabase/tests/people_deactivation/a_deactivated_person_is_told_so.test.sql.

create or replace function app.refuse_deactivated_caller()
returns void
language plpgsql
stable
set search_path = ''
as $$
begin
  raise exception 'Your account is deactivated' using errcode = '42501',
    hint = 'An admin of your organisation deactivated it, so you can no longer use Renubu. Ask them to reactivate it.';
end;
$$;
revoke execute on function app.refuse_deactivated_caller() from public, anon;
grant execute on function app.refuse_deactivated_caller() to authenticated, service_role;

create or replace function app.current_org_id()
returns uuid
language plpgsql
stable
security definer -- reads the caller's own profile without re-entering profiles' RLS
set search_path = ''
as $$
declare
  v_org uuid;
  v_deactivated_at timestamptz;
begin
  select p.org_id, p.deactivated_at into v_org, v_deactivated_at
    from app.profiles p
   where p.id = (select auth.uid());
  if v_deactivated_at is not null then
    perform app.refuse_deactivated_caller();
  end if;
  return v_org;
end;
$$;

create or replace function app.current_member_role()
returns text
language plpgsql
stable
security definer -- reads the caller's own profile without re-entering profiles' RLS
set search_path = ''
as $$
declare
  v_role text;
  v_deactivated_at timestamptz;
begin
  select p.role, p.deactivated_at into v_role, v_deactivated_at
    from app.profiles p
   where p.id = (select auth.uid());
  if v_deactivated_at is not null then
    perform app.refuse_deactivated_caller();
  end if;
  return v_role;
end;
$$;

create or replace function app.has_role(variadic roles text[])
returns boolean
language plpgsql
stable
security definer -- reads the caller's own profile without re-entering profiles' RLS
set search_path = ''
as $$
declare
  v_role text;
  v_deactivated_at timestamptz;
begin
  select p.role, p.deactivated_at into v_role, v_deactivated_at
    from app.profiles p
   where p.id = (select auth.uid());
  if v_deactivated_at is not null then
    perform app.refuse_deactivated_caller();
  end if;
  return coalesce(v_role = any(has_role.roles), false);
end;
$$;

create or replace function app.is_member_of(org_id uuid)
returns boolean
language plpgsql
stable
security definer -- reads the caller's own profile without re-entering profiles' RLS
set search_path = ''
as $$
declare
  v_org uuid;
  v_deactivated_at timestamptz;
begin
  select p.org_id, p.deactivated_at into v_org, v_deactivated_at
    from app.profiles p
   where p.id = (select auth.uid());
  if v_deactivated_at is not null then
    perform app.refuse_deactivated_caller();
  end if;
  return coalesce(v_org = is_member_of.org_id, false);
end;
$$;

create or replace function app.caller_is_active()
returns boolean
language plpgsql
stable
security definer -- reads the caller's own profile without re-entering profiles' RLS
set search_path = ''
as $$
declare
  v_deactivated_at timestamptz;
begin
  select p.deactivated_at into v_deactivated_at
    from app.profiles p
   where p.id = (select auth.uid());
  if not found then
    return false;
  end if;
  if v_deactivated_at is not null then
    perform app.refuse_deactivated_caller();
  end if;
  return true;
end;
$$;
