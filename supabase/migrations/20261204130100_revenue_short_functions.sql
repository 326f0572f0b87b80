-- Revenue: the long functions of 20261204001100_revenue.sql made short (issue 17, point 3).
--
-- What: each long function becomes a guard/dispatcher over small functions with one job
-- each, named after what they do. Why: a reader can hold each piece in their head. The
-- answers and the errors (codes, messages, hints) are unchanged; so are the signatures,
-- security, volatility, grants and comments of the functions redefined here. The helpers
-- live in `app`, set search_path = '', and are executable only by the roles whose calls
-- reach them (the helpers of a security definer function run as its owner: nobody else).


---------------------------------------------------------------------------------------
-- app.apply_renewal_outcome: lock and check the renewal, its customer and the new ARR;
-- record the outcome; move the customer to its next renewal; close the open renewals.
---------------------------------------------------------------------------------------

-- The open renewal execution, locked: of the caller's organisation, workable by them, not
-- escalated (unless they are a manager or admin), a renewal, and open.
create or replace function app.lock_open_renewal_execution(execution_id uuid)
returns app.workflow_executions
language plpgsql
set search_path = ''
as $$
declare
  e app.workflow_executions;
begin
  select * into e from app.workflow_executions x where x.id = lock_open_renewal_execution.execution_id for update;
  if not found or e.org_id is distinct from app.current_org_id() then
    raise exception 'Workflow execution not found' using errcode = 'PT404',
      hint = 'Check the id; you can only see workflows of your own organisation.';
  end if;
  if not app.can_work_on_execution(e.id) then
    raise exception 'You may not record the outcome of this renewal' using errcode = '42501',
      hint = 'Only its assigned CSM, a manager or an admin can.';
  end if;
  if e.status = 'escalated' and not (select app.has_role('manager', 'admin')) then
    raise exception 'This renewal is escalated' using errcode = '42501',
      hint = 'While it is escalated a manager decides; withdraw the escalation to record the outcome yourself.';
  end if;
  if e.renewal_stage is null then
    raise exception 'This workflow is not a renewal' using errcode = '22023',
      hint = 'Pass the execution id of the customer''s open renewal workflow.';
  end if;
  if not app.is_open_status(e.status) then
    raise exception 'This renewal workflow is %', app.status_words(e.status) using errcode = 'PT409',
      hint = 'An outcome is recorded once, on the open renewal.';
  end if;
  return e;
end;
$$;
revoke execute on function app.lock_open_renewal_execution(uuid) from public, anon, authenticated;

-- The renewal's customer, locked: it has a renewal date whose outcome is not recorded yet.
create or replace function app.lock_customer_awaiting_outcome(customer_id uuid)
returns app.customers
language plpgsql
set search_path = ''
as $$
declare
  c app.customers;
begin
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

-- The customer's ARR after the outcome (renewed: at least the current ARR, default
-- unchanged; downgraded: below it and above 0; churned: 0), or 22023 saying which
-- outcome fits.
create or replace function app.renewal_outcome_new_arr(outcome text, new_arr numeric, previous_arr numeric)
returns numeric
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_new numeric := case renewal_outcome_new_arr.outcome
                     when 'renewed' then coalesce(round(renewal_outcome_new_arr.new_arr, 2), previous_arr)
                     when 'downgraded' then round(renewal_outcome_new_arr.new_arr, 2)
                     else coalesce(round(renewal_outcome_new_arr.new_arr, 2), 0) end;
begin
  if outcome = 'renewed' and v_new < previous_arr then
    raise exception 'A renewal at less than the current ARR (%) is a downgrade', previous_arr using errcode = '22023',
      hint = 'Record it as downgraded with the new ARR.';
  elsif outcome = 'downgraded' and v_new is null then
    raise exception 'new_arr is required for a downgrade' using errcode = '22023';
  elsif outcome = 'downgraded' and v_new = 0 then
    raise exception 'A downgrade to 0 is a churn' using errcode = '22023', hint = 'Record it as churned.';
  elsif outcome = 'downgraded' and v_new >= previous_arr then
    raise exception 'A downgrade needs a new ARR below the current ARR (%)', previous_arr using errcode = '22023',
      hint = 'Record it as renewed when the ARR stays the same or grows.';
  elsif outcome = 'churned' and v_new <> 0 then
    raise exception 'A churned customer''s new ARR is 0' using errcode = '22023',
      hint = 'Leave new_arr out, or record a downgrade when some ARR stays.';
  end if;
  return v_new;
