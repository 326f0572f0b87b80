-- Integrations: webhook secret rotation with overlap, the organisation's ingest address,
-- and a log of the last deliveries with their result (issue 16, "Integrations").
--
-- Why: create / list / revoke of secrets exist since the ingest migration
-- (20261125200100_ingest.sql); rotating needed two calls in the right order, changes were
-- not audited and a failed delivery left no trace an admin could see. A secret's life:
--
--   create ──▶ active ──rotate(overlap_hours)──▶ expiring (still verifies until expires_at)
--                 │                                   └──▶ expired (verifies nothing)
--                 └──revoke──▶ revoked (verifies nothing at once)
--
-- The ingest function verifies against every active, unexpired secret
-- (ingest_webhook_secrets), so during a rotation's overlap both the old and the new one
-- work and the sender can switch without losing a delivery. The full secret is shown once,
-- when created; afterwards only its prefix. Every change to a secret is audited by a
-- trigger, whichever RPC makes it. Deliveries are written by the ingest function
-- (service role) through record_webhook_delivery; only the newest 200 per organisation
-- are kept.

create table app.webhook_deliveries (
  id bigint generated always as identity primary key,
  org_id uuid not null references app.organisations (id) on delete cascade,
  webhook_id text,
  received_at timestamptz not null default now(),
  status integer not null,
  outcome text not null,
  event_count integer not null default 0,
  message text,
  constraint webhook_deliveries_status_is_http check (status between 100 and 599),
  constraint webhook_deliveries_outcome_is_known check (outcome in (
    'applied', 'replayed', 'bad_signature', 'stale_timestamp', 'invalid_body', 'rejected', 'failed'
  )),
  constraint webhook_deliveries_event_count_is_not_negative check (event_count >= 0),
  constraint webhook_deliveries_webhook_id_is_short check (webhook_id is null or length(webhook_id) <= 200),
  constraint webhook_deliveries_message_is_short check (message is null or length(message) <= 500)
);
create index webhook_deliveries_org_id_received_at_idx on app.webhook_deliveries (org_id, received_at desc, id desc);
comment on table app.webhook_deliveries is 'The newest ingest deliveries per organisation with their HTTP status and outcome.';

alter table app.webhook_deliveries enable row level security;

create policy "Admins can read their organisation's webhook deliveries"
  on app.webhook_deliveries for select to authenticated
  using (org_id = (select app.current_org_id()) and (select app.has_role('admin')));

grant select on app.webhook_deliveries to authenticated;
grant select, insert, delete on app.webhook_deliveries to service_role;

-- A secret as list_webhook_secrets (20261125200100_ingest.sql) shows it: never the secret.
create or replace function app.webhook_secret_json(s app.webhook_secrets)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select jsonb_build_object(
    'id', s.id, 'label', s.label, 'secret_prefix', left(s.secret, 12),
    'active', s.active and (s.expires_at is null or s.expires_at > now()),
    'expires_at', s.expires_at, 'created_at', s.created_at)
$$;
grant execute on function app.webhook_secret_json(app.webhook_secrets) to authenticated, service_role;

create or replace function app.require_integrations_admin()
returns uuid
language plpgsql
stable
set search_path = ''
as $$
declare
  v_org uuid := app.current_org_id();
begin
  if v_org is null or not app.has_role('admin') or not app.caller_is_active() then
    raise exception 'Only admins manage integrations' using errcode = '42501',
      hint = 'Ask an admin of your organisation.';
  end if;
  return v_org;
end;
$$;
grant execute on function app.require_integrations_admin() to authenticated;

-- Every change an admin makes to a secret (create_webhook_secret, revoke_webhook_secret,
-- rotate_webhook_secret, or any later RPC) is audited, by prefix, never the secret.
create or replace function app.audit_webhook_secret_change()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if current_user <> 'authenticated' then
    return null;
  end if;
  if tg_op = 'INSERT' then
    perform app.record_admin_change('webhook_secret', new.id::text, 'create', null, app.webhook_secret_json(new));
  elsif tg_op = 'DELETE' then
    perform app.record_admin_change('webhook_secret', old.id::text, 'delete', app.webhook_secret_json(old), null);
  elsif (old.active, old.expires_at, old.label) is distinct from (new.active, new.expires_at, new.label) then
    perform app.record_admin_change('webhook_secret', new.id::text,
      case when not new.active or new.expires_at <= now() then 'revoke'
           when new.expires_at is not null then 'expire_later'
           else 'update' end,
      app.webhook_secret_json(old), app.webhook_secret_json(new));
  end if;
  return null;
end;
$$;
create trigger webhook_secrets_audit after insert or update or delete on app.webhook_secrets
  for each row execute function app.audit_webhook_secret_change();

