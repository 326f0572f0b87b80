-- What customers do: usage snapshots, engagement events, score history, the customer history
-- search index (passages for the assistant) and the customer context the assistant reads.
--
-- Part of the release baseline (docs/schema.md): one file per area, in dependency order.
-- From now on migrations are append-only: a change is a new timestamped file.

create table app.usage_snapshots (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null,
  customer_id uuid not null,
  recorded_at timestamptz not null,
  active_users integer,
  licensed_seats integer,
  metrics jsonb not null default '{}'::jsonb,
  source text not null default 'manual',
  created_at timestamptz not null default now(),
  constraint usage_snapshots_active_users_is_not_negative check (active_users >= 0),
  constraint usage_snapshots_licensed_seats_is_not_negative check (licensed_seats >= 0),
  constraint usage_snapshots_metrics_is_object check (jsonb_typeof(metrics) = 'object'),
  constraint usage_snapshots_one_per_customer_and_time unique (customer_id, org_id, recorded_at),
  constraint usage_snapshots_customer_is_in_organisation foreign key (customer_id, org_id)
    references app.customers (id, org_id) on delete cascade
);
comment on table app.usage_snapshots is 'Product usage of a customer at a point in time (active users, seats, metrics).';
alter table app.usage_snapshots enable row level security;
grant select, insert, update, delete on app.usage_snapshots to authenticated;

create table app.engagement_events (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null,
  customer_id uuid not null,
  external_id text,
  event_type text not null,
  occurred_at timestamptz not null,
  title text,
  description text,
  nps_score integer,
  ticket_status text,
  metadata jsonb not null default '{}'::jsonb,
  source text not null default 'manual',
  created_at timestamptz not null default now(),
  constraint engagement_events_type_is_known check (event_type in (
    'meeting', 'email', 'call', 'qbr', 'nps', 'support_ticket', 'note', 'other'
  )),
  constraint engagement_events_nps_score_is_zero_to_ten check (nps_score between 0 and 10),
  constraint engagement_events_nps_has_a_score check (event_type <> 'nps' or nps_score is not null),
  constraint engagement_events_ticket_status_is_known check (ticket_status in ('open', 'pending', 'resolved', 'closed')),
  constraint engagement_events_metadata_is_object check (jsonb_typeof(metadata) = 'object'),
  constraint engagement_events_external_id_is_unique_per_org unique (org_id, external_id),
  constraint engagement_events_customer_is_in_organisation foreign key (customer_id, org_id)
    references app.customers (id, org_id) on delete cascade
);
comment on table app.engagement_events is 'Meetings, emails, calls, QBRs, NPS responses and support tickets of a customer. A future occurred_at is a scheduled event.';
alter table app.engagement_events enable row level security;
grant select, insert, update, delete on app.engagement_events to authenticated;

create index engagement_events_customer_id_occurred_at_idx on app.engagement_events (customer_id, org_id, occurred_at desc);

-- "next QBR" / "open tickets" without scanning every event of the customer.
create index engagement_events_customer_id_type_idx on app.engagement_events (customer_id, event_type, occurred_at desc);

-- public.get_customer_context(customer_id, execution_id): everything the assistant and the
-- CSM need about one customer in one call (docs/customer-intelligence.md "get_customer_context").
--
-- Why this shape: every figure is computed from stored history at read time, so nothing
-- is invented and nothing goes stale. No data means null (never a default that looks
-- like data), and `freshness` gives the timestamp of the newest row behind each part.
-- Days until renewal and the stage are computed as of today in the organisation's time
-- zone (a stored stage can be a day behind). Trends compare today's value with the value
-- in effect 90 days ago (or, for younger histories, the oldest value in the window).
-- Visibility: public.get_customer_context is security invoker, so row-level security
-- decides first whether the caller sees the customer (or execution); a customer of
-- another organisation is simply not found (PT404), never partially shown. The context is
-- then assembled by app.customer_context, security definer, which filters every read by
-- the caller's organisation explicitly: under RLS each of its ~25 table reads re-ran the
-- membership helper (a SQL function planned on every call), which was most of its cost.
-- Each part is one or two index lookups on a per-customer index, which keeps the call
-- well under a few milliseconds on an organisation of 100 000 customers.

-- Usage is read newest first per customer through the unique (customer_id, org_id,
-- recorded_at) index of usage_snapshots, scanned backwards; no second index needed.
-- Open tickets are counted without reading every event of the customer.
create index if not exists engagement_events_open_tickets_idx
  on app.engagement_events (customer_id, org_id)
  where event_type = 'support_ticket' and ticket_status in ('open', 'pending');

-- Score history: health, risk and opportunity of each customer over time, so the customer
-- context can show each one's trend from stored history (docs/customer-intelligence.md "get_customer_context").
--
-- Why a table of its own: `app.customers` holds only the current scores; ARR and usage
-- already have their history tables (arr_history, usage_snapshots), scores had none.
-- Statement-level triggers on `app.customers` record a snapshot of all three scores for
-- every inserted customer and for every update that changes one of them, whoever made the
-- change (ingest, an RPC, the seed, the scale generator), set-based through transition
-- tables so a bulk insert of 100 000 customers is one extra insert, not 100 000.
-- A writer that knows when the scores were measured (a backfill) may insert rows here
-- itself with that time; readers take the newest row as of a day.

create table app.customer_score_history (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null,
  customer_id uuid not null,
  recorded_at timestamptz not null default now(),
  health_score integer,
  risk_score integer,
  opportunity_score integer,
  source text not null default 'change',
  created_at timestamptz not null default now(),
  constraint customer_score_history_health_score_is_percentage check (health_score between 0 and 100),
  constraint customer_score_history_risk_score_is_percentage check (risk_score between 0 and 100),
  constraint customer_score_history_opportunity_score_is_percentage check (opportunity_score between 0 and 100),
  constraint customer_score_history_customer_is_in_organisation foreign key (customer_id, org_id)
    references app.customers (id, org_id) on delete cascade
);
comment on table app.customer_score_history is 'Health, risk and opportunity scores of a customer over time (trends in the customer context).';
alter table app.customer_score_history enable row level security;
-- Readers only; the triggers above (and the service role) write.
grant select on app.customer_score_history to authenticated;
grant select, insert, update, delete on app.customer_score_history to service_role;

-- The context reads one customer's history newest first (latest, and as of 90 days ago).
create index customer_score_history_customer_id_recorded_at_idx
  on app.customer_score_history (customer_id, org_id, recorded_at desc);

-- History search: one full-text index over everything Renubu holds about a customer
-- (docs/ai-assistant.md "History search"): engagement events, emails sent, approved artifacts, chat
-- thread summaries and contract text, searchable with `search_customer_history`.
--
-- Why this shape:
-- - One passage per source row (`source_kind`, `source_id` unique), upserted by
--   `app.index_customer_history`, so every source keeps its passage current the same way
--   and a contract's text can be added by the contracts code without a new table here.
-- - The tsvector is a stored generated column (title weighted above body), so it can never
--   drift from the text; a GIN index serves `@@`, and (org_id, customer_id, occurred_at)
--   leads every read, so a search costs what one customer's history costs.
-- - The passages are filled by statement-level triggers on the sources (transition
--   tables: one set-based statement per write, so the 100k scale seed's 600k engagement
--   events index in one pass); a new database starts empty, so there is nothing to backfill.
-- - Visible under the same rule as the sources it copies: members read their own
--   organisation's rows. Only the triggers (security definer) write it.

