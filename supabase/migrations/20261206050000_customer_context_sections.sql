-- app.customer_context as one short function per section (issue 17, "Short functions").
--
-- What: the 458-line body of get_customer_context becomes a dispatcher that finds the
-- customer, today's date in the organisation's time zone and the renewal clock, then asks
-- one function per section (customer, intelligence, financials, usage, engagement,
-- workflow, account team) for its part and the timestamp of the newest row behind it
-- (`freshness`). The "latest value and its 90-day baseline" rule, written out three times
-- before (scores, ARR, usage), is one helper: app.context_latest_and_baseline.
-- Why: each rule has one place and each function fits on a screen. The output is the same
-- JSON as before (compared with the old body on every demo and scale customer and 2 000
-- executions while this was written; the get_customer_context tests guard it).
-- Speed: the helpers are PL/pgSQL, whose plans are cached per session (a SQL function with
-- a pinned search_path is planned again on every call), return typed rows rather than
-- jsonb, and take the few columns they need rather than the whole customer row; calls to
-- the SQL helpers (trend_direction, calculate_renewal_stage) stay in subquery-free
-- expressions so their plans are kept for the transaction.
-- The sections are security invoker and granted to nobody: they run with the rights of
-- app.customer_context (security definer, organisation filtered explicitly), their only
-- caller, on the customer it has already checked.

-- One part of the context and the timestamp of the newest row behind it.
create type app.context_part as (body jsonb, freshness timestamptz);

-- The trend rule of the context, in one place, for the three histories it trends (scores,
-- ARR, usage; `history` is a null of the history's row type, which picks the history and
-- the type of the answer): points[1] is the newest row at or before as_of, points[2] the
-- row in effect 90 days before as_of (b), or for a younger history the oldest row since
-- (y), never the latest itself. Ties on recorded_at go to the row recorded last. Null
-- without history; points[2] null with one row (no trend is made up from one point).
-- One statement per history: each part is one probe of its (customer_id, org_id,
-- recorded_at desc) index, and the fallback runs only without a row 90 days back.
create or replace function app.context_latest_and_baseline(
  history anyelement, customer_id uuid, org_id uuid, as_of timestamptz, out points anyarray)
language plpgsql
stable
set search_path = ''
as $$
#variable_conflict use_variable
declare
  v_window_start constant timestamptz := as_of - interval '90 days';
  v_history constant regtype := pg_typeof(history);
begin
  if v_history = 'app.customer_score_history'::regtype then
    select array[l.point, coalesce(b.point, y.point)] into points
      from (select h as point from app.customer_score_history h
             where h.customer_id = customer_id and h.org_id = org_id and h.recorded_at <= as_of
             order by h.recorded_at desc, h.created_at desc limit 1) l
      left join lateral (select h as point from app.customer_score_history h
             where h.customer_id = customer_id and h.org_id = org_id
               and h.recorded_at <= v_window_start and h.recorded_at < (l.point).recorded_at
             order by h.recorded_at desc, h.created_at desc limit 1) b on true
      left join lateral (select h as point from app.customer_score_history h
             where b.point is null and h.customer_id = customer_id and h.org_id = org_id
               and h.recorded_at > v_window_start and h.recorded_at < (l.point).recorded_at
             order by h.recorded_at, h.created_at limit 1) y on true;
  elsif v_history = 'app.arr_history'::regtype then
    select array[l.point, coalesce(b.point, y.point)] into points
      from (select h as point from app.arr_history h
             where h.customer_id = customer_id and h.org_id = org_id and h.recorded_at <= as_of
             order by h.recorded_at desc, h.created_at desc limit 1) l
      left join lateral (select h as point from app.arr_history h
             where h.customer_id = customer_id and h.org_id = org_id
               and h.recorded_at <= v_window_start and h.recorded_at < (l.point).recorded_at
             order by h.recorded_at desc, h.created_at desc limit 1) b on true
      left join lateral (select h as point from app.arr_history h
             where b.point is null and h.customer_id = customer_id and h.org_id = org_id
               and h.recorded_at > v_window_start and h.recorded_at < (l.point).recorded_at
             order by h.recorded_at, h.created_at limit 1) y on true;
  elsif v_history = 'app.usage_snapshots'::regtype then
    select array[l.point, coalesce(b.point, y.point)] into points
      from (select h as point from app.usage_snapshots h
             where h.customer_id = customer_id and h.org_id = org_id and h.recorded_at <= as_of
             order by h.recorded_at desc, h.created_at desc limit 1) l
      left join lateral (select h as point from app.usage_snapshots h
             where h.customer_id = customer_id and h.org_id = org_id
               and h.recorded_at <= v_window_start and h.recorded_at < (l.point).recorded_at
             order by h.recorded_at desc, h.created_at desc limit 1) b on true
      left join lateral (select h as point from app.usage_snapshots h
             where b.point is null and h.customer_id = customer_id and h.org_id = org_id
               and h.recorded_at > v_window_start and h.recorded_at < (l.point).recorded_at
             order by h.recorded_at, h.created_at limit 1) y on true;
  else
    raise exception 'no trend is kept for %', v_history using errcode = '22023';
  end if;
