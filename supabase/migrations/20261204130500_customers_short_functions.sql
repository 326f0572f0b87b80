-- Customers and contracts: long functions of 20261204000300_customers_and_contracts.sql
-- made short (issue 17, point 3).
--
-- What: record_contract_extraction becomes a guard over small functions with one job each
-- (who may extract which document, the citation rule, one field's row). Why: a reader can
-- hold each piece in their head. The answers and the errors (codes, messages, hints) are
-- unchanged; so are the signature, security, volatility, grants and comment of the
-- function. The helpers live in `app`, set search_path = '', and are executable only by
-- the service role (the only caller).

-- The request is one the person may make: a csm, manager or admin of the customer's
-- organisation, a document stored under the customer's folder of `contracts`, a text and
-- a list of fields.
create or replace function app.check_contract_extraction_request(
  requested_by uuid, customer app.customers, object_path text, pages text[], fields jsonb)
returns void
language plpgsql
stable
set search_path = ''
as $$
begin
  if not exists (select 1 from app.profiles p
                  where p.id = check_contract_extraction_request.requested_by and p.org_id = customer.org_id
                    and p.role in ('csm', 'manager', 'admin')) then
    raise exception 'Only a csm, manager or admin of the customer''s organisation can extract a contract' using errcode = '42501',
      hint = 'Ask a colleague with one of those roles.';
  end if;
  if object_path is null
     or split_part(object_path, '/', 1) <> customer.org_id::text
     or split_part(object_path, '/', 2) <> customer.id::text
     or not exists (select 1 from storage.objects o
                     where o.bucket_id = 'contracts' and o.name = check_contract_extraction_request.object_path) then
    raise exception 'The document is not one of this customer''s contract documents' using errcode = 'PT404',
      hint = 'Upload it to contracts/<organisation>/<customer>/ first.';
  end if;
  if pages is null or cardinality(pages) = 0 then
    raise exception 'The document has no text' using errcode = '22023',
      hint = 'Upload a PDF with a text layer or a plain text file.';
  end if;
  if fields is null or jsonb_typeof(fields) <> 'array' then
    raise exception 'fields must be an array' using errcode = '22023', hint = 'One object per field.';
  end if;
end;
$$;
revoke execute on function app.check_contract_extraction_request(uuid, app.customers, text, text[], jsonb)
  from public, anon, authenticated;
grant execute on function app.check_contract_extraction_request(uuid, app.customers, text, text[], jsonb) to service_role;

-- The citation rule: the page whose (normalised) text holds the quote — the page the model
-- named, else the first that does; null when none does or the quote is empty.
create or replace function app.contract_quote_page(normal_pages text[], quote text, page integer)
returns integer
language sql
immutable
set search_path = ''
as $$
  select case
    when quote = '' then null
    when page between 1 and cardinality(normal_pages) and strpos(normal_pages[page], quote) > 0 then page
    else (select i from generate_subscripts(normal_pages, 1) i where strpos(normal_pages[i], quote) > 0 order by i limit 1)
  end
$$;
revoke execute on function app.contract_quote_page(text[], text, integer) from public, anon, authenticated;
grant execute on function app.contract_quote_page(text[], text, integer) to service_role;

-- One field's row of an extraction from what the model proposed (`field`, null when it
-- said nothing): a malformed value is no proposal; a value whose quote is not in the text
-- is discarded (quote_discarded).
create or replace function app.record_contract_extraction_field(
  x app.contract_extractions, field_key text, field jsonb, normal_pages text[])
returns void
language plpgsql
set search_path = ''
as $$
declare
  v_value jsonb;
  v_quote text;
  v_page integer;
  v_confidence numeric := 0;
