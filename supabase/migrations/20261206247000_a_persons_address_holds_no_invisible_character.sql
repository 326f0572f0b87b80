-- A person's e-mail address holds no invisible character either: inviting someone, or
-- creating an organisation for its first admin, with "dana<U+200B>@contoso.example" is
-- refused (22023), as a draft's recipient is since 20261206246000.
--
-- What and why: both checked the address with '^[^@\s]+@[^@\s]+$', whose [[:space:]]
-- leaves out the zero-width spaces, joiners and no-break spaces, so such an address became
-- a person's sign-in and the address their invitation, brief and notifications go to. Now
-- the address must be exactly what app.email_address reads (an address, nothing blank
-- around or inside it); an address with spaces around it was refused before and still is.
-- app.invitation_organisation and public.create_organisation are restated whole from
-- 20261206226000; that check is the only change.
-- supabase/tests/create_invited_person/an_address_holds_no_invisible_character.test.sql.

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
  -- Someone with this address is in an organisation already, perhaps still invited: asking
  -- the Auth API again would mail them a new link and void the one they have.
  if exists (select 1 from app.profiles p where lower(p.email) = lower(btrim(invitation_organisation.email))) then
    raise exception 'That person already belongs to an organisation' using errcode = 'PT409',
      hint = 'Look for them in the list of people; an invitation already sent stays valid.';
  end if;
  return v_org;
end;
$$;

create or replace function public.create_organisation(name text, admin_user_id uuid, admin_full_name text, admin_email text, slug text default null, time_zone text default 'UTC')
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_slug text;
  v_org uuid;
begin
  if app.trimmed(create_organisation.name) is null then
    raise exception 'name must not be empty' using errcode = '22023', hint = 'Give the organisation the name its people know it by.';
  end if;
  if create_organisation.admin_user_id is null then
    raise exception 'admin_user_id is required' using errcode = '22023', hint = 'Create the person in Auth first and pass their user id.';
  end if;
  if app.trimmed(create_organisation.admin_full_name) is null then
    raise exception 'admin_full_name must not be empty' using errcode = '22023';
  end if;
  -- an address as app.email_address reads one, with nothing blank around it either
  if app.email_address(create_organisation.admin_email) is distinct from create_organisation.admin_email then
    raise exception 'admin_email must be an email address' using errcode = '22023';
  end if;
  if not app.is_time_zone(coalesce(create_organisation.time_zone, '')) then
    raise exception 'time_zone must be a known time zone such as Europe/Berlin' using errcode = '22023';
  end if;
  -- The slug names the organisation in URLs (ingest webhooks): from the name unless given.
  v_slug := coalesce(nullif(btrim(create_organisation.slug), ''),
                     btrim(regexp_replace(lower(create_organisation.name), '[^a-z0-9]+', '-', 'g'), '-'));
  if v_slug !~ '^[a-z0-9]+(-[a-z0-9]+)*$' then
    raise exception 'slug must be lowercase words joined by hyphens' using errcode = '22023',
      hint = 'Pass a slug such as acme-cloud.';
  end if;
  if exists (select 1 from app.organisations o where o.slug = v_slug) then
    raise exception 'An organisation with the slug % already exists', v_slug using errcode = 'PT409',
      hint = 'Pass another slug.';
  end if;
  if exists (select 1 from app.profiles p where p.id = create_organisation.admin_user_id) then
    raise exception 'That person already belongs to an organisation' using errcode = 'PT409',
      hint = 'A person is a member of one organisation; invite another address.';
  end if;

  insert into app.organisations (name, slug) values (btrim(create_organisation.name), v_slug)
  returning id into v_org;
  update app.organisation_settings s set time_zone = create_organisation.time_zone where s.org_id = v_org;
  begin
    insert into app.profiles (id, org_id, role, full_name, email)
    values (create_organisation.admin_user_id, v_org, 'admin', btrim(create_organisation.admin_full_name),
            lower(create_organisation.admin_email));
  exception when foreign_key_violation then
    raise exception 'No such person in Auth' using errcode = 'PT404',
      hint = 'Create the person in Auth first (the Auth admin API, or renubu org create locally).';
  end;

  return jsonb_build_object('organisation_id', v_org, 'slug', v_slug, 'admin_id', create_organisation.admin_user_id);
end;
$$;
