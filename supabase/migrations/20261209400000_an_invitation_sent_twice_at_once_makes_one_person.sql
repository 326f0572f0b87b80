-- An invitation sent twice at once (Send invitation pressed twice, two admins inviting one
-- address, a retry while the first is in flight) makes one person, and the one answered 201
-- stays (docs/admin.md "Inviting someone"; docs/reliability.md).
--
-- What and why: invite-person checks the invitation (check_invited_person), has the Auth API
-- make or re-invite the user, then calls create_invited_person. Two requests for one address
-- both passed the check, both got the same user from Auth (a user invited and not yet signed
-- in is invited again), and both inserted the profile: the second met profiles' primary key
-- (23505), which the function answered as 409 with Postgres' words ('duplicate key value
-- violates unique constraint "profiles_pkey"', 'Key (id)=(…) already exists') and then, taking
-- the user for one it had just made, deleted it from Auth, and the first's person with it:
-- the admin was told 201 for a person that no longer existed. Under one key with two
-- invitations, the second met person_invitations' primary key the same way.
--
-- Now create_invited_person takes its turn per user, then per admin and key (in that order,
-- each request holds one of each, so two never wait for each other), before it checks:
-- - a user who is already a person (made by a request sent at the same time) is PT409 with
--   detail 'person_exists': invite-person keeps that user, and under a key looks again
--   (check_invited_person), answering the same invitation's person 200 replayed;
-- - a key used meanwhile for another invitation is check_invited_person's PT409 ("this key was
--   used for a different request"): invite-person removes the user it had just made for it.
-- Restated whole from 20261207703000; the two locks and the order of the checks are the change.
-- Test: tests/integration/invitations-sent-at-once.test.ts.

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
comment on function public.create_invited_person(uuid, uuid, text, text, text, uuid, text, text, text) is
  'Service role only (invite-person): the profile of a user the Auth API just invited, in the admin''s organisation, audited; with an idempotency_key, recorded so that the same invitation again answers this person. One request per user (then per key) at a time: a user already a person is PT409 with detail person_exists.';
revoke execute on function public.create_invited_person(uuid, uuid, text, text, text, uuid, text, text, text) from public, anon, authenticated;
grant execute on function public.create_invited_person(uuid, uuid, text, text, text, uuid, text, text, text) to service_role;
