-- get_workflow_queue reads the kept statistics and the queue index (issue 18 point 1,
-- issue 13 filtered queue, issue 17 short functions; docs/performance.md).
--
-- What and why: the same API (arguments, errors, JSON shape, order, cursor format), now
-- assembled by small functions with one job each:
--   app.queue_target          who is asking for whose queue (and may they)
--   app.queue_filter_of       the checked filters object
--   app.queue_position_of     the checked cursor (a position before every row when none)
--   app.queue_kept_stats      unfiltered stats from app.queue_stats (+ dates, + index ends)
--   app.queue_keyset_page     unfiltered page: page_size + 1 index entries after the cursor
--   app.queue_filtered_rows   filtered or grouped: the assignee's matching open items, one
--                             index scan (search is a condition on the carried search text)
--   app.queue_aggregate_stats stats of those rows (filtered stats follow the filters)
--   app.queue_pick_page       one row per customer when grouped, then the page after the cursor
--   app.queue_items_json      the page's JSON (customer card, step title, other items)
--   app.queue_stats_json      the stats JSON from counts
-- Without filters and grouping a call reads one stats row, its decision dates, six index
-- ends and page_size + 1 index entries: its cost no longer grows with the queue.

create type app.queue_row as (
  id uuid, lane smallint, priority_score numeric, sort_date date, type_rank smallint,
  customer_id uuid, account_plan text, days integer, other_count integer, other_kinds text[]
);
create type app.queue_filter as (types smallint[], stages text[], plans text[], lanes smallint[], pattern text);
create type app.queue_position as (lane smallint, priority_score numeric, sort_date date, type_rank smallint, id uuid);
create type app.queue_counts as (
  total integer, l_now integer, l_soon integer, l_planned integer,
  t_renewal integer, t_strategic integer, t_opportunity integer, t_risk integer, t_custom integer,
  s_overdue integer, s_emergency integer, s_critical integer, s_signature integer, s_finalize integer,
  s_negotiate integer, s_engage integer, s_prepare integer, s_monitor integer,
  p_expand integer, p_invest integer, p_manage integer, p_monitor integer,
  customers integer, avg_priority numeric, min_priority integer, max_priority integer
);

-- The caller's organisation and whose queue they asked for; refuses what they may not see.
create or replace function app.queue_target(assignee_id uuid, out org_id uuid, out target uuid)
language plpgsql
stable
set search_path = ''
as $$
declare
  v_me uuid := (select auth.uid());
  v_role text;
begin
  select p.org_id, p.role into queue_target.org_id, v_role from app.profiles p where p.id = v_me;
  if queue_target.org_id is null then
    raise exception 'Only members of an organisation have a queue' using errcode = '42501',
      hint = 'Sign in as a member of an organisation.';
  end if;
  queue_target.target := coalesce(queue_target.assignee_id, v_me);
  if queue_target.target <> v_me then
    if v_role not in ('manager', 'admin') then
      raise exception 'Only managers and admins can view another person''s queue' using errcode = '42501',
        hint = 'Leave assignee_id out to see your own queue.';
    end if;
    if not exists (select 1 from app.profiles p where p.id = queue_target.target and p.org_id = queue_target.org_id) then
      raise exception 'No such person in your organisation' using errcode = 'PT404',
        hint = 'assignee_id must be a member of your organisation.';
    end if;
  end if;
end;
$$;

-- {types[], stages[], plans[], lanes[], search}: checked; null when nothing filters.
create or replace function app.queue_filter_of(filters jsonb)
returns app.queue_filter
language plpgsql
immutable
set search_path = ''
as $$
declare
  v jsonb := coalesce(queue_filter_of.filters, '{}'::jsonb);
  f app.queue_filter;
  v_unknown text;
  v_search text;
