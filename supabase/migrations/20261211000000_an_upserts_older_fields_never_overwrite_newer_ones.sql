-- A customer's, stakeholder's or contract's upsert never overwrites a field with an older
-- value (docs/customer-intelligence.md "Rules worth knowing"). Before, the last delivery won:
-- a webhook retried after a timeout, arriving after a later change of the same record, put
-- the old name, ARR or CSM back. Engagement events already kept their latest version
-- (20261207704000); this does the same for upserts, field by field, because upserts are
-- partial: an older delivery may still carry a field nothing later has set.
--
-- The rule: each field of an upsert is as old as its event's `timestamp` (when the source
-- produced it), or the delivery's arrival without one, never later than the arrival (a
-- source clock ahead of ours cannot freeze a field). A field is applied when no stored and
-- no other event of the same delivery has set it at a later time; at the same time the later
-- delivery (or event) wins, as before. A customer's `metadata` and a contract's `terms` are
-- merged key by key, so each of their keys has its own time. The customer a stakeholder or
-- contract belongs to is a field too: an older `customer_external_id` is replaced by the
-- stored one, so the rest of the event still applies to the record where it is.
--
-- The times live beside the records, in app.ingested_field_times (one row per record an
-- upsert named, keyed by its external id): never returned by any API, and reset when the
-- record they timed no longer exists (a record deleted and sent again starts afresh). A
-- sender that never stamps its events gets no times and pays one probe a delivery: without a
-- source time, arrival order is all there is, and the last delivery wins as before.

create table app.ingested_field_times (
  org_id uuid not null references app.organisations (id) on delete cascade,
  record_type text not null check (record_type in ('customer.upserted', 'stakeholder.upserted', 'contract.upserted')),
  external_id text not null,
  -- {"name": "2026-12-07T09:00:00+00:00", "metadata": {"region": "…"}}: when the source set
  -- each field (and each key of a merged object) that is stored now.
  field_times jsonb not null default '{}'::jsonb,
  primary key (org_id, record_type, external_id)
);
comment on table app.ingested_field_times is
  'When the source last set each field of an ingested customer, stakeholder or contract: an older upsert of a field is not applied. Written only by ingest_apply_batch.';
alter table app.ingested_field_times enable row level security;
-- No policy: no role reads or writes it but the ingest's own functions, run by the service role.
revoke all on app.ingested_field_times from public, anon, authenticated;
grant select, insert, update, delete on app.ingested_field_times to service_role;

-- Every field an upsert event of the delivery sets, with the time it was set at: one row per
-- top-level field, and for the object merged key by key (a customer's metadata, a contract's
-- terms) one row per key of it. `external_id` names the record and is not a field. A merged
-- object that is empty or not an object changes nothing and is `merged` with no key.
create or replace function app.ingest_upsert_fields(events jsonb, applied_at timestamptz)
returns table (pos bigint, record_type text, external_id text, field text, merged_key text, merged boolean, set_at timestamptz)
language sql
stable
set search_path = ''
as $$
  select t.pos, t.ev ->> 'type', t.ev -> 'data' ->> 'external_id', kv.key, sub.key, m.merged,
         least(coalesce(app.ingest_event_time(t.ev ->> 'timestamp'), ingest_upsert_fields.applied_at),
               ingest_upsert_fields.applied_at)
    from jsonb_array_elements(ingest_upsert_fields.events) with ordinality as t(ev, pos)
    cross join lateral jsonb_each(t.ev -> 'data') as kv(key, value)
    cross join lateral (select (t.ev ->> 'type', kv.key) in (('customer.upserted', 'metadata'), ('contract.upserted', 'terms')) as merged) m
    left join lateral jsonb_each(case when m.merged and jsonb_typeof(kv.value) = 'object' then kv.value else '{}'::jsonb end)
           as sub(key, value) on true
   where t.ev ->> 'type' in ('customer.upserted', 'stakeholder.upserted', 'contract.upserted')
     and jsonb_typeof(t.ev -> 'data') = 'object'
     and kv.key <> 'external_id'
$$;
revoke execute on function app.ingest_upsert_fields(jsonb, timestamptz) from public, anon, authenticated;
grant execute on function app.ingest_upsert_fields(jsonb, timestamptz) to service_role;