end;
$$;
revoke execute on function app.renewal_outcome_new_arr(text, numeric, numeric) from public, anon, authenticated;

-- What the forecast said when the renewal closes (forecast accuracy): the person's
-- category and ARR, else the derived category and the current ARR.
create or replace function app.forecast_at_close(
  c app.customers, previous_arr numeric, out category text, out forecast_arr numeric)
language sql
stable
set search_path = ''
as $$
  select coalesce(f.category, app.derive_forecast_category(c.health_score, c.risk_score)),
         coalesce(f.forecast_arr, forecast_at_close.previous_arr)
    from (select 1) one
    left join app.renewal_forecasts f
      on f.customer_id = c.id and f.org_id = c.org_id and f.renewal_date = c.renewal_date
$$;
revoke execute on function app.forecast_at_close(app.customers, numeric) from public, anon, authenticated;

-- The customer after the outcome: its new ARR (in ARR history when it changed) and its
-- next renewal date (none after a churn).
create or replace function app.move_customer_past_renewal(
  c app.customers, outcome text, new_arr numeric, recorded_at timestamptz)
returns date
language plpgsql
set search_path = ''
as $$
declare
  v_next date := case when outcome = 'churned' then null else (c.renewal_date + interval '12 months')::date end;
begin
  if new_arr is distinct from coalesce(c.arr, 0) then
    insert into app.arr_history (org_id, customer_id, arr, recorded_at, source, reason)
    values (c.org_id, c.id, move_customer_past_renewal.new_arr, move_customer_past_renewal.recorded_at, 'renewal_outcome',
            case move_customer_past_renewal.outcome
              when 'renewed' then 'Renewed with an uplift'
              when 'downgraded' then 'Downgraded at renewal'
              else 'Churned at renewal' end);
  end if;
  update app.customers x set arr = move_customer_past_renewal.new_arr, renewal_date = v_next where x.id = c.id;
  return v_next;
end;
$$;
revoke execute on function app.move_customer_past_renewal(app.customers, text, numeric, timestamptz) from public, anon, authenticated;

-- Completes every open renewal execution of the customer (normally just the one closed)
-- with the outcome; returns their ids.
create or replace function app.complete_open_renewals(
  c app.customers, outcome text, previous_arr numeric, new_arr numeric, outcome_id uuid)
returns uuid[]
language plpgsql
set search_path = ''
as $$
declare
  v_closed uuid[];
begin
  select array_agg(x.id) into v_closed
    from app.workflow_executions x
   where x.org_id = c.org_id and x.customer_id = c.id
     and x.status in ('queued', 'in_progress', 'snoozed', 'escalated') and x.renewal_stage is not null;
  perform app.complete_execution(x.id,
            coalesce(x.outcome, '{}'::jsonb) || jsonb_build_object('renewal_outcome', complete_open_renewals.outcome,
              'previous_arr', complete_open_renewals.previous_arr, 'new_arr', complete_open_renewals.new_arr,
              'outcome_id', complete_open_renewals.outcome_id),
            'renewal_outcome')
     from app.workflow_executions x
    where x.id = any(v_closed);
  return v_closed;
end;
$$;
revoke execute on function app.complete_open_renewals(app.customers, text, numeric, numeric, uuid) from public, anon, authenticated;

-- Security definer: closing a renewal changes the customer's ARR, renewal date and ARR
-- history, which a csm may not write directly; the checks below (and the caller's in
-- public.record_renewal_outcome) decide who may.
create or replace function app.apply_renewal_outcome(execution_id uuid, outcome text, new_arr numeric)
returns jsonb
language plpgsql
security definer
set search_path = ''
as $$
declare
  e app.workflow_executions := app.lock_open_renewal_execution(apply_renewal_outcome.execution_id);
  c app.customers := app.lock_customer_awaiting_outcome(e.customer_id);
  v_previous numeric := coalesce(c.arr, 0);
  v_new numeric := app.renewal_outcome_new_arr(apply_renewal_outcome.outcome, apply_renewal_outcome.new_arr, v_previous);
  v_recorded_at timestamptz := now();
  f record;
  v_outcome_id uuid;
  v_next date;
  v_closed uuid[];
