-- Retention figures kept as ARR history changes, so no read recomputes history (before:
-- the first read after any ARR change recomputed 25 pairs over every customer, ~8 s at
-- 100 000 customers; docs/forecast-and-retention.md "How the figures are kept").
--
-- A retention figure compares each customer's ARR at two month starts (s, e). It cannot
-- be summed from monthly figures (a customer who grows in January and shrinks back in
-- March is neither expansion nor contraction over the quarter), so what is kept is the
-- figure of every pair a read asks for:
--
--   app.retention_figures (org, s, e)  for e − s of 1, 3 and 12 months (a month, a
--       quarter, a trailing year — every step, trailing window and a 12-month or
--       one-quarter period of get_retention_metrics), with e before the frontier;
--     and (org, s, 'infinity'): s against the latest ARR.
--   app.retention_state (org): the time zone the month starts are in, the frontier (the
--       month start after the newest ARR history row: from there on every customer's ARR
--       is its latest, so any pair ending at or after it equals (s, 'infinity')), and the
--       number and ARR of customers paying now.
--
-- Kept by a statement trigger on app.arr_history: for the customers the statement
-- touched, their contribution to every kept pair is computed from their history before
-- the statement (today's rows − the statement's new rows + its old rows) and after it,
-- and the difference is added. Only those customers' rows are read (an ARR change of one
-- customer: its ~10 rows, ~100 pair rows updated). Backdated rows, deletes, moves between
-- customers and cascades are the same case. The state row is locked first, so writers of
-- one organisation's ARR history take turns and a pair row is never counted twice.
--
-- Pairs a read needs that are not kept (a period of 2 years, 7 months, ...) or an
-- organisation whose time zone changed since the figures were made (rebuilt at once when
-- small, else by the minutely job `rebuild-stale-retention`, see below) are computed as
-- before (app.retention_pairs_computed, cached per ARR-history version).

create table app.retention_state (
  org_id uuid primary key references app.organisations (id) on delete cascade,
  time_zone text not null,
  frontier date,
  customers integer not null default 0,
  arr numeric(16, 2) not null default 0,
  updated_at timestamptz not null default now()
);
comment on table app.retention_state is
  'Per organisation: the time zone and frontier of its kept retention figures and the customers paying now (kept by a trigger on ARR history).';

create table app.retention_figures (
  org_id uuid not null references app.organisations (id) on delete cascade,
  period_start date not null,
  period_end date not null,
  customers integer not null,
  starting_arr numeric(16, 2) not null,
  expansion numeric(16, 2) not null,
  contraction numeric(16, 2) not null,
  churn numeric(16, 2) not null,
  constraint retention_figures_pkey primary key (org_id, period_start, period_end)
);
comment on table app.retention_figures is
  'Retention sums per organisation and (start, end) month starts (end ''infinity'' = latest ARR), kept by a trigger on ARR history.';

alter table app.retention_state enable row level security;
alter table app.retention_figures enable row level security;
create policy "Members can read their organisation's retention state"
  on app.retention_state for select to authenticated
  using (org_id = (select app.current_org_id()));
create policy "Members can read their organisation's kept retention figures"
  on app.retention_figures for select to authenticated
  using (org_id = (select app.current_org_id()));
-- Written only by the functions below (security definer); members read.
revoke all on app.retention_state, app.retention_figures from anon, authenticated;
grant select on app.retention_state, app.retention_figures to authenticated;
grant select, insert, update, delete on app.retention_state, app.retention_figures to service_role;

---------------------------------------------------------------------------------------
-- Contributions of some customers to every kept pair
---------------------------------------------------------------------------------------

-- For the given customers of one organisation, Σ over two versions of their ARR history —
-- "after" (today's rows, sign +1) and "before" (today's rows except before_excluded_ids,
-- plus before_extra_rows; sign −1; left out when before_is_empty) — of each customer's
-- contribution to the kept pairs below `frontier`, and to the latest totals
-- (period_start = period_end = 'infinity').
--
-- ARR of a customer at a month start t = its newest row recorded before t (00:00 in
-- time_zone); rows are grouped by the first month start after them ("step"), the last row
-- of a step wins (recorded_at, created_at, id — the order app.compute_retention uses), and
-- the ARR holds at every month start until the next step. Contribution to (s, e), when
-- the ARR at s is above 0: 1 customer, starting ARR, max(0, E − S) expansion,
-- max(0, S − E) contraction when E > 0, S churn when E = 0.
create or replace function app.retention_contributions(
  org_id uuid, customer_ids uuid[], time_zone text, frontier date,
  before_excluded_ids uuid[], before_extra_rows app.arr_history[], before_is_empty boolean)
