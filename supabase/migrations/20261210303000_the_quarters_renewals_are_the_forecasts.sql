-- "This quarter's renewals" is one rule, the forecast's, read by the Team page and the Forecast
-- page alike (docs/forecast-and-retention.md "A renewal and its category").
--
-- What and why: the Team page counted every customer whose renewal date fell in the quarter
-- (so an overdue renewal nobody works was in, and one closed with an outcome — its renewal date
-- moved a year on — was out), while the Forecast page counted customers with an open renewal
-- workflow plus recorded outcomes (the overdue one nobody works was out): $990K / 9 renewals
-- against $930K / 8 for the same quarter. The domain's rule (docs: "Every open renewal has a
-- forecast category … a closed renewal records its outcome"): a renewal is open until its
-- outcome is recorded, worked or not. So:
-- - app.forecast_wanted_rows keeps a row for every customer with a renewal date, its assignee
--   the holder of its open renewal workflow, or nobody when none is open (30 days past its
--   decision the orchestrator opens none); the kept totals follow by their triggers, and every
--   customer's row is brought in line here once;
-- - app.forecast_page_rows lists such a renewal with no execution (nothing to set a category or
--   record an outcome on until someone opens a workflow);
-- - app.team_renewals_of_quarter takes its count and ARR from app.forecast_figures — the
--   function get_renewal_forecast answers its totals from — for the quarter, and lists the
--   quarter's open renewals from the forecast's own rows.
-- Restated whole from 20261204193000 (forecast_wanted_rows, forecast_page_rows) and
-- 20261207501000 (team_renewals_of_quarter, whose list, overdue figures and items are unchanged).
-- supabase/tests/get_team_overview/the_quarters_renewals_are_the_forecasts.test.sql.

create or replace function app.forecast_wanted_rows(customer_ids uuid[])
returns setof app.forecast_open_renewals
language sql
stable
set search_path = ''
as $$
  select c.org_id, c.id, c.renewal_date, c.name, r.assigned_to,
         coalesce(f.category, case when c.health_score < 50 or c.risk_score >= 60 then 'at_risk' else 'probable' end),
         case when f.category is null then 'derived' else 'person' end,
         coalesce(c.arr, 0), coalesce(f.forecast_arr, c.arr, 0)
    from (select distinct x.id from unnest(forecast_wanted_rows.customer_ids) as x(id)) ids
    join app.customers c on c.id = ids.id
    -- who holds its open renewal workflow; nobody when there is none (30 days past its
    -- decision the orchestrator opens none): the renewal is still open until an outcome
    left join app.newest_open_renewals(forecast_wanted_rows.customer_ids) r on r.customer_id = c.id
    left join app.renewal_forecasts f
      on f.customer_id = c.id and f.org_id = c.org_id and f.renewal_date = c.renewal_date
   where c.renewal_date is not null
$$;


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
             r.execution_id, k.assigned_to, c.decision_date, k.category_source, f.note, f.set_by, f.set_at,
             c.health_score, c.risk_score, c.account_plan, null::text as forecast_category, null::numeric as forecast_arr_at_close
        from open_page k
        join app.customers c on c.id = k.customer_id
        -- the open renewal workflow behind each of the page's items (a probe each, at most a page);
        -- none for a renewal nobody works (no category change or outcome until one is opened)
        left join app.newest_open_renewals(array(select o.customer_id from open_page o)) r on r.customer_id = k.customer_id
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