create table app.customer_history_passages (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null,
  customer_id uuid not null,
  source_kind text not null,
  source_id uuid not null,
  occurred_at timestamptz not null,
  title text not null default '',
  body text not null default '',
  search tsvector generated always as (
    setweight(to_tsvector('english'::regconfig, title), 'A') || setweight(to_tsvector('english'::regconfig, body), 'B')
  ) stored,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint customer_history_passages_source_kind_is_known check (source_kind in (
    'engagement', 'email', 'artifact', 'thread_summary', 'contract')),
  constraint customer_history_passages_body_is_bounded check (length(body) <= 60000),
  constraint customer_history_passages_one_per_source unique (source_kind, source_id),
  constraint customer_history_passages_customer_is_in_organisation foreign key (customer_id, org_id)
    references app.customers (id, org_id) on delete cascade
);
comment on table app.customer_history_passages is
  'Full-text passages of a customer''s history (engagement, emails sent, approved artifacts, thread summaries, contracts), one per source row.';
alter table app.customer_history_passages enable row level security;
grant select on app.customer_history_passages to authenticated;
grant select, insert, update, delete on app.customer_history_passages to service_role;

create index customer_history_passages_customer_idx
  on app.customer_history_passages (org_id, customer_id, occurred_at desc);

create index customer_history_passages_customer_id_org_id_idx
  on app.customer_history_passages (customer_id, org_id);

create index customer_history_passages_search_idx on app.customer_history_passages using gin (search);

-- Security definer: the history is written on behalf of whoever changed the customer, so
-- no caller needs (or gets) the right to write history rows directly and forge a trend.
create or replace function app.record_inserted_customer_scores()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  insert into app.customer_score_history (org_id, customer_id, recorded_at, health_score, risk_score, opportunity_score, source)
  select n.org_id, n.id, now(), n.health_score, n.risk_score, n.opportunity_score, 'created'
    from new_rows n
   where n.health_score is not null or n.risk_score is not null or n.opportunity_score is not null;
  return null;
end;
$$;
comment on function app.record_inserted_customer_scores() is 'Trigger: the first score snapshot of newly inserted customers.';

-- Security definer: as above.
create or replace function app.record_changed_customer_scores()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  -- Dynamic SQL: planned for this statement's row count (a plan cached after a 0-row
  -- update would join the transition tables in a nested loop, n x n for a bulk update).
  execute $q$
  insert into app.customer_score_history (org_id, customer_id, recorded_at, health_score, risk_score, opportunity_score, source)
  select n.org_id, n.id, now(), n.health_score, n.risk_score, n.opportunity_score, 'change'
    from new_rows n
    join old_rows o on o.id = n.id
   where n.health_score is distinct from o.health_score
      or n.risk_score is distinct from o.risk_score
      or n.opportunity_score is distinct from o.opportunity_score
  $q$;
  return null;
end;
$$;
comment on function app.record_changed_customer_scores() is 'Trigger: a score snapshot for every customer whose health, risk or opportunity score changed.';

-- 'up', 'down' or 'stable' when the change from baseline reaches min_change; null
-- without both values (no trend is made up from a single point).
create or replace function app.trend_direction(current_value numeric, baseline_value numeric, min_change numeric)
returns text
language sql
immutable
parallel safe
set search_path = ''
as $$
  select case
    when trend_direction.current_value is null or trend_direction.baseline_value is null then null
    when trend_direction.current_value - trend_direction.baseline_value >= trend_direction.min_change then 'up'
    when trend_direction.baseline_value - trend_direction.current_value >= trend_direction.min_change then 'down'
    else 'stable'
  end
$$;
comment on function app.trend_direction(numeric, numeric, numeric) is 'up, down or stable when the change from baseline reaches min_change; null without both values.';
grant execute on function app.trend_direction(numeric, numeric, numeric) to authenticated, service_role;

-- app.customer_context as one short function per section (issue 17, "Short functions").
--
-- What: the 458-line body of get_customer_context becomes a dispatcher that finds the
-- customer, today's date in the organisation's time zone and the renewal clock, then asks
-- one function per section (customer, intelligence, financials, usage, engagement,
-- workflow, account team) for its part and the timestamp of the newest row behind it
-- (`freshness`). The "latest value and its 90-day baseline" rule, written out three times
-- before (scores, ARR, usage), is one helper: app.context_latest_and_baseline.
-- Why: each rule has one place and each function fits on a screen. The output is the same
-- JSON as before (compared with the old body on every demo and scale customer and 2 000
-- executions while this was written; the get_customer_context tests guard it).
-- Speed: the helpers are PL/pgSQL, whose plans are cached per session (a SQL function with
-- a pinned search_path is planned again on every call), return typed rows rather than
-- jsonb, and take the few columns they need rather than the whole customer row; calls to
-- the SQL helpers (trend_direction, calculate_renewal_stage) stay in subquery-free
-- expressions so their plans are kept for the transaction.
-- The sections are security invoker and granted to nobody: they run with the rights of
-- app.customer_context (security definer, organisation filtered explicitly), their only
-- caller, on the customer it has already checked.
--
-- The body of get_customer_context. It runs on the decision date (docs/contracts.md
-- "Renewal clock: the decision date"): `customer` and `workflow` carry `decision_date` and
-- `days_until_decision` beside `renewal_date` / `days_until_renewal`, and `renewal_stage`
-- is computed from the decision date as of today, so the context panel and the
-- assistant's snapshot agree with the queue. The contract in force shows its `terms`
-- (where confirmed extraction fields such as the term, price cap and payment terms are kept).

-- One part of the context and the timestamp of the newest row behind it.
create type app.context_part as (body jsonb, freshness timestamptz);

-- The trend rule of the context, in one place, for the three histories it trends (scores,
-- ARR, usage; `history` is a null of the history's row type, which picks the history and
-- the type of the answer): points[1] is the newest row at or before as_of, points[2] the
-- row in effect 90 days before as_of (b), or for a younger history the oldest row since
-- (y), never the latest itself. Ties on recorded_at go to the row recorded last. Null
-- without history; points[2] null with one row (no trend is made up from one point).
-- One statement per history: each part is one probe of its (customer_id, org_id,
-- recorded_at desc) index, and the fallback runs only without a row 90 days back.
create or replace function app.context_latest_and_baseline(
  history anyelement, customer_id uuid, org_id uuid, as_of timestamptz, out points anyarray)
language plpgsql
stable
set search_path = ''
as $$
-- plpgsql_check lints a polymorphic function with one stand-in type for anyelement, so two
-- of the three branches below look like casts between unrelated row types; each branch only
-- runs for its own type (chosen by pg_typeof), and pgTAP covers all three. A static query per
-- table keeps its plan cached: the one dynamic query for all three cost 0.4 ms more per
-- customer context (measured on the 100k organisation).
-- @plpgsql_check_options: without_warnings
#variable_conflict use_variable
declare
  v_window_start constant timestamptz := as_of - interval '90 days';
  v_history constant regtype := pg_typeof(history);