end;
$$;
comment on function app.context_latest_and_baseline(anyelement, uuid, uuid, timestamptz) is
  'A customer history''s latest row and its 90-day baseline (the row in effect 90 days ago, else the oldest since).';
revoke execute on function app.context_latest_and_baseline(anyelement, uuid, uuid, timestamptz) from public, anon, authenticated;

-- The renewal clock, shown in both `customer` and `workflow`: days to the renewal and to the
-- decision date and the stage, computed as of today in the organisation's time zone (a
-- stored stage can be a day behind). The stage runs on the decision date (the notice
-- deadline when the contract auto-renews).
create or replace function app.context_renewal_clock(c app.customers, today date)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
begin
  return jsonb_build_object(
    'renewal_date', c.renewal_date,
    'days_until_renewal', c.renewal_date - today,
    'decision_date', c.decision_date,
    'days_until_decision', c.decision_date - today,
    'renewal_stage', app.calculate_renewal_stage(c.decision_date, today),
    'account_plan', c.account_plan);
end;
$$;
comment on function app.context_renewal_clock(app.customers, date) is 'Days to renewal and decision, and the stage, as of today.';
revoke execute on function app.context_renewal_clock(app.customers, date) from public, anon, authenticated;

-- `customer`: the stored customer and its renewal clock.
create or replace function app.context_customer(c app.customers, clock jsonb)
returns app.context_part
language plpgsql
stable
set search_path = ''
as $$
begin
  return row(jsonb_build_object(
    'id', c.id, 'external_id', c.external_id, 'name', c.name, 'domain', c.domain,
    'industry', c.industry, 'arr', c.arr, 'health_score', c.health_score,
    'risk_score', c.risk_score, 'opportunity_score', c.opportunity_score,
    'assigned_to', c.assigned_to, 'account_executive_id', c.account_executive_id,
    'support_engineer_id', c.support_engineer_id, 'metadata', c.metadata,
    'created_at', c.created_at, 'updated_at', c.updated_at
  ) || clock, c.updated_at)::app.context_part;
end;
$$;
comment on function app.context_customer(app.customers, jsonb) is 'The customer part of get_customer_context.';
revoke execute on function app.context_customer(app.customers, jsonb) from public, anon, authenticated;

-- One score of `intelligence`: today's score (from the customer), its 90-day baseline, the
-- change and the trend (5 points make a move).
create or replace function app.context_score(score integer, baseline integer, baseline_at timestamptz)
returns jsonb
language plpgsql
immutable
set search_path = ''
as $$
begin
  return jsonb_build_object(
    'score', score,
    'baseline', baseline,
    'baseline_at', case when baseline is not null then baseline_at end,
    'change', score - baseline,
    'trend', app.trend_direction(score, baseline, 5));
