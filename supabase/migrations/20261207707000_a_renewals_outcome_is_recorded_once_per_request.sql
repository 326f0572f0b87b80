-- record_renewal_outcome takes an idempotency key, so an outcome whose answer was lost (the
-- connection dropped, a timeout) and that is recorded again answers the outcome it recorded.
--
-- What and why: Forecast → Record outcome called record_renewal_outcome without a key. An
-- outcome that committed but whose answer never reached the browser was reported as failed;
-- recorded again it answered PT409 "This renewal workflow is completed" for the person's own
-- first outcome. Now, as create_task and start_workflow (docs/api-contract.md, idempotency):
-- the same key with the same request (workflow, outcome, new ARR as sent) answers what the
-- first answered; another request under the key is PT409 "this key was used for a different
-- request".
--
-- - app.renewal_outcomes.request_key, request, answer: the key an outcome was recorded with
--   (unique per person who recorded it), the request as sent and the answer given, kept by
--   app.remember_renewal_outcome_answer (people only read outcomes) and read back by
--   app.renewal_outcome_under_key.
-- - public.record_renewal_outcome(execution_id, outcome, new_arr, idempotency_key): checked by
--   app.check_request_key; looked up before anything is locked, and again when the outcome is
--   refused as recorded already (PT409), so a second call with one key at once, which waited
--   for the first, answers as a replay.
-- Restated whole from 20261206214000_renewal_forecast_locked_and_money_within_columns.sql; the
-- key is the only change. Test: supabase/tests/record_renewal_outcome/an_outcome_is_recorded_once_per_key.test.sql.

alter table app.renewal_outcomes
  add column request_key text,
  add column request jsonb,
  add column answer jsonb;
create unique index renewal_outcomes_request_key_idx on app.renewal_outcomes (recorded_by, request_key)
  where request_key is not null;
comment on column app.renewal_outcomes.request_key is
  'The idempotency key record_renewal_outcome recorded this outcome with (unique per person); null otherwise.';
comment on column app.renewal_outcomes.request is 'The request recorded under request_key: execution_id, outcome, new_arr as sent.';
comment on column app.renewal_outcomes.answer is 'What record_renewal_outcome answered under request_key, answered again to the same request.';

-- The answer of an outcome the caller recorded under `key`: null when there is none, PT409
-- when the key was used for another request.
create function app.renewal_outcome_under_key(key text, request jsonb)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_made app.renewal_outcomes;
begin
  if renewal_outcome_under_key.key is null then
    return null;
  end if;
  select * into v_made from app.renewal_outcomes o
   where o.recorded_by = (select auth.uid()) and o.request_key = renewal_outcome_under_key.key;
  if not found then
    return null;
  end if;
  if v_made.request is distinct from renewal_outcome_under_key.request then
    raise exception 'this key was used for a different request' using errcode = 'PT409',
      hint = 'Send a new idempotency_key for another outcome.';
  end if;
  return v_made.answer;
end;
$$;
revoke execute on function app.renewal_outcome_under_key(text, jsonb) from public, anon;
grant execute on function app.renewal_outcome_under_key(text, jsonb) to authenticated, service_role;

-- Keeps the key, request and answer on the outcome the caller just recorded (the outcomes are
-- written by app.apply_renewal_outcome, a definer; people only read them).
create function app.remember_renewal_outcome_answer(key text, request jsonb, answer jsonb)
returns void
language plpgsql
security definer -- writes three columns of the outcome the caller recorded, and only theirs
set search_path = ''
as $$
begin
  update app.renewal_outcomes o
     set request_key = remember_renewal_outcome_answer.key, request = remember_renewal_outcome_answer.request,
         answer = remember_renewal_outcome_answer.answer
   where o.id = (remember_renewal_outcome_answer.answer ->> 'outcome_id')::uuid
     and o.recorded_by = (select auth.uid());
end;
$$;
revoke execute on function app.remember_renewal_outcome_answer(text, jsonb, jsonb) from public, anon;
grant execute on function app.remember_renewal_outcome_answer(text, jsonb, jsonb) to authenticated, service_role;

drop function public.record_renewal_outcome(uuid, text, numeric);
create function public.record_renewal_outcome(execution_id uuid, outcome text, new_arr numeric default null, idempotency_key text default null)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_new_arr numeric;
  v_request jsonb;
  v_answer jsonb;
begin
  if record_renewal_outcome.outcome is null
     or record_renewal_outcome.outcome not in ('renewed', 'downgraded', 'churned') then
    raise exception 'outcome must be renewed, downgraded or churned' using errcode = '22023';
  end if;
  v_new_arr := app.require_money(record_renewal_outcome.new_arr, 'new_arr');
  perform app.check_request_key(record_renewal_outcome.idempotency_key, 'idempotency_key', 200);
  v_request := jsonb_build_object('execution_id', record_renewal_outcome.execution_id,
                                  'outcome', record_renewal_outcome.outcome, 'new_arr', v_new_arr);
  -- Recorded already under this key (an answer lost on its way back): what it answered then.
  v_answer := app.renewal_outcome_under_key(record_renewal_outcome.idempotency_key, v_request);
  if v_answer is not null then
    return v_answer;
  end if;
  -- Visibility and rights as the caller sees them (PT404 / 42501), then the change.
  perform app.require_workable_execution(record_renewal_outcome.execution_id, 'record the outcome of');
  begin
    v_answer := app.apply_renewal_outcome(record_renewal_outcome.execution_id, record_renewal_outcome.outcome, v_new_arr);
  exception when sqlstate 'PT409' then
    -- Refused as recorded already: by a call with this key at once, which this one waited for?
    v_answer := app.renewal_outcome_under_key(record_renewal_outcome.idempotency_key, v_request);
    if v_answer is null then
      raise;
    end if;
    return v_answer;
  end;
  if record_renewal_outcome.idempotency_key is not null then
    perform app.remember_renewal_outcome_answer(record_renewal_outcome.idempotency_key, v_request, v_answer);
  end if;
  return v_answer;
end;
$$;
comment on function public.record_renewal_outcome(uuid, text, numeric, text) is
  'Closes an open renewal as renewed, downgraded or churned: sets the customer''s ARR (and ARR history) and next renewal date. With an idempotency_key, the same request again answers what it answered; another request under the key is PT409.';
revoke execute on function public.record_renewal_outcome(uuid, text, numeric, text) from public, anon;
grant execute on function public.record_renewal_outcome(uuid, text, numeric, text) to authenticated;