begin
  if v_history = 'app.customer_score_history'::regtype then
    select array[l.point, coalesce(b.point, y.point)] into points
      from (select h as point from app.customer_score_history h
             where h.customer_id = customer_id and h.org_id = org_id and h.recorded_at <= as_of
             order by h.recorded_at desc, h.created_at desc limit 1) l
      left join lateral (select h as point from app.customer_score_history h
             where h.customer_id = customer_id and h.org_id = org_id
               and h.recorded_at <= v_window_start and h.recorded_at < (l.point).recorded_at
             order by h.recorded_at desc, h.created_at desc limit 1) b on true
      left join lateral (select h as point from app.customer_score_history h
             where b.point is null and h.customer_id = customer_id and h.org_id = org_id
               and h.recorded_at > v_window_start and h.recorded_at < (l.point).recorded_at
             order by h.recorded_at, h.created_at limit 1) y on true;
  elsif v_history = 'app.arr_history'::regtype then
    select array[l.point, coalesce(b.point, y.point)] into points
      from (select h as point from app.arr_history h
             where h.customer_id = customer_id and h.org_id = org_id and h.recorded_at <= as_of
             order by h.recorded_at desc, h.created_at desc limit 1) l
      left join lateral (select h as point from app.arr_history h
             where h.customer_id = customer_id and h.org_id = org_id
               and h.recorded_at <= v_window_start and h.recorded_at < (l.point).recorded_at
             order by h.recorded_at desc, h.created_at desc limit 1) b on true
      left join lateral (select h as point from app.arr_history h
             where b.point is null and h.customer_id = customer_id and h.org_id = org_id
               and h.recorded_at > v_window_start and h.recorded_at < (l.point).recorded_at
             order by h.recorded_at, h.created_at limit 1) y on true;
  elsif v_history = 'app.usage_snapshots'::regtype then
    select array[l.point, coalesce(b.point, y.point)] into points
      from (select h as point from app.usage_snapshots h
             where h.customer_id = customer_id and h.org_id = org_id and h.recorded_at <= as_of
             order by h.recorded_at desc, h.created_at desc limit 1) l
      left join lateral (select h as point from app.usage_snapshots h
             where h.customer_id = customer_id and h.org_id = org_id
               and h.recorded_at <= v_window_start and h.recorded_at < (l.point).recorded_at
             order by h.recorded_at desc, h.created_at desc limit 1) b on true
      left join lateral (select h as point from app.usage_snapshots h
             where b.point is null and h.customer_id = customer_id and h.org_id = org_id
               and h.recorded_at > v_window_start and h.recorded_at < (l.point).recorded_at
             order by h.recorded_at, h.created_at limit 1) y on true;
  else
    raise exception 'no trend is kept for %', v_history using errcode = '22023';
  end if;
end;
$$;
comment on function app.context_latest_and_baseline(anyelement, uuid, uuid, timestamptz) is
  'A customer history''s latest row and its 90-day baseline (the row in effect 90 days ago, else the oldest since).';
revoke execute on function app.context_latest_and_baseline(anyelement, uuid, uuid, timestamptz) from public, anon, authenticated;

-- The renewal clock, shown in both `customer` and `workflow`: days to the renewal and to the
-- decision date and the stage, computed as of today in the organisation's time zone (a
-- stored stage can be a day behind). The stage runs on the decision date (the notice
-- deadline when the contract auto-renews).
create or replace function app.context_renewal_clock(c app.customers, today date)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
begin
  return jsonb_build_object(
    'renewal_date', c.renewal_date,
    'days_until_renewal', c.renewal_date - today,
    'decision_date', c.decision_date,
    'days_until_decision', c.decision_date - today,
    'renewal_stage', app.calculate_renewal_stage(c.decision_date, today),
    'account_plan', c.account_plan);
end;
$$;
comment on function app.context_renewal_clock(app.customers, date) is 'Days to renewal and decision, and the stage, as of today.';
revoke execute on function app.context_renewal_clock(app.customers, date) from public, anon, authenticated;

-- `customer`: the stored customer and its renewal clock.
create or replace function app.context_customer(c app.customers, clock jsonb)
returns app.context_part
language plpgsql
stable
set search_path = ''
as $$
begin
  return row(jsonb_build_object(
    'id', c.id, 'external_id', c.external_id, 'name', c.name, 'domain', c.domain,
    'industry', c.industry, 'arr', c.arr, 'health_score', c.health_score,
    'risk_score', c.risk_score, 'opportunity_score', c.opportunity_score,
    'assigned_to', c.assigned_to, 'account_executive_id', c.account_executive_id,
    'support_engineer_id', c.support_engineer_id, 'metadata', c.metadata,
    'created_at', c.created_at, 'updated_at', c.updated_at
  ) || clock, c.updated_at)::app.context_part;
end;
$$;
comment on function app.context_customer(app.customers, jsonb) is 'The customer part of get_customer_context.';
revoke execute on function app.context_customer(app.customers, jsonb) from public, anon, authenticated;

-- One score of `intelligence`: today's score (from the customer), its 90-day baseline, the
-- change and the trend (5 points make a move).
create or replace function app.context_score(score integer, baseline integer, baseline_at timestamptz)
returns jsonb
language plpgsql
immutable
set search_path = ''
as $$
begin
  return jsonb_build_object(
    'score', score,
    'baseline', baseline,
    'baseline_at', case when baseline is not null then baseline_at end,
    'change', score - baseline,
    'trend', app.trend_direction(score, baseline, 5));
end;
$$;
comment on function app.context_score(integer, integer, timestamptz) is 'One score of the intelligence part: today, 90-day baseline, change and trend.';
revoke execute on function app.context_score(integer, integer, timestamptz) from public, anon, authenticated;

-- `intelligence`: health, risk and opportunity with their 90-day trends; fresh as of the
-- newest score row.
create or replace function app.context_intelligence(
  customer_id uuid, org_id uuid, health_score integer, risk_score integer, opportunity_score integer,
  as_of timestamptz)
returns app.context_part
language plpgsql
stable
set search_path = ''
as $$
declare
  v_points app.customer_score_history[];
  b app.customer_score_history;
begin
  v_points := app.context_latest_and_baseline(null::app.customer_score_history, customer_id, org_id, as_of);
  b := v_points[2];
  return row(jsonb_build_object(
    'trend_window_days', 90,
    'health', app.context_score(health_score, b.health_score, b.recorded_at),
    'risk', app.context_score(risk_score, b.risk_score, b.recorded_at),
    'opportunity', app.context_score(opportunity_score, b.opportunity_score, b.recorded_at)
  ), (v_points[1]).recorded_at)::app.context_part;
end;
$$;
comment on function app.context_intelligence(uuid, uuid, integer, integer, integer, timestamptz) is 'The intelligence part of get_customer_context.';
revoke execute on function app.context_intelligence(uuid, uuid, integer, integer, integer, timestamptz) from public, anon, authenticated;