end;
$$;
comment on function app.context_score(integer, integer, timestamptz) is 'One score of the intelligence part: today, 90-day baseline, change and trend.';
revoke execute on function app.context_score(integer, integer, timestamptz) from public, anon, authenticated;

-- `intelligence`: health, risk and opportunity with their 90-day trends; fresh as of the
-- newest score row.
create or replace function app.context_intelligence(
  customer_id uuid, org_id uuid, health_score integer, risk_score integer, opportunity_score integer,
  as_of timestamptz)
returns app.context_part
language plpgsql
stable
set search_path = ''
as $$
declare
  v_points app.customer_score_history[];
  b app.customer_score_history;
begin
  v_points := app.context_latest_and_baseline(null::app.customer_score_history, customer_id, org_id, as_of);
  b := v_points[2];
  return row(jsonb_build_object(
    'trend_window_days', 90,
    'health', app.context_score(health_score, b.health_score, b.recorded_at),
    'risk', app.context_score(risk_score, b.risk_score, b.recorded_at),
    'opportunity', app.context_score(opportunity_score, b.opportunity_score, b.recorded_at)
  ), (v_points[1]).recorded_at)::app.context_part;
end;
$$;
comment on function app.context_intelligence(uuid, uuid, integer, integer, integer, timestamptz) is 'The intelligence part of get_customer_context.';
revoke execute on function app.context_intelligence(uuid, uuid, integer, integer, integer, timestamptz) from public, anon, authenticated;

-- `data.financials`: ARR from its history (current, the value before the last change and
-- when it changed, growth, the 90-day trend where a 1% move counts), the year's series for
-- the chart and the contract in force; fresh as of the newer of the newest ARR row and the
-- contract.
create or replace function app.context_financials(customer_id uuid, org_id uuid, customer_arr numeric, as_of timestamptz)
returns app.context_part
language plpgsql
stable
set search_path = ''
as $$
#variable_conflict use_variable
declare
  v_points app.arr_history[];
  v_latest app.arr_history;
  b app.arr_history;
  v_previous numeric;
  v_changed_at timestamptz;
  v_current numeric;
  v_series jsonb;
  k app.contracts;
begin
  v_points := app.context_latest_and_baseline(null::app.arr_history, customer_id, org_id, as_of);
  v_latest := v_points[1];
  b := v_points[2];
  v_current := coalesce(v_latest.arr, customer_arr);
  -- The ARR before the last change (history may repeat an unchanged value) and the first
  -- time the newest value was recorded.
  select p.arr, (select min(h.recorded_at) from app.arr_history h
                  where h.customer_id = customer_id and h.org_id = org_id
                    and h.recorded_at > p.recorded_at and h.recorded_at <= v_latest.recorded_at)
    into v_previous, v_changed_at
    from app.arr_history p
   where p.customer_id = customer_id and p.org_id = org_id
     and p.recorded_at < v_latest.recorded_at and p.arr <> v_latest.arr
   order by p.recorded_at desc, p.created_at desc
   limit 1;
  -- The year's series for the chart (at most 100 points), with the value in effect when the
  -- year began so the line starts at the left edge.
  select coalesce(jsonb_agg(jsonb_build_object('recorded_at', x.recorded_at, 'arr', x.arr)
                            order by x.recorded_at, x.created_at), '[]'::jsonb)
    into v_series
    from ((select h.recorded_at, h.created_at, h.arr from app.arr_history h
            where h.customer_id = customer_id and h.org_id = org_id and h.recorded_at <= as_of - interval '365 days'
            order by h.recorded_at desc, h.created_at desc limit 1)
          union all
          (select h.recorded_at, h.created_at, h.arr from app.arr_history h
            where h.customer_id = customer_id and h.org_id = org_id
              and h.recorded_at > as_of - interval '365 days' and h.recorded_at <= as_of
            order by h.recorded_at desc, h.created_at desc limit 100)) x;
  -- The contract in force: active, latest end date first (an open-ended one before all).
  select * into k
    from app.contracts x
   where x.customer_id = customer_id and x.org_id = org_id and x.status = 'active'
   order by x.end_date desc nulls first, x.start_date desc
   limit 1;
  return row(jsonb_build_object(
    'current_arr', v_current,
    'current_arr_recorded_at', v_latest.recorded_at,
    'previous_arr', v_previous,
    'arr_changed_at', v_changed_at,
    'arr_change', v_current - v_previous,
    'growth_rate', case when v_previous > 0 then round((v_current - v_previous) / v_previous, 4) end,
    'baseline_arr', b.arr,
    'baseline_at', b.recorded_at,
    'trend', app.trend_direction(v_current, b.arr, 0.01),
    'history', v_series,
    'contract', case when k.id is not null then jsonb_build_object(
      'id', k.id, 'contract_number', k.contract_number, 'status', k.status,
      'start_date', k.start_date, 'end_date', k.end_date, 'annual_value', k.annual_value,
      'currency', k.currency, 'auto_renew', k.auto_renew,
      'notice_period_days', k.notice_period_days, 'terms', k.terms) end
  ), greatest(v_latest.recorded_at, k.updated_at))::app.context_part;
