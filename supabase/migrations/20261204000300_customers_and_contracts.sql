-- Customers and their commercial record: customers, ARR history, stakeholders, contracts and
-- contract extractions; the derived fields (plan, decision date, renewal stage), the customer
-- list, overview and timeline RPCs.
--
-- Part of the release baseline (docs/schema.md): one file per area, in dependency order.
-- From now on migrations are append-only: a change is a new timestamped file.
--
-- A long function is a guard and a dispatcher over small functions with one job each, named
-- after what they do (issue 17), so a reader can hold each piece in their head. The helpers
-- live in `app`, set search_path = '', run as their caller (RLS applies) unless they serve a
-- security definer function, and are executable only by the roles whose calls reach them.

-- Derived customer fields: account plan and renewal stage (docs/business-rules.md "Account
-- plan", "Renewal stage").
--
-- Why: the rules live in two pure functions, so SQL that shows a plan or stage "as of
-- today" and the trigger that stores them agree by construction. The stored stage goes
-- stale as days pass, so `app.restamp_renewal_stages` re-stamps (set-based) every
-- customer whose stage changed, and pg_cron runs it. Stages are computed from the
-- organisation's local date (its `time_zone` setting), never the server's.

-- public.list_customers(search, page_size, cursor): the organisation's customers by name,
-- keyset-paginated, optionally filtered by a search text (docs/customer-intelligence.md "list_customers").
--
-- Why keyset: a page is an index range scan on (org_id, lower(name), id) starting after
-- the cursor, so page 400 of 100 000 customers costs what page 1 costs (no offset). The
-- cursor is opaque (base64 of the last row's sort key). Search matches a substring of the
-- name or domain, case-insensitively, or an exact external id; a trigram index serves
-- rare substrings that a walk along the name index would have to search far for.
-- Stage and days until renewal are computed as of today in the organisation's time zone.
--
-- Why a definer helper finds the page: under row-level security Postgres may not use an
-- index for a condition whose functions are not leakproof (LIKE, lower(), the keyset row
-- comparison), so as the caller every search and every deep page would scan the whole
-- organisation. app.customer_page runs as the owner, filters on the caller's own
-- organisation itself, and plans each call with its real values (a rare search text takes
-- the trigram index, a common one walks the name index). list_customers then reads the
-- rows of that page as the caller, with RLS, so nothing it returns bypasses the policies.

create extension if not exists pg_trgm with schema extensions;

-- list_customers gains filters and sorts (docs/web-app.md Customers and history),
-- and list_startable_workflows tells the customer page which workflows a person may open.
--
-- What and why:
-- * filters `{plans[], stages[], assignee_id, forecast[]}` and sorts `priority` (renewal
--   urgency of the stored stage, then ARR, the customer-level terms of the priority
--   formula), `arr` (largest first), `renewal` (decision date, soonest first), `health`
--   (weakest first) and `name`, each with its own keyset cursor. The cursor names its sort,
--   so a cursor of another sort is refused instead of skipping rows.
-- * A stage filter becomes decision-date ranges as of the organisation's today (the stage
--   is a function of the decision date), so it can use an index instead of computing the
--   stage of every customer. The forecast filter uses app.customer_forecast_category when
--   the forecast release has created it (checked at call time).
-- * Each sort has an index leading with org_id, so a page is one index range scan after
--   the cursor at any depth of a 100 000-customer organisation; like before, the page's ids
--   are found by a definer helper that plans with the real values (RLS would keep the
--   non-leakproof keyset conditions off the indexes) and filters on the caller's own
--   organisation, and the rows are then read as the caller.

-- One row of a page: the customer and its two sort keys (for the next cursor). A named
-- type rather than OUT columns, which plpgsql_check cannot follow through RETURN QUERY EXECUTE.
create type app.customer_list_row as (id uuid, k1 text, k2 text);

-- Customers and their history: customers, ARR history, usage snapshots, engagement
-- events, stakeholders and contracts (docs/business-rules.md "Account plan", "Renewal stage";
-- docs/customer-intelligence.md).
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
    references app.profiles (org_id, id) on delete set null (support_engineer_id),
  decision_date date
);
comment on table app.customers is 'An account a CS team looks after. account_plan and renewal_stage are derived (triggers).';
alter table app.customers enable row level security;
grant select, insert, update, delete on app.customers to authenticated;
comment on column app.customers.decision_date is
  'The renewal decision deadline: renewal_date - notice_period_days of the contract in force when it auto-renews with a notice period, else renewal_date. Kept by triggers on customers and contracts; the renewal stage is computed from it.';

create index customers_org_id_assigned_to_idx on app.customers (org_id, assigned_to, renewal_date);

create index customers_org_id_account_executive_id_idx on app.customers (org_id, account_executive_id)
  where account_executive_id is not null;

create index customers_org_id_support_engineer_id_idx on app.customers (org_id, support_engineer_id)
  where support_engineer_id is not null;

-- The orchestrator and the daily re-stamp walk customers by renewal date.
create index customers_org_id_renewal_date_idx on app.customers (org_id, renewal_date, id);

-- list_customers: keyset pagination by name within an organisation.
create index customers_org_id_name_idx on app.customers (org_id, lower(name), id);

create index if not exists customers_search_trgm_idx
  on app.customers using gin ((lower(name || ' ' || coalesce(domain, ''))) extensions.gin_trgm_ops);

create index customers_org_id_renewal_date_forecast_idx
  on app.customers (org_id, renewal_date)
  include (id, name, arr, health_score, risk_score, decision_date, account_plan);

create index if not exists customers_org_id_arr_idx on app.customers (org_id, coalesce(arr, -1), id);

create index if not exists customers_org_id_decision_idx on app.customers (org_id, coalesce(decision_date, 'infinity'::date), id);

create index if not exists customers_org_id_health_idx on app.customers (org_id, coalesce(health_score, 1000), id);

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
comment on table app.arr_history is 'ARR of a customer over time (financials and trend in the customer context).';
alter table app.arr_history enable row level security;
grant select, insert, update, delete on app.arr_history to authenticated;

create index arr_history_customer_id_recorded_at_idx on app.arr_history (customer_id, org_id, recorded_at desc);

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
comment on table app.stakeholders is 'People at the customer: role, influence, champion and decision-maker flags.';
alter table app.stakeholders enable row level security;
grant select, insert, update, delete on app.stakeholders to authenticated;

create index stakeholders_customer_id_idx on app.stakeholders (customer_id, org_id, name);

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
comment on table app.contracts is 'Contracts of a customer (term, value, renewal terms).';
alter table app.contracts enable row level security;
grant select, insert, update, delete on app.contracts to authenticated;

create index contracts_customer_id_end_date_idx on app.contracts (customer_id, org_id, end_date desc);

