-- The queue's page is built as json text, not jsonb (issue 18 point 1).
--
-- What: get_workflow_queue returns `json`; its items come from app.queue_page_json, which
-- builds each item with json_build_object and the page with json_agg. app.queue_items_json
-- (a jsonb[] of items) is dropped. The answer's fields, values and order are unchanged.
-- Why: a first page of 50 items is ~58 KB. As jsonb, every object is built in binary form
-- (keys sorted and de-duplicated, numbers converted), copied into the answer, and converted
-- back to text for the wire: that was most of the call's database time (about 2 ms of a
-- 2.1 ms page). json_build_object writes the text once and the answer is sent as it is.
-- Nothing reads the answer with jsonb operators inside the database; a caller that wants to
-- (the pgTAP tests) casts it: `get_workflow_queue(…)::jsonb`.
-- The stats stay jsonb (they are small and kept per assignee) and are embedded as json.

drop function public.get_workflow_queue(integer, text, uuid, boolean, jsonb, boolean);
drop function app.queue_items_json(app.queue_row[], integer, date, boolean);

-- The json of the first page_size rows: execution, customer card, current step, and when
-- grouped by customer how many other items the customer has, of which kinds.
create or replace function app.queue_page_json(page app.queue_row[], page_size integer, today date, grouped boolean)
returns json
language plpgsql
stable
set search_path = ''
as $$
begin
  return (
    with n as (
      select p.*, p.ord as rn from unnest(queue_page_json.page) with ordinality
        as p(id, lane, priority_score, sort_date, type_rank, customer_id, account_plan, days, other_count, other_kinds, ord)
       where p.ord <= queue_page_json.page_size
    ), titles as materialized (
      -- Step titles from the version config, once per version on the page: a step row's
      -- title is copied from its version's config when the row is created
      -- (app.create_step_rows), and queued executions have no step rows yet. Materialized,
      -- or it runs per item.
      select v.id as version_id, st.step ->> 'key' as key, st.step ->> 'title' as title
        from (select distinct x.workflow_version_id from n join app.workflow_executions x on x.id = n.id) dv
        join app.workflow_versions v on v.id = dv.workflow_version_id
       cross join lateral jsonb_array_elements(v.config -> 'steps') as st(step)
    )
    select coalesce(json_agg(case when queue_page_json.grouped
                             -- json has no merge: the key is appended to the object's text.
                             then (left(i.item::text, -1) || ', "other_items" : ' || json_build_object(
                                     'count', coalesce(i.other_count, 0),
                                     'kinds', coalesce(to_json(i.other_kinds), '[]'::json))::text || '}')::json
                             else i.item end order by i.rn), '[]'::json)
      from (select n.rn, n.other_count, n.other_kinds, json_build_object(
             'execution_id', e.id, 'workflow_key', w.key, 'workflow_name', w.name, 'workflow_type', w.workflow_type,
             'status', e.status,
             -- The lane's and the stage's names are written out: a call of app.queue_lane_name or
             -- app.calculate_renewal_stage (SQL functions with a search_path, so never inlined)
             -- costs ~7 µs an item, a quarter of the page. pgTAP checks that they agree
             -- (get_workflow_queue/computes_stage_and_days_as_of_today).
             'lane', case n.lane when 1 then 'now' when 2 then 'soon' else 'planned' end,
             'priority_score', e.priority_score::integer, 'priority_factors', e.priority_factors,
             'customer', json_build_object(
               'id', c.id, 'name', c.name, 'domain', c.domain, 'arr', c.arr, 'health_score', c.health_score,
               'account_plan', c.account_plan,
               'renewal_stage', case
                 when c.decision_date is null then null
                 when c.decision_date - queue_page_json.today < 0 then 'Overdue' when c.decision_date - queue_page_json.today < 7 then 'Emergency'
                 when c.decision_date - queue_page_json.today < 14 then 'Critical' when c.decision_date - queue_page_json.today < 30 then 'Signature'
                 when c.decision_date - queue_page_json.today < 60 then 'Finalize' when c.decision_date - queue_page_json.today < 90 then 'Negotiate'
                 when c.decision_date - queue_page_json.today < 120 then 'Engage' when c.decision_date - queue_page_json.today < 180 then 'Prepare'
                 else 'Monitor' end,
               'renewal_date', c.renewal_date, 'days_until_renewal', c.renewal_date - queue_page_json.today,
               'decision_date', c.decision_date, 'days_until_decision', c.decision_date - queue_page_json.today,
               'assigned_to', c.assigned_to, 'risk_score', c.risk_score, 'opportunity_score', c.opportunity_score),
             'assignee_id', e.assigned_to,
             'current_step', case when e.current_step_key is null then null else json_build_object(
               'key', e.current_step_key,
               'title', coalesce((select t.title from titles t
                                   where t.version_id = e.workflow_version_id and t.key = e.current_step_key),
                                 e.current_step_key),
               'index', e.current_step_index) end,
             'total_steps', e.total_steps, 'completed_steps', e.completed_steps,
             'snoozed_until', e.snoozed_until, 'created_at', e.created_at) as item
              from n
              join app.workflow_executions e on e.id = n.id
              join app.customers c on c.id = e.customer_id
              join app.workflows w on w.id = e.workflow_id) i);
