-- The queue's cards: each open execution's queue item, rendered when its inputs change
-- instead of on every read (issue 18 point 1; docs/performance.md "Queue cards").
--
-- What and why: building the page's 50 items (the execution, its customer's card, the
-- workflow, the current step's title, the priority factors) was ~1 ms of the ~1.6 ms a
-- first page cost, and every page rebuilt the same text. A card is that text, written by
-- statement triggers when an input changes; a page is now the keyset scan it was plus one
-- card per item, with only what depends on the day (the renewal stage and the day counts)
-- written in at read time. The API's answer is unchanged (the customer's three day fields
-- now come last in its object; JSON objects have no order).
--
-- One renderer, app.queue_card_parts(ids): the triggers store what it returns, and a page
-- whose item has no card yet renders that one item with it (so a card that is missing
-- costs time, never an item).
--
-- A statement that changes more than 2 000 open executions (renubu.queue_cards_inline_max)
-- — the orchestrator's full rebuild, a seed, a bulk reassignment — does not render them
-- itself: it drops their cards and lists them in app.queue_cards_due, which the
-- 'render-queue-cards' job empties every minute (app.queue_cards_render_due); until then
-- their pages render them on the spot.
-- Rendering is ~25 µs a card, so a rebuild of 180 000 would otherwise grow by seconds.
--
-- Inputs and who re-renders (each trigger re-reads the rows by id, so the last to run,
-- after any nested update, writes the current state):
--   workflow_executions  insert, update of a shown column, delete, truncate
--   customers            update of a shown column (name, domain, ARR, health, plan, dates, CSM, scores)
--   workflows            update of key, name or type
--   workflow_versions    update of config (the step titles)

create table app.queue_cards (
  execution_id uuid primary key,
  org_id uuid not null,
  renewal_date date,
  decision_date date,
  head text not null,
  tail text not null
);
comment on table app.queue_cards is
  'Each open execution''s queue item as json text without its day-dependent fields (head ends inside the customer object, tail is the rest without the closing brace). Kept by triggers; read by app.queue_page_json.';
comment on column app.queue_cards.head is
  'From {"execution_id" … to the customer''s last day-independent field, braces left open.';
comment on column app.queue_cards.tail is
  'From ,"assignee_id" … to created_at, the item''s closing brace left off (grouped pages add other_items).';

-- Members read their organisation's cards (what the executions and customers policies
-- already let them read); only the triggers write them.
alter table app.queue_cards enable row level security;
create policy "Members can read their organisation's queue cards"
  on app.queue_cards for select to authenticated
  using (org_id = (select app.current_org_id()));
revoke all on app.queue_cards from public, anon, authenticated;
grant select on app.queue_cards to authenticated;
grant select, insert, update, delete on app.queue_cards to service_role;

-- The cards of these executions as they are now (closed ones have none). Written as text
-- rather than with json_build_object (uuids, numbers and jsonb as their output, strings,
-- dates and times through to_json; no blanks between keys and values): ~60 % of the cost
-- and ~10 % fewer bytes to send. Times in UTC whatever the writer's session.
create or replace function app.queue_card_parts(ids uuid[])
returns table (execution_id uuid, org_id uuid, renewal_date date, decision_date date, head text, tail text)
language sql
stable
set search_path = ''
set timezone = 'UTC'
as $$
  with e as (
    select x.* from app.workflow_executions x
     where x.id = any(queue_card_parts.ids) and x.status in ('queued', 'in_progress', 'snoozed', 'escalated')
  ), titles as materialized (
    -- A step row's title is copied from its version's config (app.create_step_rows), and a
    -- queued execution has no step rows yet: the config is the source, read once per version.
    select v.id as version_id, st.step ->> 'key' as key, st.step ->> 'title' as title
      from (select distinct e.workflow_version_id from e) dv
      join app.workflow_versions v on v.id = dv.workflow_version_id
     cross join lateral jsonb_array_elements(v.config -> 'steps') as st(step)
  )
  select e.id, e.org_id, c.renewal_date, c.decision_date,
         -- head: the customer object left open for the day's fields.
         '{"execution_id":"' || e.id || '","workflow_key":' || to_json(w.key)
         || ',"workflow_name":' || to_json(w.name) || ',"workflow_type":' || to_json(w.workflow_type)
         || ',"status":' || to_json(e.status)
         || ',"lane":' || case coalesce(e.queue_lane, 3) when 1 then '"now"' when 2 then '"soon"' else '"planned"' end
         || ',"priority_score":' || e.priority_score::integer || ',"priority_factors":' || e.priority_factors
         || ',"customer":{"id":"' || c.id || '","name":' || to_json(c.name)
         || ',"domain":' || coalesce(to_json(c.domain)::text, 'null')
         || ',"arr":' || coalesce(c.arr::text, 'null')
         || ',"health_score":' || coalesce(c.health_score::text, 'null')
         || ',"account_plan":' || coalesce(to_json(c.account_plan)::text, 'null')
         || ',"renewal_date":' || coalesce(to_json(c.renewal_date)::text, 'null')
         || ',"decision_date":' || coalesce(to_json(c.decision_date)::text, 'null')
         || ',"assigned_to":' || coalesce('"' || c.assigned_to || '"', 'null')
         || ',"risk_score":' || coalesce(c.risk_score::text, 'null')
         || ',"opportunity_score":' || coalesce(c.opportunity_score::text, 'null'),
         -- tail: after the customer, without the item's closing brace.
         ',"assignee_id":' || coalesce('"' || e.assigned_to || '"', 'null')
         || ',"current_step":' || case when e.current_step_key is null then 'null' else
              '{"key":' || to_json(e.current_step_key)
              || ',"title":' || to_json(coalesce((select t.title from titles t
                                                      where t.version_id = e.workflow_version_id
                                                        and t.key = e.current_step_key), e.current_step_key))
              || ',"index":' || coalesce(e.current_step_index::text, 'null') || '}' end
         || ',"total_steps":' || e.total_steps || ',"completed_steps":' || e.completed_steps
         || ',"snoozed_until":' || coalesce(to_json(e.snoozed_until)::text, 'null')
         || ',"created_at":' || to_json(e.created_at)
    from e
    join app.customers c on c.id = e.customer_id
    join app.workflows w on w.id = e.workflow_id
