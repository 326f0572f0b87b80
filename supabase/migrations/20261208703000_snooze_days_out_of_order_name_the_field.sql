-- Snooze days out of order are refused naming the field and saying what is wrong in the
-- words of the forms that set them (Admin -> Settings' and Admin -> Actions' Fewest, Default
-- and Most days): "snooze.default_days must not be fewer than the fewest days (10)".
--
-- What and why: update_organisation_settings checked each of the snooze days alone (1 to
-- 365) and left their order to the Snooze action's check, so a Settings save of fewest 10,
-- default 7 answered "The action's settings are not valid: config snooze days must satisfy
-- 1 ≤ min_days ≤ default_days ≤ max_days ≤ 365": another page's words, a formula, and no
-- field for the page to put it beside (the page showed it at its foot). A save on Admin ->
-- Actions got the same formula. Now one rule, app.snooze_days_problems, names the field that
-- is out of place, for the settings as `snooze.<field>` and for an action's config as
-- `config.<field>`: a fewest or most days outside 1 to 365, a default fewer than the fewest
-- days or more than the most days. The web app puts each beside its field ("Must not be
-- fewer than the fewest days (10).", web/src/features/admin-definitions/fieldErrors.ts).
-- The stored settings are merged with the change first, so a change of one field is judged
-- with the other two as they are.
--
-- app.snooze_days_problems is new; app.snooze_config_problems restated whole from
-- 20261206213000 and public.update_organisation_settings from 20261204001200, the order
-- check being the only change in each.
-- supabase/tests/organisation_settings/snooze_days_out_of_order_name_the_field.test.sql.

-- What is wrong with three whole numbers of snooze days, each problem starting with the
-- field it is about (prefix || key), in the words of the forms; empty when they may be saved.
create or replace function app.snooze_days_problems(days jsonb, prefix text)
returns text[]
language sql
immutable
parallel safe
set search_path = ''
as $$
  with d(fewest, usual, most) as (
    select (days ->> 'min_days')::numeric, (days ->> 'default_days')::numeric, (days ->> 'max_days')::numeric
  ), in_range as (
    select array_remove(array[
             case when fewest not between 1 and 365 then prefix || 'min_days must be from 1 to 365 days' end,
             case when usual not between 1 and 365 then prefix || 'default_days must be from 1 to 365 days' end,
             case when most not between 1 and 365 then prefix || 'max_days must be from 1 to 365 days' end], null) as p
      from d
  )
  select case when cardinality(r.p) > 0 then r.p
    else array_remove(array[
           case when d.usual < d.fewest then prefix || 'default_days must not be fewer than the fewest days (' || d.fewest || ')' end,
           case when d.usual > d.most then prefix || 'default_days must not be more than the most days (' || d.most || ')' end], null) end
    from d, in_range r
$$;
comment on function app.snooze_days_problems(jsonb, text) is
  'Snooze days {min_days, default_days, max_days} (whole numbers) out of range or order, each problem naming its field after prefix (snooze. or config.); empty when valid.';
revoke execute on function app.snooze_days_problems(jsonb, text) from public, anon;
grant execute on function app.snooze_days_problems(jsonb, text) to authenticated, service_role;

-- A saved action's config: snooze days.
-- snooze: whole days with 1 ≤ min ≤ default ≤ max ≤ 365.
create or replace function app.snooze_config_problems(c jsonb)
returns text[]
language sql
immutable
parallel safe
set search_path = ''
as $$
  select case
    when exists (select 1 from unnest(array['default_days', 'min_days', 'max_days']) f
                  where not app.is_whole_number(c -> f))
      then array['config.default_days, min_days and max_days must be whole numbers of days']
    else app.snooze_days_problems(c, 'config.') end
$$;

create or replace function public.update_organisation_settings(changes jsonb)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_org uuid := app.current_org_id();
  c jsonb := update_organisation_settings.changes;
  v_problems text[];
  v_before jsonb;
  v_after jsonb;
begin
  if v_org is null or not app.has_role('admin') then
    raise exception 'Only admins can change the organisation''s settings' using errcode = '42501',
      hint = 'Ask an admin of your organisation.';
  end if;
  if c is null or jsonb_typeof(c) <> 'object' then
    raise exception 'changes must be a JSON object such as {"email": {"require_approval": true}}' using errcode = '22023';
  end if;
  v_problems := app.organisation_settings_problems(c);
  -- Each number of days may be in range while the three are out of order: said per field,
  -- in the words of the Settings page (its Fewest, Default and Most days).
  if cardinality(v_problems) = 0 and jsonb_typeof(c -> 'snooze') = 'object' then
    v_problems := app.snooze_days_problems(
      (select jsonb_build_object('min_days', s.snooze_min_days, 'default_days', s.snooze_default_days, 'max_days', s.snooze_max_days)
         from app.organisation_settings s where s.org_id = v_org) || (c -> 'snooze'),
      'snooze.');
  end if;
  if cardinality(v_problems) > 0 then
    raise exception '%', array_to_string(v_problems, '; ') using errcode = '22023',
      hint = 'Nothing was changed; fix the settings named and try again.';
  end if;
  perform 1 from app.organisation_settings s where s.org_id = v_org for update;
  v_before := app.organisation_settings_document(v_org);

  update app.organisation_settings s
     set time_zone = coalesce(c ->> 'time_zone', s.time_zone),
         require_email_approval = coalesce((c -> 'email' ->> 'require_approval')::boolean, s.require_email_approval),
         allow_self_approval = coalesce((c -> 'email' ->> 'allow_self_approval')::boolean, s.allow_self_approval),
         risk_score_trigger = coalesce((c -> 'thresholds' ->> 'risk_score_trigger')::integer, s.risk_score_trigger),
         opportunity_score_trigger = coalesce((c -> 'thresholds' ->> 'opportunity_score_trigger')::integer, s.opportunity_score_trigger),
         renewal_overdue_cutoff_days = coalesce((c -> 'thresholds' ->> 'renewal_overdue_cutoff_days')::integer, s.renewal_overdue_cutoff_days),
         settings = s.settings
                    || case when c -> 'brief' ? 'time' then jsonb_build_object('brief_time', c -> 'brief' ->> 'time') else '{}'::jsonb end
                    || case when c -> 'llm' ? 'model' then jsonb_build_object('llm_model', c -> 'llm' ->> 'model') else '{}'::jsonb end
   where s.org_id = v_org;
  -- The snooze limits are the snooze action's (validated there: min ≤ default ≤ max).
  if c ? 'snooze' and exists (select 1 from jsonb_each(c -> 'snooze') x where v_before -> 'snooze' -> x.key is distinct from x.value) then
    perform app.save_org_saved_action(v_org, 'snooze', c -> 'snooze', null, null, null);
  end if;

  v_after := app.organisation_settings_document(v_org);
  if (v_before - 'updated_at') is distinct from (v_after - 'updated_at') then
    perform app.record_admin_change('organisation_settings', v_org::text, 'update', v_before - 'updated_at', v_after - 'updated_at');
  end if;
  return v_after;
end;
$$;

