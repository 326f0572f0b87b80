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
-- Restated whole (migrations are append-only); only the two counts are new.

create or replace function app.team_renewals_of_quarter(org_id uuid, today date, quarter_start date, quarter_end date)
returns jsonb
language sql
stable
set search_path = ''
as $$
  with renewals as (
    select c.id, c.name, c.arr, c.health_score, c.renewal_date, c.decision_date, c.renewal_stage, c.assigned_to,
           row_number() over (order by coalesce(c.decision_date, c.renewal_date), c.id) as n
      from app.customers c
     where c.org_id = team_renewals_of_quarter.org_id
       and c.renewal_date between team_renewals_of_quarter.quarter_start and team_renewals_of_quarter.quarter_end
  )
  select jsonb_build_object(
    'count', (select count(*)::integer from renewals),
    -- overdue as the list shows it (its days until decision below zero), and how many of
    -- those have no open renewal workflow: 30 days past its decision a renewal leaves the
    -- queues (the orchestrator's cutoff), so nobody is working it unless someone opens one
    'overdue', (select count(*)::integer from renewals r
                 where coalesce(r.decision_date, r.renewal_date) < team_renewals_of_quarter.today),
    'overdue_without_work', (select count(*)::integer from renewals r
                              where coalesce(r.decision_date, r.renewal_date) < team_renewals_of_quarter.today
                                and not exists (select 1 from app.workflow_executions x
                                                 where x.customer_id = r.id and x.org_id = team_renewals_of_quarter.org_id
                                                   and x.renewal_stage is not null
                                                   and x.status in ('queued', 'in_progress', 'snoozed', 'escalated'))),
    'arr', (select coalesce(sum(r.arr), 0) from renewals r),
    'items', coalesce((
      select jsonb_agg(jsonb_build_object(
               'customer_id', r.id, 'name', r.name, 'arr', r.arr, 'health_score', r.health_score,
               'renewal_date', r.renewal_date, 'decision_date', r.decision_date, 'renewal_stage', r.renewal_stage,
               'days_until_decision', coalesce(r.decision_date, r.renewal_date) - team_renewals_of_quarter.today,
               'assignee_id', r.assigned_to, 'assignee_name', p.full_name,
               'execution_id', (select x.id from app.workflow_executions x
                                 where x.customer_id = r.id and x.org_id = team_renewals_of_quarter.org_id
                                   and x.renewal_stage is not null
                                   and x.status in ('queued', 'in_progress', 'snoozed', 'escalated')
                                 order by x.created_at desc limit 1))
             order by r.n)
        from renewals r left join app.profiles p on p.id = r.assigned_to
       where r.n <= 100), '[]'::jsonb))
$$;
