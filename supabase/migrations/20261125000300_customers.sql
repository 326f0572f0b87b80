-- Customers and their history: customers, ARR history, usage snapshots, engagement
-- events, stakeholders and contracts (domain.md "Customers", "Customer context").
--
-- Why this shape: the queue and the orchestrator scan customers of one organisation, so
-- customers' indexes lead with `org_id`. History tables are read per customer, newest
-- first, so their indexes lead with `customer_id` and end with the time column. A
-- history row names its customer with `(customer_id, org_id) -> customers (id, org_id)`:
-- a row can never point into another organisation, and the same index serves the
-- foreign key and the context lookups (pass `org_id` too for a sort-free scan; without
-- it, one customer's rows are few and the sort is cheap).
-- `account_plan` and `renewal_stage` are derived; the derived-fields migration keeps
-- them current.

create table app.customers (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null references app.organisations (id) on delete cascade,
  external_id text,
  name text not null,
  domain text,
  industry text,
  arr numeric(14, 2),
  health_score integer,
  renewal_date date,
  assigned_to uuid,
  account_executive_id uuid,
  support_engineer_id uuid,
  risk_score integer,
  opportunity_score integer,
  account_plan text not null default 'manage',
  renewal_stage text,
  metadata jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint customers_name_is_not_blank check (btrim(name) <> ''),
  constraint customers_arr_is_not_negative check (arr >= 0),
  constraint customers_health_score_is_percentage check (health_score between 0 and 100),
  constraint customers_risk_score_is_percentage check (risk_score between 0 and 100),
  constraint customers_opportunity_score_is_percentage check (opportunity_score between 0 and 100),
  constraint customers_account_plan_is_known check (account_plan in ('expand', 'invest', 'monitor', 'manage')),
  constraint customers_renewal_stage_is_known check (renewal_stage in (
    'Overdue', 'Emergency', 'Critical', 'Signature', 'Finalize', 'Negotiate', 'Engage', 'Prepare', 'Monitor'
  )),
  constraint customers_renewal_stage_needs_renewal_date check (renewal_stage is null or renewal_date is not null),
  constraint customers_metadata_is_object check (jsonb_typeof(metadata) = 'object'),
  constraint customers_external_id_is_unique_per_org unique (org_id, external_id),
  constraint customers_id_org_id_key unique (id, org_id),
  constraint customers_csm_is_in_organisation foreign key (org_id, assigned_to)
    references app.profiles (org_id, id) on delete set null (assigned_to),
  constraint customers_account_executive_is_in_organisation foreign key (org_id, account_executive_id)
    references app.profiles (org_id, id) on delete set null (account_executive_id),
  constraint customers_support_engineer_is_in_organisation foreign key (org_id, support_engineer_id)
    references app.profiles (org_id, id) on delete set null (support_engineer_id)
);
create index customers_org_id_assigned_to_idx on app.customers (org_id, assigned_to, renewal_date);
create index customers_org_id_account_executive_id_idx on app.customers (org_id, account_executive_id)
  where account_executive_id is not null;
create index customers_org_id_support_engineer_id_idx on app.customers (org_id, support_engineer_id)
  where support_engineer_id is not null;
-- The orchestrator and the daily re-stamp walk customers by renewal date.
create index customers_org_id_renewal_date_idx on app.customers (org_id, renewal_date, id);
-- list_customers: keyset pagination by name within an organisation.
create index customers_org_id_name_idx on app.customers (org_id, lower(name), id);
comment on table app.customers is 'An account a CS team looks after. account_plan and renewal_stage are derived (triggers).';

create table app.arr_history (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null,
  customer_id uuid not null,
  arr numeric(14, 2) not null,
  recorded_at timestamptz not null default now(),
  source text not null default 'manual',
  reason text,
  created_at timestamptz not null default now(),
  constraint arr_history_arr_is_not_negative check (arr >= 0),
  constraint arr_history_customer_is_in_organisation foreign key (customer_id, org_id)
    references app.customers (id, org_id) on delete cascade
);
create index arr_history_customer_id_recorded_at_idx on app.arr_history (customer_id, org_id, recorded_at desc);
comment on table app.arr_history is 'ARR of a customer over time (financials and trend in the customer context).';

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
create index engagement_events_customer_id_occurred_at_idx on app.engagement_events (customer_id, org_id, occurred_at desc);
-- "next QBR" / "open tickets" without scanning every event of the customer.
create index engagement_events_customer_id_type_idx on app.engagement_events (customer_id, event_type, occurred_at desc);
comment on table app.engagement_events is 'Meetings, emails, calls, QBRs, NPS responses and support tickets of a customer. A future occurred_at is a scheduled event.';

create table app.stakeholders (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null,
  customer_id uuid not null,
  external_id text,
  name text not null,
  email text,
  title text,
  role text,
  influence text,
  is_champion boolean not null default false,
  is_decision_maker boolean not null default false,
  notes text,
  last_contacted_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint stakeholders_name_is_not_blank check (btrim(name) <> ''),
  constraint stakeholders_influence_is_known check (influence in ('low', 'medium', 'high')),
  constraint stakeholders_external_id_is_unique_per_org unique (org_id, external_id),
  constraint stakeholders_customer_is_in_organisation foreign key (customer_id, org_id)
    references app.customers (id, org_id) on delete cascade
);
create index stakeholders_customer_id_idx on app.stakeholders (customer_id, org_id, name);
comment on table app.stakeholders is 'People at the customer: role, influence, champion and decision-maker flags.';

create table app.contracts (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null,
  customer_id uuid not null,
  external_id text,
  contract_number text,
  status text not null default 'active',
  start_date date not null,
  end_date date,
  annual_value numeric(14, 2),
  currency text not null default 'USD',
  auto_renew boolean not null default false,
  notice_period_days integer,
  terms jsonb not null default '{}'::jsonb,
  document_url text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint contracts_status_is_known check (status in ('draft', 'active', 'expired', 'terminated', 'renewed')),
  constraint contracts_end_is_after_start check (end_date is null or end_date >= start_date),
  constraint contracts_annual_value_is_not_negative check (annual_value >= 0),
  constraint contracts_currency_is_iso_code check (currency ~ '^[A-Z]{3}$'),
  constraint contracts_notice_period_is_not_negative check (notice_period_days >= 0),
  constraint contracts_terms_is_object check (jsonb_typeof(terms) = 'object'),
  constraint contracts_external_id_is_unique_per_org unique (org_id, external_id),
  constraint contracts_customer_is_in_organisation foreign key (customer_id, org_id)
    references app.customers (id, org_id) on delete cascade
);
create index contracts_customer_id_end_date_idx on app.contracts (customer_id, org_id, end_date desc);
comment on table app.contracts is 'Contracts of a customer (term, value, renewal terms).';

create trigger customers_touch_updated_at before update on app.customers
  for each row execute function app.touch_updated_at();
create trigger stakeholders_touch_updated_at before update on app.stakeholders
  for each row execute function app.touch_updated_at();
create trigger contracts_touch_updated_at before update on app.contracts
  for each row execute function app.touch_updated_at();

alter table app.customers enable row level security;
alter table app.arr_history enable row level security;
alter table app.usage_snapshots enable row level security;
alter table app.engagement_events enable row level security;
alter table app.stakeholders enable row level security;
alter table app.contracts enable row level security;