end;
$$;

create or replace function public.get_workflow_queue(
  page_size integer default 50,
  cursor text default null,
  assignee_id uuid default null,
  include_snoozed boolean default false,
  filters jsonb default '{}'::jsonb,
  group_by_customer boolean default false
)
returns json
language plpgsql
stable
set search_path = ''
-- For every statement of the functions it calls: planned once per session. Left to choose,
-- the plan cache re-plans the bigger statements on every call (more than they cost to run).
set plan_cache_mode = force_generic_plan
as $$
declare
  who record;
  v_filter app.queue_filter;
  v_pos app.queue_position;
  v_today date;
  v_snoozed boolean := coalesce(get_workflow_queue.include_snoozed, false);
  v_grouped boolean := coalesce(get_workflow_queue.group_by_customer, false);
  v_rows app.queue_row[];
  v_page app.queue_row[];
  v_stats jsonb;
  v_last app.queue_row;
begin
  who := app.queue_target(get_workflow_queue.assignee_id);
  if get_workflow_queue.page_size is null or get_workflow_queue.page_size < 1 or get_workflow_queue.page_size > 200 then
    raise exception 'page_size must be between 1 and 200' using errcode = '22023';
  end if;
  v_filter := app.queue_filter_of(get_workflow_queue.filters);
  v_pos := app.queue_position_of(get_workflow_queue.cursor);
  v_today := app.organisation_today(who.org_id);
  if v_filter is null and not v_grouped then
    v_stats := app.queue_kept_stats(who.org_id, who.target, v_snoozed, v_today);
    v_page := app.queue_keyset_page(who.org_id, who.target, v_snoozed, v_pos, get_workflow_queue.page_size, v_today);
  else
    v_rows := app.queue_filtered_rows(who.org_id, who.target, v_snoozed, v_filter, v_today);
    v_stats := app.queue_aggregate_stats(v_rows);
    v_page := app.queue_pick_page(v_rows, v_grouped, v_pos, get_workflow_queue.page_size);
  end if;
  if cardinality(v_page) > get_workflow_queue.page_size then
    v_last := v_page[get_workflow_queue.page_size];
  end if;
  return json_build_object(
    'items', app.queue_page_json(v_page, get_workflow_queue.page_size, v_today, v_grouped),
    'next_cursor', case when v_last.id is not null
                        then app.queue_cursor(v_last.lane, v_last.priority_score, v_last.sort_date, v_last.type_rank, v_last.id) end,
    'stats', v_stats);
end;
$$;
comment on function public.get_workflow_queue(integer, text, uuid, boolean, jsonb, boolean) is
  'One person''s open workflow executions by lane, then priority (keyset-paginated), filtered server-side ({types, stages, plans, lanes, search}), optionally one row per customer; stats follow the filters (kept per assignee when unfiltered). Returns json text (cast to jsonb to query it in SQL).';

grant execute on function app.queue_page_json(app.queue_row[], integer, date, boolean) to authenticated, service_role;
revoke execute on function public.get_workflow_queue(integer, text, uuid, boolean, jsonb, boolean) from public, anon;
grant execute on function public.get_workflow_queue(integer, text, uuid, boolean, jsonb, boolean) to authenticated;