-- The stored times of the given records, one row per field (and per key of a merged object).
create or replace function app.ingest_stored_field_times(org uuid, records jsonb)
returns table (record_type text, external_id text, field text, merged_key text, set_at timestamptz)
language sql
stable
set search_path = ''
as $$
  select x.record_type, x.external_id, e.key, s.key, (coalesce(s.value, e.value) #>> '{}')::timestamptz
    from app.ingested_field_times x
    cross join lateral jsonb_each(x.field_times) as e(key, value)
    left join lateral jsonb_each(case when jsonb_typeof(e.value) = 'object' then e.value else '{}'::jsonb end)
           as s(key, value) on true
   where x.org_id = ingest_stored_field_times.org
     and (x.record_type, x.external_id) in (select r ->> 0, r ->> 1 from jsonb_array_elements(ingest_stored_field_times.records) r)
     and (jsonb_typeof(e.value) <> 'object' or s.key is not null)
$$;
revoke execute on function app.ingest_stored_field_times(uuid, jsonb) from public, anon, authenticated;
grant execute on function app.ingest_stored_field_times(uuid, jsonb) to service_role;

-- The delivery's upserts with every field dropped that is older than the same field stored
-- or sent in the same delivery (an older customer_external_id replaced by the stored one);
-- the latest time of each field is stored in the same statement (the delivery is one
-- transaction: a refusal later rolls it back). Takes each named record's times row first,
-- sorted, so two deliveries of one record judge one after the other, and resets the times of
-- a record that no longer exists. A delivery with no `timestamp` on its upserts, none of
-- whose records has times stored, is applied as it comes, at the cost of one probe: without
-- a source time, arrival order is all there is to go by.
create or replace function app.ingest_fresh_upserts(org uuid, events jsonb, applied_at timestamptz)
returns jsonb
language plpgsql
volatile
set search_path = ''
as $$
declare
  v_records jsonb;
  v_stamped boolean;
  v_stale jsonb;
begin
  select coalesce(jsonb_agg(distinct jsonb_build_array(t.ev ->> 'type', t.ev -> 'data' ->> 'external_id')), '[]'::jsonb),
         coalesce(bool_or(t.ev ? 'timestamp'), false)
    into v_records, v_stamped
    from jsonb_array_elements(events) as t(ev)
   where t.ev ->> 'type' in ('customer.upserted', 'stakeholder.upserted', 'contract.upserted');
  if v_records = '[]'::jsonb
     or (not v_stamped and not exists (
           select 1 from app.ingested_field_times x
            where x.org_id = org
              and (x.record_type, x.external_id) in (select r ->> 0, r ->> 1 from jsonb_array_elements(v_records) r))) then
    return events;
  end if;

  insert into app.ingested_field_times (org_id, record_type, external_id)
  select org, r ->> 0, r ->> 1 from jsonb_array_elements(v_records) r
   order by r ->> 0, r ->> 1
  on conflict do nothing;
  perform 1 from app.ingested_field_times x
   where x.org_id = org
     and (x.record_type, x.external_id) in (select r ->> 0, r ->> 1 from jsonb_array_elements(v_records) r)
   order by x.record_type, x.external_id
     for update;
  update app.ingested_field_times x
     set field_times = '{}'::jsonb
   where x.org_id = org
     and (x.record_type, x.external_id) in (select r ->> 0, r ->> 1 from jsonb_array_elements(v_records) r)
     and x.field_times <> '{}'::jsonb
     and not exists (select 1 from app.customers c
                      where x.record_type = 'customer.upserted' and c.org_id = org and c.external_id = x.external_id)
     and not exists (select 1 from app.stakeholders s
                      where x.record_type = 'stakeholder.upserted' and s.org_id = org and s.external_id = x.external_id)
     and not exists (select 1 from app.contracts k
                      where x.record_type = 'contract.upserted' and k.org_id = org and k.external_id = x.external_id);

  with fields as materialized (
    select * from app.ingest_upsert_fields(events, applied_at) f where not f.merged or f.merged_key is not null
  ), latest as materialized (
    select l.record_type, l.external_id, l.field, l.merged_key, max(l.set_at) as set_at
      from (select f.record_type, f.external_id, f.field, f.merged_key, f.set_at from fields f
            union all
            select s.record_type, s.external_id, s.field, s.merged_key, s.set_at
              from app.ingest_stored_field_times(org, v_records) s) l
     group by 1, 2, 3, 4
  ), stored as (
    -- what is stored now is the latest of every field, field by field
    update app.ingested_field_times x
       set field_times = r.times
      from (select p.record_type, p.external_id, jsonb_object_agg(p.field, p.times) as times
              from (select l.record_type, l.external_id, l.field,
                           case when bool_or(l.merged_key is not null) then jsonb_object_agg(coalesce(l.merged_key, ''), l.set_at)
                                else to_jsonb(max(l.set_at)) end as times
                      from latest l group by 1, 2, 3) p
             group by 1, 2) r
     where x.org_id = org
       and (x.record_type, x.external_id) = (r.record_type, r.external_id)
       and x.field_times is distinct from r.times
  ), stale as (
    -- {"<pos>": {"<field>": true | {"<merged key>": true}}}: what each event sets too late
    select f.pos, f.field, f.merged_key
      from fields f
      join latest l on (l.record_type, l.external_id, l.field) = (f.record_type, f.external_id, f.field)
                   and l.merged_key is not distinct from f.merged_key
     where l.set_at > f.set_at
  )
  select jsonb_object_agg(p.pos::text, p.fields) into v_stale
    from (select s.pos, jsonb_object_agg(s.field, s.keys) as fields
            from (select st.pos, st.field,
                         case when bool_or(st.merged_key is null) then 'true'::jsonb
                              else jsonb_object_agg(coalesce(st.merged_key, ''), true) end as keys
                    from stale st group by st.pos, st.field) s
           group by s.pos) p;
  if v_stale is null then
    return events;
  end if;
  return (
    select jsonb_agg(case when v_stale ? t.pos::text
                          then app.ingest_event_without_stale(org, t.ev, v_stale -> t.pos::text)
                          else t.ev end
                     order by t.pos)
      from jsonb_array_elements(events) with ordinality as t(ev, pos));
end;
$$;
revoke execute on function app.ingest_fresh_upserts(uuid, jsonb, timestamptz) from public, anon, authenticated;
grant execute on function app.ingest_fresh_upserts(uuid, jsonb, timestamptz) to service_role;

-- The external id of the customer a stored stakeholder or contract belongs to.
create or replace function app.ingested_record_customer(org uuid, record_type text, external_id text)
returns text
language sql
stable
set search_path = ''
as $$
  select c.external_id
    from app.customers c
   where c.org_id = ingested_record_customer.org
     and c.id = case ingested_record_customer.record_type
                  when 'stakeholder.upserted' then (select s.customer_id from app.stakeholders s
                                                     where s.org_id = ingested_record_customer.org and s.external_id = ingested_record_customer.external_id)
                  when 'contract.upserted' then (select k.customer_id from app.contracts k
                                                  where k.org_id = ingested_record_customer.org and k.external_id = ingested_record_customer.external_id)
                end
$$;
revoke execute on function app.ingested_record_customer(uuid, text, text) from public, anon, authenticated;
grant execute on function app.ingested_record_customer(uuid, text, text) to service_role;

-- One upsert event without its stale fields (`stale`: field -> true, or, for a merged
-- object, -> the keys to drop). A stale customer_external_id becomes the stored record's own
-- customer, which the rest of the event still names.
create or replace function app.ingest_event_without_stale(org uuid, event jsonb, stale jsonb)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select jsonb_set(ingest_event_without_stale.event, '{data}', (
    select coalesce(jsonb_object_agg(kv.key,
             case when kv.key = 'customer_external_id' and ingest_event_without_stale.stale ? kv.key
                  then to_jsonb(app.ingested_record_customer(ingest_event_without_stale.org, ingest_event_without_stale.event ->> 'type',
                                                             ingest_event_without_stale.event -> 'data' ->> 'external_id'))
                  when jsonb_typeof(ingest_event_without_stale.stale -> kv.key) = 'object'
                  then kv.value - array(select jsonb_object_keys(ingest_event_without_stale.stale -> kv.key))
                  else kv.value end), '{}'::jsonb)
      from jsonb_each(ingest_event_without_stale.event -> 'data') as kv(key, value)
     where case when ingest_event_without_stale.stale -> kv.key = 'true'::jsonb then kv.key = 'customer_external_id'
                -- a merged object all of whose keys are older is dropped whole
                when jsonb_typeof(ingest_event_without_stale.stale -> kv.key) = 'object'
                then kv.value - array(select jsonb_object_keys(ingest_event_without_stale.stale -> kv.key)) <> '{}'::jsonb
                else true end))
$$;
revoke execute on function app.ingest_event_without_stale(uuid, jsonb, jsonb) from public, anon, authenticated;
grant execute on function app.ingest_event_without_stale(uuid, jsonb, jsonb) to service_role;

-- Restated from 20261206244200: the upserts' stale fields are dropped before anything is
-- applied (and the fields' latest times stored).
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
  -- and without the fields of an upsert that something later has set already.
  v_applied := app.ingest_fresh_upserts(v_org, v_applied, v_now);

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
