-- Retention: GRR and NRR from ARR history (docs/forecast-and-retention.md "Forecast and retention"; docs/forecast-and-retention.md
-- "Revenue"; docs/forecast-and-retention.md has the definitions with a worked example).
--
--   get_retention_metrics(period_start, period_end, granularity = 'month')
--     -> {starting_arr, expansion, contraction, churn, grr, nrr, customers, ending_arr,
--         series[] (per month or quarter, each with its trailing 12 months)}
--
-- Definitions, for a period [start, end):
--   ARR of a customer at a date d = the newest app.arr_history row recorded before the
--     start of d in the organisation's time zone (a change at 00:00 of d belongs to d);
--   the cohort = customers whose ARR at `start` is > 0 (a customer whose first history is
--     during the period, or who has no history at all, is not counted);
--   S = Σ ARR at start; for each, E = ARR at end;
--   expansion = Σ max(0, E − S_c); contraction = Σ max(0, S_c − E) where E > 0;
--   churn = Σ S_c where E = 0;
--   GRR = (S − contraction − churn) / S; NRR = (S + expansion − contraction − churn) / S
--   (null when S = 0), rounded to 4 decimals; amounts are exact to the cent.
--
-- Why a cache: each figure compares every customer's ARR at two dates; a 12-month series
-- with its trailing-12-month windows needs 24 dates. Over 100 000 customers that is
-- seconds of work, and it only changes when ARR history does. So each (start, end) pair
-- is computed once and kept in app.retention_cache, stamped with the organisation's ARR
-- history version (app.arr_history_versions, bumped by a statement trigger on every
-- insert, update and delete of ARR history, cascades included) and its time zone; a
-- stamp that differs from the current one is never read. The version is read before
-- computing, so a computation that raced a change is stamped with the older version and
-- simply discarded. Reads in a read-only transaction compute without storing.

---------------------------------------------------------------------------------------
-- ARR history version per organisation
---------------------------------------------------------------------------------------

create table app.arr_history_versions (
  org_id uuid primary key references app.organisations (id) on delete cascade,
  version bigint not null default 1,
  changed_at timestamptz not null default now()
);
comment on table app.arr_history_versions is
  'A counter per organisation bumped by every change of its ARR history (retention cache stamps).';

-- Security definer: the counter moves on behalf of whoever changed ARR history (ingest,
-- a manager, an outcome, a cascade); nobody writes it directly.
create or replace function app.bump_arr_history_version()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if tg_op = 'INSERT' then
    insert into app.arr_history_versions as v (org_id)
    select distinct n.org_id from new_rows n
    on conflict (org_id) do update set version = v.version + 1, changed_at = now();
  elsif tg_op = 'UPDATE' then
    insert into app.arr_history_versions as v (org_id)
    select n.org_id from new_rows n union select o.org_id from old_rows o
    on conflict (org_id) do update set version = v.version + 1, changed_at = now();
  else
    -- An organisation being deleted takes its counter with it (the insert finds no parent).
    insert into app.arr_history_versions as v (org_id)
    select distinct o.org_id from old_rows o
     where exists (select 1 from app.organisations g where g.id = o.org_id)
    on conflict (org_id) do update set version = v.version + 1, changed_at = now();
  end if;
  return null;
end;
$$;

create trigger arr_history_bump_version_ins
  after insert on app.arr_history
  referencing new table as new_rows
  for each statement execute function app.bump_arr_history_version();
create trigger arr_history_bump_version_upd
  after update on app.arr_history
  referencing old table as old_rows new table as new_rows
  for each statement execute function app.bump_arr_history_version();
create trigger arr_history_bump_version_del
  after delete on app.arr_history
  referencing old table as old_rows
  for each statement execute function app.bump_arr_history_version();

---------------------------------------------------------------------------------------
-- The cache of computed (start, end) pairs
---------------------------------------------------------------------------------------

create table app.retention_cache (
  org_id uuid not null references app.organisations (id) on delete cascade,
  period_start date not null,
  period_end date not null,
  version bigint not null,
  time_zone text not null,
  customers integer not null,
  starting_arr numeric(16, 2) not null,
  expansion numeric(16, 2) not null,
  contraction numeric(16, 2) not null,
  churn numeric(16, 2) not null,
  computed_at timestamptz not null default now(),
  constraint retention_cache_pkey primary key (org_id, period_start, period_end),
  constraint retention_cache_period_is_not_empty check (period_end > period_start),
  constraint retention_cache_amounts_are_not_negative check (
    customers >= 0 and starting_arr >= 0 and expansion >= 0 and contraction >= 0 and churn >= 0)
);
comment on table app.retention_cache is
  'Retention sums per organisation and (start, end), valid while its version and time zone are the organisation''s current ones.';

alter table app.arr_history_versions enable row level security;
alter table app.retention_cache enable row level security;
create policy "Members can read their organisation's ARR history version"
  on app.arr_history_versions for select to authenticated
  using (org_id = (select app.current_org_id()));
create policy "Members can read their organisation's retention figures"
  on app.retention_cache for select to authenticated
  using (org_id = (select app.current_org_id()));
