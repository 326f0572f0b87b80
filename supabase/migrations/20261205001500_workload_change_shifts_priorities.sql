-- A workload change moves an assignee's scores by arithmetic instead of re-running the
-- whole formula (issue 18, "orchestrator proportional to change"; docs/business-rules.md
-- "Queue order: lane, then priority"; docs/performance.md "A workload change re-scored
-- the whole book").
--
-- What and why: the formula's last term is -2 x the assignee's active (in-progress)
-- workflows. When that count changes (a CSM starts or finishes a workflow, the
-- orchestrator supersedes an in-progress renewal), every open item of that person moves
-- by the same whole number. app.refresh_priorities_for_assignees re-ran the formula for
-- each of them: a join to the customer and the workflow and app.calculate_priority per
-- row. A daily run at 300 000 customers that superseded in-progress renewals of ~590 CSMs
-- recomputed 523 000 rows that way (33 s). Only four factors depend on the workload
-- (`active_workflows`, `workload_penalty`, `raw_score`, `score`), and
-- raw = (base + stage_bonus) x multipliers - 2 x workload, so the new raw score is the
-- stored one plus 2 x (old workload - new workload): exact numeric arithmetic, the same
-- scale, hence the same factors app.calculate_priority gives (priority/
-- workload_change_matches_the_formula checks it against a full recompute).
--
-- A row whose factors lack the workload terms (never scored) still gets the full formula.
-- A change of experience level (the profiles trigger) changes a multiplier, not the
-- workload, so it keeps the full recompute of the person's open executions.

-- The open executions assigned to these people.
create or replace function app.open_executions_of_assignees(assignee_ids uuid[])
returns uuid[]
language sql
stable
security definer -- see app.refresh_priorities
set search_path = ''
as $$
  select array_agg(e.id order by e.id)
    from app.profiles p
    join app.workflow_executions e on e.org_id = p.org_id and e.assigned_to = p.id
   where p.id = any(open_executions_of_assignees.assignee_ids)
     and e.status in ('queued', 'in_progress', 'snoozed', 'escalated')
$$;
revoke execute on function app.open_executions_of_assignees(uuid[]) from public, anon, authenticated;
grant execute on function app.open_executions_of_assignees(uuid[]) to service_role;

-- After these people's workloads changed: each open item's workload terms follow the
-- person's current in-progress count. Returns the number of rows re-scored.
create or replace function app.refresh_priorities_for_assignees(assignee_ids uuid[])
returns integer
language plpgsql
security definer -- see app.refresh_priorities
set search_path = ''
as $$
declare
  shifted integer;
  unscored uuid[];
begin
  if assignee_ids is null or cardinality(assignee_ids) = 0 then
    return 0;
  end if;
  with people as materialized (
    select p.org_id, p.id,
           (select count(*)::integer from app.workflow_executions x
             where x.org_id = p.org_id and x.assigned_to = p.id and x.status = 'in_progress') as active
      from app.profiles p
     where p.id = any(refresh_priorities_for_assignees.assignee_ids)
  ), book as materialized (
    select e.id, e.priority_factors as factors, p.active
      from people p
      join app.workflow_executions e on e.org_id = p.org_id and e.assigned_to = p.id
     where e.status in ('queued', 'in_progress', 'snoozed', 'escalated')
  ), moved as (
    select b.id, b.active,
           (b.factors ->> 'raw_score')::numeric + 2 * ((b.factors ->> 'active_workflows')::integer - b.active) as raw
      from book b
     where b.factors ?& array['raw_score', 'active_workflows']
       and (b.factors ->> 'active_workflows')::integer <> b.active
  ), written as (
    update app.workflow_executions e
       set priority_score = round(m.raw),
           priority_factors = e.priority_factors || jsonb_build_object(
             'active_workflows', m.active, 'workload_penalty', 2 * m.active,
             'raw_score', m.raw, 'score', round(m.raw))
      from moved m
     where e.id = m.id
    returning e.id
  )
  select (select count(*)::integer from written),
         (select array_agg(b.id) from book b where not b.factors ?& array['raw_score', 'active_workflows'])
    into shifted, unscored;
  return shifted + app.refresh_priorities(unscored);
end;
$$;
comment on function app.refresh_priorities_for_assignees(uuid[]) is
  'After these people''s in-progress counts changed: moves each of their open items'' workload terms (active_workflows, workload_penalty, raw_score, score) to the current count; items never scored get the full formula.';

-- Profiles: a new experience level re-scores that person's open executions with the
-- full formula (a multiplier changed, not the workload).
create or replace function app.profiles_keep_priorities_current()
returns trigger
language plpgsql
security definer -- see app.refresh_priorities
set search_path = ''
as $$
declare
  changed_people uuid[];
begin
  -- A set difference, not a join of the transition tables: linear whatever the plan.
  select array_agg(x.id) into changed_people
    from (select n.id, n.experience_level from new_rows n
          except
          select o.id, o.experience_level from old_rows o) x;
  if changed_people is not null then
    perform app.refresh_priorities(app.open_executions_of_assignees(changed_people));
  end if;
  return null;
end;
$$;
