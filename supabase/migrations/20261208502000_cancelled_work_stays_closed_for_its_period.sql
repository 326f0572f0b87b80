-- Work a person cancelled stays closed for its period, as work done does: the orchestrator
-- no longer opens again, for the same period, a workflow a CSM cancelled with a reason or a
-- manager closed when deciding its escalation.
--
-- What and why: the orchestrator opens each rule's workflow once per period key (a renewal
-- stage per renewal date, a review per quarter, a check or assessment per month) and asks
-- "already done for this period?" of the executions that closed as completed or skipped.
-- A cancelled one was not asked about, so the next run (the cancel marks its customer)
-- opened the same workflow again: a Finalize renewal the CSM cancelled ("signed early through
-- procurement") was back in their queue the next morning, and so was the risk assessment
-- whose escalation the manager had closed ("Churn confirmed by their CEO"), undoing the
-- decision. The next stage of the renewal, and the next month's or quarter's work, still open
-- as before: they have other period keys. Superseded work is not counted (the run itself
-- closes it when the stage moves on).
--
-- - workflow_executions_done_period_idx (20261204000500) holds cancelled executions with a
--   period key too, so the probe stays one index lookup.
-- - app.orchestrator_open is restated whole from
--   20261205190000_orchestrator_full_run_costs_what_changed.sql; the status list of its probe
--   is the one change.
-- supabase/tests/run_orchestrator/cancelled_work_stays_closed_for_its_period.test.sql.

drop index app.workflow_executions_done_period_idx;
create index workflow_executions_done_period_idx
  on app.workflow_executions (customer_id, workflow_id, period_key, org_id)
  where status in ('completed', 'completed_with_pending_tasks', 'skipped', 'cancelled') and period_key is not null;
comment on index app.workflow_executions_done_period_idx is
  'The orchestrator''s "already done for this period" check (app.orchestrator_open): executions with a period key that closed as done, skipped or cancelled by a person.';

create or replace function app.orchestrator_open(org_id uuid, as_of date)
returns uuid[]
language plpgsql
set search_path = ''
as $$
declare
  v_org uuid := orchestrator_open.org_id;
  v_lanes jsonb;
  v_ranks jsonb;
  v_cannot_take_work uuid[];
  v_ids uuid[];
begin
  perform 'PRAGMA:TABLE: orchestrator_desired (customer_id uuid, assigned_to uuid, workflow_id uuid, version_id uuid, workflow_type text, base_score numeric, total_steps integer, first_step_key text, renewal_stage text, period_key text, reason text, arr numeric, account_plan text, risk_score integer, opportunity_score integer, renewal_date date, experience_level text, decision_date date, workflow_key text, new_id uuid)';
  -- The lane (with its name) and the type rank by the rules' own functions, once per
  -- distinct input (a few hundred) instead of once per row; looked up below by key (the
  -- lane's inputs as one text, quote_nullable keeping null and '' apart).
  select jsonb_object_agg(k.key, jsonb_build_array(k.lane, app.queue_lane_name(k.lane))) into v_lanes
    from (select i.key, app.queue_lane(i.workflow_type, i.workflow_key, i.renewal_stage, i.risk_score, false) as lane
            from (select distinct concat_ws(',', quote_nullable(d.workflow_type), quote_nullable(d.workflow_key), quote_nullable(d.renewal_stage), quote_nullable(d.risk_score)) as key,
                         d.workflow_type, d.workflow_key, d.renewal_stage, d.risk_score
                    from pg_temp.orchestrator_desired d) i) k;
  select jsonb_object_agg(i.workflow_type, app.workflow_type_rank(i.workflow_type)) into v_ranks
    from (select distinct d.workflow_type from pg_temp.orchestrator_desired d) i;

  -- New work for someone who cannot take it (deactivated, or a viewer) opens unassigned
  -- (app.unassign_new_work_of_people_who_cannot_take_it, applied here in the same
  -- statement; its row trigger is told so and stays idle), scored as unassigned work is
  -- (no experience level), as app.refresh_priorities would.
  -- Those people as a list: a join to profiles, planned for the one row the temp table was
  -- estimated at, was a scan of profiles per row (1 s at 7 000).
  select coalesce(array_agg(p.id), '{}') into v_cannot_take_work
    from app.profiles p where p.org_id = v_org and (p.deactivated_at is not null or p.role = 'viewer');
  perform pg_catalog.set_config('renubu.orchestrator_assignees_checked', 'on', true);
  with fresh as materialized (
    -- Desired work not open already, first: a full run's desired rows are nearly all open
    -- (534 000 of 539 000 at 300k), and one hash anti-join over the organisation's open
    -- executions removes them before anything else looks at the rest.
    select d.* from pg_temp.orchestrator_desired d
     where not exists (
       select 1 from app.workflow_executions x
        where x.org_id = v_org and x.customer_id = d.customer_id and x.workflow_id = d.workflow_id
          and x.status in ('queued', 'in_progress', 'snoozed', 'escalated')
          and x.period_key = d.period_key)
  ), todo as (
    select d.customer_id, d.workflow_id, d.version_id, d.workflow_type, d.base_score, d.total_steps,
           d.first_step_key, d.renewal_stage, d.period_key, d.reason, d.arr, d.account_plan, d.risk_score,
           d.opportunity_score, d.renewal_date, d.decision_date, d.workflow_key, d.new_id,
           case when d.assigned_to = any(v_cannot_take_work) then null else d.assigned_to end as assigned_to,
           case when d.assigned_to = any(v_cannot_take_work) then null else d.experience_level end as experience_level,
           v_lanes -> concat_ws(',', quote_nullable(d.workflow_type), quote_nullable(d.workflow_key), quote_nullable(d.renewal_stage), quote_nullable(d.risk_score)) as lane,
           (v_ranks ->> d.workflow_type)::smallint as type_rank
      from fresh d
     -- Then done (or cancelled by a person) in this period already: one probe of the
     -- done-period index per fresh row. A scalar subquery, so never planned as a join over
     -- the organisation's whole history of done work (1.8 million rows at 300k, and more
     -- every month).
     where (select true from app.workflow_executions x
             where x.customer_id = d.customer_id and x.workflow_id = d.workflow_id and x.period_key = d.period_key
               and x.org_id = v_org
               and x.status in ('completed', 'completed_with_pending_tasks', 'skipped', 'cancelled')
             limit 1) is null
  ), scored as materialized (
    -- the formula once per row, in a pass of its own (a lateral call was wrapped in a
    -- Memoize that never hit: 538 000 misses, seconds of hashing at 300k)
    select t.*, app.calculate_priority(t.workflow_type, t.base_score, t.renewal_stage, t.arr, t.account_plan,
                                       t.opportunity_score, t.risk_score, t.experience_level, 0) as factors
      from todo t
  ), inserted as (
    insert into app.workflow_executions (
      id, org_id, customer_id, workflow_id, workflow_version_id, assigned_to, status,
      priority_score, priority_factors, customer_renewal_date, customer_account_plan,
      customer_decision_date, queue_lane, renewal_stage, period_key, trigger_reason,
      current_step_key, current_step_index, total_steps, metadata,
      customer_search, queue_type_rank)
    select t.new_id, v_org, t.customer_id, t.workflow_id, t.version_id, t.assigned_to, 'queued',
           (t.factors ->> 'score')::numeric,
           t.factors || jsonb_build_object('lane', t.lane ->> 1), t.renewal_date, t.account_plan,
           t.decision_date, (t.lane ->> 0)::smallint, t.renewal_stage, t.period_key, t.reason,
           t.first_step_key, case when t.first_step_key is null then null else 0 end, t.total_steps,
           jsonb_build_object('history', jsonb_build_array(jsonb_build_object(
             'event', 'created', 'at', now(), 'by', 'orchestrator', 'as_of', orchestrator_open.as_of, 'reason', t.reason))),
           -- app.queue_search_text(c.name, c.domain), written out (a `set search_path`
           -- function is called, never inlined: 180 000 calls cost seconds)
           lower(coalesce(c.name, '')) || chr(31) || lower(coalesce(c.domain, '')),
           t.type_rank
      from scored t
      join app.customers c on c.id = t.customer_id and c.org_id = v_org
     order by t.customer_id, t.workflow_id
    on conflict (customer_id, workflow_id) where status in ('queued', 'in_progress', 'snoozed', 'escalated')
    do nothing
    returning id
  )
  select array_agg(id) into v_ids from inserted;
  perform pg_catalog.set_config('renubu.orchestrator_assignees_checked', '', true);
  return coalesce(v_ids, '{}');
end;
$$;
