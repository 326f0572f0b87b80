-- Organisation settings as an API: get_organisation_settings (any member) and
-- update_organisation_settings (admins), a validated merge like update_user_preferences
-- (issue 16 item 3; docs/admin.md "Workflows, actions and settings").
--
-- The settings, grouped as the Settings page shows them:
--   time_zone                        organisation_settings.time_zone
--   email.require_approval           organisation_settings.require_email_approval
--   email.allow_self_approval        organisation_settings.allow_self_approval
--   thresholds.risk_score_trigger    organisation_settings.risk_score_trigger      (orchestrator)
--   thresholds.opportunity_score_trigger                                            (orchestrator)
--   thresholds.renewal_overdue_cutoff_days                                          (orchestrator)
--   snooze.{default_days,min_days,max_days}  the `snooze` saved action's config (written
--                                    through app.save_org_saved_action, which keeps the
--                                    snooze_* columns equal to it)
--   brief.time                       organisation_settings.settings ->> 'brief_time' ('07:00',
--                                    local time in time_zone; app.organisation_brief_time)
--   llm.model                        organisation_settings.settings ->> 'llm_model' (read by
--                                    create_chat_thread; default llama3.1:8b)
--
-- Why: an unknown group or key, a wrong type or an out-of-range value is refused with
-- 22023 naming the key, and nothing changes; what is valid is applied in one transaction
-- and recorded with app.record_admin_change (before and after).

-- The settings as one document.
create or replace function app.organisation_settings_document(org_id uuid)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select jsonb_build_object(
    'time_zone', s.time_zone,
    'email', jsonb_build_object('require_approval', s.require_email_approval, 'allow_self_approval', s.allow_self_approval),
    'thresholds', jsonb_build_object(
      'risk_score_trigger', s.risk_score_trigger,
      'opportunity_score_trigger', s.opportunity_score_trigger,
      'renewal_overdue_cutoff_days', s.renewal_overdue_cutoff_days),
    'snooze', (
      select jsonb_build_object('default_days', (a.config ->> 'default_days')::integer,
                                'min_days', (a.config ->> 'min_days')::integer,
                                'max_days', (a.config ->> 'max_days')::integer)
        from app.saved_actions a
       where a.key = 'snooze' and a.is_active and (a.org_id = s.org_id or a.org_id is null)
       order by a.org_id nulls last limit 1),
    'brief', jsonb_build_object('time', coalesce(s.settings ->> 'brief_time', '07:00')),
    'llm', jsonb_build_object('model', coalesce(s.settings ->> 'llm_model', 'llama3.1:8b')),
    'updated_at', s.updated_at)
    from app.organisation_settings s
   where s.org_id = organisation_settings_document.org_id
$$;

-- When the daily brief is due for an organisation, in its own time zone.
create or replace function app.organisation_brief_time(org_id uuid)
returns time
language sql
stable
set search_path = ''
as $$
  select coalesce((s.settings ->> 'brief_time')::time, '07:00'::time)
    from app.organisation_settings s where s.org_id = organisation_brief_time.org_id
$$;
comment on function app.organisation_brief_time(uuid) is 'The local time (in the organisation''s time zone) at which daily briefs are due; default 07:00.';

create or replace function public.get_organisation_settings()
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_org uuid := app.current_org_id();
begin
  if v_org is null then
    raise exception 'You are not a member of an organisation' using errcode = '42501';
  end if;
  return app.organisation_settings_document(v_org);
end;
$$;
comment on function public.get_organisation_settings() is
  'The organisation''s settings: time_zone, email approval, orchestrator thresholds, snooze limits, brief time, LLM model.';
revoke execute on function public.get_organisation_settings() from public, anon;
grant execute on function public.get_organisation_settings() to authenticated;