$$;
comment on function app.queue_card_parts(uuid[]) is
  'The queue card of each of these executions that is open, rendered from the current rows (the one renderer of a queue item).';

-- Open executions whose card a large statement left to the job (see the header).
create table app.queue_cards_due (
  execution_id uuid primary key
);
comment on table app.queue_cards_due is
  'Executions whose queue card is to be rendered by app.queue_cards_render_due (a large statement changed them).';
alter table app.queue_cards_due enable row level security;
revoke all on app.queue_cards_due from public, anon, authenticated;
grant select, insert, update, delete on app.queue_cards_due to service_role;

-- Stores the cards of these executions as they are now; drops those no longer open.
create or replace function app.queue_cards_write(ids uuid[])
returns void
language plpgsql
security definer -- writes the derived table no role may write; called by triggers and the job
set search_path = ''
as $$
begin
  if ids is null or cardinality(ids) = 0 then
    return;
  end if;
  insert into app.queue_cards as k (execution_id, org_id, renewal_date, decision_date, head, tail)
  select p.execution_id, p.org_id, p.renewal_date, p.decision_date, p.head, p.tail
    from app.queue_card_parts(ids) p
  on conflict (execution_id) do update
     set org_id = excluded.org_id, renewal_date = excluded.renewal_date, decision_date = excluded.decision_date,
         head = excluded.head, tail = excluded.tail
   where (k.org_id, k.renewal_date, k.decision_date, k.head, k.tail)
         is distinct from (excluded.org_id, excluded.renewal_date, excluded.decision_date, excluded.head, excluded.tail);
  delete from app.queue_cards k
   where k.execution_id = any(ids)
     and not exists (select 1 from app.workflow_executions e
                      where e.id = k.execution_id and e.status in ('queued', 'in_progress', 'snoozed', 'escalated'));
end;
$$;

-- A trigger's changed executions (`open_ids`: those open after the change; `fresh`: just
-- inserted, so without a card): rendered now, or when there are more than
-- renubu.queue_cards_inline_max (2 000 unless set), cards dropped and the open ones left
-- to the job.
create or replace function app.queue_cards_refresh(ids uuid[], open_ids uuid[], fresh boolean)
returns void
language plpgsql
security definer -- see app.queue_cards_write
set search_path = ''
as $$
begin
  if coalesce(cardinality(open_ids), 0)
     <= coalesce(nullif(current_setting('renubu.queue_cards_inline_max', true), '')::integer, 2000) then
    perform app.queue_cards_write(ids);
    return;
  end if;
  if not fresh then
    delete from app.queue_cards k where k.execution_id = any(ids);
  end if;
  insert into app.queue_cards_due (execution_id)
  select distinct x.id from unnest(open_ids) x(id)
  on conflict do nothing;
end;
$$;

-- The job: renders up to max_rows listed cards (oldest listing first does not matter: all
-- are due), and says how many it took.
create or replace function app.queue_cards_render_due(max_rows integer default 50000)
returns integer
language plpgsql
security definer -- see app.queue_cards_write
set search_path = ''
as $$
declare
  ids uuid[];
begin
  with picked as (
    delete from app.queue_cards_due d
     where d.execution_id in (select x.execution_id from app.queue_cards_due x limit max_rows for update skip locked)
    returning d.execution_id
  )
  select array_agg(p.execution_id) into ids from picked p;
  perform app.queue_cards_write(ids);
  return coalesce(cardinality(ids), 0);