begin
  if field is not null and jsonb_typeof(field -> 'value') is distinct from 'null' and field ? 'value' then
    begin
      v_value := app.contract_field_value(field_key, field -> 'value');
    exception when sqlstate '22023' then
      v_value := null; -- a malformed proposal is no proposal
    end;
    v_quote := app.contract_normalise_text(field ->> 'quote');
    v_page := case when (field ->> 'page') ~ '^\d{1,3}$' then (field ->> 'page')::integer end;
    v_confidence := least(greatest(coalesce(case when (field ->> 'confidence') ~ '^\d*\.?\d+$' then (field ->> 'confidence')::numeric end, 0), 0), 1);
    if v_value is not null then
      v_page := app.contract_quote_page(normal_pages, v_quote, v_page);
      if v_page is null then
        insert into app.contract_extraction_fields (org_id, extraction_id, field_key, confidence, quote_discarded)
        values (x.org_id, x.id, record_contract_extraction_field.field_key, 0, true);
        return;
      end if;
    end if;
  end if;
  insert into app.contract_extraction_fields (org_id, extraction_id, field_key, proposed_value, quote, page, confidence)
  values (x.org_id, x.id, record_contract_extraction_field.field_key, v_value,
          case when v_value is not null then v_quote end,
          case when v_value is not null then v_page end,
          case when v_value is not null then round(v_confidence, 3) else 0 end);
end;
$$;
revoke execute on function app.record_contract_extraction_field(app.contract_extractions, text, jsonb, text[])
  from public, anon, authenticated;
grant execute on function app.record_contract_extraction_field(app.contract_extractions, text, jsonb, text[]) to service_role;

create or replace function public.record_contract_extraction(
  requested_by uuid,
  customer_id uuid,
  object_path text,
  model text,
  pages text[],
  fields jsonb
)
returns jsonb
language plpgsql
volatile
set search_path = ''
as $$
declare
  v_customer app.customers;
  v_key text;
  v_normal_pages text[];
  v_x app.contract_extractions;
begin
  select * into v_customer from app.customers c where c.id = record_contract_extraction.customer_id;
  if not found then
    raise exception 'Customer not found' using errcode = 'PT404', hint = 'Check the customer id.';
  end if;
  perform app.check_contract_extraction_request(requested_by, v_customer, object_path, pages, fields);

  insert into app.contract_extractions (org_id, customer_id, object_path, document_name, model, pages, created_by)
  values (v_customer.org_id, v_customer.id, object_path, split_part(object_path, '/', 3), coalesce(nullif(model, ''), 'unknown'),
          pages, requested_by)
  returning * into v_x;
  v_normal_pages := array(select app.contract_normalise_text(p) from unnest(pages) as p);
  -- One row per known field; what the model said about unknown keys is ignored.
  for v_key in select unnest(app.contract_field_keys()) loop
    perform app.record_contract_extraction_field(v_x, v_key,
      (select f.value from jsonb_array_elements(record_contract_extraction.fields) as f(value) where f.value ->> 'key' = v_key limit 1),
      v_normal_pages);
  end loop;

  -- The document's text joins the customer's searchable history.
  perform app.index_customer_history(v_customer.org_id, v_customer.id, 'contract', v_x.id, now(),
                                     'Contract document ' || v_x.document_name, array_to_string(pages, E'\n\n'));
  return jsonb_build_object('extraction_id', v_x.id) || app.contract_extraction_json(v_x, false);
end;
$$;
comment on function public.record_contract_extraction(uuid, uuid, text, text, text[], jsonb) is
  'Service role only: stores an extraction of a contract document the requesting person may read (extract-contract calls it after downloading the document as that person); quotes not found verbatim in the text are discarded.';
revoke execute on function public.record_contract_extraction(uuid, uuid, text, text, text[], jsonb) from public, anon, authenticated;
grant execute on function public.record_contract_extraction(uuid, uuid, text, text, text[], jsonb) to service_role;


---------------------------------------------------------------------------------------
-- public.list_customers: the request's parts each read and checked once by a small
-- function (filters, cursor, the stage and forecast conditions); the page query stays in
-- list_customers, so its plan and cost per row are unchanged.
---------------------------------------------------------------------------------------

