-- The contract in force is chosen by one rule (docs/contracts.md "The decision date").
--
-- What and why: "the customer's contract in force" (active; the latest end date first, an
-- open-ended contract before all; then the latest start) was written out in three places:
-- the decision date (app.customer_decision_date), the customer context's financials
-- (app.context_financials) and a confirmed contract's terms
-- (app.apply_confirmed_contract_fields). None broke a tie: two active contracts with the
-- same end and start dates (an import that sent the renewal twice under two numbers) gave
-- whichever row the plan met first, and the decision date looked the contract up twice, once
-- for its auto-renew flag and once for its notice period, so the two terms could come from
-- different contracts. The view app.contracts_in_force now chooses, with the newest
-- recorded contract winning a tie (then the id, so the answer never depends on the plan),
-- and the decision date takes both terms from that one contract.
-- Restated whole from their newest definitions (customer_decision_date 20261204000500,
-- context_financials 20261204000400, apply_confirmed_contract_fields 20261206324000); only
-- the contract's lookup changed.
-- supabase/tests/decision_date/the_contract_in_force_is_one_contract.test.sql.

-- A view, not a function: the planner puts a caller's customer into it (an index scan of
-- that customer's contracts), where a function with its own search_path is called per row
-- and costs the decision date three times as much (measured: 50 000 customers, 1.4 s with
-- the view as with the two lookups before, 6.6–7.1 s through a function).
create view app.contracts_in_force with (security_invoker = true) as
  select distinct on (k.customer_id, k.org_id) k.*
    from app.contracts k
   where k.status = 'active'
   order by k.customer_id, k.org_id, k.end_date desc nulls first, k.start_date desc, k.created_at desc, k.id;
comment on view app.contracts_in_force is
  'Each customer''s contract in force: active, the latest end date first (an open-ended one before all), then the latest start, then the newest recorded, then the id. The one rule for the decision date, the customer context and confirmed terms.';
revoke all on app.contracts_in_force from public, anon;
grant select on app.contracts_in_force to authenticated, service_role;

-- Both terms from the one contract in force (none: the renewal date is the decision date).
create or replace function app.customer_decision_date(customer_id uuid, org_id uuid, renewal_date date)
returns date
language sql
stable
set search_path = ''
as $$
  select app.calculate_decision_date(customer_decision_date.renewal_date, k.auto_renew, k.notice_period_days)
    from (select 1) as one
    left join app.contracts_in_force k
      on k.customer_id = customer_decision_date.customer_id and k.org_id = customer_decision_date.org_id
$$;

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
  select * into k from app.contracts_in_force x where x.customer_id = customer_id and x.org_id = org_id;
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
   where k.id = (select f.id from app.contracts_in_force f where f.customer_id = v_x.customer_id and f.org_id = v_x.org_id)
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
