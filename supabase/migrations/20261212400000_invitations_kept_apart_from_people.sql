-- Invitations are kept apart from people, and an invitation of an address with an account
-- elsewhere is kept as one sent is (docs/admin.md "Inviting someone").
--
-- What and why: since 20261211300000 an invitation of an address this organisation cannot take
-- (a person of another organisation, a confirmed account of nobody's) was answered 201 and
-- nothing was kept. What the admin saw next told it apart from a sent one: after a reload
-- People had no row for it, Admin → Audit no entry, and inviting the address again answered
-- 201 where a sent one's repeat is 409. And its owner was never told anything.
-- Now:
-- - app.invitations: one row per address an organisation invited (sent or not), with who
--   invited and when; `person_id` is the person a sent invitation made (its id is theirs), null
--   for one that could not be sent. Admins and managers of the organisation read it;
-- - public.create_unsent_invitation (service role, invite-person): keeps an invitation that
--   cannot be sent, audits it as create_invited_person audits a sent one, and writes the mail
--   its address's owner is sent (app.invitation_notices, which no member reads: it says the
--   address has an account elsewhere). Its answer is the person as a sent one's;
-- - app.invitation_organisation refuses an address the organisation invited already with the
--   words it has for one of its people (PT409), whether that invitation was sent or not;
-- - list_people lists the invitations that made nobody beside the people, as invited, and says
--   for every invitation who made it (`invited_by`);
-- - an invitation under an idempotency key that made nobody is answered again under it.
-- Restated whole: app.invitation_organisation, public.check_invited_person, app.person_as_invited
-- (20261211300000), public.create_invited_person (20261211304000), public.list_people (20261209302000).
-- tests/integration/an-invitation-elsewhere-is-kept-as-one-sent.test.ts,
-- supabase/tests/create_invited_person/an_unsent_invitation_is_kept.test.sql.

create table app.invitations (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references app.organisations (id) on delete cascade,
  email text not null,
  full_name text not null,
  role text not null,
  manager_id uuid,
  title text,
  experience_level text,
  -- the person a sent invitation made (the invitation's id is theirs); null: not sent, made nobody
  person_id uuid,
  invited_by uuid,
  invited_at timestamptz not null default now(),
  constraint invitations_email_is_lowercase check (email = lower(email)),
  constraint invitations_role_is_known check (role in ('admin', 'manager', 'csm', 'viewer')),
  constraint invitations_person_is_the_invitation check (person_id is null or person_id = id),
  constraint invitations_person_is_in_organisation foreign key (person_id, org_id)
    references app.profiles (id, org_id) on delete cascade,
  constraint invitations_inviter_is_in_organisation foreign key (invited_by, org_id)
    references app.profiles (id, org_id) on delete set null (invited_by),
  constraint invitations_manager_is_in_organisation foreign key (manager_id, org_id)
    references app.profiles (id, org_id) on delete set null (manager_id)
);
-- One invitation per address and organisation: a second is refused (app.invitation_organisation).
create unique index invitations_org_id_email_key on app.invitations (org_id, email);
create index invitations_person_id_idx on app.invitations (person_id, org_id);     -- the foreign keys'
create index invitations_invited_by_idx on app.invitations (invited_by, org_id);
create index invitations_manager_id_idx on app.invitations (manager_id, org_id);
comment on table app.invitations is
  'Every address an organisation invited, sent or not (docs/admin.md "Inviting someone"): who invited and when; person_id is the person a sent one made.';
alter table app.invitations enable row level security;
grant select, insert on app.invitations to service_role;
grant select on app.invitations to authenticated;
select app.create_org_policies('app.invitations', 'invitations', readers => 'managers');

-- The mail an invitation that cannot be sent sends its address's owner instead: that the
-- address has an account already and another one must be invited. Nobody of the inviting
-- organisation reads it (it says the address has an account elsewhere): no policy.
create table app.invitation_notices (
  id uuid primary key default gen_random_uuid(),
  invitation_id uuid not null references app.invitations (id) on delete cascade,
  to_address text not null,
  subject text not null,
  body_text text not null,
  created_at timestamptz not null default now()
);
create index invitation_notices_invitation_id_idx on app.invitation_notices (invitation_id);
comment on table app.invitation_notices is
  'Service role only: the mail to the owner of an address invited that has an account elsewhere (invite-person sends it); never readable by the inviting organisation.';
alter table app.invitation_notices enable row level security;
grant select, insert on app.invitation_notices to service_role;

-- An invitation made under a key that made nobody is recorded by its invitation.
alter table app.person_invitations alter column person_id drop not null,
  add column invitation_id uuid references app.invitations (id) on delete cascade,
  add constraint person_invitations_made_one check (num_nonnulls(person_id, invitation_id) = 1);
create index person_invitations_invitation_id_idx on app.person_invitations (invitation_id);

-- An invitation as a person, as create_invited_person answers one (app.person_json, one shape).
create function app.invitation_json(i app.invitations)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
begin
  return app.person_json(jsonb_populate_record(null::app.profiles, jsonb_build_object(
           'id', i.id, 'org_id', i.org_id, 'role', i.role, 'manager_id', i.manager_id, 'full_name', i.full_name,
           'email', i.email, 'title', i.title, 'experience_level', i.experience_level, 'created_at', i.invited_at)))
         || jsonb_build_object('status', 'invited');
end;
$$;
revoke execute on function app.invitation_json(app.invitations) from public, anon;
grant execute on function app.invitation_json(app.invitations) to authenticated, service_role;

-- An invitation of these values, as kept (trimmed, the address in lower case), not yet written.
create function app.invitation_of(org_id uuid, invited_by uuid, email text, full_name text, role text, manager_id uuid,
                                  title text, experience_level text)
returns app.invitations
language plpgsql
stable
set search_path = ''
as $$
begin
  return jsonb_populate_record(null::app.invitations, jsonb_build_object(
           'id', gen_random_uuid(), 'org_id', invitation_of.org_id, 'invited_by', invitation_of.invited_by,
           'email', lower(btrim(invitation_of.email)), 'full_name', app.trimmed(invitation_of.full_name),
           'role', invitation_of.role, 'manager_id', invitation_of.manager_id, 'title', app.trimmed(invitation_of.title),
           'experience_level', invitation_of.experience_level, 'invited_at', now()));
end;
$$;
revoke execute on function app.invitation_of(uuid, uuid, text, text, text, uuid, text, text) from public, anon, authenticated;
grant execute on function app.invitation_of(uuid, uuid, text, text, text, uuid, text, text) to service_role;

-- Restated from 20261211300000: the person from app.invitation_of, by app.invitation_json.
create or replace function app.person_as_invited(org_id uuid, email text, full_name text, role text, manager_id uuid,
                                                 title text, experience_level text)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
begin
  return app.invitation_json(app.invitation_of(person_as_invited.org_id, null, person_as_invited.email,
    person_as_invited.full_name, person_as_invited.role, person_as_invited.manager_id, person_as_invited.title,
    person_as_invited.experience_level));
end;
$$;

-- One invitation under an admin's key at a time (none to take without a key): a request sent
-- again at the same time finds what the first made. (Written inline in create_invited_person
-- until now.)
create function app.lock_invitation_key(actor_id uuid, idempotency_key text)
returns void
language plpgsql
set search_path = ''
as $$
begin
  if lock_invitation_key.idempotency_key is not null then
    perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended(
      'renubu.invitation-key:' || lock_invitation_key.actor_id::text || ':' || lock_invitation_key.idempotency_key, 0));
  end if;
