-- The team page's overdue renewals are counted as its list of renewals shows them
-- (docs/escalation-loop.md "The manager's team page").
--
-- What and why: the manager's team page showed "1 overdue renewals" above a list of this
-- quarter's renewals with three marked Overdue. The figure counted open renewal *work*
-- past its decision date; the list shows *renewals*, and a renewal 30 or more days past its
-- decision has no open work any more (the orchestrator's cutoff), so the two disagreed
-- exactly where it matters. The quarter's renewals now carry `overdue` (as the list counts
-- them) and `overdue_without_work` (those nobody has an open workflow for), and the page
-- shows those. Each person's own "Overdue" column still counts their open overdue work.
-- Each person's work by lane (and the "in lane now" total) now leaves out snoozed work, as
-- that person's queue does: a CSM with 3 items in Now saw 4 on the manager's page, the
-- fourth snoozed for a week. Their open total still includes it, beside "N snoozed".
-- Both functions are restated whole (migrations are append-only). The quarter's list now
-- computes each renewal's days until decision and open workflow once, for the list and the
-- counts alike; only the counts above are new.

create or replace function app.team_renewals_of_quarter(org_id uuid, today date, quarter_start date, quarter_end date)
returns jsonb
language sql
stable
set search_path = ''
as $$
  with renewals as (
    select c.id, c.name, c.arr, c.health_score, c.renewal_date, c.decision_date, c.renewal_stage, c.assigned_to,
           coalesce(c.decision_date, c.renewal_date) - team_renewals_of_quarter.today as days_until_decision,
           row_number() over (order by coalesce(c.decision_date, c.renewal_date), c.id) as n
      from app.customers c
     where c.org_id = team_renewals_of_quarter.org_id
       and c.renewal_date between team_renewals_of_quarter.quarter_start and team_renewals_of_quarter.quarter_end
  ), with_work as (
    -- the renewals listed (the first 100) and every overdue one, each with its open renewal workflow
    select r.*,
           (select x.id from app.workflow_executions x
             where x.customer_id = r.id and x.org_id = team_renewals_of_quarter.org_id
               and x.renewal_stage is not null
               and x.status in ('queued', 'in_progress', 'snoozed', 'escalated')
             order by x.created_at desc limit 1) as execution_id
      from renewals r
     where r.n <= 100 or r.days_until_decision < 0
  )
  select jsonb_build_object(
    'count', (select count(*)::integer from renewals),
    -- overdue as the list shows it (its days until decision below zero), and how many of
    -- those have no open renewal workflow: 30 days past its decision a renewal leaves the
    -- queues (the orchestrator's cutoff), so nobody is working it unless someone opens one
    'overdue', (select count(*)::integer from renewals r where r.days_until_decision < 0),
    'overdue_without_work', (select count(*)::integer from with_work w
                              where w.days_until_decision < 0 and w.execution_id is null),
    'arr', (select coalesce(sum(r.arr), 0) from renewals r),
    'items', coalesce((
      select jsonb_agg(jsonb_build_object(
               'customer_id', w.id, 'name', w.name, 'arr', w.arr, 'health_score', w.health_score,
               'renewal_date', w.renewal_date, 'decision_date', w.decision_date, 'renewal_stage', w.renewal_stage,
               'days_until_decision', w.days_until_decision,
               'assignee_id', w.assigned_to, 'assignee_name', p.full_name,
               'execution_id', w.execution_id)
             order by w.n)
        from with_work w left join app.profiles p on p.id = w.assigned_to
       where w.n <= 100), '[]'::jsonb))
$$;

create or replace function app.team_members_overview(org_id uuid, today date,
  out members jsonb, out open_total integer, out lane_now integer, out overdue integer, out escalated integer)
language sql
stable
set search_path = ''
as $$
  with work as (
    select e.assigned_to as person_id,
           count(*)::integer as open_total,
           -- by lane as the person's queue shows it: snoozed work is out of the lanes until it wakes
           count(*) filter (where e.status <> 'snoozed' and e.queue_lane = 1)::integer as lane_now,
           count(*) filter (where e.status <> 'snoozed' and e.queue_lane = 2)::integer as lane_soon,
           count(*) filter (where e.status <> 'snoozed' and (e.queue_lane = 3 or e.queue_lane is null))::integer as lane_planned,
           count(*) filter (where e.status = 'in_progress')::integer as in_progress,
           count(*) filter (where e.status = 'snoozed')::integer as snoozed,
           count(*) filter (where e.status = 'escalated')::integer as escalated,
           count(*) filter (where e.renewal_stage is not null and e.customer_decision_date < team_members_overview.today)::integer as overdue
      from app.workflow_executions e
     where e.org_id = team_members_overview.org_id and e.status in ('queued', 'in_progress', 'snoozed', 'escalated')
       and e.assigned_to is not null
     group by e.assigned_to
  ), tasks as (
    select t.assigned_to as person_id,
           count(*)::integer as open_tasks,
           count(*) filter (where t.due_date < now())::integer as overdue_tasks
      from app.workflow_tasks t
     where t.org_id = team_members_overview.org_id and t.status in ('pending', 'in_progress', 'snoozed') and t.assigned_to is not null
     group by t.assigned_to
  )
  select jsonb_agg(jsonb_build_object(
           'id', p.id, 'full_name', p.full_name, 'email', p.email, 'role', p.role, 'title', p.title,
           'experience_level', p.experience_level, 'manager_id', p.manager_id,
           'reports_to_me', coalesce(p.manager_id = (select auth.uid()), false),
           'open_total', coalesce(w.open_total, 0),
           'lanes', jsonb_build_object('now', coalesce(w.lane_now, 0), 'soon', coalesce(w.lane_soon, 0),
                                       'planned', coalesce(w.lane_planned, 0)),
           'in_progress', coalesce(w.in_progress, 0),
           'snoozed', coalesce(w.snoozed, 0),
           'escalated', coalesce(w.escalated, 0),
           'overdue', coalesce(w.overdue, 0),
           'open_tasks', coalesce(k.open_tasks, 0),
           'overdue_tasks', coalesce(k.overdue_tasks, 0))
         order by (p.manager_id = (select auth.uid())) desc nulls last, coalesce(w.lane_now, 0) + coalesce(w.overdue, 0) desc,
                  lower(p.full_name), p.id),
         coalesce(sum(w.open_total), 0)::integer,
         coalesce(sum(w.lane_now), 0)::integer,
         coalesce(sum(w.overdue), 0)::integer,
         coalesce(sum(w.escalated), 0)::integer
    from app.profiles p
    left join work w on w.person_id = p.id
    left join tasks k on k.person_id = p.id
   where p.org_id = team_members_overview.org_id and (p.role = 'csm' or w.open_total > 0)
$$;
