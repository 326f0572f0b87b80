-- The lookup lists keep one plan (issue 18; docs/performance.md, "The lookup lists planned
-- once", 7 Dec 2026).
--
-- What and why: app.lookup_entries and app.lookup_keys (behind list_workflow_types,
-- list_task_options, list_escalation_levels and the queue's type filter) read the
-- app.lookups view, a UNION ALL of four tables. For a given lookup the custom plan keeps
-- one branch and looks cheaper than the generic plan, which keeps all four behind one-time
-- filters, so PL/pgSQL's plan cache never settled on the generic plan: every call planned
-- the view again. Measured in a loop on 7 Dec: 167 µs a call as it was, 45 µs with the
-- generic plan. `plan_cache_mode = force_generic_plan` for the function's own statements
-- keeps the plan made once per connection; the one-time filters skip the other branches.
--
-- Restated whole from 20261206210000_per_request_helpers_planned_once_per_session.sql;
-- only the setting is new.

create or replace function app.lookup_entries(lookup text)
returns jsonb
language plpgsql
stable
set search_path = ''
set plan_cache_mode = force_generic_plan
as $$
begin
  return (
    select coalesce(jsonb_agg(jsonb_build_object('key', l.key, 'label', l.label) order by l.sort), '[]'::jsonb)
      from app.lookups l where l.lookup = lookup_entries.lookup
  );
end;
$$;

create or replace function app.lookup_keys(lookup text)
returns text[]
language plpgsql
stable
set search_path = ''
set plan_cache_mode = force_generic_plan
as $$
begin
  return (
    select coalesce(array_agg(l.key order by l.sort), '{}'::text[]) from app.lookups l where l.lookup = lookup_keys.lookup
  );
end;
$$;