returns table (period_start date, period_end date, customers bigint, starting_arr numeric,
               expansion numeric, contraction numeric, churn numeric)
language sql
stable
set search_path = ''
-- The row estimates of generate_series are far off (1000 per call): without `jit = off` a
-- one-customer change paid ~3 s of JIT compilation for a plan that runs in 1 ms.
set jit = off
set work_mem = '256MB'
as $$
  with ids as materialized (
    select distinct x.id from unnest(retention_contributions.customer_ids) as x(id)
  ), excluded as materialized (
    select distinct x.id from unnest(retention_contributions.before_excluded_ids) as x(id)
  ), today as materialized (
    -- customer_ids null: every customer of the organisation (a rebuild).
    select h.id, h.customer_id, h.arr, h.recorded_at, h.created_at
      from app.arr_history h
     where retention_contributions.customer_ids is null and h.org_id = retention_contributions.org_id
    union all
    select h.id, h.customer_id, h.arr, h.recorded_at, h.created_at
      from ids join app.arr_history h on h.customer_id = ids.id and h.org_id = retention_contributions.org_id
     where retention_contributions.customer_ids is not null
  ), hist as (
    select 1 as sign, t.customer_id, t.arr, t.recorded_at, t.created_at, t.id from today t
    union all
    select -1, t.customer_id, t.arr, t.recorded_at, t.created_at, t.id
      from today t
     where not retention_contributions.before_is_empty
       and not exists (select 1 from excluded x where x.id = t.id)
    union all
    select -1, r.customer_id, r.arr, r.recorded_at, r.created_at, r.id
      from unnest(retention_contributions.before_extra_rows) r
     where not retention_contributions.before_is_empty and r.org_id = retention_contributions.org_id
  ), steps as (
    -- Amounts in cents (bigint): exact, and fast to add up.
    select distinct on (h.sign, h.customer_id, b.step) h.sign, h.customer_id, b.step, (h.arr * 100)::bigint as cents
      from hist h
      cross join lateral (select (date_trunc('month', h.recorded_at at time zone retention_contributions.time_zone)
                                  + interval '1 month')::date as step) b
     order by h.sign, h.customer_id, b.step, h.recorded_at desc, h.created_at desc, h.id desc
  ), spans as (
    select s.sign, s.customer_id, s.step, s.cents,
           lead(s.step) over w as next_step,
           last_value(s.cents) over (w rows between unbounded preceding and unbounded following) as latest
      from steps s
    window w as (partition by s.sign, s.customer_id order by s.step)
  ), at_month as (
    -- One row per version, customer and month start from its first step to the frontier.
    select p.sign, p.customer_id, m::date as t, p.cents as a, p.latest
      from spans p
      cross join lateral generate_series(p.step::timestamp,
                   least(coalesce(p.next_step, retention_contributions.frontier), retention_contributions.frontier)::timestamp
                   - interval '1 month', interval '1 month') m
  ), lagged as (
    select a.sign, a.t, a.a, a.latest,
           lag(a.a, 1) over w as a1, lag(a.a, 3) over w as a3, lag(a.a, 12) over w as a12
      from at_month a
    window w as (partition by a.sign, a.customer_id order by a.t)
  ), by_month as (
    -- Per month start t: the cohort at t, and the changes of (t − 1, 3, 12 months → t)
    -- and of (t → latest).
    select l.t,
           coalesce(sum(l.sign) filter (where l.a > 0), 0) as n,
           coalesce(sum(l.sign * l.a) filter (where l.a > 0), 0) as s,
           sum(l.sign * greatest(l.a - l.a1, 0)) filter (where l.a1 > 0) as x1,
           sum(l.sign * greatest(l.a1 - l.a, 0)) filter (where l.a1 > 0 and l.a > 0) as c1,
           sum(l.sign * l.a1) filter (where l.a1 > 0 and l.a = 0) as h1,
           sum(l.sign * greatest(l.a - l.a3, 0)) filter (where l.a3 > 0) as x3,
           sum(l.sign * greatest(l.a3 - l.a, 0)) filter (where l.a3 > 0 and l.a > 0) as c3,
           sum(l.sign * l.a3) filter (where l.a3 > 0 and l.a = 0) as h3,
           sum(l.sign * greatest(l.a - l.a12, 0)) filter (where l.a12 > 0) as x12,
           sum(l.sign * greatest(l.a12 - l.a, 0)) filter (where l.a12 > 0 and l.a > 0) as c12,
           sum(l.sign * l.a12) filter (where l.a12 > 0 and l.a = 0) as h12,
           sum(l.sign * greatest(l.latest - l.a, 0)) filter (where l.a > 0) as xi,
           sum(l.sign * greatest(l.a - l.latest, 0)) filter (where l.a > 0 and l.latest > 0) as ci,
           sum(l.sign * l.a) filter (where l.a > 0 and l.latest = 0) as hi
      from lagged l
     group by l.t
  ), figures as (
    select f.s, f.e, f.n, f.cents_s, f.x, f.c, f.h
      from by_month m
      cross join lateral (values
        ((m.t - interval '1 month')::date, m.t, m.x1, m.c1, m.h1),
        ((m.t - interval '3 months')::date, m.t, m.x3, m.c3, m.h3),
        ((m.t - interval '12 months')::date, m.t, m.x12, m.c12, m.h12),
        (m.t, 'infinity'::date, m.xi, m.ci, m.hi)) v(s, e, x, c, h)
      left join by_month z on z.t = v.s
      cross join lateral (select v.s, v.e, coalesce(z.n, 0) as n, coalesce(z.s, 0) as cents_s,
                                 coalesce(v.x, 0) as x, coalesce(v.c, 0) as c, coalesce(v.h, 0) as h) f
    union all
    -- The latest totals: one row per version and customer.
    select 'infinity'::date, 'infinity'::date, sum(p.sign), sum(p.sign * p.latest), 0, 0, 0
      from spans p
     where p.next_step is null and p.latest > 0
  )
  select f.s, f.e, f.n::bigint, f.cents_s / 100.0, f.x / 100.0, f.c / 100.0, f.h / 100.0
    from figures f
   where f.n <> 0 or f.cents_s <> 0 or f.x <> 0 or f.c <> 0 or f.h <> 0