end;
$$;
comment on function app.context_financials(uuid, uuid, numeric, timestamptz) is 'The financials part of get_customer_context.';
revoke execute on function app.context_financials(uuid, uuid, numeric, timestamptz) from public, anon, authenticated;

-- `data.usage`: the latest snapshot with utilisation, the trend of active users against the
-- 90-day baseline (a move of 5% of the baseline, at least one user) and the last 180 days
-- for the chart (at most 60 snapshots, oldest first); fresh as of the latest snapshot.
create or replace function app.context_usage(customer_id uuid, org_id uuid, as_of timestamptz)
returns app.context_part
language plpgsql
stable
set search_path = ''
as $$
#variable_conflict use_variable
declare
  v_points app.usage_snapshots[];
  u app.usage_snapshots;
  b app.usage_snapshots;
  v_series jsonb;
begin
  v_points := app.context_latest_and_baseline(null::app.usage_snapshots, customer_id, org_id, as_of);
  u := v_points[1];
  b := v_points[2];
  select coalesce(jsonb_agg(jsonb_build_object(
           'recorded_at', x.recorded_at, 'active_users', x.active_users, 'licensed_seats', x.licensed_seats
         ) order by x.recorded_at), '[]'::jsonb)
    into v_series
    from (select s.recorded_at, s.active_users, s.licensed_seats
            from app.usage_snapshots s
           where s.customer_id = customer_id and s.org_id = org_id
             and s.recorded_at > as_of - interval '180 days' and s.recorded_at <= as_of
           order by s.recorded_at desc
           limit 60) x;
  -- A subquery-free return keeps the SQL helpers' plans for the transaction.
  return row(jsonb_build_object(
    'active_users', u.active_users,
    'licensed_seats', u.licensed_seats,
    'utilisation', case when u.licensed_seats > 0 then round(u.active_users::numeric / u.licensed_seats, 4) end,
    'recorded_at', u.recorded_at,
    'metrics', u.metrics,
    'baseline_active_users', b.active_users,
    'baseline_at', b.recorded_at,
    'trend', app.trend_direction(u.active_users, b.active_users, greatest(0.05 * b.active_users, 1)),
    'history', v_series
  ), u.recorded_at)::app.context_part;
end;
$$;
comment on function app.context_usage(uuid, uuid, timestamptz) is 'The usage part of get_customer_context.';
revoke execute on function app.context_usage(uuid, uuid, timestamptz) from public, anon, authenticated;

