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


---------------------------------------------------------------------------------------
-- app.renewal_forecast_of_my_org: guard; then the figures (what is counted, by category
-- and month) and the items (one page of renewals, open and closed), each from its own
-- function. The two halves never shared a row: the figures read the kept totals, the
-- items an index in the page's order. All run as the definer (the caller of
-- get_renewal_forecast reads only its own organisation: app.current_org_id(), checked
-- first), so the helpers are executable by nobody else.
---------------------------------------------------------------------------------------

-- What the forecast counts in [period_start, period_end), by month and category: the kept
-- totals of its whole months [full_start, full_end) (of the organisation, or of one
-- assignee's book), and the renewals of the days before and after them one by one.
create or replace function app.forecast_counted(
  org_id uuid, assignee_id uuid, period_start date, period_end date, full_start date, full_end date)
returns table (month date, category text, renewals bigint, current_arr numeric, forecast_arr numeric)
language plpgsql
stable
set search_path = ''
as $$
#variable_conflict use_column
declare
  v_org uuid := forecast_counted.org_id;
  v_who uuid := forecast_counted.assignee_id;
  v_start date := forecast_counted.period_start;
  v_end date := forecast_counted.period_end;
  v_full_start date := forecast_counted.full_start;
  v_full_end date := forecast_counted.full_end;
begin
  return query
    -- Whole months, kept (one of the two branches runs: a one-time filter on v_who).
    select t.month, t.category, t.renewals::bigint as renewals, t.current_arr, t.forecast_arr
      from app.forecast_month_totals t
     where v_who is null and t.org_id = v_org and t.month >= v_full_start and t.month < v_full_end
    union all
    select t.month, t.category, t.renewals, t.current_arr, t.forecast_arr
      from app.forecast_book_totals t
     where v_who is not null and t.org_id = v_org and t.assigned_to = v_who
       and t.month >= v_full_start and t.month < v_full_end
    union all
    -- The days before the first and after the last whole month.
    select date_trunc('month', k.renewal_date)::date, k.category, 1, k.current_arr, k.forecast_arr
      from app.forecast_open_renewals k
     where k.org_id = v_org
       and ((k.renewal_date >= v_start and k.renewal_date < v_full_start)
            or (k.renewal_date >= v_full_end and k.renewal_date < v_end))
       and (v_who is null or k.assigned_to = v_who)
    union all
    select date_trunc('month', o.renewal_date)::date, o.outcome, 1, o.previous_arr, o.new_arr
      from app.renewal_outcomes o
     where o.org_id = v_org
       and ((o.renewal_date >= v_start and o.renewal_date < v_full_start)
            or (o.renewal_date >= v_full_end and o.renewal_date < v_end))
       and (v_who is null or o.assigned_to = v_who);
end;
$$;
revoke execute on function app.forecast_counted(uuid, uuid, date, date, date, date) from public, anon, authenticated;

-- The forecast's figures for a period: totals (all, open, closed), by category, by month
-- (each by category), and how many renewals the items are taken from (category and month
-- narrow it).
create or replace function app.forecast_figures(
  org_id uuid, assignee_id uuid, period_start date, period_end date, category text, month date)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
#variable_conflict use_column
declare
  v_start date := forecast_figures.period_start;
  v_end date := forecast_figures.period_end;
  v_category text := forecast_figures.category;
  v_month date := forecast_figures.month;
  v_full_start date := (date_trunc('month', v_start - 1) + interval '1 month')::date;  -- [v_full_start, v_full_end):
  v_full_end date := date_trunc('month', v_end)::date;                                -- the whole months of the period
  v_result jsonb;
begin
  if v_full_end <= v_full_start then
    v_full_start := v_end;  -- no whole month: every day is counted from the renewals
    v_full_end := v_end;
  end if;
  with counted as materialized (
    select * from app.forecast_counted(forecast_figures.org_id, forecast_figures.assignee_id, v_start, v_end, v_full_start, v_full_end)
  ), categories(category, state, ord) as (
    values ('commit', 'open', 1), ('probable', 'open', 2), ('at_risk', 'open', 3), ('churn_expected', 'open', 4),
           ('renewed', 'closed', 5), ('downgraded', 'closed', 6), ('churned', 'closed', 7)
  ), totals as (
    select k.category, k.state, k.ord, coalesce(sum(a.renewals), 0)::integer as count,
           coalesce(sum(a.current_arr), 0) as current_arr, coalesce(sum(a.forecast_arr), 0) as forecast_arr
      from categories k left join counted a on a.category = k.category
     group by k.category, k.state, k.ord
  ), months as (
    select m::date as month
      from generate_series(date_trunc('month', v_start), v_end - 1, interval '1 month') m
  ), month_totals as (
    select m.month, k.category, coalesce(sum(a.renewals), 0)::integer as count,
           coalesce(sum(a.current_arr), 0) as current_arr, coalesce(sum(a.forecast_arr), 0) as forecast_arr
      from months m cross join categories k
      left join counted a on a.category = k.category and a.month = m.month
     group by m.month, k.category
  )
  select jsonb_build_object(
    'totals', jsonb_build_object(
      'count', (select coalesce(sum(t.count), 0) from totals t),
      'current_arr', (select coalesce(sum(t.current_arr), 0) from totals t),
      'forecast_arr', (select coalesce(sum(t.forecast_arr), 0) from totals t),
      'open', (select jsonb_build_object('count', coalesce(sum(t.count), 0), 'current_arr', coalesce(sum(t.current_arr), 0),
                                         'forecast_arr', coalesce(sum(t.forecast_arr), 0))
                 from totals t where t.state = 'open'),
      'closed', (select jsonb_build_object('count', coalesce(sum(t.count), 0), 'current_arr', coalesce(sum(t.current_arr), 0),
                                           'forecast_arr', coalesce(sum(t.forecast_arr), 0))
                   from totals t where t.state = 'closed')),
    'by_category', (select jsonb_agg(jsonb_build_object('category', t.category, 'state', t.state, 'count', t.count,
                                                        'current_arr', t.current_arr, 'forecast_arr', t.forecast_arr)
                                     order by t.ord) from totals t),
    'by_month', (select jsonb_agg(jsonb_build_object(
                   'month', mt.month,
                   'count', mt.count, 'current_arr', mt.current_arr, 'forecast_arr', mt.forecast_arr,
                   'by_category', mt.by_category) order by mt.month)
                   from (select x.month, sum(x.count)::integer as count, sum(x.current_arr) as current_arr,
                                sum(x.forecast_arr) as forecast_arr,
                                jsonb_object_agg(x.category, jsonb_build_object('count', x.count,
                                  'current_arr', x.current_arr, 'forecast_arr', x.forecast_arr)) as by_category
                           from month_totals x group by x.month) mt),
    'items_total', (select coalesce(sum(a.renewals), 0)::integer from counted a
                     where (v_category is null or a.category = v_category)
                       and (v_month is null or a.month = v_month))
  ) into v_result;
  return v_result;
end;
$$;
revoke execute on function app.forecast_figures(uuid, uuid, date, date, text, date) from public, anon, authenticated;

-- One page of the period's renewals in the page's order (renewal date, name, customer id),
-- after the keys of the previous page: the open ones (from an index in that order) under
-- their forecast category, the closed ones under their outcome.
create or replace function app.forecast_page_rows(
  org_id uuid, assignee_id uuid, items_start date, items_end date, of_category text,
  after_date date, after_name text, after_id uuid, max_items integer)
returns table (state text, category text, renewal_date date, current_arr numeric, forecast_arr numeric,
               customer_id uuid, name text, execution_id uuid, assigned_to uuid, decision_date date,
               category_source text, note text, set_by uuid, set_at timestamptz, health_score integer,
               risk_score integer, account_plan text, forecast_category text, forecast_arr_at_close numeric)
language plpgsql
stable
set search_path = ''
as $$
#variable_conflict use_column
declare
  v_org uuid := forecast_page_rows.org_id;
  v_who uuid := forecast_page_rows.assignee_id;
  v_items_start date := forecast_page_rows.items_start;
  v_items_end date := forecast_page_rows.items_end;
  v_category text := forecast_page_rows.of_category;
  v_after_date date := forecast_page_rows.after_date;
  v_after_name text := forecast_page_rows.after_name;
  v_after_id uuid := forecast_page_rows.after_id;
  v_max integer := forecast_page_rows.max_items;
begin
  return query
  with open_page as (
    -- The first items in the page's order, from an index that has that order.
    (select k.*
       from app.forecast_open_renewals k
      where v_who is null and k.org_id = v_org and k.renewal_date >= v_items_start and k.renewal_date < v_items_end
        and (v_category is null or k.category = v_category)
        and (v_after_date is null or (k.renewal_date, k.name, k.customer_id) > (v_after_date, v_after_name, v_after_id))
      order by k.renewal_date, k.name, k.customer_id
      limit v_max)
    union all
    (select k.*
       from app.forecast_open_renewals k
      where v_who is not null and k.org_id = v_org and k.assigned_to = v_who
        and k.renewal_date >= v_items_start and k.renewal_date < v_items_end
        and (v_category is null or k.category = v_category)
        and (v_after_date is null or (k.renewal_date, k.name, k.customer_id) > (v_after_date, v_after_name, v_after_id))
      order by k.renewal_date, k.name, k.customer_id
      limit v_max)
  ), closed_page as (
    select o.id, o.renewal_date, c.name, o.customer_id
      from app.renewal_outcomes o
      join app.customers c on c.id = o.customer_id
     where o.org_id = v_org and o.renewal_date >= v_items_start and o.renewal_date < v_items_end
       and (v_who is null or o.assigned_to = v_who)
       and (v_category is null or o.outcome = v_category)
       and (v_after_date is null or (o.renewal_date, c.name, o.customer_id) > (v_after_date, v_after_name, v_after_id))
     order by o.renewal_date, c.name, o.customer_id
     limit v_max
  ), page as (
    select p.* from (
      select 'open' as state, k.category, k.renewal_date, k.current_arr, k.forecast_arr, k.customer_id, k.name,
             k.execution_id, k.assigned_to, c.decision_date, k.category_source, f.note, f.set_by, f.set_at,
             c.health_score, c.risk_score, c.account_plan, null::text as forecast_category, null::numeric as forecast_arr_at_close
        from open_page k
        join app.customers c on c.id = k.customer_id
        left join app.renewal_forecasts f
          on f.customer_id = k.customer_id and f.org_id = k.org_id and f.renewal_date = k.renewal_date
      union all
      select 'closed', o.outcome, o.renewal_date, o.previous_arr, o.new_arr, o.customer_id, cp.name,
             o.execution_id, o.assigned_to, null::date, 'outcome', null::text, o.recorded_by, o.recorded_at,
             null::integer, null::integer, null::text, o.forecast_category, o.forecast_arr
        from closed_page cp
        join app.renewal_outcomes o on o.id = cp.id) p
     order by p.renewal_date, p.name, p.customer_id
     limit v_max
  )
  select * from page;
end;
$$;
revoke execute on function app.forecast_page_rows(uuid, uuid, date, date, text, date, text, uuid, integer)
  from public, anon, authenticated;

-- The page's items as the answer lists them (an open renewal with its customer's scores and
-- the person's forecast; a closed one with its outcome), and where the next page starts
-- (null on the last page).
create or replace function app.forecast_items(
  org_id uuid, assignee_id uuid, items_start date, items_end date, category text,
  after_date date, after_name text, after_id uuid, max_items integer)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
#variable_conflict use_column
declare
  v_max integer := forecast_items.max_items;
  v_result jsonb;
begin
  with page as materialized (
    select * from app.forecast_page_rows(forecast_items.org_id, forecast_items.assignee_id, forecast_items.items_start,
                                         forecast_items.items_end, forecast_items.category, forecast_items.after_date,
                                         forecast_items.after_name, forecast_items.after_id, v_max)
  )
  select jsonb_build_object(
    'next_after', (select case when count(*) = v_max and v_max > 0 then
                              (array_agg(jsonb_build_object('renewal_date', p.renewal_date, 'name', p.name, 'customer_id', p.customer_id)
                                         order by p.renewal_date desc, p.name desc, p.customer_id desc))[1] end
                     from page p),
    'items', coalesce((
      select jsonb_agg(jsonb_build_object(
               'state', p.state,
               'execution_id', p.execution_id,
               'customer', case when p.state = 'open'
                             then jsonb_build_object('id', p.customer_id, 'name', p.name, 'health_score', p.health_score,
                                                     'risk_score', p.risk_score, 'account_plan', p.account_plan)
                             else jsonb_build_object('id', p.customer_id, 'name', p.name) end,
               'renewal_date', p.renewal_date,
               'decision_date', p.decision_date,
               'assignee_id', p.assigned_to,
               'category', p.category,
               'category_source', p.category_source,
               'current_arr', p.current_arr,
               'forecast_arr', p.forecast_arr,
               'note', p.note,
               'set_by', p.set_by,
               'set_at', p.set_at,
               'outcome', case when p.state = 'closed' then jsonb_build_object(
                            'outcome', p.category, 'previous_arr', p.current_arr, 'new_arr', p.forecast_arr,
                            'recorded_by', p.set_by, 'recorded_at', p.set_at,
                            'forecast_category', p.forecast_category, 'forecast_arr', p.forecast_arr_at_close) end)
             order by p.renewal_date, p.name, p.customer_id)
        from page p), '[]'::jsonb)
  ) into v_result;
  return v_result;
end;
$$;
revoke execute on function app.forecast_items(uuid, uuid, date, date, text, date, text, uuid, integer)
  from public, anon, authenticated;

-- The cursor of a forecast page (the `next_after` of the previous answer): the renewal
-- date, name and customer id of its last item; 22023 when it is not one.
create or replace function app.forecast_after_keys(after jsonb, out renewal_date date, out name text, out customer_id uuid)
language plpgsql
immutable
set search_path = ''
as $$
begin
  if after is null then
    return;
  end if;
  begin
    renewal_date := (after ->> 'renewal_date')::date;
    name := after ->> 'name';
    customer_id := (after ->> 'customer_id')::uuid;
  exception when others then
    renewal_date := null;
  end;
  if renewal_date is null or name is null or customer_id is null then
    raise exception 'after must be the next_after of a previous answer' using errcode = '22023',
      hint = 'Pass {"renewal_date", "name", "customer_id"} of the last item you have.';
  end if;
end;
$$;
revoke execute on function app.forecast_after_keys(jsonb) from public, anon, authenticated;

-- Renewals whose renewal date falls in [period_start, period_end): the open ones (with an
-- open renewal execution) under their forecast category, the closed ones under their
-- outcome. Totals per category and per month cover every renewal of the period
-- (app.forecast_figures, from the kept totals); `items` lists at most max_items of them
-- (optionally of one category and/or month) in renewal date order, continuing after
-- `after` (app.forecast_items). Security definer: every read is filtered on the caller's
-- own organisation (app.current_org_id(), checked first), which members may read anyway;
-- it takes no organisation argument, so it can only ever read the caller's.
create or replace function app.renewal_forecast_of_my_org(
  period_start date,
  period_end date,
  assignee_id uuid default null,
  category text default null,
  max_items integer default 200,
  month date default null,
  after jsonb default null
)
returns jsonb
language plpgsql
stable
security definer
set search_path = ''
as $$
declare
  v_org uuid := app.current_org_id();
  v_start date := renewal_forecast_of_my_org.period_start;
  v_end date := renewal_forecast_of_my_org.period_end;
  v_who uuid := renewal_forecast_of_my_org.assignee_id;
  v_category text := renewal_forecast_of_my_org.category;
  v_max integer := renewal_forecast_of_my_org.max_items;
  v_month date := date_trunc('month', renewal_forecast_of_my_org.month)::date;
  a record;  -- the cursor's keys: renewal_date, name, customer_id
begin
  if v_org is null then
    raise exception 'Only members of an organisation can read its forecast' using errcode = '42501';
  end if;
  if v_start is null or v_end is null or v_end <= v_start then
    raise exception 'period_start must be before period_end' using errcode = '22023',
      hint = 'The period is [period_start, period_end): a quarter is e.g. 2027-01-01 to 2027-04-01.';
  end if;
  if v_end - v_start > 731 then
    raise exception 'The period is longer than two years' using errcode = '22023';
  end if;
  if v_category is not null and v_category not in
     ('commit', 'probable', 'at_risk', 'churn_expected', 'renewed', 'downgraded', 'churned') then
    raise exception 'category must be a forecast category or an outcome' using errcode = '22023';
  end if;
  if v_max is null or v_max not between 0 and 1000 then
    raise exception 'max_items must be between 0 and 1000' using errcode = '22023';
  end if;
  if v_who is not null and not exists (select 1 from app.profiles p where p.id = v_who and p.org_id = v_org) then
    raise exception 'assignee_id is not a member of your organisation' using errcode = '22023';
  end if;
  a := app.forecast_after_keys(renewal_forecast_of_my_org.after);

  return jsonb_build_object('period_start', v_start, 'period_end', v_end, 'assignee_id', v_who)
      || app.forecast_figures(v_org, v_who, v_start, v_end, v_category, v_month)
      || app.forecast_items(v_org, v_who,
           greatest(v_start, coalesce(v_month, v_start)),                               -- the items' days:
           least(v_end, coalesce((v_month + interval '1 month')::date, v_end)),         -- the period, or its month
           v_category, a.renewal_date, a.name, a.customer_id, v_max);
end;
$$;
revoke execute on function app.renewal_forecast_of_my_org(date, date, uuid, text, integer, date, jsonb) from public, anon;
grant execute on function app.renewal_forecast_of_my_org(date, date, uuid, text, integer, date, jsonb) to authenticated;