-- Admins: a new secret with the same label; the old one keeps verifying for overlap_hours,
-- then stops. The answer is the only time the new secret is shown whole.
create or replace function public.rotate_webhook_secret(secret_id uuid, overlap_hours integer default 24)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_org uuid := app.require_integrations_admin();
  v_old app.webhook_secrets;
  v_new app.webhook_secrets;
begin
  if rotate_webhook_secret.overlap_hours is null or rotate_webhook_secret.overlap_hours < 0 or rotate_webhook_secret.overlap_hours > 168 then
    raise exception 'overlap_hours must be between 0 and 168 (one week)' using errcode = '22023';
  end if;
  select * into v_old from app.webhook_secrets s
   where s.id = rotate_webhook_secret.secret_id and s.org_id = v_org
   for update;
  if v_old.id is null then
    raise exception 'Webhook secret not found' using errcode = 'PT404';
  end if;
  if not v_old.active or v_old.expires_at is not null then
    raise exception 'Only a secret in use without an end date can be rotated' using errcode = 'PT409',
      hint = 'Rotate the newest secret, or create a new one.';
  end if;
  update app.webhook_secrets s
     set expires_at = now() + make_interval(hours => rotate_webhook_secret.overlap_hours)
   where s.id = v_old.id
  returning * into v_old;
  insert into app.webhook_secrets (org_id, label, secret)
  values (v_org, v_old.label, 'whsec_' || encode(extensions.gen_random_bytes(32), 'base64'))
  returning * into v_new;
  return jsonb_build_object(
    'secret', app.webhook_secret_json(v_new) || jsonb_build_object('secret', v_new.secret),
    'previous', app.webhook_secret_json(v_old));
end;
$$;
comment on function public.rotate_webhook_secret(uuid, integer) is
  'Admins: replaces a secret; the old one keeps verifying for overlap_hours (default 24, at most 168). Returns {secret (whole, once), previous}.';
revoke execute on function public.rotate_webhook_secret(uuid, integer) from public, anon;
grant execute on function public.rotate_webhook_secret(uuid, integer) to authenticated;

-- Admins: where senders post, and the newest deliveries with their result.
create or replace function public.get_integrations_overview(page_size integer default 50)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_org uuid := app.require_integrations_admin();
begin
  if get_integrations_overview.page_size is null or get_integrations_overview.page_size < 1 or get_integrations_overview.page_size > 200 then
    raise exception 'page_size must be between 1 and 200' using errcode = '22023';
  end if;
  return jsonb_build_object(
    'ingest_path', '/functions/v1/ingest/' || (select o.slug from app.organisations o where o.id = v_org),
    'org_slug', (select o.slug from app.organisations o where o.id = v_org),
    'secrets', public.list_webhook_secrets(),
    'deliveries', coalesce((
      select jsonb_agg(jsonb_build_object(
               'id', d.id, 'webhook_id', d.webhook_id, 'received_at', d.received_at, 'status', d.status,
               'outcome', d.outcome, 'event_count', d.event_count, 'message', d.message)
             order by d.received_at desc, d.id desc)
        from (select * from app.webhook_deliveries x where x.org_id = v_org
               order by x.received_at desc, x.id desc limit get_integrations_overview.page_size) d), '[]'::jsonb));
end;
$$;
comment on function public.get_integrations_overview(integer) is
  'Admins: {ingest_path, org_slug, secrets[], deliveries[]} — the last page_size (default 50) deliveries newest first.';
revoke execute on function public.get_integrations_overview(integer) from public, anon;
grant execute on function public.get_integrations_overview(integer) to authenticated;

-- The ingest function's record of one delivery; keeps the newest 200 per organisation.
create or replace function public.record_webhook_delivery(
  org_id uuid, webhook_id text, status integer, outcome text, event_count integer default 0, message text default null
)
returns void
language plpgsql
set search_path = ''
as $$
begin
  insert into app.webhook_deliveries (org_id, webhook_id, status, outcome, event_count, message)
  values (record_webhook_delivery.org_id, left(record_webhook_delivery.webhook_id, 200), record_webhook_delivery.status,
          record_webhook_delivery.outcome, coalesce(record_webhook_delivery.event_count, 0), left(record_webhook_delivery.message, 500));
  delete from app.webhook_deliveries d
   where d.org_id = record_webhook_delivery.org_id
     and d.id < (select x.id from app.webhook_deliveries x where x.org_id = record_webhook_delivery.org_id
                  order by x.received_at desc, x.id desc offset 199 limit 1);
end;
$$;
comment on function public.record_webhook_delivery(uuid, text, integer, text, integer, text) is
  'Service role only (ingest): records one delivery and its result; the newest 200 per organisation are kept.';
revoke execute on function public.record_webhook_delivery(uuid, text, integer, text, integer, text) from public, anon, authenticated;
grant execute on function public.record_webhook_delivery(uuid, text, integer, text, integer, text) to service_role;