-- `data.engagement`: last contact (meeting, email, call or QBR), QBRs before and after now
-- (a future event is scheduled), the latest NPS and open tickets (null when the customer
-- has no ticket data at all); fresh as of the newest event that has happened. One
-- statement: each figure is one probe of a per-customer index.
create or replace function app.context_engagement(customer_id uuid, org_id uuid, as_of timestamptz, today date, time_zone text)
returns app.context_part
language plpgsql
stable
set search_path = ''
as $$
#variable_conflict use_variable
declare
  v_part app.context_part;
begin
  -- The two columns fill v_part's body and freshness.
  select jsonb_build_object(
           'last_contact_at', lc.occurred_at,
           'last_contact_type', lc.event_type,
           'days_since_last_contact', today - (lc.occurred_at at time zone time_zone)::date,
           'last_qbr_at', (select max(e.occurred_at) from app.engagement_events e
                            where e.customer_id = customer_id and e.org_id = org_id
                              and e.event_type = 'qbr' and e.occurred_at <= as_of),
           'next_qbr_at', (select min(e.occurred_at) from app.engagement_events e
                            where e.customer_id = customer_id and e.org_id = org_id
                              and e.event_type = 'qbr' and e.occurred_at > as_of),
           'nps_score', nps.nps_score,
           'nps_recorded_at', nps.occurred_at,
           'open_tickets', case when exists (
               select 1 from app.engagement_events e
                where e.customer_id = customer_id and e.org_id = org_id and e.event_type = 'support_ticket')
             then (select count(*)::integer from app.engagement_events e
                    where e.customer_id = customer_id and e.org_id = org_id
                      and e.event_type = 'support_ticket' and e.ticket_status in ('open', 'pending')) end),
         (select e.occurred_at from app.engagement_events e
           where e.customer_id = customer_id and e.org_id = org_id and e.occurred_at <= as_of
           order by e.occurred_at desc limit 1)
    into v_part
    from (select) as one
    left join lateral (
      select e.occurred_at, e.event_type from app.engagement_events e
       where e.customer_id = customer_id and e.org_id = org_id
         and e.event_type in ('meeting', 'email', 'call', 'qbr') and e.occurred_at <= as_of
       order by e.occurred_at desc limit 1) lc on true
    left join lateral (
      select e.occurred_at, e.nps_score from app.engagement_events e
       where e.customer_id = customer_id and e.org_id = org_id and e.event_type = 'nps' and e.occurred_at <= as_of
       order by e.occurred_at desc limit 1) nps on true;
  return v_part;
end;
$$;
comment on function app.context_engagement(uuid, uuid, timestamptz, date, text) is 'The engagement part of get_customer_context.';
revoke execute on function app.context_engagement(uuid, uuid, timestamptz, date, text) from public, anon, authenticated;

-- `workflow`: the renewal clock, the execution asked about (else the customer's newest open
-- renewal) and every open execution of the customer (at most 20, most urgent first); fresh
-- as of that execution's last update.
create or replace function app.context_workflow(customer_id uuid, org_id uuid, execution_id uuid, clock jsonb)
returns app.context_part
language plpgsql
stable
set search_path = ''
as $$
#variable_conflict use_variable
declare
  x record;
  v_open jsonb;
