-- app.refresh_priorities runs the formula once per execution, not once per use.
--
-- Why: its `scored0` rows (the formula, the lane, the search text) were read once, so
-- Postgres inlined them into the UPDATE, and the change test (`priority_score is distinct
-- from ... or priority_factors is distinct from ...`) evaluated app.calculate_priority
-- twice and app.queue_lane three times for every row that had not changed, which is most
-- of them. Materialized, each runs once per row: 2.0-2.2 s -> 1.6-1.8 s for the 22 800
-- executions a health-score drop of 12 700 customers re-scores at 100k (three runs each,
-- auto_explain). The body is otherwise the released one.

create or replace function app.refresh_priorities(execution_ids uuid[])
returns integer
language plpgsql
security definer
set search_path = ''
as $$
declare
  changed integer;
begin
  if execution_ids is null or cardinality(execution_ids) = 0 then
    return 0;
  end if;
  -- unnest + join rather than `= any(array)`: a bulk insert passes 100 000+ ids.
  with target as materialized (
    select e.id, e.org_id, e.assigned_to, e.customer_id, e.workflow_id, e.renewal_stage,
           e.metadata ? 'handed_back_at' as handed_back
      from unnest(refresh_priorities.execution_ids) as ids(id)
      join app.workflow_executions e on e.id = ids.id
     where e.status in ('queued', 'in_progress', 'snoozed', 'escalated')
  ), scored0 as materialized ( -- once per row (see the header)
    select t.id, c.renewal_date, c.decision_date, c.account_plan,
           app.queue_search_text(c.name, c.domain) as search,
           app.workflow_type_rank(w.workflow_type)::smallint as type_rank,
           app.queue_lane(w.workflow_type, w.key, coalesce(c.renewal_stage, t.renewal_stage), c.risk_score, t.handed_back) as lane,
           app.calculate_priority(
             w.workflow_type, w.base_score, coalesce(c.renewal_stage, t.renewal_stage),
             c.arr, c.account_plan, c.opportunity_score, c.risk_score,
             p.experience_level, 0 -- the workload term is applied when read
           ) as factors
      from target t
      join app.customers c on c.id = t.customer_id
      join app.workflows w on w.id = t.workflow_id
      left join app.profiles p on p.id = t.assigned_to
  ), scored as (
    select s0.id, s0.renewal_date, s0.decision_date, s0.account_plan, s0.lane, s0.search, s0.type_rank,
           s0.factors || jsonb_build_object('lane', app.queue_lane_name(s0.lane)) as factors
      from scored0 s0
  )
  update app.workflow_executions e
     set priority_score = (s.factors ->> 'score')::numeric,
         priority_factors = s.factors,
         customer_renewal_date = s.renewal_date,
         customer_decision_date = s.decision_date,
         customer_account_plan = s.account_plan,
         queue_lane = s.lane,
         customer_search = s.search,
         queue_type_rank = s.type_rank
    from scored s
   where e.id = s.id
     and (e.priority_score is distinct from (s.factors ->> 'score')::numeric
          or e.priority_factors is distinct from s.factors
          or e.customer_renewal_date is distinct from s.renewal_date
          or e.customer_decision_date is distinct from s.decision_date
          or e.customer_account_plan is distinct from s.account_plan
          or e.queue_lane is distinct from s.lane
          or e.customer_search is distinct from s.search
          or e.queue_type_rank is distinct from s.type_rank);
  get diagnostics changed = row_count;
  return changed;
end;
$$;
