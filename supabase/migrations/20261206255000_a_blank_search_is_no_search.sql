-- A search of only whitespace or invisible characters is no search (docs/business-rules.md
-- "Required text": optional text that is blank means none).
--
-- What and why: list_customers' search and the queue's filters.search were trimmed with
-- btrim(), which strips spaces only. A search of a zero-width space (U+200B), a tab or a
-- no-break space — what a paste from a document or a chat often carries — was looked for
-- as it was: an empty page where the person expected their whole book, as with a search of
-- spaces. The search is now trimmed by app.trimmed (the blank-text rule of migration
-- 20261206226000): a blank one lists as no search, and a search with invisible characters
-- around it looks for what is visible ("acme\u200b" finds Acme).
-- Functions restated whole from their latest definitions (list_customers 20261204000300,
-- app.queue_filter_of 20261204000500); the trim is the only change.
-- supabase/tests/optional_text/a_blank_search_is_no_search.test.sql.

create or replace function app.queue_filter_of(filters jsonb)
returns app.queue_filter
language plpgsql
stable
set search_path = ''
as $$
declare
  v jsonb := coalesce(queue_filter_of.filters, '{}'::jsonb);
  f app.queue_filter;
  v_unknown text;
  v_search text;
begin
  if jsonb_typeof(v) <> 'object' then
    raise exception 'filters must be a JSON object' using errcode = '22023',
      hint = 'For example {"lanes": ["now"], "search": "acme"}; {} for no filter.';
  end if;
  if v = '{}'::jsonb then
    return null; -- the usual call: nothing to check (the checks below cost ~0.1 ms)
  end if;
  select k into v_unknown from jsonb_object_keys(v) k where k not in ('types', 'stages', 'plans', 'lanes', 'search') limit 1;
  if v_unknown is not null then
    raise exception 'filters has an unknown key "%"', left(v_unknown, 60) using errcode = '22023',
      hint = 'Known keys: types, stages, plans, lanes, search.';
  end if;
  select array_agg(app.workflow_type_rank(x)::smallint) into f.types
    from unnest(app.queue_filter_values(v, 'types', app.lookup_keys('workflow_type'))) x;
  f.stages := app.queue_filter_values(v, 'stages',
    array['Overdue', 'Emergency', 'Critical', 'Signature', 'Finalize', 'Negotiate', 'Engage', 'Prepare', 'Monitor']);
  f.plans := app.queue_filter_values(v, 'plans', array['expand', 'invest', 'manage', 'monitor']);
  select array_agg(case x when 'now' then 1 when 'soon' then 2 else 3 end)::smallint[] into f.lanes
    from unnest(app.queue_filter_values(v, 'lanes', array['now', 'soon', 'planned'])) x;
  if v ? 'search' and v -> 'search' <> 'null'::jsonb then
    if jsonb_typeof(v -> 'search') <> 'string' then
      raise exception 'filters.search must be a string' using errcode = '22023',
        hint = 'A part of the customer''s name or domain, e.g. {"search": "acme"}.';
    end if;
    v_search := coalesce(app.trimmed(v ->> 'search'), '');
    if length(v_search) > 200 then
      raise exception 'filters.search is longer than 200 characters' using errcode = '22023',
        hint = 'Search by a part of the customer''s name or domain.';
    end if;
    if v_search <> '' then
      -- Case-insensitive substring of the name or the domain; %, _ and \ match themselves.
      f.pattern := '%' || replace(replace(replace(lower(v_search), '\', '\\'), '%', '\%'), '_', '\_') || '%';
    end if;
  end if;
  if f.types is null and f.stages is null and f.plans is null and f.lanes is null and f.pattern is null then
    return null;
  end if;
  return f;
end;
$$;

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
  v_search text := app.trimmed(list_customers.search);
  v_sort text := coalesce(list_customers.sort, 'priority');
  v_pattern text;
  v_after jsonb;
  v_today date;
  f record;  -- the filters: plans, stages, forecast, assignee_id
  v_plans text[];
  v_assignee uuid;
  v_where text;
  v_items jsonb;
  v_count integer;
  v_next_cursor text;
begin
  if v_org is null then
    raise exception 'Only members of an organisation can list customers' using errcode = '42501';
  end if;
  perform app.check_page_size(list_customers.page_size, 200, 'Ask for at most 200 customers per page and follow next_cursor.');
  if v_search is not null and length(v_search) > 200 then
    raise exception 'search must be at most 200 characters' using errcode = '22023';
  end if;
  if v_sort not in ('priority', 'arr', 'renewal', 'health', 'name') then
    raise exception 'sort must be priority, arr, renewal, health or name' using errcode = '22023';
  end if;
  f := app.customer_list_filters(coalesce(list_customers.filters, '{}'::jsonb));
  v_plans := f.plans;
  v_assignee := f.assignee_id;
  v_after := app.customer_list_cursor(list_customers.cursor, v_sort);
  -- A substring match: the search text is literal, its LIKE wildcards escaped.
  if v_search is not null then
    v_pattern := '%' || replace(replace(replace(lower(v_search), '\', '\\'), '%', '\%'), '_', '\_') || '%';
  end if;
  v_today := app.organisation_today(v_org);
  v_where := app.customer_list_conditions(f.stages, f.forecast, v_today);

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