begin
  select e.id, w.key as workflow_key, w.name as workflow_name, w.workflow_type, e.status,
         e.priority_score, e.priority_factors, e.renewal_stage, e.current_step_key,
         e.assigned_to, e.snoozed_until, e.created_at, e.updated_at
    into x
    from app.workflow_executions e
    join app.workflows w on w.id = e.workflow_id
   -- The execution asked about, else the customer's newest open renewal (looked up only
   -- when no execution was named).
   where e.id = coalesce(execution_id, (
           select o.id from app.workflow_executions o join app.workflows ow on ow.id = o.workflow_id
            where o.customer_id = customer_id and o.org_id = org_id and ow.workflow_type = 'renewal'
              and o.status in ('queued', 'in_progress', 'snoozed', 'escalated')
            order by o.created_at desc
            limit 1))
     and e.org_id = org_id;
  select coalesce(jsonb_agg(jsonb_build_object(
           'id', o.id, 'workflow_key', o.key, 'workflow_type', o.workflow_type,
           'status', o.status, 'priority_score', o.priority_score
         ) order by o.priority_score desc, o.id), '[]'::jsonb)
    into v_open
    from (select e.id, w.key, w.workflow_type, e.status, e.priority_score
            from app.workflow_executions e
            join app.workflows w on w.id = e.workflow_id
           where e.customer_id = customer_id and e.org_id = org_id
             and e.status in ('queued', 'in_progress', 'snoozed', 'escalated')
           order by e.priority_score desc, e.id
           limit 20) o;
  return row(clock || jsonb_build_object(
    'priority_score', x.priority_score,
    'execution', case when x.id is null then null else jsonb_build_object(
      'id', x.id, 'workflow_key', x.workflow_key, 'workflow_name', x.workflow_name,
      'workflow_type', x.workflow_type, 'status', x.status, 'priority_score', x.priority_score,
      'priority_factors', x.priority_factors, 'renewal_stage', x.renewal_stage,
      'current_step_key', x.current_step_key, 'assigned_to', x.assigned_to,
      'snoozed_until', x.snoozed_until, 'created_at', x.created_at) end,
    'open_executions', v_open
  ), x.updated_at)::app.context_part;
end;
$$;
comment on function app.context_workflow(uuid, uuid, uuid, jsonb) is 'The workflow part of get_customer_context.';
revoke execute on function app.context_workflow(uuid, uuid, uuid, jsonb) from public, anon, authenticated;

-- `account_team`: the CSM, account executive and support engineer from profiles, and the
-- customer's stakeholders (at most 100, decision makers and champions first); fresh as of
-- the newest of those rows.
create or replace function app.context_account_team(
  customer_id uuid, org_id uuid, csm_id uuid, account_executive_id uuid, support_engineer_id uuid)
returns app.context_part
language plpgsql
stable
set search_path = ''
as $$
#variable_conflict use_variable
declare
  v_part app.context_part;
begin
  -- The two columns fill v_part's body and freshness.
  select jsonb_build_object(
           'csm', t.team -> 'csm',
           'account_executive', t.team -> 'account_executive',
           'support_engineer', t.team -> 'support_engineer',
           'stakeholders', s.list),
         greatest(t.updated_at, s.updated_at)
    into v_part
    from (select jsonb_object_agg(r.part, jsonb_build_object(
                   'id', p.id, 'full_name', p.full_name, 'email', p.email, 'title', p.title, 'role', p.role)
                 ) as team,
                 max(p.updated_at) as updated_at
            from (values ('csm', csm_id), ('account_executive', account_executive_id),
                         ('support_engineer', support_engineer_id)) as r(part, person_id)
            join app.profiles p on p.id = r.person_id and p.org_id = org_id) t,
         (select coalesce(jsonb_agg(jsonb_build_object(
                   'id', x.id, 'name', x.name, 'email', x.email, 'title', x.title, 'role', x.role,
                   'influence', x.influence, 'is_champion', x.is_champion,
                   'is_decision_maker', x.is_decision_maker, 'last_contacted_at', x.last_contacted_at
                 ) order by x.is_decision_maker desc, x.is_champion desc,
                            case x.influence when 'high' then 0 when 'medium' then 1 when 'low' then 2 else 3 end,
                            x.name, x.id), '[]'::jsonb) as list,
                 max(x.updated_at) as updated_at
            from (select * from app.stakeholders k
                   where k.customer_id = customer_id and k.org_id = org_id
                   order by k.name
                   limit 100) x) s;
  return v_part;