-- `data.financials`: ARR from its history (current, the value before the last change and
-- when it changed, growth, the 90-day trend where a 1% move counts), the year's series for
-- the chart and the contract in force; fresh as of the newer of the newest ARR row and the
-- contract.
create or replace function app.context_financials(customer_id uuid, org_id uuid, customer_arr numeric, as_of timestamptz)
returns app.context_part
language plpgsql
stable
set search_path = ''
as $$
#variable_conflict use_variable
declare
  v_points app.arr_history[];
  v_latest app.arr_history;
  b app.arr_history;
  v_previous numeric;
  v_changed_at timestamptz;
  v_current numeric;
  v_series jsonb;
  k app.contracts;
begin
  v_points := app.context_latest_and_baseline(null::app.arr_history, customer_id, org_id, as_of);
  v_latest := v_points[1];
  b := v_points[2];
  v_current := coalesce(v_latest.arr, customer_arr);
  -- The ARR before the last change (history may repeat an unchanged value) and the first
  -- time the newest value was recorded.
  select p.arr, (select min(h.recorded_at) from app.arr_history h
                  where h.customer_id = customer_id and h.org_id = org_id
                    and h.recorded_at > p.recorded_at and h.recorded_at <= v_latest.recorded_at)
    into v_previous, v_changed_at
    from app.arr_history p
   where p.customer_id = customer_id and p.org_id = org_id
     and p.recorded_at < v_latest.recorded_at and p.arr <> v_latest.arr
   order by p.recorded_at desc, p.created_at desc
   limit 1;
  -- The year's series for the chart (at most 100 points), with the value in effect when the
  -- year began so the line starts at the left edge.
  select coalesce(jsonb_agg(jsonb_build_object('recorded_at', x.recorded_at, 'arr', x.arr)
                            order by x.recorded_at, x.created_at), '[]'::jsonb)
    into v_series
    from ((select h.recorded_at, h.created_at, h.arr from app.arr_history h
            where h.customer_id = customer_id and h.org_id = org_id and h.recorded_at <= as_of - interval '365 days'
            order by h.recorded_at desc, h.created_at desc limit 1)
          union all
          (select h.recorded_at, h.created_at, h.arr from app.arr_history h
            where h.customer_id = customer_id and h.org_id = org_id
              and h.recorded_at > as_of - interval '365 days' and h.recorded_at <= as_of
            order by h.recorded_at desc, h.created_at desc limit 100)) x;
  -- The contract in force: active, latest end date first (an open-ended one before all).
  select * into k
    from app.contracts x
   where x.customer_id = customer_id and x.org_id = org_id and x.status = 'active'
   order by x.end_date desc nulls first, x.start_date desc
   limit 1;
  return row(jsonb_build_object(
    'current_arr', v_current,
    'current_arr_recorded_at', v_latest.recorded_at,
    'previous_arr', v_previous,
    'arr_changed_at', v_changed_at,
    'arr_change', v_current - v_previous,
    'growth_rate', case when v_previous > 0 then round((v_current - v_previous) / v_previous, 4) end,
    'baseline_arr', b.arr,
    'baseline_at', b.recorded_at,
    'trend', app.trend_direction(v_current, b.arr, 0.01),
    'history', v_series,
    'contract', case when k.id is not null then jsonb_build_object(
      'id', k.id, 'contract_number', k.contract_number, 'status', k.status,
      'start_date', k.start_date, 'end_date', k.end_date, 'annual_value', k.annual_value,
      'currency', k.currency, 'auto_renew', k.auto_renew,
      'notice_period_days', k.notice_period_days, 'terms', k.terms) end
  ), greatest(v_latest.recorded_at, k.updated_at))::app.context_part;
end;
$$;
comment on function app.context_financials(uuid, uuid, numeric, timestamptz) is 'The financials part of get_customer_context.';
revoke execute on function app.context_financials(uuid, uuid, numeric, timestamptz) from public, anon, authenticated;

-- `data.usage`: the latest snapshot with utilisation, the trend of active users against the
-- 90-day baseline (a move of 5% of the baseline, at least one user) and the last 180 days
-- for the chart (at most 60 snapshots, oldest first); fresh as of the latest snapshot.
create or replace function app.context_usage(customer_id uuid, org_id uuid, as_of timestamptz)
returns app.context_part
language plpgsql
stable
set search_path = ''
as $$
#variable_conflict use_variable
declare
  v_points app.usage_snapshots[];
  u app.usage_snapshots;
  b app.usage_snapshots;
  v_series jsonb;
begin
  v_points := app.context_latest_and_baseline(null::app.usage_snapshots, customer_id, org_id, as_of);
  u := v_points[1];
  b := v_points[2];
  select coalesce(jsonb_agg(jsonb_build_object(
           'recorded_at', x.recorded_at, 'active_users', x.active_users, 'licensed_seats', x.licensed_seats
         ) order by x.recorded_at), '[]'::jsonb)
    into v_series
    from (select s.recorded_at, s.active_users, s.licensed_seats
            from app.usage_snapshots s
           where s.customer_id = customer_id and s.org_id = org_id
             and s.recorded_at > as_of - interval '180 days' and s.recorded_at <= as_of
           order by s.recorded_at desc
           limit 60) x;
  -- A subquery-free return keeps the SQL helpers' plans for the transaction.
  return row(jsonb_build_object(
    'active_users', u.active_users,
    'licensed_seats', u.licensed_seats,
    'utilisation', case when u.licensed_seats > 0 then round(u.active_users::numeric / u.licensed_seats, 4) end,
    'recorded_at', u.recorded_at,
    'metrics', u.metrics,
    'baseline_active_users', b.active_users,
    'baseline_at', b.recorded_at,
    'trend', app.trend_direction(u.active_users, b.active_users, greatest(0.05 * b.active_users, 1)),
    'history', v_series
  ), u.recorded_at)::app.context_part;
end;
$$;
comment on function app.context_usage(uuid, uuid, timestamptz) is 'The usage part of get_customer_context.';
revoke execute on function app.context_usage(uuid, uuid, timestamptz) from public, anon, authenticated;

-- `data.engagement`: last contact (meeting, email, call or QBR), QBRs before and after now
-- (a future event is scheduled), the latest NPS and open tickets (null when the customer
-- has no ticket data at all); fresh as of the newest event that has happened. One
-- statement: each figure is one probe of a per-customer index.
create or replace function app.context_engagement(customer_id uuid, org_id uuid, as_of timestamptz, today date, time_zone text)
returns app.context_part
language plpgsql
stable
set search_path = ''
as $$
#variable_conflict use_variable
declare
  v_part app.context_part;