-- Contract terms read from the document, with citations, confirmed by a person
-- (docs/contracts.md "Contract documents"; docs/contracts.md "Revenue"; docs/contracts.md).
--
-- What and why:
--   extract-contract (Edge Function) downloads a document from the `contracts` bucket as
--   the caller, reads its text page by page, asks the model for each field's value, verbatim
--   quote, page and confidence, and stores the result with record_contract_extraction
--   (service role only: nobody can store an extraction of a document they did not upload,
--   nor text that is not the document's). A proposal changes nothing. A person then
--   confirms, corrects or rejects each field with confirm_contract_fields; only confirmed
--   values change the contract (and through the contracts trigger the decision date, stage,
--   priority and lane at once).
--
--   field lifecycle:   proposed ──confirm (same value)──▶ confirmed
--                          │    ──confirm (other value)─▶ corrected
--                          └────reject─────────────────▶ rejected
--   A decided field can be decided again (a second look); each decision is kept with who
--   and when on the field.
--
-- The citation rule lives here, in the only writer: a quote must occur verbatim (spaces
-- and line breaks aside) in the stored text of its page, or of another page (the page is
-- then corrected); otherwise the field is stored empty (value, quote and page null,
-- confidence 0) and flagged `quote_discarded`. A model cannot put words in a contract.
--
-- Field keys, their meaning on the contract, and their value types:
--   start_date (date)                  → contracts.start_date
--   end_date (date)                    → contracts.end_date, and the customer renews the
--                                        next day (customers.renewal_date = end_date + 1,
--                                        as the demo data has it)
--   auto_renew (boolean)               → contracts.auto_renew
--   notice_period_days (integer)       → contracts.notice_period_days
--   term_months (integer)              → contracts.terms.term_months
--   annual_value (number)              → contracts.annual_value
--   currency (ISO code)                → contracts.currency
--   price_increase_cap_pct (number)    → contracts.terms.price_increase_cap_pct
--   termination_for_convenience (bool) → contracts.terms.termination_for_convenience
--   payment_terms (text)               → contracts.terms.payment_terms
-- The list is app.contract_field_keys(); functions-shared/contracts/fields.ts mirrors it
-- (a test compares the two).

---------------------------------------------------------------------------------------
-- Tables
---------------------------------------------------------------------------------------

create table app.contract_extractions (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null,
  customer_id uuid not null,
  object_path text not null,
  document_name text not null,
  model text not null,
  pages text[] not null,
  created_by uuid references app.profiles (id) on delete set null,
  created_at timestamptz not null default now(),
  constraint contract_extractions_object_path_is_the_customers_folder
    check (object_path like org_id::text || '/' || customer_id::text || '/%'),
  constraint contract_extractions_pages_are_bounded check (cardinality(pages) between 1 and 500),
  constraint contract_extractions_customer_is_in_organisation foreign key (customer_id, org_id)
    references app.customers (id, org_id) on delete cascade
);
comment on table app.contract_extractions is
  'One extraction run over one contract document: its text by page and the model that read it.';
alter table app.contract_extractions enable row level security;
grant select on app.contract_extractions to authenticated;
grant select, insert, update, delete on app.contract_extractions to service_role;

create index contract_extractions_customer_idx on app.contract_extractions (customer_id, org_id, created_at desc);

create index contract_extractions_org_id_idx on app.contract_extractions (org_id);

create index contract_extractions_created_by_idx on app.contract_extractions (created_by);

create table app.contract_extraction_fields (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null,
  extraction_id uuid not null references app.contract_extractions (id) on delete cascade,
  field_key text not null,
  proposed_value jsonb,
  quote text,
  page integer,
  confidence numeric(4, 3) not null default 0,
  quote_discarded boolean not null default false,
  status text not null default 'proposed',
  confirmed_value jsonb,
  decided_by uuid references app.profiles (id) on delete set null,
  decided_at timestamptz,
  constraint contract_extraction_fields_one_per_key unique (extraction_id, field_key),
  constraint contract_extraction_fields_status_is_known check (status in ('proposed', 'confirmed', 'corrected', 'rejected')),
  constraint contract_extraction_fields_confidence_is_a_probability check (confidence between 0 and 1),
  constraint contract_extraction_fields_value_has_a_quote check (proposed_value is null or (quote is not null and page >= 1))
);
comment on table app.contract_extraction_fields is
  'A proposed contract field with its verbatim quote, page and confidence, and the person''s decision on it.';
alter table app.contract_extraction_fields enable row level security;
grant select on app.contract_extraction_fields to authenticated;
grant select, insert, update, delete on app.contract_extraction_fields to service_role;

create index contract_extraction_fields_org_id_idx on app.contract_extraction_fields (org_id);

create index contract_extraction_fields_decided_by_idx on app.contract_extraction_fields (decided_by);

-- A customer's activity timeline and logging a note, call or meeting (docs/web-app.md "Second
-- release", Customers and history; docs/web-app.md "Customer page").
--
-- What and why:
-- 1. app.customer_changes: stage and plan changes were not recorded anywhere (the customers
--    row only holds the current values). A trigger on app.customers writes one row per
--    change of renewal_stage or account_plan, whatever changed it (the daily re-stamp, a new
--    contract, new ARR or health), so the timeline can show "moved to Critical".
-- 2. public.log_engagement: a person records a note, call, meeting or email as an
--    engagement event. Engagement events are otherwise written by managers, admins and the
--    ingest; any member who works customers (csm, manager, admin) may log one for a customer
--    of their organisation, never a viewer. It runs as definer because the table's insert
--    policy is for managers and admins; the checks below are the policy for this path.
-- 3. public.get_customer_timeline: newest first, keyset-paginated over engagement events,
--    workflow starts and completions, saved actions, emails, approved artifacts, stage and
--    plan changes, and forecast changes (app.renewal_forecast_history, in the revenue area). It runs as the
--    caller (RLS applies to every source); each source is read through a per-customer index
--    and cut to one page before the merge, so a page costs the same at any depth.

---------------------------------------------------------------------------------------
-- 1. Stage and plan changes
---------------------------------------------------------------------------------------

create table app.customer_changes (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null,
  customer_id uuid not null,
  field text not null,
  old_value text,
  new_value text,
  changed_at timestamptz not null default now(),
  changed_by uuid,
  constraint customer_changes_field_is_known check (field in ('renewal_stage', 'account_plan')),
  constraint customer_changes_customer_is_in_organisation foreign key (customer_id, org_id)
    references app.customers (id, org_id) on delete cascade
);
comment on table app.customer_changes is 'Each change of a customer''s renewal stage or account plan, written by a trigger on customers (the timeline reads it).';
alter table app.customer_changes enable row level security;
grant select on app.customer_changes to authenticated;
grant select, insert, update, delete on app.customer_changes to service_role;

create index customer_changes_customer_id_changed_at_idx on app.customer_changes (customer_id, org_id, changed_at desc, id desc);

-- First rule that matches wins; a missing health counts as 50, a missing ARR as 0.
create or replace function app.calculate_account_plan(arr numeric, health_score integer)
returns text
language sql
immutable
parallel safe
set search_path = ''
as $$
  select case
    when coalesce(calculate_account_plan.arr, 0) > 150000
      and coalesce(calculate_account_plan.health_score, 50) > 75 then 'expand'
    when coalesce(calculate_account_plan.arr, 0) > 50000
      and coalesce(calculate_account_plan.health_score, 50) > 60 then 'invest'
    when coalesce(calculate_account_plan.health_score, 50) < 50 then 'monitor'
    else 'manage'
  end
$$;
comment on function app.calculate_account_plan(numeric, integer) is 'The account plan (expand, invest, monitor, manage) for an ARR and health score (docs/business-rules.md).';
grant execute on function app.calculate_account_plan(numeric, integer) to authenticated, service_role;

-- Whole days until renewal as of a date; null without a renewal date.
create or replace function app.calculate_renewal_stage(renewal_date date, as_of date default current_date)
returns text
language sql
immutable
parallel safe
set search_path = ''
as $$
  select case
    when calculate_renewal_stage.renewal_date is null or calculate_renewal_stage.as_of is null then null
    when calculate_renewal_stage.renewal_date - calculate_renewal_stage.as_of < 0 then 'Overdue'
    when calculate_renewal_stage.renewal_date - calculate_renewal_stage.as_of < 7 then 'Emergency'
    when calculate_renewal_stage.renewal_date - calculate_renewal_stage.as_of < 14 then 'Critical'
    when calculate_renewal_stage.renewal_date - calculate_renewal_stage.as_of < 30 then 'Signature'
    when calculate_renewal_stage.renewal_date - calculate_renewal_stage.as_of < 60 then 'Finalize'
    when calculate_renewal_stage.renewal_date - calculate_renewal_stage.as_of < 90 then 'Negotiate'
    when calculate_renewal_stage.renewal_date - calculate_renewal_stage.as_of < 120 then 'Engage'
    when calculate_renewal_stage.renewal_date - calculate_renewal_stage.as_of < 180 then 'Prepare'
    else 'Monitor'
  end
$$;
comment on function app.calculate_renewal_stage(date, date) is 'The renewal stage (Overdue ... Monitor) for a renewal date as of a day (docs/business-rules.md).';
grant execute on function app.calculate_renewal_stage(date, date) to authenticated, service_role;

create or replace function app.renewal_stage_urgency(stage text)
returns integer
language sql
immutable
parallel safe
set search_path = ''
as $$
  select case renewal_stage_urgency.stage
    when 'Overdue' then 100
    when 'Emergency' then 90
    when 'Critical' then 80
    when 'Signature' then 70
    when 'Finalize' then 60
    when 'Negotiate' then 50
    when 'Engage' then 40
    when 'Prepare' then 30
    when 'Monitor' then 20
  end
$$;
comment on function app.renewal_stage_urgency(text) is 'The urgency of a renewal stage (100 for Overdue ... 20 for Monitor); null for an unknown stage.';
grant execute on function app.renewal_stage_urgency(text) to authenticated, service_role;

-- Today in the organisation's time zone ('UTC' when it has no settings row).
create or replace function app.organisation_today(org_id uuid)
returns date
language sql
stable
set search_path = ''
as $$
  select (now() at time zone coalesce(
    (select s.time_zone from app.organisation_settings s where s.org_id = organisation_today.org_id),
    'UTC'
  ))::date
$$;
comment on function app.organisation_today(uuid) is 'The current date in the organisation''s time zone.';
grant execute on function app.organisation_today(uuid) to authenticated, service_role;

-- Keeps account_plan, decision_date and renewal_stage current on insert and on every
-- change of their inputs. A direct write to account_plan is recomputed too (it is never
-- hand-set). A new customer has no contract yet (contracts reference it), so its decision
-- date is its renewal date; afterwards it is read from the contract in force on every
-- update of the trigger's columns (the contracts trigger touches decision_date to ask for
-- it). The stage follows the decision date, so the re-stamp job can stamp it as of a day.
create or replace function app.derive_customer_fields()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.account_plan := app.calculate_account_plan(new.arr, new.health_score);
  if tg_op = 'INSERT' then
    new.decision_date := new.renewal_date;
  else
    new.decision_date := app.customer_decision_date(new.id, new.org_id, new.renewal_date);
  end if;
  if tg_op = 'INSERT'
    or new.renewal_date is distinct from old.renewal_date
    or new.decision_date is distinct from old.decision_date
    or new.org_id is distinct from old.org_id then
    new.renewal_stage := app.calculate_renewal_stage(new.decision_date, app.organisation_today(new.org_id));
  end if;
  return new;
end;
$$;