$$;
revoke execute on function app.retention_contributions(uuid, uuid[], text, date, uuid[], app.arr_history[], boolean)
  from public, anon, authenticated;

-- Applies a change of some customers' ARR history to the kept figures (or, with rebuild,
-- computes the organisation's figures afresh from all of its history).
create or replace function app.retention_apply(org_id uuid, customer_ids uuid[], new_ids uuid[],
                                               old_rows app.arr_history[], rebuild boolean default false)
returns void
language plpgsql
security definer
set search_path = ''
set jit = off
as $$
declare
  v_org uuid := retention_apply.org_id;
  v_tz text;
  st app.retention_state;
  v_frontier date;
  v_rebuild boolean := retention_apply.rebuild;
  v_customers uuid[] := retention_apply.customer_ids;
begin
  if not exists (select 1 from app.organisations g where g.id = v_org) then
    return;  -- the organisation is being deleted (its figures go with it)
  end if;
  select coalesce((select s.time_zone from app.organisation_settings s where s.org_id = v_org), 'UTC') into v_tz;
  insert into app.retention_state (org_id, time_zone) values (v_org, v_tz) on conflict do nothing;
  select * into st from app.retention_state s where s.org_id = v_org for update;
  if st.time_zone is distinct from v_tz then
    -- Figures in another time zone: start again — now when that is cheap, else the
    -- minutely job does it (until then reads compute; nothing is lost by not adding now).
    if st.customers > 5000 and not v_rebuild then
      return;
    end if;
    v_rebuild := true;
  elsif st.frontier is null then
    -- The organisation's first ARR history (a seed, a first import): everything it has is
    -- this statement's, so computing it all at once is the same and cheaper.
    v_rebuild := true;
  end if;

  if v_rebuild then
    delete from app.retention_figures f where f.org_id = v_org;
    update app.retention_state s set time_zone = v_tz, frontier = null, customers = 0, arr = 0 where s.org_id = v_org;
    st.frontier := null; st.customers := 0; st.arr := 0;
    v_customers := null;  -- every customer
  elsif v_customers is null or cardinality(v_customers) = 0 then
    return;
  end if;

  -- The frontier moves on when a row is recorded in or after its month (it never moves back:
  -- pairs kept past the newest row stay exact, they are only not needed).
  if v_customers is null then
    select max((date_trunc('month', h.recorded_at at time zone v_tz) + interval '1 month')::date) into v_frontier
      from app.arr_history h where h.org_id = v_org;
  else
    select greatest(st.frontier, max((date_trunc('month', h.recorded_at at time zone v_tz) + interval '1 month')::date))
      into v_frontier
      from (select distinct x.id from unnest(v_customers) as x(id)) ids
      join app.arr_history h on h.customer_id = ids.id and h.org_id = v_org;
  end if;
  if v_frontier is null and st.frontier is null then
    return;  -- no ARR history (left)
  end if;
  v_frontier := coalesce(v_frontier, st.frontier);

  if st.frontier is not null and v_frontier > st.frontier then
    -- Pairs ending in [old frontier, new frontier) were "against the latest ARR" until now:
    -- keep them as they were, before this change is added.
    insert into app.retention_figures as f
      (org_id, period_start, period_end, customers, starting_arr, expansion, contraction, churn)
    select v_org, x.s, x.e, x.customers, x.starting_arr, x.expansion, x.contraction, x.churn
      from (
        select (e.e - make_interval(months => l.months))::date as s, e.e::date as e,
               coalesce(i.customers, case when (e.e - make_interval(months => l.months))::date >= st.frontier then st.customers end) as customers,
               coalesce(i.starting_arr, case when (e.e - make_interval(months => l.months))::date >= st.frontier then st.arr end) as starting_arr,
               coalesce(i.expansion, 0) as expansion, coalesce(i.contraction, 0) as contraction, coalesce(i.churn, 0) as churn
          from generate_series(st.frontier::timestamp, v_frontier::timestamp - interval '1 month', interval '1 month') e(e)
          cross join (values (1), (3), (12)) l(months)
          left join app.retention_figures i
            on i.org_id = v_org and i.period_start = (e.e - make_interval(months => l.months))::date
           and i.period_end = 'infinity'::date
        union all
        select s.s::date, 'infinity'::date, st.customers, st.arr, 0, 0, 0
          from generate_series(st.frontier::timestamp, v_frontier::timestamp - interval '1 month', interval '1 month') s(s)
      ) x
     where x.customers > 0
     order by x.s, x.e
    on conflict on constraint retention_figures_pkey do update
       set customers = excluded.customers, starting_arr = excluded.starting_arr, expansion = excluded.expansion,
           contraction = excluded.contraction, churn = excluded.churn;
  end if;

  -- Add (after − before) of the touched customers, in key order, and the latest totals.
  with c as materialized (
    select * from app.retention_contributions(v_org, v_customers, v_tz, v_frontier, retention_apply.new_ids,
                                              retention_apply.old_rows, v_rebuild)
  ), latest as (
    update app.retention_state s
       set frontier = v_frontier, time_zone = v_tz, updated_at = now(),
           customers = s.customers + coalesce(l.customers, 0), arr = s.arr + coalesce(l.starting_arr, 0)
      from (select sum(c.customers)::integer as customers, sum(c.starting_arr) as starting_arr
              from c where c.period_start = 'infinity'::date) l
     where s.org_id = v_org
  )
  insert into app.retention_figures as f
    (org_id, period_start, period_end, customers, starting_arr, expansion, contraction, churn)
  select v_org, c.period_start, c.period_end, c.customers, c.starting_arr, c.expansion, c.contraction, c.churn
    from c
   where c.period_start < 'infinity'::date
     and (c.customers <> 0 or c.starting_arr <> 0 or c.expansion <> 0 or c.contraction <> 0 or c.churn <> 0)
   order by c.period_start, c.period_end
  on conflict on constraint retention_figures_pkey do update
     set customers = f.customers + excluded.customers, starting_arr = f.starting_arr + excluded.starting_arr,
         expansion = f.expansion + excluded.expansion, contraction = f.contraction + excluded.contraction,
         churn = f.churn + excluded.churn;
