-- An invitation does not tell an admin whether an address has an account in another
-- organisation (docs/admin.md "Inviting someone").
--
-- What and why: invite-person answered an address that belongs to a person of ANY
-- organisation with 409 "That person already belongs to an organisation" (and one Auth holds
-- for a signed-up account in no organisation with 409 "That email address already has an
-- account"), so an admin of one organisation could try any address and learn whether it had
-- a Renubu account anywhere. Now:
-- - a person of the admin's own organisation is still 409 (the admin sees them in People);
-- - an address whose account Renubu will not invite into this organisation — a person of
--   another organisation (one organisation per person: inviting them would move them, or
--   mail them a link that voids the one they have), or an account Auth will not invite again
--   (confirmed, in no organisation) — is answered as an invitation accepted for sending:
--   check_invited_person returns `as_invited`, the person as create_invited_person would have
--   answered them (a new id, status invited), and invite-person answers it 201 without asking
--   Auth: nothing is created, mailed, moved or audited;
-- - create_invited_person still refuses such an address (PT409 person_exists), for a request
--   that met it made meanwhile; invite-person then asks the check again and answers the same.
-- app.invitation_organisation, public.check_invited_person and public.create_invited_person
-- are restated whole from 20261206247000, 20261210202000 and 20261209400000.
-- tests/integration/invite-reveals-no-other-organisation.test.ts,
-- supabase/tests/create_invited_person/an_address_elsewhere_is_answered_as_invited.test.sql.

-- Whether the address is one Renubu will not invite into organisation `org_id`, and must not say
-- so: a person of another organisation, or an account Auth holds confirmed (it will not invite it
-- again) that is nobody's person.
create function app.address_taken_elsewhere(email text, org_id uuid)
returns boolean
language sql
stable
security definer -- reads auth.users and every organisation's people; answers a yes or no for one address, to the service role only
set search_path = ''
as $$
  select exists (select 1 from app.profiles p
                  where lower(p.email) = lower(btrim(address_taken_elsewhere.email))
                    and p.org_id <> address_taken_elsewhere.org_id)
      or exists (select 1 from auth.users u
                  where lower(u.email) = lower(btrim(address_taken_elsewhere.email)) and u.deleted_at is null
                    and u.email_confirmed_at is not null
                    and not exists (select 1 from app.profiles p where p.id = u.id));
$$;
revoke execute on function app.address_taken_elsewhere(text, uuid) from public, anon, authenticated;
grant execute on function app.address_taken_elsewhere(text, uuid) to service_role;
comment on function app.address_taken_elsewhere(text, uuid) is
  'Whether an invitation into this organisation meets an account it cannot take (a person of another organisation, a confirmed account of nobody''s): answered as invited, never said.';

-- The answer an invitation accepted for sending gives, for one that is not sent: the person as
-- create_invited_person answers them (app.person_json, so the shape is the one), with a new id.
create function app.person_as_invited(org_id uuid, email text, full_name text, role text, manager_id uuid,
                                      title text, experience_level text)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
begin
  return app.person_json(jsonb_populate_record(null::app.profiles, jsonb_build_object(
           'id', gen_random_uuid(), 'org_id', person_as_invited.org_id, 'role', person_as_invited.role,
           'manager_id', person_as_invited.manager_id, 'full_name', app.trimmed(person_as_invited.full_name),
           'email', lower(person_as_invited.email), 'title', app.trimmed(person_as_invited.title),
           'experience_level', person_as_invited.experience_level, 'created_at', now())))
         || jsonb_build_object('status', 'invited');
end;
$$;
revoke execute on function app.person_as_invited(uuid, text, text, text, uuid, text, text) from public, anon, authenticated;
grant execute on function app.person_as_invited(uuid, text, text, text, uuid, text, text) to service_role;

create or replace function app.invitation_organisation(actor_id uuid, email text, full_name text, role text, manager_id uuid, title text, experience_level text)
returns uuid
language plpgsql
stable
set search_path = ''
as $$
declare
  v_org uuid;
begin
  select p.org_id into v_org from app.profiles p
   where p.id = invitation_organisation.actor_id and p.role = 'admin' and p.deactivated_at is null;
  if v_org is null then
    raise exception 'Only active admins can invite people' using errcode = '42501';
  end if;
  if invitation_organisation.role is null or invitation_organisation.role not in ('admin', 'manager', 'csm', 'viewer') then
    raise exception 'role must be one of admin, manager, csm, viewer' using errcode = '22023';
  end if;
  if app.trimmed(invitation_organisation.full_name) is null or length(invitation_organisation.full_name) > 200 then
    raise exception 'full_name is required (at most 200 characters)' using errcode = '22023';
  end if;
  -- the bound update_person puts on a title
  if length(invitation_organisation.title) > 120 then
    raise exception 'title must be text of at most 120 characters' using errcode = '22023';
  end if;
  if invitation_organisation.experience_level is not null
     and invitation_organisation.experience_level not in ('junior', 'mid', 'senior', 'expert') then
    raise exception 'experience_level must be one of junior, mid, senior, expert' using errcode = '22023';
  end if;
  if invitation_organisation.manager_id is not null and not exists (
       select 1 from app.profiles m where m.id = invitation_organisation.manager_id and m.org_id = v_org
          and m.role in ('manager', 'admin') and m.deactivated_at is null) then
    raise exception 'manager_id must be an active manager or admin of your organisation' using errcode = '22023';
  end if;
  -- an address as app.email_address reads one, with nothing blank around it either
  if app.email_address(invitation_organisation.email) is distinct from invitation_organisation.email then
    raise exception 'email must be an email address' using errcode = '22023';
  end if;
  -- Someone of this organisation has this address already, perhaps still invited: asking the
  -- Auth API again would mail them a new link and void the one they have. (Someone of another
  -- organisation is not this admin's to learn of: app.address_taken_elsewhere.)
  if exists (select 1 from app.profiles p
              where lower(p.email) = lower(btrim(invitation_organisation.email)) and p.org_id = v_org) then
    raise exception 'That person already belongs to an organisation' using errcode = 'PT409',
      hint = 'Look for them in the list of people; an invitation already sent stays valid.';
  end if;
  return v_org;
end;
$$;

create or replace function public.check_invited_person(
  actor_id uuid, email text, full_name text, role text,
  manager_id uuid default null, title text default null, experience_level text default null,
  idempotency_key text default null
)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_made app.person_invitations;
  v_person app.profiles;
  v_org uuid;
begin
  perform app.check_request_key(check_invited_person.idempotency_key, 'idempotency_key', 200);
  -- Invited already under this key (an answer lost on its way back): that person, if it is the
  -- same invitation; nothing is made or mailed again.
  select * into v_made from app.person_invitations i
   where i.invited_by = check_invited_person.actor_id and i.request_key = check_invited_person.idempotency_key;
  if found then
    if v_made.request is distinct from app.invitation_request(check_invited_person.email, check_invited_person.full_name,
         check_invited_person.role, check_invited_person.manager_id, check_invited_person.title, check_invited_person.experience_level) then
      raise exception 'this key was used for a different request' using errcode = 'PT409',
        hint = 'Send a new idempotency_key for a new invitation.';
    end if;
    select * into v_person from app.profiles p where p.id = v_made.person_id;
    return jsonb_build_object('ok', true, 'replayed', true,
                              'person', app.person_json(v_person) || jsonb_build_object('status', 'invited'));
  end if;
  v_org := app.invitation_organisation(check_invited_person.actor_id, check_invited_person.email,
                                       check_invited_person.full_name, check_invited_person.role,
                                       check_invited_person.manager_id, check_invited_person.title,
                                       check_invited_person.experience_level);
  -- An account this organisation cannot take: answered as invited (as_invited), nothing sent,
  -- so the answer does not say the address has an account elsewhere.
  if app.address_taken_elsewhere(check_invited_person.email, v_org) then
    return jsonb_build_object('ok', true, 'as_invited', app.person_as_invited(v_org, check_invited_person.email,
      check_invited_person.full_name, check_invited_person.role, check_invited_person.manager_id,
      check_invited_person.title, check_invited_person.experience_level));
  end if;
  -- Whether Auth holds the address already: asked again after a failed Auth call, it tells a
  -- request making it at the same time (has_account now, not before) from Auth being down.
  return jsonb_build_object('ok', true, 'has_account', app.address_has_account(check_invited_person.email));
end;
$$;
comment on function public.check_invited_person(uuid, text, text, text, uuid, text, text, text) is
  'Service role only (invite-person): refuses an invitation create_invited_person would refuse, before the Auth API creates the user or mails the link; under a key already used, answers the person it invited (replayed) or PT409; an address with an account this organisation cannot take answers {ok, as_invited} (the answer to give, nothing to send); else {ok, has_account}, whether Auth holds a user with the address.';

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
  -- Made another organisation's person meanwhile: theirs, kept (invite-person answers as invited).
  if exists (select 1 from app.profiles p
              where lower(p.email) = lower(btrim(create_invited_person.email)) and p.org_id <> v_org) then
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