-- The filters object of list_customers, read and checked: {plans, stages, forecast,
-- assignee_id} (an empty plans list is no filter).
create or replace function app.customer_list_filters(filters jsonb,
  out plans text[], out stages text[], out forecast text[], out assignee_id uuid)
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_unknown text;
begin
  if jsonb_typeof(filters) <> 'object' then
    raise exception 'filters must be a JSON object' using errcode = '22023',
      hint = 'For example {"plans": ["invest"], "stages": ["Critical"], "assignee_id": "…", "forecast": ["at_risk"]}.';
  end if;
  select k into v_unknown from jsonb_object_keys(filters) k where k not in ('plans', 'stages', 'assignee_id', 'forecast') limit 1;
  if v_unknown is not null then
    raise exception 'filters has an unknown key "%"', left(v_unknown, 60) using errcode = '22023',
      hint = 'Known keys: plans, stages, assignee_id, forecast.';
  end if;
  plans := app.queue_filter_values(filters, 'plans', array['expand', 'invest', 'monitor', 'manage']);
  stages := app.queue_filter_values(filters, 'stages',
    array['Overdue', 'Emergency', 'Critical', 'Signature', 'Finalize', 'Negotiate', 'Engage', 'Prepare', 'Monitor']);
  forecast := app.queue_filter_values(filters, 'forecast', array['commit', 'probable', 'at_risk', 'churn_expected']);
  if coalesce(cardinality(plans), 0) = 0 then plans := null; end if;
  if filters ? 'assignee_id' and jsonb_typeof(filters -> 'assignee_id') <> 'null' then
    begin
      assignee_id := (filters ->> 'assignee_id')::uuid;
    exception when others then
      raise exception 'filters.assignee_id must be a person''s id' using errcode = '22023';
    end;
  end if;
end;
$$;
revoke execute on function app.customer_list_filters(jsonb) from public, anon;
grant execute on function app.customer_list_filters(jsonb) to authenticated;

-- The sort keys [k1, k2, id] a list_customers cursor of this sort names (null: the first
-- page); 22023 when it is not one.
create or replace function app.customer_list_cursor(cursor text, sort text)
returns jsonb
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_after jsonb;
begin
  if cursor is null then
    return null;
  end if;
  begin
    v_after := convert_from(decode(cursor, 'base64'), 'UTF8')::jsonb;
    if jsonb_typeof(v_after) <> 'object' or v_after ->> 's' is distinct from sort
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
  return v_after;
end;
$$;
revoke execute on function app.customer_list_cursor(text, text) from public, anon;
grant execute on function app.customer_list_cursor(text, text) to authenticated;

-- The extra conditions of the page query for the stage and forecast filters (quoted
-- literals only; '' when there are none). Stages are decision-date ranges written on the
-- same expression as the renewal index, so a range is an index condition, not a filter on
-- a long walk.
create or replace function app.customer_list_conditions(stages text[], forecast text[], today date)
returns text
language plpgsql
stable
set search_path = ''
as $$
declare
  v_where text := '';
  v_ranges text[];
  v_stage text;
begin
  if coalesce(cardinality(stages), 0) > 0 then
    foreach v_stage in array stages loop
      v_ranges := v_ranges || case v_stage
        when 'Overdue' then format('coalesce(c.decision_date, ''infinity''::date) < %L::date', today)
        when 'Emergency' then format('coalesce(c.decision_date, ''infinity''::date) between %L::date and %L::date', today, today + 6)
        when 'Critical' then format('coalesce(c.decision_date, ''infinity''::date) between %L::date and %L::date', today + 7, today + 13)
        when 'Signature' then format('coalesce(c.decision_date, ''infinity''::date) between %L::date and %L::date', today + 14, today + 29)
        when 'Finalize' then format('coalesce(c.decision_date, ''infinity''::date) between %L::date and %L::date', today + 30, today + 59)
        when 'Negotiate' then format('coalesce(c.decision_date, ''infinity''::date) between %L::date and %L::date', today + 60, today + 89)
        when 'Engage' then format('coalesce(c.decision_date, ''infinity''::date) between %L::date and %L::date', today + 90, today + 119)
        when 'Prepare' then format('coalesce(c.decision_date, ''infinity''::date) between %L::date and %L::date', today + 120, today + 179)
        else format('(coalesce(c.decision_date, ''infinity''::date) >= %L::date and c.decision_date is not null)', today + 180)
      end;
    end loop;
    v_where := v_where || ' and (' || array_to_string(v_ranges, ' or ') || ')';
  end if;
  if coalesce(cardinality(forecast), 0) > 0 then
    if to_regprocedure('app.customer_forecast_category(uuid, uuid)') is null then
      raise exception 'The forecast filter is not available yet' using errcode = '22023',
        hint = 'Leave filters.forecast out.';
    end if;
    v_where := v_where || format(' and app.customer_forecast_category(c.org_id, c.id) = any(%L::text[])', forecast);
  end if;
  return v_where;
