-- create_webhook_secret takes an idempotency key, so a secret whose answer was lost (the
-- connection dropped, a timeout) and that the admin creates again is one secret.
--
-- What and why: Admin → Integrations → "Create secret" called create_webhook_secret, which
-- had no key. A request that committed but whose answer never reached the browser left an
-- active secret the admin never saw; "Create secret" again made a second one, and the first
-- stayed in the list, accepted by ingest, until someone revoked it. Now, as create_task and
-- log_engagement (docs/api-contract.md, idempotency): the same key with the same label
-- answers the secret it made, as it is now and in full (it is the same admin's, who was
-- never shown it); with another label it is PT409.
--
-- - app.webhook_secrets.created_by: the admin who created it (null for older and rotated
--   secrets); request_key: the key it was created with, unique per organisation, admin and key.
-- - public.create_webhook_secret(label, idempotency_key): the key is checked by
--   app.check_request_key (1 to 200 characters, never blank). Two calls with one key at once:
--   the second waits for the first's row and answers with it.
-- Restated whole from 20261206281000_organisation_names_and_secret_labels_are_trimmed.sql;
-- the key is the only change. Test: supabase/tests/ingest/webhook_secret_is_made_once_per_key.test.sql.

alter table app.webhook_secrets
  add column created_by uuid references app.profiles (id) on delete set null,
  add column request_key text;
create unique index webhook_secrets_request_key_idx on app.webhook_secrets (org_id, created_by, request_key)
  where request_key is not null;
create index webhook_secrets_created_by_idx on app.webhook_secrets (created_by);  -- the foreign key's
comment on column app.webhook_secrets.request_key is
  'The idempotency key create_webhook_secret made this secret with (unique per organisation and admin); null otherwise.';

drop function public.create_webhook_secret(text);
create function public.create_webhook_secret(label text default 'default', idempotency_key text default null)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_org uuid := (select app.current_org_id());
  v_me uuid := (select auth.uid());
  v_row app.webhook_secrets;
  v_label constant text := app.trimmed(create_webhook_secret.label);
begin
  if not (select app.has_role('admin')) then
    raise exception 'Only admins manage webhook secrets' using errcode = '42501',
      hint = 'Ask an admin of your organisation.';
  end if;
  perform app.check_request_key(create_webhook_secret.idempotency_key, 'idempotency_key', 200);
  if v_label is null or length(v_label) > 100 then
    raise exception 'label must be between 1 and 100 characters' using errcode = '22023';
  end if;
  for v_attempt in 1..2 loop
    -- Made already under this key (an answer lost on its way back): that secret, if it is the
    -- same request.
    if create_webhook_secret.idempotency_key is not null then
      select * into v_row from app.webhook_secrets s
       where s.org_id = v_org and s.created_by = v_me and s.request_key = create_webhook_secret.idempotency_key;
      if found then
        if v_row.label is distinct from v_label then
          raise exception 'this key was used for a different request' using errcode = 'PT409',
            hint = 'Send a new idempotency_key for a new secret.';
        end if;
        exit;
      end if;
    end if;
    begin
      insert into app.webhook_secrets (org_id, label, secret, created_by, request_key)
      values (v_org, v_label, 'whsec_' || encode(extensions.gen_random_bytes(32), 'base64'), v_me, create_webhook_secret.idempotency_key)
      returning * into v_row;
      exit;
    exception when unique_violation then
      -- Another call with this key made its secret first: answer with that one.
      if create_webhook_secret.idempotency_key is null or v_attempt = 2 then
        raise;
      end if;
    end;
  end loop;
  return jsonb_build_object(
    'id', v_row.id, 'label', v_row.label, 'secret', v_row.secret, 'active', v_row.active,
    'expires_at', v_row.expires_at, 'created_at', v_row.created_at
  );
end;
$$;
comment on function public.create_webhook_secret(text, text) is
  'Admins: a new webhook signing secret for the organisation (returned once, in full). With an idempotency_key, the same request again answers the secret it made; another label with that key is PT409.';
revoke execute on function public.create_webhook_secret(text, text) from public, anon;
grant execute on function public.create_webhook_secret(text, text) to authenticated;