-- Written only by the trigger above and app.retention_pairs (security definer).
grant select on app.arr_history_versions, app.retention_cache to authenticated;
grant select, insert, update, delete on app.arr_history_versions, app.retention_cache to service_role;

-- Existing organisations start at version 1 (no cache yet).
insert into app.arr_history_versions (org_id) select g.id from app.organisations g on conflict do nothing;

---------------------------------------------------------------------------------------
-- The computation
---------------------------------------------------------------------------------------

-- Retention sums for each (starts[i], ends[i]) pair of one organisation, set-based: one
-- pass over its ARR history turns rows into spans [recorded_at, next recorded_at), each
-- span answers "ARR at date d" for the dates it covers, and the pairs join two dates per
-- customer. Pairs without a single customer are left out (the caller fills zeros).
create or replace function app.compute_retention(org_id uuid, starts date[], ends date[], time_zone text)
returns table (period_start date, period_end date, customers integer, starting_arr numeric,
               expansion numeric, contraction numeric, churn numeric)
language sql
stable
set search_path = ''
as $$
  with pairs as materialized (
    select distinct p.s, p.e from unnest(compute_retention.starts, compute_retention.ends) as p(s, e)
  ), boundaries as materialized (
    select b.d, (b.d::timestamp at time zone compute_retention.time_zone) as at
      from (select s as d from pairs union select e from pairs) b
  ), spans as (
    select h.customer_id, h.arr, h.recorded_at,
           lead(h.recorded_at) over (partition by h.customer_id order by h.recorded_at, h.created_at, h.id) as next_at
      from app.arr_history h
     where h.org_id = compute_retention.org_id
       and h.recorded_at < (select max(b.at) from boundaries b)
  ), at_date as materialized (
    select s.customer_id, b.d, s.arr
      from spans s
      join boundaries b on s.recorded_at < b.at and (s.next_at is null or s.next_at >= b.at)
  )
  select p.s, p.e, count(*)::integer,
         sum(a.arr),
         sum(greatest(z.arr - a.arr, 0)),
         sum(case when z.arr > 0 then greatest(a.arr - z.arr, 0) else 0 end),
         sum(case when z.arr = 0 then a.arr else 0 end)
    from pairs p
    join at_date a on a.d = p.s and a.arr > 0
    join at_date z on z.d = p.e and z.customer_id = a.customer_id
   group by p.s, p.e
$$;
comment on function app.compute_retention(uuid, date[], date[], text) is
  'Retention sums (cohort size, starting ARR, expansion, contraction, churn) for (start, end) pairs of one organisation, from ARR history.';
revoke execute on function app.compute_retention(uuid, date[], date[], text) from public, anon, authenticated;
grant execute on function app.compute_retention(uuid, date[], date[], text) to service_role;

-- The sums for the caller's organisation: cached pairs whose stamp is current, the rest
-- computed and stored. Security definer: reads every ARR history row of the caller's own
-- organisation (members may read them anyway) and writes the cache nobody writes directly.
create or replace function app.retention_pairs(org_id uuid, starts date[], ends date[])
returns table (period_start date, period_end date, customers integer, starting_arr numeric,
               expansion numeric, contraction numeric, churn numeric)
language plpgsql
security definer
set search_path = ''
as $$
declare
  v_org uuid := retention_pairs.org_id;
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
    from (select distinct x.s, x.e from unnest(retention_pairs.starts, retention_pairs.ends) as x(s, e)) p
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
      join (select distinct x.s, x.e from unnest(retention_pairs.starts, retention_pairs.ends) as x(s, e)) p
        on c.period_start = p.s and c.period_end = p.e
     where c.org_id = v_org and c.version = v_version and c.time_zone = v_tz
       and not exists (select 1 from unnest(coalesce(v_computed, '{}'::app.retention_cache[])) t
                        where t.period_start = c.period_start and t.period_end = c.period_end);
end;
$$;
comment on function app.retention_pairs(uuid, date[], date[]) is
  'Retention sums for (start, end) pairs of the caller''s organisation, from the cache when its stamp is current.';
revoke execute on function app.retention_pairs(uuid, date[], date[]) from public, anon;
grant execute on function app.retention_pairs(uuid, date[], date[]) to authenticated, service_role;

-- One figure as the API shows it.
create or replace function app.retention_figure(period_start date, period_end date, customers integer,
                                                starting_arr numeric, expansion numeric, contraction numeric, churn numeric)
returns jsonb
language sql
immutable
set search_path = ''
as $$
  select jsonb_build_object(
    'period_start', retention_figure.period_start,
    'period_end', retention_figure.period_end,
    'customers', coalesce(retention_figure.customers, 0),
    'starting_arr', coalesce(retention_figure.starting_arr, 0),
    'expansion', coalesce(retention_figure.expansion, 0),
    'contraction', coalesce(retention_figure.contraction, 0),
    'churn', coalesce(retention_figure.churn, 0),
    'ending_arr', coalesce(retention_figure.starting_arr + retention_figure.expansion
                           - retention_figure.contraction - retention_figure.churn, 0),
    'grr', case when retention_figure.starting_arr > 0 then round(
             (retention_figure.starting_arr - retention_figure.contraction - retention_figure.churn)
             / retention_figure.starting_arr, 4) end,
    'nrr', case when retention_figure.starting_arr > 0 then round(
             (retention_figure.starting_arr + retention_figure.expansion - retention_figure.contraction
              - retention_figure.churn) / retention_figure.starting_arr, 4) end)
