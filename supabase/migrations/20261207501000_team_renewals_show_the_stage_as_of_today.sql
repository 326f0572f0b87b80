-- The team page's renewals this quarter show each renewal's stage as of the organisation's
-- today, from its decision date, beside the days until that decision: every read that shows
-- a stage computes it as of today (docs/business-rules.md "Renewal stage"). Before, the list
-- showed the stored stage, which stays yesterday's from the organisation's midnight until
-- the hourly re-stamp: "Critical" beside a decision in 6 days, "Emergency" beside one a day
-- overdue. Test: supabase/tests/get_team_overview/renewals_show_the_stage_as_of_today.test.sql.

-- Restated from 20261205203000_team_overdue_renewals_counted_as_listed.sql.
create or replace function app.team_renewals_of_quarter(org_id uuid, today date, quarter_start date, quarter_end date)
returns jsonb
language sql
stable
set search_path = ''
as $$
  with renewals as (
    select c.id, c.name, c.arr, c.health_score, c.renewal_date, c.decision_date,
           app.calculate_renewal_stage(c.decision_date, team_renewals_of_quarter.today) as renewal_stage, c.assigned_to,
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
