-- The unfiltered queue's stats as JSON, kept with the counts (issue 18 point 1;
-- docs/performance.md "Queue cards").
--
-- What and why: after the cards, a first page's largest part was its stats (~0.3 ms): the
-- kept counts, then the stage counts summed from the decision dates as of today and the
-- highest and lowest priority read from the ends of each lane. The same statement trigger
-- that keeps the counts (app.queue_stats_add) now also renders each touched person's stats
-- JSON for today, and a read whose row was rendered today returns it as it is. The stage
-- counts move with the day, so a row rendered on an earlier day is computed at read time
-- as before until the 'render-queue-stats' job (every minute) renders it for the new day;
-- a statement touching more than 50 people leaves their rows to the job the same way.

alter table app.queue_stats
  add column rendered jsonb,
  add column rendered_for date;
comment on column app.queue_stats.rendered is
  'The stats JSON get_workflow_queue returns unfiltered, as of rendered_for (the organisation''s day it was rendered for).';

create type app.queue_stats_person as (org_id uuid, assigned_to uuid);

-- The stats JSON from the kept tables as of a day (was the body of app.queue_kept_stats).
create or replace function app.queue_stats_of(org_id uuid, target uuid, include_snoozed boolean, today date)
returns jsonb
language plpgsql
stable
security definer -- reads derived tables no role may read; callers check who may see what
set search_path = ''
as $$
declare
  k app.queue_stats;
  c app.queue_counts;
begin
  select * into k from app.queue_stats s
   where s.org_id = queue_stats_of.org_id and s.assigned_to = queue_stats_of.target
     and s.include_snoozed = queue_stats_of.include_snoozed;
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
                 x.active + case when queue_stats_of.include_snoozed then x.snoozed else 0 end as n
            from app.queue_stat_dates x
           where x.org_id = queue_stats_of.org_id and x.assigned_to = queue_stats_of.target) d;
  select max(hi.p)::integer, min(lo.p)::integer into c.max_priority, c.min_priority
    from unnest('{1,2,3}'::smallint[]) l(lane)
    left join lateral (
      select e.priority_score as p from app.workflow_executions e
       where e.org_id = queue_stats_of.org_id and e.assigned_to = queue_stats_of.target and e.queue_lane = l.lane
         and e.status in ('queued', 'in_progress', 'snoozed', 'escalated')
         and (queue_stats_of.include_snoozed or e.status <> 'snoozed')
       order by -e.priority_score limit 1) hi on true
    left join lateral (
      select e.priority_score as p from app.workflow_executions e
       where e.org_id = queue_stats_of.org_id and e.assigned_to = queue_stats_of.target and e.queue_lane = l.lane
         and e.status in ('queued', 'in_progress', 'snoozed', 'escalated')
         and (queue_stats_of.include_snoozed or e.status <> 'snoozed')
       order by -e.priority_score desc limit 1) lo on true;
  return app.queue_stats_json(c);
end;
$$;
revoke execute on function app.queue_stats_of(uuid, uuid, boolean, date) from public, anon, authenticated;

-- Renders both rows (with and without snoozed items) of these people for their
-- organisation's today.
create or replace function app.queue_stats_render(people app.queue_stats_person[])
returns void
language plpgsql
security definer -- writes the derived table; called by app.queue_stats_add and the job
set search_path = ''
as $$
begin
  if people is null or cardinality(people) = 0 then
    return;
  end if;
  with due as (
    select s.org_id, s.assigned_to, s.include_snoozed, app.organisation_today(s.org_id) as today
      from unnest(queue_stats_render.people) p
      join app.queue_stats s on s.org_id = p.org_id and s.assigned_to = p.assigned_to
  )
  update app.queue_stats s
     set rendered = app.queue_stats_of(d.org_id, d.assigned_to, d.include_snoozed, d.today), rendered_for = d.today
    from due d
   where s.org_id = d.org_id and s.assigned_to = d.assigned_to and s.include_snoozed = d.include_snoozed;
