-- A renewal's outcome takes the workload locks of the customer's people before the customer
-- and its renewals, as the orchestrator's run and every writer of a workflow do
-- (docs/workflow-engine.md "Locks": workloads, then the customer, then its renewals).
--
-- What a person saw before: a CSM recording a renewal's outcome while an admin changed that
-- CSM's level (or role, or title and then level) failed with a deadlock (40P01, a 500 to one
-- of the two). record_renewal_outcome locked the customer, then its open renewals `for update`,
-- and then, inserting the outcome, waited in its foreign key (assigned_to, recorded_by) for a
-- key share on the CSM's row; update_person holds the CSM's workload lock and then their row
-- (migration 20261207300000), and a change of level re-ranks every open workflow of theirs, so
-- it waited for the renewal the outcome held.
--
-- Now app.apply_renewal_outcome first takes app.lock_customer_workloads: the workload locks of
-- the customer's CSM and of every assignee of its open renewals (the outcome closes them all),
-- sorted, before the customer's row. The orchestrator takes the same locks in the same place
-- (app.orchestrator_lock_scope: workloads, then customers), so the outcome and the run still
-- take turns. Asked again on the locked renewal: one reassigned to someone else meanwhile is
-- PT409 "This workflow was reassigned while you were acting" (or 42501 for a CSM who lost it),
-- and nothing is written.
-- Restated whole from 20261206324000_a_renewals_outcome_locks_the_customer_first.sql; the
-- workload locks and the asking again are the only changes.
-- Test: tests/integration/people-change-races.test.ts ("a renewal's outcome recorded while the
-- CSM's level is changed").

-- The workload locks of whoever a change of the customer's renewals touches: the customer's
-- CSM and every open renewal's assignee, in id order (app.lock_assignee_workload). Returns them.
create function app.lock_customer_workloads(customer_id uuid)
returns uuid[]
language plpgsql
security definer -- reads the assignees of renewals the caller may not see (a manager's team, another CSM's); returns only ids it locked
set search_path = ''
as $$
declare
  v_people uuid[];
begin
  select coalesce(array_agg(p.id order by p.id), '{}') into v_people
    from (select c.assigned_to as id from app.customers c where c.id = lock_customer_workloads.customer_id
          union
          select x.assigned_to from app.workflow_executions x
           where x.customer_id = lock_customer_workloads.customer_id
             and x.status in ('queued', 'in_progress', 'snoozed', 'escalated') and x.renewal_stage is not null) p
   where p.id is not null;
  perform app.lock_assignee_workload(v_people[i]) from generate_subscripts(v_people, 1) i order by i;
  return v_people;
end;
$$;
comment on function app.lock_customer_workloads(uuid) is
  'Locks the workloads of a customer''s CSM and of its open renewals'' assignees, in id order, before the customer is locked; returns whose.';
revoke execute on function app.lock_customer_workloads(uuid) from public, anon;
grant execute on function app.lock_customer_workloads(uuid) to authenticated, service_role;

create or replace function app.apply_renewal_outcome(execution_id uuid, outcome text, new_arr numeric)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  e app.workflow_executions;
  c app.customers;
  v_customer uuid := (select y.customer_id from app.workflow_executions y where y.id = apply_renewal_outcome.execution_id);
  v_workloads uuid[];
  v_previous numeric;
  v_new numeric;
  v_recorded_at timestamptz := now();
  f record;
  v_outcome_id uuid;
  v_next date;
  v_closed uuid[];
begin
  -- The people's workloads, then the customer, then the renewal: the order of every writer
  -- of a customer and its workflows (the orchestrator's run; update_person holds a CSM's
  -- workload before it re-ranks their workflows). The renewal's row before the workloads
  -- deadlocked with a change of the CSM's level (40P01). An unknown execution locks nothing
  -- here and is PT404 just below.
  v_workloads := app.lock_customer_workloads(v_customer);
  perform 1 from app.customers x where x.id = v_customer for no key update;
  e := app.lock_open_renewal_execution(apply_renewal_outcome.execution_id);
  if e.assigned_to is not null and not e.assigned_to = any(v_workloads) then
    -- Handed to someone else while this call waited: the workload lock held is not theirs.
    raise exception 'This workflow was reassigned while you were acting' using errcode = 'PT409',
      hint = 'Nothing was changed. Open it again and retry.';
  end if;
  c := app.lock_customer_awaiting_outcome(e.customer_id);
  v_previous := coalesce(c.arr, 0);
  v_new := app.renewal_outcome_new_arr(apply_renewal_outcome.outcome, apply_renewal_outcome.new_arr, v_previous);
  select * into f from app.forecast_at_close(c, v_previous);
  insert into app.renewal_outcomes (org_id, customer_id, execution_id, renewal_date, outcome, previous_arr, new_arr,
                                    forecast_category, forecast_arr, assigned_to, recorded_by, recorded_at)
  values (c.org_id, c.id, e.id, c.renewal_date, apply_renewal_outcome.outcome, v_previous, v_new,
          f.category, f.forecast_arr, e.assigned_to, (select auth.uid()), v_recorded_at)
  returning id into v_outcome_id;
  v_next := app.move_customer_past_renewal(c, apply_renewal_outcome.outcome, v_new, v_recorded_at);
  v_closed := app.complete_open_renewals(c, apply_renewal_outcome.outcome, v_previous, v_new, v_outcome_id);

  return jsonb_build_object(
    'outcome_id', v_outcome_id,
    'execution_id', e.id,
    'customer_id', c.id,
    'outcome', apply_renewal_outcome.outcome,
    'renewal_date', c.renewal_date,
    'previous_arr', v_previous,
    'new_arr', v_new,
    'next_renewal_date', v_next,
    'forecast_category', f.category,
    'forecast_arr', f.forecast_arr,
    'closed_execution_ids', coalesce(to_jsonb(v_closed), '[]'::jsonb),
    'recorded_at', v_recorded_at
  );
end;
$$;
comment on function app.apply_renewal_outcome(uuid, text, numeric) is
  'Closes a renewal with its outcome: the outcome row, the customer''s ARR and renewal date, ARR history, the executions. Locks the customer''s people''s workloads, then the customer, then its renewals.';
grant execute on function app.apply_renewal_outcome(uuid, text, numeric) to authenticated, service_role;
