-- list_customers gains filters and sorts (docs/web-app.md Customers and history),
-- and list_startable_workflows tells the customer page which workflows a person may open.
--
-- What and why:
-- * filters `{plans[], stages[], assignee_id, forecast[]}` and sorts `priority` (renewal
--   urgency of the stored stage, then ARR, the customer-level terms of the priority
--   formula), `arr` (largest first), `renewal` (decision date, soonest first), `health`
--   (weakest first) and `name`, each with its own keyset cursor. The cursor names its sort,
--   so a cursor of another sort is refused instead of skipping rows.
-- * A stage filter becomes decision-date ranges as of the organisation's today (the stage
--   is a function of the decision date), so it can use an index instead of computing the
--   stage of every customer. The forecast filter uses app.customer_forecast_category when
--   the forecast release has created it (checked at call time).
-- * Each sort has an index leading with org_id, so a page is one index range scan after
--   the cursor at any depth of a 100 000-customer organisation; like before, the page's ids
--   are found by a definer helper that plans with the real values (RLS would keep the
--   non-leakproof keyset conditions off the indexes) and filters on the caller's own
--   organisation, and the rows are then read as the caller.

create index if not exists customers_org_id_priority_idx
  on app.customers (org_id, coalesce(app.renewal_stage_urgency(renewal_stage), -1), coalesce(arr, -1), id);
create index if not exists customers_org_id_arr_idx on app.customers (org_id, coalesce(arr, -1), id);
create index if not exists customers_org_id_decision_idx on app.customers (org_id, coalesce(decision_date, 'infinity'::date), id);
create index if not exists customers_org_id_health_idx on app.customers (org_id, coalesce(health_score, 1000), id);

drop function if exists public.list_customers(text, integer, text);

-- One row of a page: the customer and its two sort keys (for the next cursor). A named
-- type rather than OUT columns, which plpgsql_check cannot follow through RETURN QUERY EXECUTE.
create type app.customer_list_row as (id uuid, k1 text, k2 text);

-- The ids of one page: `where_sql` is built by list_customers from fixed fragments and
-- quoted literals only (never caller text); the caller's values travel as parameters.
create or replace function app.customer_list_page(
  sort text, pattern text, exact_external_id text, plans text[], assignee_id uuid,
  where_sql text, after_keys jsonb, max_rows integer
)
returns setof app.customer_list_row
language plpgsql
stable
rows 50
security definer -- RLS would keep LIKE/lower()/keyset conditions off the indexes; the organisation filter is explicit below
set search_path = ''
as $$
declare
  v_org uuid := (select app.current_org_id());
  v_key1 text;
  v_key2 text;
  v_order text;
  v_after text;
