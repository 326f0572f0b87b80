-- Ingest: a bad signature to an organisation that does not exist is answered in the time one
-- to an organisation that exists takes (docs/admin.md "Integrations").
--
-- What and why: the ingest function recorded a delivery (this RPC, one more round trip to the
-- database) only when the path named an organisation that exists, before it answered. So a
-- bad signature to /functions/v1/ingest/<slug> came back measurably later for a real slug
-- than for a made-up one, and anyone could list the organisations by timing 401s. It now
-- records every delivery whose organisation it looked up, with org_id null when there was
-- none; such a delivery is kept nowhere (there is no one to show it to), but runs the same
-- statements, so the call takes the time a record takes.
-- Nor does the record wait for the write-ahead log to reach the disk: with synchronous_commit
-- on (hosted Supabase, `npm start`), the call that inserts a row would commit only once its
-- WAL is flushed, a disk write the call that keeps nothing never waits for. The record turns
-- synchronous_commit off for its own transaction (set_config(..., true): a SET clause on the
-- function would be undone before the commit reads it). A record is a log line for the
-- Integrations page: a crash in the few hundred milliseconds before the WAL writer flushes it
-- may lose it, and nothing else (the events were applied, durably, by their own call).
--
-- public.record_webhook_delivery restated whole from 20261205224000; a null org_id and the
-- set_config are new.
create or replace function public.record_webhook_delivery(
  org_id uuid, webhook_id text, status integer, outcome text, event_count integer default 0, message text default null
)
returns void
language plpgsql
set search_path = ''
as $$
declare
  v_noise constant boolean := app.delivery_is_unauthenticated(record_webhook_delivery.outcome);
begin
  perform pg_catalog.set_config('synchronous_commit', 'off', true);
  -- No organisation (org_id null): the insert selects no row and the trim matches none.
  insert into app.webhook_deliveries (org_id, webhook_id, status, outcome, event_count, message)
  select record_webhook_delivery.org_id, left(record_webhook_delivery.webhook_id, 200), record_webhook_delivery.status,
         record_webhook_delivery.outcome, coalesce(record_webhook_delivery.event_count, 0), left(record_webhook_delivery.message, 500)
   where record_webhook_delivery.org_id is not null;
  delete from app.webhook_deliveries d
   where d.org_id = record_webhook_delivery.org_id
     and app.delivery_is_unauthenticated(d.outcome) = v_noise
     and d.id < (select x.id from app.webhook_deliveries x
                  where x.org_id = record_webhook_delivery.org_id and app.delivery_is_unauthenticated(x.outcome) = v_noise
                  order by x.received_at desc, x.id desc offset app.deliveries_kept(v_noise) - 1 limit 1);
end;
$$;
comment on function public.record_webhook_delivery(uuid, text, integer, text, integer, text) is
  'Service role only (ingest): records one delivery and its result, without waiting for a WAL flush; per organisation the newest 200 that proved their sender and the newest 50 that did not are kept. A delivery to no organisation (org_id null) is kept nowhere, in the same statements.';
revoke execute on function public.record_webhook_delivery(uuid, text, integer, text, integer, text) from public, anon, authenticated;
grant execute on function public.record_webhook_delivery(uuid, text, integer, text, integer, text) to service_role;
