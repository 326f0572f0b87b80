-- rotate_webhook_secret takes an idempotency key, so a rotation whose answer was lost (the
-- connection dropped, a timeout) and that the admin sends again shows the secret it made.
--
-- What and why: Admin → Integrations → "Rotate" called rotate_webhook_secret, which had no
-- key. A rotation that committed but whose answer never reached the browser left a new active
-- secret the admin was never shown (it is shown only once), and the old one ending; Rotate
-- again answered PT409 "Only a secret in use without an end date can be rotated", so the new
-- secret could only be revoked and made again. Now, as create_webhook_secret
-- (20261206351000): the same key with the same secret and overlap answers the rotation it
-- made, the new secret in full (it is the same admin's, who was never shown it) and the
-- previous one as it is now; with another secret or overlap it is PT409.
--
-- - app.webhook_secrets.rotated_from, rotation_overlap_hours: the secret a rotation replaced
--   and the overlap it was asked for, on the secret it made (null otherwise). The key goes in
--   request_key with created_by, under the same unique index as create's keys (one key names
--   one request of an admin, whichever it is).
-- - public.rotate_webhook_secret(secret_id, overlap_hours, idempotency_key): the key is
--   checked by app.check_request_key. The secret rotated is locked first, then the key is
--   looked up, so a second call with one key at once waits for the first and answers with it.
-- Restated whole from 20261206230000_a_missing_id_is_named_as_required.sql.
-- Test: supabase/tests/webhook_secrets/a_secret_is_rotated_once_per_key.test.sql.

alter table app.webhook_secrets
  add column rotated_from uuid references app.webhook_secrets (id) on delete set null,
  add column rotation_overlap_hours integer;
create index webhook_secrets_rotated_from_idx on app.webhook_secrets (rotated_from);  -- the foreign key's
comment on column app.webhook_secrets.rotated_from is
  'The secret rotate_webhook_secret replaced with this one (null for a secret created as new).';
comment on column app.webhook_secrets.rotation_overlap_hours is
  'The overlap the rotation that made this secret was asked for: a retry under its key must ask the same.';

-- The answer of a rotation: the new secret in full, the previous one as it is now.
create function app.webhook_rotation_json(made app.webhook_secrets, previous app.webhook_secrets)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select jsonb_build_object(
    'secret', app.webhook_secret_json(made) || jsonb_build_object('secret', made.secret),
    'previous', app.webhook_secret_json(previous));
$$;
revoke execute on function app.webhook_rotation_json(app.webhook_secrets, app.webhook_secrets) from public, anon;
grant execute on function app.webhook_rotation_json(app.webhook_secrets, app.webhook_secrets) to authenticated;

drop function public.rotate_webhook_secret(uuid, integer);
create function public.rotate_webhook_secret(secret_id uuid, overlap_hours integer default 24, idempotency_key text default null)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_org uuid := app.require_integrations_admin();
  v_me uuid := (select auth.uid());
  v_old app.webhook_secrets;
  v_new app.webhook_secrets;
begin
  if rotate_webhook_secret.overlap_hours is null or rotate_webhook_secret.overlap_hours < 0 or rotate_webhook_secret.overlap_hours > 168 then
    raise exception 'overlap_hours must be between 0 and 168 (one week)' using errcode = '22023';
  end if;
  perform app.require_given(rotate_webhook_secret.secret_id is not null, 'secret_id', 'Pass the id of a webhook secret.');
  perform app.check_request_key(rotate_webhook_secret.idempotency_key, 'idempotency_key', 200);
  select * into v_old from app.webhook_secrets s
   where s.id = rotate_webhook_secret.secret_id and s.org_id = v_org
   for update;
  if v_old.id is null then
    raise exception 'Webhook secret not found' using errcode = 'PT404';
  end if;
  -- Rotated already under this key (an answer lost on its way back): that rotation, if it is
  -- the same request. Looked up after the lock, so a call with the key at once finds it.
  if rotate_webhook_secret.idempotency_key is not null then
    select * into v_new from app.webhook_secrets s
     where s.org_id = v_org and s.created_by = v_me and s.request_key = rotate_webhook_secret.idempotency_key;
    if found then
      if v_new.rotated_from is distinct from v_old.id or v_new.rotation_overlap_hours is distinct from rotate_webhook_secret.overlap_hours then
        raise exception 'this key was used for a different request' using errcode = 'PT409',
          hint = 'Send a new idempotency_key for a new rotation.';
      end if;
      return app.webhook_rotation_json(v_new, v_old);
    end if;
  end if;
  if not v_old.active or v_old.expires_at is not null then
    raise exception 'Only a secret in use without an end date can be rotated' using errcode = 'PT409',
      hint = 'Rotate the newest secret, or create a new one.';
  end if;
  update app.webhook_secrets s
     set expires_at = now() + make_interval(hours => rotate_webhook_secret.overlap_hours)
   where s.id = v_old.id
  returning * into v_old;
  insert into app.webhook_secrets (org_id, label, secret, created_by, request_key, rotated_from, rotation_overlap_hours)
  values (v_org, v_old.label, 'whsec_' || encode(extensions.gen_random_bytes(32), 'base64'), v_me,
          rotate_webhook_secret.idempotency_key, v_old.id, rotate_webhook_secret.overlap_hours)
  returning * into v_new;
  return app.webhook_rotation_json(v_new, v_old);
end;
$$;
comment on function public.rotate_webhook_secret(uuid, integer, text) is
  'Admins: a new secret in place of one in use, the old one ending after overlap_hours (the new one returned once, in full). With an idempotency_key, the same request again answers the rotation it made; another secret or overlap with that key is PT409.';
revoke execute on function public.rotate_webhook_secret(uuid, integer, text) from public, anon;
grant execute on function public.rotate_webhook_secret(uuid, integer, text) to authenticated;
