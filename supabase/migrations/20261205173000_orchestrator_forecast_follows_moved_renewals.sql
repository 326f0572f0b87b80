-- The orchestrator refreshes the forecast only for the customers whose renewals it moved
-- (issue 18; docs/workflow-engine.md "The orchestrator", step 3).
--
-- What and why: app.run_orchestrator_for_org pauses the executions' forecast trigger while
-- it supersedes and opens, then refreshed every customer of its scope. For a daily run the
-- scope is the customers that changed, but a full run's scope is every customer: 300 000
-- forecast probes and comparisons at 300k (~7 s of a 20 s full run) for the ~9 000
-- customers whose renewals it superseded or opened. The paused trigger would have refreshed
-- exactly those customers (a renewal opened, closed, reassigned or moved); nothing else the
-- run writes enters a forecast row (the customers' own changes have their own trigger).
-- The run now refreshes the customers of the renewals it superseded and of the renewals it
-- opened, the trigger's rule applied once.

-- The customers of the renewals a run superseded (all renewals) or opened (its desired rows
-- with a renewal stage), each once.
create or replace function app.orchestrator_moved_renewal_customers(superseded uuid[], created uuid[])
returns uuid[]
language plpgsql
set search_path = ''
as $$
begin
  perform 'PRAGMA:TABLE: orchestrator_desired (customer_id uuid, assigned_to uuid, workflow_id uuid, version_id uuid, workflow_type text, base_score numeric, total_steps integer, first_step_key text, renewal_stage text, period_key text, reason text, arr numeric, account_plan text, risk_score integer, opportunity_score integer, renewal_date date, experience_level text, decision_date date, workflow_key text, new_id uuid)';
  return array(
    select e.customer_id from app.workflow_executions e
     where e.id = any(orchestrator_moved_renewal_customers.superseded)
    union
    select d.customer_id
      from unnest(orchestrator_moved_renewal_customers.created) as c(id)
      join pg_temp.orchestrator_desired d on d.new_id = c.id
     where d.renewal_stage is not null);
end;
$$;
revoke execute on function app.orchestrator_moved_renewal_customers(uuid[], uuid[]) from public, anon, authenticated;
grant execute on function app.orchestrator_moved_renewal_customers(uuid[], uuid[]) to service_role;

create or replace function app.run_orchestrator_for_org(
  org_id uuid,
  as_of date default null,
  trigger text default 'cron',
  triggered_by uuid default null,
  full_run boolean default false
)
returns jsonb
language plpgsql
security definer -- writes every customer's executions of one organisation for the scheduler; people are checked in app.orchestrator_settings and public.run_orchestrator
set search_path = ''
set jit = off -- as before (docs/performance.md): planned for millions of rows, touches thousands
as $$
declare
  v_org uuid := run_orchestrator_for_org.org_id;
  v_settings app.organisation_settings := app.orchestrator_settings(v_org);
  v_as_of date := coalesce(run_orchestrator_for_org.as_of, app.organisation_today(v_org));
  v_started timestamptz := clock_timestamp();
  v_fingerprint text;
  v_full_reason text;
  v_run_id uuid;
  v_result jsonb;
  v_superseded uuid[];
  v_created uuid[];
  v_marks integer;
  v_customers integer;
  v_restaged integer;
begin
  perform 'PRAGMA:TABLE: orchestrator_customers (id uuid, assigned_to uuid, renewal_date date, decision_date date, account_plan text, arr numeric, risk_score integer, opportunity_score integer, stage text, experience_level text, stored_stage text)';
  -- Two runs for one organisation never interleave.
  perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended('renubu.orchestrator:' || v_org::text, 0));
  insert into app.orchestrator_runs (org_id, as_of, trigger, triggered_by)
  values (v_org, v_as_of, coalesce(run_orchestrator_for_org.trigger, 'cron'), run_orchestrator_for_org.triggered_by)
  returning id into v_run_id;
  -- Its own writes need no mark for the next run.
  perform pg_catalog.set_config('renubu.orchestrator_marks_paused', 'on', true);
  -- Statement triggers on customers and executions read their transition tables with
  -- plans cached per session for the row count of the first statement that fired them.
  -- None joins old_rows with new_rows in such a plan (a set difference, or EXECUTE), but
  -- their other reads would still be planned for the one row a pooled session last
  -- fired them for: plan them afresh for this run's thousands of rows.
  discard plans;

  v_fingerprint := app.orchestrator_fingerprint(v_org);
  v_full_reason := app.orchestrator_full_reason(v_org, v_as_of, v_fingerprint, coalesce(run_orchestrator_for_org.full_run, false));
  perform app.orchestrator_prepare_tables();
  v_marks := app.orchestrator_collect_scope(v_org, v_as_of,
               (select w.as_of from app.orchestrator_watermarks w where w.org_id = v_org),
               v_settings.renewal_overdue_cutoff_days, v_full_reason is not null);
  v_customers := app.orchestrator_load_customers(v_org, v_as_of);
  perform app.orchestrator_lock_scope(v_org, v_full_reason is not null);
  perform app.orchestrator_plan(v_org, v_as_of, v_settings);
  -- Superseded renewals point at successors that exist only once the run has opened them:
  -- the key is checked then, not at the end of the UPDATE.
  set constraints app.workflow_executions_successor_is_in_organisation deferred;
  -- The forecast follows the renewals the run moves once, after both steps (not once per step).
  perform pg_catalog.set_config('renubu.orchestrator_forecast_deferred', 'on', true);
  v_superseded := app.orchestrator_supersede(v_org, v_as_of, v_settings.renewal_overdue_cutoff_days);
  v_created := app.orchestrator_open(v_org, v_as_of);
  perform pg_catalog.set_config('renubu.orchestrator_forecast_deferred', '', true);
  perform app.forecast_refresh_customers(app.orchestrator_moved_renewal_customers(v_superseded, v_created));
  perform app.orchestrator_drop_unopened_successors(v_superseded, v_created);
  set constraints app.workflow_executions_successor_is_in_organisation immediate;
  -- Stored stages last: the decisions above use the stage computed for the day, and the
  -- customers trigger then re-scores only the executions still open (not the renewals
  -- just superseded). Its first statement is an executions update of no rows, which would
  -- cache one-row plans for the executions triggers: plan afresh again.
  discard plans;
  v_restaged := app.orchestrator_restage();
  v_result := jsonb_build_object(
    'mode', case when v_full_reason is null then 'incremental' else 'full' end,
    'full_reason', v_full_reason, 'marks', v_marks, 'customers', v_customers, 'restaged', v_restaged,
    'superseded', cardinality(v_superseded),
    'created', cardinality(v_created),
    -- what was due by the start of the run's day, or by now if that is later
    'woken', app.orchestrator_wake(v_org, greatest(now(), (v_as_of::timestamp at time zone v_settings.time_zone))));

  perform pg_catalog.set_config('renubu.orchestrator_marks_paused', '', true);
  return app.orchestrator_finish(v_run_id, v_started, v_fingerprint, v_result);
end;
$$;
