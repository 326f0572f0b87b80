-- Ingest and webhooks: signing secrets, processed webhook ids, webhook deliveries and the
-- batch ingest that writes customers, usage and engagement.
--
-- Part of the release baseline (docs/schema.md): one file per area, in dependency order.
-- From now on migrations are append-only: a change is a new timestamped file.

-- Webhook signing secrets and processed webhook ids (docs/customer-intelligence.md "The
-- webhook").
--
-- Why: ingest webhooks are signed per organisation (several active secrets during a
-- rotation) and a repeated `webhook-id` is recognised by a primary key, so a replay is
-- acknowledged and not applied twice.

create table app.webhook_secrets (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references app.organisations (id) on delete cascade,
  label text not null default 'default',
  secret text not null,
  active boolean not null default true,
  expires_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint webhook_secrets_secret_is_standard_webhooks_format check (secret ~ '^whsec_[A-Za-z0-9+/=]{16,}$'),
  constraint webhook_secrets_secret_is_unique unique (secret)
);
comment on table app.webhook_secrets is 'Standard Webhooks signing secrets per organisation; several may be active during a rotation.';
alter table app.webhook_secrets enable row level security;
grant select, insert, update, delete on app.webhook_secrets to authenticated;

create index webhook_secrets_org_id_idx on app.webhook_secrets (org_id, active);

create table app.processed_webhooks (
  org_id uuid not null references app.organisations (id) on delete cascade,
  webhook_id text not null,
  received_at timestamptz not null default now(),
  event_count integer not null default 0,
  result jsonb not null default '{}'::jsonb,
  constraint processed_webhooks_webhook_id_is_not_blank check (btrim(webhook_id) <> ''),
  constraint processed_webhooks_event_count_is_not_negative check (event_count >= 0),
  constraint processed_webhooks_pkey primary key (org_id, webhook_id)
);
comment on table app.processed_webhooks is 'Webhook ids already applied, so a replayed delivery is acknowledged and not applied twice.';
alter table app.processed_webhooks enable row level security;
grant select on app.processed_webhooks to authenticated;

create index processed_webhooks_received_at_idx on app.processed_webhooks (received_at);

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
comment on table app.webhook_deliveries is 'The newest ingest deliveries per organisation with their HTTP status and outcome.';
alter table app.webhook_deliveries enable row level security;
grant select on app.webhook_deliveries to authenticated;
grant select, insert, delete on app.webhook_deliveries to service_role;

create index webhook_deliveries_org_id_received_at_idx on app.webhook_deliveries (org_id, received_at desc, id desc);

-- Ingest: what the signed `ingest` Edge Function calls with the service role, and the
-- admin RPCs that manage an organisation's webhook secrets (docs/customer-intelligence.md "Webhook secrets and rotation").
--
-- Why: an external system (CRM, product analytics, support desk, billing) posts a batch
-- of events; the function verifies the Standard Webhooks signature with one of the
-- organisation's secrets (`ingest_webhook_secrets`) and hands the parsed events to
-- `ingest_apply_batch`, which applies all of them in one transaction or none, set-based
-- (one statement per kind of row, not one per event), and records the webhook-id first:
-- the primary key of app.processed_webhooks makes a redelivery (or a concurrent duplicate,
-- which waits on that key) an acknowledged no-op.
--
-- Both service functions are security invoker and granted to service_role only: the
-- service role bypasses RLS, no user can call them, and no definer rights are needed.
-- The tables (app.webhook_secrets, app.processed_webhooks) and their admin policies are in
-- the data-model migrations.

-- The organisation a webhook URL names (`/functions/v1/ingest/<slug or id>`) and its
-- active secrets, newest first. Null when no such organisation exists.
create or replace function public.ingest_webhook_secrets(org text)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select jsonb_build_object(
           'org_id', o.id,
           'secrets', coalesce((
             select jsonb_agg(s.secret order by s.created_at desc)
               from app.webhook_secrets s
              where s.org_id = o.id
                and s.active
                and (s.expires_at is null or s.expires_at > now())
           ), '[]'::jsonb)
         )
    from app.organisations o
   where o.slug = lower(ingest_webhook_secrets.org)
      or o.id = case
                  when ingest_webhook_secrets.org ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
                  then ingest_webhook_secrets.org::uuid
                end
$$;
comment on function public.ingest_webhook_secrets(text) is 'Service role only: the organisation named by an ingest URL and its active webhook secrets.';
revoke execute on function public.ingest_webhook_secrets(text) from public, anon, authenticated;
grant execute on function public.ingest_webhook_secrets(text) to service_role;

-- Applies one verified delivery. `events` is the array the function validated:
-- [{type, timestamp?, data}, ...] (functions-shared/ingest/events.ts). Kinds are applied
-- in a fixed order (customers first, so later events may name a customer created in the
-- same batch). Within a batch, upserts of the same external id are merged key by key,
-- the later event winning. Any refused event (unknown customer or person, a new customer
-- without a name, ...) raises 22023 naming the event's position, and nothing is written.
-- The upserts of one event type in a batch, merged key by key per external_id, the later
-- event winning each key (customer/stakeholder/contract.upserted are partial updates).
create or replace function app.ingest_merged_upserts(events jsonb, event_type text)
returns table (external_id text, data jsonb)
language sql
immutable
rows 100
set search_path = ''
as $$
  select d.external_id, jsonb_object_agg(d.key, d.value) as data
    from (
      select distinct on (t.ev -> 'data' ->> 'external_id', kv.key)
             t.ev -> 'data' ->> 'external_id' as external_id, kv.key, kv.value
        from jsonb_array_elements(ingest_merged_upserts.events) with ordinality as t(ev, pos)
        cross join lateral jsonb_each(t.ev -> 'data') as kv(key, value)
       where t.ev ->> 'type' = ingest_merged_upserts.event_type
       order by t.ev -> 'data' ->> 'external_id', kv.key, t.pos desc
    ) d
   group by d.external_id
$$;
revoke execute on function app.ingest_merged_upserts(jsonb, text) from public, anon, authenticated;
grant execute on function app.ingest_merged_upserts(jsonb, text) to service_role;

-- The external_ids of one event type in a batch none of whose upserts carries required_key,
-- with the position of the first such event; the caller keeps those not stored yet.
create or replace function app.ingest_upserts_without(events jsonb, event_type text, required_key text)
returns table (pos bigint, external_id text)
language sql
immutable
rows 10
set search_path = ''
as $$
  select i.pos, i.external_id
    from (
      select min(t.pos) as pos, t.ev -> 'data' ->> 'external_id' as external_id,
             bool_or(t.ev -> 'data' ? ingest_upserts_without.required_key) as carried
        from jsonb_array_elements(ingest_upserts_without.events) with ordinality as t(ev, pos)
       where t.ev ->> 'type' = ingest_upserts_without.event_type
       group by 2
    ) i
   where not i.carried
$$;
revoke execute on function app.ingest_upserts_without(jsonb, text, text) from public, anon, authenticated;
grant execute on function app.ingest_upserts_without(jsonb, text, text) to service_role;

-- ingest_apply_batch as a dispatcher over one applier per event kind (issue 17, "Short
-- functions").
--
-- What: the 460-line body becomes: check the delivery, claim its webhook id (a replay is
-- answered with what was applied then), check the events, then call
-- app.ingest_apply_<kind> for each kind in a fixed order (customers first, so the other
-- kinds may name a customer created in the same batch), and record the answer.
-- Partial upserts (customer, stakeholder, contract) merge with jsonb_populate_record: the
-- stored row is the base and the event's fields (only those its kind defines: a whitelist
-- of keys) replace what they name, where each column was merged by hand before.
-- The kinds that are plain facts (usage, engagement, ARR) read their fields with
-- jsonb_to_record, whose column list is the event's schema.
-- Why: one function per kind, each on one screen, and a new field is one word in a list.
-- Behaviour is unchanged: the same checks in the same order with the same errors (22023
-- naming the event's position, PT404), the same idempotency (the webhook id is claimed
-- before anything is written; a replay writes nothing), the same answer, and all or
-- nothing (every applier runs in the caller's transaction and raises to refuse).
-- The appliers are security invoker like the dispatcher and, like it, granted to the
-- service role only.

-- Guard: the arguments of a delivery and its organisation.
create or replace function app.ingest_check_delivery(org_id uuid, webhook_id text, events jsonb)
returns void
language plpgsql
stable
set search_path = ''
as $$
#variable_conflict use_variable
begin
  if org_id is null then
    raise exception 'org_id is required' using errcode = '22023', hint = 'Pass the organisation the webhook was signed for.';
  end if;
  if webhook_id is null or btrim(webhook_id) = '' or length(webhook_id) > 255 then
    raise exception 'webhook_id must be between 1 and 255 characters' using errcode = '22023',
      hint = 'Pass the webhook-id header of the delivery.';
  end if;
  if events is null or jsonb_typeof(events) <> 'array' or jsonb_array_length(events) = 0 then
    raise exception 'events must be a non-empty array' using errcode = '22023';
  end if;
  if jsonb_array_length(events) > 1000 then
    raise exception 'events holds % events; at most 1000 are allowed per delivery', jsonb_array_length(events)
      using errcode = '22023', hint = 'Split the delivery into batches of 1000 events or fewer.';
  end if;
  perform 1 from app.organisations o where o.id = org_id;
  if not found then
    raise exception 'Organisation not found' using errcode = 'PT404';
  end if;
end;
$$;
comment on function app.ingest_check_delivery(uuid, text, jsonb) is 'Refuses a delivery with bad arguments (22023) or an unknown organisation (PT404).';
revoke execute on function app.ingest_check_delivery(uuid, text, jsonb) from public, anon, authenticated;
grant execute on function app.ingest_check_delivery(uuid, text, jsonb) to service_role;

-- Claims the webhook id, first, so a delivery is applied once: null when this call claimed
-- it, else the answer of the delivery that did (marked replayed). A concurrent duplicate
-- blocks on the key until the first commits (or rolls back, and then claims it itself).
create or replace function app.ingest_claim_webhook(org_id uuid, webhook_id text, event_count integer)
returns jsonb
language plpgsql
volatile
set search_path = ''
as $$
#variable_conflict use_variable
begin
  insert into app.processed_webhooks as p (org_id, webhook_id, event_count)
  values (org_id, webhook_id, event_count)
  on conflict do nothing;
  if found then
    return null;
  end if;
  return (select p.result || jsonb_build_object('replayed', true)
            from app.processed_webhooks p
           where p.org_id = org_id and p.webhook_id = webhook_id);
end;
$$;
comment on function app.ingest_claim_webhook(uuid, text, integer) is 'Claims a delivery''s webhook id; a known one returns the answer it had (a replay).';
revoke execute on function app.ingest_claim_webhook(uuid, text, integer) from public, anon, authenticated;
grant execute on function app.ingest_claim_webhook(uuid, text, integer) to service_role;

-- Guard: every event is of a known kind and carries an object, and the people a
-- customer.upserted names by email are people of this organisation.
create or replace function app.ingest_check_events(org_id uuid, events jsonb)
returns void
language plpgsql
stable
set search_path = ''
as $$
#variable_conflict use_variable
declare
  v_bad record;
begin
  select t.pos, t.ev ->> 'type' as type into v_bad
    from jsonb_array_elements(events) with ordinality as t(ev, pos)
   where jsonb_typeof(t.ev -> 'data') is distinct from 'object'
      or (t.ev ->> 'type') is null
      or (t.ev ->> 'type') not in ('customer.upserted', 'usage.snapshot', 'engagement.event',
                                   'stakeholder.upserted', 'contract.upserted', 'arr.changed')
   order by t.pos
   limit 1;
  if found then
    raise exception 'event %: unknown type "%" or no data object', v_bad.pos - 1, coalesce(v_bad.type, '')
      using errcode = '22023', hint = 'Send customer.upserted, usage.snapshot, engagement.event, stakeholder.upserted, contract.upserted or arr.changed.';
  end if;

  select e.pos, e.field, e.email into v_bad
    from (select t.pos, f.field, t.ev -> 'data' ->> f.field as email
            from jsonb_array_elements(events) with ordinality as t(ev, pos)
            cross join unnest(array['csm_email', 'account_executive_email', 'support_engineer_email']) as f(field)
           where t.ev ->> 'type' = 'customer.upserted'
             and jsonb_typeof(t.ev -> 'data' -> f.field) = 'string') e
   where not exists (select 1 from app.profiles p where p.org_id = org_id and lower(p.email) = lower(e.email))
   order by e.pos
   limit 1;
  if found then
    raise exception 'event %: % "%" is not a person of this organisation', v_bad.pos - 1, v_bad.field, v_bad.email
      using errcode = '22023', hint = 'Add the person to Renubu first, or leave the field out.';
  end if;
end;
$$;
comment on function app.ingest_check_events(uuid, jsonb) is 'Refuses (22023, naming the event) an event of an unknown kind or naming a person of another organisation.';
revoke execute on function app.ingest_check_events(uuid, jsonb) from public, anon, authenticated;
grant execute on function app.ingest_check_events(uuid, jsonb) to service_role;

-- Guard for the partial upserts: a record that does not exist yet (its external id is not in
-- `existing`, the caller's lookup) must be created with its required field. Raises 22023
-- naming the first event of the first such record. (An upsert without an external id counts
-- as new for stakeholders and contracts and as known for customers, as it always has.)
create or replace function app.ingest_check_new_records(events jsonb, event_type text, required_key text, existing text[])
returns void
language plpgsql
stable
set search_path = ''
as $$
#variable_conflict use_variable
declare
  v_bad record;
  v_noun constant text := split_part(event_type, '.', 1);
begin
  select i.pos, i.external_id into v_bad
    from app.ingest_upserts_without(events, event_type, required_key) i
   where not coalesce(i.external_id = any(coalesce(existing, '{}')), event_type = 'customer.upserted')
   order by i.pos
   limit 1;
  if found then
    raise exception 'event %: % "%" does not exist yet and has no %', v_bad.pos - 1, v_noun, v_bad.external_id, required_key
      using errcode = '22023',
            hint = format('The first %s of a %s must carry %s.', event_type, v_noun,
                          case required_key when 'name' then case v_noun when 'customer' then 'its name' else 'their name' end
                               else 'its ' || required_key end);
  end if;
end;
$$;
comment on function app.ingest_check_new_records(jsonb, text, text, text[]) is 'Refuses (22023) a partial upsert that would create a record without its required field.';
revoke execute on function app.ingest_check_new_records(jsonb, text, text, text[]) from public, anon, authenticated;
grant execute on function app.ingest_check_new_records(jsonb, text, text, text[]) to service_role;

-- customer.upserted, by external id: a partial update (an absent key keeps the stored value,
-- null clears it, metadata is merged key by key; several upserts of one customer in the
-- batch merge first, the later event winning). People are named by email. A customer whose
-- row would not change is not rewritten (no trigger work, updated_at stays honest), and an
-- upsert that changes ARR is ARR history too (financials read history).
-- Returns {inserted, updated}.
create or replace function app.ingest_apply_customer_upserted(org uuid, events jsonb, applied_at timestamptz)
returns jsonb
language plpgsql
volatile
set search_path = ''
as $$
declare
  v_existing text[];
  v_inserted integer;
  v_updated integer;
begin
  -- Lock every customer the batch names first, in a stable order, and note which of the
  -- upserted ones exist: the other kinds write customers too (a contract moves its decision
  -- date, an ARR change its ARR) in later statements, and a lock taken there, after this
  -- batch's writes took the queue rows of the customers' people, could wait for a
  -- transaction that waits for those rows (another delivery, a job taking customers sorted:
  -- docs/workflow-engine.md "Lock order").
  select array_agg(l.external_id) filter (where l.upserted) into v_existing
    from (select c.external_id, c.external_id = any(array(select t.ev -> 'data' ->> 'external_id'
                                                         from jsonb_array_elements(events) as t(ev)
                                                        where t.ev ->> 'type' = 'customer.upserted')) as upserted
            from app.customers c
           where c.org_id = org
             and c.external_id = any(array(select distinct case when t.ev ->> 'type' = 'customer.upserted'
                                                                 then t.ev -> 'data' ->> 'external_id'
                                                                 else t.ev -> 'data' ->> 'customer_external_id' end
                                             from jsonb_array_elements(events) as t(ev)))
           order by c.id
             for update) l;
  perform app.ingest_check_new_records(events, 'customer.upserted', 'name', v_existing);

  with resolved as materialized (
    select i.external_id, s.c is null as is_new, (s.c).arr as old_arr, x.r
      from app.ingest_merged_upserts(events, 'customer.upserted') i
      -- (a lateral probe of the unique index per customer, never a scan of the organisation)
      left join lateral (select c from app.customers c where c.org_id = org and c.external_id = i.external_id) s on true
      cross join lateral (select jsonb_populate_record(s.c,
          -- the fields the event may set, and no other
          (select coalesce(jsonb_object_agg(f.key, f.value), '{}'::jsonb) from jsonb_each(i.data) as f(key, value)
            where f.key = any(array['name', 'domain', 'industry', 'arr', 'health_score', 'risk_score',
                                    'opportunity_score', 'renewal_date']))
          -- the people it names by email, as profile ids (an unknown email, or null, clears)
          || case when i.data ?| array['csm_email', 'account_executive_email', 'support_engineer_email'] then (
               select jsonb_object_agg(m.id_column, (
                        select p.id from app.profiles p where p.org_id = org and lower(p.email) = lower(i.data ->> m.email_key)))
                 from (values ('csm_email', 'assigned_to'), ('account_executive_email', 'account_executive_id'),
                              ('support_engineer_email', 'support_engineer_id')) as m(email_key, id_column)
                where i.data ? m.email_key) else '{}'::jsonb end
          || jsonb_build_object('metadata', coalesce((s.c).metadata, '{}'::jsonb) || coalesce(i.data -> 'metadata', '{}'::jsonb))
        ) as r) x
     where x.r is distinct from s.c
  ),
  upserted as (
    insert into app.customers as c (
      org_id, external_id, name, domain, industry, arr, health_score, risk_score, opportunity_score,
      renewal_date, assigned_to, account_executive_id, support_engineer_id, metadata)
    select org, s.external_id, (s.r).name, (s.r).domain, (s.r).industry, (s.r).arr, (s.r).health_score,
           (s.r).risk_score, (s.r).opportunity_score, (s.r).renewal_date, (s.r).assigned_to,
           (s.r).account_executive_id, (s.r).support_engineer_id, (s.r).metadata
      from resolved s
    on conflict (org_id, external_id) do update
       set (name, domain, industry, arr, health_score, risk_score, opportunity_score, renewal_date,
            assigned_to, account_executive_id, support_engineer_id, metadata)
         = (excluded.name, excluded.domain, excluded.industry, excluded.arr, excluded.health_score,
            excluded.risk_score, excluded.opportunity_score, excluded.renewal_date, excluded.assigned_to,
            excluded.account_executive_id, excluded.support_engineer_id, excluded.metadata)
    returning c.id, c.external_id, c.arr, (c.xmax = 0) as inserted
  ),
  arr_rows as (
    insert into app.arr_history (org_id, customer_id, arr, recorded_at, source, reason)
    select org, u.id, u.arr, applied_at, 'ingest', 'customer.upserted'
      from upserted u
      join resolved s on s.external_id = u.external_id
     where u.arr is not null
       and (s.is_new or s.old_arr is distinct from u.arr)
    returning 1
  )
  -- (arr_rows runs whether or not it is read: data-modifying CTEs always complete.)
  select count(*) filter (where u.inserted), count(*) filter (where not u.inserted)
    into v_inserted, v_updated
    from upserted u;
  return jsonb_build_object('inserted', v_inserted, 'updated', v_updated);
end;
$$;
comment on function app.ingest_apply_customer_upserted(uuid, jsonb, timestamptz) is 'Applies the customer.upserted events of a delivery; returns {inserted, updated}.';
revoke execute on function app.ingest_apply_customer_upserted(uuid, jsonb, timestamptz) from public, anon, authenticated;
grant execute on function app.ingest_apply_customer_upserted(uuid, jsonb, timestamptz) to service_role;

-- External id -> customer id for every customer the other kinds of event name, looked up
-- once (an index probe per id) instead of joining app.customers in every statement. Every
-- one must exist by now (customer.upserted has run): else 22023 naming the first event.
create or replace function app.ingest_customer_ids(org_id uuid, events jsonb)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
#variable_conflict use_variable
declare
  v_ids jsonb;
  v_bad record;
begin
  select coalesce(jsonb_object_agg(c.external_id, c.id), '{}'::jsonb)
    into v_ids
    from app.customers c
   where c.org_id = org_id
     and c.external_id = any(array(select distinct t.ev -> 'data' ->> 'customer_external_id'
                                     from jsonb_array_elements(events) as t(ev)
                                    where t.ev ->> 'type' <> 'customer.upserted'));

  select t.pos, t.ev -> 'data' ->> 'customer_external_id' as external_id into v_bad
    from jsonb_array_elements(events) with ordinality as t(ev, pos)
   where t.ev ->> 'type' <> 'customer.upserted'
     and not v_ids ? coalesce(t.ev -> 'data' ->> 'customer_external_id', '')
   order by t.pos
   limit 1;
  if found then
    raise exception 'event %: no customer with external id "%"', v_bad.pos - 1, coalesce(v_bad.external_id, '')
      using errcode = '22023', hint = 'Send a customer.upserted for it first (earlier in the same batch is fine).';
  end if;
  return v_ids;
end;
$$;
comment on function app.ingest_customer_ids(uuid, jsonb) is 'The customers a delivery''s events name, by external id; 22023 for an unknown one.';
revoke execute on function app.ingest_customer_ids(uuid, jsonb) from public, anon, authenticated;
grant execute on function app.ingest_customer_ids(uuid, jsonb) to service_role;

-- usage.snapshot: one row per customer and time; a resend replaces it (the later event of
-- the batch winning). Returns the rows written.
create or replace function app.ingest_apply_usage_snapshot(org uuid, events jsonb, customer_ids jsonb)
returns integer
language plpgsql
volatile
set search_path = ''
as $$
declare
  v_count integer;
begin
  insert into app.usage_snapshots as u (org_id, customer_id, recorded_at, active_users, licensed_seats, metrics, source)
  select distinct on (c.id, d.recorded_at)
         org, c.id, d.recorded_at, d.active_users, d.licensed_seats,
         coalesce(t.ev -> 'data' -> 'metrics', '{}'::jsonb), 'ingest'
    from jsonb_array_elements(events) with ordinality as t(ev, pos)
    cross join lateral jsonb_to_record(t.ev -> 'data')
           as d(customer_external_id text, recorded_at timestamptz, active_users integer, licensed_seats integer)
    cross join lateral (select (customer_ids ->> d.customer_external_id)::uuid as id) c
   where t.ev ->> 'type' = 'usage.snapshot'
   order by c.id, d.recorded_at, t.pos desc
  on conflict (customer_id, org_id, recorded_at) do update
     set (active_users, licensed_seats, metrics, source)
       = (excluded.active_users, excluded.licensed_seats, excluded.metrics, excluded.source);
  get diagnostics v_count = row_count;
  return v_count;
end;
$$;
comment on function app.ingest_apply_usage_snapshot(uuid, jsonb, jsonb) is 'Applies the usage.snapshot events of a delivery; returns the rows written.';
revoke execute on function app.ingest_apply_usage_snapshot(uuid, jsonb, jsonb) from public, anon, authenticated;
grant execute on function app.ingest_apply_usage_snapshot(uuid, jsonb, jsonb) to service_role;

-- engagement.event: with an external id it is upserted (a ticket changing status, the later
-- event of the batch winning), without one it is a new event. Returns the rows written.
create or replace function app.ingest_apply_engagement_event(org uuid, events jsonb, customer_ids jsonb)
returns integer
language plpgsql
volatile
set search_path = ''
as $$
declare
  v_keyed integer;
  v_new integer;
begin
  insert into app.engagement_events as e (
    org_id, customer_id, external_id, event_type, occurred_at, title, description, nps_score, ticket_status, metadata, source)
  select distinct on (d.external_id)
         org, (customer_ids ->> d.customer_external_id)::uuid, d.external_id, d.event_type, d.occurred_at,
         d.title, d.description, d.nps_score, d.ticket_status, coalesce(t.ev -> 'data' -> 'metadata', '{}'::jsonb), 'ingest'
    from jsonb_array_elements(events) with ordinality as t(ev, pos)
    cross join lateral jsonb_to_record(t.ev -> 'data') as d(customer_external_id text, external_id text, event_type text,
           occurred_at timestamptz, title text, description text, nps_score integer, ticket_status text)
   where t.ev ->> 'type' = 'engagement.event' and t.ev -> 'data' ->> 'external_id' is not null
   order by d.external_id, t.pos desc
  on conflict (org_id, external_id) do update
     set (customer_id, event_type, occurred_at, title, description, nps_score, ticket_status, metadata, source)
       = (excluded.customer_id, excluded.event_type, excluded.occurred_at, excluded.title, excluded.description,
          excluded.nps_score, excluded.ticket_status, excluded.metadata, excluded.source);
  get diagnostics v_keyed = row_count;

  insert into app.engagement_events (
    org_id, customer_id, event_type, occurred_at, title, description, nps_score, ticket_status, metadata, source)
  select org, (customer_ids ->> d.customer_external_id)::uuid, d.event_type, d.occurred_at,
         d.title, d.description, d.nps_score, d.ticket_status, coalesce(t.ev -> 'data' -> 'metadata', '{}'::jsonb), 'ingest'
    from jsonb_array_elements(events) with ordinality as t(ev, pos)
    cross join lateral jsonb_to_record(t.ev -> 'data') as d(customer_external_id text, event_type text,
           occurred_at timestamptz, title text, description text, nps_score integer, ticket_status text)
   where t.ev ->> 'type' = 'engagement.event' and t.ev -> 'data' ->> 'external_id' is null;
  get diagnostics v_new = row_count;
  return v_keyed + v_new;
end;
$$;
comment on function app.ingest_apply_engagement_event(uuid, jsonb, jsonb) is 'Applies the engagement.event events of a delivery; returns the rows written.';
revoke execute on function app.ingest_apply_engagement_event(uuid, jsonb, jsonb) from public, anon, authenticated;
grant execute on function app.ingest_apply_engagement_event(uuid, jsonb, jsonb) to service_role;

-- stakeholder.upserted, by external id: partial like customers (a new stakeholder is
-- neither champion nor decision maker until an event says so). Returns the rows written.
create or replace function app.ingest_apply_stakeholder_upserted(org uuid, events jsonb, customer_ids jsonb)
returns integer
language plpgsql
volatile
set search_path = ''
as $$
declare
  v_count integer;
begin
  perform app.ingest_check_new_records(events, 'stakeholder.upserted', 'name', array(
    select o.external_id from app.stakeholders o
     where o.org_id = org
       and o.external_id in (select w.external_id from app.ingest_upserts_without(events, 'stakeholder.upserted', 'name') w)));
  insert into app.stakeholders as s (
    org_id, customer_id, external_id, name, email, title, role, influence,
    is_champion, is_decision_maker, notes, last_contacted_at)
  select org, (customer_ids ->> (i.data ->> 'customer_external_id'))::uuid, i.external_id,
         (x.r).name, (x.r).email, (x.r).title, (x.r).role, (x.r).influence,
         (x.r).is_champion, (x.r).is_decision_maker, (x.r).notes, (x.r).last_contacted_at
    from app.ingest_merged_upserts(events, 'stakeholder.upserted') i
    left join lateral (select o from app.stakeholders o where o.org_id = org and o.external_id = i.external_id) s on true
    cross join lateral (select jsonb_populate_record(
        coalesce(s.o, jsonb_populate_record(null::app.stakeholders, '{"is_champion": false, "is_decision_maker": false}')),
        (select coalesce(jsonb_object_agg(f.key, f.value), '{}'::jsonb) from jsonb_each(i.data) as f(key, value)
          where f.key = any(array['name', 'email', 'title', 'role', 'influence', 'is_champion',
                                  'is_decision_maker', 'notes', 'last_contacted_at']))) as r) x
  on conflict (org_id, external_id) do update
     set (customer_id, name, email, title, role, influence, is_champion, is_decision_maker, notes, last_contacted_at)
       = (excluded.customer_id, excluded.name, excluded.email, excluded.title, excluded.role, excluded.influence,
          excluded.is_champion, excluded.is_decision_maker, excluded.notes, excluded.last_contacted_at);
  get diagnostics v_count = row_count;
  return v_count;
end;
$$;
comment on function app.ingest_apply_stakeholder_upserted(uuid, jsonb, jsonb) is 'Applies the stakeholder.upserted events of a delivery; returns the rows written.';
revoke execute on function app.ingest_apply_stakeholder_upserted(uuid, jsonb, jsonb) from public, anon, authenticated;
grant execute on function app.ingest_apply_stakeholder_upserted(uuid, jsonb, jsonb) to service_role;

-- contract.upserted, by external id: partial like customers; terms are merged key by key;
-- a new contract is active, in USD and not auto-renewing unless an event says otherwise
-- (a null status or currency means the default). Returns the rows written.
create or replace function app.ingest_apply_contract_upserted(org uuid, events jsonb, customer_ids jsonb)
returns integer
language plpgsql
volatile
set search_path = ''
as $$
declare
  v_count integer;
begin
  perform app.ingest_check_new_records(events, 'contract.upserted', 'start_date', array(
    select o.external_id from app.contracts o
     where o.org_id = org
       and o.external_id in (select w.external_id from app.ingest_upserts_without(events, 'contract.upserted', 'start_date') w)));
  insert into app.contracts as k (
    org_id, customer_id, external_id, contract_number, status, start_date, end_date, annual_value,
    currency, auto_renew, notice_period_days, terms, document_url)
  select org, (customer_ids ->> (i.data ->> 'customer_external_id'))::uuid, i.external_id,
         (x.r).contract_number, coalesce((x.r).status, 'active'), (x.r).start_date, (x.r).end_date,
         (x.r).annual_value, coalesce((x.r).currency, 'USD'), (x.r).auto_renew, (x.r).notice_period_days,
         (x.r).terms, (x.r).document_url
    from app.ingest_merged_upserts(events, 'contract.upserted') i
    left join lateral (select o from app.contracts o where o.org_id = org and o.external_id = i.external_id) s on true
    cross join lateral (select jsonb_populate_record(
        coalesce(s.o, jsonb_populate_record(null::app.contracts, '{"auto_renew": false}')),
        (select coalesce(jsonb_object_agg(f.key, f.value), '{}'::jsonb) from jsonb_each(i.data) as f(key, value)
          where f.key = any(array['contract_number', 'status', 'start_date', 'end_date', 'annual_value',
                                  'currency', 'auto_renew', 'notice_period_days', 'document_url']))
        || jsonb_build_object('terms', coalesce((s.o).terms, '{}'::jsonb) || coalesce(i.data -> 'terms', '{}'::jsonb))
      ) as r) x
  on conflict (org_id, external_id) do update
     set (customer_id, contract_number, status, start_date, end_date, annual_value, currency, auto_renew,
          notice_period_days, terms, document_url)
       = (excluded.customer_id, excluded.contract_number, excluded.status, excluded.start_date, excluded.end_date,
          excluded.annual_value, excluded.currency, excluded.auto_renew, excluded.notice_period_days,
          excluded.terms, excluded.document_url);
  get diagnostics v_count = row_count;
  return v_count;
end;
$$;
comment on function app.ingest_apply_contract_upserted(uuid, jsonb, jsonb) is 'Applies the contract.upserted events of a delivery; returns the rows written.';
revoke execute on function app.ingest_apply_contract_upserted(uuid, jsonb, jsonb) from public, anon, authenticated;
grant execute on function app.ingest_apply_contract_upserted(uuid, jsonb, jsonb) to service_role;

-- arr.changed: a history row (recorded at the event's recorded_at, else its timestamp, else
-- now); the same ARR at the same time for the same customer is one fact, so a resend adds
-- no second row. The customer's ARR then follows the newest history row that has taken
-- effect (a backfill of old values does not overwrite today's ARR). Returns the rows added.
create or replace function app.ingest_apply_arr_changed(org uuid, events jsonb, customer_ids jsonb, applied_at timestamptz)
returns integer
language plpgsql
volatile
set search_path = ''
as $$
declare
  v_count integer;
begin
  with incoming as (
    select distinct on (c.id, w.recorded_at, d.arr) c.id as customer_id, d.arr, w.recorded_at, d.reason
      from jsonb_array_elements(events) with ordinality as t(ev, pos)
      cross join lateral jsonb_to_record(t.ev -> 'data') as d(customer_external_id text, arr numeric, recorded_at timestamptz, reason text)
      cross join lateral (select (customer_ids ->> d.customer_external_id)::uuid as id) c
      cross join lateral (select coalesce(d.recorded_at, (t.ev ->> 'timestamp')::timestamptz, applied_at) as recorded_at) w
     where t.ev ->> 'type' = 'arr.changed'
     order by c.id, w.recorded_at, d.arr, t.pos desc
  ),
  added as (
    insert into app.arr_history (org_id, customer_id, arr, recorded_at, source, reason)
    select org, i.customer_id, i.arr, i.recorded_at, 'ingest', i.reason
      from incoming i
     where not exists (select 1 from app.arr_history h
                        where h.customer_id = i.customer_id and h.org_id = org
                          and h.recorded_at = i.recorded_at and h.arr = i.arr)
    returning 1
  )
  select count(*) into v_count from added;

  update app.customers c
     set arr = newest.arr
    from (select distinct (customer_ids ->> (t.ev -> 'data' ->> 'customer_external_id'))::uuid as customer_id
            from jsonb_array_elements(events) as t(ev)
           where t.ev ->> 'type' = 'arr.changed') as x
   cross join lateral (select h.arr from app.arr_history h
                        where h.customer_id = x.customer_id and h.org_id = org and h.recorded_at <= applied_at
                        order by h.recorded_at desc, h.created_at desc
                        limit 1) newest
   where c.id = x.customer_id and c.org_id = org and c.arr is distinct from newest.arr;
  return v_count;
end;
$$;
comment on function app.ingest_apply_arr_changed(uuid, jsonb, jsonb, timestamptz) is 'Applies the arr.changed events of a delivery; returns the history rows added.';
revoke execute on function app.ingest_apply_arr_changed(uuid, jsonb, jsonb, timestamptz) from public, anon, authenticated;
grant execute on function app.ingest_apply_arr_changed(uuid, jsonb, jsonb, timestamptz) to service_role;

-- The dispatcher: check, claim, check the events, then one applier per kind in a fixed
-- order (customers first: the other kinds may name a customer created in the same batch),
-- and record the answer with the claimed webhook id (what a replay is answered with).
-- Everything runs in the caller's transaction, so a refused event leaves nothing behind,
-- not even the claim.
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
  v_replay := app.ingest_claim_webhook(v_org, v_webhook_id, jsonb_array_length(v_events));
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
comment on function public.ingest_apply_batch(uuid, text, jsonb) is 'Service role only: applies one verified ingest delivery in one transaction; a known webhook_id is a replay and applies nothing.';
revoke execute on function public.ingest_apply_batch(uuid, text, jsonb) from public, anon, authenticated;
grant execute on function public.ingest_apply_batch(uuid, text, jsonb) to service_role;

-- Old delivery ids only guard against replays inside the signature tolerance (5 minutes)
-- and a sender's retry schedule; a month is ample. Called by the daily job below.
create or replace function app.prune_processed_webhooks(older_than interval default interval '30 days')
returns integer
language plpgsql
set search_path = ''
as $$
declare
  removed integer;
begin
  delete from app.processed_webhooks p where p.received_at < now() - prune_processed_webhooks.older_than;
  get diagnostics removed = row_count;
  return removed;
end;
$$;
comment on function app.prune_processed_webhooks(interval) is 'Forgets delivery ids older than the given age (default 30 days); returns how many.';
grant execute on function app.prune_processed_webhooks(interval) to service_role;

---------------------------------------------------------------------------------------
-- Webhook secrets, managed by admins (RLS: admins of the organisation only).
---------------------------------------------------------------------------------------

-- A new active secret, shown in full only in this answer. Rotation: create the new
-- secret, move senders to it, then revoke the old one (optionally with a grace period
-- during which both verify).
create or replace function public.create_webhook_secret(label text default 'default')
returns jsonb
language plpgsql
volatile
set search_path = ''
as $$
declare
  v_org uuid := (select app.current_org_id());
  v_row app.webhook_secrets;
begin
  if not (select app.has_role('admin')) then
    raise exception 'Only admins manage webhook secrets' using errcode = '42501',
      hint = 'Ask an admin of your organisation.';
  end if;
  if create_webhook_secret.label is null or btrim(create_webhook_secret.label) = '' or length(create_webhook_secret.label) > 100 then
    raise exception 'label must be between 1 and 100 characters' using errcode = '22023';
  end if;
  insert into app.webhook_secrets (org_id, label, secret)
  values (v_org, btrim(create_webhook_secret.label), 'whsec_' || encode(extensions.gen_random_bytes(32), 'base64'))
  returning * into v_row;
  return jsonb_build_object(
    'id', v_row.id, 'label', v_row.label, 'secret', v_row.secret, 'active', v_row.active,
    'expires_at', v_row.expires_at, 'created_at', v_row.created_at
  );
end;
$$;
comment on function public.create_webhook_secret(text) is 'Admins: a new webhook signing secret for the organisation (returned once, in full).';
revoke execute on function public.create_webhook_secret(text) from public, anon;
grant execute on function public.create_webhook_secret(text) to authenticated;

-- The organisation's secrets without their value (only a recognisable prefix).
create or replace function public.list_webhook_secrets()
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
begin
  if not (select app.has_role('admin')) then
    raise exception 'Only admins manage webhook secrets' using errcode = '42501',
      hint = 'Ask an admin of your organisation.';
  end if;
  return coalesce((
    select jsonb_agg(jsonb_build_object(
             'id', s.id,
             'label', s.label,
             'secret_prefix', left(s.secret, 12),
             'active', s.active and (s.expires_at is null or s.expires_at > now()),
             'expires_at', s.expires_at,
             'created_at', s.created_at
           ) order by s.created_at desc, s.id)
      from app.webhook_secrets s
     where s.org_id = (select app.current_org_id())
  ), '[]'::jsonb);
end;
$$;
comment on function public.list_webhook_secrets() is 'Admins: the organisation''s webhook secrets (label, prefix, state), never their full value.';
revoke execute on function public.list_webhook_secrets() from public, anon;
grant execute on function public.list_webhook_secrets() to authenticated;

-- Stops a secret from verifying: now, or after a grace period (minutes, up to 7 days)
-- during which old and new secrets are both accepted.
create or replace function public.revoke_webhook_secret(secret_id uuid, grace_period_minutes integer default 0)
returns jsonb
language plpgsql
volatile
set search_path = ''
as $$
declare
  v_row app.webhook_secrets;
begin
  if not (select app.has_role('admin')) then
    raise exception 'Only admins manage webhook secrets' using errcode = '42501',
      hint = 'Ask an admin of your organisation.';
  end if;
  if revoke_webhook_secret.secret_id is null then
    raise exception 'secret_id is required' using errcode = '22023';
  end if;
  if revoke_webhook_secret.grace_period_minutes is null
     or revoke_webhook_secret.grace_period_minutes not between 0 and 10080 then
    raise exception 'grace_period_minutes must be between 0 and 10080 (7 days)' using errcode = '22023';
  end if;

  select * into v_row
    from app.webhook_secrets s
   where s.id = revoke_webhook_secret.secret_id
     for update;
  if not found then
    raise exception 'Webhook secret not found' using errcode = 'PT404';
  end if;

  update app.webhook_secrets s
     set active = revoke_webhook_secret.grace_period_minutes > 0,
         expires_at = case
                        when revoke_webhook_secret.grace_period_minutes > 0
                        then least(coalesce(s.expires_at, 'infinity'::timestamptz),
                                   now() + make_interval(mins => revoke_webhook_secret.grace_period_minutes))
                        else coalesce(least(s.expires_at, now()), now())
                      end
   where s.id = v_row.id
  returning * into v_row;

  return jsonb_build_object(
    'id', v_row.id, 'label', v_row.label, 'secret_prefix', left(v_row.secret, 12),
    'active', v_row.active and (v_row.expires_at is null or v_row.expires_at > now()),
    'expires_at', v_row.expires_at, 'created_at', v_row.created_at
  );
end;
$$;
comment on function public.revoke_webhook_secret(uuid, integer) is 'Admins: stop a webhook secret verifying, now or after a grace period for rotation.';
revoke execute on function public.revoke_webhook_secret(uuid, integer) from public, anon;
grant execute on function public.revoke_webhook_secret(uuid, integer) to authenticated;

-- webhook secrets (admins only: they sign ingest webhooks)
select app.create_org_policies('app.webhook_secrets', 'webhook secrets', readers => 'admins', writers => 'admins');

-- processed webhooks (written by the ingest service only)
select app.create_org_policies('app.processed_webhooks', 'processed webhooks', readers => 'admins');

select app.create_org_policies('app.webhook_deliveries', 'webhook deliveries', readers => 'admins');

select app.create_touch_triggers('app.webhook_secrets');
