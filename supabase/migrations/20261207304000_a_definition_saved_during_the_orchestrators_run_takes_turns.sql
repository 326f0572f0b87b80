-- A workflow definition saved while the orchestrator opens and re-ranks workflows of it takes
-- turns with the run instead of deadlocking with it (docs/admin.md; docs/workflow-engine.md
-- "Locks"; tests/integration/workflow-definition-races.test.ts).
--
-- save_workflow_definition locked the organisation's workflow row `for update`; a new name
-- then re-renders the queue cards of its open workflows, waiting for a card the daily run
-- was rewriting (it re-ranks the workflows of customers whose scores changed). The run then
-- opened a workflow of the same definition for another customer, whose foreign key takes a
-- key share on the workflow's row, which `for update` refuses: a deadlock, 40P01, answered
-- to the admin as a 500.
--
-- Fix: the row is locked `for no key update`, what its update takes anyway (a save never
-- changes the workflow's key): a workflow opened of it does not wait for the save, the run
-- finishes, and the save follows.

create or replace function public.save_workflow_definition(workflow_key text, definition jsonb, base_version integer)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_org uuid := app.current_org_id();
  d jsonb := jsonb_strip_nulls(save_workflow_definition.definition);
  own app.workflows;
  core app.workflows;
  v_current integer;
  v_before jsonb;
begin
  if v_org is null or not app.has_role('admin') then
    raise exception 'Only admins can change workflow definitions' using errcode = '42501',
      hint = 'Ask an admin of your organisation.';
  end if;
  if save_workflow_definition.workflow_key is null
     or save_workflow_definition.workflow_key !~ '^[a-z0-9]+(-[a-z0-9]+)*$' or length(save_workflow_definition.workflow_key) > 64 then
    raise exception 'workflow_key must be a key of lowercase words joined by hyphens, e.g. renewal-kickoff' using errcode = '22023';
  end if;
  if save_workflow_definition.base_version is not null and save_workflow_definition.base_version < 0 then
    raise exception 'base_version must be the version you edited (0 or null for a new workflow)' using errcode = '22023';
  end if;
  perform app.check_workflow_definition_valid(v_org, d);

  -- Two admins saving the same key queue here; the loser then sees a newer version.
  perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended(
    'renubu.workflow_definition:' || v_org::text || ':' || save_workflow_definition.workflow_key, 0));
  -- `for no key update`: a save never changes the workflow's key, and a workflow opened of
  -- it meanwhile (the orchestrator, a person) takes a key share on this row, which `for
  -- update` refused while the save waited for that run's queue cards: a deadlock.
  select * into own from app.workflows x where x.org_id = v_org and x.key = save_workflow_definition.workflow_key for no key update;
  select * into core from app.workflows x where x.org_id is null and x.key = save_workflow_definition.workflow_key and x.is_active;
  v_current := coalesce(own.current_version, core.current_version, 0);
  if coalesce(save_workflow_definition.base_version, 0) <> v_current then
    raise exception 'This workflow was changed since you opened it: it is now at version %, you edited version %',
      v_current, coalesce(save_workflow_definition.base_version, 0)
      using errcode = 'PT409', detail = 'stale_base_version',
      hint = 'Reload it to see the other change, apply yours again and save.';
  end if;
  perform app.check_workflow_definition_keeps(own, core, d);

  v_before := case when own.id is not null then app.workflow_definition_log_entry(own)
                   when core.id is not null then app.workflow_definition_log_entry(core) end;
  own := app.store_workflow_definition_row(v_org, save_workflow_definition.workflow_key, own, core, d, v_current + 1);
  perform app.store_workflow_definition_version(own, d);
  perform app.record_admin_change('workflow_definition', save_workflow_definition.workflow_key,
    case when v_before is null then 'create' when v_before ->> 'scope' = 'core' then 'override' else 'update' end,
    v_before, app.workflow_definition_log_entry(own));
  return public.get_workflow_definition(save_workflow_definition.workflow_key);
end;
$$;
