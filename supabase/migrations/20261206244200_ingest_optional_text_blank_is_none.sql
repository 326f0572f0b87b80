-- An ingest event's optional text that is blank is applied as none (null), and any optional
-- text without the whitespace around it (docs/customer-intelligence.md "Ingest",
-- docs/business-rules.md "Required text").
--
-- What and why: the RPCs people call store a blank optional text as null (app.trimmed,
-- 20261206240000); the ingest applied what the sender sent. A `customer.upserted` with
-- `"industry": " "` or `"domain": "\u200b"`, an `engagement.event` whose description is a
-- line break, a stakeholder's notes of a tab, a contract number or an ARR change's reason of
-- spaces were stored as that blank text: the customer list offered a blank industry to
-- filter by, the timeline showed an empty description, and the history search indexed
-- nothing under a title. Now the events the batch applies have these fields through
-- app.trimmed: a blank one is null, which clears the stored value as null always did ("a key
-- set to null clears it"), and text keeps no whitespace around it. The events as sent stay
-- what a replayed webhook-id is compared with, so a retry of the same body is still the same
-- delivery. Required names are refused when blank (20261206242000), before this.
--
-- The fields: customer domain and industry; engagement title and description; stakeholder
-- title, role and notes; contract number; ARR change reason (functions-shared/api/ingest.ts,
-- `optionalText`). public.ingest_apply_batch restated whole from 20261205224000; the
-- trimmed events are the only change.
-- supabase/tests/ingest/blank_optional_texts_are_none.test.sql.

-- The optional text fields of an event type.
create or replace function app.ingest_optional_text_fields(event_type text)
returns text[]
language plpgsql
immutable
set search_path = ''
as $$
begin
  return case ingest_optional_text_fields.event_type
    when 'customer.upserted' then array['domain', 'industry']
    when 'engagement.event' then array['title', 'description']
    when 'stakeholder.upserted' then array['title', 'role', 'notes']
    when 'contract.upserted' then array['contract_number']
    when 'arr.changed' then array['reason']
    else array[]::text[]
  end;
end;
$$;
comment on function app.ingest_optional_text_fields(text) is
  'The optional free-text fields of an ingest event type (functions-shared/api/ingest.ts optionalText).';
revoke execute on function app.ingest_optional_text_fields(text) from public, anon, authenticated;
grant execute on function app.ingest_optional_text_fields(text) to service_role;

-- The events with each optional text field that is a string through app.trimmed (null when
-- blank); every other field, and every event without such a field, as sent.
create or replace function app.ingest_optional_texts_trimmed(events jsonb)
returns jsonb
language plpgsql
immutable
set search_path = ''
as $$
begin
  return (
    select coalesce(jsonb_agg(
             case when jsonb_typeof(t.ev -> 'data') = 'object'
                       and t.ev -> 'data' ?| app.ingest_optional_text_fields(t.ev ->> 'type')
                  then jsonb_set(t.ev, '{data}', (t.ev -> 'data') || coalesce((
                         select jsonb_object_agg(f.field, to_jsonb(app.trimmed(t.ev -> 'data' ->> f.field)))
                           from unnest(app.ingest_optional_text_fields(t.ev ->> 'type')) as f(field)
                          where jsonb_typeof(t.ev -> 'data' -> f.field) = 'string'), '{}'::jsonb))
                  else t.ev end
             order by t.pos), '[]'::jsonb)
      from jsonb_array_elements(ingest_optional_texts_trimmed.events) with ordinality as t(ev, pos));
end;
$$;
comment on function app.ingest_optional_texts_trimmed(jsonb) is
  'An ingest batch''s events with their optional texts trimmed and blank ones as null (app.trimmed): what ingest_apply_batch applies.';
revoke execute on function app.ingest_optional_texts_trimmed(jsonb) from public, anon, authenticated;
grant execute on function app.ingest_optional_texts_trimmed(jsonb) to service_role;

create or replace function public.ingest_apply_batch(org_id uuid, webhook_id text, events jsonb)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_org constant uuid := ingest_apply_batch.org_id;
  v_webhook_id constant text := ingest_apply_batch.webhook_id;
  v_events constant jsonb := ingest_apply_batch.events;
  v_applied jsonb;
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
  -- What is applied: the events with their optional texts trimmed, blank ones as null (the
  -- delivery's own events, as sent, stay what a replay is compared with).
  v_applied := app.ingest_optional_texts_trimmed(v_events);
  perform app.ingest_check_events(v_org, v_applied);

  v_customers := app.ingest_apply_customer_upserted(v_org, v_applied, v_now);
  v_customer_ids := app.ingest_customer_ids(v_org, v_applied);
  v_usage := app.ingest_apply_usage_snapshot(v_org, v_applied, v_customer_ids);
  v_engagement := app.ingest_apply_engagement_event(v_org, v_applied, v_customer_ids);
  v_stakeholders := app.ingest_apply_stakeholder_upserted(v_org, v_applied, v_customer_ids);
  v_contracts := app.ingest_apply_contract_upserted(v_org, v_applied, v_customer_ids);
  v_arr := app.ingest_apply_arr_changed(v_org, v_applied, v_customer_ids, v_now);

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