begin
  if v_org is null then
    return;
  end if;
  -- Descending sorts walk the ascending index backwards.
  case customer_list_page.sort
    when 'name' then
      v_key1 := 'lower(c.name)'; v_key2 := null;
      v_order := 'lower(c.name), c.id';
      v_after := '(lower(c.name), c.id) > ($7 ->> 0, ($7 ->> 2)::uuid)';
    when 'arr' then
      v_key1 := 'coalesce(c.arr, -1)'; v_key2 := null;
      v_order := 'coalesce(c.arr, -1) desc, c.id desc';
      v_after := '(coalesce(c.arr, -1), c.id) < (($7 ->> 0)::numeric, ($7 ->> 2)::uuid)';
    when 'renewal' then
      v_key1 := 'coalesce(c.decision_date, ''infinity''::date)'; v_key2 := null;
      v_order := 'coalesce(c.decision_date, ''infinity''::date), c.id';
      v_after := '(coalesce(c.decision_date, ''infinity''::date), c.id) > (($7 ->> 0)::date, ($7 ->> 2)::uuid)';
    when 'health' then
      v_key1 := 'coalesce(c.health_score, 1000)'; v_key2 := null;
      v_order := 'coalesce(c.health_score, 1000), c.id';
      v_after := '(coalesce(c.health_score, 1000), c.id) > (($7 ->> 0)::integer, ($7 ->> 2)::uuid)';
    else -- priority
      v_key1 := 'coalesce(app.renewal_stage_urgency(c.renewal_stage), -1)'; v_key2 := 'coalesce(c.arr, -1)';
      v_order := 'coalesce(app.renewal_stage_urgency(c.renewal_stage), -1) desc, coalesce(c.arr, -1) desc, c.id desc';
      -- null urgency (no renewal date) sorts after every stage.
      v_after := '(coalesce(app.renewal_stage_urgency(c.renewal_stage), -1), coalesce(c.arr, -1), c.id) < (($7 ->> 0)::integer, ($7 ->> 1)::numeric, ($7 ->> 2)::uuid)';
  end case;
  return query execute format(
    'select c.id, (%1$s)::text, (%2$s)::text
       from app.customers c
      where c.org_id = $1
        and ($7 is null or %3$s)
        and ($2::text is null or lower(c.name || '' '' || coalesce(c.domain, '''')) like $2 or c.external_id = $3)
        and ($4::text[] is null or c.account_plan = any($4))
        and ($5::uuid is null or c.assigned_to = $5)
        %4$s
      order by %5$s
      limit $6',
    v_key1, coalesce(v_key2, 'null'), v_after, coalesce(customer_list_page.where_sql, ''), v_order)
    using v_org, customer_list_page.pattern, customer_list_page.exact_external_id, customer_list_page.plans,
          customer_list_page.assignee_id, customer_list_page.max_rows, customer_list_page.after_keys;
end;
$$;
comment on function app.customer_list_page(text, text, text, text[], uuid, text, jsonb, integer) is 'Ids and sort keys of one keyset page of the caller''s organisation''s customers (list_customers).';
grant execute on function app.customer_list_page(text, text, text, text[], uuid, text, jsonb, integer) to authenticated;

create or replace function public.list_customers(
  search text default null,
  page_size integer default 50,
  cursor text default null,
  filters jsonb default '{}'::jsonb,
  sort text default 'priority'
)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_org uuid := (select app.current_org_id());
  v_search text := nullif(btrim(list_customers.search), '');
  v_filters jsonb := coalesce(list_customers.filters, '{}'::jsonb);
  v_sort text := coalesce(list_customers.sort, 'priority');
  v_pattern text;
  v_after jsonb;
  v_today date;
  v_plans text[];
  v_stages text[];
  v_forecast text[];
  v_assignee uuid;
  v_where text := '';
  v_ranges text[];
  v_stage text;
  v_items jsonb;
  v_count integer;
  v_next_cursor text;
  v_unknown text;
begin
  if v_org is null then
    raise exception 'Only members of an organisation can list customers' using errcode = '42501';
  end if;
  if list_customers.page_size is null or list_customers.page_size not between 1 and 200 then
    raise exception 'page_size must be between 1 and 200' using errcode = '22023',
      hint = 'Ask for at most 200 customers per page and follow next_cursor.';
  end if;
  if v_search is not null and length(v_search) > 200 then
    raise exception 'search must be at most 200 characters' using errcode = '22023';
  end if;
  if v_sort not in ('priority', 'arr', 'renewal', 'health', 'name') then
    raise exception 'sort must be priority, arr, renewal, health or name' using errcode = '22023';
  end if;
  if jsonb_typeof(v_filters) <> 'object' then
    raise exception 'filters must be a JSON object' using errcode = '22023',
      hint = 'For example {"plans": ["invest"], "stages": ["Critical"], "assignee_id": "…", "forecast": ["at_risk"]}.';
  end if;
  select k into v_unknown from jsonb_object_keys(v_filters) k where k not in ('plans', 'stages', 'assignee_id', 'forecast') limit 1;
  if v_unknown is not null then
    raise exception 'filters has an unknown key "%"', left(v_unknown, 60) using errcode = '22023',
      hint = 'Known keys: plans, stages, assignee_id, forecast.';
  end if;
  v_plans := app.queue_filter_values(v_filters, 'plans', array['expand', 'invest', 'monitor', 'manage']);
  v_stages := app.queue_filter_values(v_filters, 'stages',
    array['Overdue', 'Emergency', 'Critical', 'Signature', 'Finalize', 'Negotiate', 'Engage', 'Prepare', 'Monitor']);
  v_forecast := app.queue_filter_values(v_filters, 'forecast', array['commit', 'probable', 'at_risk', 'churn_expected']);
  if coalesce(cardinality(v_plans), 0) = 0 then v_plans := null; end if;
  if v_filters ? 'assignee_id' and jsonb_typeof(v_filters -> 'assignee_id') <> 'null' then
    begin
      v_assignee := (v_filters ->> 'assignee_id')::uuid;
    exception when others then
      raise exception 'filters.assignee_id must be a person''s id' using errcode = '22023';
    end;
  end if;

  if list_customers.cursor is not null then
    begin
      v_after := convert_from(decode(list_customers.cursor, 'base64'), 'UTF8')::jsonb;
      if jsonb_typeof(v_after) <> 'object' or v_after ->> 's' is distinct from v_sort
         or jsonb_typeof(v_after -> 'k') <> 'array' or jsonb_array_length(v_after -> 'k') <> 3
         or (v_after -> 'k' ->> 2)::uuid is null then
        v_after := null;
      else
        v_after := v_after -> 'k';
      end if;
    exception when others then
      v_after := null;
    end;
    if v_after is null then
      raise exception 'cursor is not valid' using errcode = '22023',
        hint = 'Pass the next_cursor of the previous page (of the same sort) unchanged, or no cursor for the first page.';
    end if;
  end if;
  -- A substring match: the search text is literal, its LIKE wildcards escaped.
  if v_search is not null then
    v_pattern := '%' || replace(replace(replace(lower(v_search), '\', '\\'), '%', '\%'), '_', '\_') || '%';
  end if;

  v_today := app.organisation_today(v_org);

  -- Stages as decision-date ranges (quoted literals only), written on the same expression
  -- as the renewal index so a range is an index condition, not a filter on a long walk.
  if coalesce(cardinality(v_stages), 0) > 0 then
    foreach v_stage in array v_stages loop
      v_ranges := v_ranges || case v_stage
        when 'Overdue' then format('coalesce(c.decision_date, ''infinity''::date) < %L::date', v_today)
        when 'Emergency' then format('coalesce(c.decision_date, ''infinity''::date) between %L::date and %L::date', v_today, v_today + 6)
        when 'Critical' then format('coalesce(c.decision_date, ''infinity''::date) between %L::date and %L::date', v_today + 7, v_today + 13)
        when 'Signature' then format('coalesce(c.decision_date, ''infinity''::date) between %L::date and %L::date', v_today + 14, v_today + 29)
        when 'Finalize' then format('coalesce(c.decision_date, ''infinity''::date) between %L::date and %L::date', v_today + 30, v_today + 59)
        when 'Negotiate' then format('coalesce(c.decision_date, ''infinity''::date) between %L::date and %L::date', v_today + 60, v_today + 89)
        when 'Engage' then format('coalesce(c.decision_date, ''infinity''::date) between %L::date and %L::date', v_today + 90, v_today + 119)
        when 'Prepare' then format('coalesce(c.decision_date, ''infinity''::date) between %L::date and %L::date', v_today + 120, v_today + 179)
        else format('(coalesce(c.decision_date, ''infinity''::date) >= %L::date and c.decision_date is not null)', v_today + 180)
      end;
    end loop;
    v_where := v_where || ' and (' || array_to_string(v_ranges, ' or ') || ')';
  end if;
  if coalesce(cardinality(v_forecast), 0) > 0 then
    if to_regprocedure('app.customer_forecast_category(uuid, uuid)') is null then
      raise exception 'The forecast filter is not available yet' using errcode = '22023',
        hint = 'Leave filters.forecast out.';
    end if;
    v_where := v_where || format(' and app.customer_forecast_category(c.org_id, c.id) = any(%L::text[])', v_forecast);
  end if;

  with page as (
    select c.id, c.external_id, c.name, c.domain, c.industry, c.arr, c.health_score, c.risk_score,
           c.opportunity_score, c.account_plan, c.renewal_date, c.decision_date, c.assigned_to, ids.k1, ids.k2, ids.n
      from app.customer_list_page(v_sort, v_pattern, v_search, v_plans, v_assignee, nullif(v_where, ''), v_after,
                                  list_customers.page_size + 1) with ordinality ids(id, k1, k2, n)
      -- One primary-key lookup per id (never a scan of the organisation).
      cross join lateral (select * from app.customers c where c.id = ids.id) c
  )
  select coalesce(jsonb_agg(jsonb_build_object(
           'id', n.id,
           'external_id', n.external_id,
           'name', n.name,
           'domain', n.domain,
           'industry', n.industry,
           'arr', n.arr,
           'health_score', n.health_score,
           'risk_score', n.risk_score,
           'opportunity_score', n.opportunity_score,
           'account_plan', n.account_plan,
           'renewal_date', n.renewal_date,
           'days_until_renewal', n.renewal_date - v_today,
           'decision_date', n.decision_date,
           'days_until_decision', n.decision_date - v_today,
           'renewal_stage', app.calculate_renewal_stage(n.decision_date, v_today),
           'assigned_to', n.assigned_to,
           'assignee', case when p.id is null then null
                            else jsonb_build_object('id', p.id, 'full_name', p.full_name, 'email', p.email) end
         ) order by n.n) filter (where n.n <= list_customers.page_size), '[]'::jsonb),
         count(*),
         max(translate(encode(convert_to(jsonb_build_object('s', v_sort, 'k', jsonb_build_array(n.k1, n.k2, n.id))::text, 'UTF8'), 'base64'), E'\n', ''))
           filter (where n.n = list_customers.page_size)
    into v_items, v_count, v_next_cursor
    from page n
    left join app.profiles p on p.id = n.assigned_to and p.org_id = v_org;

  -- A next page exists only when one more row than asked for was found.
  if v_count <= list_customers.page_size then
    v_next_cursor := null;
  end if;

  return jsonb_build_object('items', v_items, 'next_cursor', v_next_cursor, 'sort', v_sort);
end;
$$;
comment on function public.list_customers(text, integer, text, jsonb, text) is 'The organisation''s customers with plan, stage, decision date, health, ARR and assignee; search, filters {plans, stages, assignee_id, forecast}, sorts priority/arr/renewal/health/name, keyset pagination.';
revoke execute on function public.list_customers(text, integer, text, jsonb, text) from public, anon;
grant execute on function public.list_customers(text, integer, text, jsonb, text) to authenticated;

-- The manual workflows a person may open for a customer, with the open one if any.
create or replace function public.list_startable_workflows(customer_id uuid)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_org uuid := app.current_org_id();
begin
  if v_org is null then
    raise exception 'Only members of an organisation can open workflows' using errcode = '42501';
  end if;
  if list_startable_workflows.customer_id is null
     or not exists (select 1 from app.customers c where c.id = list_startable_workflows.customer_id and c.org_id = v_org) then
    raise exception 'Customer not found' using errcode = 'PT404',
      hint = 'Check the id; you can only see customers of your own organisation.';
  end if;
  return coalesce((
    select jsonb_agg(jsonb_build_object(
             'key', w.key, 'name', w.name, 'workflow_type', w.workflow_type, 'total_steps', w.total_steps,
             'open_execution_id', (select x.id from app.workflow_executions x
                                    where x.customer_id = list_startable_workflows.customer_id and x.org_id = v_org
                                      and x.workflow_id = w.workflow_id and app.is_open_status(x.status) limit 1))
           order by w.name)
      from app.effective_workflows(v_org) w
     where w.trigger_config ->> 'kind' = 'manual'), '[]'::jsonb);
end;
$$;
comment on function public.list_startable_workflows(uuid) is 'The manual workflows of the organisation that can be opened for a customer, each with the id of its open execution if one is open.';
revoke execute on function public.list_startable_workflows(uuid) from public, anon;
grant execute on function public.list_startable_workflows(uuid) to authenticated;
