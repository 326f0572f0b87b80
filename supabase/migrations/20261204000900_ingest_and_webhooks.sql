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

create or replace function public.ingest_apply_batch(org_id uuid, webhook_id text, events jsonb)
returns jsonb
language plpgsql
volatile
set search_path = ''
as $$
-- The parameters share names with columns (org_id, webhook_id); in SQL here a bare name is
-- the column, the arguments are read once below through qualified names.
#variable_conflict use_column
declare
  v_org constant uuid := ingest_apply_batch.org_id;
  v_webhook_id constant text := ingest_apply_batch.webhook_id;
  v_events constant jsonb := ingest_apply_batch.events;
  v_now constant timestamptz := now();
  v_result jsonb;
  v_bad record;
  v_customers_inserted integer := 0;
  v_customers_updated integer := 0;
  v_usage integer := 0;
  v_engagement integer := 0;
  v_engagement_more integer := 0;
  v_stakeholders integer := 0;
  v_contracts integer := 0;
  v_arr integer := 0;
  -- External id -> customer id for every customer the batch names, looked up once (an
  -- index probe per id) instead of joining app.customers in every statement.
  v_customer_ext text[];
  v_customer_ids jsonb;
  v_arr_customers uuid[];
begin
  -- Guard: the arguments.
  if v_org is null then
    raise exception 'org_id is required' using errcode = '22023', hint = 'Pass the organisation the webhook was signed for.';
  end if;
  if v_webhook_id is null or btrim(v_webhook_id) = '' or length(v_webhook_id) > 255 then
    raise exception 'webhook_id must be between 1 and 255 characters' using errcode = '22023',
      hint = 'Pass the webhook-id header of the delivery.';
  end if;
  if v_events is null or jsonb_typeof(v_events) <> 'array' or jsonb_array_length(v_events) = 0 then
    raise exception 'events must be a non-empty array' using errcode = '22023';
  end if;
  if jsonb_array_length(v_events) > 1000 then
    raise exception 'events holds % events; at most 1000 are allowed per delivery', jsonb_array_length(v_events)
      using errcode = '22023', hint = 'Split the delivery into batches of 1000 events or fewer.';
  end if;
  perform 1 from app.organisations o where o.id = v_org;
  if not found then
    raise exception 'Organisation not found' using errcode = 'PT404';
  end if;

  -- Guard: claim the webhook id. A delivery already applied is acknowledged with what it
  -- applied then; a concurrent duplicate blocks on the key until this one commits.
  insert into app.processed_webhooks (org_id, webhook_id, event_count)
  values (v_org, v_webhook_id, jsonb_array_length(v_events))
  on conflict do nothing;
  if not found then
    select p.result || jsonb_build_object('replayed', true)
      into v_result
      from app.processed_webhooks p
     where p.org_id = v_org and p.webhook_id = v_webhook_id;
    return v_result;
  end if;

  -- Guard: every event is of a known kind and carries an object.
  select t.pos, t.ev ->> 'type' as type into v_bad
    from jsonb_array_elements(v_events) with ordinality as t(ev, pos)
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

  -- Guard: people named by email are people of this organisation.
  select e.pos, e.field, e.email into v_bad
    from (
      select t.pos, f.field, t.ev -> 'data' ->> f.field as email
        from jsonb_array_elements(v_events) with ordinality as t(ev, pos)
        cross join unnest(array['csm_email', 'account_executive_email', 'support_engineer_email']) as f(field)
       where t.ev ->> 'type' = 'customer.upserted'
         and jsonb_typeof(t.ev -> 'data' -> f.field) = 'string'
    ) e
   where not exists (
     select 1 from app.profiles p where p.org_id = v_org and lower(p.email) = lower(e.email)
   )
   order by e.pos
   limit 1;
  if found then
    raise exception 'event %: % "%" is not a person of this organisation', v_bad.pos - 1, v_bad.field, v_bad.email
      using errcode = '22023', hint = 'Add the person to Renubu first, or leave the field out.';
  end if;

  ---------------------------------------------------------------------------------------
  -- customer.upserted (by external id)
  ---------------------------------------------------------------------------------------
  -- Lock the customers this batch changes, in a stable order (no deadlock between two
  -- deliveries touching the same customers).
  select array_agg(distinct t.ev -> 'data' ->> 'external_id')
    into v_customer_ext
    from jsonb_array_elements(v_events) as t(ev)
   where t.ev ->> 'type' = 'customer.upserted';
  perform 1
     from app.customers c
    where c.org_id = v_org
      and c.external_id = any(v_customer_ext)
    order by c.id
      for update;

  select i.pos, i.external_id into v_bad
    from app.ingest_upserts_without(v_events, 'customer.upserted', 'name') i
   where not (i.external_id = any(coalesce((
       select array_agg(c.external_id) from app.customers c
        where c.org_id = v_org and c.external_id = any(v_customer_ext)), '{}')))
   order by i.pos
   limit 1;
  if found then
    raise exception 'event %: customer "%" does not exist yet and has no name', v_bad.pos - 1, v_bad.external_id
      using errcode = '22023', hint = 'The first customer.upserted of a customer must carry its name.';
  end if;

  with incoming as (
    -- Key-by-key merge of every upsert of the same customer, the later event winning.
    select u.external_id, u.data from app.ingest_merged_upserts(v_events, 'customer.upserted') u
  ),
  resolved as materialized (
    select i.external_id,
           c.id as old_id,
           c.arr as old_arr,
           case when i.data ? 'name' then i.data ->> 'name' else c.name end as name,
           case when i.data ? 'domain' then i.data ->> 'domain' else c.domain end as domain,
           case when i.data ? 'industry' then i.data ->> 'industry' else c.industry end as industry,
           case when i.data ? 'arr' then (i.data ->> 'arr')::numeric else c.arr end as arr,
           case when i.data ? 'health_score' then (i.data ->> 'health_score')::integer else c.health_score end as health_score,
           case when i.data ? 'risk_score' then (i.data ->> 'risk_score')::integer else c.risk_score end as risk_score,
           case when i.data ? 'opportunity_score' then (i.data ->> 'opportunity_score')::integer else c.opportunity_score end as opportunity_score,
           case when i.data ? 'renewal_date' then (i.data ->> 'renewal_date')::date else c.renewal_date end as renewal_date,
           case when i.data ? 'csm_email'
                then (select p.id from app.profiles p where p.org_id = v_org and lower(p.email) = lower(i.data ->> 'csm_email'))
                else c.assigned_to end as assigned_to,
           case when i.data ? 'account_executive_email'
                then (select p.id from app.profiles p where p.org_id = v_org and lower(p.email) = lower(i.data ->> 'account_executive_email'))
                else c.account_executive_id end as account_executive_id,
           case when i.data ? 'support_engineer_email'
                then (select p.id from app.profiles p where p.org_id = v_org and lower(p.email) = lower(i.data ->> 'support_engineer_email'))
                else c.support_engineer_id end as support_engineer_id,
           coalesce(c.metadata, '{}'::jsonb) || coalesce(i.data -> 'metadata', '{}'::jsonb) as metadata
      from incoming i
      left join lateral (
        select * from app.customers c0 where c0.org_id = v_org and c0.external_id = i.external_id
      ) c on true
  ),
  upserted as (
    insert into app.customers as c (
      org_id, external_id, name, domain, industry, arr, health_score, risk_score, opportunity_score,
      renewal_date, assigned_to, account_executive_id, support_engineer_id, metadata
    )
    select v_org, r.external_id, r.name, r.domain, r.industry, r.arr, r.health_score, r.risk_score, r.opportunity_score,
           r.renewal_date, r.assigned_to, r.account_executive_id, r.support_engineer_id, r.metadata
      from resolved r
    on conflict (org_id, external_id) do update
       set name = excluded.name,
           domain = excluded.domain,
           industry = excluded.industry,
           arr = excluded.arr,
           health_score = excluded.health_score,
           risk_score = excluded.risk_score,
           opportunity_score = excluded.opportunity_score,
           renewal_date = excluded.renewal_date,
           assigned_to = excluded.assigned_to,
           account_executive_id = excluded.account_executive_id,
           support_engineer_id = excluded.support_engineer_id,
           metadata = excluded.metadata
     -- Unchanged customers are not rewritten (no trigger work, updated_at stays honest).
     where (c.name, c.domain, c.industry, c.arr, c.health_score, c.risk_score, c.opportunity_score,
            c.renewal_date, c.assigned_to, c.account_executive_id, c.support_engineer_id, c.metadata)
           is distinct from
           (excluded.name, excluded.domain, excluded.industry, excluded.arr, excluded.health_score,
            excluded.risk_score, excluded.opportunity_score, excluded.renewal_date, excluded.assigned_to,
            excluded.account_executive_id, excluded.support_engineer_id, excluded.metadata)
    returning c.id, c.external_id, c.arr, (c.xmax = 0) as inserted
  ),
  -- A customer.upserted that changes ARR is ARR history too (financials read history).
  arr_rows as (
    insert into app.arr_history (org_id, customer_id, arr, recorded_at, source, reason)
    select v_org, u.id, u.arr, v_now, 'ingest', 'customer.upserted'
      from upserted u
      join resolved r on r.external_id = u.external_id
     where u.arr is not null
       and (r.old_id is null or r.old_arr is distinct from u.arr)
    returning 1
  )
  -- (arr_rows runs whether or not it is read: data-modifying CTEs always complete.)
  select count(*) filter (where u.inserted), count(*) filter (where not u.inserted)
    into v_customers_inserted, v_customers_updated
    from upserted u;

  ---------------------------------------------------------------------------------------
  -- Every other kind names its customer by external id: all must exist by now.
  ---------------------------------------------------------------------------------------
  select jsonb_object_agg(c.external_id, c.id)
    into v_customer_ids
    from app.customers c
   where c.org_id = v_org
     and c.external_id = any(array(
       select distinct t.ev -> 'data' ->> 'customer_external_id'
         from jsonb_array_elements(v_events) as t(ev)
        where t.ev ->> 'type' <> 'customer.upserted'
     ));
  v_customer_ids := coalesce(v_customer_ids, '{}'::jsonb);

  select t.pos, t.ev -> 'data' ->> 'customer_external_id' as external_id into v_bad
    from jsonb_array_elements(v_events) with ordinality as t(ev, pos)
   where t.ev ->> 'type' <> 'customer.upserted'
     and not v_customer_ids ? coalesce(t.ev -> 'data' ->> 'customer_external_id', '')
   order by t.pos
   limit 1;
  if found then
    raise exception 'event %: no customer with external id "%"', v_bad.pos - 1, coalesce(v_bad.external_id, '')
      using errcode = '22023', hint = 'Send a customer.upserted for it first (earlier in the same batch is fine).';
  end if;

  ---------------------------------------------------------------------------------------
  -- usage.snapshot: one row per customer and time; a resend replaces it.
  ---------------------------------------------------------------------------------------
  insert into app.usage_snapshots as u (org_id, customer_id, recorded_at, active_users, licensed_seats, metrics, source)
  select distinct on (c.id, (t.ev -> 'data' ->> 'recorded_at')::timestamptz)
         v_org, c.id, (t.ev -> 'data' ->> 'recorded_at')::timestamptz,
         (t.ev -> 'data' ->> 'active_users')::integer,
         (t.ev -> 'data' ->> 'licensed_seats')::integer,
         coalesce(t.ev -> 'data' -> 'metrics', '{}'::jsonb),
         'ingest'
    from jsonb_array_elements(v_events) with ordinality as t(ev, pos)
    cross join lateral (select (v_customer_ids ->> (t.ev -> 'data' ->> 'customer_external_id'))::uuid as id) c
   where t.ev ->> 'type' = 'usage.snapshot'
   order by c.id, (t.ev -> 'data' ->> 'recorded_at')::timestamptz, t.pos desc
  on conflict (customer_id, org_id, recorded_at) do update
     set active_users = excluded.active_users,
         licensed_seats = excluded.licensed_seats,
         metrics = excluded.metrics,
         source = excluded.source;
  get diagnostics v_usage = row_count;

  ---------------------------------------------------------------------------------------
  -- engagement.event: with an external id it is upserted (a ticket changing status),
  -- without one it is a new event.
  ---------------------------------------------------------------------------------------
  insert into app.engagement_events as e (
    org_id, customer_id, external_id, event_type, occurred_at, title, description, nps_score, ticket_status, metadata, source
  )
  select distinct on (t.ev -> 'data' ->> 'external_id')
         v_org, c.id, t.ev -> 'data' ->> 'external_id', t.ev -> 'data' ->> 'event_type',
         (t.ev -> 'data' ->> 'occurred_at')::timestamptz,
         t.ev -> 'data' ->> 'title', t.ev -> 'data' ->> 'description',
         (t.ev -> 'data' ->> 'nps_score')::integer, t.ev -> 'data' ->> 'ticket_status',
         coalesce(t.ev -> 'data' -> 'metadata', '{}'::jsonb), 'ingest'
    from jsonb_array_elements(v_events) with ordinality as t(ev, pos)
    cross join lateral (select (v_customer_ids ->> (t.ev -> 'data' ->> 'customer_external_id'))::uuid as id) c
   where t.ev ->> 'type' = 'engagement.event'
     and t.ev -> 'data' ->> 'external_id' is not null
   order by t.ev -> 'data' ->> 'external_id', t.pos desc
  on conflict (org_id, external_id) do update
     set customer_id = excluded.customer_id,
         event_type = excluded.event_type,
         occurred_at = excluded.occurred_at,
         title = excluded.title,
         description = excluded.description,
         nps_score = excluded.nps_score,
         ticket_status = excluded.ticket_status,
         metadata = excluded.metadata,
         source = excluded.source;
  get diagnostics v_engagement = row_count;

  insert into app.engagement_events (
    org_id, customer_id, event_type, occurred_at, title, description, nps_score, ticket_status, metadata, source
  )
  select v_org, c.id, t.ev -> 'data' ->> 'event_type', (t.ev -> 'data' ->> 'occurred_at')::timestamptz,
         t.ev -> 'data' ->> 'title', t.ev -> 'data' ->> 'description',
         (t.ev -> 'data' ->> 'nps_score')::integer, t.ev -> 'data' ->> 'ticket_status',
         coalesce(t.ev -> 'data' -> 'metadata', '{}'::jsonb), 'ingest'
    from jsonb_array_elements(v_events) with ordinality as t(ev, pos)
    cross join lateral (select (v_customer_ids ->> (t.ev -> 'data' ->> 'customer_external_id'))::uuid as id) c
   where t.ev ->> 'type' = 'engagement.event'
     and t.ev -> 'data' ->> 'external_id' is null;
  get diagnostics v_engagement_more = row_count;
  v_engagement := v_engagement + v_engagement_more;

  ---------------------------------------------------------------------------------------
  -- stakeholder.upserted (by external id, partial like customers)
  ---------------------------------------------------------------------------------------
  select i.pos, i.external_id into v_bad
    from app.ingest_upserts_without(v_events, 'stakeholder.upserted', 'name') i
   where not exists (select 1 from app.stakeholders s where s.org_id = v_org and s.external_id = i.external_id offset 0)
   order by i.pos
   limit 1;
  if found then
    raise exception 'event %: stakeholder "%" does not exist yet and has no name', v_bad.pos - 1, v_bad.external_id
      using errcode = '22023', hint = 'The first stakeholder.upserted of a stakeholder must carry their name.';
  end if;

  with incoming as (
    select u.external_id, u.data from app.ingest_merged_upserts(v_events, 'stakeholder.upserted') u
  )
  insert into app.stakeholders as s (
    org_id, customer_id, external_id, name, email, title, role, influence,
    is_champion, is_decision_maker, notes, last_contacted_at
  )
  select v_org, c.id, i.external_id,
         case when i.data ? 'name' then i.data ->> 'name' else o.name end,
         case when i.data ? 'email' then i.data ->> 'email' else o.email end,
         case when i.data ? 'title' then i.data ->> 'title' else o.title end,
         case when i.data ? 'role' then i.data ->> 'role' else o.role end,
         case when i.data ? 'influence' then i.data ->> 'influence' else o.influence end,
         case when i.data ? 'is_champion' then (i.data ->> 'is_champion')::boolean else coalesce(o.is_champion, false) end,
         case when i.data ? 'is_decision_maker' then (i.data ->> 'is_decision_maker')::boolean else coalesce(o.is_decision_maker, false) end,
         case when i.data ? 'notes' then i.data ->> 'notes' else o.notes end,
         case when i.data ? 'last_contacted_at' then (i.data ->> 'last_contacted_at')::timestamptz else o.last_contacted_at end
    from incoming i
    cross join lateral (select (v_customer_ids ->> (i.data ->> 'customer_external_id'))::uuid as id) c
    left join lateral (
      select * from app.stakeholders o0 where o0.org_id = v_org and o0.external_id = i.external_id
    ) o on true
  on conflict (org_id, external_id) do update
     set customer_id = excluded.customer_id,
         name = excluded.name,
         email = excluded.email,
         title = excluded.title,
         role = excluded.role,
         influence = excluded.influence,
         is_champion = excluded.is_champion,
         is_decision_maker = excluded.is_decision_maker,
         notes = excluded.notes,
         last_contacted_at = excluded.last_contacted_at;
  get diagnostics v_stakeholders = row_count;

  ---------------------------------------------------------------------------------------
  -- contract.upserted (by external id, partial like customers)
  ---------------------------------------------------------------------------------------
  select i.pos, i.external_id into v_bad
    from app.ingest_upserts_without(v_events, 'contract.upserted', 'start_date') i
   where not exists (select 1 from app.contracts k where k.org_id = v_org and k.external_id = i.external_id offset 0)
   order by i.pos
   limit 1;
  if found then
    raise exception 'event %: contract "%" does not exist yet and has no start_date', v_bad.pos - 1, v_bad.external_id
      using errcode = '22023', hint = 'The first contract.upserted of a contract must carry its start_date.';
  end if;

  with incoming as (
    select u.external_id, u.data from app.ingest_merged_upserts(v_events, 'contract.upserted') u
  )
  insert into app.contracts as k (
    org_id, customer_id, external_id, contract_number, status, start_date, end_date, annual_value,
    currency, auto_renew, notice_period_days, terms, document_url
  )
  select v_org, c.id, i.external_id,
         case when i.data ? 'contract_number' then i.data ->> 'contract_number' else o.contract_number end,
         coalesce(case when i.data ? 'status' then i.data ->> 'status' else o.status end, 'active'),
         case when i.data ? 'start_date' then (i.data ->> 'start_date')::date else o.start_date end,
         case when i.data ? 'end_date' then (i.data ->> 'end_date')::date else o.end_date end,
         case when i.data ? 'annual_value' then (i.data ->> 'annual_value')::numeric else o.annual_value end,
         coalesce(case when i.data ? 'currency' then i.data ->> 'currency' else o.currency end, 'USD'),
         case when i.data ? 'auto_renew' then (i.data ->> 'auto_renew')::boolean else coalesce(o.auto_renew, false) end,
         case when i.data ? 'notice_period_days' then (i.data ->> 'notice_period_days')::integer else o.notice_period_days end,
         coalesce(o.terms, '{}'::jsonb) || coalesce(i.data -> 'terms', '{}'::jsonb),
         case when i.data ? 'document_url' then i.data ->> 'document_url' else o.document_url end
    from incoming i
    cross join lateral (select (v_customer_ids ->> (i.data ->> 'customer_external_id'))::uuid as id) c
    left join lateral (
      select * from app.contracts o0 where o0.org_id = v_org and o0.external_id = i.external_id
    ) o on true
  on conflict (org_id, external_id) do update
     set customer_id = excluded.customer_id,
         contract_number = excluded.contract_number,
         status = excluded.status,
         start_date = excluded.start_date,
         end_date = excluded.end_date,
         annual_value = excluded.annual_value,
         currency = excluded.currency,
         auto_renew = excluded.auto_renew,
         notice_period_days = excluded.notice_period_days,
         terms = excluded.terms,
         document_url = excluded.document_url;
  get diagnostics v_contracts = row_count;

  ---------------------------------------------------------------------------------------
  -- arr.changed: a history row; the customer's ARR follows the newest history row that
  -- has taken effect (a backfill of old values does not overwrite today's ARR).
  ---------------------------------------------------------------------------------------
  -- The same ARR at the same time for the same customer is one fact: resending it (in a
  -- new delivery) adds no second history row.
  with incoming as (
    select distinct on (c.id, x.recorded_at, x.arr)
           c.id as customer_id, x.arr, x.recorded_at, x.reason
      from jsonb_array_elements(v_events) with ordinality as t(ev, pos)
      cross join lateral (select (v_customer_ids ->> (t.ev -> 'data' ->> 'customer_external_id'))::uuid as id) c
      cross join lateral (
        select (t.ev -> 'data' ->> 'arr')::numeric as arr,
               coalesce((t.ev -> 'data' ->> 'recorded_at')::timestamptz, (t.ev ->> 'timestamp')::timestamptz, v_now) as recorded_at,
               t.ev -> 'data' ->> 'reason' as reason
      ) x
     where t.ev ->> 'type' = 'arr.changed'
     order by c.id, x.recorded_at, x.arr, t.pos desc
  ),
  changed as (
    insert into app.arr_history (org_id, customer_id, arr, recorded_at, source, reason)
    select v_org, i.customer_id, i.arr, i.recorded_at, 'ingest', i.reason
      from incoming i
     where not exists (
       select 1 from app.arr_history h
        where h.customer_id = i.customer_id and h.org_id = v_org
          and h.recorded_at = i.recorded_at and h.arr = i.arr
     )
    returning customer_id
  )
  select count(*) into v_arr from changed;

  select array_agg(distinct (v_customer_ids ->> (t.ev -> 'data' ->> 'customer_external_id'))::uuid)
    into v_arr_customers
    from jsonb_array_elements(v_events) as t(ev)
   where t.ev ->> 'type' = 'arr.changed';
  if v_arr_customers is not null then
    update app.customers c
       set arr = newest.arr
      from unnest(v_arr_customers) as x(customer_id)
      cross join lateral (
        select h.arr
          from app.arr_history h
         where h.customer_id = x.customer_id and h.org_id = v_org and h.recorded_at <= v_now
         order by h.recorded_at desc, h.created_at desc
         limit 1
      ) newest
     where c.id = x.customer_id
       and c.org_id = v_org
       and c.arr is distinct from newest.arr;
  end if;

  v_result := jsonb_build_object(
    'webhook_id', v_webhook_id,
    'replayed', false,
    'events', jsonb_array_length(v_events),
    'applied', jsonb_build_object(
      'customers', jsonb_build_object('inserted', v_customers_inserted, 'updated', v_customers_updated),
      'usage_snapshots', v_usage,
      'engagement_events', v_engagement,
      'stakeholders', v_stakeholders,
      'contracts', v_contracts,
      'arr_changes', v_arr
    ),
    'received_at', v_now
  );
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
create policy "Admins can read their organisation's webhook secrets"
  on app.webhook_secrets for select to authenticated
  using (org_id = (select app.current_org_id()) and (select app.has_role('admin')));

create policy "Admins can add webhook secrets"
  on app.webhook_secrets for insert to authenticated
  with check (org_id = (select app.current_org_id()) and (select app.has_role('admin')));

create policy "Admins can change webhook secrets"
  on app.webhook_secrets for update to authenticated
  using (org_id = (select app.current_org_id()) and (select app.has_role('admin')))
  with check (org_id = (select app.current_org_id()) and (select app.has_role('admin')));

create policy "Admins can delete webhook secrets"
  on app.webhook_secrets for delete to authenticated
  using (org_id = (select app.current_org_id()) and (select app.has_role('admin')));

-- processed webhooks (written by the ingest service only)
create policy "Admins can read their organisation's processed webhooks"
  on app.processed_webhooks for select to authenticated
  using (org_id = (select app.current_org_id()) and (select app.has_role('admin')));

create policy "Admins can read their organisation's webhook deliveries"
  on app.webhook_deliveries for select to authenticated
  using (org_id = (select app.current_org_id()) and (select app.has_role('admin')));

create trigger webhook_secrets_touch_updated_at before update on app.webhook_secrets
  for each row execute function app.touch_updated_at();
