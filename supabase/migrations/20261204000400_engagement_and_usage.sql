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
  insert into app.customer_score_history (org_id, customer_id, recorded_at, health_score, risk_score, opportunity_score, source)
  select n.org_id, n.id, now(), n.health_score, n.risk_score, n.opportunity_score, 'change'
    from new_rows n
    join old_rows o on o.id = n.id
   where n.health_score is distinct from o.health_score
      or n.risk_score is distinct from o.risk_score
      or n.opportunity_score is distinct from o.opportunity_score;
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

-- The body of get_customer_context. It runs on the decision date (docs/contracts.md
-- "Renewal clock: the decision date"): `customer` and `workflow` carry `decision_date` and
-- `days_until_decision` beside `renewal_date` / `days_until_renewal`, and `renewal_stage`
-- is computed from the decision date as of today, so the context panel and the
-- assistant's snapshot agree with the queue. The contract in force shows its `terms`
-- (where confirmed extraction fields such as the term, price cap and payment terms are kept).
create or replace function app.customer_context(customer_id uuid, execution_id uuid)
returns jsonb
language plpgsql
stable
security definer -- row-level security would re-run the membership helper for each of ~25 table reads; this reads one organisation's rows, filtered explicitly
set search_path = ''
as $$
declare
  v_now constant timestamptz := now();
  v_window_start constant timestamptz := now() - interval '90 days';
  v_customer app.customers;
  v_customer_id uuid;
  v_today date;
  v_time_zone text;
  v_days integer;
  v_days_decision integer;
  -- intelligence
  v_scores_latest app.customer_score_history;
  v_scores_base app.customer_score_history;
  -- financials
  v_arr_latest app.arr_history;
  v_arr_previous app.arr_history;
  v_arr_base app.arr_history;
  v_arr_changed_at timestamptz;
  v_current_arr numeric;
  v_contract app.contracts;
  v_arr_series jsonb;
  v_usage_series jsonb;
  -- usage
  v_usage_latest app.usage_snapshots;
  v_usage_base app.usage_snapshots;
  -- engagement
  v_last_contact app.engagement_events;
  v_nps app.engagement_events;
  v_last_qbr timestamptz;
  v_next_qbr timestamptz;
  v_ticket_events boolean;
  v_open_tickets integer;
  v_newest_event timestamptz;
  -- workflow
  v_execution record;
  v_open_executions jsonb;
  -- account team
  v_team jsonb;
  v_team_updated timestamptz;
  v_stakeholders jsonb;
  v_stakeholders_updated timestamptz;
