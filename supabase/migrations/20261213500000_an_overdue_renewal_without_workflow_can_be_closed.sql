-- A renewal nobody works (no open renewal workflow) can be closed with its outcome.
--
-- What and why: the orchestrator opens no workflow for a customer 30+ days past its decision
-- (docs/workflow-engine.md), and record_renewal_outcome closes a renewal by its workflow, so
-- such a renewal (Tailspin Airlines in the demo, $60K, 45 days overdue) stayed in the forecast
-- "At risk · no open workflow" for ever: its renewed, downgraded or churned could not be
-- recorded. Now public.record_customer_renewal_outcome(customer_id, outcome, new_arr,
-- idempotency_key) records it by its customer, for the customer's CSM (any CSM while it has
-- none), a manager or an admin (app.can_work_on_customer), for a renewal past its decision; a
-- renewal with an open workflow is PT409 (its outcome is recorded there, record_renewal_outcome),
-- as is one not past its decision.
--
-- One path for both calls:
-- - app.renewal_outcomes.execution_id may be null: an outcome recorded with no workflow.
-- - app.apply_renewal_outcome(customer_id, execution_id, outcome, new_arr): the execution is
--   optional (dropped and created: it took the execution only). Restated whole from
--   20261207701000; the same locks in the same order (workloads, customer, renewals); with no
--   execution, the outcome is credited to the customer's CSM and refused (PT409) when an open
--   renewal workflow is found once locked, or the renewal is not past its decision (so a
--   second press cannot close next year's renewal).
-- - app.record_renewal_outcome_request: the request as both calls take it (input, key, replay,
--   rights, apply, answer kept); restated from public.record_renewal_outcome of 20261207707000,
--   whose request under a key ({execution_id, outcome, new_arr}) is unchanged.
-- Test: supabase/tests/record_customer_renewal_outcome/an_overdue_renewal_without_workflow_is_closed.test.sql.

alter table app.renewal_outcomes alter column execution_id drop not null;
comment on column app.renewal_outcomes.execution_id is
  'The renewal workflow the outcome closed; null when it was recorded with none open (record_customer_renewal_outcome).';

-- Whether the caller may record the outcome of the customer's renewal: PT404 when they cannot
-- see the customer, 42501 when they may not change it.
create function app.require_renewal_customer(customer_id uuid)
returns void
language plpgsql
stable
set search_path = ''
as $$
begin
  if require_renewal_customer.customer_id is null then
    raise exception 'customer_id is required' using errcode = '22023', hint = 'Pass the id of a customer.';
  end if;
  if not exists (select 1 from app.customers c
                  where c.id = require_renewal_customer.customer_id and c.org_id = app.current_org_id()) then
    raise exception 'Customer not found' using errcode = 'PT404',
      hint = 'Check the id; you can only see customers of your own organisation.';
  end if;
  if not app.can_work_on_customer(require_renewal_customer.customer_id) then
    raise exception 'You may not record the outcome of this renewal' using errcode = '42501',
      hint = 'Only the customer''s CSM, a manager or an admin can.';
  end if;
end;
$$;
revoke execute on function app.require_renewal_customer(uuid) from public, anon;
grant execute on function app.require_renewal_customer(uuid) to authenticated, service_role;

drop function app.apply_renewal_outcome(uuid, text, numeric);
create function app.apply_renewal_outcome(customer_id uuid, execution_id uuid, outcome text, new_arr numeric)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  e app.workflow_executions;
  c app.customers;
  v_customer uuid := coalesce((select y.customer_id from app.workflow_executions y where y.id = apply_renewal_outcome.execution_id),
                              apply_renewal_outcome.customer_id);
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
  if apply_renewal_outcome.execution_id is not null then
    e := app.lock_open_renewal_execution(apply_renewal_outcome.execution_id);
    if e.assigned_to is not null and not e.assigned_to = any(v_workloads) then
      -- Handed to someone else while this call waited: the workload lock held is not theirs.
      raise exception 'This workflow was reassigned while you were acting' using errcode = 'PT409',
        hint = 'Nothing was changed. Open it again and retry.';
    end if;
  end if;
  c := app.lock_customer_awaiting_outcome(v_customer);
  if apply_renewal_outcome.execution_id is null then
    -- Recorded by the customer: only while nobody works the renewal (its workflow closes it).
    if exists (select 1 from app.workflow_executions x
                where x.customer_id = c.id and x.status in ('queued', 'in_progress', 'snoozed', 'escalated')
                  and x.renewal_stage is not null) then
      raise exception 'This renewal has an open workflow' using errcode = 'PT409',
        hint = 'Record its outcome on its workflow (record_renewal_outcome).';
    end if;
    -- Only one past its decision: a renewal still ahead gets its workflow, and the customer's
    -- next renewal (a year on, once this one is closed) is not closed by a second press.
    if app.customer_decision_date(c.id, c.org_id, c.renewal_date) >= app.organisation_today(c.org_id) then
      raise exception 'This renewal is not past its decision' using errcode = 'PT409',
        hint = 'Its outcome is recorded on its renewal workflow once one opens.';
    end if;
    e.assigned_to := c.assigned_to;
  end if;
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
comment on function app.apply_renewal_outcome(uuid, uuid, text, numeric) is
  'Closes a renewal with its outcome, by its open workflow or (execution_id null) by its customer with none: the outcome row, the customer''s ARR and renewal date, ARR history, the executions. Locks the customer''s people''s workloads, then the customer, then its renewals.';
revoke execute on function app.apply_renewal_outcome(uuid, uuid, text, numeric) from public, anon;
grant execute on function app.apply_renewal_outcome(uuid, uuid, text, numeric) to authenticated, service_role;

-- An outcome as both calls take it: by its workflow (execution_id) or by its customer with no
-- workflow open (customer_id, execution_id null). With a key, the same request again answers
-- what it answered; another request under the key is PT409.
create function app.record_renewal_outcome_request(customer_id uuid, execution_id uuid, outcome text, new_arr numeric, idempotency_key text)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_new_arr numeric;
  v_request jsonb;
  v_answer jsonb;
begin
  if record_renewal_outcome_request.outcome is null
     or record_renewal_outcome_request.outcome not in ('renewed', 'downgraded', 'churned') then
    raise exception 'outcome must be renewed, downgraded or churned' using errcode = '22023';
  end if;
  v_new_arr := app.require_money(record_renewal_outcome_request.new_arr, 'new_arr');
  perform app.check_request_key(record_renewal_outcome_request.idempotency_key, 'idempotency_key', 200);
  v_request := case when record_renewal_outcome_request.execution_id is not null
                 then jsonb_build_object('execution_id', record_renewal_outcome_request.execution_id)
                 else jsonb_build_object('customer_id', record_renewal_outcome_request.customer_id) end
               || jsonb_build_object('outcome', record_renewal_outcome_request.outcome, 'new_arr', v_new_arr);
  -- Recorded already under this key (an answer lost on its way back): what it answered then.
  v_answer := app.renewal_outcome_under_key(record_renewal_outcome_request.idempotency_key, v_request);
  if v_answer is not null then
    return v_answer;
  end if;
  -- Visibility and rights as the caller sees them (PT404 / 42501), then the change.
  if record_renewal_outcome_request.execution_id is not null then
    perform app.require_workable_execution(record_renewal_outcome_request.execution_id, 'record the outcome of');
  else
    perform app.require_renewal_customer(record_renewal_outcome_request.customer_id);
  end if;
  begin
    v_answer := app.apply_renewal_outcome(record_renewal_outcome_request.customer_id, record_renewal_outcome_request.execution_id,
                                          record_renewal_outcome_request.outcome, v_new_arr);
  exception when sqlstate 'PT409' then
    -- Refused as recorded already: by a call with this key at once, which this one waited for?
    v_answer := app.renewal_outcome_under_key(record_renewal_outcome_request.idempotency_key, v_request);
    if v_answer is null then
      raise;
    end if;
    return v_answer;
  end;
  if record_renewal_outcome_request.idempotency_key is not null then
    perform app.remember_renewal_outcome_answer(record_renewal_outcome_request.idempotency_key, v_request, v_answer);
  end if;
  return v_answer;
end;
$$;
comment on function app.record_renewal_outcome_request(uuid, uuid, text, numeric, text) is
  'A renewal''s outcome as record_renewal_outcome and record_customer_renewal_outcome take it: input, key and replay, rights, app.apply_renewal_outcome, the answer kept under the key.';
revoke execute on function app.record_renewal_outcome_request(uuid, uuid, text, numeric, text) from public, anon;
grant execute on function app.record_renewal_outcome_request(uuid, uuid, text, numeric, text) to authenticated, service_role;

create or replace function public.record_renewal_outcome(execution_id uuid, outcome text, new_arr numeric default null, idempotency_key text default null)
returns jsonb
language plpgsql
set search_path = ''
as $$
begin
  return app.record_renewal_outcome_request(null, record_renewal_outcome.execution_id, record_renewal_outcome.outcome,
                                            record_renewal_outcome.new_arr, record_renewal_outcome.idempotency_key);
end;
$$;

create function public.record_customer_renewal_outcome(customer_id uuid, outcome text, new_arr numeric default null, idempotency_key text default null)
returns jsonb
language plpgsql
set search_path = ''
as $$
begin
  return app.record_renewal_outcome_request(record_customer_renewal_outcome.customer_id, null, record_customer_renewal_outcome.outcome,
                                            record_customer_renewal_outcome.new_arr, record_customer_renewal_outcome.idempotency_key);
end;
$$;
comment on function public.record_customer_renewal_outcome(uuid, text, numeric, text) is
  'Closes the open renewal, past its decision, of a customer nobody works (no open renewal workflow, e.g. 30+ days past its decision) as renewed, downgraded or churned, as record_renewal_outcome does by its workflow. With an idempotency_key, the same request again answers what it answered; another request under the key is PT409.';
revoke execute on function public.record_customer_renewal_outcome(uuid, text, numeric, text) from public, anon;
grant execute on function public.record_customer_renewal_outcome(uuid, text, numeric, text) to authenticated;