begin
  -- The two columns fill v_part's body and freshness.
  select jsonb_build_object(
           'last_contact_at', lc.occurred_at,
           'last_contact_type', lc.event_type,
           'days_since_last_contact', today - (lc.occurred_at at time zone time_zone)::date,
           'last_qbr_at', (select max(e.occurred_at) from app.engagement_events e
                            where e.customer_id = customer_id and e.org_id = org_id
                              and e.event_type = 'qbr' and e.occurred_at <= as_of),
           'next_qbr_at', (select min(e.occurred_at) from app.engagement_events e
                            where e.customer_id = customer_id and e.org_id = org_id
                              and e.event_type = 'qbr' and e.occurred_at > as_of),
           'nps_score', nps.nps_score,
           'nps_recorded_at', nps.occurred_at,
           'open_tickets', case when exists (
               select 1 from app.engagement_events e
                where e.customer_id = customer_id and e.org_id = org_id and e.event_type = 'support_ticket')
             then (select count(*)::integer from app.engagement_events e
                    where e.customer_id = customer_id and e.org_id = org_id
                      and e.event_type = 'support_ticket' and e.ticket_status in ('open', 'pending')) end),
         (select e.occurred_at from app.engagement_events e
           where e.customer_id = customer_id and e.org_id = org_id and e.occurred_at <= as_of
           order by e.occurred_at desc limit 1)
    into v_part
    from (select) as one
    left join lateral (
      select e.occurred_at, e.event_type from app.engagement_events e
       where e.customer_id = customer_id and e.org_id = org_id
         and e.event_type in ('meeting', 'email', 'call', 'qbr') and e.occurred_at <= as_of
       order by e.occurred_at desc limit 1) lc on true
    left join lateral (
      select e.occurred_at, e.nps_score from app.engagement_events e
       where e.customer_id = customer_id and e.org_id = org_id and e.event_type = 'nps' and e.occurred_at <= as_of
       order by e.occurred_at desc limit 1) nps on true;
  return v_part;
end;
$$;
comment on function app.context_engagement(uuid, uuid, timestamptz, date, text) is 'The engagement part of get_customer_context.';
revoke execute on function app.context_engagement(uuid, uuid, timestamptz, date, text) from public, anon, authenticated;

-- `workflow`: the renewal clock, the execution asked about (else the customer's newest open
-- renewal) and every open execution of the customer (at most 20, most urgent first); fresh
-- as of that execution's last update.
create or replace function app.context_workflow(customer_id uuid, org_id uuid, execution_id uuid, clock jsonb)
returns app.context_part
language plpgsql
stable
set search_path = ''
as $$
#variable_conflict use_variable
declare
  x record;
  v_open jsonb;
begin
  select e.id, w.key as workflow_key, w.name as workflow_name, w.workflow_type, e.status,
         e.priority_score, e.priority_factors, e.renewal_stage, e.current_step_key,
         e.assigned_to, e.snoozed_until, e.created_at, e.updated_at
    into x
    from app.workflow_executions e
    join app.workflows w on w.id = e.workflow_id
   -- The execution asked about, else the customer's newest open renewal (looked up only
   -- when no execution was named).
   where e.id = coalesce(execution_id, (
           select o.id from app.workflow_executions o join app.workflows ow on ow.id = o.workflow_id
            where o.customer_id = customer_id and o.org_id = org_id and ow.workflow_type = 'renewal'
              and o.status in ('queued', 'in_progress', 'snoozed', 'escalated')
            order by o.created_at desc
            limit 1))
     and e.org_id = org_id;
  select coalesce(jsonb_agg(jsonb_build_object(
           'id', o.id, 'workflow_key', o.key, 'workflow_type', o.workflow_type,
           'status', o.status, 'priority_score', o.priority_score
         ) order by o.priority_score desc, o.id), '[]'::jsonb)
    into v_open
    from (select e.id, w.key, w.workflow_type, e.status, e.priority_score
            from app.workflow_executions e
            join app.workflows w on w.id = e.workflow_id
           where e.customer_id = customer_id and e.org_id = org_id
             and e.status in ('queued', 'in_progress', 'snoozed', 'escalated')
           order by e.priority_score desc, e.id
           limit 20) o;
  return row(clock || jsonb_build_object(
    'priority_score', x.priority_score,
    'execution', case when x.id is null then null else jsonb_build_object(
      'id', x.id, 'workflow_key', x.workflow_key, 'workflow_name', x.workflow_name,
      'workflow_type', x.workflow_type, 'status', x.status, 'priority_score', x.priority_score,
      'priority_factors', x.priority_factors, 'renewal_stage', x.renewal_stage,
      'current_step_key', x.current_step_key, 'assigned_to', x.assigned_to,
      'snoozed_until', x.snoozed_until, 'created_at', x.created_at) end,
    'open_executions', v_open
  ), x.updated_at)::app.context_part;
end;
$$;
comment on function app.context_workflow(uuid, uuid, uuid, jsonb) is 'The workflow part of get_customer_context.';
revoke execute on function app.context_workflow(uuid, uuid, uuid, jsonb) from public, anon, authenticated;

-- `account_team`: the CSM, account executive and support engineer from profiles, and the
-- customer's stakeholders (at most 100, decision makers and champions first); fresh as of
-- the newest of those rows.
create or replace function app.context_account_team(
  customer_id uuid, org_id uuid, csm_id uuid, account_executive_id uuid, support_engineer_id uuid)
returns app.context_part
language plpgsql
stable
set search_path = ''
as $$
#variable_conflict use_variable
declare
  v_part app.context_part;
begin
  -- The two columns fill v_part's body and freshness.
  select jsonb_build_object(
           'csm', t.team -> 'csm',
           'account_executive', t.team -> 'account_executive',
           'support_engineer', t.team -> 'support_engineer',
           'stakeholders', s.list),
         greatest(t.updated_at, s.updated_at)
    into v_part
    from (select jsonb_object_agg(r.part, jsonb_build_object(
                   'id', p.id, 'full_name', p.full_name, 'email', p.email, 'title', p.title, 'role', p.role)
                 ) as team,
                 max(p.updated_at) as updated_at
            from (values ('csm', csm_id), ('account_executive', account_executive_id),
                         ('support_engineer', support_engineer_id)) as r(part, person_id)
            join app.profiles p on p.id = r.person_id and p.org_id = org_id) t,
         (select coalesce(jsonb_agg(jsonb_build_object(
                   'id', x.id, 'name', x.name, 'email', x.email, 'title', x.title, 'role', x.role,
                   'influence', x.influence, 'is_champion', x.is_champion,
                   'is_decision_maker', x.is_decision_maker, 'last_contacted_at', x.last_contacted_at
                 ) order by x.is_decision_maker desc, x.is_champion desc,
                            case x.influence when 'high' then 0 when 'medium' then 1 when 'low' then 2 else 3 end,
                            x.name, x.id), '[]'::jsonb) as list,
                 max(x.updated_at) as updated_at
            from (select * from app.stakeholders k
                   where k.customer_id = customer_id and k.org_id = org_id
                   order by k.name
                   limit 100) x) s;
  return v_part;
end;
$$;
comment on function app.context_account_team(uuid, uuid, uuid, uuid, uuid) is 'The account team part of get_customer_context.';
revoke execute on function app.context_account_team(uuid, uuid, uuid, uuid, uuid) from public, anon, authenticated;