begin
  -- Guard: exactly one way to name the customer.
  if (customer_context.customer_id is null) = (customer_context.execution_id is null) then
    raise exception 'Pass exactly one of customer_id or execution_id' using errcode = '22023',
      hint = 'Call get_customer_context(customer_id => ...) or get_customer_context(execution_id => ...).';
  end if;

  if customer_context.execution_id is not null then
    select e.customer_id into v_customer_id
      from app.workflow_executions e
     where e.id = customer_context.execution_id
       and e.org_id = (select app.current_org_id());
    if not found then
      raise exception 'Workflow execution not found' using errcode = 'PT404',
        hint = 'Check the execution id; you only see executions of your own organisation.';
    end if;
  else
    v_customer_id := customer_context.customer_id;
  end if;

  select * into v_customer
    from app.customers c
   where c.id = v_customer_id
     and c.org_id = (select app.current_org_id());
  if not found then
    raise exception 'Customer not found' using errcode = 'PT404',
      hint = 'Check the customer id; you only see customers of your own organisation.';
  end if;

  select coalesce(
           (select st.time_zone from app.organisation_settings st where st.org_id = v_customer.org_id), 'UTC')
    into v_time_zone;
  v_today := (v_now at time zone v_time_zone)::date;
  v_days := v_customer.renewal_date - v_today;
  -- The stage runs on the decision date (the notice deadline when the contract auto-renews).
  v_days_decision := v_customer.decision_date - v_today;

  ---------------------------------------------------------------------------------------
  -- Intelligence: health, risk and opportunity with their 90-day trends.
  ---------------------------------------------------------------------------------------
  select * into v_scores_latest
    from app.customer_score_history h
   where h.customer_id = v_customer.id and h.org_id = v_customer.org_id and h.recorded_at <= v_now
   order by h.recorded_at desc
   limit 1;
  if v_scores_latest.id is not null then
    -- The value in effect 90 days ago, else the oldest one since (but not the latest itself).
    select * into v_scores_base
      from app.customer_score_history h
     where h.customer_id = v_customer.id and h.org_id = v_customer.org_id
       and h.recorded_at <= v_window_start and h.recorded_at < v_scores_latest.recorded_at
     order by h.recorded_at desc
     limit 1;
    if v_scores_base.id is null then
      select * into v_scores_base
        from app.customer_score_history h
       where h.customer_id = v_customer.id and h.org_id = v_customer.org_id
         and h.recorded_at > v_window_start and h.recorded_at < v_scores_latest.recorded_at
       order by h.recorded_at asc
       limit 1;
    end if;
  end if;

  ---------------------------------------------------------------------------------------
  -- Financials: ARR from its history (current, previous value, 90-day trend), contract.
  ---------------------------------------------------------------------------------------
  select * into v_arr_latest
    from app.arr_history h
   where h.customer_id = v_customer.id and h.org_id = v_customer.org_id and h.recorded_at <= v_now
   order by h.recorded_at desc, h.created_at desc
   limit 1;
  v_current_arr := coalesce(v_arr_latest.arr, v_customer.arr);
  if v_arr_latest.id is not null then
    -- The ARR before the last change (history may repeat an unchanged value).
    select * into v_arr_previous
      from app.arr_history h
     where h.customer_id = v_customer.id and h.org_id = v_customer.org_id
       and h.recorded_at < v_arr_latest.recorded_at and h.arr <> v_arr_latest.arr
     order by h.recorded_at desc, h.created_at desc
     limit 1;
    if v_arr_previous.id is not null then
      select min(h.recorded_at) into v_arr_changed_at
        from app.arr_history h
       where h.customer_id = v_customer.id and h.org_id = v_customer.org_id
         and h.recorded_at > v_arr_previous.recorded_at and h.recorded_at <= v_arr_latest.recorded_at;
    end if;
    select * into v_arr_base
      from app.arr_history h
     where h.customer_id = v_customer.id and h.org_id = v_customer.org_id
       and h.recorded_at <= v_window_start and h.recorded_at < v_arr_latest.recorded_at
     order by h.recorded_at desc, h.created_at desc
     limit 1;
    if v_arr_base.id is null then
      select * into v_arr_base
        from app.arr_history h
       where h.customer_id = v_customer.id and h.org_id = v_customer.org_id
         and h.recorded_at > v_window_start and h.recorded_at < v_arr_latest.recorded_at
       order by h.recorded_at asc, h.created_at asc
       limit 1;
    end if;
  end if;

  -- The series behind the charts: the last year of ARR (with the value in effect when the
  -- year began, so the line starts at the left edge) and the last 180 days of usage.
  select coalesce(jsonb_agg(jsonb_build_object('recorded_at', x.recorded_at, 'arr', x.arr) order by x.recorded_at, x.created_at), '[]'::jsonb)
    into v_arr_series
    from (
      (select h.recorded_at, h.created_at, h.arr
         from app.arr_history h
        where h.customer_id = v_customer.id and h.org_id = v_customer.org_id
          and h.recorded_at <= v_now - interval '365 days'
        order by h.recorded_at desc, h.created_at desc
        limit 1)
      union all
      (select h.recorded_at, h.created_at, h.arr
         from app.arr_history h
        where h.customer_id = v_customer.id and h.org_id = v_customer.org_id
          and h.recorded_at > v_now - interval '365 days' and h.recorded_at <= v_now
        order by h.recorded_at desc, h.created_at desc
        limit 100)
    ) x;

  -- The contract in force: active, latest end date first.
  select * into v_contract
    from app.contracts k
   where k.customer_id = v_customer.id and k.org_id = v_customer.org_id and k.status = 'active'
   order by k.end_date desc nulls first, k.start_date desc
   limit 1;

  ---------------------------------------------------------------------------------------
  -- Usage: the latest snapshot and the one 90 days back.
  ---------------------------------------------------------------------------------------
  select * into v_usage_latest
    from app.usage_snapshots u
   where u.customer_id = v_customer.id and u.org_id = v_customer.org_id and u.recorded_at <= v_now
   order by u.recorded_at desc
   limit 1;
  if v_usage_latest.id is not null then
    select * into v_usage_base
      from app.usage_snapshots u
     where u.customer_id = v_customer.id and u.org_id = v_customer.org_id
       and u.recorded_at <= v_window_start and u.recorded_at < v_usage_latest.recorded_at
     order by u.recorded_at desc
     limit 1;
    if v_usage_base.id is null then
      select * into v_usage_base
        from app.usage_snapshots u
       where u.customer_id = v_customer.id and u.org_id = v_customer.org_id
         and u.recorded_at > v_window_start and u.recorded_at < v_usage_latest.recorded_at
       order by u.recorded_at asc
       limit 1;
    end if;
  end if;

  select coalesce(jsonb_agg(jsonb_build_object(
           'recorded_at', x.recorded_at, 'active_users', x.active_users, 'licensed_seats', x.licensed_seats
         ) order by x.recorded_at), '[]'::jsonb)
    into v_usage_series
    from (
      select u.recorded_at, u.active_users, u.licensed_seats
        from app.usage_snapshots u
       where u.customer_id = v_customer.id and u.org_id = v_customer.org_id
         and u.recorded_at > v_now - interval '180 days' and u.recorded_at <= v_now
       order by u.recorded_at desc
       limit 60
    ) x;

  ---------------------------------------------------------------------------------------
  -- Engagement: last contact, QBRs, NPS, open tickets (a future event is scheduled).
  ---------------------------------------------------------------------------------------
  select * into v_last_contact
    from app.engagement_events e
   where e.customer_id = v_customer.id and e.org_id = v_customer.org_id
     and e.event_type in ('meeting', 'email', 'call', 'qbr') and e.occurred_at <= v_now
   order by e.occurred_at desc
   limit 1;

  select * into v_nps
    from app.engagement_events e
   where e.customer_id = v_customer.id and e.org_id = v_customer.org_id and e.event_type = 'nps' and e.occurred_at <= v_now
   order by e.occurred_at desc
   limit 1;

  select max(e.occurred_at) into v_last_qbr
    from app.engagement_events e
   where e.customer_id = v_customer.id and e.org_id = v_customer.org_id and e.event_type = 'qbr' and e.occurred_at <= v_now;
  select min(e.occurred_at) into v_next_qbr
    from app.engagement_events e
   where e.customer_id = v_customer.id and e.org_id = v_customer.org_id and e.event_type = 'qbr' and e.occurred_at > v_now;

  select exists (
    select 1 from app.engagement_events e
     where e.customer_id = v_customer.id and e.org_id = v_customer.org_id and e.event_type = 'support_ticket'
  ) into v_ticket_events;
  if v_ticket_events then
    select count(*) into v_open_tickets
      from app.engagement_events e
     where e.customer_id = v_customer.id and e.org_id = v_customer.org_id
       and e.event_type = 'support_ticket' and e.ticket_status in ('open', 'pending');
  end if;

  select e.occurred_at into v_newest_event
    from app.engagement_events e
   where e.customer_id = v_customer.id and e.org_id = v_customer.org_id and e.occurred_at <= v_now
   order by e.occurred_at desc
   limit 1;

  ---------------------------------------------------------------------------------------
  -- Workflow: the execution asked about, else the open renewal execution.
  ---------------------------------------------------------------------------------------
  if customer_context.execution_id is not null then
    select e.id, w.key as workflow_key, w.name as workflow_name, w.workflow_type, e.status,
           e.priority_score, e.priority_factors, e.renewal_stage, e.current_step_key,
           e.assigned_to, e.snoozed_until, e.created_at, e.updated_at
      into v_execution
      from app.workflow_executions e
      join app.workflows w on w.id = e.workflow_id
     where e.id = customer_context.execution_id and e.org_id = v_customer.org_id;
  else
    select e.id, w.key as workflow_key, w.name as workflow_name, w.workflow_type, e.status,
           e.priority_score, e.priority_factors, e.renewal_stage, e.current_step_key,
           e.assigned_to, e.snoozed_until, e.created_at, e.updated_at
      into v_execution
      from app.workflow_executions e
      join app.workflows w on w.id = e.workflow_id
     where e.customer_id = v_customer.id and e.org_id = v_customer.org_id
       and w.workflow_type = 'renewal'
       and e.status in ('queued', 'in_progress', 'snoozed', 'escalated')
     order by e.created_at desc
     limit 1;
  end if;

  select coalesce(jsonb_agg(jsonb_build_object(
           'id', o.id, 'workflow_key', o.key, 'workflow_type', o.workflow_type,
           'status', o.status, 'priority_score', o.priority_score
         ) order by o.priority_score desc, o.id), '[]'::jsonb)
    into v_open_executions
    from (
      select e.id, w.key, w.workflow_type, e.status, e.priority_score
        from app.workflow_executions e
        join app.workflows w on w.id = e.workflow_id
       where e.customer_id = v_customer.id and e.org_id = v_customer.org_id
         and e.status in ('queued', 'in_progress', 'snoozed', 'escalated')
       order by e.priority_score desc, e.id
       limit 20
    ) o;

  ---------------------------------------------------------------------------------------
  -- Account team: people from profiles, stakeholders of the customer.
  ---------------------------------------------------------------------------------------
  select jsonb_object_agg(t.part, jsonb_build_object(
           'id', p.id, 'full_name', p.full_name, 'email', p.email, 'title', p.title, 'role', p.role
         )),
         max(p.updated_at)
    into v_team, v_team_updated
    from (values ('csm', v_customer.assigned_to),
                 ('account_executive', v_customer.account_executive_id),
                 ('support_engineer', v_customer.support_engineer_id)) as t(part, person_id)
    join app.profiles p on p.id = t.person_id and p.org_id = v_customer.org_id;

  select coalesce(jsonb_agg(jsonb_build_object(
           'id', s.id, 'name', s.name, 'email', s.email, 'title', s.title, 'role', s.role,
           'influence', s.influence, 'is_champion', s.is_champion,
           'is_decision_maker', s.is_decision_maker, 'last_contacted_at', s.last_contacted_at
         ) order by s.is_decision_maker desc, s.is_champion desc,
                    case s.influence when 'high' then 0 when 'medium' then 1 when 'low' then 2 else 3 end,
                    s.name, s.id), '[]'::jsonb),
         max(s.updated_at)
    into v_stakeholders, v_stakeholders_updated
    from (
      select * from app.stakeholders s
       where s.customer_id = v_customer.id and s.org_id = v_customer.org_id
       order by s.name
       limit 100
    ) s;

  return jsonb_build_object(
    'customer', jsonb_build_object(
      'id', v_customer.id,
      'external_id', v_customer.external_id,
      'name', v_customer.name,
      'domain', v_customer.domain,
      'industry', v_customer.industry,
      'arr', v_customer.arr,
      'health_score', v_customer.health_score,
      'risk_score', v_customer.risk_score,
      'opportunity_score', v_customer.opportunity_score,
      'account_plan', v_customer.account_plan,
      'renewal_date', v_customer.renewal_date,
      'days_until_renewal', v_days,
      'decision_date', v_customer.decision_date,
      'days_until_decision', v_days_decision,
      'renewal_stage', app.calculate_renewal_stage(v_customer.decision_date, v_today),
      'assigned_to', v_customer.assigned_to,
      'account_executive_id', v_customer.account_executive_id,
      'support_engineer_id', v_customer.support_engineer_id,
      'metadata', v_customer.metadata,
      'created_at', v_customer.created_at,
      'updated_at', v_customer.updated_at
    ),
    'intelligence', jsonb_build_object(
      'trend_window_days', 90,
      'health', jsonb_build_object(
        'score', v_customer.health_score,
        'baseline', v_scores_base.health_score,
        'baseline_at', case when v_scores_base.health_score is not null then v_scores_base.recorded_at end,
        'change', v_customer.health_score - v_scores_base.health_score,
        'trend', app.trend_direction(v_customer.health_score, v_scores_base.health_score, 5)
      ),
      'risk', jsonb_build_object(
        'score', v_customer.risk_score,
        'baseline', v_scores_base.risk_score,
        'baseline_at', case when v_scores_base.risk_score is not null then v_scores_base.recorded_at end,
        'change', v_customer.risk_score - v_scores_base.risk_score,
        'trend', app.trend_direction(v_customer.risk_score, v_scores_base.risk_score, 5)
      ),
      'opportunity', jsonb_build_object(
        'score', v_customer.opportunity_score,
        'baseline', v_scores_base.opportunity_score,
        'baseline_at', case when v_scores_base.opportunity_score is not null then v_scores_base.recorded_at end,
        'change', v_customer.opportunity_score - v_scores_base.opportunity_score,
        'trend', app.trend_direction(v_customer.opportunity_score, v_scores_base.opportunity_score, 5)
      )
    ),
    'data', jsonb_build_object(
      'financials', jsonb_build_object(
        'current_arr', v_current_arr,
        'current_arr_recorded_at', v_arr_latest.recorded_at,
        'previous_arr', v_arr_previous.arr,
        'arr_changed_at', v_arr_changed_at,
        'arr_change', v_current_arr - v_arr_previous.arr,
        'growth_rate', case when v_arr_previous.arr > 0
                            then round((v_current_arr - v_arr_previous.arr) / v_arr_previous.arr, 4) end,
        'baseline_arr', v_arr_base.arr,
        'baseline_at', v_arr_base.recorded_at,
        'trend', app.trend_direction(v_current_arr, v_arr_base.arr, 0.01),
        'history', v_arr_series,
        'contract', case when v_contract.id is null then null else jsonb_build_object(
          'id', v_contract.id,
          'contract_number', v_contract.contract_number,
          'status', v_contract.status,
          'start_date', v_contract.start_date,
          'end_date', v_contract.end_date,
          'annual_value', v_contract.annual_value,
          'currency', v_contract.currency,
          'auto_renew', v_contract.auto_renew,
          'notice_period_days', v_contract.notice_period_days,
          'terms', v_contract.terms
        ) end
      ),
      'usage', jsonb_build_object(
        'active_users', v_usage_latest.active_users,
        'licensed_seats', v_usage_latest.licensed_seats,
        'utilisation', case when v_usage_latest.licensed_seats > 0
                            then round(v_usage_latest.active_users::numeric / v_usage_latest.licensed_seats, 4) end,
        'recorded_at', v_usage_latest.recorded_at,
        'metrics', v_usage_latest.metrics,
        'baseline_active_users', v_usage_base.active_users,
        'baseline_at', v_usage_base.recorded_at,
        -- 5% of the baseline, at least one user.
        'trend', app.trend_direction(v_usage_latest.active_users, v_usage_base.active_users,
                                     greatest(0.05 * v_usage_base.active_users, 1)),
        'history', v_usage_series
      ),
      'engagement', jsonb_build_object(
        'last_contact_at', v_last_contact.occurred_at,
        'last_contact_type', v_last_contact.event_type,
        'days_since_last_contact', v_today - (v_last_contact.occurred_at at time zone v_time_zone)::date,
        'last_qbr_at', v_last_qbr,
        'next_qbr_at', v_next_qbr,
        'nps_score', v_nps.nps_score,
        'nps_recorded_at', v_nps.occurred_at,
        'open_tickets', v_open_tickets
      )
    ),
    'workflow', jsonb_build_object(
      'renewal_date', v_customer.renewal_date,
      'days_until_renewal', v_days,
      'decision_date', v_customer.decision_date,
      'days_until_decision', v_days_decision,
      'renewal_stage', app.calculate_renewal_stage(v_customer.decision_date, v_today),
      'account_plan', v_customer.account_plan,
      'priority_score', v_execution.priority_score,
      'execution', case when v_execution.id is null then null else jsonb_build_object(
        'id', v_execution.id,
        'workflow_key', v_execution.workflow_key,
        'workflow_name', v_execution.workflow_name,
        'workflow_type', v_execution.workflow_type,
        'status', v_execution.status,
        'priority_score', v_execution.priority_score,
        'priority_factors', v_execution.priority_factors,
        'renewal_stage', v_execution.renewal_stage,
        'current_step_key', v_execution.current_step_key,
        'assigned_to', v_execution.assigned_to,
        'snoozed_until', v_execution.snoozed_until,
        'created_at', v_execution.created_at
      ) end,
      'open_executions', v_open_executions
    ),
    'account_team', jsonb_build_object(
      'csm', v_team -> 'csm',
      'account_executive', v_team -> 'account_executive',
      'support_engineer', v_team -> 'support_engineer',
      'stakeholders', v_stakeholders
    ),
    'freshness', jsonb_build_object(
      'as_of', v_now,
      'today', v_today,
      'customer', v_customer.updated_at,
      'intelligence', v_scores_latest.recorded_at,
      'financials', greatest(v_arr_latest.recorded_at, v_contract.updated_at),
      'usage', v_usage_latest.recorded_at,
      'engagement', v_newest_event,
      'workflow', v_execution.updated_at,
      'account_team', greatest(v_team_updated, v_stakeholders_updated)
    )
  );
