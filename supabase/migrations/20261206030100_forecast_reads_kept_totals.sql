-- get_renewal_forecast reads the kept totals (20261206030000_forecast_kept_totals.sql):
-- whole months of the period from app.forecast_month_totals (or app.forecast_book_totals
-- for one assignee), the days of a month the period only partly covers from the kept
-- renewals, and the items behind a number as the first max_items of an index in the
-- page's order (renewal date, name) — so a whole-organisation quarter no longer joins
-- every renewal of the quarter. Same result as before, plus keyset pages: `after` (the
-- `next_after` of the previous answer: renewal date, name, customer id of its last item)
-- continues the items where the last page stopped.
--
-- The reads run in app.renewal_forecast_of_my_org, security definer: every read there is
-- filtered on the caller's own organisation (app.current_org_id(), checked first), which
-- members may read anyway; under RLS each table's policy evaluated app.current_org_id()
-- again (up to 8 ms each on a busy machine). It takes no organisation argument, so it can
-- only ever read the caller's. The API function stays security invoker, like every
-- function in public (definer rights live only in app).
drop function public.get_renewal_forecast(date, date, uuid, text, integer, date);
create function app.renewal_forecast_of_my_org(
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
  v_full_start date;  -- [v_full_start, v_full_end): the whole months of the period
  v_full_end date;
  v_items_start date;
  v_items_end date;
  v_after_date date;
  v_after_name text;
  v_after_id uuid;
  v_result jsonb;
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

  if renewal_forecast_of_my_org.after is not null then
    begin
      v_after_date := (renewal_forecast_of_my_org.after ->> 'renewal_date')::date;
      v_after_name := renewal_forecast_of_my_org.after ->> 'name';
      v_after_id := (renewal_forecast_of_my_org.after ->> 'customer_id')::uuid;
    exception when others then
      v_after_date := null;
    end;
    if v_after_date is null or v_after_name is null or v_after_id is null then
      raise exception 'after must be the next_after of a previous answer' using errcode = '22023',
        hint = 'Pass {"renewal_date", "name", "customer_id"} of the last item you have.';
    end if;
  end if;

  v_full_start := (date_trunc('month', v_start - 1) + interval '1 month')::date;
  v_full_end := date_trunc('month', v_end)::date;
  if v_full_end <= v_full_start then
    v_full_start := v_end;  -- no whole month: every day is counted from the renewals
    v_full_end := v_end;
  end if;
  v_items_start := greatest(v_start, coalesce(v_month, v_start));
  v_items_end := least(v_end, coalesce((v_month + interval '1 month')::date, v_end));

  with counted as materialized (
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
       and (v_who is null or o.assigned_to = v_who)
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
  ), open_page as (
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
  select jsonb_build_object(
    'period_start', v_start,
    'period_end', v_end,
    'assignee_id', v_who,
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
    -- The items' count comes from the same totals (category and month narrow it).
    -- Where the next page starts (null on the last page).
    'next_after', (select case when count(*) = v_max and v_max > 0 then
                              (array_agg(jsonb_build_object('renewal_date', p.renewal_date, 'name', p.name, 'customer_id', p.customer_id)
                                         order by p.renewal_date desc, p.name desc, p.customer_id desc))[1] end
                     from page p),
    'items_total', (select coalesce(sum(a.renewals), 0)::integer from counted a
                     where (v_category is null or a.category = v_category)
                       and (v_month is null or a.month = v_month)),
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
revoke execute on function app.renewal_forecast_of_my_org(date, date, uuid, text, integer, date, jsonb) from public, anon;
grant execute on function app.renewal_forecast_of_my_org(date, date, uuid, text, integer, date, jsonb) to authenticated;

create function public.get_renewal_forecast(
  period_start date,
  period_end date,
  assignee_id uuid default null,
  category text default null,
  max_items integer default 200,
  month date default null,
  after jsonb default null
)
returns jsonb
language sql
stable
security invoker
set search_path = ''
as $$
  select app.renewal_forecast_of_my_org(period_start, period_end, assignee_id, category, max_items, month, after);
$$;
comment on function public.get_renewal_forecast(date, date, uuid, text, integer, date, jsonb) is
  'Renewals with a renewal date in [period_start, period_end): totals by forecast category / outcome (count, current ARR, forecast ARR), by month, and the items, a keyset page at a time (read from totals kept by triggers).';
revoke execute on function public.get_renewal_forecast(date, date, uuid, text, integer, date, jsonb) from public, anon;
grant execute on function public.get_renewal_forecast(date, date, uuid, text, integer, date, jsonb) to authenticated;
