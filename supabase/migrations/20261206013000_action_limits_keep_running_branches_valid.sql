-- An action's limits keep the workflow branches the organisation runs valid
-- (docs/business-rules.md "Actions").
--
-- What and why: a saved_action branch of a workflow definition carries default params
-- (`config.defaults`, e.g. {"days": 7}), and save_workflow_definition checks them against
-- the action's limits (app.workflow_definition_org_problems). The other way round was not
-- checked: narrowing an action's limits (save_saved_action, or the snooze limits through
-- update_organisation_settings — both write through app.save_org_saved_action) was accepted
-- although a definition the organisation runs had a default outside the new limits. That
-- branch then failed for every CSM who chose it (execute_action 22023 "days must be
-- between 1 and 5"), and the definition could no longer be saved unchanged.
--
-- Now app.save_org_saved_action, after storing the new config (the validator reads the
-- organisation's actions from the table), checks every definition the organisation runs —
-- app.effective_workflows: its own workflows and the core ones it has not switched off,
-- an override's current version in place of the core one — that has a branch using the
-- action, with the same validator save_workflow_definition uses. A branch default the
-- change puts outside the limits refuses the change with 22023 naming each such branch
-- (workflow name and path: the first three, then "and N more"; all in the detail), and
-- the transaction rolls back: nothing is written. A branch that was already outside the
-- limits before the change does not block it (it is no worse for it).

-- The problems of the branch defaults of the definitions an organisation runs that use an
-- action, against the actions as they are stored now: one row per problem, `subject` the
-- path it is about (the problem's first word).
create or replace function app.running_branch_default_problems(org_id uuid, action_key text)
returns table (workflow_key text, workflow_name text, subject text, problem text)
language sql
stable
set search_path = ''
as $$
  select f.key, f.name, split_part(p.problem, ' ', 1), p.problem
    from app.effective_workflows(running_branch_default_problems.org_id) f
    cross join lateral unnest(app.workflow_definition_org_problems(
           running_branch_default_problems.org_id,
           app.workflow_definition_document(f.workflow_id, f.version_id))) as p(problem)
   where exists (select 1 from app.workflow_chat_branches b
                  where b.workflow_version_id = f.version_id
                    and b.branch_type = 'saved_action'
                    and b.saved_action_key = running_branch_default_problems.action_key)
$$;
comment on function app.running_branch_default_problems(uuid, text) is
  'Problems (app.workflow_definition_org_problems) of the definitions an organisation runs that have a branch using the action, with the workflow and the path each is about.';
revoke execute on function app.running_branch_default_problems(uuid, text) from public, anon;
grant execute on function app.running_branch_default_problems(uuid, text) to authenticated, service_role;

-- Restated whole: as before, plus the check of the running definitions' branch defaults
-- after the config is stored.
create or replace function app.save_org_saved_action(
  org_id uuid, action_key text, changes jsonb, name text, action_type text, description text
)
returns app.saved_actions
language plpgsql
set search_path = ''
as $$
declare
  v_org uuid := save_org_saved_action.org_id;
  own app.saved_actions;
  core app.saved_actions;
  v_type text;
  v_config jsonb;
  v_before jsonb;
  v_changed boolean;
  v_broken_before text[];
  v_broken text[];
begin
  if save_org_saved_action.action_key is null or save_org_saved_action.action_key !~ '^[a-z0-9]+(_[a-z0-9]+)*$'
     or length(save_org_saved_action.action_key) > 64 then
    raise exception 'action_key must be a key of lowercase words joined by underscores, e.g. snooze_short' using errcode = '22023';
  end if;
  if save_org_saved_action.changes is null or jsonb_typeof(save_org_saved_action.changes) <> 'object' then
    raise exception 'config must be a JSON object of the settings to change' using errcode = '22023';
  end if;
  perform pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtextextended(
    'renubu.saved_action:' || v_org::text || ':' || save_org_saved_action.action_key, 0));
  select * into own from app.saved_actions s where s.org_id = v_org and s.key = save_org_saved_action.action_key for update;
  select * into core from app.saved_actions s where s.org_id is null and s.key = save_org_saved_action.action_key;
  v_type := app.saved_action_type_of(save_org_saved_action.action_key, own, core, save_org_saved_action.action_type);
  perform app.check_saved_action_texts(own, core, save_org_saved_action.name, save_org_saved_action.description);
  v_config := app.saved_action_merged_config(own, core, v_type, save_org_saved_action.changes);

  v_before := case when own.id is not null then app.saved_action_entry(own)
                   when core.id is not null then app.saved_action_entry(core) end;
  -- The branches already outside the limits before the change (they do not block it).
  v_changed := v_config is distinct from (v_before -> 'config');
  if v_changed then
    v_broken_before := array(select p.workflow_key || ' ' || p.subject
                               from app.running_branch_default_problems(v_org, save_org_saved_action.action_key) p);
  end if;
  own := app.store_org_saved_action(v_org, save_org_saved_action.action_key, own, core, v_type, v_config,
                                    save_org_saved_action.name, save_org_saved_action.description);
  -- The snooze limits of the organisation settings are the same numbers.
  if own.key = 'snooze' then
    update app.organisation_settings s
       set snooze_min_days = (v_config ->> 'min_days')::integer,
           snooze_default_days = (v_config ->> 'default_days')::integer,
           snooze_max_days = (v_config ->> 'max_days')::integer
     where s.org_id = v_org;
  end if;
  -- The definitions the organisation runs keep their branch defaults within the limits:
  -- checked against the config just stored; raising rolls all of it back.
  if v_changed then
    v_broken := array(select p.workflow_name || ': ' || p.problem
                        from app.running_branch_default_problems(v_org, save_org_saved_action.action_key) p
                       where not (p.workflow_key || ' ' || p.subject) = any(v_broken_before)
                       order by p.workflow_name, p.workflow_key, p.problem);
    if cardinality(v_broken) > 0 then
      raise exception 'These limits would leave workflow branches your organisation runs outside them: %',
        array_to_string(v_broken[1:3], '; ')
        || case when cardinality(v_broken) > 3 then '; and ' || (cardinality(v_broken) - 3) || ' more' else '' end
        using errcode = '22023', detail = array_to_string(v_broken, E'\n'),
        hint = 'Nothing was changed. Keep the limits wide enough for those defaults, or first change the branches'' '
               || 'defaults in the workflow editor (saving a core workflow there gives your organisation its own version) '
               || 'or switch those workflows off; then save again.';
    end if;
  end if;
  if v_before is distinct from app.saved_action_entry(own) then
    perform app.record_admin_change('saved_action', own.key,
      case when v_before is null then 'create' when v_before ->> 'scope' = 'core' then 'override' else 'update' end,
      v_before, app.saved_action_entry(own));
  end if;
  return own;
end;
$$;
comment on function app.save_org_saved_action(uuid, text, jsonb, text, text, text) is
  'Writes an organisation''s saved action (its own, or its override of a core one) with a validated, merged config; refused when it would put a branch default of a workflow the organisation runs outside the limits.';
revoke execute on function app.save_org_saved_action(uuid, text, jsonb, text, text, text) from public, anon;
grant execute on function app.save_org_saved_action(uuid, text, jsonb, text, text, text) to authenticated, service_role;
