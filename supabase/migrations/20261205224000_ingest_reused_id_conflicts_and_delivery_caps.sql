-- Ingest: a webhook id reused for another body is a conflict, and rejected deliveries no
-- longer push accepted ones out of the Integrations page (docs/api-contract.md "Errors";
-- docs/admin.md "Integrations").
--
-- What and why:
--   * app.ingest_claim_webhook kept only the webhook id, so a second delivery with the same
--     webhook-id (freshly signed) but other events answered 200 replayed: true and its
--     events were never applied; the sender believed they were. The house rule for
--     idempotency keys (execute_action, decide_proposal, post_chat_message) is: the same key
--     with the same request replays, with another request it is PT409 (409). The claim now
--     stores a hash of the events (app.processed_webhooks.body_hash; jsonb's text form is
--     canonical, so key order and whitespace do not count) and compares it. Rows claimed
--     before this migration have no hash and keep replaying as they did.
--   * public.record_webhook_delivery kept the newest 200 deliveries of an organisation
--     whatever they were, so anyone could post bad signatures to /functions/v1/ingest/<id>
--     and push genuine history off the page. Deliveries that did not prove they came from
--     the sender (bad signature, stale timestamp) are now kept to their own newest 50; the
--     others (applied, replayed, refused after the signature held) to their newest 200.

alter table app.processed_webhooks add column body_hash text;
comment on column app.processed_webhooks.body_hash is
  'sha256 of the delivery''s events (canonical jsonb text); null for deliveries claimed before it was kept.';

-- The hash of a delivery's events, as the claim keeps it.
create or replace function app.ingest_body_hash(events jsonb)
returns text
language plpgsql
immutable
set search_path = ''
as $$
begin
  return encode(sha256(convert_to(events::text, 'UTF8')), 'hex');
end;
$$;
comment on function app.ingest_body_hash(jsonb) is 'The hash a webhook claim keeps of its events (jsonb text is canonical).';
revoke execute on function app.ingest_body_hash(jsonb) from public, anon, authenticated;
grant execute on function app.ingest_body_hash(jsonb) to service_role;

-- Claims the webhook id with its body's hash: null when this call claimed it; the first
-- answer (replayed) when the id was used for the same events, or before hashes were kept;
-- PT409 when it was used for other events. A concurrent duplicate blocks on the key until
-- the first commits (or rolls back, and then claims it itself).
create or replace function app.ingest_claim_webhook(org_id uuid, webhook_id text, events jsonb)
returns jsonb
language plpgsql
volatile
set search_path = ''
as $$
#variable_conflict use_variable
declare
  v_hash constant text := app.ingest_body_hash(events);
  p app.processed_webhooks;
begin
  insert into app.processed_webhooks (org_id, webhook_id, event_count, body_hash)
  values (org_id, webhook_id, jsonb_array_length(events), v_hash)
  on conflict do nothing;
  if found then
    return null;
  end if;
  select * into p from app.processed_webhooks x where x.org_id = org_id and x.webhook_id = webhook_id;
  if p.body_hash is not null and p.body_hash <> v_hash then
    raise exception 'webhook-id % was already used for a different body', webhook_id using errcode = 'PT409',
      hint = 'Send each new delivery with a new webhook-id; reuse one only to retry the same body.';
  end if;
  return p.result || jsonb_build_object('replayed', true);
end;
$$;
comment on function app.ingest_claim_webhook(uuid, text, jsonb) is
  'Claims a delivery''s webhook id with its body''s hash; the same id and body returns the first answer (a replay), another body is PT409.';
revoke execute on function app.ingest_claim_webhook(uuid, text, jsonb) from public, anon, authenticated;
grant execute on function app.ingest_claim_webhook(uuid, text, jsonb) to service_role;

-- The dispatcher, restated whole; only the claim's call changed.
create or replace function public.ingest_apply_batch(org_id uuid, webhook_id text, events jsonb)
returns jsonb
language plpgsql
volatile
set search_path = ''
as $$
declare
  v_org constant uuid := ingest_apply_batch.org_id;
  v_webhook_id constant text := ingest_apply_batch.webhook_id;
  v_events constant jsonb := ingest_apply_batch.events;
  v_now constant timestamptz := now();
  v_replay jsonb;
  v_customers jsonb;
  v_customer_ids jsonb;
  v_usage integer;
  v_engagement integer;
  v_stakeholders integer;
  v_contracts integer;
  v_arr integer;
  v_result jsonb;
