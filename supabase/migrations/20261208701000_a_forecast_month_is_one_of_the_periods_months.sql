-- get_renewal_forecast's `month` is the first day of one of the period's months; another
-- date is 22023 naming month and the months it may be (docs/forecast-and-retention.md
-- "Reading the forecast", docs/api-contract.md "Errors").
--
-- What and why: `month` narrows the items to one month of the period, the months `by_month`
-- lists. A month outside the period (2027-05-01 for 2027-01-01 to 2027-04-01) answered the
-- totals with no items, and a day that is not a month's first (2027-02-15) was read as its
-- month, so a caller's mistake read as "no renewals then". Now either is refused before
-- anything is read: "month must be the first day of a month of the period: 2027-01-01
-- through 2027-03-01, not 2027-05-01". A period that starts or ends mid-month has its partly covered months too,
-- as by_month does.
--
-- app.require_month_of_period is new; app.renewal_forecast_of_my_org is restated whole
-- from 20261206248000, the month check being the only change.
-- supabase/tests/get_renewal_forecast/a_month_is_one_of_the_periods_months.test.sql.

-- Refuses a month that is not the first day of one of [period_start, period_end)'s months.
create or replace function app.require_month_of_period(month date, period_start date, period_end date)
returns void
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_first date := date_trunc('month', period_start)::date;
  v_last date := date_trunc('month', period_end - 1)::date;
begin
  if month is null or period_start is null or period_end is null or period_end <= period_start then
    return; -- no month asked for, or a period the caller refuses itself
  end if;
  if extract(day from month) <> 1 or month < v_first or month > v_last then
    raise exception 'month must be the first day of a month of the period: %, not %',
      case when v_first = v_last then to_char(v_first, 'YYYY-MM-DD')
           else to_char(v_first, 'YYYY-MM-DD') || ' through ' || to_char(v_last, 'YYYY-MM-DD') end,
      to_char(month, 'YYYY-MM-DD')
      using errcode = '22023', hint = 'Pass a month that by_month lists, or leave month out for the whole period.';
  end if;
end;
$$;
comment on function app.require_month_of_period(date, date, date) is
  'Refuses (22023, naming month) a month that is not the first day of one of the months of [period_start, period_end).';
revoke execute on function app.require_month_of_period(date, date, date) from public, anon;
grant execute on function app.require_month_of_period(date, date, date) to authenticated, service_role;

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
  v_month date := renewal_forecast_of_my_org.month;
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
  -- A person who is not of the caller's organisation is not found, as in the other lists'
  -- person filters: the same answer for another organisation's id and a random one.
  if v_who is not null and not exists (select 1 from app.profiles p where p.id = v_who and p.org_id = v_org) then
    raise exception 'Person not found' using errcode = 'PT404',
      hint = 'assignee_id must be a person of your organisation (list_team_members).';
  end if;
  perform app.require_month_of_period(v_month, v_start, v_end);
  a := app.forecast_after_keys(renewal_forecast_of_my_org.after);

  return jsonb_build_object('period_start', v_start, 'period_end', v_end, 'assignee_id', v_who)
      || app.forecast_figures(v_org, v_who, v_start, v_end, v_category, v_month)
      || app.forecast_items(v_org, v_who,
           greatest(v_start, coalesce(v_month, v_start)),                               -- the items' days:
           least(v_end, coalesce((v_month + interval '1 month')::date, v_end)),         -- the period, or its month
           v_category, a.renewal_date, a.name, a.customer_id, v_max);
end;
$$;