end;
$$;
grant execute on function app.customer_context(uuid, uuid) to authenticated;
comment on function app.customer_context(uuid, uuid) is 'The body of get_customer_context for a customer of the caller''s organisation (PT404 otherwise).';

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
create policy "Members can read their organisation's usage snapshots"
  on app.usage_snapshots for select to authenticated
  using (org_id = (select app.current_org_id()));

create policy "Managers and admins can add usage snapshots"
  on app.usage_snapshots for insert to authenticated
  with check (org_id = (select app.current_org_id()) and (select app.has_role('manager', 'admin')));

create policy "Managers and admins can change usage snapshots"
  on app.usage_snapshots for update to authenticated
  using (org_id = (select app.current_org_id()) and (select app.has_role('manager', 'admin')))
  with check (org_id = (select app.current_org_id()) and (select app.has_role('manager', 'admin')));

create policy "Managers and admins can delete usage snapshots"
  on app.usage_snapshots for delete to authenticated
  using (org_id = (select app.current_org_id()) and (select app.has_role('manager', 'admin')));

-- engagement events
create policy "Members can read their organisation's engagement events"
  on app.engagement_events for select to authenticated
  using (org_id = (select app.current_org_id()));

create policy "Managers and admins can add engagement events"
  on app.engagement_events for insert to authenticated
  with check (org_id = (select app.current_org_id()) and (select app.has_role('manager', 'admin')));