create or replace function app.team_renewals_of_quarter(org_id uuid, today date, quarter_start date, quarter_end date)
returns jsonb
language sql
stable
set search_path = ''
as $$
  -- The quarter's renewals are the forecast's (app.forecast_figures, what get_renewal_forecast
  -- answers for the quarter): every open renewal — a customer renewing in the quarter, worked or
  -- not — and every renewal closed with an outcome. The count and ARR (today's; a closed one's
  -- before it closed) are its totals; the list shows the open ones, soonest decision first.
  with figures as (
    select app.forecast_figures(team_renewals_of_quarter.org_id, null, team_renewals_of_quarter.quarter_start,
                                team_renewals_of_quarter.quarter_end + 1, null, null) -> 'totals' as totals
  ), renewals as (
    select c.id, c.name, c.arr, c.health_score, c.renewal_date, c.decision_date,
           app.calculate_renewal_stage(c.decision_date, team_renewals_of_quarter.today) as renewal_stage, c.assigned_to,
           coalesce(c.decision_date, c.renewal_date) - team_renewals_of_quarter.today as days_until_decision,
           row_number() over (order by coalesce(c.decision_date, c.renewal_date), c.id) as n
      from app.forecast_open_renewals k
      join app.customers c on c.id = k.customer_id and c.org_id = k.org_id
     where k.org_id = team_renewals_of_quarter.org_id
       and k.renewal_date >= team_renewals_of_quarter.quarter_start and k.renewal_date <= team_renewals_of_quarter.quarter_end
  ), with_work as (
    -- the renewals listed (the first 100) and every overdue one, each with its open renewal workflow
    select r.*,
           (select x.id from app.workflow_executions x
             where x.customer_id = r.id and x.org_id = team_renewals_of_quarter.org_id
               and x.renewal_stage is not null
               and x.status in ('queued', 'in_progress', 'snoozed', 'escalated')
             order by x.created_at desc limit 1) as execution_id
      from renewals r
     where r.n <= 100 or r.days_until_decision < 0
  )
  select jsonb_build_object(
    'count', (select (f.totals ->> 'count')::integer from figures f),
    'arr', (select (f.totals ->> 'current_arr')::numeric from figures f),
    'closed', (select (f.totals -> 'closed' ->> 'count')::integer from figures f),
    -- overdue as the list shows it (its days until decision below zero), and how many of
    -- those have no open renewal workflow: 30 days past its decision a renewal leaves the
    -- queues (the orchestrator's cutoff), so nobody is working it unless someone opens one
    'overdue', (select count(*)::integer from renewals r where r.days_until_decision < 0),
    'overdue_without_work', (select count(*)::integer from with_work w
                              where w.days_until_decision < 0 and w.execution_id is null),
    'items', coalesce((
      select jsonb_agg(jsonb_build_object(
               'customer_id', w.id, 'name', w.name, 'arr', w.arr, 'health_score', w.health_score,
               'renewal_date', w.renewal_date, 'decision_date', w.decision_date, 'renewal_stage', w.renewal_stage,
               'days_until_decision', w.days_until_decision,
               'assignee_id', w.assigned_to, 'assignee_name', p.full_name,
               'execution_id', w.execution_id)
             order by w.n)
        from with_work w left join app.profiles p on p.id = w.assigned_to
       where w.n <= 100), '[]'::jsonb))
$$;

revoke execute on function app.team_renewals_of_quarter(uuid, date, date, date) from public, anon;
grant execute on function app.team_renewals_of_quarter(uuid, date, date, date) to authenticated, service_role;

-- get_team_overview runs as its caller: the forecast's figures are read as the caller, whom
-- row-level security on the kept tables (forecast_month_totals, forecast_open_renewals,
-- renewal_outcomes) confines to their own organisation, whatever org_id is passed.
grant execute on function app.forecast_figures(uuid, uuid, date, date, text, date) to authenticated;
grant execute on function app.forecast_counted(uuid, uuid, date, date, date, date) to authenticated;

-- A new customer's renewal is an open renewal from the start (before, it had a row only once
-- the orchestrator opened its workflow): its row is made with the customer.
create function app.customers_inserted_refresh_forecast()
returns trigger
language plpgsql
security definer -- keeps the forecast's rows, which people cannot write, for whoever adds customers
set search_path = ''
as $$
begin
  perform app.forecast_refresh_customers(array(select n.id from new_rows n where n.renewal_date is not null));
  return null;
end;
$$;
revoke execute on function app.customers_inserted_refresh_forecast() from public, anon, authenticated;

create trigger customers_refresh_forecast_on_insert
  after insert on app.customers
  referencing new table as new_rows
  for each statement
  execute function app.customers_inserted_refresh_forecast();

-- Every customer's row as the rule above now says (a renewal nobody works gets its row).
select app.forecast_refresh_customers(array(select c.id from app.customers c where c.renewal_date is not null));
