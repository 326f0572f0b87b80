-- list_workflow_types(): the kinds of workflow with their labels, for the web app
-- (issue 17 "one source per rule"; docs/lookups.md).
--
-- What and why: the workflow types are a lookup (app.workflow_types, 20261204000700_tasks.sql)
-- that the workflows table and the queue's `types` filter read, but the web app kept its
-- own list of them (the queue's Type filter) and made the labels up from the keys, and the
-- API module kept a third copy as an enum. This RPC gives the lookup to clients as the other
-- lookups are given ([{key, label}] in `sort` order, like list_escalation_levels), so a type
-- added to the table appears in the filter with its label and nothing else lists them.
--
-- Security invoker: app.workflow_types is readable by every signed-in member (its select
-- policy); anonymous callers are refused (no execute grant).

create or replace function public.list_workflow_types()
returns jsonb language sql stable security invoker set search_path = ''
as $$ select app.lookup_entries('workflow_type') $$;
comment on function public.list_workflow_types() is
  'The kinds of workflow ([{key, label}], in the lookup''s order: renewal first, custom last): what the queue''s type filter offers and how a type is named.';

revoke execute on function public.list_workflow_types() from public, anon;
grant execute on function public.list_workflow_types() to authenticated;
