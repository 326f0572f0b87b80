-- public.list_customers(search, page_size, cursor): the organisation's customers by name,
-- keyset-paginated, optionally filtered by a search text (api.md "Customers").
--
-- Why keyset: a page is an index range scan on (org_id, lower(name), id) starting after
-- the cursor, so page 400 of 100 000 customers costs what page 1 costs (no offset). The
-- cursor is opaque (base64 of the last row's sort key). Search matches a substring of the
-- name or domain, case-insensitively, or an exact external id; a trigram index serves
-- rare substrings that a walk along the name index would have to search far for.
-- Stage and days until renewal are computed as of today in the organisation's time zone.
--
-- Why a definer helper finds the page: under row-level security Postgres may not use an
-- index for a condition whose functions are not leakproof (LIKE, lower(), the keyset row
-- comparison), so as the caller every search and every deep page would scan the whole
-- organisation. app.customer_page runs as the owner, filters on the caller's own
-- organisation itself, and plans each call with its real values (a rare search text takes
-- the trigram index, a common one walks the name index). list_customers then reads the
-- rows of that page as the caller, with RLS, so nothing it returns bypasses the policies.

create extension if not exists pg_trgm with schema extensions;

create index if not exists customers_search_trgm_idx
  on app.customers using gin ((lower(name || ' ' || coalesce(domain, ''))) extensions.gin_trgm_ops);

-- The ids of one page of the caller's organisation's customers, in (lower(name), id) order.
create or replace function app.customer_page(
  pattern text, exact_external_id text, after_name text, after_id uuid, max_rows integer
)
returns table (id uuid, sort_name text)
language plpgsql
stable
rows 50
security definer -- RLS would keep LIKE/lower()/keyset conditions off the indexes; the organisation filter is explicit below
set search_path = ''
as $$
declare
  v_org uuid := (select app.current_org_id());
begin
  if v_org is null then
    return;
  end if;
  -- EXECUTE plans with the actual values: the planner sees how selective the pattern is.
  return query execute
    'select c.id, lower(c.name)
       from app.customers c
      where c.org_id = $1
        and ($4::uuid is null or (lower(c.name), c.id) > ($3, $4))
        and ($2::text is null or lower(c.name || '' '' || coalesce(c.domain, '''')) like $2 or c.external_id = $5)
      order by lower(c.name), c.id
      limit $6'
    using v_org, customer_page.pattern, customer_page.after_name, customer_page.after_id,
          customer_page.exact_external_id, customer_page.max_rows;
end;
$$;
comment on function app.customer_page(text, text, text, uuid, integer) is 'Ids of one keyset page of the caller''s organisation''s customers (list_customers), optionally filtered by a LIKE pattern or exact external id.';
grant execute on function app.customer_page(text, text, text, uuid, integer) to authenticated;

create or replace function public.list_customers(search text default null, page_size integer default 50, cursor text default null)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_org uuid := (select app.current_org_id());
  v_search text := nullif(btrim(list_customers.search), '');
  v_pattern text;
  v_after_name text;
  v_after_id uuid;
  v_today date;
  v_items jsonb;
  v_count integer;
  v_next_cursor text;
begin
  if list_customers.page_size is null or list_customers.page_size not between 1 and 200 then
    raise exception 'page_size must be between 1 and 200' using errcode = '22023',
      hint = 'Ask for at most 200 customers per page and follow next_cursor.';
  end if;
  if v_search is not null and length(v_search) > 200 then
    raise exception 'search must be at most 200 characters' using errcode = '22023';
  end if;
  if list_customers.cursor is not null then
    begin
      select c ->> 0, (c ->> 1)::uuid
        into v_after_name, v_after_id
        from (select convert_from(decode(list_customers.cursor, 'base64'), 'UTF8')::jsonb as c) d
       where jsonb_typeof(d.c) = 'array' and jsonb_array_length(d.c) = 2;
    exception when others then
      v_after_id := null;
    end;
    if v_after_name is null or v_after_id is null then
      raise exception 'cursor is not valid' using errcode = '22023',
        hint = 'Pass the next_cursor of the previous page unchanged, or no cursor for the first page.';
    end if;
  end if;
  -- A substring match: the search text is literal, its LIKE wildcards escaped.
  if v_search is not null then
    v_pattern := '%' || replace(replace(replace(lower(v_search), '\', '\\'), '%', '\%'), '_', '\_') || '%';
  end if;

  v_today := app.organisation_today(v_org);

  with page as (
    select c.id, c.external_id, c.name, c.domain, c.industry, c.arr, c.health_score, c.risk_score,
           c.opportunity_score, c.account_plan, c.renewal_date, c.assigned_to, ids.sort_name
      from app.customer_page(v_pattern, v_search, v_after_name, v_after_id, list_customers.page_size + 1) ids
      -- One primary-key lookup per id (never a scan of the organisation).
      cross join lateral (select * from app.customers c where c.id = ids.id) c
  ),
  numbered as (
    select p.*, row_number() over (order by p.sort_name, p.id) as n from page p
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
           'renewal_stage', app.calculate_renewal_stage(n.renewal_date, v_today),
           'assigned_to', n.assigned_to,
           'assignee', case when p.id is null then null
                            else jsonb_build_object('id', p.id, 'full_name', p.full_name, 'email', p.email) end
         ) order by n.n) filter (where n.n <= list_customers.page_size), '[]'::jsonb),
         count(*)
    into v_items, v_count
    from numbered n
    left join app.profiles p on p.id = n.assigned_to and p.org_id = v_org;

  -- A next page exists only when one more row than asked for was found; its cursor is
  -- the sort key of the last row shown.
  if v_count > list_customers.page_size then
    select translate(encode(convert_to(jsonb_build_array(lower(t.x ->> 'name'), t.x ->> 'id')::text, 'UTF8'), 'base64'), E'\n', '')
      into v_next_cursor
      from jsonb_array_elements(v_items) with ordinality as t(x, i)
     order by t.i desc
     limit 1;
  end if;

  return jsonb_build_object('items', v_items, 'next_cursor', v_next_cursor);
end;
$$;
comment on function public.list_customers(text, integer, text) is 'The organisation''s customers by name with plan, stage, days until renewal, health, ARR and assignee; search and keyset pagination.';
revoke execute on function public.list_customers(text, integer, text) from public, anon;
grant execute on function public.list_customers(text, integer, text) to authenticated;
