-- Score history: health, risk and opportunity of each customer over time, so the customer
-- context can show each one's trend from stored history (domain.md "Customer context").
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
-- The context reads one customer's history newest first (latest, and as of 90 days ago).
create index customer_score_history_customer_id_recorded_at_idx
  on app.customer_score_history (customer_id, org_id, recorded_at desc);
comment on table app.customer_score_history is 'Health, risk and opportunity scores of a customer over time (trends in the customer context).';

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

alter table app.customer_score_history enable row level security;

create policy "Members can read their organisation's score history"
  on app.customer_score_history for select to authenticated
  using (org_id = (select app.current_org_id()));

-- Readers only; the triggers above (and the service role) write.
grant select on app.customer_score_history to authenticated;
grant select, insert, update, delete on app.customer_score_history to service_role;