end;
$$;
revoke execute on function app.retention_apply(uuid, uuid[], uuid[], app.arr_history[], boolean) from public, anon, authenticated;

-- Rebuilds one organisation's figures from all of its ARR history (the migration, a time
-- zone change; the service role may call it by hand).
create or replace function app.retention_rebuild(org_id uuid)
returns void
language sql
security definer
set search_path = ''
as $$
  select app.retention_apply(retention_rebuild.org_id, '{}'::uuid[], '{}'::uuid[], '{}'::app.arr_history[], true)
$$;
revoke execute on function app.retention_rebuild(uuid) from public, anon, authenticated;
grant execute on function app.retention_rebuild(uuid) to service_role;

---------------------------------------------------------------------------------------
-- Triggers
---------------------------------------------------------------------------------------

create or replace function app.arr_history_keep_retention()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_org uuid;
begin
  if tg_op = 'INSERT' then
    for v_org in select distinct n.org_id from new_rows n order by 1 loop
      perform app.retention_apply(v_org,
        array(select n.customer_id from new_rows n where n.org_id = v_org),
        array(select n.id from new_rows n where n.org_id = v_org),
        '{}'::app.arr_history[]);
    end loop;
  elsif tg_op = 'UPDATE' then
    for v_org in select n.org_id from new_rows n union select o.org_id from old_rows o order by 1 loop
      perform app.retention_apply(v_org,
        array(select n.customer_id from new_rows n where n.org_id = v_org
              union select o.customer_id from old_rows o where o.org_id = v_org),
        array(select n.id from new_rows n where n.org_id = v_org),
        array(select o::app.arr_history from old_rows o where o.org_id = v_org));
    end loop;
  else
    for v_org in select distinct o.org_id from old_rows o order by 1 loop
      perform app.retention_apply(v_org,
        array(select o.customer_id from old_rows o where o.org_id = v_org),
        '{}'::uuid[],
        array(select o::app.arr_history from old_rows o where o.org_id = v_org));
    end loop;
  end if;
  return null;