end;
$$;
revoke execute on function app.queue_stats_render(app.queue_stats_person[]) from public, anon, authenticated;

-- A statement's people rendered now, or when there are more than
-- renubu.queue_stats_inline_max (50 unless set; an orchestrator run, a
-- seed: ~0.2 ms a row, 6 000 rows in a daily run at 300k) marked stale for the job, their
-- reads computing the stats as before until it has run.
create or replace function app.queue_stats_render_or_defer(people app.queue_stats_person[])
returns void
language plpgsql
security definer -- see app.queue_stats_render
set search_path = ''
as $$
begin
  if coalesce(cardinality(people), 0)
     <= coalesce(nullif(current_setting('renubu.queue_stats_inline_max', true), '')::integer, 50) then
    perform app.queue_stats_render(people);
    return;
  end if;
  update app.queue_stats s set rendered = null, rendered_for = null
    from unnest(queue_stats_render_or_defer.people) p
   where s.org_id = p.org_id and s.assigned_to = p.assigned_to and s.rendered_for is not null;
end;
$$;
revoke execute on function app.queue_stats_render_or_defer(app.queue_stats_person[]) from public, anon, authenticated;

-- The job: the people whose stats were rendered for an earlier day (or never), up to
-- max_people; returns how many it rendered.
create or replace function app.queue_stats_render_stale(max_people integer default 2000)
returns integer
language plpgsql
security definer -- see app.queue_stats_render
set search_path = ''
as $$
declare
  people app.queue_stats_person[];
begin
  select array_agg(row(x.org_id, x.assigned_to)::app.queue_stats_person) into people
    from (select distinct s.org_id, s.assigned_to from app.queue_stats s
           where s.rendered_for is null or s.rendered_for < app.organisation_today(s.org_id)
           limit max_people) x;
  perform app.queue_stats_render(people);
  return coalesce(cardinality(people), 0);
end;
$$;
revoke execute on function app.queue_stats_render_stale(integer) from public, anon, authenticated;
comment on function app.queue_stats_render_stale(integer) is
  'Renders the queue stats JSON of people whose row was rendered for an earlier day; run every minute by pg_cron.';

-- Reads the rendered stats when they are today's.
create or replace function app.queue_kept_stats(org_id uuid, target uuid, include_snoozed boolean, today date)
returns jsonb
language plpgsql
stable
security definer -- reads derived tables no role may read; checks the caller itself
set search_path = ''
as $$
declare
  v_rendered jsonb;
begin
  -- The caller's own queue, or a manager's or admin's look at their organisation's.
  if not exists (select 1 from app.profiles me
                  where me.id = (select auth.uid()) and me.org_id = queue_kept_stats.org_id
                    and (me.id = queue_kept_stats.target or me.role in ('manager', 'admin'))) then
    raise exception 'Only your own queue, or your organisation''s as a manager' using errcode = '42501';
  end if;
  select s.rendered into v_rendered from app.queue_stats s
   where s.org_id = queue_kept_stats.org_id and s.assigned_to = queue_kept_stats.target
     and s.include_snoozed = queue_kept_stats.include_snoozed and s.rendered_for = queue_kept_stats.today;
  return coalesce(v_rendered, app.queue_stats_of(queue_kept_stats.org_id, queue_kept_stats.target,
                                                 queue_kept_stats.include_snoozed, queue_kept_stats.today));
end;
$$;

-- Keeps the counts, then renders the stats of the people it touched.
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
  perform app.queue_stats_render_or_defer(array(select distinct row(i.org_id, i.assigned_to)::app.queue_stats_person
                                                  from unnest(queue_stats_add.items) i));
end;
$$;

select cron.schedule('render-queue-stats', '* * * * *', $$select app.queue_stats_render_stale()$$);

-- Every kept row gets today's JSON now.
select app.queue_stats_render(array(select distinct row(s.org_id, s.assigned_to)::app.queue_stats_person from app.queue_stats s));
