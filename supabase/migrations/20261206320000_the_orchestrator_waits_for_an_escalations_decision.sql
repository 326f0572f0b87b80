-- The orchestrator's daily run waits for an escalation's decision, as everyone else does
-- (docs/escalation-loop.md "Escalated is a hold").
--
-- What a person saw before: a CSM escalated a renewal, and the next daily run, finding its
-- stage had moved on (a day closer to the decision date is enough), superseded it and
-- opened the next stage's renewal beside it, free of the hold. The escalation stayed `open`
-- in the manager's inbox on a workflow that was no longer escalated, and nobody could end
-- it: resolve_escalation and withdraw_escalation answered PT409 "it is not escalated (it is
-- superseded by a later stage)". The manager's decision was lost, and the inbox kept the
-- item for ever. The same happened when the renewal fell 30 days overdue or its customer
-- lost the renewal date.
--
-- Now: app.orchestrator_supersede leaves an escalated renewal as it is, and
-- app.orchestrator_plan plans no renewal for a customer whose renewal is escalated (so no
-- successor opens beside it). When the escalation ends, the workflow's status changes,
-- which marks the customer for the next run (app.executions_mark_for_orchestrator), and that
-- run moves the renewal on as usual. Both functions are restated whole from their latest
-- definitions (orchestrator_plan 20261205190000, orchestrator_supersede 20261204184500);
-- the escalated condition is the only change.
-- supabase/tests/run_orchestrator/an_escalated_renewal_waits_for_its_decision.test.sql

-- Which executions should exist for the scope's customers (rules of docs/workflow-engine.md
-- "The orchestrator"; period keys: the renewal date, the month or the quarter).
create or replace function app.orchestrator_plan(org_id uuid, as_of date, settings app.organisation_settings)
returns integer
language plpgsql
set search_path = ''
as $$
declare
  v_as_of date := orchestrator_plan.as_of;
  v_count integer;
begin
  perform 'PRAGMA:TABLE: orchestrator_customers (id uuid, assigned_to uuid, renewal_date date, decision_date date, account_plan text, arr numeric, risk_score integer, opportunity_score integer, stage text, experience_level text, stored_stage text)';
  perform 'PRAGMA:TABLE: orchestrator_desired (customer_id uuid, assigned_to uuid, workflow_id uuid, version_id uuid, workflow_type text, base_score numeric, total_steps integer, first_step_key text, renewal_stage text, period_key text, reason text, arr numeric, account_plan text, risk_score integer, opportunity_score integer, renewal_date date, experience_level text, decision_date date, workflow_key text, new_id uuid)';
  with wf as materialized (
    select f.*, coalesce((select array_agg(x) from jsonb_array_elements_text(f.trigger_config -> 'plans') x),
                         array['invest', 'expand']) as plans
      from app.effective_workflows(orchestrator_plan.org_id) f
  )
  insert into pg_temp.orchestrator_desired
  -- renewal: one for the current stage, unless 30+ days overdue.
  select c.id, c.assigned_to, w.workflow_id, w.version_id, w.workflow_type, w.base_score, w.total_steps,
         w.first_step_key, c.stage, c.renewal_date::text, 'Renewal stage ' || c.stage,
         c.arr, c.account_plan, c.risk_score, c.opportunity_score, c.renewal_date, c.experience_level, c.decision_date, w.key
    from pg_temp.orchestrator_customers c
    join wf w on w.workflow_type = 'renewal'
             and w.trigger_config ->> 'kind' = 'renewal_stage'
             and w.trigger_config ->> 'stage' = c.stage
   where c.renewal_date is not null
     and c.decision_date - v_as_of > - orchestrator_plan.settings.renewal_overdue_cutoff_days
     -- An escalated renewal waits for its decision: no successor opens beside it (the run
     -- after the decision moves it on).
     and not exists (
       select 1 from app.workflow_executions x
        where x.org_id = orchestrator_plan.org_id and x.customer_id = c.id and x.status = 'escalated'
          and x.period_key is not null
          and x.workflow_id = any(array(select r.id from app.workflows r where r.workflow_type = 'renewal')))
  union all
  -- strategic: invest/expand accounts get each scheduled review once per period.
  select c.id, c.assigned_to, w.workflow_id, w.version_id, w.workflow_type, w.base_score, w.total_steps,
         w.first_step_key, null,
         case w.trigger_config ->> 'every' when 'quarter' then to_char(v_as_of, 'YYYY-"Q"Q') else to_char(v_as_of, 'YYYY-MM') end,
         'Scheduled ' || coalesce(w.trigger_config ->> 'every', 'month') || 'ly for plan ' || c.account_plan,
         c.arr, c.account_plan, c.risk_score, c.opportunity_score, c.renewal_date, c.experience_level, c.decision_date, w.key
    from pg_temp.orchestrator_customers c
    join wf w on w.trigger_config ->> 'kind' = 'schedule'
   where c.account_plan = any(w.plans)
  union all
  -- risk and opportunity: a score at or above the organisation's threshold.
  select c.id, c.assigned_to, w.workflow_id, w.version_id, w.workflow_type, w.base_score, w.total_steps,
         w.first_step_key, null, to_char(v_as_of, 'YYYY-MM'),
         (w.trigger_config ->> 'field') || ' at or above its threshold',
         c.arr, c.account_plan, c.risk_score, c.opportunity_score, c.renewal_date, c.experience_level, c.decision_date, w.key
    from pg_temp.orchestrator_customers c
    join wf w on w.trigger_config ->> 'kind' = 'score'
   where (w.trigger_config ->> 'field' = 'risk_score' and c.risk_score >= orchestrator_plan.settings.risk_score_trigger)
      or (w.trigger_config ->> 'field' = 'opportunity_score' and c.opportunity_score >= orchestrator_plan.settings.opportunity_score_trigger);
  get diagnostics v_count = row_count;
  -- The index after the rows: one sorted build, where an index filled row by row took
  -- ~1.5 s of a 300k full run (random keys through 8 MB of temporary buffers).
  create index orchestrator_desired_customer_idx on pg_temp.orchestrator_desired (customer_id, workflow_id);
  analyze pg_temp.orchestrator_desired;
  return v_count;