end;
$$;
revoke execute on function app.customer_list_conditions(text[], text[], date) from public, anon;
grant execute on function app.customer_list_conditions(text[], text[], date) to authenticated;

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
comment on function public.list_customers(text, integer, text, jsonb, text) is 'The organisation''s customers with plan, stage, decision date, health, ARR and assignee; search, filters {plans, stages, assignee_id, forecast}, sorts priority/arr/renewal/health/name, keyset pagination.';
revoke execute on function public.list_customers(text, integer, text, jsonb, text) from public, anon;
grant execute on function public.list_customers(text, integer, text, jsonb, text) to authenticated;


---------------------------------------------------------------------------------------
-- public.get_customer_timeline: the kinds asked for and the cursor each read and checked
-- by a small function; the one union query (a branch per source, each cut to a page
-- after the cursor) stays in get_customer_timeline, so its plan and cost are unchanged.
---------------------------------------------------------------------------------------

-- Every kind of timeline entry, in the order the answer lists them.
create or replace function app.timeline_kinds()
returns text[]
language sql
immutable
parallel safe
set search_path = ''
as $$
  select array['engagement', 'workflow_started', 'workflow_completed', 'action', 'email',
               'artifact_approved', 'stage_change', 'plan_change', 'forecast_change']
$$;
revoke execute on function app.timeline_kinds() from public, anon;
grant execute on function app.timeline_kinds() to authenticated;

-- The kinds a request asks for (null: every kind); 22023 naming the first unknown one.
create or replace function app.timeline_wanted_kinds(kinds text[])
returns text[]
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_bad text;
begin
  if kinds is null then
    return app.timeline_kinds();
  end if;
  select k into v_bad from unnest(kinds) k where k is null or k <> all(app.timeline_kinds()) limit 1;
  if found then
    raise exception 'kinds has an unknown value "%"', left(coalesce(v_bad, 'null'), 60) using errcode = '22023',
      hint = 'Allowed: ' || array_to_string(app.timeline_kinds(), ', ') || '.';
  end if;
  return kinds;
end;
$$;
revoke execute on function app.timeline_wanted_kinds(text[]) from public, anon;
grant execute on function app.timeline_wanted_kinds(text[]) to authenticated;

-- The entry a timeline cursor names (occurred_at, id, kind; all null for the first page);
-- 22023 when it is not a cursor.
create or replace function app.timeline_cursor(cursor text, out at timestamptz, out id uuid, out kind text)
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_cur jsonb;
begin
  if cursor is null then
    return;
  end if;
  begin
    v_cur := convert_from(decode(cursor, 'base64'), 'UTF8')::jsonb;
    at := (v_cur ->> 't')::timestamptz;
    id := (v_cur ->> 'i')::uuid;
    kind := v_cur ->> 'k';
  exception when others then
    id := null;
  end;
  if id is null or at is null or kind is null then
    raise exception 'cursor is not valid' using errcode = '22023',
      hint = 'Pass the next_cursor of the previous page unchanged, or no cursor for the first page.';
  end if;
end;
$$;
revoke execute on function app.timeline_cursor(text) from public, anon;
grant execute on function app.timeline_cursor(text) to authenticated;

create or replace function public.get_customer_timeline(
  customer_id uuid,
  page_size integer default 50,
  cursor text default null,
  kinds text[] default null
)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_org uuid := app.current_org_id();
  v_want text[];
  c_at timestamptz;
  c_id uuid;
  c_kind text;
  v_limit integer;
  v_items jsonb;
  v_next text;
