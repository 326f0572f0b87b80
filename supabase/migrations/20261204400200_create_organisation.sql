-- First run: an organisation and its first admin, so a team can start without the demo
-- seed. The person must already exist in Auth (the Auth admin API creates them on hosted
-- Supabase; `renubu org create` does both locally); this adds the organisation (its
-- settings row comes from the insert trigger, with the defaults of docs/data-model.md) and
-- makes that person its admin. The workflow catalogue is global product data
-- (20261204400000_product_catalogue.sql), so the new organisation has all of it at once.
--
-- Service role only: creating tenants is an operator's act, not something a signed-in
-- person can do through the API.

create or replace function public.create_organisation(
  name text,
  admin_user_id uuid,
  admin_full_name text,
  admin_email text,
  slug text default null,
  time_zone text default 'UTC'
)
returns jsonb
language plpgsql
volatile
set search_path = ''
as $$
declare
  v_slug text;
  v_org uuid;
begin
  if create_organisation.name is null or btrim(create_organisation.name) = '' then
    raise exception 'name must not be empty' using errcode = '22023', hint = 'Give the organisation the name its people know it by.';
  end if;
  if create_organisation.admin_user_id is null then
    raise exception 'admin_user_id is required' using errcode = '22023', hint = 'Create the person in Auth first and pass their user id.';
  end if;
  if create_organisation.admin_full_name is null or btrim(create_organisation.admin_full_name) = '' then
    raise exception 'admin_full_name must not be empty' using errcode = '22023';
  end if;
  if create_organisation.admin_email is null or create_organisation.admin_email !~ '^[^@\s]+@[^@\s]+$' then
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
comment on function public.create_organisation(text, uuid, text, text, text, text) is
  'Service role: a new organisation with its first admin (an existing Auth user).';
revoke execute on function public.create_organisation(text, uuid, text, text, text, text) from public, anon, authenticated;
grant execute on function public.create_organisation(text, uuid, text, text, text, text) to service_role;