end;
$$;
comment on function app.context_account_team(uuid, uuid, uuid, uuid, uuid) is 'The account team part of get_customer_context.';
revoke execute on function app.context_account_team(uuid, uuid, uuid, uuid, uuid) from public, anon, authenticated;

-- The dispatcher: find the customer (directly or through the execution, in the caller's
-- organisation only: PT404 otherwise, as if it did not exist) and today's date in the
-- organisation's time zone, then one call per part.
create or replace function app.customer_context(customer_id uuid, execution_id uuid)
returns jsonb
language plpgsql
stable
security definer -- row-level security would re-run the membership helper for each of ~20 table reads; this reads one organisation's rows, filtered explicitly
set search_path = ''
as $$
declare
  v_now constant timestamptz := now();
  v_customer_id uuid := customer_context.customer_id;
  c app.customers;
  v_time_zone text;
  v_today date;
  v_clock jsonb;
  v_customer app.context_part;
  v_intelligence app.context_part;
  v_financials app.context_part;
  v_usage app.context_part;
  v_engagement app.context_part;
  v_workflow app.context_part;
  v_team app.context_part;
begin
  if (customer_context.customer_id is null) = (customer_context.execution_id is null) then
    raise exception 'Pass exactly one of customer_id or execution_id' using errcode = '22023',
      hint = 'Call get_customer_context(customer_id => ...) or get_customer_context(execution_id => ...).';
  end if;
  if customer_context.execution_id is not null then
    select e.customer_id into v_customer_id
      from app.workflow_executions e
     where e.id = customer_context.execution_id and e.org_id = (select app.current_org_id());
    if not found then
      raise exception 'Workflow execution not found' using errcode = 'PT404',
        hint = 'Check the execution id; you only see executions of your own organisation.';
    end if;
  end if;
  select * into c from app.customers x where x.id = v_customer_id and x.org_id = (select app.current_org_id());
  if not found then
    raise exception 'Customer not found' using errcode = 'PT404',
      hint = 'Check the customer id; you only see customers of your own organisation.';
  end if;
  v_time_zone := coalesce((select st.time_zone from app.organisation_settings st where st.org_id = c.org_id), 'UTC');
  v_today := (v_now at time zone v_time_zone)::date;

  v_clock := app.context_renewal_clock(c, v_today);
  v_customer := app.context_customer(c, v_clock);
  v_intelligence := app.context_intelligence(c.id, c.org_id, c.health_score, c.risk_score, c.opportunity_score, v_now);
  v_financials := app.context_financials(c.id, c.org_id, c.arr, v_now);
  v_usage := app.context_usage(c.id, c.org_id, v_now);
  v_engagement := app.context_engagement(c.id, c.org_id, v_now, v_today, v_time_zone);
  v_workflow := app.context_workflow(c.id, c.org_id, customer_context.execution_id, v_clock);
  v_team := app.context_account_team(c.id, c.org_id, c.assigned_to, c.account_executive_id, c.support_engineer_id);

  return jsonb_build_object(
    'customer', v_customer.body,
    'intelligence', v_intelligence.body,
    'data', jsonb_build_object(
      'financials', v_financials.body, 'usage', v_usage.body, 'engagement', v_engagement.body),
    'workflow', v_workflow.body,
    'account_team', v_team.body,
    'freshness', jsonb_build_object(
      'as_of', v_now, 'today', v_today,
      'customer', v_customer.freshness, 'intelligence', v_intelligence.freshness,
      'financials', v_financials.freshness, 'usage', v_usage.freshness,
      'engagement', v_engagement.freshness, 'workflow', v_workflow.freshness,
      'account_team', v_team.freshness));
end;
$$;
comment on function app.customer_context(uuid, uuid) is 'The body of get_customer_context for a customer of the caller''s organisation (PT404 otherwise).';
grant execute on function app.customer_context(uuid, uuid) to authenticated;
