-- An organisation's name, its first admin's name and a webhook secret's label are stored
-- without the blank characters around them, as every other required text is
-- (docs/business-rules.md "Required text", app.trimmed, migration 20261206226000).
--
-- What and why: create_organisation and create_webhook_secret refused a blank name or
-- label with app.trimmed but stored btrim() of it, which strips ASCII spaces only: an
-- organisation named '\u200bAcme Cloud\u00a0' kept the zero-width and no-break spaces in
-- its stored name (and an admin's name likewise), and a label '\u200b CRM\t\u00a0' was
-- listed as sent, with a tab and invisible characters no one can see or match. Now the
-- value stored is app.trimmed's, and a label's 100 characters are counted without them (a
-- label padded past 100 with blank characters is no longer refused for its padding).
-- public.create_organisation restated whole from 20261206247000 and
-- public.create_webhook_secret from 20261206226000; the stored values (and the label's
-- length counted on what is stored) are the only changes.
-- supabase/tests/required_text/names_and_labels_are_stored_trimmed.test.sql.

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

  insert into app.organisations (name, slug) values (app.trimmed(create_organisation.name), v_slug)
  returning id into v_org;
  update app.organisation_settings s set time_zone = create_organisation.time_zone where s.org_id = v_org;
  begin
    insert into app.profiles (id, org_id, role, full_name, email)
    values (create_organisation.admin_user_id, v_org, 'admin', app.trimmed(create_organisation.admin_full_name),
            lower(create_organisation.admin_email));
  exception when foreign_key_violation then
    raise exception 'No such person in Auth' using errcode = 'PT404',
      hint = 'Create the person in Auth first (the Auth admin API, or renubu org create locally).';
  end;

  return jsonb_build_object('organisation_id', v_org, 'slug', v_slug, 'admin_id', create_organisation.admin_user_id);
end;
$$;

create or replace function public.create_webhook_secret(label text default 'default')
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_org uuid := (select app.current_org_id());
  v_row app.webhook_secrets;
  v_label constant text := app.trimmed(create_webhook_secret.label);
begin
  if not (select app.has_role('admin')) then
    raise exception 'Only admins manage webhook secrets' using errcode = '42501',
      hint = 'Ask an admin of your organisation.';
  end if;
  if v_label is null or length(v_label) > 100 then
    raise exception 'label must be between 1 and 100 characters' using errcode = '22023';
  end if;
  insert into app.webhook_secrets (org_id, label, secret)
  values (v_org, v_label, 'whsec_' || encode(extensions.gen_random_bytes(32), 'base64'))
  returning * into v_row;
  return jsonb_build_object(
    'id', v_row.id, 'label', v_row.label, 'secret', v_row.secret, 'active', v_row.active,
    'expires_at', v_row.expires_at, 'created_at', v_row.created_at
  );
end;
$$;
