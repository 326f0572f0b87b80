-- A forecast asks who may write it on the locked row, as every other writer of a workflow
-- does (docs/workflow-engine.md "Locks"; docs/forecast-and-retention.md).
--
-- What and why: set_renewal_forecast locked the assignee's workload and then the
-- execution row, but asked only the workflow's state again on the locked row, not who may
-- write it. A CSM's forecast that waited while a manager gave the renewal to another CSM
-- went on and wrote the forecast on a renewal that was no longer theirs (200). It now
-- locks through app.lock_workable_execution (20261206225000), as execute_action,
-- create_task, propose_action and the lifecycle RPCs do: 42501 when the renewal went to
-- another CSM, PT409 when it was handed back to the team, and nothing written. The row
-- lock is now `for no key update`, as theirs: a key share held by a row pointing at the
-- renewal (a task, a draft, a forecast's history) no longer holds the forecast up, and an
-- outcome (`for update`, app.lock_open_renewal_execution) still waits for it and it for
-- the outcome.
--
-- Also: a note that is only whitespace or invisible characters is stored as no note
-- (app.trimmed, 20261206226000), where btrim kept a tab or a no-break space.
--
-- Restated whole from 20261206214000; the lock and the note are the only changes.
-- tests/integration/workflow-lock-races.test.ts holds the race open.

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
  v_note text := app.trimmed(set_renewal_forecast.note);
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
  -- row), and who may forecast and its state asked again on the locked row: an
  -- escalation, an outcome or a reassignment committing now is waited for and refused,
  -- one starting now waits for this forecast.
  e := app.lock_workable_execution(e, 'forecast');
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
