-- An invitation sent again under the key of a request whose answer was lost answers the
-- person it invited, and mails nothing more (docs/admin.md "Inviting someone").
--
-- What and why: Admin → People → Invite called invite-person without a key. An invitation
-- that went through (the user made, the link mailed, the profile written) but whose answer
-- never reached the browser was reported as failed; Send invitation again answered 409 "That
-- person already belongs to an organisation" for the admin's own first invitation. Now, as
-- create_webhook_secret and create_task (docs/api-contract.md, idempotency): invite-person takes
-- an idempotency_key, and the same key with the same invitation answers the person it made (as
-- they are now) before anything is created or mailed; another invitation under the key is PT409.
--
-- - app.person_invitations: an invitation made under a key, by the admin and key, with the
--   invitation as it was checked (app.invitation_request) and the person it made.
-- - public.check_invited_person(…, idempotency_key): the key (app.check_request_key), then the
--   invitation made under it: {ok, replayed: true, person} for the same request, PT409 for
--   another; else the checks as before and {ok: true}.
-- - public.create_invited_person(…, idempotency_key): records the key with the person. A second
--   call with one key at once meets the primary key (23505, PT409 here): invite-person then
--   asks check_invited_person again and answers the first's person.
-- Restated whole: check_invited_person (20261205194500), create_invited_person (20261206240000);
-- the key is the only change. Test: tests/integration/admin-people.test.ts ("an invitation sent
-- again under its key").

create table app.person_invitations (
  org_id uuid not null references app.organisations (id) on delete cascade,
  invited_by uuid not null references app.profiles (id) on delete cascade,
  request_key text not null,
  person_id uuid not null references app.profiles (id) on delete cascade,
  request jsonb not null,
  created_at timestamptz not null default now(),
  primary key (invited_by, request_key)
);
create index person_invitations_org_id_idx on app.person_invitations (org_id);        -- the foreign keys'
create index person_invitations_person_id_idx on app.person_invitations (person_id);
comment on table app.person_invitations is
  'Invitations made under an idempotency key (invite-person): the same key again answers the person it made.';
alter table app.person_invitations enable row level security;
grant select, insert on app.person_invitations to service_role;
select app.create_org_policies('app.person_invitations', 'person invitations', readers => 'admins');

-- The invitation as it is compared between a request and its retry: the values as stored.
create function app.invitation_request(email text, full_name text, role text, manager_id uuid, title text, experience_level text)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select jsonb_build_object('email', lower(btrim(email)), 'full_name', app.trimmed(full_name), 'role', role,
                            'manager_id', manager_id, 'title', app.trimmed(title), 'experience_level', experience_level);
$$;
revoke execute on function app.invitation_request(text, text, text, uuid, text, text) from public, anon;
grant execute on function app.invitation_request(text, text, text, uuid, text, text) to service_role;

drop function public.check_invited_person(uuid, text, text, text, uuid, text, text);
create function public.check_invited_person(
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
  perform app.invitation_organisation(check_invited_person.actor_id, check_invited_person.email,
                                      check_invited_person.full_name, check_invited_person.role,
                                      check_invited_person.manager_id, check_invited_person.title,
                                      check_invited_person.experience_level);
  return jsonb_build_object('ok', true);
end;
$$;
comment on function public.check_invited_person(uuid, text, text, text, uuid, text, text, text) is
  'Service role only (invite-person): refuses an invitation create_invited_person would refuse, before the Auth API creates the user or mails the link; under a key already used, answers the person it invited (replayed) or PT409.';
revoke execute on function public.check_invited_person(uuid, text, text, text, uuid, text, text, text) from public, anon, authenticated;
grant execute on function public.check_invited_person(uuid, text, text, text, uuid, text, text, text) to service_role;

drop function public.create_invited_person(uuid, uuid, text, text, text, uuid, text, text);
create function public.create_invited_person(actor_id uuid, user_id uuid, email text, full_name text, role text, manager_id uuid default null, title text default null, experience_level text default null, idempotency_key text default null)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_org uuid := app.invitation_organisation(create_invited_person.actor_id, create_invited_person.email,
                                            create_invited_person.full_name, create_invited_person.role,
                                            create_invited_person.manager_id, create_invited_person.title,
                                            create_invited_person.experience_level);
  v_person app.profiles;
begin
  perform app.check_request_key(create_invited_person.idempotency_key, 'idempotency_key', 200);
  if exists (select 1 from app.profiles p where p.id = create_invited_person.user_id) then
    raise exception 'This person already belongs to an organisation' using errcode = 'PT409';
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
comment on function public.create_invited_person(uuid, uuid, text, text, text, uuid, text, text, text) is
  'Service role only (invite-person): the profile of a user the Auth API just invited, in the admin''s organisation, audited; with an idempotency_key, recorded so that the same invitation again answers this person.';
revoke execute on function public.create_invited_person(uuid, uuid, text, text, text, uuid, text, text, text) from public, anon, authenticated;
grant execute on function public.create_invited_person(uuid, uuid, text, text, text, uuid, text, text, text) to service_role;
