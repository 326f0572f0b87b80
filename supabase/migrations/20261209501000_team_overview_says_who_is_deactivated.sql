-- get_team_overview says who of the team is deactivated ("deactivated": true). A deactivated
-- CSM's workflows stay theirs until someone reassigns them, and nobody works them meanwhile;
-- the Team page listed them as any colleague at work, so a manager saw their open items
-- counted in the team's and nothing said that they were waiting for a hand-over.
-- Restated from 20261205203000_team_overdue_renewals_counted_as_listed.sql; only the member's
-- "deactivated" is new.

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
           -- their sign-in stopped; what they hold waits for a hand-over (People)
           'deactivated', p.deactivated_at is not null,
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
