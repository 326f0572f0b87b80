-- The forecast's kept row for a customer follows its renewal, not the execution that
-- carries it (issue 18 "orchestrator proportional to change"; docs/revenue.md).
--
-- What and why: app.forecast_open_renewals kept the id of the customer's open renewal
-- execution. Every time the orchestrator re-created that execution (a stage moved on, a
-- full rebuild) the row was rewritten although nothing the forecast counts had changed:
-- 283 000 rewrites in a 300k rebuild (~8 s of its 79 s), 5 700 in a daily run. The id
-- is now looked up when a page of items is read (at most a page of probes on
-- workflow_executions_open_renewal_idx); the kept row changes only when what it counts
-- does (renewal date, name, assignee, category, ARRs).
--
-- "A customer's newest open renewal" is one function, app.newest_open_renewals, read by
-- the kept rows (its assignee) and by the page (its id).

alter table app.forecast_open_renewals drop column execution_id;

-- The newest open renewal execution of each given customer (customers without one are
-- left out): its id and assignee. One call per statement, a probe per customer on
-- workflow_executions_open_renewal_idx.
create or replace function app.newest_open_renewals(customer_ids uuid[])
returns table (customer_id uuid, execution_id uuid, assigned_to uuid)
language sql
stable
set search_path = ''
as $$
  select c.id, r.id, r.assigned_to
    from (select distinct x.id from unnest(newest_open_renewals.customer_ids) as x(id)) ids
    join app.customers c on c.id = ids.id
    join lateral (
      select e.id, e.assigned_to
        from app.workflow_executions e
       where e.org_id = c.org_id and e.customer_id = c.id
         and e.status in ('queued', 'in_progress', 'snoozed', 'escalated') and e.renewal_stage is not null
       order by e.created_at desc, e.id desc
       limit 1) r on true
$$;
comment on function app.newest_open_renewals(uuid[]) is
  'The newest open renewal execution (id, assignee) of each given customer: what the forecast counts and links to.';
revoke execute on function app.newest_open_renewals(uuid[]) from public, anon, authenticated;

-- What the forecast counts for each given customer, from the base tables: its newest open
-- renewal's assignee, its renewal date and month, the category a person set for
-- that renewal date, else the derived one (app.derive_forecast_category inlined; a pgTAP
-- test pins that they agree), and the ARRs.
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
    from app.newest_open_renewals(forecast_wanted_rows.customer_ids) r
    join app.customers c on c.id = r.customer_id
    left join app.renewal_forecasts f
      on f.customer_id = c.id and f.org_id = c.org_id and f.renewal_date = c.renewal_date
   where c.renewal_date is not null
$$;
revoke execute on function app.forecast_wanted_rows(uuid[]) from public, anon, authenticated;

-- Brings forecast_open_renewals in line for the given customers (rows that did not change
-- are left alone, so their totals are not touched).
create or replace function app.forecast_refresh_customers(customer_ids uuid[])
returns void
language plpgsql
security definer
set search_path = ''
as $$
begin
  if customer_ids is null or cardinality(customer_ids) = 0 then
    return;
  end if;
  with ids as materialized (
    select distinct x.id from unnest(forecast_refresh_customers.customer_ids) as x(id)
  ), wanted as materialized (
    select * from app.forecast_wanted_rows(forecast_refresh_customers.customer_ids)
  ), gone as (
    delete from app.forecast_open_renewals k
     using ids
     where k.customer_id = ids.id
       and not exists (select 1 from wanted w where w.customer_id = k.customer_id and w.org_id = k.org_id)
  ), changed as (
    -- only the rows that are new or differ: ON CONFLICT locks (and so writes) every row it
    -- meets, even one its WHERE then leaves alone (283 000 in a 300k full run, ~3 s)
    select w.* from wanted w
    except
    select k.* from app.forecast_open_renewals k join ids on k.customer_id = ids.id
  )
  insert into app.forecast_open_renewals as k
  select c.* from changed c order by c.customer_id
  on conflict on constraint forecast_open_renewals_pkey do update
     set renewal_date = excluded.renewal_date, name = excluded.name, assigned_to = excluded.assigned_to, category = excluded.category, category_source = excluded.category_source,
         current_arr = excluded.current_arr, forecast_arr = excluded.forecast_arr
   where (k.renewal_date, k.name, k.assigned_to, k.category, k.category_source, k.current_arr, k.forecast_arr)
         is distinct from (excluded.renewal_date, excluded.name, excluded.assigned_to,
                           excluded.category, excluded.category_source, excluded.current_arr, excluded.forecast_arr);
end;
$$;
revoke execute on function app.forecast_refresh_customers(uuid[]) from public, anon, authenticated;

-- One page of the period's renewals in the page's order (renewal date, name, customer id),
-- after the keys of the previous page: the open ones (from an index in that order) under
-- their forecast category with the execution of their renewal, the closed ones under
-- their outcome.
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
        -- the open renewal behind each of the page's items (a probe each, at most a page)
        join app.newest_open_renewals(array(select o.customer_id from open_page o)) r on r.customer_id = k.customer_id
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