$$;
grant execute on function app.retention_figure(date, date, integer, numeric, numeric, numeric, numeric) to authenticated, service_role;

---------------------------------------------------------------------------------------
-- get_retention_metrics
---------------------------------------------------------------------------------------

-- Not `stable`: it stores what it computed (the cache).
create or replace function public.get_retention_metrics(period_start date, period_end date, granularity text default 'month')
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_org uuid := app.current_org_id();
  v_step interval;
  v_starts date[];
  v_ends date[];
  v_result jsonb;
begin
  if v_org is null then
    raise exception 'Only members of an organisation can read its retention' using errcode = '42501';
  end if;
  if get_retention_metrics.granularity is null or get_retention_metrics.granularity not in ('month', 'quarter') then
    raise exception 'granularity must be month or quarter' using errcode = '22023';
  end if;
  v_step := case get_retention_metrics.granularity when 'month' then interval '1 month' else interval '3 months' end;
  if get_retention_metrics.period_start is null or get_retention_metrics.period_end is null
     or get_retention_metrics.period_end <= get_retention_metrics.period_start then
    raise exception 'period_start must be before period_end' using errcode = '22023',
      hint = 'The period is [period_start, period_end), e.g. 2026-01-01 to 2027-01-01 for a year.';
  end if;
  if extract(day from get_retention_metrics.period_start) <> 1 or extract(day from get_retention_metrics.period_end) <> 1
     or (get_retention_metrics.granularity = 'quarter'
         and (extract(month from get_retention_metrics.period_start)::int % 3 <> 1
              or extract(month from get_retention_metrics.period_end)::int % 3 <> 1)) then
    raise exception 'period_start and period_end must be the first day of a %', get_retention_metrics.granularity
      using errcode = '22023', hint = 'Retention is measured between month starts (quarters: January, April, July, October).';
  end if;
  if get_retention_metrics.period_end > (get_retention_metrics.period_start + interval '60 months')::date then
    raise exception 'The period is longer than five years' using errcode = '22023';
  end if;
  if ((extract(year from age(get_retention_metrics.period_end, get_retention_metrics.period_start)) * 12
       + extract(month from age(get_retention_metrics.period_end, get_retention_metrics.period_start)))::int
      % (case get_retention_metrics.granularity when 'month' then 1 else 3 end)) <> 0 then
    raise exception 'The period must be whole quarters' using errcode = '22023';
  end if;

  -- The pairs: the whole period; each step; each step's trailing 12 months.
  with steps as (
    select g::date as s, (g + v_step)::date as e
      from generate_series(get_retention_metrics.period_start::timestamp,
                           (get_retention_metrics.period_end::timestamp - v_step), v_step) g
  ), pairs as (
    select get_retention_metrics.period_start as s, get_retention_metrics.period_end as e
    union select s, e from steps
    union select (e - interval '12 months')::date, e from steps
  )
  select array_agg(p.s), array_agg(p.e) into v_starts, v_ends from pairs p;

  with sums as materialized (
    select * from app.retention_pairs(v_org, v_starts, v_ends)
  ), steps as (
    select g::date as s, (g + v_step)::date as e
      from generate_series(get_retention_metrics.period_start::timestamp,
                           (get_retention_metrics.period_end::timestamp - v_step), v_step) g
  )
  select app.retention_figure(t.period_start, t.period_end, t.customers, t.starting_arr, t.expansion, t.contraction, t.churn)
         || jsonb_build_object(
              'granularity', get_retention_metrics.granularity,
              'series', (
                select coalesce(jsonb_agg(
                         app.retention_figure(st.s, st.e, m.customers, m.starting_arr, m.expansion, m.contraction, m.churn)
                         || jsonb_build_object('trailing_12_months',
                              app.retention_figure((st.e - interval '12 months')::date, st.e, y.customers, y.starting_arr,
                                                   y.expansion, y.contraction, y.churn))
                         order by st.s), '[]'::jsonb)
                  from steps st
                  left join sums m on m.period_start = st.s and m.period_end = st.e
                  left join sums y on y.period_start = (st.e - interval '12 months')::date and y.period_end = st.e))
    into v_result
    from sums t
   where t.period_start = get_retention_metrics.period_start and t.period_end = get_retention_metrics.period_end;
  return v_result;
end;
$$;
comment on function public.get_retention_metrics(date, date, text) is
  'GRR, NRR, starting ARR, expansion, contraction and churn for [period_start, period_end) from ARR history, with a monthly (or quarterly) series and each step''s trailing 12 months.';
revoke execute on function public.get_retention_metrics(date, date, text) from public, anon;
grant execute on function public.get_retention_metrics(date, date, text) to authenticated;
