-- The snooze limits saved on the Settings page and the Snooze action saved on the Actions
-- page at the same moment take turns (docs/admin.md; tests/integration/admin-settings-races.test.ts).
--
-- The three numbers are kept in both places. update_organisation_settings locked the
-- settings row, then (app.save_org_saved_action) the Snooze action's advisory lock and row;
-- save_saved_action took the action's locks, then wrote the settings row. Each held what
-- the other waited for: a deadlock, 40P01, a 500 to one of the two admins.
--
-- Fix: a save of the Snooze action locks the settings row first, the order of the Settings
-- page (where it is taken already, this is free).

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
begin
  if save_org_saved_action.action_key is null or save_org_saved_action.action_key !~ '^[a-z0-9]+(_[a-z0-9]+)*$'
     or length(save_org_saved_action.action_key) > 64 then
    raise exception 'action_key must be a key of lowercase words joined by underscores, e.g. snooze_short' using errcode = '22023';
  end if;
  if save_org_saved_action.changes is null or jsonb_typeof(save_org_saved_action.changes) <> 'object' then
    raise exception 'config must be a JSON object of the settings to change' using errcode = '22023';
  end if;
  -- The Snooze action's limits are also the organisation settings' (written below): the
  -- settings row first, as update_organisation_settings takes it before calling here, so a
  -- save on the Actions page and one on the Settings page take turns (the other way round
  -- they deadlocked).
  if save_org_saved_action.action_key = 'snooze' then
    perform 1 from app.organisation_settings s where s.org_id = v_org for update;
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
  if v_before is distinct from app.saved_action_entry(own) then
    perform app.record_admin_change('saved_action', own.key,
      case when v_before is null then 'create' when v_before ->> 'scope' = 'core' then 'override' else 'update' end,
      v_before, app.saved_action_entry(own));
  end if;
  return own;
end;
$$;