begin
  if jsonb_typeof(v) <> 'object' then
    raise exception 'filters must be a JSON object' using errcode = '22023',
      hint = 'For example {"lanes": ["now"], "search": "acme"}; {} for no filter.';
  end if;
  select k into v_unknown from jsonb_object_keys(v) k where k not in ('types', 'stages', 'plans', 'lanes', 'search') limit 1;
  if v_unknown is not null then
    raise exception 'filters has an unknown key "%"', left(v_unknown, 60) using errcode = '22023',
      hint = 'Known keys: types, stages, plans, lanes, search.';
  end if;
  select array_agg(app.workflow_type_rank(x)::smallint) into f.types
    from unnest(app.queue_filter_values(v, 'types', array['renewal', 'strategic', 'opportunity', 'risk', 'custom'])) x;
  f.stages := app.queue_filter_values(v, 'stages',
    array['Overdue', 'Emergency', 'Critical', 'Signature', 'Finalize', 'Negotiate', 'Engage', 'Prepare', 'Monitor']);
  f.plans := app.queue_filter_values(v, 'plans', array['expand', 'invest', 'manage', 'monitor']);
  select array_agg(case x when 'now' then 1 when 'soon' then 2 else 3 end)::smallint[] into f.lanes
    from unnest(app.queue_filter_values(v, 'lanes', array['now', 'soon', 'planned'])) x;
  if v ? 'search' and v -> 'search' <> 'null'::jsonb then
    if jsonb_typeof(v -> 'search') <> 'string' then
      raise exception 'filters.search must be a string' using errcode = '22023',
        hint = 'A part of the customer''s name or domain, e.g. {"search": "acme"}.';
    end if;
    v_search := btrim(v ->> 'search');
    if length(v_search) > 200 then
      raise exception 'filters.search is longer than 200 characters' using errcode = '22023',
        hint = 'Search by a part of the customer''s name or domain.';
    end if;
    if v_search <> '' then
      -- Case-insensitive substring of the name or the domain; %, _ and \ match themselves.
      f.pattern := '%' || replace(replace(replace(lower(v_search), '\', '\\'), '%', '\%'), '_', '\_') || '%';
    end if;
  end if;
  if f.types is null and f.stages is null and f.plans is null and f.lanes is null and f.pattern is null then
    return null;
  end if;
  return f;
end;
$$;

-- The cursor's position; without a cursor a position before every row (lane 0).
create or replace function app.queue_position_of(cursor text)
returns app.queue_position
language plpgsql
immutable
set search_path = ''
as $$
declare
  v jsonb;
  pos app.queue_position;
begin
  if queue_position_of.cursor is null then
    return row(0, 0, '-infinity'::date, 0, '00000000-0000-0000-0000-000000000000'::uuid)::app.queue_position;
  end if;
  begin
    v := convert_from(decode(queue_position_of.cursor, 'base64'), 'UTF8')::jsonb;
    pos := row((v ->> 'l')::smallint, (v ->> 'p')::numeric, coalesce((v ->> 'd')::date, 'infinity'::date),
               (v ->> 't')::smallint, (v ->> 'i')::uuid)::app.queue_position;
  exception when others then
    pos := null;
  end;
  if pos.id is null or pos.lane is null or pos.priority_score is null or pos.type_rank is null then
    raise exception 'cursor is not valid' using errcode = '22023',
      hint = 'Pass the next_cursor of the previous page unchanged, or leave it out for the first page.';
  end if;
  return pos;
end;
$$;

-- Counts → the stats JSON (zero counts are left out, as a group-by never produces them).
create or replace function app.queue_stats_json(c app.queue_counts)
returns jsonb
language plpgsql
immutable
set search_path = ''
as $$
begin
  -- plpgsql: its expression plan is kept for the session (a `set` SQL function is planned per call).
  return case when coalesce((c).total, 0) = 0 then jsonb_build_object(
      'total', 0, 'by_lane', '{}'::jsonb, 'by_type', '{}'::jsonb, 'by_stage', '{}'::jsonb, 'by_account_plan', '{}'::jsonb,
      'unique_customers', 0, 'avg_priority', null, 'priority_range', jsonb_build_object('min', null, 'max', null))
  else jsonb_build_object(
    'total', (c).total,
    'by_lane', jsonb_strip_nulls(jsonb_build_object(
      'now', nullif((c).l_now, 0), 'soon', nullif((c).l_soon, 0), 'planned', nullif((c).l_planned, 0))),
    'by_type', jsonb_strip_nulls(jsonb_build_object(
      'renewal', nullif((c).t_renewal, 0), 'strategic', nullif((c).t_strategic, 0),
      'opportunity', nullif((c).t_opportunity, 0), 'risk', nullif((c).t_risk, 0), 'custom', nullif((c).t_custom, 0))),
    'by_stage', jsonb_strip_nulls(jsonb_build_object(
      'Overdue', nullif((c).s_overdue, 0), 'Emergency', nullif((c).s_emergency, 0),
      'Critical', nullif((c).s_critical, 0), 'Signature', nullif((c).s_signature, 0),
      'Finalize', nullif((c).s_finalize, 0), 'Negotiate', nullif((c).s_negotiate, 0),
      'Engage', nullif((c).s_engage, 0), 'Prepare', nullif((c).s_prepare, 0), 'Monitor', nullif((c).s_monitor, 0))),
    'by_account_plan', jsonb_strip_nulls(jsonb_build_object(
      'expand', nullif((c).p_expand, 0), 'invest', nullif((c).p_invest, 0),
      'monitor', nullif((c).p_monitor, 0), 'manage', nullif((c).p_manage, 0))),
    'unique_customers', (c).customers,
    'avg_priority', (c).avg_priority,
    'priority_range', jsonb_build_object('min', (c).min_priority, 'max', (c).max_priority))
  end;
end;
$$;

-- Unfiltered stats from the kept tables; the stage counts from the decision dates as of
-- today; the highest and lowest priority from the two ends of each lane in the index.
create or replace function app.queue_kept_stats(org_id uuid, target uuid, include_snoozed boolean, today date)
returns jsonb
language plpgsql
stable
security definer -- reads derived tables no role may read; checks the caller itself
set search_path = ''
as $$
declare
  k app.queue_stats;
  c app.queue_counts;
begin
  -- The caller's own queue, or a manager's or admin's look at their organisation's.
  if not exists (select 1 from app.profiles me
                  where me.id = (select auth.uid()) and me.org_id = queue_kept_stats.org_id
                    and (me.id = queue_kept_stats.target or me.role in ('manager', 'admin'))) then
    raise exception 'Only your own queue, or your organisation''s as a manager' using errcode = '42501';
  end if;
  select * into k from app.queue_stats s
   where s.org_id = queue_kept_stats.org_id and s.assigned_to = queue_kept_stats.target
     and s.include_snoozed = queue_kept_stats.include_snoozed;
  if not found or k.items <= 0 then
    return app.queue_stats_json(null);
  end if;
  c := row(k.items, k.lane_now, k.lane_soon, k.lane_planned, k.type_renewal, k.type_strategic, k.type_opportunity,
           k.type_risk, k.type_custom, 0, 0, 0, 0, 0, 0, 0, 0, 0, k.plan_expand, k.plan_invest, k.plan_manage,
           k.plan_monitor, k.customers, round(k.priority_sum / k.items, 1), null, null)::app.queue_counts;
  select coalesce(sum(d.n) filter (where d.days < 0), 0),
         coalesce(sum(d.n) filter (where d.days between 0 and 6), 0),
         coalesce(sum(d.n) filter (where d.days between 7 and 13), 0),
         coalesce(sum(d.n) filter (where d.days between 14 and 29), 0),
         coalesce(sum(d.n) filter (where d.days between 30 and 59), 0),
         coalesce(sum(d.n) filter (where d.days between 60 and 89), 0),
         coalesce(sum(d.n) filter (where d.days between 90 and 119), 0),
         coalesce(sum(d.n) filter (where d.days between 120 and 179), 0),
         coalesce(sum(d.n) filter (where d.days >= 180), 0)
    into c.s_overdue, c.s_emergency, c.s_critical, c.s_signature, c.s_finalize, c.s_negotiate, c.s_engage,
         c.s_prepare, c.s_monitor
    from (select x.decision_date - today as days,
                 x.active + case when queue_kept_stats.include_snoozed then x.snoozed else 0 end as n
            from app.queue_stat_dates x
           where x.org_id = queue_kept_stats.org_id and x.assigned_to = queue_kept_stats.target) d;
  select max(hi.p)::integer, min(lo.p)::integer into c.max_priority, c.min_priority
    from unnest('{1,2,3}'::smallint[]) l(lane)
    left join lateral (
      select e.priority_score as p from app.workflow_executions e
       where e.org_id = queue_kept_stats.org_id and e.assigned_to = queue_kept_stats.target and e.queue_lane = l.lane
         and e.status in ('queued', 'in_progress', 'snoozed', 'escalated')
         and (queue_kept_stats.include_snoozed or e.status <> 'snoozed')
       order by -e.priority_score limit 1) hi on true
    left join lateral (
      select e.priority_score as p from app.workflow_executions e
       where e.org_id = queue_kept_stats.org_id and e.assigned_to = queue_kept_stats.target and e.queue_lane = l.lane
         and e.status in ('queued', 'in_progress', 'snoozed', 'escalated')
         and (queue_kept_stats.include_snoozed or e.status <> 'snoozed')
       order by -e.priority_score desc limit 1) lo on true;
  return app.queue_stats_json(c);
end;
$$;

-- Unfiltered page: the page_size + 1 open items after the position, in index order.
create or replace function app.queue_keyset_page(
  org_id uuid, target uuid, include_snoozed boolean, pos app.queue_position, page_size integer, today date)
returns app.queue_row[]
language plpgsql
stable
set search_path = ''
as $$
begin
  return (
    select coalesce(array_agg(row(q.id, q.queue_lane, q.priority_score, q.sort_date, q.queue_type_rank, q.customer_id,
                                  q.customer_account_plan, q.customer_decision_date - queue_keyset_page.today,
                                  null, null)::app.queue_row order by q.ord), '{}')
      from (select e.id, e.queue_lane, e.priority_score, coalesce(e.customer_renewal_date, 'infinity'::date) as sort_date,
                   e.queue_type_rank, e.customer_id, e.customer_account_plan, e.customer_decision_date,
                   row_number() over () as ord
              from (select x.* from app.workflow_executions x
                     where x.org_id = queue_keyset_page.org_id and x.assigned_to = queue_keyset_page.target
                       and x.status in ('queued', 'in_progress', 'snoozed', 'escalated')
                       and (queue_keyset_page.include_snoozed or x.status <> 'snoozed')
                       and (x.queue_lane, -x.priority_score, coalesce(x.customer_renewal_date, 'infinity'::date),
                            x.queue_type_rank, x.id)
                           > ((pos).lane, -(pos).priority_score, (pos).sort_date, (pos).type_rank, (pos).id)
                     order by x.queue_lane, -x.priority_score, coalesce(x.customer_renewal_date, 'infinity'::date),
                              x.queue_type_rank, x.id
                     limit queue_keyset_page.page_size + 1) e) q);
end;
$$;

-- Filtered (or grouped) calls: every matching open item of the assignee, one index scan.
create or replace function app.queue_filtered_rows(
  org_id uuid, target uuid, include_snoozed boolean, f app.queue_filter, today date)
returns app.queue_row[]
language plpgsql
stable
set search_path = ''
as $$
begin
  return (
    select coalesce(array_agg(row(q.id, q.lane, q.priority_score, q.sort_date, q.type_rank, q.customer_id,
                                  q.account_plan, q.days, null, null)::app.queue_row), '{}')
      from (select e.id, coalesce(e.queue_lane, 3::smallint) as lane, e.priority_score,
                   coalesce(e.customer_renewal_date, 'infinity'::date) as sort_date,
                   coalesce(e.queue_type_rank, 5::smallint) as type_rank, e.customer_id,
                   e.customer_account_plan as account_plan, e.customer_decision_date - queue_filtered_rows.today as days
              from app.workflow_executions e
             where e.org_id = queue_filtered_rows.org_id and e.assigned_to = queue_filtered_rows.target
               and e.status in ('queued', 'in_progress', 'snoozed', 'escalated')
               and (queue_filtered_rows.include_snoozed or e.status <> 'snoozed')
               and ((f).lanes is null or e.queue_lane = any((f).lanes))
               and ((f).plans is null or e.customer_account_plan = any((f).plans))
               and ((f).types is null or e.queue_type_rank = any((f).types))
               and ((f).pattern is null or e.customer_search like (f).pattern)) q
     where (f).stages is null
        or (case when q.days is null then null
                 when q.days < 0 then 'Overdue' when q.days < 7 then 'Emergency' when q.days < 14 then 'Critical'
                 when q.days < 30 then 'Signature' when q.days < 60 then 'Finalize' when q.days < 90 then 'Negotiate'
                 when q.days < 120 then 'Engage' when q.days < 180 then 'Prepare' else 'Monitor' end) = any((f).stages));
end;
$$;

-- The stats of a set of rows (a filtered call's stats follow its filters).
create or replace function app.queue_aggregate_stats(rows app.queue_row[])
returns jsonb
language plpgsql
immutable
set search_path = ''
as $$
begin
  return app.queue_stats_json((
    select row(count(*),
               count(*) filter (where r.lane = 1), count(*) filter (where r.lane = 2), count(*) filter (where r.lane = 3),
               count(*) filter (where r.type_rank = 1), count(*) filter (where r.type_rank = 2),
               count(*) filter (where r.type_rank = 3), count(*) filter (where r.type_rank = 4),
               count(*) filter (where r.type_rank = 5),
               count(*) filter (where r.days < 0), count(*) filter (where r.days between 0 and 6),
               count(*) filter (where r.days between 7 and 13), count(*) filter (where r.days between 14 and 29),
               count(*) filter (where r.days between 30 and 59), count(*) filter (where r.days between 60 and 89),
               count(*) filter (where r.days between 90 and 119), count(*) filter (where r.days between 120 and 179),
               count(*) filter (where r.days >= 180),
               count(*) filter (where r.account_plan = 'expand'), count(*) filter (where r.account_plan = 'invest'),
               count(*) filter (where r.account_plan = 'manage'), count(*) filter (where r.account_plan = 'monitor'),
               count(distinct r.customer_id), round(avg(r.priority_score), 1),
               min(r.priority_score)::integer, max(r.priority_score)::integer)::app.queue_counts
      from unnest(queue_aggregate_stats.rows) r));
end;
$$;

-- Grouped: each customer's first row (with how many others, of which kinds); then the
-- page_size + 1 rows after the position, in queue order. Window functions only: no join
-- whose plan would depend on the (unknown) size of the array.
create or replace function app.queue_pick_page(rows app.queue_row[], grouped boolean, pos app.queue_position, page_size integer)
returns app.queue_row[]
language plpgsql
immutable
set search_path = ''
as $$
begin
  return (
    with ranked as (
      select r.*, row_number() over w as crn
        from unnest(queue_pick_page.rows) r
       where queue_pick_page.grouped
      window w as (partition by r.customer_id order by r.lane, r.priority_score desc, r.sort_date, r.type_rank, r.id)
    ), counted as (
      -- The kinds of a customer's other rows as bits (1 renewal … 16 custom).
      select k.*, (count(*) over c - 1)::integer as n,
             coalesce(bit_or(1 << (k.type_rank - 1)) filter (where k.crn > 1) over c, 0) as kinds
        from ranked k
      window c as (partition by k.customer_id)
    ), heads as (
      select r.id, r.lane, r.priority_score, r.sort_date, r.type_rank, r.customer_id, r.account_plan, r.days,
             null::integer as other_count, null::text[] as other_kinds
        from unnest(queue_pick_page.rows) r where not queue_pick_page.grouped
      union all
      select k.id, k.lane, k.priority_score, k.sort_date, k.type_rank, k.customer_id, k.account_plan, k.days, k.n,
             -- In the order array_agg(distinct name) gave: alphabetical.
             array_remove(array[case when k.kinds & 16 > 0 then 'custom' end, case when k.kinds & 4 > 0 then 'opportunity' end,
                                case when k.kinds & 1 > 0 then 'renewal' end, case when k.kinds & 8 > 0 then 'risk' end,
                                case when k.kinds & 2 > 0 then 'strategic' end], null)
        from counted k where k.crn = 1
    )
    select coalesce(array_agg(p::app.queue_row order by p.lane, p.priority_score desc, p.sort_date, p.type_rank, p.id), '{}')
      from (select h.* from heads h
             where (h.lane, -h.priority_score, h.sort_date, h.type_rank, h.id)
                   > ((pos).lane, -(pos).priority_score, (pos).sort_date, (pos).type_rank, (pos).id)
             order by h.lane, h.priority_score desc, h.sort_date, h.type_rank, h.id
             limit queue_pick_page.page_size + 1) p);
end;
$$;

-- The JSON of the first page_size rows: execution, customer card, current step, others.
-- An array of objects, not a jsonb array: the caller's jsonb_build_object then copies each
-- item once (a jsonb_agg result would be copied whole again, ~25 % of the page's cost).
create or replace function app.queue_items_json(page app.queue_row[], page_size integer, today date, grouped boolean)
returns jsonb[]
language plpgsql
stable
set search_path = ''
as $$
begin
  return (
    with n as (
      select p.*, p.ord as rn from unnest(queue_items_json.page) with ordinality
        as p(id, lane, priority_score, sort_date, type_rank, customer_id, account_plan, days, other_count, other_kinds, ord)
       where p.ord <= queue_items_json.page_size
    ), titles as materialized (
      -- Step titles from the version config, once per version on the page (queued
      -- executions have no step rows until they start); materialized, or it runs per item.
      select v.id as version_id, (st.ord - 1)::integer as idx, st.step ->> 'title' as title
        from (select distinct x.workflow_version_id from n join app.workflow_executions x on x.id = n.id) dv
        join app.workflow_versions v on v.id = dv.workflow_version_id
       cross join lateral jsonb_array_elements(v.config -> 'steps') with ordinality as st(step, ord)
    )
    select coalesce(array_agg(case when queue_items_json.grouped
                              then i.item || jsonb_build_object('other_items', jsonb_build_object(
                                     'count', coalesce(i.other_count, 0),
                                     'kinds', coalesce(to_jsonb(i.other_kinds), '[]'::jsonb)))
                              else i.item end order by i.rn), '{}')
      from (select n.rn, n.other_count, n.other_kinds, jsonb_build_object(
             'execution_id', e.id, 'workflow_key', w.key, 'workflow_name', w.name, 'workflow_type', w.workflow_type,
             'status', e.status, 'lane', case n.lane when 1 then 'now' when 2 then 'soon' else 'planned' end,
             'priority_score', e.priority_score::integer, 'priority_factors', e.priority_factors,
             'customer', jsonb_build_object(
               'id', c.id, 'name', c.name, 'domain', c.domain, 'arr', c.arr, 'health_score', c.health_score,
               'account_plan', c.account_plan,
               'renewal_stage', case
                 when c.decision_date is null then null
                 when c.decision_date - today < 0 then 'Overdue' when c.decision_date - today < 7 then 'Emergency'
                 when c.decision_date - today < 14 then 'Critical' when c.decision_date - today < 30 then 'Signature'
                 when c.decision_date - today < 60 then 'Finalize' when c.decision_date - today < 90 then 'Negotiate'
                 when c.decision_date - today < 120 then 'Engage' when c.decision_date - today < 180 then 'Prepare'
                 else 'Monitor' end,
               'renewal_date', c.renewal_date, 'days_until_renewal', c.renewal_date - today,
               'decision_date', c.decision_date, 'days_until_decision', c.decision_date - today,
               'assigned_to', c.assigned_to, 'risk_score', c.risk_score, 'opportunity_score', c.opportunity_score),
             'assignee_id', e.assigned_to,
             'current_step', case when e.current_step_key is null then null else jsonb_build_object(
               'key', e.current_step_key,
               'title', coalesce(
                 (select s.title from app.workflow_step_executions s
                   where s.execution_id = e.id and s.org_id = e.org_id and s.step_key = e.current_step_key),
                 (select t.title from titles t where t.version_id = e.workflow_version_id and t.idx = e.current_step_index),
                 e.current_step_key),
               'index', e.current_step_index) end,
             'total_steps', e.total_steps, 'completed_steps', e.completed_steps,
             'snoozed_until', e.snoozed_until, 'created_at', e.created_at) as item
              from n
              join app.workflow_executions e on e.id = n.id
              join app.customers c on c.id = e.customer_id
              join app.workflows w on w.id = e.workflow_id) i);
end;
$$;

create or replace function public.get_workflow_queue(
  page_size integer default 50,
  cursor text default null,
  assignee_id uuid default null,
  include_snoozed boolean default false,
  filters jsonb default '{}'::jsonb,
  group_by_customer boolean default false
)
returns jsonb
language plpgsql
stable
set search_path = ''
-- For every statement of the functions it calls: planned once per session. Left to choose,
-- the plan cache re-plans the bigger statements on every call (more than they cost to run).
set plan_cache_mode = force_generic_plan
as $$
declare
  who record;
  v_filter app.queue_filter;
  v_pos app.queue_position;
  v_today date;
  v_snoozed boolean := coalesce(get_workflow_queue.include_snoozed, false);
  v_grouped boolean := coalesce(get_workflow_queue.group_by_customer, false);
  v_rows app.queue_row[];
  v_page app.queue_row[];
  v_stats jsonb;
  v_last app.queue_row;
begin
  who := app.queue_target(get_workflow_queue.assignee_id);
  if get_workflow_queue.page_size is null or get_workflow_queue.page_size < 1 or get_workflow_queue.page_size > 200 then
    raise exception 'page_size must be between 1 and 200' using errcode = '22023';
  end if;
  v_filter := app.queue_filter_of(get_workflow_queue.filters);
  v_pos := app.queue_position_of(get_workflow_queue.cursor);
  v_today := app.organisation_today(who.org_id);
  if v_filter is null and not v_grouped then
    v_stats := app.queue_kept_stats(who.org_id, who.target, v_snoozed, v_today);
    v_page := app.queue_keyset_page(who.org_id, who.target, v_snoozed, v_pos, get_workflow_queue.page_size, v_today);
  else
    v_rows := app.queue_filtered_rows(who.org_id, who.target, v_snoozed, v_filter, v_today);
    v_stats := app.queue_aggregate_stats(v_rows);
    v_page := app.queue_pick_page(v_rows, v_grouped, v_pos, get_workflow_queue.page_size);
  end if;
  if cardinality(v_page) > get_workflow_queue.page_size then
    v_last := v_page[get_workflow_queue.page_size];
  end if;
  return jsonb_build_object(
    'items', app.queue_items_json(v_page, get_workflow_queue.page_size, v_today, v_grouped),
    'next_cursor', case when v_last.id is not null
                        then app.queue_cursor(v_last.lane, v_last.priority_score, v_last.sort_date, v_last.type_rank, v_last.id) end,
    'stats', v_stats);
end;
$$;
comment on function public.get_workflow_queue(integer, text, uuid, boolean, jsonb, boolean) is
  'One person''s open workflow executions by lane, then priority (keyset-paginated), filtered server-side ({types, stages, plans, lanes, search}), optionally one row per customer; stats follow the filters (kept per assignee when unfiltered).';

revoke execute on function app.queue_kept_stats(uuid, uuid, boolean, date) from public, anon;
grant execute on function app.queue_kept_stats(uuid, uuid, boolean, date) to authenticated, service_role;
grant execute on function app.queue_target(uuid) to authenticated, service_role;
grant execute on function app.queue_filter_of(jsonb) to authenticated, service_role;
grant execute on function app.queue_position_of(text) to authenticated, service_role;
grant execute on function app.queue_stats_json(app.queue_counts) to authenticated, service_role;
grant execute on function app.queue_keyset_page(uuid, uuid, boolean, app.queue_position, integer, date) to authenticated, service_role;
grant execute on function app.queue_filtered_rows(uuid, uuid, boolean, app.queue_filter, date) to authenticated, service_role;
grant execute on function app.queue_aggregate_stats(app.queue_row[]) to authenticated, service_role;
grant execute on function app.queue_pick_page(app.queue_row[], boolean, app.queue_position, integer) to authenticated, service_role;
grant execute on function app.queue_items_json(app.queue_row[], integer, date, boolean) to authenticated, service_role;
