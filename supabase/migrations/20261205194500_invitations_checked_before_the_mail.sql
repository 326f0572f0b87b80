-- An invitation is checked before its mail goes out (docs/admin.md "Inviting people").
--
-- What and why: invite-person asked the Auth admin API to create the user and mail the
-- invite link first, and only then let create_invited_person check the invitation (an
-- active admin, a known role, a manager who is an active manager or admin of the same
-- organisation, …). A refused invitation rolled the user back, but its mail had already
-- gone: the person received a link that led nowhere. The checks now live in one function,
-- app.invitation_organisation, which both the new check_invited_person (called by
-- invite-person before anything is created or sent) and create_invited_person (the
-- database's own check when the profile is written) use. It also bounds the title at 120
-- characters, as update_person does, and refuses an address that already belongs to
-- someone (PT409), invited or active: the Auth API would mail them a fresh link and void
-- the one they have, even for another organisation's invitation.

-- The inviting admin's organisation, once everything about the invitation itself holds.
create or replace function app.invitation_organisation(
  actor_id uuid, email text, full_name text, role text, manager_id uuid, title text, experience_level text
)
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
  if nullif(btrim(invitation_organisation.full_name), '') is null or length(invitation_organisation.full_name) > 200 then
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
  if nullif(btrim(invitation_organisation.email), '') is null or invitation_organisation.email !~ '^[^@\s]+@[^@\s]+$' then
    raise exception 'email must be an email address' using errcode = '22023';
  end if;
  -- Someone with this address is in an organisation already, perhaps still invited: asking
  -- the Auth API again would mail them a new link and void the one they have.
  if exists (select 1 from app.profiles p where lower(p.email) = lower(btrim(invitation_organisation.email))) then
    raise exception 'That person already belongs to an organisation' using errcode = 'PT409',
      hint = 'Look for them in the list of people; an invitation already sent stays valid.';
  end if;
  return v_org;
end;
$$;
revoke execute on function app.invitation_organisation(uuid, text, text, text, uuid, text, text) from public, anon, authenticated;
grant execute on function app.invitation_organisation(uuid, text, text, text, uuid, text, text) to service_role;

-- invite-person's first step: the invitation as create_invited_person will check it, with
-- nothing created and nothing sent.
create or replace function public.check_invited_person(
  actor_id uuid, email text, full_name text, role text,
  manager_id uuid default null, title text default null, experience_level text default null
)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
begin
  perform app.invitation_organisation(check_invited_person.actor_id, check_invited_person.email,
                                      check_invited_person.full_name, check_invited_person.role,
                                      check_invited_person.manager_id, check_invited_person.title,
                                      check_invited_person.experience_level);
  return jsonb_build_object('ok', true);
end;
$$;
comment on function public.check_invited_person(uuid, text, text, text, uuid, text, text) is
  'Service role only (invite-person): refuses an invitation create_invited_person would refuse, before the Auth API creates the user or mails the link.';
revoke execute on function public.check_invited_person(uuid, text, text, text, uuid, text, text) from public, anon, authenticated;
grant execute on function public.check_invited_person(uuid, text, text, text, uuid, text, text) to service_role;

-- The profile of the invited user: the same checks (restated whole; only they moved out).
create or replace function public.create_invited_person(
  actor_id uuid, user_id uuid, email text, full_name text, role text,
  manager_id uuid default null, title text default null, experience_level text default null
)
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
  if exists (select 1 from app.profiles p where p.id = create_invited_person.user_id) then
    raise exception 'This person already belongs to an organisation' using errcode = 'PT409';
  end if;

  insert into app.profiles (id, org_id, role, manager_id, full_name, email, title, experience_level)
  values (create_invited_person.user_id, v_org, create_invited_person.role, create_invited_person.manager_id,
          btrim(create_invited_person.full_name), lower(create_invited_person.email),
          nullif(btrim(create_invited_person.title), ''), create_invited_person.experience_level)
  returning * into v_person;
  -- (profiles.id references auth.users: an id the Auth API did not create is a 23503.)

  perform app.write_admin_audit(v_org, create_invited_person.actor_id, 'person', v_person.id::text, 'invite', null,
    jsonb_build_object('email', v_person.email, 'full_name', v_person.full_name, 'role', v_person.role,
                       'manager_id', v_person.manager_id));
  return app.person_json(v_person) || jsonb_build_object('status', 'invited');
end;
$$;