end;
$$;

revoke execute on function app.orchestrator_plan(uuid, date, app.organisation_settings) from public, anon, authenticated;
grant execute on function app.orchestrator_plan(uuid, date, app.organisation_settings) to service_role;

-- Open renewal executions of the scope that are no longer the one that should be open
-- become `superseded` (history kept), each pointing at the renewal the run is to open for
-- its customer (`superseded_by`, the desired row's id: one UPDATE, not a second pass over
-- every superseded row; the key is checked once the run has opened it, and a pointer at a
-- renewal that was not opened is cleared, see app.run_orchestrator_for_org). Returns their ids.
create or replace function app.orchestrator_supersede(org_id uuid, as_of date, cutoff_days integer)
returns uuid[]
language plpgsql
set search_path = ''
as $$
declare
  v_as_of date := orchestrator_supersede.as_of;
  v_ids uuid[];
begin
  perform 'PRAGMA:TABLE: orchestrator_customers (id uuid, assigned_to uuid, renewal_date date, decision_date date, account_plan text, arr numeric, risk_score integer, opportunity_score integer, stage text, experience_level text, stored_stage text)';
  perform 'PRAGMA:TABLE: orchestrator_desired (customer_id uuid, assigned_to uuid, workflow_id uuid, version_id uuid, workflow_type text, base_score numeric, total_steps integer, first_step_key text, renewal_stage text, period_key text, reason text, arr numeric, account_plan text, risk_score integer, opportunity_score integer, renewal_date date, experience_level text, decision_date date, workflow_key text, new_id uuid)';
  with stale as (
    -- found on the open-executions index alone (it carries period_key), one probe per
    -- customer: the renewal workflows as a list, not a join (planned as a probe per
    -- customer and workflow, 9 times the work)
    select e.id, s.decision_date, s.stage,
           (select d.new_id from pg_temp.orchestrator_desired d
             where d.customer_id = e.customer_id and d.renewal_stage is not null
             limit 1) as successor
      from pg_temp.orchestrator_customers s
      join app.workflow_executions e
        on e.org_id = orchestrator_supersede.org_id and e.customer_id = s.id
       -- not an escalated one: it waits for its decision (the hold), and is moved on by
       -- the first run after it
       and e.status in ('queued', 'in_progress', 'snoozed')
       and e.period_key is not null
     where e.workflow_id = any(array(select w.id from app.workflows w where w.workflow_type = 'renewal'))
       and not exists (
       select 1 from pg_temp.orchestrator_desired d
        where d.customer_id = e.customer_id and d.workflow_id = e.workflow_id and d.period_key = e.period_key)
  ), superseded as (
    update app.workflow_executions e
       set status = 'superseded',
           completed_at = now(),
           superseded_by = stale.successor,
           metadata = app.with_history(e.metadata, jsonb_build_object(
             'event', 'superseded', 'from_status', e.status, 'as_of', v_as_of,
             'reason', case
               when stale.decision_date is null then 'The customer no longer has a renewal date'
               when stale.decision_date - v_as_of <= - orchestrator_supersede.cutoff_days then 'The renewal is 30 or more days overdue'
               else 'The renewal stage moved on to ' || stale.stage end))
      from stale
     where e.id = stale.id
    returning e.id
  )
  select array_agg(id) into v_ids from superseded;
  return coalesce(v_ids, '{}');
end;
$$;
revoke execute on function app.orchestrator_supersede(uuid, date, integer) from public, anon, authenticated;
grant execute on function app.orchestrator_supersede(uuid, date, integer) to service_role;