-- Every problem of a settings change, naming the key; empty when it can be applied.
create or replace function app.organisation_settings_problems(changes jsonb)
returns text[]
language sql
stable
set search_path = ''
as $$
  with spec(grp, key, kind, lo, hi) as (values
    ('', 'time_zone', 'time_zone', null::numeric, null::numeric),
    ('email', 'require_approval', 'boolean', null, null),
    ('email', 'allow_self_approval', 'boolean', null, null),
    ('thresholds', 'risk_score_trigger', 'integer', 0, 100),
    ('thresholds', 'opportunity_score_trigger', 'integer', 0, 100),
    ('thresholds', 'renewal_overdue_cutoff_days', 'integer', 1, 365),
    ('snooze', 'default_days', 'integer', 1, 365),
    ('snooze', 'min_days', 'integer', 1, 365),
    ('snooze', 'max_days', 'integer', 1, 365),
    ('brief', 'time', 'clock', null, null),
    ('llm', 'model', 'model', null, null)
  ), entries as (
    select '' as grp, g.key, g.value from jsonb_each(organisation_settings_problems.changes) g where g.key = 'time_zone'
    union all
    select g.key, e.key, e.value
      from jsonb_each(organisation_settings_problems.changes) g
      cross join lateral jsonb_each(case when jsonb_typeof(g.value) = 'object' then g.value else '{}'::jsonb end) e
     where g.key <> 'time_zone'
  )
  select coalesce(array_agg(problem order by problem), '{}') from (
    select g.key || ' is not a settings group (known: time_zone, email, thresholds, snooze, brief, llm)' as problem
      from jsonb_each(organisation_settings_problems.changes) g
     where g.key not in ('time_zone', 'email', 'thresholds', 'snooze', 'brief', 'llm')
    union all
    select g.key || ' must be an object of settings, e.g. {"' || g.key || '": {"' ||
           (select min(s.key) from spec s where s.grp = g.key) || '": …}}'
      from jsonb_each(organisation_settings_problems.changes) g
     where g.key in ('email', 'thresholds', 'snooze', 'brief', 'llm') and jsonb_typeof(g.value) <> 'object'
    union all
    select e.grp || '.' || e.key || ' is not a setting (known in ' || e.grp || ': '
           || (select string_agg(s.key, ', ' order by s.key) from spec s where s.grp = e.grp) || ')'
      from entries e
     where e.grp in ('email', 'thresholds', 'snooze', 'brief', 'llm')
       and not exists (select 1 from spec s where s.grp = e.grp and s.key = e.key)
    union all
    select ltrim(e.grp || '.' || e.key, '.') || case s.kind
             when 'time_zone' then ' must be a time zone name such as Europe/Paris'
             when 'boolean' then ' must be true or false'
             when 'integer' then ' must be a whole number from ' || s.lo || ' to ' || s.hi
             when 'clock' then ' must be a time of day as HH:MM, e.g. 07:00'
             else ' must be a model name of letters, digits and . _ : / - (at most 100 characters)' end
      from entries e
      join spec s on s.grp = e.grp and s.key = e.key
     where not case s.kind
             when 'time_zone' then jsonb_typeof(e.value) = 'string' and app.is_time_zone(e.value #>> '{}')
             when 'boolean' then jsonb_typeof(e.value) = 'boolean'
             when 'integer' then jsonb_typeof(e.value) = 'number'
                                 and (e.value #>> '{}')::numeric = trunc((e.value #>> '{}')::numeric)
                                 and (e.value #>> '{}')::numeric between s.lo and s.hi
             when 'clock' then jsonb_typeof(e.value) = 'string' and (e.value #>> '{}') ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'
             else jsonb_typeof(e.value) = 'string' and (e.value #>> '{}') ~ '^[A-Za-z0-9._:/-]{1,100}$' end
  ) problems
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
comment on function public.update_organisation_settings(jsonb) is
  'Admins: a validated merge of setting changes ({time_zone, email{}, thresholds{}, snooze{}, brief{}, llm{}}); returns all settings.';
revoke execute on function public.update_organisation_settings(jsonb) from public, anon;
grant execute on function public.update_organisation_settings(jsonb) to authenticated;

grant execute on function app.organisation_settings_document(uuid) to authenticated, service_role;
grant execute on function app.organisation_brief_time(uuid) to authenticated, service_role;
grant execute on function app.organisation_settings_problems(jsonb) to authenticated, service_role;