-- The customers among `customer_ids` whose rows this transaction could lock without
-- waiting, together with the rows a change of their priority inputs writes: their open
-- executions and the queue stats rows of those executions' assignees. A job that can leave
-- work to its next run writes only these (docs/workflow-engine.md "Lock order"): it takes
-- the coarse lock first, a person's two stats rows (people sorted, as the queue's writers
-- take them), then the customers (sorted), then their open executions (sorted), each with
-- `skip locked`, so it never waits for a transaction working on the same queue while it
-- holds rows that transaction will want. A customer left out (a row of it, of one of its
-- open executions or of their assignee's stats is held) is taken by the next run.
create or replace function app.lock_customers_for_job(customer_ids uuid[])
returns uuid[]
language plpgsql
set search_path = ''
as $$
declare
  v_people uuid[];
  v_customers uuid[];
begin
  if customer_ids is null or cardinality(customer_ids) = 0 then
    return '{}'::uuid[];
  end if;
  -- The people whose every stats row this transaction now holds (a person's id is unique
  -- across organisations).
  with people as materialized (
    select distinct e.assigned_to
      from unnest(lock_customers_for_job.customer_ids) as c(id)
      join app.workflow_executions e on e.customer_id = c.id
     where e.status in ('queued', 'in_progress', 'snoozed', 'escalated') and e.assigned_to is not null
  ), held as materialized (
    select s.org_id, s.assigned_to
      from app.queue_stats s
     where s.assigned_to in (select p.assigned_to from people p)
     order by s.org_id, s.assigned_to, s.include_snoozed
       for no key update skip locked
  )
  select coalesce(array_agg(p.assigned_to), '{}'::uuid[]) into v_people
    from people p
   where (select count(*) from held h where h.assigned_to = p.assigned_to)
         = (select count(*) from app.queue_stats a where a.assigned_to = p.assigned_to);

  select coalesce(array_agg(x.id), '{}'::uuid[]) into v_customers
    from (select c.id from app.customers c
           where c.id = any(lock_customers_for_job.customer_ids)
           order by c.id
             for no key update skip locked) x;

  -- Locked rows are read as they are now (a concurrent reassignment that committed shows).
  with locked as materialized (
    select e.id, e.customer_id, e.assigned_to
      from app.workflow_executions e
     where e.customer_id = any(v_customers) and e.status in ('queued', 'in_progress', 'snoozed', 'escalated')
     order by e.id
       for no key update skip locked
  )
  select coalesce(array_agg(c.id), '{}'::uuid[]) into v_customers
    from unnest(v_customers) as c(id)
   where not exists (
           select 1 from app.workflow_executions e
            where e.customer_id = c.id and e.status in ('queued', 'in_progress', 'snoozed', 'escalated')
              and not exists (select 1 from locked l where l.id = e.id))
     and not exists (
           select 1 from locked l
            where l.customer_id = c.id and l.assigned_to is not null
              and l.assigned_to <> all(v_people));
  return v_customers;
end;
$$;
comment on function app.lock_customers_for_job(uuid[]) is
  'Locks without waiting (skip locked) the given customers, their open executions and their assignees'' queue stats rows, coarse to fine; returns the customers whose every such row it holds.';
revoke execute on function app.lock_customers_for_job(uuid[]) from public, anon, authenticated;
grant execute on function app.lock_customers_for_job(uuid[]) to service_role;

-- Re-stamps every customer whose stored stage differs from its stage as of `as_of`
-- (default: each organisation's own today), optionally for one organisation. Writes only
-- the rows that changed, and only those it could lock without waiting
-- (app.lock_customers_for_job): a new stage re-scores the customer's open executions and
-- re-renders their assignee's queue, which a person may be changing right now; the
-- customers it leaves are re-stamped by the next hourly run. Returns how many changed.
-- The stage is computed from the decision date, as everywhere.
create or replace function app.restamp_renewal_stages(as_of date default null, org_id uuid default null)
returns integer
language plpgsql
set search_path = ''
as $$
declare
  v_ids uuid[];
  changed integer;
begin
  select app.lock_customers_for_job(array_agg(c.id)) into v_ids
    from app.customers c
    left join app.organisation_settings s on s.org_id = c.org_id
   where (restamp_renewal_stages.org_id is null or c.org_id = restamp_renewal_stages.org_id)
     and c.renewal_stage is distinct from app.calculate_renewal_stage(
           c.decision_date,
           coalesce(restamp_renewal_stages.as_of, (now() at time zone coalesce(s.time_zone, 'UTC'))::date));
  -- The rows are locked: they are read (and re-stamped) as they are now.
  update app.customers c
     set renewal_stage = x.stage
    from (select c2.id,
                 app.calculate_renewal_stage(
                   c2.decision_date,
                   coalesce(restamp_renewal_stages.as_of, (now() at time zone coalesce(s.time_zone, 'UTC'))::date)) as stage
            from app.customers c2
            left join app.organisation_settings s on s.org_id = c2.org_id
           where c2.id = any(v_ids)) x
   where c.id = x.id
     and c.renewal_stage is distinct from x.stage;
  get diagnostics changed = row_count;
  return changed;
end;
$$;
comment on function app.restamp_renewal_stages(date, uuid) is 'Re-stamps stale renewal stages (as of a day, default each organisation''s today); returns the number changed.';
grant execute on function app.restamp_renewal_stages(date, uuid) to authenticated, service_role;

-- The ids of one page of the caller's organisation's customers, in (lower(name), id) order.
create or replace function app.customer_page(
  pattern text, exact_external_id text, after_name text, after_id uuid, max_rows integer
)
returns table (id uuid, sort_name text)
language plpgsql
stable
rows 50
security definer -- RLS would keep LIKE/lower()/keyset conditions off the indexes; the organisation filter is explicit below
set search_path = ''
as $$
declare
  v_org uuid := (select app.current_org_id());
begin
  if v_org is null then
    return;
  end if;
  -- EXECUTE plans with the actual values: the planner sees how selective the pattern is.
  return query execute
    'select c.id, lower(c.name)
       from app.customers c
      where c.org_id = $1
        and ($4::uuid is null or (lower(c.name), c.id) > ($3, $4))
        and ($2::text is null or lower(c.name || '' '' || coalesce(c.domain, '''')) like $2 or c.external_id = $5)
      order by lower(c.name), c.id
      limit $6'
    using v_org, customer_page.pattern, customer_page.after_name, customer_page.after_id,
          customer_page.exact_external_id, customer_page.max_rows;
end;
$$;
comment on function app.customer_page(text, text, text, uuid, integer) is 'Ids of one keyset page of the caller''s organisation''s customers (list_customers), optionally filtered by a LIKE pattern or exact external id.';
grant execute on function app.customer_page(text, text, text, uuid, integer) to authenticated;

---------------------------------------------------------------------------------------
-- Field keys and values
---------------------------------------------------------------------------------------
create or replace function app.contract_field_keys()
returns text[]
language sql
immutable
parallel safe
set search_path = ''
as $$
  select array['start_date', 'end_date', 'auto_renew', 'notice_period_days', 'term_months', 'annual_value',
               'currency', 'price_increase_cap_pct', 'termination_for_convenience', 'payment_terms']
$$;
comment on function app.contract_field_keys() is 'The contract fields extraction proposes, in review order.';
grant execute on function app.contract_field_keys() to authenticated, service_role;

-- A field value in its canonical JSON form, or an exception 22023 naming the field.
create or replace function app.contract_field_value(field_key text, value jsonb)
returns jsonb
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_text text := case when jsonb_typeof(value) in ('string', 'number', 'boolean') then value #>> '{}' end;
  v_number numeric;
  v_date date;
begin
  if value is null or jsonb_typeof(value) = 'null' then
    return null;
  end if;
  if v_text is null then
    raise exception 'The value of % must be a single value', field_key using errcode = '22023',
      hint = 'Send a string, number or boolean.';
  end if;
  case field_key
    when 'start_date', 'end_date' then
      begin
        v_date := case when v_text ~ '^\d{4}-\d{2}-\d{2}$' then pg_catalog.to_date(v_text, 'YYYY-MM-DD') end;
      exception when others then
        v_date := null; -- 30 February and the like
      end;
      if v_date is null or pg_catalog.to_char(v_date, 'YYYY-MM-DD') <> v_text then
        raise exception 'The value of % must be a date (YYYY-MM-DD)', field_key using errcode = '22023',
          hint = 'For example 2027-03-29.';
      end if;
      return to_jsonb(v_text);
    when 'auto_renew', 'termination_for_convenience' then
      if jsonb_typeof(value) <> 'boolean' then
        raise exception 'The value of % must be true or false', field_key using errcode = '22023', hint = 'Send a boolean.';
      end if;
      return value;
    when 'notice_period_days', 'term_months' then
      if v_text !~ '^\d{1,5}$' or v_text::integer > (case field_key when 'notice_period_days' then 3650 else 600 end)
         or (field_key = 'term_months' and v_text::integer < 1) then
        raise exception 'The value of % must be a whole number in range', field_key using errcode = '22023',
          hint = 'Notice: 0 to 3650 days; term: 1 to 600 months.';
      end if;
      return to_jsonb(v_text::integer);
    when 'annual_value', 'price_increase_cap_pct' then
      if v_text !~ '^\d{1,12}(\.\d{1,2})?$' then
        raise exception 'The value of % must be a non-negative amount with at most two decimals', field_key using errcode = '22023',
          hint = 'For example 48000 or 5.5.';
      end if;
      v_number := v_text::numeric;
      if field_key = 'price_increase_cap_pct' and v_number > 100 then
        raise exception 'The price increase cap is a percentage from 0 to 100' using errcode = '22023', hint = 'For example 5.';
      end if;
      return to_jsonb(v_number);
    when 'currency' then
      if v_text !~ '^[A-Z]{3}$' then
        raise exception 'The currency must be a three-letter ISO code' using errcode = '22023', hint = 'For example USD, EUR or GBP.';
      end if;
      return to_jsonb(v_text);
    when 'payment_terms' then
      if length(btrim(v_text)) = 0 or length(v_text) > 200 then
        raise exception 'Payment terms must be 1 to 200 characters' using errcode = '22023', hint = 'For example "Net 30".';
      end if;
      return to_jsonb(btrim(v_text));
    else
      raise exception 'Unknown contract field %', field_key using errcode = '22023',
        hint = 'Fields: ' || array_to_string(app.contract_field_keys(), ', ') || '.';
  end case;
end;
$$;
comment on function app.contract_field_value(text, jsonb) is 'Checks and normalises one contract field value (22023 naming the field when it is not valid).';
grant execute on function app.contract_field_value(text, jsonb) to authenticated, service_role;

-- Spaces and line breaks do not make a quote differ from the text (a PDF breaks lines).
create or replace function app.contract_normalise_text(value text)
returns text
language sql
immutable
parallel safe
set search_path = ''
as $$
  select btrim(regexp_replace(coalesce(value, ''), '\s+', ' ', 'g'))
$$;
grant execute on function app.contract_normalise_text(text) to authenticated, service_role;

---------------------------------------------------------------------------------------
-- Reading
---------------------------------------------------------------------------------------
create or replace function app.contract_extraction_json(x app.contract_extractions, with_pages boolean)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select jsonb_build_object(
    'id', x.id,
    'customer_id', x.customer_id,
    'object_path', x.object_path,
    'document_name', x.document_name,
    'model', x.model,
    'page_count', cardinality(x.pages),
    'created_by', x.created_by,
    'created_at', x.created_at,
    'status', case
      when bool_and(f.status <> 'proposed' or f.proposed_value is null) filter (where true) then 'reviewed'
      else 'proposed' end,
    'fields', coalesce(jsonb_agg(jsonb_build_object(
        'key', f.field_key,
        'value', f.proposed_value,
        'quote', f.quote,
        'page', f.page,
        'confidence', f.confidence,
        'quote_discarded', f.quote_discarded,
        'status', f.status,
        'confirmed_value', f.confirmed_value,
        'decided_by', f.decided_by,
        'decided_at', f.decided_at)
      order by array_position(app.contract_field_keys(), f.field_key)), '[]'::jsonb)
  ) || case when with_pages then jsonb_build_object('pages', to_jsonb(x.pages)) else '{}'::jsonb end
  from app.contract_extraction_fields f
  where f.extraction_id = x.id and f.org_id = x.org_id
$$;
grant execute on function app.contract_extraction_json(app.contract_extractions, boolean) to authenticated, service_role;

create or replace function public.list_contract_extractions(customer_id uuid)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
begin
  perform 1 from app.customers c where c.id = list_contract_extractions.customer_id;
  if not found then
    raise exception 'Customer not found' using errcode = 'PT404',
      hint = 'Check the customer id; you only see customers of your own organisation.';
  end if;
  return coalesce((
    select jsonb_agg(app.contract_extraction_json(x, false) order by x.created_at desc, x.id)
      from app.contract_extractions x
     where x.customer_id = list_contract_extractions.customer_id
  ), '[]'::jsonb);
end;
$$;
comment on function public.list_contract_extractions(uuid) is
  'A customer''s contract extractions, newest first, each with its fields (value, quote, page, confidence, decision).';
revoke execute on function public.list_contract_extractions(uuid) from public, anon;
grant execute on function public.list_contract_extractions(uuid) to authenticated;

create or replace function public.get_contract_extraction(extraction_id uuid)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_x app.contract_extractions;
begin
  select * into v_x from app.contract_extractions x where x.id = get_contract_extraction.extraction_id;
  if not found then
    raise exception 'Contract extraction not found' using errcode = 'PT404',
      hint = 'Check the id; you only see extractions of your own organisation.';
  end if;
  return app.contract_extraction_json(v_x, true);
end;
$$;
comment on function public.get_contract_extraction(uuid) is 'One contract extraction with its fields and the document''s text by page (for the review screen).';
revoke execute on function public.get_contract_extraction(uuid) from public, anon;
grant execute on function public.get_contract_extraction(uuid) to authenticated;

---------------------------------------------------------------------------------------
-- Recording (service role only)
---------------------------------------------------------------------------------------


-- The request is one the person may make: a csm, manager or admin of the customer's
-- organisation, a document stored under the customer's folder of `contracts`, a text and
-- a list of fields.
create or replace function app.check_contract_extraction_request(
  requested_by uuid, customer app.customers, object_path text, pages text[], fields jsonb)
returns void
language plpgsql
stable
set search_path = ''
as $$
begin
  if not exists (select 1 from app.profiles p
                  where p.id = check_contract_extraction_request.requested_by and p.org_id = customer.org_id
                    and p.role in ('csm', 'manager', 'admin')) then
    raise exception 'Only a csm, manager or admin of the customer''s organisation can extract a contract' using errcode = '42501',
      hint = 'Ask a colleague with one of those roles.';
  end if;
  if object_path is null
     or split_part(object_path, '/', 1) <> customer.org_id::text
     or split_part(object_path, '/', 2) <> customer.id::text
     or not exists (select 1 from storage.objects o
                     where o.bucket_id = 'contracts' and o.name = check_contract_extraction_request.object_path) then
    raise exception 'The document is not one of this customer''s contract documents' using errcode = 'PT404',
      hint = 'Upload it to contracts/<organisation>/<customer>/ first.';
  end if;
  if pages is null or cardinality(pages) = 0 then
    raise exception 'The document has no text' using errcode = '22023',
      hint = 'Upload a PDF with a text layer or a plain text file.';
  end if;
  if fields is null or jsonb_typeof(fields) <> 'array' then
    raise exception 'fields must be an array' using errcode = '22023', hint = 'One object per field.';
  end if;
end;
$$;
revoke execute on function app.check_contract_extraction_request(uuid, app.customers, text, text[], jsonb)
  from public, anon, authenticated;
grant execute on function app.check_contract_extraction_request(uuid, app.customers, text, text[], jsonb) to service_role;

-- The citation rule: the page whose (normalised) text holds the quote — the page the model
-- named, else the first that does; null when none does or the quote is empty.
create or replace function app.contract_quote_page(normal_pages text[], quote text, page integer)
returns integer
language sql
immutable
set search_path = ''
as $$
  select case
    when quote = '' then null
    when page between 1 and cardinality(normal_pages) and strpos(normal_pages[page], quote) > 0 then page
    else (select i from generate_subscripts(normal_pages, 1) i where strpos(normal_pages[i], quote) > 0 order by i limit 1)
  end
$$;
revoke execute on function app.contract_quote_page(text[], text, integer) from public, anon, authenticated;
grant execute on function app.contract_quote_page(text[], text, integer) to service_role;

-- One field's row of an extraction from what the model proposed (`field`, null when it
-- said nothing): a malformed value is no proposal; a value whose quote is not in the text
-- is discarded (quote_discarded).
create or replace function app.record_contract_extraction_field(
  x app.contract_extractions, field_key text, field jsonb, normal_pages text[])
returns void
language plpgsql
set search_path = ''
as $$
declare
  v_value jsonb;
  v_quote text;
  v_page integer;
  v_confidence numeric := 0;
begin
  if field is not null and jsonb_typeof(field -> 'value') is distinct from 'null' and field ? 'value' then
    begin
      v_value := app.contract_field_value(field_key, field -> 'value');
    exception when sqlstate '22023' then
      v_value := null; -- a malformed proposal is no proposal
    end;
    v_quote := app.contract_normalise_text(field ->> 'quote');
    v_page := case when (field ->> 'page') ~ '^\d{1,3}$' then (field ->> 'page')::integer end;
    v_confidence := least(greatest(coalesce(case when (field ->> 'confidence') ~ '^\d*\.?\d+$' then (field ->> 'confidence')::numeric end, 0), 0), 1);
    if v_value is not null then
      v_page := app.contract_quote_page(normal_pages, v_quote, v_page);
      if v_page is null then
        insert into app.contract_extraction_fields (org_id, extraction_id, field_key, confidence, quote_discarded)
        values (x.org_id, x.id, record_contract_extraction_field.field_key, 0, true);
        return;
      end if;
    end if;
  end if;
  insert into app.contract_extraction_fields (org_id, extraction_id, field_key, proposed_value, quote, page, confidence)
  values (x.org_id, x.id, record_contract_extraction_field.field_key, v_value,
          case when v_value is not null then v_quote end,
          case when v_value is not null then v_page end,
          case when v_value is not null then round(v_confidence, 3) else 0 end);
end;
$$;
revoke execute on function app.record_contract_extraction_field(app.contract_extractions, text, jsonb, text[])
  from public, anon, authenticated;
grant execute on function app.record_contract_extraction_field(app.contract_extractions, text, jsonb, text[]) to service_role;
create or replace function public.record_contract_extraction(
  requested_by uuid,
  customer_id uuid,
  object_path text,
  model text,
  pages text[],
  fields jsonb
)
returns jsonb
language plpgsql
volatile
set search_path = ''
as $$
declare
  v_customer app.customers;
  v_key text;
  v_normal_pages text[];
  v_x app.contract_extractions;
begin
  select * into v_customer from app.customers c where c.id = record_contract_extraction.customer_id;
  if not found then
    raise exception 'Customer not found' using errcode = 'PT404', hint = 'Check the customer id.';
  end if;
  perform app.check_contract_extraction_request(requested_by, v_customer, object_path, pages, fields);

  insert into app.contract_extractions (org_id, customer_id, object_path, document_name, model, pages, created_by)
  values (v_customer.org_id, v_customer.id, object_path, split_part(object_path, '/', 3), coalesce(nullif(model, ''), 'unknown'),
          pages, requested_by)
  returning * into v_x;
  v_normal_pages := array(select app.contract_normalise_text(p) from unnest(pages) as p);
  -- One row per known field; what the model said about unknown keys is ignored.
  for v_key in select unnest(app.contract_field_keys()) loop
    perform app.record_contract_extraction_field(v_x, v_key,
      (select f.value from jsonb_array_elements(record_contract_extraction.fields) as f(value) where f.value ->> 'key' = v_key limit 1),
      v_normal_pages);
  end loop;

  -- The document's text joins the customer's searchable history.
  perform app.index_customer_history(v_customer.org_id, v_customer.id, 'contract', v_x.id, now(),
                                     'Contract document ' || v_x.document_name, array_to_string(pages, E'\n\n'));
  return jsonb_build_object('extraction_id', v_x.id) || app.contract_extraction_json(v_x, false);
end;
$$;
comment on function public.record_contract_extraction(uuid, uuid, text, text, text[], jsonb) is
  'Service role only: stores an extraction of a contract document the requesting person may read (extract-contract calls it after downloading the document as that person); quotes not found verbatim in the text are discarded.';
revoke execute on function public.record_contract_extraction(uuid, uuid, text, text, text[], jsonb) from public, anon, authenticated;
grant execute on function public.record_contract_extraction(uuid, uuid, text, text, text[], jsonb) to service_role;

---------------------------------------------------------------------------------------
-- Confirming
---------------------------------------------------------------------------------------

-- Writes confirmed values to the customer's contract in force (creating one when there is
-- none) and the renewal date. Definer: a csm confirms terms, while contracts and customers
-- are written by managers and admins under RLS; confirm_contract_fields checks the caller.
create or replace function app.apply_confirmed_contract_fields(extraction_id uuid, applied jsonb)
returns uuid
language plpgsql
volatile
security definer -- writes contracts and customers on behalf of a csm who confirmed the terms
set search_path = ''
as $$
declare
  v_x app.contract_extractions;
  v_contract app.contracts;
  v_terms jsonb;
  v_start date;
  v_end date;
begin
  select * into v_x from app.contract_extractions x where x.id = apply_confirmed_contract_fields.extraction_id;
  select * into v_contract from app.contracts k
   where k.customer_id = v_x.customer_id and k.org_id = v_x.org_id and k.status = 'active'
   order by k.end_date desc nulls first, k.start_date desc
   limit 1
   for update;
  if v_contract.id is null then
    insert into app.contracts (org_id, customer_id, status, start_date, document_url)
    values (v_x.org_id, v_x.customer_id, 'active',
            coalesce((applied ->> 'start_date')::date, app.organisation_today(v_x.org_id)), 'contracts/' || v_x.object_path)
    returning * into v_contract;
  end if;

  v_start := coalesce((applied ->> 'start_date')::date, v_contract.start_date);
  v_end := case when applied ? 'end_date' then (applied ->> 'end_date')::date else v_contract.end_date end;
  if v_end is not null and v_end < v_start then
    raise exception 'The end date % is before the start date %', v_end, v_start using errcode = '22023',
      hint = 'Correct the start or the end date.';
  end if;
  v_terms := v_contract.terms || jsonb_strip_nulls(jsonb_build_object(
    'term_months', applied -> 'term_months',
    'price_increase_cap_pct', applied -> 'price_increase_cap_pct',
    'termination_for_convenience', applied -> 'termination_for_convenience',
    'payment_terms', applied -> 'payment_terms'));

  update app.contracts k
     set start_date = v_start,
         end_date = v_end,
         auto_renew = coalesce((applied ->> 'auto_renew')::boolean, k.auto_renew),
         notice_period_days = case when applied ? 'notice_period_days' then (applied ->> 'notice_period_days')::integer else k.notice_period_days end,
         annual_value = case when applied ? 'annual_value' then (applied ->> 'annual_value')::numeric else k.annual_value end,
         currency = coalesce(applied ->> 'currency', k.currency),
         terms = v_terms,
         document_url = 'contracts/' || v_x.object_path
   where k.id = v_contract.id;

  -- The customer renews the day after the term ends (the contracts trigger re-stages it).
  if applied ? 'end_date' then
    update app.customers c set renewal_date = v_end + 1
     where c.id = v_x.customer_id and c.org_id = v_x.org_id and c.renewal_date is distinct from v_end + 1;
  end if;
  return v_contract.id;
end;
$$;
comment on function app.apply_confirmed_contract_fields(uuid, jsonb) is 'Writes confirmed extraction values to the customer''s contract in force and renewal date.';
-- Only app.decide_contract_fields (definer, owned by the same role) calls it.
revoke execute on function app.apply_confirmed_contract_fields(uuid, jsonb) from public, anon, authenticated;

-- The decisions on an extraction's fields, recorded and applied, as the signed-in person.
-- Definer: the fields table has no write policy (nobody edits a proposal or its quote).
-- confirm_contract_fields checks first; the guard here repeats the organisation and role
-- check so the function is safe whoever calls it.
create or replace function app.decide_contract_fields(extraction_id uuid, fields jsonb)
returns jsonb
language plpgsql
volatile
security definer -- records decisions on proposals no person may write directly
set search_path = ''
as $$
declare
  v_item jsonb;
  v_key text;
  v_value jsonb;
  v_applied jsonb := '{}'::jsonb;
  v_seen text[] := '{}'::text[];
  v_person uuid := (select auth.uid());
begin
  -- Guard: the caller's organisation and role; one set of decisions at a time per extraction.
  perform 1 from app.contract_extractions x
   where x.id = decide_contract_fields.extraction_id and x.org_id = app.current_org_id()
     for update;
  if not found then
    raise exception 'Contract extraction not found' using errcode = 'PT404',
      hint = 'Check the id; you only see extractions of your own organisation.';
  end if;
  if not app.has_role('csm', 'manager', 'admin') then
    raise exception 'Only a csm, manager or admin can confirm contract terms' using errcode = '42501',
      hint = 'Ask a colleague with one of those roles.';
  end if;

  for v_item in select f.value from jsonb_array_elements(decide_contract_fields.fields) as f(value) loop
    v_key := case when jsonb_typeof(v_item) = 'object' then v_item ->> 'key' end;
    if v_key is null or not (v_key = any (app.contract_field_keys())) then
      raise exception 'Unknown contract field %', coalesce(v_key, '(none)') using errcode = '22023',
        hint = 'Fields: ' || array_to_string(app.contract_field_keys(), ', ') || '.';
    end if;
    if v_key = any (v_seen) then
      raise exception 'The field % is named twice', v_key using errcode = '22023', hint = 'Name each field once.';
    end if;
    v_seen := v_seen || v_key;

    if v_item -> 'reject' = 'true'::jsonb then
      update app.contract_extraction_fields f
         set status = 'rejected', confirmed_value = null, decided_by = v_person, decided_at = now()
       where f.extraction_id = decide_contract_fields.extraction_id and f.field_key = v_key;
      continue;
    end if;
    if not (v_item ? 'value') or jsonb_typeof(v_item -> 'value') = 'null' then
      raise exception 'The field % needs a value (or "reject": true)', v_key using errcode = '22023',
        hint = 'Confirm the proposed value, type the right one, or reject the field.';
    end if;
    v_value := app.contract_field_value(v_key, v_item -> 'value');
    update app.contract_extraction_fields f
       set status = case when v_value = f.proposed_value then 'confirmed' else 'corrected' end,
           confirmed_value = v_value, decided_by = v_person, decided_at = now()
     where f.extraction_id = decide_contract_fields.extraction_id and f.field_key = v_key;
    v_applied := v_applied || jsonb_build_object(v_key, v_value);
  end loop;

  if v_applied = '{}'::jsonb then
    return jsonb_build_object('contract_id', null, 'applied', v_applied);
  end if;
  return jsonb_build_object('contract_id', app.apply_confirmed_contract_fields(decide_contract_fields.extraction_id, v_applied),
                            'applied', v_applied);
end;
$$;
comment on function app.decide_contract_fields(uuid, jsonb) is 'Records confirm/correct/reject decisions on extracted fields and applies the confirmed values.';
revoke execute on function app.decide_contract_fields(uuid, jsonb) from public, anon;
grant execute on function app.decide_contract_fields(uuid, jsonb) to authenticated;

-- fields: [{"key": "notice_period_days", "value": 60}, {"key": "auto_renew", "reject": true}, ...]
-- A value equal to the proposal confirms it, another value corrects it; `reject` leaves the
-- contract as it is for that field. Fields not named stay as they are.
create or replace function public.confirm_contract_fields(extraction_id uuid, fields jsonb)
returns jsonb
language plpgsql
volatile
set search_path = ''
as $$
declare
  v_x app.contract_extractions;
  v_result jsonb;
begin
  -- Visibility first (RLS): another organisation's extraction is not found.
  select * into v_x from app.contract_extractions x where x.id = confirm_contract_fields.extraction_id;
  if not found then
    raise exception 'Contract extraction not found' using errcode = 'PT404',
      hint = 'Check the id; you only see extractions of your own organisation.';
  end if;
  if not (select app.has_role('csm', 'manager', 'admin')) then
    raise exception 'Only a csm, manager or admin can confirm contract terms' using errcode = '42501',
      hint = 'Ask a colleague with one of those roles.';
  end if;
  if confirm_contract_fields.fields is null or jsonb_typeof(confirm_contract_fields.fields) <> 'array'
     or jsonb_array_length(confirm_contract_fields.fields) = 0 then
    raise exception 'fields must be a non-empty array' using errcode = '22023',
      hint = 'Send [{"key": "notice_period_days", "value": 60}] or [{"key": "...", "reject": true}].';
  end if;

  v_result := app.decide_contract_fields(v_x.id, confirm_contract_fields.fields);

  return app.contract_extraction_json(v_x, false)
    || v_result
    || jsonb_build_object('customer', (
         select jsonb_build_object('id', c.id, 'renewal_date', c.renewal_date, 'decision_date', c.decision_date,
                                   'renewal_stage', c.renewal_stage)
           from app.customers c where c.id = v_x.customer_id));
end;
$$;
comment on function public.confirm_contract_fields(uuid, jsonb) is
  'Confirms, corrects or rejects extracted contract fields one by one; confirmed values update the contract (and so the decision date, stage, priority and lane).';
revoke execute on function public.confirm_contract_fields(uuid, jsonb) from public, anon;
grant execute on function public.confirm_contract_fields(uuid, jsonb) to authenticated;

create or replace function app.record_customer_changes()
returns trigger
language plpgsql
security definer -- writes the change log whoever changed the customer (no insert policy for people)
set search_path = ''
as $$
begin
  insert into app.customer_changes (org_id, customer_id, field, old_value, new_value, changed_by)
  select new.org_id, new.id, f.field, f.old_value, f.new_value, (select auth.uid())
    from (values ('renewal_stage', old.renewal_stage, new.renewal_stage),
                 ('account_plan', old.account_plan, new.account_plan)) f(field, old_value, new_value)
   where f.old_value is distinct from f.new_value;
  return null;
end;
$$;
comment on function app.record_customer_changes() is 'Trigger: logs changes of renewal_stage and account_plan to app.customer_changes.';

---------------------------------------------------------------------------------------
-- 3. get_customer_timeline
---------------------------------------------------------------------------------------


---------------------------------------------------------------------------------------
-- public.get_customer_timeline: the kinds asked for and the cursor each read and checked
-- by a small function; the one union query (a branch per source, each cut to a page
-- after the cursor) stays in get_customer_timeline, so its plan and cost are unchanged.
---------------------------------------------------------------------------------------

-- Every kind of timeline entry, in the order the answer lists them.
create or replace function app.timeline_kinds()
returns text[]
language sql
immutable
parallel safe
set search_path = ''
as $$
  select array['engagement', 'workflow_started', 'workflow_completed', 'action', 'email',
               'artifact_approved', 'stage_change', 'plan_change', 'forecast_change']
$$;
revoke execute on function app.timeline_kinds() from public, anon;
grant execute on function app.timeline_kinds() to authenticated;

-- The kinds a request asks for (null: every kind); 22023 naming the first unknown one.
create or replace function app.timeline_wanted_kinds(kinds text[])
returns text[]
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_bad text;
begin
  if kinds is null then
    return app.timeline_kinds();
  end if;
  select k into v_bad from unnest(kinds) k where k is null or k <> all(app.timeline_kinds()) limit 1;
  if found then
    raise exception 'kinds has an unknown value "%"', left(coalesce(v_bad, 'null'), 60) using errcode = '22023',
      hint = 'Allowed: ' || array_to_string(app.timeline_kinds(), ', ') || '.';
  end if;
  return kinds;
end;
$$;
revoke execute on function app.timeline_wanted_kinds(text[]) from public, anon;
grant execute on function app.timeline_wanted_kinds(text[]) to authenticated;

-- The entry a timeline cursor names (occurred_at, id, kind; all null for the first page);
-- 22023 when it is not a cursor.
create or replace function app.timeline_cursor(cursor text, out at timestamptz, out id uuid, out kind text)
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_cur jsonb;
begin
  if cursor is null then
    return;
  end if;
  begin
    v_cur := convert_from(decode(cursor, 'base64'), 'UTF8')::jsonb;
    at := (v_cur ->> 't')::timestamptz;
    id := (v_cur ->> 'i')::uuid;
    kind := v_cur ->> 'k';
  exception when others then
    id := null;
  end;
  if id is null or at is null or kind is null then
    raise exception 'cursor is not valid' using errcode = '22023',
      hint = 'Pass the next_cursor of the previous page unchanged, or no cursor for the first page.';
  end if;
end;
$$;
revoke execute on function app.timeline_cursor(text) from public, anon;
grant execute on function app.timeline_cursor(text) to authenticated;
create or replace function public.get_customer_timeline(
  customer_id uuid,
  page_size integer default 50,
  cursor text default null,
  kinds text[] default null
)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_org uuid := app.current_org_id();
  v_want text[];
  c_at timestamptz;
  c_id uuid;
  c_kind text;
  v_limit integer;
  v_items jsonb;
  v_next text;
begin
  if v_org is null then
    raise exception 'Only members of an organisation can read timelines' using errcode = '42501';
  end if;
  if get_customer_timeline.customer_id is null then
    raise exception 'customer_id is required' using errcode = '22023';
  end if;
  perform app.check_page_size(get_customer_timeline.page_size, 200, 'Ask for at most 200 entries and follow next_cursor.');
  v_want := app.timeline_wanted_kinds(get_customer_timeline.kinds);
  select * into c_at, c_id, c_kind from app.timeline_cursor(get_customer_timeline.cursor);
  -- Visible (RLS) and of the caller's organisation, else PT404 (never say which).
  if not exists (select 1 from app.customers c where c.id = get_customer_timeline.customer_id and c.org_id = v_org) then
    raise exception 'Customer not found' using errcode = 'PT404',
      hint = 'Check the id; you can only see customers of your own organisation.';
  end if;
  v_limit := get_customer_timeline.page_size + 1;

  -- Every source yields (occurred_at, id, kind, ...) ordered newest first and cut to one
  -- page after the cursor; ties on occurred_at break by id, then kind (a workflow's start
  -- and completion share its id).
  with execs as materialized (
    select x.id, x.status, x.started_at, x.completed_at, x.assigned_to, w.key as workflow_key, w.name as workflow_name
      from app.workflow_executions x
      join app.workflows w on w.id = x.workflow_id
     where x.customer_id = get_customer_timeline.customer_id and x.org_id = v_org
  ),
  entries as (
    (select e.occurred_at as at, e.id, 'engagement'::text as kind, e.event_type as subtype,
            coalesce(e.title, initcap(replace(e.event_type, '_', ' '))) as title, e.description as summary,
            nullif(e.metadata ->> 'logged_by', '')::uuid as actor_id, null::uuid as execution_id,
            jsonb_strip_nulls(jsonb_build_object('source', e.source, 'nps_score', e.nps_score, 'ticket_status', e.ticket_status,
              'details', e.metadata -> 'details')) as extra
       from app.engagement_events e
      where 'engagement' = any(v_want)
        and e.customer_id = get_customer_timeline.customer_id and e.org_id = v_org
        -- Planned events (a scheduled QBR) are not activity yet.
        and e.occurred_at <= now() + interval '5 minutes'
        and (c_id is null or (e.occurred_at, e.id, 'engagement') < (c_at, c_id, c_kind))
      order by e.occurred_at desc, e.id desc
      limit v_limit)
    union all
    (select x.started_at, x.id, 'workflow_started', x.workflow_key, 'Started ' || x.workflow_name, null,
            x.assigned_to, x.id, jsonb_build_object('status', x.status)
       from execs x
      where 'workflow_started' = any(v_want) and x.started_at is not null
        and (c_id is null or (x.started_at, x.id, 'workflow_started') < (c_at, c_id, c_kind))
      order by x.started_at desc, x.id desc
      limit v_limit)
    union all
    (select x.completed_at, x.id, 'workflow_completed', x.workflow_key,
            case x.status when 'completed_with_pending_tasks' then 'Completed ' || x.workflow_name || ' (tasks pending)'
                          when 'cancelled' then 'Cancelled ' || x.workflow_name
                          else 'Completed ' || x.workflow_name end, null,
            x.assigned_to, x.id, jsonb_build_object('status', x.status)
       from execs x
      where 'workflow_completed' = any(v_want) and x.completed_at is not null
        and (c_id is null or (x.completed_at, x.id, 'workflow_completed') < (c_at, c_id, c_kind))
      order by x.completed_at desc, x.id desc
      limit v_limit)
    union all
    (select a.created_at, a.id, 'action', a.action_key, initcap(replace(a.action_key, '_', ' ')),
            case when a.success then null else a.error_message end,
            a.executed_by, a.execution_id, jsonb_build_object('success', a.success, 'workflow', x.workflow_name)
       from execs x
       join app.action_executions a on a.execution_id = x.id and a.org_id = v_org
      where 'action' = any(v_want)
        and (c_id is null or (a.created_at, a.id, 'action') < (c_at, c_id, c_kind))
      order by a.created_at desc, a.id desc
      limit v_limit)
    union all
    (select coalesce(m.sent_at, m.created_at), m.id, 'email', m.status, m.subject, null,
            m.requested_by, m.execution_id, jsonb_build_object('to', to_jsonb(m.to_addresses), 'status', m.status)
       from execs x
       join app.email_outbox m on m.execution_id = x.id and m.org_id = v_org
      where 'email' = any(v_want)
        and (c_id is null or (coalesce(m.sent_at, m.created_at), m.id, 'email') < (c_at, c_id, c_kind))
      order by coalesce(m.sent_at, m.created_at) desc, m.id desc
      limit v_limit)
    union all
    (select t.approved_at, t.id, 'artifact_approved', t.artifact_type, 'Approved: ' || t.title, null,
            t.approved_by, t.execution_id, jsonb_build_object('artifact_id', t.id, 'workflow', x.workflow_name)
       from execs x
       join app.workflow_task_artifacts t on t.execution_id = x.id and t.org_id = v_org
      where 'artifact_approved' = any(v_want) and t.approved_at is not null
        and (c_id is null or (t.approved_at, t.id, 'artifact_approved') < (c_at, c_id, c_kind))
      order by t.approved_at desc, t.id desc
      limit v_limit)
    union all
    (select ch.changed_at, ch.id, case ch.field when 'renewal_stage' then 'stage_change' else 'plan_change' end, ch.field,
            case ch.field when 'renewal_stage' then 'Renewal stage: ' else 'Account plan: ' end
              || coalesce(initcap(ch.old_value), 'none') || ' → ' || coalesce(initcap(ch.new_value), 'none'), null,
            ch.changed_by, null::uuid, jsonb_build_object('from', ch.old_value, 'to', ch.new_value)
       from app.customer_changes ch
      where ch.customer_id = get_customer_timeline.customer_id and ch.org_id = v_org
        and ((ch.field = 'renewal_stage' and 'stage_change' = any(v_want)) or (ch.field = 'account_plan' and 'plan_change' = any(v_want)))
        and (c_id is null or (ch.changed_at, ch.id, case ch.field when 'renewal_stage' then 'stage_change' else 'plan_change' end) < (c_at, c_id, c_kind))
      order by ch.changed_at desc, ch.id desc
      limit v_limit)
    union all
    (select f.changed_at, f.id, 'forecast_change', f.category,
            'Forecast: ' || replace(f.category, '_', ' ')
              || coalesce(' at ' || to_char(f.forecast_arr, 'FM999,999,999,990'), ''),
            f.note, f.changed_by, f.execution_id,
            jsonb_build_object('category', f.category, 'forecast_arr', f.forecast_arr, 'renewal_date', f.renewal_date)
       from app.renewal_forecast_history f
      where 'forecast_change' = any(v_want)
        and f.customer_id = get_customer_timeline.customer_id and f.org_id = v_org
        and (c_id is null or (f.changed_at, f.id, 'forecast_change') < (c_at, c_id, c_kind))
      order by f.changed_at desc, f.id desc
      limit v_limit)
  ),
  page as (
    select * from entries order by at desc, id desc, kind desc limit v_limit
  ),
  numbered as (
    select p.*, row_number() over (order by p.at desc, p.id desc, p.kind desc) as rn from page p
  )
  select coalesce(jsonb_agg(jsonb_build_object(
           'id', n.id, 'kind', n.kind, 'subtype', n.subtype, 'occurred_at', n.at, 'title', n.title, 'summary', n.summary,
           'actor', case when pr.id is null then null else jsonb_build_object('id', pr.id, 'full_name', pr.full_name) end,
           'execution_id', n.execution_id, 'details', n.extra) order by n.rn) filter (where n.rn <= get_customer_timeline.page_size), '[]'::jsonb),
         max(translate(encode(convert_to(jsonb_build_object('t', n.at, 'i', n.id, 'k', n.kind)::text, 'UTF8'), 'base64'), E'\n', ''))
           filter (where n.rn = get_customer_timeline.page_size and (select count(*) from numbered) > get_customer_timeline.page_size)
    into v_items, v_next
    from numbered n
    left join app.profiles pr on pr.id = n.actor_id and pr.org_id = v_org;

  return jsonb_build_object('items', v_items, 'next_cursor', v_next, 'kinds', to_jsonb(app.timeline_kinds()));
end;
$$;
comment on function public.get_customer_timeline(uuid, integer, text, text[]) is 'A customer''s activity, newest first (keyset): engagement, workflow starts and completions, actions, emails, approved artifacts, stage, plan and forecast changes.';
revoke execute on function public.get_customer_timeline(uuid, integer, text, text[]) from public, anon;
grant execute on function public.get_customer_timeline(uuid, integer, text, text[]) to authenticated;

-- The ids of one page: `where_sql` is built by list_customers from fixed fragments and
-- quoted literals only (never caller text); the caller's values travel as parameters.
create or replace function app.customer_list_page(
  sort text, pattern text, exact_external_id text, plans text[], assignee_id uuid,
  where_sql text, after_keys jsonb, max_rows integer
)
returns setof app.customer_list_row
language plpgsql
stable
rows 50
security definer -- RLS would keep LIKE/lower()/keyset conditions off the indexes; the organisation filter is explicit below
set search_path = ''
as $$
declare
  v_org uuid := (select app.current_org_id());
  v_key1 text;
  v_key2 text;
  v_order text;
  v_after text;
begin
  if v_org is null then
    return;
  end if;
  -- Descending sorts walk the ascending index backwards.
  case customer_list_page.sort
    when 'name' then
      v_key1 := 'lower(c.name)'; v_key2 := null;
      v_order := 'lower(c.name), c.id';
      v_after := '(lower(c.name), c.id) > ($7 ->> 0, ($7 ->> 2)::uuid)';
    when 'arr' then
      v_key1 := 'coalesce(c.arr, -1)'; v_key2 := null;
      v_order := 'coalesce(c.arr, -1) desc, c.id desc';
      v_after := '(coalesce(c.arr, -1), c.id) < (($7 ->> 0)::numeric, ($7 ->> 2)::uuid)';
    when 'renewal' then
      v_key1 := 'coalesce(c.decision_date, ''infinity''::date)'; v_key2 := null;
      v_order := 'coalesce(c.decision_date, ''infinity''::date), c.id';
      v_after := '(coalesce(c.decision_date, ''infinity''::date), c.id) > (($7 ->> 0)::date, ($7 ->> 2)::uuid)';
    when 'health' then
      v_key1 := 'coalesce(c.health_score, 1000)'; v_key2 := null;
      v_order := 'coalesce(c.health_score, 1000), c.id';
      v_after := '(coalesce(c.health_score, 1000), c.id) > (($7 ->> 0)::integer, ($7 ->> 2)::uuid)';
    else -- priority
      v_key1 := 'coalesce(app.renewal_stage_urgency(c.renewal_stage), -1)'; v_key2 := 'coalesce(c.arr, -1)';
      v_order := 'coalesce(app.renewal_stage_urgency(c.renewal_stage), -1) desc, coalesce(c.arr, -1) desc, c.id desc';
      -- null urgency (no renewal date) sorts after every stage.
      v_after := '(coalesce(app.renewal_stage_urgency(c.renewal_stage), -1), coalesce(c.arr, -1), c.id) < (($7 ->> 0)::integer, ($7 ->> 1)::numeric, ($7 ->> 2)::uuid)';
  end case;
  return query execute format(
    'select c.id, (%1$s)::text, (%2$s)::text
       from app.customers c
      where c.org_id = $1
        and ($7 is null or %3$s)
        and ($2::text is null or lower(c.name || '' '' || coalesce(c.domain, '''')) like $2 or c.external_id = $3)
        and ($4::text[] is null or c.account_plan = any($4))
        and ($5::uuid is null or c.assigned_to = $5)
        %4$s
      order by %5$s
      limit $6',
    v_key1, coalesce(v_key2, 'null'), v_after, coalesce(customer_list_page.where_sql, ''), v_order)
    using v_org, customer_list_page.pattern, customer_list_page.exact_external_id, customer_list_page.plans,
          customer_list_page.assignee_id, customer_list_page.max_rows, customer_list_page.after_keys;
end;
$$;
comment on function app.customer_list_page(text, text, text, text[], uuid, text, jsonb, integer) is 'Ids and sort keys of one keyset page of the caller''s organisation''s customers (list_customers).';
grant execute on function app.customer_list_page(text, text, text, text[], uuid, text, jsonb, integer) to authenticated;

---------------------------------------------------------------------------------------
-- public.list_customers: the request's parts each read and checked once by a small
-- function (filters, cursor, the stage and forecast conditions); the page query stays in
-- list_customers, so its plan and cost per row are unchanged.
---------------------------------------------------------------------------------------

-- The filters object of list_customers, read and checked: {plans, stages, forecast,
-- assignee_id} (an empty plans list is no filter).
create or replace function app.customer_list_filters(filters jsonb,
  out plans text[], out stages text[], out forecast text[], out assignee_id uuid)
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_unknown text;
begin
  if jsonb_typeof(filters) <> 'object' then
    raise exception 'filters must be a JSON object' using errcode = '22023',
      hint = 'For example {"plans": ["invest"], "stages": ["Critical"], "assignee_id": "…", "forecast": ["at_risk"]}.';
  end if;
  select k into v_unknown from jsonb_object_keys(filters) k where k not in ('plans', 'stages', 'assignee_id', 'forecast') limit 1;
  if v_unknown is not null then
    raise exception 'filters has an unknown key "%"', left(v_unknown, 60) using errcode = '22023',
      hint = 'Known keys: plans, stages, assignee_id, forecast.';
  end if;
  plans := app.queue_filter_values(filters, 'plans', array['expand', 'invest', 'monitor', 'manage']);
  stages := app.queue_filter_values(filters, 'stages',
    array['Overdue', 'Emergency', 'Critical', 'Signature', 'Finalize', 'Negotiate', 'Engage', 'Prepare', 'Monitor']);
  forecast := app.queue_filter_values(filters, 'forecast', array['commit', 'probable', 'at_risk', 'churn_expected']);
  if coalesce(cardinality(plans), 0) = 0 then plans := null; end if;
  if filters ? 'assignee_id' and jsonb_typeof(filters -> 'assignee_id') <> 'null' then
    begin
      assignee_id := (filters ->> 'assignee_id')::uuid;
    exception when others then
      raise exception 'filters.assignee_id must be a person''s id' using errcode = '22023';
    end;
  end if;
end;
$$;
revoke execute on function app.customer_list_filters(jsonb) from public, anon;
grant execute on function app.customer_list_filters(jsonb) to authenticated;

-- The sort keys [k1, k2, id] a list_customers cursor of this sort names (null: the first
-- page); 22023 when it is not one.
create or replace function app.customer_list_cursor(cursor text, sort text)
returns jsonb
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_after jsonb;
begin
  if cursor is null then
    return null;
  end if;
  begin
    v_after := convert_from(decode(cursor, 'base64'), 'UTF8')::jsonb;
    if jsonb_typeof(v_after) <> 'object' or v_after ->> 's' is distinct from sort
       or jsonb_typeof(v_after -> 'k') <> 'array' or jsonb_array_length(v_after -> 'k') <> 3
       or (v_after -> 'k' ->> 2)::uuid is null then
      v_after := null;
    else
      v_after := v_after -> 'k';
    end if;
  exception when others then
    v_after := null;
  end;
  if v_after is null then
    raise exception 'cursor is not valid' using errcode = '22023',
      hint = 'Pass the next_cursor of the previous page (of the same sort) unchanged, or no cursor for the first page.';
  end if;
  return v_after;
end;
$$;
revoke execute on function app.customer_list_cursor(text, text) from public, anon;
grant execute on function app.customer_list_cursor(text, text) to authenticated;

-- The extra conditions of the page query for the stage and forecast filters (quoted
-- literals only; '' when there are none). Stages are decision-date ranges written on the
-- same expression as the renewal index, so a range is an index condition, not a filter on
-- a long walk.
create or replace function app.customer_list_conditions(stages text[], forecast text[], today date)
returns text
language plpgsql
stable
set search_path = ''
as $$
declare
  v_where text := '';
  v_ranges text[];
  v_stage text;
begin
  if coalesce(cardinality(stages), 0) > 0 then
    foreach v_stage in array stages loop
      v_ranges := v_ranges || case v_stage
        when 'Overdue' then format('coalesce(c.decision_date, ''infinity''::date) < %L::date', today)
        when 'Emergency' then format('coalesce(c.decision_date, ''infinity''::date) between %L::date and %L::date', today, today + 6)
        when 'Critical' then format('coalesce(c.decision_date, ''infinity''::date) between %L::date and %L::date', today + 7, today + 13)
        when 'Signature' then format('coalesce(c.decision_date, ''infinity''::date) between %L::date and %L::date', today + 14, today + 29)
        when 'Finalize' then format('coalesce(c.decision_date, ''infinity''::date) between %L::date and %L::date', today + 30, today + 59)
        when 'Negotiate' then format('coalesce(c.decision_date, ''infinity''::date) between %L::date and %L::date', today + 60, today + 89)
        when 'Engage' then format('coalesce(c.decision_date, ''infinity''::date) between %L::date and %L::date', today + 90, today + 119)
        when 'Prepare' then format('coalesce(c.decision_date, ''infinity''::date) between %L::date and %L::date', today + 120, today + 179)
        else format('(coalesce(c.decision_date, ''infinity''::date) >= %L::date and c.decision_date is not null)', today + 180)
      end;
    end loop;
    v_where := v_where || ' and (' || array_to_string(v_ranges, ' or ') || ')';
  end if;
  if coalesce(cardinality(forecast), 0) > 0 then
    if to_regprocedure('app.customer_forecast_category(uuid, uuid)') is null then
      raise exception 'The forecast filter is not available yet' using errcode = '22023',
        hint = 'Leave filters.forecast out.';
    end if;
    v_where := v_where || format(' and app.customer_forecast_category(c.org_id, c.id) = any(%L::text[])', forecast);
  end if;
  return v_where;
end;
$$;
revoke execute on function app.customer_list_conditions(text[], text[], date) from public, anon;
grant execute on function app.customer_list_conditions(text[], text[], date) to authenticated;

create or replace function public.list_customers(
  search text default null,
  page_size integer default 50,
  cursor text default null,
  filters jsonb default '{}'::jsonb,
  sort text default 'priority'
)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_org uuid := (select app.current_org_id());
  v_search text := nullif(btrim(list_customers.search), '');
  v_sort text := coalesce(list_customers.sort, 'priority');
  v_pattern text;
  v_after jsonb;
  v_today date;
  f record;  -- the filters: plans, stages, forecast, assignee_id
  v_plans text[];
  v_assignee uuid;
  v_where text;
  v_items jsonb;
  v_count integer;
  v_next_cursor text;
begin
  if v_org is null then
    raise exception 'Only members of an organisation can list customers' using errcode = '42501';
  end if;
  perform app.check_page_size(list_customers.page_size, 200, 'Ask for at most 200 customers per page and follow next_cursor.');
  if v_search is not null and length(v_search) > 200 then
    raise exception 'search must be at most 200 characters' using errcode = '22023';
  end if;
  if v_sort not in ('priority', 'arr', 'renewal', 'health', 'name') then
    raise exception 'sort must be priority, arr, renewal, health or name' using errcode = '22023';
  end if;
  f := app.customer_list_filters(coalesce(list_customers.filters, '{}'::jsonb));
  v_plans := f.plans;
  v_assignee := f.assignee_id;
  v_after := app.customer_list_cursor(list_customers.cursor, v_sort);
  -- A substring match: the search text is literal, its LIKE wildcards escaped.
  if v_search is not null then
    v_pattern := '%' || replace(replace(replace(lower(v_search), '\', '\\'), '%', '\%'), '_', '\_') || '%';
  end if;
  v_today := app.organisation_today(v_org);
  v_where := app.customer_list_conditions(f.stages, f.forecast, v_today);

  with page as (
    select c.id, c.external_id, c.name, c.domain, c.industry, c.arr, c.health_score, c.risk_score,
           c.opportunity_score, c.account_plan, c.renewal_date, c.decision_date, c.assigned_to, ids.k1, ids.k2, ids.n
      from app.customer_list_page(v_sort, v_pattern, v_search, v_plans, v_assignee, nullif(v_where, ''), v_after,
                                  list_customers.page_size + 1) with ordinality ids(id, k1, k2, n)
      -- One primary-key lookup per id (never a scan of the organisation).
      cross join lateral (select * from app.customers c where c.id = ids.id) c
  )
  select coalesce(jsonb_agg(jsonb_build_object(
           'id', n.id,
           'external_id', n.external_id,
           'name', n.name,
           'domain', n.domain,
           'industry', n.industry,
           'arr', n.arr,
           'health_score', n.health_score,
           'risk_score', n.risk_score,
           'opportunity_score', n.opportunity_score,
           'account_plan', n.account_plan,
           'renewal_date', n.renewal_date,
           'days_until_renewal', n.renewal_date - v_today,
           'decision_date', n.decision_date,
           'days_until_decision', n.decision_date - v_today,
           'renewal_stage', app.calculate_renewal_stage(n.decision_date, v_today),
           'assigned_to', n.assigned_to,
           'assignee', case when p.id is null then null
                            else jsonb_build_object('id', p.id, 'full_name', p.full_name, 'email', p.email) end
         ) order by n.n) filter (where n.n <= list_customers.page_size), '[]'::jsonb),
         count(*),
         max(translate(encode(convert_to(jsonb_build_object('s', v_sort, 'k', jsonb_build_array(n.k1, n.k2, n.id))::text, 'UTF8'), 'base64'), E'\n', ''))
           filter (where n.n = list_customers.page_size)
    into v_items, v_count, v_next_cursor
    from page n
    left join app.profiles p on p.id = n.assigned_to and p.org_id = v_org;

  -- A next page exists only when one more row than asked for was found.
  if v_count <= list_customers.page_size then
    v_next_cursor := null;
  end if;

  return jsonb_build_object('items', v_items, 'next_cursor', v_next_cursor, 'sort', v_sort);
end;
$$;
comment on function public.list_customers(text, integer, text, jsonb, text) is 'The organisation''s customers with plan, stage, decision date, health, ARR and assignee; search, filters {plans, stages, assignee_id, forecast}, sorts priority/arr/renewal/health/name, keyset pagination.';
revoke execute on function public.list_customers(text, integer, text, jsonb, text) from public, anon;
grant execute on function public.list_customers(text, integer, text, jsonb, text) to authenticated;

-- The manual workflows a person may open for a customer, with the open one if any.
create or replace function public.list_startable_workflows(customer_id uuid)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_org uuid := app.current_org_id();
begin
  if v_org is null then
    raise exception 'Only members of an organisation can open workflows' using errcode = '42501';
  end if;
  if list_startable_workflows.customer_id is null
     or not exists (select 1 from app.customers c where c.id = list_startable_workflows.customer_id and c.org_id = v_org) then
    raise exception 'Customer not found' using errcode = 'PT404',
      hint = 'Check the id; you can only see customers of your own organisation.';
  end if;
  return coalesce((
    select jsonb_agg(jsonb_build_object(
             'key', w.key, 'name', w.name, 'workflow_type', w.workflow_type, 'total_steps', w.total_steps,
             'open_execution_id', (select x.id from app.workflow_executions x
                                    where x.customer_id = list_startable_workflows.customer_id and x.org_id = v_org
                                      and x.workflow_id = w.workflow_id and app.is_open_status(x.status) limit 1))
           order by w.name)
      from app.effective_workflows(v_org) w
     where w.trigger_config ->> 'kind' = 'manual'), '[]'::jsonb);
end;
$$;
comment on function public.list_startable_workflows(uuid) is 'The manual workflows of the organisation that can be opened for a customer, each with the id of its open execution if one is open.';
revoke execute on function public.list_startable_workflows(uuid) from public, anon;
grant execute on function public.list_startable_workflows(uuid) to authenticated;

-- get_customer_overview: what the customer page shows beside the context, in one call
-- (docs/web-app.md "Customer page"): the customer's open and past workflows, their open
-- tasks (whoever holds them, with the assignee), the manual workflows that can be started,
-- their artifacts, their contracts with each one's notice deadline, and the health score
-- over the last year (the chart). Runs as the caller: RLS applies to every table read.
--
-- Why one call: the page must be fully rendered in well under half a second; one round
-- trip per section would cost more than the sections themselves.

create or replace function public.get_customer_overview(customer_id uuid)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_org uuid := app.current_org_id();
  v_today date;
  c app.customers;
begin
  if v_org is null then
    raise exception 'Only members of an organisation can read customers' using errcode = '42501';
  end if;
  if get_customer_overview.customer_id is null then
    raise exception 'customer_id is required' using errcode = '22023';
  end if;
  select * into c from app.customers x where x.id = get_customer_overview.customer_id and x.org_id = v_org;
  if not found then
    raise exception 'Customer not found' using errcode = 'PT404',
      hint = 'Check the id; you can only see customers of your own organisation.';
  end if;
  v_today := app.organisation_today(v_org);

  return jsonb_build_object(
    'customer', app.customer_card(c, v_today),
    'workflows', coalesce((
      select jsonb_agg(jsonb_build_object(
               'execution_id', x.id, 'workflow_key', w.key, 'workflow_name', w.name, 'workflow_type', w.workflow_type,
               'status', x.status, 'open', app.is_open_status(x.status),
               'lane', case when app.is_open_status(x.status) then app.queue_lane_name(x.queue_lane) end,
               'priority_score', x.priority_score,
               'assignee', case when p.id is null then null else jsonb_build_object('id', p.id, 'full_name', p.full_name) end,
               'total_steps', x.total_steps, 'current_step_index', x.current_step_index,
               'created_at', x.created_at, 'started_at', x.started_at, 'completed_at', x.completed_at,
               'snoozed_until', x.snoozed_until)
             order by app.is_open_status(x.status) desc, coalesce(x.completed_at, x.created_at) desc)
        from (select * from app.workflow_executions x0
               where x0.customer_id = c.id and x0.org_id = v_org
               order by x0.created_at desc limit 100) x
        join app.workflows w on w.id = x.workflow_id
        left join app.profiles p on p.id = x.assigned_to and p.org_id = v_org), '[]'::jsonb),
    'tasks', coalesce((
      select jsonb_agg(app.task_json(t, v_today) || jsonb_build_object(
               'customer', jsonb_build_object('id', c.id, 'name', c.name), 'customer_name', c.name,
               'assignee', case when p.id is null then null else jsonb_build_object('id', p.id, 'full_name', p.full_name) end)
             order by coalesce(t.due_date, 'infinity'::timestamptz), t.id)
        from (select * from app.workflow_tasks t0
               where t0.customer_id = c.id and t0.org_id = v_org and t0.status in ('pending', 'in_progress', 'snoozed')
               order by coalesce(t0.due_date, 'infinity'::timestamptz), t0.id limit 50) t
        left join app.profiles p on p.id = t.assigned_to and p.org_id = v_org), '[]'::jsonb),
    'startable_workflows', public.list_startable_workflows(c.id),
    'artifacts', coalesce((
      select jsonb_agg(jsonb_build_object(
               'id', a.id, 'execution_id', a.execution_id, 'artifact_type', a.artifact_type, 'title', a.title,
               'approved_at', a.approved_at, 'created_at', a.created_at, 'workflow_name', a.workflow_name)
             order by a.created_at desc)
        from (select t.*, w.name as workflow_name
                from app.workflow_executions x
                join app.workflows w on w.id = x.workflow_id
                join app.workflow_task_artifacts t on t.execution_id = x.id and t.org_id = v_org
               where x.customer_id = c.id and x.org_id = v_org
               order by t.created_at desc limit 50) a), '[]'::jsonb),
    'contracts', coalesce((
      select jsonb_agg(jsonb_build_object(
               'id', k.id, 'contract_number', k.contract_number, 'status', k.status,
               'start_date', k.start_date, 'end_date', k.end_date, 'annual_value', k.annual_value, 'currency', k.currency,
               'auto_renew', k.auto_renew, 'notice_period_days', k.notice_period_days,
               'notice_deadline', case when k.auto_renew and coalesce(k.notice_period_days, 0) > 0 and k.end_date is not null
                                       then k.end_date - k.notice_period_days end,
               'days_until_notice_deadline', case when k.auto_renew and coalesce(k.notice_period_days, 0) > 0 and k.end_date is not null
                                                  then k.end_date - k.notice_period_days - v_today end)
             order by k.end_date desc nulls last)
        from app.contracts k where k.customer_id = c.id and k.org_id = v_org), '[]'::jsonb),
    'health_history', coalesce((
      select jsonb_agg(jsonb_build_object('recorded_at', h.recorded_at, 'health_score', h.health_score) order by h.recorded_at)
        from (select * from app.customer_score_history h0
               where h0.customer_id = c.id and h0.org_id = v_org and h0.health_score is not null
                 and h0.recorded_at > now() - interval '1 year'
               order by h0.recorded_at desc limit 60) h), '[]'::jsonb)
  );
end;
$$;
comment on function public.get_customer_overview(uuid) is 'The customer page''s sections: open and past workflows, open tasks, startable manual workflows, artifacts, contracts with notice deadlines, a year of health scores.';
revoke execute on function public.get_customer_overview(uuid) from public, anon;
grant execute on function public.get_customer_overview(uuid) to authenticated;

create index if not exists customers_org_id_priority_idx
  on app.customers (org_id, coalesce(app.renewal_stage_urgency(renewal_stage), -1), coalesce(arr, -1), id);

-- customers
select app.create_org_policies('app.customers', 'customers', readers => 'members', writers => 'managers');

-- ARR history
select app.create_org_policies('app.arr_history', 'ARR history', readers => 'members', writers => 'managers');

-- stakeholders
select app.create_org_policies('app.stakeholders', 'stakeholders', readers => 'members', writers => 'managers');

-- contracts
select app.create_org_policies('app.contracts', 'contracts', readers => 'members', writers => 'managers');

-- Read by the organisation's members; written only by the functions below.
select app.create_org_policies('app.contract_extractions', 'contract extractions', readers => 'members');

select app.create_org_policies('app.contract_extraction_fields', 'extracted contract fields', readers => 'members');

select app.create_org_policies('app.customer_changes', 'customer changes', readers => 'members');

select app.create_touch_triggers('app.customers', 'app.stakeholders', 'app.contracts');

create trigger customers_derive_fields
  before insert or update of arr, health_score, renewal_date, org_id, account_plan, decision_date on app.customers
  for each row execute function app.derive_customer_fields();

-- No column list: the stage and plan are set by a BEFORE trigger from other columns, and
-- `update of` only sees the columns the statement names.
create trigger customers_record_changes
  after update on app.customers
  for each row
  when (old.renewal_stage is distinct from new.renewal_stage or old.account_plan is distinct from new.account_plan)
  execute function app.record_customer_changes();
