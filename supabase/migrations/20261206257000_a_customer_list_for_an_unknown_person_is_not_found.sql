-- list_customers filtered by a person who is not of the caller's organisation answers
-- "Person not found" (PT404), as list_tasks' and the queue's person filters do
-- (docs/api-contract.md "Errors").
--
-- What and why: filters.assignee_id of another organisation's person, or of an id that
-- never existed, answered an empty page (200): no leak (both were empty), but not the
-- house rule, and a stale or mistyped id read as "this person has no customers". The id
-- is now looked up among the caller's organisation's people first.
-- Restated whole from its definition of 20261206255000; the lookup is the only change.
-- supabase/tests/list_customers/a_person_filter_of_another_organisation_is_not_found.test.sql.

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
  -- A person who is not of the caller's organisation is not found, as in list_tasks' and
  -- the queue's filters: the same answer for another organisation's id and a random one.
  if v_assignee is not null
     and not exists (select 1 from app.profiles p where p.id = v_assignee and p.org_id = v_org) then
    raise exception 'Person not found' using errcode = 'PT404',
      hint = 'filters.assignee_id must be a person of your organisation (list_team_members).';
  end if;
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