end;
$$;
comment on function app.queue_cards_render_due(integer) is
  'Renders the queue cards a large statement left (app.queue_cards_due), up to max_rows; returns how many. Run every minute by pg_cron.';

-- Executions: inserted open rows get a card; an update of a column the card shows
-- re-renders (a set difference, linear whatever the plan); deleted rows lose theirs.
create or replace function app.executions_keep_queue_cards()
returns trigger
language plpgsql
security definer -- see app.queue_cards_write
set search_path = ''
as $$
declare
  ids uuid[];
  open_ids uuid[];
begin
  if tg_op = 'INSERT' then
    select array_agg(n.id) into ids from new_rows n where n.status in ('queued', 'in_progress', 'snoozed', 'escalated');
    perform app.queue_cards_refresh(ids, ids, true);
  elsif tg_op = 'DELETE' then
    delete from app.queue_cards k using old_rows o where k.execution_id = o.id;
    delete from app.queue_cards_due d using old_rows o where d.execution_id = o.id;
  else
    select array_agg(x.id), array_agg(x.id) filter (where x.status in ('queued', 'in_progress', 'snoozed', 'escalated'))
      into ids, open_ids
      from (select n.id, n.status, n.queue_lane, n.priority_score, n.priority_factors, n.assigned_to, n.customer_id,
                   n.workflow_id, n.workflow_version_id, n.current_step_key, n.current_step_index, n.total_steps,
                   n.completed_steps, n.snoozed_until, n.created_at, n.org_id
              from new_rows n
            except
            select o.id, o.status, o.queue_lane, o.priority_score, o.priority_factors, o.assigned_to, o.customer_id,
                   o.workflow_id, o.workflow_version_id, o.current_step_key, o.current_step_index, o.total_steps,
                   o.completed_steps, o.snoozed_until, o.created_at, o.org_id
              from old_rows o) x;
    perform app.queue_cards_refresh(ids, open_ids, false);
  end if;
  return null;
end;
$$;

create or replace function app.executions_truncate_queue_cards()
returns trigger
language plpgsql
security definer -- see app.queue_cards_write
set search_path = ''
as $$
begin
  truncate app.queue_cards, app.queue_cards_due;
  return null;
end;
$$;

-- Customers: a change of what the card shows re-renders the customer's open executions.
create or replace function app.customers_keep_queue_cards()
returns trigger
language plpgsql
security definer -- see app.queue_cards_write
set search_path = ''
as $$
declare
  ids uuid[];
begin
  select array_agg(e.id) into ids
    from (select n.id, n.name, n.domain, n.arr, n.health_score, n.account_plan, n.renewal_date, n.decision_date,
                 n.assigned_to, n.risk_score, n.opportunity_score
            from new_rows n
          except
          select o.id, o.name, o.domain, o.arr, o.health_score, o.account_plan, o.renewal_date, o.decision_date,
                 o.assigned_to, o.risk_score, o.opportunity_score
            from old_rows o) x
    join app.workflow_executions e on e.customer_id = x.id
   where e.status in ('queued', 'in_progress', 'snoozed', 'escalated');
  perform app.queue_cards_refresh(ids, ids, false);
  return null;
end;
$$;

-- Workflows (key, name, type) and versions (the step titles in config).
create or replace function app.workflows_keep_queue_cards()
returns trigger
language plpgsql
security definer -- see app.queue_cards_write
set search_path = ''
as $$
declare
  ids uuid[];
begin
  if tg_table_name = 'workflows' then
    select array_agg(e.id) into ids
      from (select n.id, n.key, n.name, n.workflow_type from new_rows n
            except
            select o.id, o.key, o.name, o.workflow_type from old_rows o) x
      join app.workflow_executions e on e.workflow_id = x.id
     where e.status in ('queued', 'in_progress', 'snoozed', 'escalated');
  else
    select array_agg(e.id) into ids
      from (select n.id, n.config from new_rows n
            except
            select o.id, o.config from old_rows o) x
      join app.workflow_executions e on e.workflow_version_id = x.id
     where e.status in ('queued', 'in_progress', 'snoozed', 'escalated');
  end if;
  perform app.queue_cards_refresh(ids, ids, false);
  return null;
end;
$$;

create trigger workflow_executions_keep_queue_cards_ins
  after insert on app.workflow_executions referencing new table as new_rows
  for each statement execute function app.executions_keep_queue_cards();
create trigger workflow_executions_keep_queue_cards_upd
  after update on app.workflow_executions referencing old table as old_rows new table as new_rows
  for each statement execute function app.executions_keep_queue_cards();
