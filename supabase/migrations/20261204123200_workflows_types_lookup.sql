-- Workflow types defined once: the lookup table app.workflow_types.
--
-- The list of workflow types was written twice in SQL: the workflows table's check
-- (workflows_type_is_known) and the queue filter's allowed `types` (app.queue_filter_of).
-- It is now one lookup table like the task types (docs/lookups.md): key, label and sort,
-- where sort is the queue's tie-break order (renewal first, custom last — the same order as
-- app.workflow_type_rank, which a pgTAP test keeps in agreement). The workflows table
-- references it (the check becomes a foreign key of the same name), app.lookups lists it
-- as `workflow_type`, and the queue filter accepts exactly its keys. Adding a type is one
-- insert (supabase/tests/workflow_types/).
--
-- Only the filter's check changes here: app.queue_filter_of is the baseline's
-- (20261204000500_workflows_and_steps.sql) reading the keys from the lookup, and stable
-- instead of immutable since it now reads a table.

-- The lookups' shape (key, label, sort and their checks), as task priorities have it.
create table app.workflow_types (like app.task_priorities including all);
comment on table app.workflow_types is
  'The kinds of workflow (the one list; workflows.workflow_type references it). sort: the queue''s tie-break order, as app.workflow_type_rank.';
insert into app.workflow_types (key, label, sort) values
  ('renewal', 'Renewal', 1),
  ('strategic', 'Strategic', 2),
  ('opportunity', 'Opportunity', 3),
  ('risk', 'Risk', 4),
  ('custom', 'Custom', 5);

-- Everyone signed in reads it; only migrations write it.
alter table app.workflow_types enable row level security;
create policy "Members can read the workflow types" on app.workflow_types for select to authenticated using (true);
revoke all on app.workflow_types from public, anon, authenticated;
grant select on app.workflow_types to authenticated;
grant select, insert, update, delete on app.workflow_types to service_role;

alter table app.workflows drop constraint workflows_type_is_known;
alter table app.workflows
  add constraint workflows_type_is_known foreign key (workflow_type) references app.workflow_types (key) on update cascade;
create index workflows_workflow_type_idx on app.workflows (workflow_type);

-- app.lookups gains the workflow types (app.lookup_keys('workflow_type')).
create or replace view app.lookups with (security_invoker = true) as
  select 'task_type'::text as lookup, t.key, t.label, t.sort from app.task_types t
  union all select 'task_priority', p.key, p.label, p.sort from app.task_priorities p
  union all select 'escalation_level', l.key, l.label, l.sort from app.escalation_levels l
  union all select 'workflow_type', w.key, w.label, w.sort from app.workflow_types w;

-- {types[], stages[], plans[], lanes[], search}: checked; null when nothing filters.
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
grant execute on function app.queue_filter_of(jsonb) to authenticated, service_role;
