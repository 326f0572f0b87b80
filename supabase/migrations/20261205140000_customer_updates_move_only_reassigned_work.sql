-- A customers update that moves no customer to another CSM reads no execution for it, and
-- the statements it sets off are not JIT-compiled.
--
-- Why: app.customers_keep_priorities_current found the reassigned customers by joining the
-- updated customers with their open executions first and comparing the old and new CSM
-- after. So every customers update probed every updated customer's executions: 165 ms of a
-- health-score update of 12 700 customers at 100k, 43 ms of a 300k daily run's restage,
-- when no CSM changed. Now the moved customers are found in the transition tables first,
-- and only their executions are read.
--
-- The planner has no statistics for transition tables. It estimates their join at hundreds
-- of thousands of rows, and the statements this trigger runs (app.refresh_priorities and the
-- executions' triggers under it) then cost past jit_above_cost: 15-25 ms of compilation
-- each, and 100-200 ms once an estimate crosses jit_optimize_above_cost (a join of the
-- moved customers with the executions, tried first, did). The function turns JIT off for
-- itself and what it calls, as app.run_orchestrator_for_org does. Measured in
-- docs/performance.md, "Customer updates that move no one". The body is otherwise the
-- released one.

create or replace function app.customers_keep_priorities_current()
returns trigger
language plpgsql
security definer -- moves executions of a reassigned customer; the customer write was allowed by RLS
set search_path = ''
set jit = off -- for this trigger and every statement it sets off (see the header)
as $$
declare
  changed_ids uuid[];
  moved_ids uuid[];     -- customers whose CSM changed, with their organisation,
  moved_orgs uuid[];    -- their new CSM and the previous one (same positions)
  new_csms uuid[];
  previous_csms uuid[];
begin
  -- Reassignment first: the executions trigger then re-scores moved rows and both workloads.
  -- The customers whose CSM changed are found in the transition tables alone (dynamic SQL:
  -- planned for this statement's row count; a plan cached after a 0-row update would join
  -- them in a nested loop, n x n for a bulk update). Only then are executions read, and
  -- only theirs: a score or stage update moves no one and reads none.
  execute $q$
    select array_agg(n.id), array_agg(n.org_id), array_agg(n.assigned_to), array_agg(o.assigned_to)
      from new_rows n
      join old_rows o on o.id = n.id
     where o.assigned_to is distinct from n.assigned_to
  $q$ into moved_ids, moved_orgs, new_csms, previous_csms;
  if moved_ids is not null then
    update app.workflow_executions e
       set assigned_to = m.csm
      from unnest(moved_ids, moved_orgs, new_csms, previous_csms) as m(id, org_id, csm, previous)
     where e.customer_id = m.id
       and e.org_id = m.org_id
       and e.status in ('queued', 'in_progress', 'snoozed', 'escalated')
       and (e.assigned_to is null or e.assigned_to = m.previous);
  end if;

  -- Set differences, not a join of the transition tables: linear whatever the plan.
  -- A customer whose only change is the stored stage (the orchestrator's restage, the
  -- hourly restamp) re-scores only its open renewals scored with another stage: the stage
  -- enters a priority and a lane only for renewals (app.calculate_priority, app.queue_lane),
  -- and the orchestrator has just opened the scope's renewals with the day's stage (a
  -- re-score of every open execution of 4 000 restaged customers cost a daily run ~0.6 s).
  with inputs_changed as (
    select n.id, n.arr, n.health_score, n.account_plan, n.renewal_date,
           n.decision_date, n.risk_score, n.opportunity_score, n.name, n.domain
      from new_rows n
    except
    select o.id, o.arr, o.health_score, o.account_plan, o.renewal_date,
           o.decision_date, o.risk_score, o.opportunity_score, o.name, o.domain
      from old_rows o
  ), stage_changed as (
    select n.id, n.renewal_stage from new_rows n
    except
    select o.id, o.renewal_stage from old_rows o
  ), stage_only as (
    select s.id, s.renewal_stage from stage_changed s where s.id not in (select i.id from inputs_changed i)
  )
  select array_agg(x.id) into changed_ids
    from (select e.id
            from inputs_changed i
            join app.workflow_executions e on e.customer_id = i.id
           where e.status in ('queued', 'in_progress', 'snoozed', 'escalated')
          union all
          -- the renewal workflows as a list, not a join: joined, it was planned as a probe
          -- per customer and workflow (38 000 for 4 000 customers)
          select e.id
            from stage_only s
            join app.workflow_executions e on e.customer_id = s.id
           where e.status in ('queued', 'in_progress', 'snoozed', 'escalated')
             and e.workflow_id = any(array(select w.id from app.workflows w where w.workflow_type = 'renewal'))
             and e.priority_factors ->> 'renewal_stage' is distinct from coalesce(s.renewal_stage, e.renewal_stage)) x;
  perform app.refresh_priorities(changed_ids);
  return null;
end;
$$;