begin
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


---------------------------------------------------------------------------------------
-- app.retention_apply: the state row (and whether to rebuild), the new frontier, the pairs
-- the frontier passes, then the touched customers' contributions.
---------------------------------------------------------------------------------------

-- The first month start after the newest ARR history row of the organisation (customer_ids
-- null) or of the given customers, in the organisation's time zone; null without rows.
create or replace function app.retention_history_frontier(org_id uuid, customer_ids uuid[], time_zone text)
returns date
language sql
stable
set search_path = ''
as $$
  select case
    when retention_history_frontier.customer_ids is null then
      (select max((date_trunc('month', h.recorded_at at time zone retention_history_frontier.time_zone) + interval '1 month')::date)
         from app.arr_history h where h.org_id = retention_history_frontier.org_id)
    else
      (select max((date_trunc('month', h.recorded_at at time zone retention_history_frontier.time_zone) + interval '1 month')::date)
         from (select distinct x.id from unnest(retention_history_frontier.customer_ids) as x(id)) ids
         join app.arr_history h on h.customer_id = ids.id and h.org_id = retention_history_frontier.org_id)
  end
$$;
revoke execute on function app.retention_history_frontier(uuid, uuid[], text) from public, anon, authenticated;

-- When the frontier moves from st.frontier to new_frontier, the pairs ending in between
-- were "against the latest ARR" until now: keeps them as they were, before the change is
-- added.
create or replace function app.retention_keep_pairs_before(st app.retention_state, new_frontier date)
returns void
language plpgsql
set search_path = ''
as $$
begin
  insert into app.retention_figures as f
    (org_id, period_start, period_end, customers, starting_arr, expansion, contraction, churn)
  select st.org_id, x.s, x.e, x.customers, x.starting_arr, x.expansion, x.contraction, x.churn
    from (
      select (e.e - make_interval(months => l.months))::date as s, e.e::date as e,
             coalesce(i.customers, case when (e.e - make_interval(months => l.months))::date >= st.frontier then st.customers end) as customers,
             coalesce(i.starting_arr, case when (e.e - make_interval(months => l.months))::date >= st.frontier then st.arr end) as starting_arr,
             coalesce(i.expansion, 0) as expansion, coalesce(i.contraction, 0) as contraction, coalesce(i.churn, 0) as churn
        from generate_series(st.frontier::timestamp, new_frontier::timestamp - interval '1 month', interval '1 month') e(e)
        cross join (values (1), (3), (12)) l(months)
        left join app.retention_figures i
          on i.org_id = st.org_id and i.period_start = (e.e - make_interval(months => l.months))::date
         and i.period_end = 'infinity'::date
      union all
      select s.s::date, 'infinity'::date, st.customers, st.arr, 0, 0, 0
        from generate_series(st.frontier::timestamp, new_frontier::timestamp - interval '1 month', interval '1 month') s(s)
    ) x
   where x.customers > 0
   order by x.s, x.e
  on conflict on constraint retention_figures_pkey do update
     set customers = excluded.customers, starting_arr = excluded.starting_arr, expansion = excluded.expansion,
         contraction = excluded.contraction, churn = excluded.churn;
end;
$$;
revoke execute on function app.retention_keep_pairs_before(app.retention_state, date) from public, anon, authenticated;

-- Adds (after − before) of the touched customers (null: all, a rebuild) to the kept
-- pairs, in key order, and to the latest totals; the state moves to `frontier`.
create or replace function app.retention_add_contributions(
  org_id uuid, customer_ids uuid[], time_zone text, frontier date,
  new_ids uuid[], old_rows app.arr_history[], rebuild boolean)
