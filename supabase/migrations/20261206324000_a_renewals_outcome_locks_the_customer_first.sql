-- A renewal's outcome locks its customer before its renewals, as the orchestrator, ingest and
-- a contract's confirmation do (docs/workflow-engine.md "Locks"; docs/forecast-and-retention.md).
--
-- What a person saw before: a CSM recording a renewal's outcome (Forecast, Record outcome)
-- while the orchestrator's run moved the same customer's renewal on (the daily run, or a
-- manager's Run now) failed with a deadlock (40P01, a 500). record_renewal_outcome locked the
-- renewal's row, then the customer's; the run locks its customers (`for no key update`),
-- then supersedes and re-scores their renewals, as ingest and a contract's confirmation
-- change a customer and, through its triggers, its renewals. Each held what the other
-- waited for.
--
-- Now: app.apply_renewal_outcome locks the customer first, and app.lock_customer_awaiting_outcome
-- locks it `for no key update` (the outcome changes the customer's ARR and renewal date,
-- never its key), then the renewals `for update` as before. Migration 20261206214000 had put
-- the renewals first because a forecast holds its renewal's row and then needs the customer's
-- key share, which `for update` on the customer refused; `for no key update` does not, so the
-- customer can come first without that deadlock. A contract's confirmation goes back to
-- locking the customer alone first (20261206321000 had taken the renewals first, in the
-- outcome's old order). Restated whole: app.apply_renewal_outcome (20261204001100),
-- app.lock_customer_awaiting_outcome (20261206214000), app.apply_confirmed_contract_fields
-- (20261206321000); the locks are the only changes.
-- tests/integration/outcome-races.test.ts and tests/integration/contract-confirm-races.test.ts
-- hold the races open.

create or replace function app.lock_customer_awaiting_outcome(customer_id uuid)
returns app.customers
language plpgsql
set search_path = ''
as $$
declare
  c app.customers;
begin
  -- The customer, then its open renewals: the order of every writer of a customer (the
  -- orchestrator, ingest, a contract's confirmation). `for no key update`: the outcome never
  -- changes the customer's key, and a forecast's row holding the customer's key share does
  -- not hold it up (apply_renewal_outcome has taken this lock already; taken again here for
  -- any other caller).
  select * into c from app.customers x where x.id = lock_customer_awaiting_outcome.customer_id for no key update;
  perform 1 from app.workflow_executions x
   where x.customer_id = lock_customer_awaiting_outcome.customer_id
     and x.status in ('queued', 'in_progress', 'snoozed', 'escalated') and x.renewal_stage is not null
   order by x.id
   for update;
  if c.renewal_date is null then
    raise exception 'The customer has no renewal date' using errcode = 'PT409';
  end if;
  if exists (select 1 from app.renewal_outcomes o
              where o.customer_id = c.id and o.org_id = c.org_id and o.renewal_date = c.renewal_date) then
    raise exception 'This renewal already has an outcome' using errcode = 'PT409',
      hint = 'Its outcome is on the Forecast page; correct the customer''s ARR instead.';
  end if;
  return c;
end;
$$;

revoke execute on function app.lock_customer_awaiting_outcome(uuid) from public, anon, authenticated;

create or replace function app.apply_renewal_outcome(execution_id uuid, outcome text, new_arr numeric)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  e app.workflow_executions;
  c app.customers;
  v_previous numeric;
  v_new numeric;
  v_recorded_at timestamptz := now();
  f record;
  v_outcome_id uuid;
  v_next date;
  v_closed uuid[];
begin
  -- The customer first, then the renewal: the order of every writer of a customer (the
  -- orchestrator locks its customers, then moves their renewals on). The renewal's row
  -- first deadlocked with the orchestrator's run (40P01). An unknown execution locks
  -- nothing here and is PT404 just below.
  perform 1 from app.customers x
   where x.id = (select y.customer_id from app.workflow_executions y where y.id = apply_renewal_outcome.execution_id)
     for no key update;
  e := app.lock_open_renewal_execution(apply_renewal_outcome.execution_id);
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
  'Closes a renewal with its outcome: the outcome row, the customer''s ARR and renewal date, ARR history, the executions.';
grant execute on function app.apply_renewal_outcome(uuid, text, numeric) to authenticated, service_role;

-- Writes confirmed values to the customer's contract in force (creating one when there is
-- none) and the renewal date. Definer: a csm confirms terms, while contracts and customers
-- are written by managers and admins under RLS; confirm_contract_fields checks the caller.
create or replace function app.apply_confirmed_contract_fields(extraction_id uuid, applied jsonb)
returns uuid
language plpgsql
volatile
security definer -- writes contracts and customers on behalf of a csm who confirmed the terms
set search_path = ''
as $$
declare
  v_x app.contract_extractions;
  v_contract app.contracts;
  v_terms jsonb;
  v_start date;
  v_end date;
begin
  select * into v_x from app.contract_extractions x where x.id = apply_confirmed_contract_fields.extraction_id;
  -- The customer first, so confirmations for one customer take turns and the second finds
  -- the contract the first made (with no contract in force, the `for update` below locks
  -- nothing). A confirmed end date then moves the customer's renewals (its triggers rewrite
  -- their rows): customer, then renewals, the order of every writer of a customer, a
  -- renewal's outcome included (app.apply_renewal_outcome).
  perform 1 from app.customers c where c.id = v_x.customer_id and c.org_id = v_x.org_id for no key update;
  select * into v_contract from app.contracts k
   where k.customer_id = v_x.customer_id and k.org_id = v_x.org_id and k.status = 'active'
   order by k.end_date desc nulls first, k.start_date desc
   limit 1
   for update;
  if v_contract.id is null then
    insert into app.contracts (org_id, customer_id, status, start_date, document_url)
    values (v_x.org_id, v_x.customer_id, 'active',
            coalesce((applied ->> 'start_date')::date, app.organisation_today(v_x.org_id)), 'contracts/' || v_x.object_path)
    returning * into v_contract;
  end if;

  v_start := coalesce((applied ->> 'start_date')::date, v_contract.start_date);
  v_end := case when applied ? 'end_date' then (applied ->> 'end_date')::date else v_contract.end_date end;
  if v_end is not null and v_end < v_start then
    raise exception 'The end date % is before the start date %', v_end, v_start using errcode = '22023',
      hint = 'Correct the start or the end date.';
  end if;
  v_terms := v_contract.terms || jsonb_strip_nulls(jsonb_build_object(
    'term_months', applied -> 'term_months',
    'price_increase_cap_pct', applied -> 'price_increase_cap_pct',
    'termination_for_convenience', applied -> 'termination_for_convenience',
    'payment_terms', applied -> 'payment_terms'));

  update app.contracts k
     set start_date = v_start,
         end_date = v_end,
         auto_renew = coalesce((applied ->> 'auto_renew')::boolean, k.auto_renew),
         notice_period_days = case when applied ? 'notice_period_days' then (applied ->> 'notice_period_days')::integer else k.notice_period_days end,
         annual_value = case when applied ? 'annual_value' then (applied ->> 'annual_value')::numeric else k.annual_value end,
         currency = coalesce(applied ->> 'currency', k.currency),
         terms = v_terms,
         document_url = 'contracts/' || v_x.object_path
   where k.id = v_contract.id;

  -- The customer renews the day after the term ends (the contracts trigger re-stages it).
  if applied ? 'end_date' then
    update app.customers c set renewal_date = v_end + 1
     where c.id = v_x.customer_id and c.org_id = v_x.org_id and c.renewal_date is distinct from v_end + 1;
  end if;
  return v_contract.id;
end;
$$;

revoke execute on function app.apply_confirmed_contract_fields(uuid, jsonb) from public, anon, authenticated;
