-- The outbox is drained by a scheduled worker, not only by the request that queued a mail
-- (docs/workflow-engine.md "Email delivery"): every minute pg_cron asks the `outbox-drain`
-- Edge Function to deliver what is due, calling it the way Supabase documents for
-- scheduled Edge Functions — `net.http_post` (pg_net) with the project URL and the service
-- role key read from Vault. docs/deploy.md shows the two `vault.create_secret` calls a
-- hosted project needs; `renubu start` stores them on the local stack, whose pg_net and
-- Vault stand-ins (local/db/bootstrap.sql) offer the same interface.
--
-- Without those secrets the job does nothing (a project that has not set them up yet is not
-- an error), and it calls the function only when a message is due, so an idle project
-- makes no request.

do $$
begin
  -- Hosted Supabase ships pg_net; enabling it here is what the dashboard's switch does.
  if exists (select from pg_available_extensions where name = 'pg_net') then
    create extension if not exists pg_net;
  end if;
end
$$;

create or replace function app.request_outbox_drain()
returns bigint
language plpgsql
volatile
set search_path = ''
as $$
declare
  v_url text;
  v_key text;
begin
  if not exists (select 1 from app.email_outbox o where o.status = 'queued' and o.next_attempt_at <= now()) then
    return null;
  end if;
  select s.decrypted_secret into v_url from vault.decrypted_secrets s where s.name = 'project_url';
  select s.decrypted_secret into v_key from vault.decrypted_secrets s where s.name = 'service_role_key';
  if v_url is null or v_key is null then
    return null;
  end if;
  return net.http_post(
    url := rtrim(v_url, '/') || '/functions/v1/outbox-drain',
    body := '{}'::jsonb,
    params := '{}'::jsonb,
    headers := jsonb_build_object('Content-Type', 'application/json', 'Authorization', 'Bearer ' || v_key),
    timeout_milliseconds := 30000
  );
end;
$$;
comment on function app.request_outbox_drain() is
  'pg_cron, every minute: asks the outbox-drain Edge Function to deliver due mail (net.http_post, secrets from Vault).';
revoke execute on function app.request_outbox_drain() from public, anon, authenticated;

select cron.schedule('drain-outbox', '* * * * *', $$select app.request_outbox_drain()$$);
