-- A key another call took is refused before an invitation's mail goes out (docs/admin.md
-- "Inviting someone", docs/api-contract.md "Errors").
--
-- What and why: since 20261212300000 one key names one request across every call
-- (app.claim_request_key, by a trigger once the row holding the key is written). invite-person
-- writes that row last: check_invited_person looked only at the invitations' own keys, the Auth
-- API then created the user and mailed the invitation link, and create_invited_person's claim
-- refused the key (PT409 "this key was used for a different request"); the function deleted the
-- user again, so the address held an invitation to a link that led nowhere, for a request that
-- was refused. Now:
-- - app.refuse_request_key_taken_elsewhere: the one rule, PT409 when the person's key was taken
--   in another store; claim_request_key asks it for a key it finds taken, and
-- - check_invited_person asks it before anything is created or mailed.
-- Restated whole: app.claim_request_key (20261212300000), public.check_invited_person
-- (20261212400000); the call of the new function the one change in each.
-- supabase/tests/create_invited_person/a_key_taken_by_another_call_is_refused_before_the_mail.test.sql.

-- Nothing when `key` is free or was taken in `store`; PT409 when the person took it in another.
create function app.refuse_request_key_taken_elsewhere(org_id uuid, made_by uuid, key text, store text)
returns void
language plpgsql
stable
security definer -- reads app.request_keys, which people cannot read
set search_path = ''
as $$
begin
  if exists (select 1 from app.request_keys r
              where r.org_id = refuse_request_key_taken_elsewhere.org_id
                and r.made_by = refuse_request_key_taken_elsewhere.made_by
                and r.request_key = refuse_request_key_taken_elsewhere.key
                and r.store is distinct from refuse_request_key_taken_elsewhere.store) then
    raise exception 'this key was used for a different request' using errcode = 'PT409',
      hint = 'Send a new idempotency_key for a new request.';
  end if;
end;
$$;
comment on function app.refuse_request_key_taken_elsewhere(uuid, uuid, text, text) is
  'One key names one request: PT409 when the person''s idempotency key was taken in another store (table.column) than `store`; nothing when it is free or theirs there.';
revoke execute on function app.refuse_request_key_taken_elsewhere(uuid, uuid, text, text) from public, anon;
grant execute on function app.refuse_request_key_taken_elsewhere(uuid, uuid, text, text) to authenticated, service_role;

create or replace function app.claim_request_key(org_id uuid, made_by uuid, key text, store text)
returns void
language plpgsql
security definer -- writes app.request_keys, which people cannot read or write
set search_path = ''
as $$
begin
  if claim_request_key.key is null or claim_request_key.made_by is null or claim_request_key.org_id is null then
    return;
  end if;
  -- The lock of app.lock_request_key, held already by a call that took it first.
  if not pg_catalog.pg_try_advisory_xact_lock(
       pg_catalog.hashtextextended('renubu.request-key:' || claim_request_key.made_by::text || ':' || claim_request_key.key, 0)) then
    raise exception 'this key was used for a different request' using errcode = 'PT409',
      detail = 'Another request under this key is in flight.',
      hint = 'Send a new idempotency_key for a new request.';
  end if;
  insert into app.request_keys as r (org_id, made_by, request_key, store)
  values (claim_request_key.org_id, claim_request_key.made_by, claim_request_key.key, claim_request_key.store)
  on conflict on constraint request_keys_pkey do nothing;
  if found then
    return;
  end if;
  perform app.refuse_request_key_taken_elsewhere(claim_request_key.org_id, claim_request_key.made_by,
    claim_request_key.key, claim_request_key.store);
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
  v_invitation app.invitations;
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
    if v_made.person_id is null then
      select * into v_invitation from app.invitations i where i.id = v_made.invitation_id;
      return jsonb_build_object('ok', true, 'replayed', true, 'person', app.invitation_json(v_invitation));
    end if;
    select * into v_person from app.profiles p where p.id = v_made.person_id;
    return jsonb_build_object('ok', true, 'replayed', true,
                              'person', app.person_json(v_person) || jsonb_build_object('status', 'invited'));
  end if;
  -- A key the admin took for another call (a task, a secret, …): refused now, before the Auth
  -- API mails a link, as create_invited_person's claim of the key would refuse it after.
  perform app.refuse_request_key_taken_elsewhere(
    (select p.org_id from app.profiles p where p.id = check_invited_person.actor_id),
    check_invited_person.actor_id, check_invited_person.idempotency_key, 'person_invitations.request_key');
  v_org := app.invitation_organisation(check_invited_person.actor_id, check_invited_person.email,
                                       check_invited_person.full_name, check_invited_person.role,
                                       check_invited_person.manager_id, check_invited_person.title,
                                       check_invited_person.experience_level);
  -- An account this organisation cannot take: answered as invited (as_invited), not sent, and
  -- kept by create_unsent_invitation, so the answer does not say the address has an account elsewhere.
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
  'Service role only (invite-person): refuses an invitation create_invited_person would refuse, before the Auth API creates the user or mails the link; under a key already used, answers the person it invited (replayed) or PT409 (another invitation, or another call: app.refuse_request_key_taken_elsewhere); an address with an account this organisation cannot take answers {ok, as_invited} (create_unsent_invitation keeps it; nothing goes through Auth); else {ok, has_account}, whether Auth holds a user with the address.';
