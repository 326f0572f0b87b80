-- A daily brief's facts say what the queue and the Tasks page say (docs/daily-brief.md).
--
-- 1. Top items are the first items of the person's queue in the queue's order: lane,
--    priority, the nearer renewal (no renewal date last), type, id (docs/business-rules.md
--    "Queue order"; app.queue_keyset_page). Before, items of one lane and score came in id
--    order, so "Start with" could name a renewal due after the one the queue puts first.
--    Their stage is the stage of the brief's day, from the decision date, as every read
--    that shows a stage computes it; before, it was the stored stage, which stays
--    yesterday's from the organisation's midnight until the hourly re-stamp (a brief asked
--    for from the Queue page then said "stage Finalize, decision in 29 days").
-- 2. A task due is due on the organisation's today or earlier, in its time zone, as the
--    Tasks page's Today view and the task_due notification count it. Before, the day ended
--    at midnight in the session's zone (UTC): in Kiritimati (UTC+14) a task due tomorrow
--    morning was due, in Pago Pago (UTC-11) one due this evening was not.
-- Tests: supabase/tests/daily_brief/top_items_are_the_queues_first_items.test.sql,
-- supabase/tests/daily_brief/tasks_due_are_due_on_the_organisations_day.test.sql.

-- Restated from 20261205021500_priority_workload_applied_when_read.sql.
create or replace function app.brief_top_items(p_org_id uuid, p_profile_id uuid, p_today date)
returns table (rank_in_kind integer, fact jsonb)
language sql
stable
set search_path = ''
as $$
  select row_number() over (order by e.queue_lane, -e.priority_score, e.sort_date, e.queue_type_rank, e.id)::int,
         jsonb_build_object('kind', 'top_item', 'execution_id', e.id, 'customer_id', c.id, 'customer', c.name,
           'workflow', w.name, 'lane', app.queue_lane_name(e.queue_lane),
           'stage', app.calculate_renewal_stage(c.decision_date, p_today),
           'decision_date', c.decision_date, 'days_until_decision', c.decision_date - p_today,
           'arr', c.arr, 'priority_score', e.priority_score - 2 * app.assignee_workload(p_org_id, p_profile_id))
    from (select e.*, coalesce(e.customer_renewal_date, 'infinity'::date) as sort_date
            from app.workflow_executions e
           where e.org_id = p_org_id and e.assigned_to = p_profile_id and e.status in ('queued', 'in_progress')
           -- The queue's order (app.queue_keyset_page), which its keyset index serves.
           order by e.queue_lane, -e.priority_score, coalesce(e.customer_renewal_date, 'infinity'::date),
                    e.queue_type_rank, e.id
           limit 5) e
    join app.customers c on c.id = e.customer_id and c.org_id = e.org_id
    join app.workflows w on w.id = e.workflow_id
$$;
revoke execute on function app.brief_top_items(uuid, uuid, date) from public, anon, authenticated;
grant execute on function app.brief_top_items(uuid, uuid, date) to service_role;

-- Restated from 20261204000800_chat_and_artifacts.sql.
create or replace function app.brief_tasks_due(p_org_id uuid, p_profile_id uuid, p_today date)
returns table (rank_in_kind integer, fact jsonb)
language sql
stable
set search_path = ''
as $$
  select * from (
    select row_number() over (order by k.force_action desc, k.due_date nulls last)::int as rank_in_kind,
           jsonb_build_object('kind', 'task_due', 'task_id', k.id, 'customer_id', k.customer_id,
             'customer', (select c.name from app.customers c where c.id = k.customer_id),
             'title', k.title, 'due_date', k.due_date, 'forced', k.force_action) as fact
      from app.workflow_tasks k
     where k.org_id = p_org_id and k.assigned_to = p_profile_id
       and k.status in ('pending', 'in_progress', 'snoozed')
       -- Due before the organisation's next midnight, in its time zone.
       and (k.force_action
            or k.due_date < ((p_today + 1)::timestamp at time zone
                             coalesce((select s.time_zone from app.organisation_settings s where s.org_id = p_org_id), 'UTC')))) f
   where f.rank_in_kind <= 5
$$;
revoke execute on function app.brief_tasks_due(uuid, uuid, date) from public, anon, authenticated;
grant execute on function app.brief_tasks_due(uuid, uuid, date) to service_role;