-- The dispatcher: find the customer (directly or through the execution, in the caller's
-- organisation only: PT404 otherwise, as if it did not exist) and today's date in the
-- organisation's time zone, then one call per part.
create or replace function app.customer_context(customer_id uuid, execution_id uuid)
returns jsonb
language plpgsql
stable
security definer -- row-level security would re-run the membership helper for each of ~20 table reads; this reads one organisation's rows, filtered explicitly
set search_path = ''
as $$
declare
  v_now constant timestamptz := now();
  v_customer_id uuid := customer_context.customer_id;
  c app.customers;
  v_time_zone text;
  v_today date;
  v_clock jsonb;
  v_customer app.context_part;
  v_intelligence app.context_part;
  v_financials app.context_part;
  v_usage app.context_part;
  v_engagement app.context_part;
  v_workflow app.context_part;
  v_team app.context_part;
begin
  if (customer_context.customer_id is null) = (customer_context.execution_id is null) then
    raise exception 'Pass exactly one of customer_id or execution_id' using errcode = '22023',
      hint = 'Call get_customer_context(customer_id => ...) or get_customer_context(execution_id => ...).';
  end if;
  if customer_context.execution_id is not null then
    select e.customer_id into v_customer_id
      from app.workflow_executions e
     where e.id = customer_context.execution_id and e.org_id = (select app.current_org_id());
    if not found then
      raise exception 'Workflow execution not found' using errcode = 'PT404',
        hint = 'Check the execution id; you only see executions of your own organisation.';
    end if;
  end if;
  select * into c from app.customers x where x.id = v_customer_id and x.org_id = (select app.current_org_id());
  if not found then
    raise exception 'Customer not found' using errcode = 'PT404',
      hint = 'Check the customer id; you only see customers of your own organisation.';
  end if;
  v_time_zone := coalesce((select st.time_zone from app.organisation_settings st where st.org_id = c.org_id), 'UTC');
  v_today := (v_now at time zone v_time_zone)::date;

  v_clock := app.context_renewal_clock(c, v_today);
  v_customer := app.context_customer(c, v_clock);
  v_intelligence := app.context_intelligence(c.id, c.org_id, c.health_score, c.risk_score, c.opportunity_score, v_now);
  v_financials := app.context_financials(c.id, c.org_id, c.arr, v_now);
  v_usage := app.context_usage(c.id, c.org_id, v_now);
  v_engagement := app.context_engagement(c.id, c.org_id, v_now, v_today, v_time_zone);
  v_workflow := app.context_workflow(c.id, c.org_id, customer_context.execution_id, v_clock);
  v_team := app.context_account_team(c.id, c.org_id, c.assigned_to, c.account_executive_id, c.support_engineer_id);

  return jsonb_build_object(
    'customer', v_customer.body,
    'intelligence', v_intelligence.body,
    'data', jsonb_build_object(
      'financials', v_financials.body, 'usage', v_usage.body, 'engagement', v_engagement.body),
    'workflow', v_workflow.body,
    'account_team', v_team.body,
    'freshness', jsonb_build_object(
      'as_of', v_now, 'today', v_today,
      'customer', v_customer.freshness, 'intelligence', v_intelligence.freshness,
      'financials', v_financials.freshness, 'usage', v_usage.freshness,
      'engagement', v_engagement.freshness, 'workflow', v_workflow.freshness,
      'account_team', v_team.freshness));
end;
$$;
comment on function app.customer_context(uuid, uuid) is 'The body of get_customer_context for a customer of the caller''s organisation (PT404 otherwise).';
grant execute on function app.customer_context(uuid, uuid) to authenticated;

-- The API function: security invoker, so row-level security first decides whether the
-- caller sees the customer (or execution) at all; only then is the context assembled.
create or replace function public.get_customer_context(customer_id uuid default null, execution_id uuid default null)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
begin
  if (get_customer_context.customer_id is null) = (get_customer_context.execution_id is null) then
    raise exception 'Pass exactly one of customer_id or execution_id' using errcode = '22023',
      hint = 'Call get_customer_context(customer_id => ...) or get_customer_context(execution_id => ...).';
  end if;

  if get_customer_context.execution_id is not null then
    -- Visibility only: row-level security decides whether the caller sees it.
    perform 1 from app.workflow_executions e where e.id = get_customer_context.execution_id;
    if not found then
      raise exception 'Workflow execution not found' using errcode = 'PT404',
        hint = 'Check the execution id; you only see executions of your own organisation.';
    end if;
  else
    perform 1 from app.customers c where c.id = get_customer_context.customer_id;
    if not found then
      raise exception 'Customer not found' using errcode = 'PT404',
        hint = 'Check the customer id; you only see customers of your own organisation.';
    end if;
  end if;

  return app.customer_context(get_customer_context.customer_id, get_customer_context.execution_id);
end;
$$;
comment on function public.get_customer_context(uuid, uuid) is 'One customer with intelligence, financials, usage, engagement, workflow view, account team and freshness, all from stored history.';
revoke execute on function public.get_customer_context(uuid, uuid) from public, anon;
grant execute on function public.get_customer_context(uuid, uuid) to authenticated;

