-- The queue's cost per call no longer grows with the queue (issue 18 point 1, issue 13's
-- filtered queue ≤ 5 ms; docs/performance.md).
--
-- What and why:
-- 1. Copies for the queue on workflow_executions, kept like the renewal date already is:
--    `customer_search` (the customer's name and domain, lower case, joined by U+001F) so a
--    search is a condition on the queue index instead of one customers lookup per item, and
--    `queue_type_rank` (1 renewal … 5 custom) so the whole queue order is an index order.
--    app.refresh_priorities keeps both (it already reads the customer and the workflow); a
--    customer's new name or domain re-runs it through the customers trigger; a row inserted
--    without them (the orchestrator's bulk insert) gets them from a BEFORE INSERT trigger
--    that runs only for open rows that lack them; a workflow whose type changes re-runs it.
-- 2. Kept statistics: app.queue_stats (one row per assignee and include_snoozed: counts by
--    lane, type and plan, the priority sum, distinct customers), app.queue_stat_dates
--    (open items per decision date: the stage counts are derived at read time from today)
--    and app.queue_stat_customers (items per customer, for the distinct-customer count).
--    Statement-level triggers with transition tables add the difference each INSERT,
--    UPDATE or DELETE makes (one grouped upsert per statement, so a bulk insert costs one
--    pass); a TRUNCATE empties them. The highest and lowest priority come from the index.
-- 3. workflow_executions_queue_keyset_idx: the queue order itself (lane, priority desc,
--    renewal date, type, id), with what filters and stats read in INCLUDE, so an
--    unfiltered page is an index range scan of page_size + 1 entries after the cursor and
--    a filtered call one index scan of the assignee's open items.

---------------------------------------------------------------------------------------
-- 1. Copies on workflow_executions
---------------------------------------------------------------------------------------

alter table app.workflow_executions
  add column customer_search text,
  add column queue_type_rank smallint;
comment on column app.workflow_executions.customer_search is
  'While open: lower(customer name) || U+001F || lower(customer domain), for the queue''s search; kept by app.refresh_priorities and app.executions_fill_queue_copies.';
comment on column app.workflow_executions.queue_type_rank is
  'While open: app.workflow_type_rank of the workflow (1 renewal … 5 custom), the queue''s tie-break; kept with the priority.';

create or replace function app.queue_search_text(name text, domain text)
returns text
language sql
immutable
parallel safe
set search_path = ''
as $$
  select lower(coalesce(queue_search_text.name, '')) || chr(31) || lower(coalesce(queue_search_text.domain, ''))
$$;
comment on function app.queue_search_text(text, text) is 'What the queue search matches: the customer''s name and domain, lower case, joined by U+001F.';

-- app.refresh_priorities (queue_lanes_decision_date_filters), now also keeping the search
-- text and the type rank.
create or replace function app.refresh_priorities(execution_ids uuid[])
returns integer
language plpgsql
security definer
set search_path = ''
as $$
declare
  changed integer;
begin
  if execution_ids is null or cardinality(execution_ids) = 0 then
    return 0;
  end if;
  -- unnest + join rather than `= any(array)`: a bulk insert passes 100 000+ ids.
  with target as materialized (
    select e.id, e.org_id, e.assigned_to, e.customer_id, e.workflow_id, e.renewal_stage,
           e.metadata ? 'handed_back_at' as handed_back
      from unnest(refresh_priorities.execution_ids) as ids(id)
      join app.workflow_executions e on e.id = ids.id
     where e.status in ('queued', 'in_progress', 'snoozed', 'escalated')
  ), workload as materialized (
    select x.org_id, x.assigned_to, count(*)::integer as active
      from app.workflow_executions x
     where (x.org_id, x.assigned_to) in (select distinct t.org_id, t.assigned_to from target t where t.assigned_to is not null)
       and x.status = 'in_progress'
     group by x.org_id, x.assigned_to
  ), scored0 as (
    select t.id, c.renewal_date, c.decision_date, c.account_plan,
           app.queue_search_text(c.name, c.domain) as search,
           app.workflow_type_rank(w.workflow_type)::smallint as type_rank,
           app.queue_lane(w.workflow_type, w.key, coalesce(c.renewal_stage, t.renewal_stage), c.risk_score, t.handed_back) as lane,
           app.calculate_priority(
             w.workflow_type, w.base_score, coalesce(c.renewal_stage, t.renewal_stage),
             c.arr, c.account_plan, c.opportunity_score, c.risk_score,
             p.experience_level, coalesce(wl.active, 0)
           ) as factors
      from target t
      join app.customers c on c.id = t.customer_id
      join app.workflows w on w.id = t.workflow_id
      left join app.profiles p on p.id = t.assigned_to
      left join workload wl on wl.org_id = t.org_id and wl.assigned_to = t.assigned_to
  ), scored as (
    select s0.id, s0.renewal_date, s0.decision_date, s0.account_plan, s0.lane, s0.search, s0.type_rank,
           s0.factors || jsonb_build_object('lane', app.queue_lane_name(s0.lane)) as factors
      from scored0 s0
  )
  update app.workflow_executions e
     set priority_score = (s.factors ->> 'score')::numeric,
         priority_factors = s.factors,
         customer_renewal_date = s.renewal_date,
         customer_decision_date = s.decision_date,
         customer_account_plan = s.account_plan,
         queue_lane = s.lane,
         customer_search = s.search,
         queue_type_rank = s.type_rank
    from scored s
   where e.id = s.id
     and (e.priority_score is distinct from (s.factors ->> 'score')::numeric
          or e.priority_factors is distinct from s.factors
          or e.customer_renewal_date is distinct from s.renewal_date
          or e.customer_decision_date is distinct from s.decision_date
          or e.customer_account_plan is distinct from s.account_plan
          or e.queue_lane is distinct from s.lane
          or e.customer_search is distinct from s.search
          or e.queue_type_rank is distinct from s.type_rank);
  get diagnostics changed = row_count;
  return changed;
end;
$$;

-- app.customers_keep_priorities_current (queue_lanes_decision_date_filters), now also on a
-- new name or domain (the search copy).
create or replace function app.customers_keep_priorities_current()
returns trigger
language plpgsql
security definer -- moves executions of a reassigned customer; the customer write was allowed by RLS
set search_path = ''
as $$
declare
  changed_ids uuid[];
begin
  -- Reassignment first: the executions trigger then re-scores moved rows and both workloads.
  update app.workflow_executions e
     set assigned_to = n.assigned_to
    from new_rows n
    join old_rows o on o.id = n.id
   where o.assigned_to is distinct from n.assigned_to
     and e.customer_id = n.id
     and e.org_id = n.org_id
     and e.status in ('queued', 'in_progress', 'snoozed', 'escalated')
     and (e.assigned_to is null or e.assigned_to = o.assigned_to);

  select array_agg(n.id) into changed_ids
    from new_rows n
    join old_rows o on o.id = n.id
   where n.arr is distinct from o.arr
      or n.health_score is distinct from o.health_score
      or n.account_plan is distinct from o.account_plan
      or n.renewal_stage is distinct from o.renewal_stage
      or n.renewal_date is distinct from o.renewal_date
      or n.decision_date is distinct from o.decision_date
      or n.risk_score is distinct from o.risk_score
      or n.opportunity_score is distinct from o.opportunity_score
      or n.name is distinct from o.name
      or n.domain is distinct from o.domain;
  perform app.refresh_priorities_for_customers(changed_ids);
  return null;
end;
$$;

-- Open rows inserted without the copies (the orchestrator's INSERT … SELECT) get them here.
create or replace function app.executions_fill_queue_copies()
returns trigger
language plpgsql
security definer -- reads the row's own customer and workflow; the insert was allowed by RLS
set search_path = ''
as $$
begin
  if new.customer_search is null then
    select app.queue_search_text(c.name, c.domain) into new.customer_search
      from app.customers c where c.id = new.customer_id;
  end if;
  if new.queue_type_rank is null then
    select app.workflow_type_rank(w.workflow_type)::smallint into new.queue_type_rank
      from app.workflows w where w.id = new.workflow_id;
  end if;
  return new;
end;
$$;

create trigger workflow_executions_fill_queue_copies
  before insert on app.workflow_executions
  for each row
  when (new.status in ('queued', 'in_progress', 'snoozed', 'escalated')
        and (new.customer_search is null or new.queue_type_rank is null))
  execute function app.executions_fill_queue_copies();

-- A workflow's new type re-ranks its open executions.
create or replace function app.workflows_keep_queue_type_rank()
returns trigger
language plpgsql
security definer -- see app.refresh_priorities
set search_path = ''
as $$
declare
  ids uuid[];
begin
  select array_agg(e.id) into ids
    from new_rows n
    join old_rows o on o.id = n.id
    join app.workflow_executions e on e.workflow_id = n.id
   where n.workflow_type is distinct from o.workflow_type
     and e.status in ('queued', 'in_progress', 'snoozed', 'escalated');
  perform app.refresh_priorities(ids);
  return null;
end;
$$;

create trigger workflows_keep_queue_type_rank
  after update on app.workflows
  referencing old table as old_rows new table as new_rows
  for each statement execute function app.workflows_keep_queue_type_rank();

-- Existing open executions: the copies (the kept statistics are built from scratch below,
-- after this UPDATE, so it is not counted twice).
update app.workflow_executions e
   set customer_search = app.queue_search_text(c.name, c.domain),
       queue_type_rank = app.workflow_type_rank(w.workflow_type)::smallint
  from app.customers c, app.workflows w
 where c.id = e.customer_id
   and w.id = e.workflow_id
   and e.status in ('queued', 'in_progress', 'snoozed', 'escalated');

create index workflow_executions_queue_keyset_idx
  on app.workflow_executions (org_id, assigned_to, queue_lane, (-priority_score),
                              (coalesce(customer_renewal_date, 'infinity'::date)), queue_type_rank, id)
  include (status, customer_id, priority_score, customer_renewal_date, customer_decision_date,
           customer_account_plan, customer_search)
  where status in ('queued', 'in_progress', 'snoozed', 'escalated');

---------------------------------------------------------------------------------------
-- 2. Kept statistics
---------------------------------------------------------------------------------------

-- include_snoozed = true counts every open item; false every open item but the snoozed.
create table app.queue_stats (
  org_id uuid not null,
  assigned_to uuid not null,
  include_snoozed boolean not null,
  items integer not null default 0,
  priority_sum numeric not null default 0,
  customers integer not null default 0,
  lane_now integer not null default 0,
  lane_soon integer not null default 0,
  lane_planned integer not null default 0,
  type_renewal integer not null default 0,
  type_strategic integer not null default 0,
  type_opportunity integer not null default 0,
  type_risk integer not null default 0,
  type_custom integer not null default 0,
  plan_expand integer not null default 0,
  plan_invest integer not null default 0,
  plan_manage integer not null default 0,
  plan_monitor integer not null default 0,
  primary key (org_id, assigned_to, include_snoozed)
);
comment on table app.queue_stats is
  'Per assignee: the queue''s counts (by lane, type, plan), priority sum and distinct customers, kept by app.executions_keep_queue_stats; read by get_workflow_queue without filters.';

create table app.queue_stat_dates (
  org_id uuid not null,
  assigned_to uuid not null,
  decision_date date not null,
  active integer not null default 0,
  snoozed integer not null default 0,
  primary key (org_id, assigned_to, decision_date)
);
comment on table app.queue_stat_dates is 'Per assignee: open items per customer decision date, not snoozed and snoozed (the stage counts, derived at read time).';

create table app.queue_stat_customers (
  org_id uuid not null,
  assigned_to uuid not null,
  customer_id uuid not null,
  active integer not null default 0,
  snoozed integer not null default 0,
  primary key (org_id, assigned_to, customer_id)
);
comment on table app.queue_stat_customers is 'Per assignee: open items per customer, not snoozed and snoozed (for the distinct-customer counts of app.queue_stats).';

-- Derived data read only through security definer functions: no policy, no grant.
alter table app.queue_stats enable row level security;
alter table app.queue_stat_dates enable row level security;
alter table app.queue_stat_customers enable row level security;
revoke all on app.queue_stats, app.queue_stat_dates, app.queue_stat_customers from public, anon, authenticated;

-- One open item's part in the statistics; sign +1 (now counted) or -1 (no longer).
create type app.queue_stat_item as (
  org_id uuid, assigned_to uuid, customer_id uuid, snoozed boolean, lane smallint, type_rank smallint,
  account_plan text, decision_date date, priority numeric, sign integer
);

-- Items per assignee and customer; returns how many customers each assignee gained or
-- lost (not snoozed, and all), for app.queue_stats.customers.
create or replace function app.queue_stats_add_customers(items app.queue_stat_item[])
returns table (org_id uuid, assigned_to uuid, d_active integer, d_all integer)
language plpgsql
security definer -- derived data kept on behalf of an execution write RLS allowed
set search_path = ''
as $$
begin
  return query
  with pairs as (
    select i.org_id, i.assigned_to, i.customer_id,
           coalesce(sum(i.sign) filter (where not i.snoozed), 0)::integer as d_active,
           coalesce(sum(i.sign) filter (where i.snoozed), 0)::integer as d_snoozed
      from unnest(queue_stats_add_customers.items) i group by 1, 2, 3
  ), kept_pairs as (
    insert into app.queue_stat_customers as k (org_id, assigned_to, customer_id, active, snoozed)
    select p.* from pairs p where p.d_active <> 0 or p.d_snoozed <> 0 order by 1, 2, 3
    on conflict on constraint queue_stat_customers_pkey do update
      set active = k.active + excluded.active, snoozed = k.snoozed + excluded.snoozed
    returning k.org_id, k.assigned_to, k.customer_id, k.active, k.snoozed
  )
  -- Under the row lock `count - delta` is the count before this statement: exact even when
  -- another transaction changed the same customer first.
  select kp.org_id, kp.assigned_to,
         sum((kp.active > 0)::integer - (kp.active - p.d_active > 0)::integer)::integer,
         sum((kp.active + kp.snoozed > 0)::integer
             - (kp.active + kp.snoozed - p.d_active - p.d_snoozed > 0)::integer)::integer
    from kept_pairs kp
    join pairs p on p.org_id = kp.org_id and p.assigned_to = kp.assigned_to and p.customer_id = kp.customer_id
   group by 1, 2;
  -- Customers that left an assignee's queue leave no empty row behind.
  delete from app.queue_stat_customers k
   using (select distinct x.org_id, x.assigned_to, x.customer_id from unnest(queue_stats_add_customers.items) x
           where x.sign < 0) d
   where k.org_id = d.org_id and k.assigned_to = d.assigned_to and k.customer_id = d.customer_id
     and k.active = 0 and k.snoozed = 0;
end;
$$;

-- Items per assignee and decision date (the stage counts).
create or replace function app.queue_stats_add_dates(items app.queue_stat_item[])
returns void
language plpgsql
security definer -- derived data kept on behalf of an execution write RLS allowed
set search_path = ''
as $$
declare
  empty_dates date[];
begin
  with kept_dates as (
    insert into app.queue_stat_dates as k (org_id, assigned_to, decision_date, active, snoozed)
    select i.org_id, i.assigned_to, i.decision_date,
           coalesce(sum(i.sign) filter (where not i.snoozed), 0)::integer,
           coalesce(sum(i.sign) filter (where i.snoozed), 0)::integer
      from unnest(queue_stats_add_dates.items) i where i.decision_date is not null
     group by 1, 2, 3 order by 1, 2, 3
    on conflict (org_id, assigned_to, decision_date) do update
      set active = k.active + excluded.active, snoozed = k.snoozed + excluded.snoozed
    returning k.decision_date, k.active, k.snoozed
  )
  select array_agg(kd.decision_date) into empty_dates from kept_dates kd where kd.active = 0 and kd.snoozed = 0;
  -- Dates that left the queue: only those this statement brought to zero.
  if empty_dates is not null then
    delete from app.queue_stat_dates k
     using (select distinct x.org_id, x.assigned_to, x.decision_date from unnest(queue_stats_add_dates.items) x) d
     where k.org_id = d.org_id and k.assigned_to = d.assigned_to and k.decision_date = d.decision_date
       and k.decision_date = any(empty_dates) and k.active = 0 and k.snoozed = 0;
  end if;
end;
$$;

-- Adds the items' parts to the kept statistics: one grouped upsert per table.
create or replace function app.queue_stats_add(items app.queue_stat_item[])
returns void
language plpgsql
security definer -- derived data kept on behalf of an execution write RLS allowed
set search_path = ''
as $$
begin
  if items is null or cardinality(items) = 0 then
    return;
  end if;
  perform app.queue_stats_add_dates(items);
  with customer_change as materialized (
    select * from app.queue_stats_add_customers(items)
  ), classes as (
    -- include_snoozed = true counts every item, false all but the snoozed.
    select i.*, k.include_snoozed
      from unnest(queue_stats_add.items) i cross join (values (true), (false)) k(include_snoozed)
     where k.include_snoozed or not i.snoozed
  ), totals as (
    select c.org_id, c.assigned_to, c.include_snoozed, sum(c.sign)::integer as items,
           sum(c.sign * c.priority) as priority_sum,
           coalesce(sum(c.sign) filter (where c.lane = 1), 0)::integer as lane_now,
           coalesce(sum(c.sign) filter (where c.lane = 2), 0)::integer as lane_soon,
           coalesce(sum(c.sign) filter (where c.lane = 3), 0)::integer as lane_planned,
           coalesce(sum(c.sign) filter (where c.type_rank = 1), 0)::integer as type_renewal,
           coalesce(sum(c.sign) filter (where c.type_rank = 2), 0)::integer as type_strategic,
           coalesce(sum(c.sign) filter (where c.type_rank = 3), 0)::integer as type_opportunity,
           coalesce(sum(c.sign) filter (where c.type_rank = 4), 0)::integer as type_risk,
           coalesce(sum(c.sign) filter (where c.type_rank = 5), 0)::integer as type_custom,
           coalesce(sum(c.sign) filter (where c.account_plan = 'expand'), 0)::integer as plan_expand,
           coalesce(sum(c.sign) filter (where c.account_plan = 'invest'), 0)::integer as plan_invest,
           coalesce(sum(c.sign) filter (where c.account_plan = 'manage'), 0)::integer as plan_manage,
           coalesce(sum(c.sign) filter (where c.account_plan = 'monitor'), 0)::integer as plan_monitor
      from classes c group by 1, 2, 3
  )
  insert into app.queue_stats as k
  select t.org_id, t.assigned_to, t.include_snoozed, t.items, t.priority_sum,
         coalesce(case when t.include_snoozed then cc.d_all else cc.d_active end, 0),
         t.lane_now, t.lane_soon, t.lane_planned, t.type_renewal, t.type_strategic, t.type_opportunity,
         t.type_risk, t.type_custom, t.plan_expand, t.plan_invest, t.plan_manage, t.plan_monitor
    from totals t
    left join customer_change cc on cc.org_id = t.org_id and cc.assigned_to = t.assigned_to
   order by 1, 2, 3
  on conflict (org_id, assigned_to, include_snoozed) do update set
    items = k.items + excluded.items, priority_sum = k.priority_sum + excluded.priority_sum,
    customers = k.customers + excluded.customers,
    lane_now = k.lane_now + excluded.lane_now, lane_soon = k.lane_soon + excluded.lane_soon,
    lane_planned = k.lane_planned + excluded.lane_planned,
    type_renewal = k.type_renewal + excluded.type_renewal, type_strategic = k.type_strategic + excluded.type_strategic,
    type_opportunity = k.type_opportunity + excluded.type_opportunity, type_risk = k.type_risk + excluded.type_risk,
    type_custom = k.type_custom + excluded.type_custom,
    plan_expand = k.plan_expand + excluded.plan_expand, plan_invest = k.plan_invest + excluded.plan_invest,
    plan_manage = k.plan_manage + excluded.plan_manage, plan_monitor = k.plan_monitor + excluded.plan_monitor;
end;
$$;

-- Statement-level: what this INSERT, UPDATE or DELETE changed in anybody's queue. The
-- parts are written out inline (a function per row would cost more than the rest).
create or replace function app.executions_keep_queue_stats()
returns trigger
language plpgsql
security definer -- see app.queue_stats_add
set search_path = ''
as $$
declare
  parts app.queue_stat_item[];
begin
  if tg_op = 'INSERT' then
    select array_agg(row(n.org_id, n.assigned_to, n.customer_id, n.status = 'snoozed', coalesce(n.queue_lane, 3::smallint),
                         coalesce(n.queue_type_rank, 5::smallint), n.customer_account_plan, n.customer_decision_date,
                         n.priority_score, 1)::app.queue_stat_item)
      into parts from new_rows n
     where n.status in ('queued', 'in_progress', 'snoozed', 'escalated') and n.assigned_to is not null;
  elsif tg_op = 'DELETE' then
    select array_agg(row(o.org_id, o.assigned_to, o.customer_id, o.status = 'snoozed', coalesce(o.queue_lane, 3::smallint),
                         coalesce(o.queue_type_rank, 5::smallint), o.customer_account_plan, o.customer_decision_date,
                         o.priority_score, -1)::app.queue_stat_item)
      into parts from old_rows o
     where o.status in ('queued', 'in_progress', 'snoozed', 'escalated') and o.assigned_to is not null;
  else
    -- Only rows whose part changed: a step or metadata update costs one join and stops.
    with changed as materialized (
      select o.org_id as o_org, o.assigned_to as o_to, o.customer_id as o_customer, o.status as o_status,
             o.queue_lane as o_lane, o.queue_type_rank as o_type, o.customer_account_plan as o_plan,
             o.customer_decision_date as o_date, o.priority_score as o_priority,
             n.org_id, n.assigned_to, n.customer_id, n.status, n.queue_lane, n.queue_type_rank,
             n.customer_account_plan, n.customer_decision_date, n.priority_score
        from old_rows o
        join new_rows n on n.id = o.id
       where (o.org_id, o.assigned_to, o.customer_id, o.status, o.queue_lane, o.queue_type_rank,
              o.customer_account_plan, o.customer_decision_date, o.priority_score)
             is distinct from
             (n.org_id, n.assigned_to, n.customer_id, n.status, n.queue_lane, n.queue_type_rank,
              n.customer_account_plan, n.customer_decision_date, n.priority_score)
    )
    select array_agg(p) into parts from (
      select row(c.o_org, c.o_to, c.o_customer, c.o_status = 'snoozed', coalesce(c.o_lane, 3::smallint),
                 coalesce(c.o_type, 5::smallint), c.o_plan, c.o_date, c.o_priority, -1)::app.queue_stat_item as p
        from changed c
       where c.o_status in ('queued', 'in_progress', 'snoozed', 'escalated') and c.o_to is not null
      union all
      select row(c.org_id, c.assigned_to, c.customer_id, c.status = 'snoozed', coalesce(c.queue_lane, 3::smallint),
                 coalesce(c.queue_type_rank, 5::smallint), c.customer_account_plan, c.customer_decision_date,
                 c.priority_score, 1)::app.queue_stat_item
        from changed c
       where c.status in ('queued', 'in_progress', 'snoozed', 'escalated') and c.assigned_to is not null
    ) x;
  end if;
  perform app.queue_stats_add(parts);
  return null;
end;
$$;

create trigger workflow_executions_keep_queue_stats_ins
  after insert on app.workflow_executions
  referencing new table as new_rows
  for each statement execute function app.executions_keep_queue_stats();
create trigger workflow_executions_keep_queue_stats_upd
  after update on app.workflow_executions
  referencing old table as old_rows new table as new_rows
  for each statement execute function app.executions_keep_queue_stats();
create trigger workflow_executions_keep_queue_stats_del
  after delete on app.workflow_executions
  referencing old table as old_rows
  for each statement execute function app.executions_keep_queue_stats();

create or replace function app.executions_truncate_queue_stats()
returns trigger
language plpgsql
security definer -- see app.queue_stats_add
set search_path = ''
as $$
begin
  truncate app.queue_stats, app.queue_stat_dates, app.queue_stat_customers;
  return null;
end;
$$;

create trigger workflow_executions_truncate_queue_stats
  after truncate on app.workflow_executions
  for each statement execute function app.executions_truncate_queue_stats();

-- The statistics of today's open executions.
select app.queue_stats_add(array(
  select row(e.org_id, e.assigned_to, e.customer_id, e.status = 'snoozed', coalesce(e.queue_lane, 3::smallint),
             coalesce(e.queue_type_rank, 5::smallint), e.customer_account_plan, e.customer_decision_date,
             e.priority_score, 1)::app.queue_stat_item
    from app.workflow_executions e
   where e.status in ('queued', 'in_progress', 'snoozed', 'escalated') and e.assigned_to is not null));

revoke execute on function app.queue_stats_add(app.queue_stat_item[]) from public, anon, authenticated;
revoke execute on function app.queue_stats_add_customers(app.queue_stat_item[]) from public, anon, authenticated;
revoke execute on function app.queue_stats_add_dates(app.queue_stat_item[]) from public, anon, authenticated;
revoke execute on function app.executions_keep_queue_stats() from public, anon;
revoke execute on function app.executions_truncate_queue_stats() from public, anon;
revoke execute on function app.executions_fill_queue_copies() from public, anon;
revoke execute on function app.workflows_keep_queue_type_rank() from public, anon;
grant execute on function app.queue_search_text(text, text) to authenticated, service_role;