end;
$$;

create trigger arr_history_keep_retention_ins
  after insert on app.arr_history referencing new table as new_rows
  for each statement execute function app.arr_history_keep_retention();
create trigger arr_history_keep_retention_upd
  after update on app.arr_history referencing old table as old_rows new table as new_rows
  for each statement execute function app.arr_history_keep_retention();
create trigger arr_history_keep_retention_del
  after delete on app.arr_history referencing old table as old_rows
  for each statement execute function app.arr_history_keep_retention();

-- The month starts are in the organisation's time zone: a new time zone rebuilds the
-- figures — at once for an organisation with up to 5 000 paying customers, else by the
-- minutely job below (a rebuild of 100 000 customers takes longer than a request may);
-- until then reads compute from ARR history (app.retention_pairs_computed).
create or replace function app.organisation_settings_rebuild_retention()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_org uuid;
begin
  for v_org in
    select n.org_id from new_rows n join old_rows o on o.org_id = n.org_id
     where n.time_zone is distinct from o.time_zone
       and exists (select 1 from app.retention_state s where s.org_id = n.org_id and s.customers <= 5000)
     order by 1
  loop
    perform app.retention_rebuild(v_org);
  end loop;
  return null;
end;
$$;

-- Rebuilds the figures of every organisation whose time zone changed since they were made.
create or replace function app.rebuild_stale_retention()
returns integer
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_org uuid;
  v_count integer := 0;
begin
  for v_org in
    select s.org_id from app.retention_state s
      join app.organisation_settings o on o.org_id = s.org_id
     where o.time_zone is distinct from s.time_zone
     order by 1
  loop
    perform app.retention_rebuild(v_org);
    v_count := v_count + 1;
  end loop;
  return v_count;
end;
$$;
revoke execute on function app.rebuild_stale_retention() from public, anon, authenticated;
grant execute on function app.rebuild_stale_retention() to service_role;
select cron.schedule('rebuild-stale-retention', '* * * * *', $$select app.rebuild_stale_retention()$$);

create trigger organisation_settings_rebuild_retention
  after update on app.organisation_settings referencing old table as old_rows new table as new_rows
  for each statement execute function app.organisation_settings_rebuild_retention();

---------------------------------------------------------------------------------------
-- Reading
---------------------------------------------------------------------------------------

-- The computation as it was (cached per ARR-history version), for pairs that are not kept.
-- (app.retention_pairs of 20261205070200_retention_metrics.sql under a new name.)
create or replace function app.retention_pairs_computed(org_id uuid, starts date[], ends date[])
returns table (period_start date, period_end date, customers integer, starting_arr numeric,
               expansion numeric, contraction numeric, churn numeric)
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_org uuid := retention_pairs_computed.org_id;
  v_version bigint;
  v_tz text;
  v_missing_starts date[];
  v_missing_ends date[];
  v_computed app.retention_cache[];