-- All string values of a JSON document, in document order: the text of an artifact.
create or replace function app.jsonb_text(doc jsonb)
returns text
language sql
immutable
set search_path = ''
as $$
  select coalesce(string_agg(v #>> '{}', E'\n'), '')
    from jsonb_path_query(coalesce(doc, 'null'::jsonb), 'strict $.** ? (@.type() == "string")') v
$$;
grant execute on function app.jsonb_text(jsonb) to authenticated, service_role;

-- ---------------------------------------------------------------------------------
-- app.index_customer_history: upsert one passage by its source
-- ---------------------------------------------------------------------------------
-- For code that owns a source (the contracts code indexes contract text with
-- source_kind 'contract'). Call it from a security definer function or as the service
-- role; a null or blank body removes the passage. A source id already indexed for
-- another organisation is never moved across (the update matches org_id too).
create or replace function app.index_customer_history(
  p_org_id uuid,
  p_customer_id uuid,
  p_source_kind text,
  p_source_id uuid,
  p_occurred_at timestamptz,
  p_title text,
  p_body text
)
returns void
language plpgsql
volatile
security definer -- writes the passages table, which has no write policy for people
set search_path = ''
as $$
begin
  if p_org_id is null or p_customer_id is null or p_source_id is null or p_source_kind is null then
    raise exception 'org, customer, source kind and source id are required' using errcode = '22023',
      hint = 'Pass the ids of the row being indexed.';
  end if;
  if nullif(btrim(coalesce(p_title, '') || coalesce(p_body, '')), '') is null then
    delete from app.customer_history_passages h
     where h.source_kind = p_source_kind and h.source_id = p_source_id and h.org_id = p_org_id;
    return;
  end if;
  insert into app.customer_history_passages as h (org_id, customer_id, source_kind, source_id, occurred_at, title, body)
  values (p_org_id, p_customer_id, p_source_kind, p_source_id, coalesce(p_occurred_at, now()),
          left(coalesce(p_title, ''), 500), left(coalesce(p_body, ''), 60000))
  on conflict (source_kind, source_id) do update
     set customer_id = excluded.customer_id, occurred_at = excluded.occurred_at,
         title = excluded.title, body = excluded.body
   where h.org_id = excluded.org_id;
end;
$$;
comment on function app.index_customer_history(uuid, uuid, text, uuid, timestamptz, text, text) is
  'Upserts the history passage of one source row (source_kind engagement/email/artifact/thread_summary/contract); a blank text removes it.';
revoke execute on function app.index_customer_history(uuid, uuid, text, uuid, timestamptz, text, text) from public, anon, authenticated;
grant execute on function app.index_customer_history(uuid, uuid, text, uuid, timestamptz, text, text) to service_role;

-- ---------------------------------------------------------------------------------
-- What each source contributes (one select per kind, used by triggers and the backfill)
-- ---------------------------------------------------------------------------------

-- Engagement events: notes, calls, meetings, tickets, NPS.
create or replace function app.history_engagement_text(e app.engagement_events)
returns text
language sql
immutable
set search_path = ''
as $$
  select concat_ws(E'\n',
    nullif(e.description, ''),
    case when e.nps_score is not null then format('NPS score %s', e.nps_score) end,
    case when e.ticket_status is not null then format('Ticket status: %s', e.ticket_status) end,
    nullif(e.metadata ->> 'summary', ''),
    nullif(e.metadata ->> 'notes', ''))
$$;
grant execute on function app.history_engagement_text(app.engagement_events) to authenticated, service_role;

create or replace function app.history_engagement_title(e app.engagement_events)
returns text
language sql
immutable
set search_path = ''
as $$
  select coalesce(nullif(e.title, ''), initcap(replace(e.event_type, '_', ' ')))
$$;
grant execute on function app.history_engagement_title(app.engagement_events) to authenticated, service_role;

-- Engagement events: statement-level, set-based.
create or replace function app.index_engagement_history()
returns trigger
language plpgsql
security definer -- writes the passages table, which has no write policy for people
set search_path = ''
as $$
begin
  if tg_op = 'DELETE' then
    delete from app.customer_history_passages h
     using old_rows o
     where h.source_kind = 'engagement' and h.source_id = o.id;
    return null;
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    insert into app.customer_history_passages as h (org_id, customer_id, source_kind, source_id, occurred_at, title, body)
    select n.org_id, n.customer_id, 'engagement', n.id, n.occurred_at,
           left(app.history_engagement_title(n), 500),
           left(coalesce(app.history_engagement_text(n), ''), 60000)
      from new_rows n
    on conflict (source_kind, source_id) do update
       set customer_id = excluded.customer_id, occurred_at = excluded.occurred_at,
           title = excluded.title, body = excluded.body
     where h.org_id = excluded.org_id
       and (h.title, h.body, h.occurred_at, h.customer_id) is distinct from
           (excluded.title, excluded.body, excluded.occurred_at, excluded.customer_id);
  end if;
  return null;
end;
$$;

-- Emails: indexed once sent (the customer is the workflow's).
create or replace function app.index_email_history()
returns trigger
language plpgsql
security definer -- writes the passages table, which has no write policy for people
set search_path = ''
as $$
begin
  if new.status = 'sent' and new.execution_id is not null
     and (tg_op = 'INSERT' or old.status is distinct from 'sent' or old.subject is distinct from new.subject
          or old.body_text is distinct from new.body_text) then
    insert into app.customer_history_passages as h (org_id, customer_id, source_kind, source_id, occurred_at, title, body)
    select new.org_id, e.customer_id, 'email', new.id, coalesce(new.sent_at, now()),
           left(new.subject, 500),
           left(concat_ws(E'\n', 'To: ' || array_to_string(new.to_addresses, ', '), new.body_text), 60000)
      from app.workflow_executions e
     where e.id = new.execution_id and e.org_id = new.org_id
    on conflict (source_kind, source_id) do update
       set occurred_at = excluded.occurred_at, title = excluded.title, body = excluded.body
     where h.org_id = excluded.org_id;
  end if;
  return null;
end;
$$;

-- Artifacts: approved ones, and the AI summary of a chat thread (a thread summary is
-- history as soon as it is written). Withdrawing approval removes the passage.
create or replace function app.index_artifact_history()
returns trigger
language plpgsql
security definer -- writes the passages table, which has no write policy for people
set search_path = ''
as $$
declare
  kind text := case when new.artifact_type = 'summary' and new.thread_id is not null then 'thread_summary' else 'artifact' end;
begin
  if new.approved_at is not null or kind = 'thread_summary' then
    insert into app.customer_history_passages as h (org_id, customer_id, source_kind, source_id, occurred_at, title, body)
    select new.org_id, e.customer_id, kind, new.id, coalesce(new.approved_at, new.created_at),
           left(new.title, 500), left(app.jsonb_text(new.content), 60000)
      from app.workflow_executions e
     where e.id = new.execution_id and e.org_id = new.org_id
    on conflict (source_kind, source_id) do update
       set occurred_at = excluded.occurred_at, title = excluded.title, body = excluded.body
     where h.org_id = excluded.org_id;
  elsif tg_op = 'UPDATE' then
    delete from app.customer_history_passages h where h.source_kind = 'artifact' and h.source_id = new.id;
  end if;
  return null;
end;
$$;

-- Deleting a source row removes its passage (engagement has its own statement trigger;
-- customers cascade through the foreign key).
create or replace function app.forget_history_source()
returns trigger
language plpgsql
security definer -- writes the passages table, which has no write policy for people
set search_path = ''
as $$
begin
  delete from app.customer_history_passages h
   where h.source_kind = any (tg_argv) and h.source_id = old.id;
  return null;
end;
$$;

-- ---------------------------------------------------------------------------------
-- Search
-- ---------------------------------------------------------------------------------

-- The best passages of one customer for a tsquery, ranked (title matches weigh more,
-- then the newer passage). Security invoker: row-level security applies to the caller.
create or replace function app.search_history_passages(p_org_id uuid, p_customer_id uuid, p_query tsquery, p_limit integer)
returns table (source_kind text, source_id uuid, occurred_at timestamptz, title text, snippet text, rank real)
language sql
stable
set search_path = ''
as $$
  select top.source_kind, top.source_id, top.occurred_at, top.title,
         ts_headline('english'::regconfig, left(top.body, 5000), p_query,
                     'MaxWords=35, MinWords=12, MaxFragments=2, FragmentDelimiter=" … ", StartSel=**, StopSel=**') as snippet,
         top.rank
    from (
      select h.source_kind, h.source_id, h.occurred_at, h.title,
             case when h.body = '' then h.title else h.body end as body,
             ts_rank_cd(h.search, p_query, 1)::real as rank
        from app.customer_history_passages h
       where h.org_id = p_org_id and h.customer_id = p_customer_id and h.search @@ p_query
       order by rank desc, h.occurred_at desc, h.source_id
       limit p_limit
    ) top
   order by top.rank desc, top.occurred_at desc, top.source_id
$$;
grant execute on function app.search_history_passages(uuid, uuid, tsquery, integer) to authenticated, service_role;

create or replace function public.search_customer_history(customer_id uuid, query text, max_results integer default 8)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  customer app.customers;
  tsq tsquery;
begin
  if search_customer_history.customer_id is null then
    raise exception 'customer_id is required' using errcode = '22023', hint = 'Pass the id of a customer.';
  end if;
  if search_customer_history.query is null or btrim(search_customer_history.query) = '' then
    raise exception 'query must not be empty' using errcode = '22023', hint = 'Type the words to look for, e.g. "pricing objection".';
  end if;
  if length(search_customer_history.query) > 500 then
    raise exception 'query is longer than 500 characters' using errcode = '22023', hint = 'Shorten the search.';
  end if;
  if search_customer_history.max_results is null or search_customer_history.max_results not between 1 and 50 then
    raise exception 'max_results must be between 1 and 50' using errcode = '22023', hint = 'Leave max_results out for 8.';
  end if;

  select c.* into customer from app.customers c where c.id = search_customer_history.customer_id;
  perform app.require_found(found, 'Customer', 'customer', 'customers');

  tsq := websearch_to_tsquery('english'::regconfig, search_customer_history.query);
  if numnode(tsq) = 0 then
    return '[]'::jsonb; -- only stop words: nothing to look for
  end if;

  return coalesce((
    select jsonb_agg(jsonb_build_object(
             'source_kind', r.source_kind, 'source_id', r.source_id, 'occurred_at', r.occurred_at,
             'title', r.title, 'snippet', r.snippet, 'rank', round(r.rank::numeric, 4))
             order by r.rank desc, r.occurred_at desc, r.source_id)
      from app.search_history_passages(customer.org_id, customer.id, tsq, search_customer_history.max_results) r
  ), '[]'::jsonb);
end;
$$;
comment on function public.search_customer_history(uuid, text, integer) is
  'Full-text search over one customer''s history (websearch syntax): [{source_kind, source_id, occurred_at, title, snippet, rank}], best first.';
revoke execute on function public.search_customer_history(uuid, text, integer) from public, anon;
grant execute on function public.search_customer_history(uuid, text, integer) to authenticated;

---------------------------------------------------------------------------------------
-- 2. log_engagement
---------------------------------------------------------------------------------------

-- The definer part lives in app (no definer function in public); it makes every check itself.
create or replace function app.log_engagement(
  customer_id uuid,
  kind text,
  occurred_at timestamptz,
  summary text,
  details jsonb
)
returns jsonb
language plpgsql
security definer -- the insert policy on engagement_events is managers/admins only; the checks below allow csms too
set search_path = ''
as $$
declare
  v_me uuid := (select auth.uid());
  v_org uuid := app.current_org_id();
  v_role text := app.current_member_role();
  v_summary text := btrim(coalesce(log_engagement.summary, ''));
  v_details jsonb := coalesce(log_engagement.details, '{}'::jsonb);
  e app.engagement_events;
begin
  if v_org is null then
    raise exception 'Only members of an organisation can log activity' using errcode = '42501';
  end if;
  if v_role not in ('csm', 'manager', 'admin') then
    raise exception 'Your role may not log activity' using errcode = '42501',
      hint = 'Viewers can read a customer''s timeline but not add to it.';
  end if;
  if log_engagement.customer_id is null then
    raise exception 'customer_id is required' using errcode = '22023';
  end if;
  if not exists (select 1 from app.customers c where c.id = log_engagement.customer_id and c.org_id = v_org) then
    raise exception 'Customer not found' using errcode = 'PT404',
      hint = 'Check the id; you can only see customers of your own organisation.';
  end if;
  if log_engagement.kind is null or log_engagement.kind not in ('note', 'call', 'meeting', 'email') then
    raise exception 'kind must be note, call, meeting or email' using errcode = '22023';
  end if;
  if log_engagement.occurred_at is null then
    raise exception 'occurred_at is required' using errcode = '22023', hint = 'When did it happen?';
  end if;
  -- What happened, not what is planned (a few minutes' grace for a skewed clock).
  if log_engagement.occurred_at > now() + interval '5 minutes' or log_engagement.occurred_at < now() - interval '10 years' then
    raise exception 'occurred_at must be in the past (within the last ten years)' using errcode = '22023',
      hint = 'Log what happened; plan future meetings as tasks.';
  end if;
  if v_summary = '' then
    raise exception 'summary is required' using errcode = '22023', hint = 'Say in a few words what happened.';
  end if;
  if length(v_summary) > 4000 then
    raise exception 'summary must be at most 4000 characters' using errcode = '22023';
  end if;
  if jsonb_typeof(v_details) <> 'object' then
    raise exception 'details must be a JSON object' using errcode = '22023';
  end if;
  if length(v_details::text) > 16000 then
    raise exception 'details must be at most 16 kB' using errcode = '22023';
  end if;

  insert into app.engagement_events (org_id, customer_id, event_type, occurred_at, title, description, metadata, source)
  values (v_org, log_engagement.customer_id, log_engagement.kind, log_engagement.occurred_at,
          left(split_part(v_summary, E'\n', 1), 200), v_summary,
          jsonb_build_object('details', v_details, 'logged_by', v_me), 'manual')
  returning * into e;

  return jsonb_build_object(
    'id', e.id, 'customer_id', e.customer_id, 'kind', e.event_type, 'occurred_at', e.occurred_at,
    'summary', e.description, 'details', v_details, 'logged_by', v_me, 'created_at', e.created_at);
end;
$$;
comment on function app.log_engagement(uuid, text, timestamptz, text, jsonb) is 'log_engagement''s checks and insert (definer: csms may log although the table''s insert policy is for managers and admins).';
grant execute on function app.log_engagement(uuid, text, timestamptz, text, jsonb) to authenticated;

create or replace function public.log_engagement(
  customer_id uuid,
  kind text,
  occurred_at timestamptz,
  summary text,
  details jsonb default '{}'::jsonb
)
returns jsonb
language sql
set search_path = ''
as $$
  select app.log_engagement(log_engagement.customer_id, log_engagement.kind, log_engagement.occurred_at,
                            log_engagement.summary, log_engagement.details)
$$;
comment on function public.log_engagement(uuid, text, timestamptz, text, jsonb) is 'Logs a note, call, meeting or email with a customer (csm, manager, admin; not viewers).';
revoke execute on function public.log_engagement(uuid, text, timestamptz, text, jsonb) from public, anon;
grant execute on function public.log_engagement(uuid, text, timestamptz, text, jsonb) to authenticated;

-- usage snapshots
select app.create_org_policies('app.usage_snapshots', 'usage snapshots', readers => 'members', writers => 'managers');

-- engagement events
select app.create_org_policies('app.engagement_events', 'engagement events', readers => 'members', writers => 'managers');

select app.create_org_policies('app.customer_score_history', 'score history', readers => 'members');

select app.create_org_policies('app.customer_history_passages', 'customer history', readers => 'members');

-- Transition tables cannot be combined with `update of <columns>`, so the update trigger
-- fires on every update statement and the join above keeps only real score changes.
select app.create_statement_triggers('app.customers', 'customers_record_inserted_scores', 'app.record_inserted_customer_scores', '{insert}');
select app.create_statement_triggers('app.customers', 'customers_record_changed_scores', 'app.record_changed_customer_scores', '{update}');

select app.create_touch_triggers('app.customer_history_passages');

select app.create_statement_triggers('app.engagement_events', 'engagement_events_index_history', 'app.index_engagement_history', suffixes => '{_on_insert,_on_update,_on_delete}');