end;
$$;
revoke execute on function app.lock_invitation_key(uuid, text) from public, anon, authenticated;
grant execute on function app.lock_invitation_key(uuid, text) to service_role;

-- One invitation of an address at a time in the organisation: what the checks below read is
-- what the request sent at the same time made.
create function app.lock_invited_address(org_id uuid, email text)
returns void
language plpgsql
set search_path = ''
as $$
begin
  perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended(
    'renubu.invited-address:' || lock_invited_address.org_id::text || ':' || lower(btrim(lock_invited_address.email)), 0));
end;
$$;
revoke execute on function app.lock_invited_address(uuid, text) from public, anon, authenticated;
grant execute on function app.lock_invited_address(uuid, text) to service_role;

-- Restated from 20261211300000: an address the organisation invited already (sent or not) is
-- refused with the words for one of its people.
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
  -- Someone of this organisation has this address already, perhaps still invited (asking the
  -- Auth API again would mail them a new link and void the one they have), or the organisation
  -- invited it already, sent or not: the same words for both, so a repeat does not say which.
  -- (Someone of another organisation is not this admin's to learn of: app.address_taken_elsewhere.)
  if exists (select 1 from app.profiles p
              where lower(p.email) = lower(btrim(invitation_organisation.email)) and p.org_id = v_org)
     or exists (select 1 from app.invitations i
                 where i.org_id = v_org and i.email = lower(btrim(invitation_organisation.email))) then
    raise exception 'That person already belongs to an organisation' using errcode = 'PT409',
      hint = 'Look for them in the list of people; an invitation already sent stays valid.';
  end if;
  return v_org;
end;
$$;

-- Restated from 20261211300000: an invitation under the key that made nobody is answered again.
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
  'Service role only (invite-person): refuses an invitation create_invited_person would refuse, before the Auth API creates the user or mails the link; under a key already used, answers the person it invited (replayed) or PT409; an address with an account this organisation cannot take answers {ok, as_invited} (create_unsent_invitation keeps it; nothing goes through Auth); else {ok, has_account}, whether Auth holds a user with the address.';

-- Keeps an invitation (sent or not), audits it and records it under its key: one rule for both.
create function app.keep_invitation(i app.invitations, idempotency_key text)
returns void
language plpgsql
set search_path = ''
as $$
begin
  insert into app.invitations values (i.*);
  if keep_invitation.idempotency_key is not null then
    insert into app.person_invitations (org_id, invited_by, request_key, person_id, invitation_id, request)
    values (i.org_id, i.invited_by, keep_invitation.idempotency_key, i.person_id,
            case when i.person_id is null then i.id end,
            app.invitation_request(i.email, i.full_name, i.role, i.manager_id, i.title, i.experience_level));
  end if;
  perform app.write_admin_audit(i.org_id, i.invited_by, 'person', i.id::text, 'invite', null,
    jsonb_build_object('email', i.email, 'full_name', i.full_name, 'role', i.role, 'manager_id', i.manager_id));
end;
$$;
revoke execute on function app.keep_invitation(app.invitations, text) from public, anon, authenticated;
grant execute on function app.keep_invitation(app.invitations, text) to service_role;

-- Restated from 20261211304000: the address locked with the others, and the invitation kept
-- (app.keep_invitation: the key and the audit entry as before, and the invitation's row).
create or replace function public.create_invited_person(actor_id uuid, user_id uuid, email text, full_name text, role text, manager_id uuid default null, title text default null, experience_level text default null, idempotency_key text default null)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_org uuid;
  v_person app.profiles;
  v_invitation app.invitations;
begin
  perform app.check_request_key(create_invited_person.idempotency_key, 'idempotency_key', 200);
  -- One request at a time per user, then per admin and key, then per address: the checks below
  -- see what a request sent at the same time made.
  perform pg_catalog.pg_advisory_xact_lock(
    pg_catalog.hashtextextended('renubu.invited-user:' || create_invited_person.user_id::text, 0));
  perform app.lock_invitation_key(create_invited_person.actor_id, create_invited_person.idempotency_key);

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
  select p.org_id into v_org from app.profiles p where p.id = create_invited_person.actor_id;
  perform app.lock_invited_address(v_org, create_invited_person.email);
  v_org := app.invitation_organisation(create_invited_person.actor_id, create_invited_person.email,
                                       create_invited_person.full_name, create_invited_person.role,
                                       create_invited_person.manager_id, create_invited_person.title,
                                       create_invited_person.experience_level);
  -- An account this organisation cannot take (another organisation's person, made meanwhile
  -- perhaps; a confirmed account of nobody's): kept as it is, and invite-person answers as invited.
  if app.address_taken_elsewhere(create_invited_person.email, v_org) then
    raise exception 'This person already belongs to an organisation' using errcode = 'PT409', detail = 'person_exists';
  end if;

  v_invitation := app.invitation_of(v_org, create_invited_person.actor_id, create_invited_person.email,
    create_invited_person.full_name, create_invited_person.role, create_invited_person.manager_id,
    create_invited_person.title, create_invited_person.experience_level);
  insert into app.profiles (id, org_id, role, manager_id, full_name, email, title, experience_level)
  values (create_invited_person.user_id, v_org, v_invitation.role, v_invitation.manager_id,
          v_invitation.full_name, v_invitation.email, v_invitation.title, v_invitation.experience_level)
  returning * into v_person;
  -- (profiles.id references auth.users: an id the Auth API did not create is a 23503.)
  v_invitation.id := v_person.id;
  v_invitation.person_id := v_person.id;
  perform app.keep_invitation(v_invitation, create_invited_person.idempotency_key);
  return app.person_json(v_person) || jsonb_build_object('status', 'invited');
end;
$$;

-- The mail an unsent invitation's address is sent: who invited it to what, that it has an
-- account already, and what to do. It never goes to the organisation.
create function app.invitation_notice(i app.invitations)
returns app.invitation_notices
language plpgsql
stable
set search_path = ''
as $$
declare
  v_org text := (select o.name from app.organisations o where o.id = i.org_id);
  v_by text := coalesce((select p.full_name || ' (' || p.email || ')' from app.profiles p where p.id = i.invited_by),
                        'An admin of ' || v_org);
begin
  return jsonb_populate_record(null::app.invitation_notices, jsonb_build_object(
    'id', gen_random_uuid(), 'invitation_id', i.id, 'to_address', i.email, 'created_at', now(),
    'subject', 'Your invitation to ' || v_org || ' on Renubu',
    'body_text', v_by || ' invited ' || i.email || ' to join ' || v_org || ' on Renubu.' || E'\n\n'
      || 'This address already has a Renubu account, and an account belongs to one organisation, so it cannot join '
      || v_org || ' as well. Nothing has changed on your account, and ' || v_org || ' has not been told.' || E'\n\n'
      || 'To join ' || v_org || ', ask them to invite another address of yours. If you did not expect this, you can ignore this message.'));
end;
$$;
revoke execute on function app.invitation_notice(app.invitations) from public, anon, authenticated;
grant execute on function app.invitation_notice(app.invitations) to service_role;

create function public.create_unsent_invitation(actor_id uuid, email text, full_name text, role text, manager_id uuid default null, title text default null, experience_level text default null, idempotency_key text default null)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_org uuid;
  v_invitation app.invitations;
  v_notice app.invitation_notices;
  v_replayed jsonb;
begin
  perform app.check_request_key(create_unsent_invitation.idempotency_key, 'idempotency_key', 200);
  perform app.lock_invitation_key(create_unsent_invitation.actor_id, create_unsent_invitation.idempotency_key);
  select p.org_id into v_org from app.profiles p where p.id = create_unsent_invitation.actor_id;
  perform app.lock_invited_address(v_org, create_unsent_invitation.email);
  -- The check again, now that nothing else makes this invitation: under the key, what a request
  -- sent at the same time made (replayed); a repeat of the address, PT409 as for a sent one.
  v_replayed := public.check_invited_person(create_unsent_invitation.actor_id, create_unsent_invitation.email,
    create_unsent_invitation.full_name, create_unsent_invitation.role, create_unsent_invitation.manager_id,
    create_unsent_invitation.title, create_unsent_invitation.experience_level, create_unsent_invitation.idempotency_key);
  if v_replayed ? 'person' then
    return jsonb_build_object('person', v_replayed -> 'person', 'replayed', true);
  end if;
  v_invitation := app.invitation_of(v_org, create_unsent_invitation.actor_id, create_unsent_invitation.email,
    create_unsent_invitation.full_name, create_unsent_invitation.role, create_unsent_invitation.manager_id,
    create_unsent_invitation.title, create_unsent_invitation.experience_level);
  perform app.keep_invitation(v_invitation, create_unsent_invitation.idempotency_key);
  v_notice := app.invitation_notice(v_invitation);
  insert into app.invitation_notices values (v_notice.*);
  return jsonb_build_object('person', app.invitation_json(v_invitation),
    'notice', jsonb_build_object('to', v_notice.to_address, 'subject', v_notice.subject, 'text', v_notice.body_text));
end;
$$;
comment on function public.create_unsent_invitation(uuid, text, text, text, uuid, text, text, text) is
  'Service role only (invite-person): keeps an invitation check_invited_person answered as_invited (an address with an account this organisation cannot take) as a sent one is kept — its row, audit entry and key — and answers {person, notice}: the person as a sent one answers, and the mail to send the address instead (never shown to the organisation).';
revoke execute on function public.create_unsent_invitation(uuid, text, text, text, uuid, text, text, text) from public, anon, authenticated;
grant execute on function public.create_unsent_invitation(uuid, text, text, text, uuid, text, text, text) to service_role;

-- Who made the invitation of this id ({id, full_name}), null for none kept (people who joined
-- before invitations were kept, the organisation's first admin).
create function app.invited_by_json(invitation_id uuid)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
begin
  return (select jsonb_build_object('id', p.id, 'full_name', p.full_name)
            from app.invitations i join app.profiles p on p.id = i.invited_by
           where i.id = invited_by_json.invitation_id);
end;
$$;
revoke execute on function app.invited_by_json(uuid) from public, anon;
grant execute on function app.invited_by_json(uuid) to authenticated, service_role;

-- Restated from 20261209302000: the invitations that made nobody are listed as invited people,
-- and every invitation says who made it.
create or replace function public.list_people()
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_org uuid := app.current_org_id();
begin
  if v_org is null or not app.has_role('admin', 'manager') or not app.caller_is_active() then
    raise exception 'Only admins and managers can list people' using errcode = '42501';
  end if;
  return coalesce((
    select jsonb_agg(r.person order by lower(r.person ->> 'full_name'), r.person ->> 'id')
      from (select app.person_json(p) || jsonb_build_object(
                     'invited_at', s.invited_at,
                     'invited_by', app.invited_by_json(p.id),
                     'last_sign_in_at', s.last_sign_in_at,
                     'status', case when p.deactivated_at is not null then 'deactivated'
                                    when j.id is not null then 'invited'
                                    else 'active' end) as person
              from app.profiles p
              left join app.people_sign_in_state() s on s.id = p.id
              left join app.people_yet_to_join() j on j.id = p.id
             where p.org_id = v_org
            union all
            select app.invitation_json(i) || jsonb_build_object(
                     'invited_at', i.invited_at, 'invited_by', app.invited_by_json(i.id), 'last_sign_in_at', null)
              from app.invitations i
             where i.org_id = v_org and i.person_id is null) r), '[]'::jsonb);
end;
$$;