begin
  -- A member for their own organisation; the service role (no person) for any.
  if v_org is null
     or (v_org is distinct from app.current_org_id()
         and coalesce(nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role', '') <> 'service_role') then
    raise exception 'Only members of an organisation can read its retention' using errcode = '42501';
  end if;
  -- The stamp first: a change committed while we compute makes our result stale-stamped.
  select coalesce((select v.version from app.arr_history_versions v where v.org_id = v_org), 0) into v_version;
  select s.time_zone into v_tz from app.organisation_settings s where s.org_id = v_org;
  v_tz := coalesce(v_tz, 'UTC');

  select array_agg(p.s), array_agg(p.e) into v_missing_starts, v_missing_ends
    from (select distinct x.s, x.e from unnest(retention_pairs_computed.starts, retention_pairs_computed.ends) as x(s, e)) p
   where not exists (select 1 from app.retention_cache c
                      where c.org_id = v_org and c.period_start = p.s and c.period_end = p.e
                        and c.version = v_version and c.time_zone = v_tz);

  if v_missing_starts is not null then
    -- Computed rows are kept in a variable (no temporary table), stored, and returned.
    select array_agg(row(v_org, m.s, m.e, v_version, v_tz, coalesce(r.customers, 0), coalesce(r.starting_arr, 0),
                         coalesce(r.expansion, 0), coalesce(r.contraction, 0), coalesce(r.churn, 0), now())::app.retention_cache)
      into v_computed
      from unnest(v_missing_starts, v_missing_ends) as m(s, e)
      left join app.compute_retention(v_org, v_missing_starts, v_missing_ends, v_tz) r
        on r.period_start = m.s and r.period_end = m.e;
    begin
      insert into app.retention_cache as c
      select t.* from unnest(v_computed) t
      on conflict on constraint retention_cache_pkey do update
         set version = excluded.version, time_zone = excluded.time_zone, customers = excluded.customers,
             starting_arr = excluded.starting_arr, expansion = excluded.expansion,
             contraction = excluded.contraction, churn = excluded.churn, computed_at = excluded.computed_at
       where c.version <= excluded.version;
    exception when read_only_sql_transaction then
      null; -- a read-only request (GET): answer without storing
    end;
  end if;
  return query
    select t.period_start, t.period_end, t.customers, t.starting_arr::numeric, t.expansion::numeric,
           t.contraction::numeric, t.churn::numeric
      from unnest(coalesce(v_computed, '{}'::app.retention_cache[])) t
    union all
    select c.period_start, c.period_end, c.customers, c.starting_arr::numeric, c.expansion::numeric,
           c.contraction::numeric, c.churn::numeric
      from app.retention_cache c
      join (select distinct x.s, x.e from unnest(retention_pairs_computed.starts, retention_pairs_computed.ends) as x(s, e)) p
        on c.period_start = p.s and c.period_end = p.e
     where c.org_id = v_org and c.version = v_version and c.time_zone = v_tz
       and not exists (select 1 from unnest(coalesce(v_computed, '{}'::app.retention_cache[])) t
                        where t.period_start = c.period_start and t.period_end = c.period_end);
end;
$$;
comment on function app.retention_pairs_computed(uuid, date[], date[]) is
  'Retention sums computed from ARR history (cached per ARR-history version): for pairs app.retention_figures does not keep.';
revoke execute on function app.retention_pairs_computed(uuid, date[], date[]) from public, anon, authenticated;
grant execute on function app.retention_pairs_computed(uuid, date[], date[]) to service_role;

-- Same contract as before: the sums of each (starts[i], ends[i]) of the caller's
-- organisation. Kept pairs are read (a missing row = nobody in the cohort); the rest are
-- computed.
create or replace function app.retention_pairs(org_id uuid, starts date[], ends date[])
returns table (period_start date, period_end date, customers integer, starting_arr numeric,
               expansion numeric, contraction numeric, churn numeric)
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_org uuid := retention_pairs.org_id;
  st app.retention_state;
  v_tz text;
  v_rest_starts date[];
  v_rest_ends date[];
begin
  if v_org is null
     or (v_org is distinct from app.current_org_id()
         and coalesce(nullif(current_setting('request.jwt.claims', true), '')::jsonb ->> 'role', '') <> 'service_role') then
    raise exception 'Only members of an organisation can read its retention' using errcode = '42501';
  end if;
  select * into st from app.retention_state s where s.org_id = v_org;
  select coalesce((select s.time_zone from app.organisation_settings s where s.org_id = v_org), 'UTC') into v_tz;

  if st.org_id is not null and st.time_zone = v_tz then
    select array_agg(p.s), array_agg(p.e) into v_rest_starts, v_rest_ends
      from (select distinct x.s, x.e from unnest(retention_pairs.starts, retention_pairs.ends) as x(s, e)) p
     where not (p.s >= coalesce(st.frontier, '-infinity'::date)
                or p.e >= coalesce(st.frontier, '-infinity'::date)
                or p.e in ((p.s + interval '1 month')::date, (p.s + interval '3 months')::date, (p.s + interval '12 months')::date));
  elsif st.org_id is null and not exists (select 1 from app.arr_history h where h.org_id = v_org) then
    v_rest_starts := null;  -- no ARR history at all: every figure is zero
  else
    select array_agg(p.s), array_agg(p.e) into v_rest_starts, v_rest_ends
      from (select distinct x.s, x.e from unnest(retention_pairs.starts, retention_pairs.ends) as x(s, e)) p;
    st := null;
  end if;

  return query
    select p.s, p.e,
           coalesce(case when p.s >= st.frontier then st.customers else f.customers end, 0),
           coalesce(case when p.s >= st.frontier then st.arr else f.starting_arr end, 0)::numeric,
           coalesce(case when p.s >= st.frontier then 0 else f.expansion end, 0)::numeric,
           coalesce(case when p.s >= st.frontier then 0 else f.contraction end, 0)::numeric,
           coalesce(case when p.s >= st.frontier then 0 else f.churn end, 0)::numeric
      from (select distinct x.s, x.e from unnest(retention_pairs.starts, retention_pairs.ends) as x(s, e)) p
      left join app.retention_figures f
        on f.org_id = v_org and f.period_start = p.s
       and f.period_end = case when p.e >= st.frontier then 'infinity'::date else p.e end
     where (st.org_id is not null or v_rest_starts is null)
       and not exists (select 1 from unnest(v_rest_starts, v_rest_ends) as r(s, e) where r.s = p.s and r.e = p.e)
    union all
    select c.period_start, c.period_end, c.customers, c.starting_arr, c.expansion, c.contraction, c.churn
      from app.retention_pairs_computed(v_org, v_rest_starts, v_rest_ends) c
     where v_rest_starts is not null;
end;
$$;
comment on function app.retention_pairs(uuid, date[], date[]) is
  'Retention sums for (start, end) pairs of the caller''s organisation: kept figures where kept, else computed.';
revoke execute on function app.retention_pairs(uuid, date[], date[]) from public, anon;
grant execute on function app.retention_pairs(uuid, date[], date[]) to authenticated, service_role;

-- A fresh computation for tests (pgTAP compares the kept figures with it).
create or replace function app.retention_figures_recomputed(org_id uuid, starts date[], ends date[])
returns table (period_start date, period_end date, customers integer, starting_arr numeric,
               expansion numeric, contraction numeric, churn numeric)
language sql
stable
set search_path = ''
as $$
  select p.s, p.e, coalesce(r.customers, 0), coalesce(r.starting_arr, 0), coalesce(r.expansion, 0),
         coalesce(r.contraction, 0), coalesce(r.churn, 0)
    from unnest(retention_figures_recomputed.starts, retention_figures_recomputed.ends) as p(s, e)
    left join app.compute_retention(retention_figures_recomputed.org_id, retention_figures_recomputed.starts,
                                    retention_figures_recomputed.ends,
                                    coalesce((select s.time_zone from app.organisation_settings s
                                               where s.org_id = retention_figures_recomputed.org_id), 'UTC')) r
      on r.period_start = p.s and r.period_end = p.e
$$;
revoke execute on function app.retention_figures_recomputed(uuid, date[], date[]) from public, anon, authenticated;

-- Fill from what exists.
select app.retention_rebuild(g.id) from app.organisations g
 where exists (select 1 from app.arr_history h where h.org_id = g.id);