create trigger workflow_executions_keep_queue_cards_del
  after delete on app.workflow_executions referencing old table as old_rows
  for each statement execute function app.executions_keep_queue_cards();
create trigger workflow_executions_truncate_queue_cards
  after truncate on app.workflow_executions
  for each statement execute function app.executions_truncate_queue_cards();
create trigger customers_keep_queue_cards
  after update on app.customers referencing old table as old_rows new table as new_rows
  for each statement execute function app.customers_keep_queue_cards();
create trigger workflows_keep_queue_cards
  after update on app.workflows referencing old table as old_rows new table as new_rows
  for each statement execute function app.workflows_keep_queue_cards();
create trigger workflow_versions_keep_queue_cards
  after update on app.workflow_versions referencing old table as old_rows new table as new_rows
  for each statement execute function app.workflows_keep_queue_cards();

revoke execute on function app.queue_card_parts(uuid[]) from public, anon;
revoke execute on function app.queue_cards_write(uuid[]) from public, anon, authenticated;
revoke execute on function app.queue_cards_refresh(uuid[], uuid[], boolean) from public, anon, authenticated;
revoke execute on function app.queue_cards_render_due(integer) from public, anon, authenticated;
revoke execute on function app.executions_keep_queue_cards() from public, anon, authenticated;
revoke execute on function app.executions_truncate_queue_cards() from public, anon, authenticated;
revoke execute on function app.customers_keep_queue_cards() from public, anon, authenticated;
revoke execute on function app.workflows_keep_queue_cards() from public, anon, authenticated;
-- Security invoker: a page renders a missing card with the caller's own read rights.
grant execute on function app.queue_card_parts(uuid[]) to authenticated, service_role;

-- The page: each item is its card with the day's fields written in (the renewal stage as
-- app.calculate_renewal_stage names it, written out: a SQL function with a search_path is
-- never inlined; pgTAP get_workflow_queue/names_lanes_stages_and_steps_as_the_rules_do
-- checks they agree). An item whose card is missing is rendered here by the same function.
-- The answer is built as text and parsed once into json.
create or replace function app.queue_page_json(page app.queue_row[], page_size integer, today date, grouped boolean)
returns json
language plpgsql
stable
set search_path = ''
as $$
begin
  return (
    select coalesce('[' || string_agg(
             k.head
             || ',"renewal_stage":' || case
                  when k.decision_date is null then 'null'
                  when k.decision_date - queue_page_json.today < 0 then '"Overdue"'
                  when k.decision_date - queue_page_json.today < 7 then '"Emergency"'
                  when k.decision_date - queue_page_json.today < 14 then '"Critical"'
                  when k.decision_date - queue_page_json.today < 30 then '"Signature"'
                  when k.decision_date - queue_page_json.today < 60 then '"Finalize"'
                  when k.decision_date - queue_page_json.today < 90 then '"Negotiate"'
                  when k.decision_date - queue_page_json.today < 120 then '"Engage"'
                  when k.decision_date - queue_page_json.today < 180 then '"Prepare"'
                  else '"Monitor"' end
             || ',"days_until_renewal":' || coalesce((k.renewal_date - queue_page_json.today)::text, 'null')
             || ',"days_until_decision":' || coalesce((k.decision_date - queue_page_json.today)::text, 'null')
             || '}' || k.tail
             || case when queue_page_json.grouped
                     then ',"other_items":' || json_build_object(
                            'count', coalesce(n.other_count, 0),
                            'kinds', coalesce(to_json(n.other_kinds), '[]'::json))::text
                     else '' end
             || '}', ',' order by n.ord) || ']', '[]')::json
      from unnest(queue_page_json.page) with ordinality
             as n(id, lane, priority_score, sort_date, type_rank, customer_id, account_plan, days, other_count, other_kinds, ord)
      left join app.queue_cards k0 on k0.execution_id = n.id
      -- coalesce evaluates the render only for an item without a card.
     cross join lateral (select (coalesce(k0, (select row(f.*)::app.queue_cards
                                                 from app.queue_card_parts(array[n.id]) f))).* offset 0) k
     where n.ord <= queue_page_json.page_size
       and k.head is not null);
end;
$$;

-- The filters of an unfiltered call, {} or none, are not looked at: checking the five
-- keys read the workflow types each time, a tenth of a first page's cost.
-- {types[], stages[], plans[], lanes[], search}: checked; null when nothing filters.
-- Stable, not immutable: the types are read from app.workflow_types.
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
    v_search := btrim(v ->> 'search');
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

-- Every minute, the cards large statements left (pg_cron, as the other jobs).
select cron.schedule('render-queue-cards', '* * * * *', $$select app.queue_cards_render_due()$$);

-- Every open execution there is gets its card now.
select app.queue_cards_write(array(
  select e.id from app.workflow_executions e where e.status in ('queued', 'in_progress', 'snoozed', 'escalated')));
