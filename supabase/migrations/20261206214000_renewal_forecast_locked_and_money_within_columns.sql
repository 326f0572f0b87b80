-- A renewal's forecast is written under the workflow's locks, and an amount is checked as
-- it is stored (docs/forecast-and-retention.md; docs/escalation-loop.md "What the hold
-- blocks").
--
-- What and why, 1: set_renewal_forecast checked the escalation hold and the open state on
-- an unlocked read (app.require_open_renewal) and then wrote app.renewal_forecasts. An
-- attacker's review raced it: a forecast in flight while the same workflow's escalation
-- (execute_action escalate) or its outcome (record_renewal_outcome) committed still
-- answered 200 and wrote, so an escalated renewal got a new forecast (nobody forecasts
-- while it is escalated: PT409) and a closed renewal's forecast was rewritten after its
-- outcome had taken its snapshot (a closed one keeps its forecast and outcome). It now
-- locks as every writer of a workflow locks (execute_action, create_task, the lifecycle
-- RPCs): the assignee's workload, then the execution row, and asks the open state and the
-- hold again on the locked row, with the words it used before. An escalation or an outcome
-- committing now is waited for and refused; one starting now waits for the forecast.
-- record_renewal_outcome locks the same execution row first, so the two are serialised on
-- it; the order (workload, then row) is the other writers'. An outcome also locks the
-- customer's other open renewals, which it closes: it now locks them before the customer
-- (app.lock_customer_awaiting_outcome, below), as a forecast on one of them holds its row
-- and then needs the customer's key.
--
-- What and why, 2: set_renewal_forecast {forecast_arr: 999999999999.995} and
-- record_renewal_outcome {new_arr: 999999999999.995} answered 400 "numeric field
-- overflow" (22003): the `< 1e12` range check ran on the amount as sent, before
-- round(..., 2), and the rounded 1000000000000.00 does not fit numeric(14, 2). The rule is
-- now one helper, app.require_money(value, argument): it rounds to the cent, as the
-- amount is stored, and refuses a negative amount or a rounded one above the columns'
-- 999 999 999 999.99 as 22023 naming the argument, in the words the two RPCs used.
-- The other money inputs do not share the rule: ingest's `arr` and contract
-- `annual_value` (functions-shared/api/ingest.ts `money`) are refused above
-- 999 999 999 999.99 as sent, and anything at or below that rounds within it; a contract
-- field's `annual_value` (app.contract_field_value) takes at most 12 digits and 2
-- decimals as written, with nothing to round; the tables themselves are not exposed to
-- the API.
--
-- Added: app.require_money. Restated whole from 20261204001100 (the last to define them):
-- public.set_renewal_forecast (the amount by the helper; the locks and the re-check) and
-- public.record_renewal_outcome (the amount by the helper).

create or replace function app.require_money(value numeric, argument text)
returns numeric
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_rounded numeric := round(require_money.value, 2);
begin
  if require_money.value < 0 or v_rounded > 999999999999.99 then
    raise exception '% must be between 0 and 999 999 999 999.99', require_money.argument using errcode = '22023';
  end if;
  return v_rounded;
end;
$$;
comment on function app.require_money(numeric, text) is
  'An amount of money as stored (numeric(14, 2)): rounded to the cent, 0 to 999 999 999 999.99 after rounding, else 22023 naming the argument; null stays null.';
revoke execute on function app.require_money(numeric, text) from public, anon;
grant execute on function app.require_money(numeric, text) to authenticated, service_role;

create or replace function public.set_renewal_forecast(
  execution_id uuid,
  category text,
  forecast_arr numeric default null,
  note text default null
)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  e app.workflow_executions;
  c app.customers;
  f app.renewal_forecasts;
  v_note text := nullif(btrim(set_renewal_forecast.note), '');
  v_forecast_arr numeric;
begin
  if set_renewal_forecast.category is null
     or set_renewal_forecast.category not in ('commit', 'probable', 'at_risk', 'churn_expected') then
    raise exception 'category must be commit, probable, at_risk or churn_expected' using errcode = '22023';
  end if;
  v_forecast_arr := app.require_money(set_renewal_forecast.forecast_arr, 'forecast_arr');
  if length(v_note) > 2000 then
    raise exception 'note is longer than 2000 characters' using errcode = '22023';
  end if;
  e := app.require_open_renewal(set_renewal_forecast.execution_id, 'forecast');
  -- Locked as the other writers of a workflow lock it (the assignee's workload, then the
  -- row), and its state asked again on the locked row: an escalation or an outcome
  -- committing now is waited for and refused, one starting now waits for this forecast.
  perform app.lock_assignee_workload(e.assigned_to);
  select * into e from app.workflow_executions x where x.id = e.id for update;
  if not found then
    raise exception 'Workflow execution not found' using errcode = 'PT404',
      hint = 'Check the id; you can only see workflows of your own organisation.';
  end if;
  if not app.is_open_status(e.status) then
    raise exception 'This renewal workflow is %', app.status_words(e.status) using errcode = 'PT409',
      hint = 'Use the customer''s open renewal; a closed one keeps its forecast and outcome.';
  end if;
  perform app.require_workflow_accepts(e, 'action', 'forecast');
  select * into c from app.customers x where x.id = e.customer_id;
  if c.renewal_date is null then
    raise exception 'The customer has no renewal date' using errcode = 'PT409',
      hint = 'Set the renewal date (or its contract) first.';
  end if;

  select * into f from app.renewal_forecasts x
   where x.customer_id = c.id and x.org_id = c.org_id and x.renewal_date = c.renewal_date
   for update;
  -- The same values again change nothing and add no history (a repeated click).
  if not found
     or f.category is distinct from set_renewal_forecast.category
     or f.forecast_arr is distinct from v_forecast_arr
     or f.note is distinct from v_note then
    insert into app.renewal_forecasts (org_id, customer_id, renewal_date, execution_id, category, forecast_arr, note)
    values (c.org_id, c.id, c.renewal_date, e.id, set_renewal_forecast.category, v_forecast_arr, v_note)
    on conflict (customer_id, org_id, renewal_date) do update
       set execution_id = excluded.execution_id, category = excluded.category,
           forecast_arr = excluded.forecast_arr, note = excluded.note
    returning * into f;
  end if;

  return jsonb_build_object(
    'execution_id', e.id,
    'customer_id', c.id,
    'renewal_date', c.renewal_date,
    'category', f.category,
    'category_source', 'person',
    'current_arr', coalesce(c.arr, 0),
    'forecast_arr', coalesce(f.forecast_arr, c.arr, 0),
    'forecast_arr_set', f.forecast_arr is not null,
    'note', f.note,
    'set_by', f.set_by,
    'set_at', f.set_at
  );
end;
$$;
comment on function public.set_renewal_forecast(uuid, text, numeric, text) is
  'Sets the forecast category (and optionally forecast ARR and a note) of an open renewal; history keeps who and when.';
revoke execute on function public.set_renewal_forecast(uuid, text, numeric, text) from public, anon;
grant execute on function public.set_renewal_forecast(uuid, text, numeric, text) to authenticated;

create or replace function public.record_renewal_outcome(execution_id uuid, outcome text, new_arr numeric default null)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_new_arr numeric;
begin
  if record_renewal_outcome.outcome is null
     or record_renewal_outcome.outcome not in ('renewed', 'downgraded', 'churned') then
    raise exception 'outcome must be renewed, downgraded or churned' using errcode = '22023';
  end if;
  v_new_arr := app.require_money(record_renewal_outcome.new_arr, 'new_arr');
  -- Visibility and rights as the caller sees them (PT404 / 42501), then the change.
  perform app.require_workable_execution(record_renewal_outcome.execution_id, 'record the outcome of');
  return app.apply_renewal_outcome(record_renewal_outcome.execution_id, record_renewal_outcome.outcome, v_new_arr);
end;
$$;
comment on function public.record_renewal_outcome(uuid, text, numeric) is
  'Closes an open renewal as renewed, downgraded or churned: sets the customer''s ARR (and ARR history) and next renewal date.';
revoke execute on function public.record_renewal_outcome(uuid, text, numeric) from public, anon;
grant execute on function public.record_renewal_outcome(uuid, text, numeric) to authenticated;

-- An outcome locks every open renewal of the customer before the customer (restated whole
-- from 20261204001100; only the first statement is new). It closes the customer's other
-- open renewals after locking the customer, and a forecast on one of them now holds that
-- renewal's row and then needs the customer's key (its foreign key): locked in the other
-- order, the two waited for each other. Now both take the renewals' rows before the
-- customer's.
create or replace function app.lock_customer_awaiting_outcome(customer_id uuid)
returns app.customers
language plpgsql
set search_path = ''
as $$
declare
  c app.customers;
begin
  perform 1 from app.workflow_executions x
   where x.customer_id = lock_customer_awaiting_outcome.customer_id
     and x.status in ('queued', 'in_progress', 'snoozed', 'escalated') and x.renewal_stage is not null
   order by x.id
   for update;
  select * into c from app.customers x where x.id = lock_customer_awaiting_outcome.customer_id for update;
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