begin
  perform app.ingest_check_delivery(v_org, v_webhook_id, v_events);
  v_replay := app.ingest_claim_webhook(v_org, v_webhook_id, v_events);
  if v_replay is not null then
    return v_replay;
  end if;
  perform app.ingest_check_events(v_org, v_events);

  v_customers := app.ingest_apply_customer_upserted(v_org, v_events, v_now);
  v_customer_ids := app.ingest_customer_ids(v_org, v_events);
  v_usage := app.ingest_apply_usage_snapshot(v_org, v_events, v_customer_ids);
  v_engagement := app.ingest_apply_engagement_event(v_org, v_events, v_customer_ids);
  v_stakeholders := app.ingest_apply_stakeholder_upserted(v_org, v_events, v_customer_ids);
  v_contracts := app.ingest_apply_contract_upserted(v_org, v_events, v_customer_ids);
  v_arr := app.ingest_apply_arr_changed(v_org, v_events, v_customer_ids, v_now);

  v_result := jsonb_build_object(
    'webhook_id', v_webhook_id,
    'replayed', false,
    'events', jsonb_array_length(v_events),
    'applied', jsonb_build_object(
      'customers', v_customers, 'usage_snapshots', v_usage, 'engagement_events', v_engagement,
      'stakeholders', v_stakeholders, 'contracts', v_contracts, 'arr_changes', v_arr),
    'received_at', v_now);
  update app.processed_webhooks p
     set result = v_result
   where p.org_id = v_org and p.webhook_id = v_webhook_id;
  return v_result;
end;
$$;

comment on function public.ingest_apply_batch(uuid, text, jsonb) is 'Service role only: applies one verified ingest delivery in one transaction; a known webhook_id with the same events is a replay and applies nothing, with other events PT409.';
revoke execute on function public.ingest_apply_batch(uuid, text, jsonb) from public, anon, authenticated;
grant execute on function public.ingest_apply_batch(uuid, text, jsonb) to service_role;

drop function app.ingest_claim_webhook(uuid, text, integer);

-- Did this delivery prove it came from the sender? Bad signatures and stale timestamps did
-- not: anyone can post them.
create or replace function app.delivery_is_unauthenticated(outcome text)
returns boolean
language plpgsql
immutable
set search_path = ''
as $$
begin
  return outcome in ('bad_signature', 'stale_timestamp');
end;
$$;
comment on function app.delivery_is_unauthenticated(text) is 'True for deliveries anyone could have sent (bad signature, stale timestamp).';
revoke execute on function app.delivery_is_unauthenticated(text) from public, anon;
grant execute on function app.delivery_is_unauthenticated(text) to authenticated, service_role;

-- How many deliveries of each kind an organisation keeps.
create or replace function app.deliveries_kept(unauthenticated boolean)
returns integer
language plpgsql
immutable
set search_path = ''
as $$
begin
  return case when unauthenticated then 50 else 200 end;
end;
$$;
comment on function app.deliveries_kept(boolean) is 'Deliveries kept per organisation: 200 that proved their sender, 50 that did not.';
revoke execute on function app.deliveries_kept(boolean) from public, anon;
grant execute on function app.deliveries_kept(boolean) to authenticated, service_role;

-- The ingest function's record of one delivery; keeps each kind's newest (above), so noise
-- only ever evicts noise.
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
  insert into app.webhook_deliveries (org_id, webhook_id, status, outcome, event_count, message)
  values (record_webhook_delivery.org_id, left(record_webhook_delivery.webhook_id, 200), record_webhook_delivery.status,
          record_webhook_delivery.outcome, coalesce(record_webhook_delivery.event_count, 0), left(record_webhook_delivery.message, 500));
  delete from app.webhook_deliveries d
   where d.org_id = record_webhook_delivery.org_id
     and app.delivery_is_unauthenticated(d.outcome) = v_noise
     and d.id < (select x.id from app.webhook_deliveries x
                  where x.org_id = record_webhook_delivery.org_id and app.delivery_is_unauthenticated(x.outcome) = v_noise
                  order by x.received_at desc, x.id desc offset app.deliveries_kept(v_noise) - 1 limit 1);
end;
$$;
comment on function public.record_webhook_delivery(uuid, text, integer, text, integer, text) is
  'Service role only (ingest): records one delivery and its result; per organisation the newest 200 that proved their sender and the newest 50 that did not are kept.';
revoke execute on function public.record_webhook_delivery(uuid, text, integer, text, integer, text) from public, anon, authenticated;
grant execute on function public.record_webhook_delivery(uuid, text, integer, text, integer, text) to service_role;
