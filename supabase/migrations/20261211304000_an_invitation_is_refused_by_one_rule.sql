-- create_invited_person refuses every address check_invited_person answers as invited, by the
-- same rule (app.address_taken_elsewhere, migration 20261211300000; docs/admin.md "Inviting
-- someone").
--
-- What and why: 20261211300000 gave create_invited_person its own copy of half the rule (a
-- person of another organisation) and left out the other half: a confirmed account that is
-- nobody's person, which the check answers as invited, would have been made a person of the
-- admin's organisation had its user reached create (a request racing the check). Now create asks
-- the one function; the user is kept (PT409 detail person_exists) and invite-person answers as
-- invited. Restated whole from 20261211300000; that test is the only change.
-- supabase/tests/create_invited_person/an_address_elsewhere_is_answered_as_invited.test.sql.

create or replace function public.create_invited_person(actor_id uuid, user_id uuid, email text, full_name text, role text, manager_id uuid default null, title text default null, experience_level text default null, idempotency_key text default null)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_org uuid;
  v_person app.profiles;
begin
  perform app.check_request_key(create_invited_person.idempotency_key, 'idempotency_key', 200);
  -- One request at a time per user, then per admin and key: the checks below see what a
  -- request sent at the same time made.
  perform pg_catalog.pg_advisory_xact_lock(
    pg_catalog.hashtextextended('renubu.invited-user:' || create_invited_person.user_id::text, 0));
  if create_invited_person.idempotency_key is not null then
    perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended(
      'renubu.invitation-key:' || create_invited_person.actor_id::text || ':' || create_invited_person.idempotency_key, 0));
  end if;

  if exists (select 1 from app.profiles p where p.id = create_invited_person.user_id) then
    -- detail: the user is a person's, never to be removed by the caller (invite-person).
    raise exception 'This person already belongs to an organisation' using errcode = 'PT409', detail = 'person_exists';
  end if;
  if create_invited_person.idempotency_key is not null then
    -- A key used meanwhile: PT409 for another invitation (the same one is the same user, above).
    perform public.check_invited_person(create_invited_person.actor_id, create_invited_person.email,
      create_invited_person.full_name, create_invited_person.role, create_invited_person.manager_id,
      create_invited_person.title, create_invited_person.experience_level, create_invited_person.idempotency_key);
  end if;
  v_org := app.invitation_organisation(create_invited_person.actor_id, create_invited_person.email,
                                       create_invited_person.full_name, create_invited_person.role,
                                       create_invited_person.manager_id, create_invited_person.title,
                                       create_invited_person.experience_level);
  -- An account this organisation cannot take (another organisation's person, made meanwhile
  -- perhaps; a confirmed account of nobody's): kept as it is, and invite-person answers as invited.
  if app.address_taken_elsewhere(create_invited_person.email, v_org) then
    raise exception 'This person already belongs to an organisation' using errcode = 'PT409', detail = 'person_exists';
  end if;

  insert into app.profiles (id, org_id, role, manager_id, full_name, email, title, experience_level)
  values (create_invited_person.user_id, v_org, create_invited_person.role, create_invited_person.manager_id,
          app.trimmed(create_invited_person.full_name), lower(create_invited_person.email),
          app.trimmed(create_invited_person.title), create_invited_person.experience_level)
  returning * into v_person;
  -- (profiles.id references auth.users: an id the Auth API did not create is a 23503.)

  if create_invited_person.idempotency_key is not null then
    insert into app.person_invitations (org_id, invited_by, request_key, person_id, request)
    values (v_org, create_invited_person.actor_id, create_invited_person.idempotency_key, v_person.id,
            app.invitation_request(create_invited_person.email, create_invited_person.full_name, create_invited_person.role,
                                   create_invited_person.manager_id, create_invited_person.title, create_invited_person.experience_level));
  end if;

  perform app.write_admin_audit(v_org, create_invited_person.actor_id, 'person', v_person.id::text, 'invite', null,
    jsonb_build_object('email', v_person.email, 'full_name', v_person.full_name, 'role', v_person.role,
                       'manager_id', v_person.manager_id));
  return app.person_json(v_person) || jsonb_build_object('status', 'invited');
end;
$$;