begin
  if v_org is null then
    raise exception 'Only members of an organisation can read timelines' using errcode = '42501';
  end if;
  if get_customer_timeline.customer_id is null then
    raise exception 'customer_id is required' using errcode = '22023';
  end if;
  if get_customer_timeline.page_size is null or get_customer_timeline.page_size not between 1 and 200 then
    raise exception 'page_size must be between 1 and 200' using errcode = '22023',
      hint = 'Ask for at most 200 entries and follow next_cursor.';
  end if;
  v_want := app.timeline_wanted_kinds(get_customer_timeline.kinds);
  select * into c_at, c_id, c_kind from app.timeline_cursor(get_customer_timeline.cursor);
  -- Visible (RLS) and of the caller's organisation, else PT404 (never say which).
  if not exists (select 1 from app.customers c where c.id = get_customer_timeline.customer_id and c.org_id = v_org) then
    raise exception 'Customer not found' using errcode = 'PT404',
      hint = 'Check the id; you can only see customers of your own organisation.';
  end if;
  v_limit := get_customer_timeline.page_size + 1;

  -- Every source yields (occurred_at, id, kind, ...) ordered newest first and cut to one
  -- page after the cursor; ties on occurred_at break by id, then kind (a workflow's start
  -- and completion share its id).
  with execs as materialized (
    select x.id, x.status, x.started_at, x.completed_at, x.assigned_to, w.key as workflow_key, w.name as workflow_name
      from app.workflow_executions x
      join app.workflows w on w.id = x.workflow_id
     where x.customer_id = get_customer_timeline.customer_id and x.org_id = v_org
  ),
  entries as (
    (select e.occurred_at as at, e.id, 'engagement'::text as kind, e.event_type as subtype,
            coalesce(e.title, initcap(replace(e.event_type, '_', ' '))) as title, e.description as summary,
            nullif(e.metadata ->> 'logged_by', '')::uuid as actor_id, null::uuid as execution_id,
            jsonb_strip_nulls(jsonb_build_object('source', e.source, 'nps_score', e.nps_score, 'ticket_status', e.ticket_status,
              'details', e.metadata -> 'details')) as extra
       from app.engagement_events e
      where 'engagement' = any(v_want)
        and e.customer_id = get_customer_timeline.customer_id and e.org_id = v_org
        -- Planned events (a scheduled QBR) are not activity yet.
        and e.occurred_at <= now() + interval '5 minutes'
        and (c_id is null or (e.occurred_at, e.id, 'engagement') < (c_at, c_id, c_kind))
      order by e.occurred_at desc, e.id desc
      limit v_limit)
    union all
    (select x.started_at, x.id, 'workflow_started', x.workflow_key, 'Started ' || x.workflow_name, null,
            x.assigned_to, x.id, jsonb_build_object('status', x.status)
       from execs x
      where 'workflow_started' = any(v_want) and x.started_at is not null
        and (c_id is null or (x.started_at, x.id, 'workflow_started') < (c_at, c_id, c_kind))
      order by x.started_at desc, x.id desc
      limit v_limit)
    union all
    (select x.completed_at, x.id, 'workflow_completed', x.workflow_key,
            case x.status when 'completed_with_pending_tasks' then 'Completed ' || x.workflow_name || ' (tasks pending)'
                          when 'cancelled' then 'Cancelled ' || x.workflow_name
                          else 'Completed ' || x.workflow_name end, null,
            x.assigned_to, x.id, jsonb_build_object('status', x.status)
       from execs x
      where 'workflow_completed' = any(v_want) and x.completed_at is not null
        and (c_id is null or (x.completed_at, x.id, 'workflow_completed') < (c_at, c_id, c_kind))
      order by x.completed_at desc, x.id desc
      limit v_limit)
    union all
    (select a.created_at, a.id, 'action', a.action_key, initcap(replace(a.action_key, '_', ' ')),
            case when a.success then null else a.error_message end,
            a.executed_by, a.execution_id, jsonb_build_object('success', a.success, 'workflow', x.workflow_name)
       from execs x
       join app.action_executions a on a.execution_id = x.id and a.org_id = v_org
      where 'action' = any(v_want)
        and (c_id is null or (a.created_at, a.id, 'action') < (c_at, c_id, c_kind))
      order by a.created_at desc, a.id desc
      limit v_limit)
    union all
    (select coalesce(m.sent_at, m.created_at), m.id, 'email', m.status, m.subject, null,
            m.requested_by, m.execution_id, jsonb_build_object('to', to_jsonb(m.to_addresses), 'status', m.status)
       from execs x
       join app.email_outbox m on m.execution_id = x.id and m.org_id = v_org
      where 'email' = any(v_want)
        and (c_id is null or (coalesce(m.sent_at, m.created_at), m.id, 'email') < (c_at, c_id, c_kind))
      order by coalesce(m.sent_at, m.created_at) desc, m.id desc
      limit v_limit)
    union all
    (select t.approved_at, t.id, 'artifact_approved', t.artifact_type, 'Approved: ' || t.title, null,
            t.approved_by, t.execution_id, jsonb_build_object('artifact_id', t.id, 'workflow', x.workflow_name)
       from execs x
       join app.workflow_task_artifacts t on t.execution_id = x.id and t.org_id = v_org
      where 'artifact_approved' = any(v_want) and t.approved_at is not null
        and (c_id is null or (t.approved_at, t.id, 'artifact_approved') < (c_at, c_id, c_kind))
      order by t.approved_at desc, t.id desc
      limit v_limit)
    union all
    (select ch.changed_at, ch.id, case ch.field when 'renewal_stage' then 'stage_change' else 'plan_change' end, ch.field,
            case ch.field when 'renewal_stage' then 'Renewal stage: ' else 'Account plan: ' end
              || coalesce(initcap(ch.old_value), 'none') || ' → ' || coalesce(initcap(ch.new_value), 'none'), null,
            ch.changed_by, null::uuid, jsonb_build_object('from', ch.old_value, 'to', ch.new_value)
       from app.customer_changes ch
      where ch.customer_id = get_customer_timeline.customer_id and ch.org_id = v_org
        and ((ch.field = 'renewal_stage' and 'stage_change' = any(v_want)) or (ch.field = 'account_plan' and 'plan_change' = any(v_want)))
        and (c_id is null or (ch.changed_at, ch.id, case ch.field when 'renewal_stage' then 'stage_change' else 'plan_change' end) < (c_at, c_id, c_kind))
      order by ch.changed_at desc, ch.id desc
      limit v_limit)
    union all
    (select f.changed_at, f.id, 'forecast_change', f.category,
            'Forecast: ' || replace(f.category, '_', ' ')
              || coalesce(' at ' || to_char(f.forecast_arr, 'FM999,999,999,990'), ''),
            f.note, f.changed_by, f.execution_id,
            jsonb_build_object('category', f.category, 'forecast_arr', f.forecast_arr, 'renewal_date', f.renewal_date)
       from app.renewal_forecast_history f
      where 'forecast_change' = any(v_want)
        and f.customer_id = get_customer_timeline.customer_id and f.org_id = v_org
        and (c_id is null or (f.changed_at, f.id, 'forecast_change') < (c_at, c_id, c_kind))
      order by f.changed_at desc, f.id desc
      limit v_limit)
  ),
  page as (
    select * from entries order by at desc, id desc, kind desc limit v_limit
  ),
  numbered as (
    select p.*, row_number() over (order by p.at desc, p.id desc, p.kind desc) as rn from page p
  )
  select coalesce(jsonb_agg(jsonb_build_object(
           'id', n.id, 'kind', n.kind, 'subtype', n.subtype, 'occurred_at', n.at, 'title', n.title, 'summary', n.summary,
           'actor', case when pr.id is null then null else jsonb_build_object('id', pr.id, 'full_name', pr.full_name) end,
           'execution_id', n.execution_id, 'details', n.extra) order by n.rn) filter (where n.rn <= get_customer_timeline.page_size), '[]'::jsonb),
         max(translate(encode(convert_to(jsonb_build_object('t', n.at, 'i', n.id, 'k', n.kind)::text, 'UTF8'), 'base64'), E'\n', ''))
           filter (where n.rn = get_customer_timeline.page_size and (select count(*) from numbered) > get_customer_timeline.page_size)
    into v_items, v_next
    from numbered n
    left join app.profiles pr on pr.id = n.actor_id and pr.org_id = v_org;

  return jsonb_build_object('items', v_items, 'next_cursor', v_next, 'kinds', to_jsonb(app.timeline_kinds()));
end;
$$;
comment on function public.get_customer_timeline(uuid, integer, text, text[]) is 'A customer''s activity, newest first (keyset): engagement, workflow starts and completions, actions, emails, approved artifacts, stage, plan and forecast changes.';
revoke execute on function public.get_customer_timeline(uuid, integer, text, text[]) from public, anon;
grant execute on function public.get_customer_timeline(uuid, integer, text, text[]) to authenticated;