create policy "Managers and admins can change engagement events"
  on app.engagement_events for update to authenticated
  using (org_id = (select app.current_org_id()) and (select app.has_role('manager', 'admin')))
  with check (org_id = (select app.current_org_id()) and (select app.has_role('manager', 'admin')));

create policy "Managers and admins can delete engagement events"
  on app.engagement_events for delete to authenticated
  using (org_id = (select app.current_org_id()) and (select app.has_role('manager', 'admin')));

create policy "Members can read their organisation's score history"
  on app.customer_score_history for select to authenticated
  using (org_id = (select app.current_org_id()));

create policy "Members can read their organisation's customer history"
  on app.customer_history_passages for select to authenticated
  using (org_id = (select app.current_org_id()));

-- Transition tables cannot be combined with `update of <columns>`, so the update trigger
-- fires on every update statement and the join above keeps only real score changes.
create trigger customers_record_inserted_scores
  after insert on app.customers
  referencing new table as new_rows
  for each statement execute function app.record_inserted_customer_scores();

create trigger customers_record_changed_scores
  after update on app.customers
  referencing old table as old_rows new table as new_rows
  for each statement execute function app.record_changed_customer_scores();

create trigger customer_history_passages_touch_updated_at before update on app.customer_history_passages
  for each row execute function app.touch_updated_at();

create trigger engagement_events_index_history_on_insert after insert on app.engagement_events
  referencing new table as new_rows
  for each statement execute function app.index_engagement_history();

create trigger engagement_events_index_history_on_update after update on app.engagement_events
  referencing old table as old_rows new table as new_rows
  for each statement execute function app.index_engagement_history();

create trigger engagement_events_index_history_on_delete after delete on app.engagement_events
  referencing old table as old_rows
  for each statement execute function app.index_engagement_history();