returns void
language plpgsql
set search_path = ''
as $$
begin
  with c as materialized (
    select * from app.retention_contributions(retention_add_contributions.org_id, retention_add_contributions.customer_ids,
                                              retention_add_contributions.time_zone, retention_add_contributions.frontier,
                                              retention_add_contributions.new_ids, retention_add_contributions.old_rows,
                                              retention_add_contributions.rebuild)
  ), latest as (
    update app.retention_state s
       set frontier = retention_add_contributions.frontier, time_zone = retention_add_contributions.time_zone, updated_at = now(),
           customers = s.customers + coalesce(l.customers, 0), arr = s.arr + coalesce(l.starting_arr, 0)
      from (select sum(c.customers)::integer as customers, sum(c.starting_arr) as starting_arr
              from c where c.period_start = 'infinity'::date) l
     where s.org_id = retention_add_contributions.org_id
  )
  insert into app.retention_figures as f
    (org_id, period_start, period_end, customers, starting_arr, expansion, contraction, churn)
  select retention_add_contributions.org_id, c.period_start, c.period_end, c.customers, c.starting_arr,
         c.expansion, c.contraction, c.churn
    from c
   where c.period_start < 'infinity'::date
     and (c.customers <> 0 or c.starting_arr <> 0 or c.expansion <> 0 or c.contraction <> 0 or c.churn <> 0)
   order by c.period_start, c.period_end
  on conflict on constraint retention_figures_pkey do update
     set customers = f.customers + excluded.customers, starting_arr = f.starting_arr + excluded.starting_arr,
         expansion = f.expansion + excluded.expansion, contraction = f.contraction + excluded.contraction,
         churn = f.churn + excluded.churn;
end;
$$;
revoke execute on function app.retention_add_contributions(uuid, uuid[], text, date, uuid[], app.arr_history[], boolean)
  from public, anon, authenticated;

-- Applies a change of some customers' ARR history to the kept figures (or, with rebuild,
-- computes the organisation's figures afresh from all of its history).
create or replace function app.retention_apply(org_id uuid, customer_ids uuid[], new_ids uuid[],
                                               old_rows app.arr_history[], rebuild boolean default false)
returns void
language plpgsql
security definer
set search_path = ''
set jit = off
as $$
declare
  v_org uuid := retention_apply.org_id;
  v_tz text;
  st app.retention_state;
  v_frontier date;
  v_rebuild boolean := retention_apply.rebuild;
  v_customers uuid[] := retention_apply.customer_ids;
begin
  if not exists (select 1 from app.organisations g where g.id = v_org) then
    return;  -- the organisation is being deleted (its figures go with it)
  end if;
  select coalesce((select s.time_zone from app.organisation_settings s where s.org_id = v_org), 'UTC') into v_tz;
  insert into app.retention_state (org_id, time_zone) values (v_org, v_tz) on conflict do nothing;
  select * into st from app.retention_state s where s.org_id = v_org for update;
  if st.time_zone is distinct from v_tz then
    -- Figures in another time zone: start again — now when that is cheap, else the
    -- minutely job does it (until then reads compute; nothing is lost by not adding now).
    if st.customers > 5000 and not v_rebuild then
      return;
    end if;
    v_rebuild := true;
  elsif st.frontier is null then
    -- The organisation's first ARR history (a seed, a first import): everything it has is
    -- this statement's, so computing it all at once is the same and cheaper.
    v_rebuild := true;
  end if;

  if v_rebuild then
    delete from app.retention_figures f where f.org_id = v_org;
    update app.retention_state s set time_zone = v_tz, frontier = null, customers = 0, arr = 0 where s.org_id = v_org;
    st.frontier := null; st.customers := 0; st.arr := 0;
    v_customers := null;  -- every customer
  elsif v_customers is null or cardinality(v_customers) = 0 then
    return;
  end if;

  -- The frontier moves on when a row is recorded in or after its month (it never moves back:
  -- pairs kept past the newest row stay exact, they are only not needed).
  v_frontier := app.retention_history_frontier(v_org, v_customers, v_tz);
  if v_customers is not null then
    v_frontier := greatest(st.frontier, v_frontier);
  end if;
  if v_frontier is null and st.frontier is null then
    return;  -- no ARR history (left)
  end if;
  v_frontier := coalesce(v_frontier, st.frontier);
  if st.frontier is not null and v_frontier > st.frontier then
    perform app.retention_keep_pairs_before(st, v_frontier);
  end if;
  perform app.retention_add_contributions(v_org, v_customers, v_tz, v_frontier, retention_apply.new_ids,
                                          retention_apply.old_rows, v_rebuild);
end;
$$;
revoke execute on function app.retention_apply(uuid, uuid[], uuid[], app.arr_history[], boolean) from public, anon, authenticated;
