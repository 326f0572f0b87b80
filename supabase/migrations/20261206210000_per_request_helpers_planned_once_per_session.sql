-- The helpers the API calls on every request are PL/pgSQL, so each connection plans them
-- once (docs/schema.md "Functions", docs/performance.md 6 Dec 2026).
--
-- What and why: every function here sets its search_path, so a `language sql` one is never
-- inlined, and Postgres parses, analyses and plans its body again for each statement that
-- calls it; PL/pgSQL keeps its plans for the session. Migration 20261205064500 made the
-- one-expression helpers with arguments PL/pgSQL. Left over, and measured as one request
-- each (a transaction with the role and claims, as the gateway sends it, csm-0001 of the
-- scale organisation): list_workflow_types 0.34 ms, list_task_options 0.55 ms,
-- get_organisation_settings 0.52 ms, get_user_preferences 0.57 ms and list_saved_actions
-- 0.68 ms, against 0.24 ms for get_my_profile, which reads two tables under row-level
-- security. They are:
-- - the parameterless constants (the preference spec, the artifact types and reserved
--   metadata keys, the contract fields, the definition vocabulary) and the preference value
--   check, one expression each, which the earlier test missed (no argument, or the words
--   "distinct from" read as a FROM);
-- - the three lookup lists the action dialog and the queue's filters read;
-- - the small reads those RPCs and the settings page make per request (a lookup's entries
--   and keys, the settings document, a saved action's entry, the resolved preferences, the
--   effective workflows of an organisation).
-- Bodies, signatures, volatility and parallel safety are unchanged; a scalar body becomes
-- `return (<the same select>)`, the set-returning one `return query`.
--
-- get_user_preferences also read by writing: an INSERT ... ON CONFLICT DO NOTHING on every
-- call, so a read took a row lock and failed in a read-only transaction (a GET). It now
-- reads the stored row and inserts only when the caller has none yet.
--
-- supabase/tests/structure/one_expression_helpers_are_plpgsql.test.sql now also fails on
-- a new parameterless constant, and per_request_helpers_are_plpgsql on any of these
-- turning back into SQL.

create or replace function app.user_preference_spec()
returns jsonb
language plpgsql
immutable
parallel safe
set search_path = ''
as $$
begin
  return '{
    "chat": {
      "shiftEnterToSubmit": {"type": "boolean", "default": false},
      "enableSoundNotifications": {"type": "boolean", "default": true},
      "autoScrollToBottom": {"type": "boolean", "default": true}
    },
    "notifications": {
      "emailDigest": {"type": "string", "default": "daily", "allowed": ["off", "daily", "weekly"]},
      "inAppNotifications": {"type": "boolean", "default": true},
      "desktopNotifications": {"type": "boolean", "default": false}
    },
    "ui": {
      "theme": {"type": "string", "default": "light", "allowed": ["light", "dark", "system"]},
      "compactMode": {"type": "boolean", "default": false},
      "sidebarCollapsed": {"type": "boolean", "default": false}
    },
    "workflow": {
      "autoAdvanceSteps": {"type": "boolean", "default": false},
      "showCompletedTasks": {"type": "boolean", "default": true}
    }
  }'::jsonb;
end;
$$;

create or replace function app.user_preference_value_is_valid(rule jsonb, value jsonb)
returns boolean
language plpgsql
immutable
parallel safe
set search_path = ''
as $$
begin
  return user_preference_value_is_valid.rule is not null
     and jsonb_typeof(user_preference_value_is_valid.value) is not distinct from user_preference_value_is_valid.rule ->> 'type'
     and (not user_preference_value_is_valid.rule ? 'allowed'
          or user_preference_value_is_valid.rule -> 'allowed' @> jsonb_build_array(user_preference_value_is_valid.value));
end;
$$;

create or replace function app.resolve_user_preferences(chat jsonb, notifications jsonb, ui jsonb, workflow jsonb)
returns jsonb
language plpgsql
immutable
parallel safe
set search_path = ''
as $$
begin
  return (
    with stored as (
      select jsonb_build_object(
        'chat', coalesce(resolve_user_preferences.chat, '{}'::jsonb),
        'notifications', coalesce(resolve_user_preferences.notifications, '{}'::jsonb),
        'ui', coalesce(resolve_user_preferences.ui, '{}'::jsonb),
        'workflow', coalesce(resolve_user_preferences.workflow, '{}'::jsonb)
      ) as s
    )
    select jsonb_object_agg(g.key, (
             select jsonb_object_agg(
                      k.key,
                      case when app.user_preference_value_is_valid(k.value, stored.s -> g.key -> k.key)
                           then stored.s -> g.key -> k.key
                           else k.value -> 'default' end)
             from jsonb_each(g.value) k))
    from jsonb_each(app.user_preference_spec()) g
    cross join stored
  );
end;
$$;

-- Restated whole: reads first, and writes the caller's row only when there is none.
create or replace function public.get_user_preferences()
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  caller_org uuid := app.current_org_id();
  stored app.user_preferences;
begin
  if caller_org is null then
    raise exception 'No profile for the signed-in user'
      using errcode = 'PT404',
            hint = 'Sign in as a user who belongs to an organisation, or ask an admin to add you.';
  end if;

  select p.* into stored
  from app.user_preferences p
  where p.user_id = (select auth.uid());
  if not found then
    insert into app.user_preferences (user_id, org_id)
    values ((select auth.uid()), caller_org)
    on conflict (user_id) do nothing;
    select p.* into stored
    from app.user_preferences p
    where p.user_id = (select auth.uid());
  end if;

  return app.resolve_user_preferences(stored.chat, stored.notifications, stored.ui, stored.workflow);
end;
$$;

create or replace function app.artifact_types()
returns text[]
language plpgsql
immutable
parallel safe
set search_path = ''
as $$
begin
  return array[
    'email_draft', 'contract_analysis', 'meeting_notes', 'proposal_draft', 'recommendation',
    'assessment', 'action_plan', 'summary', 'custom'
  ];
end;
$$;

create or replace function app.artifact_reserved_metadata_keys()
returns text[]
language plpgsql
immutable
set search_path = ''
as $$
begin
  return array['approval_log', 'approved_by', 'approved_at', 'sent_at', 'sent_outbox_id'];
end;
$$;

create or replace function app.contract_field_keys()
returns text[]
language plpgsql
immutable
parallel safe
set search_path = ''
as $$
begin
  return array['start_date', 'end_date', 'auto_renew', 'notice_period_days', 'term_months', 'annual_value',
               'currency', 'price_increase_cap_pct', 'termination_for_convenience', 'payment_terms'];
end;
$$;

create or replace function app.workflow_definition_vocabulary()
returns jsonb
language plpgsql
immutable
parallel safe
set search_path = ''
as $$
begin
  return '{
    "workflow_types": ["renewal", "strategic", "risk", "opportunity", "custom"],
    "trigger_kinds": ["manual", "renewal_stage", "schedule", "score"],
    "renewal_stages": ["Overdue", "Emergency", "Critical", "Signature", "Finalize", "Negotiate", "Engage", "Prepare", "Monitor"],
    "schedule_every": ["month", "quarter"],
    "plans": ["invest", "expand", "manage", "monitor"],
    "score_fields": ["risk_score", "opportunity_score"],
    "step_types": ["review", "analysis", "draft", "meeting", "action", "outcome"],
    "artifact_types": ["email_draft", "contract_analysis", "meeting_notes", "proposal_draft", "recommendation", "assessment", "action_plan", "summary", "custom"],
    "branch_types": ["fixed", "llm", "saved_action", "rag"],
    "limits": {"name": 120, "description": 2000, "change_note": 500, "steps": 30, "title": 200,
               "prompt_template": 8000, "branches": 12, "label": 200, "response_text": 4000,
               "key": 64, "sources": 10, "defaults": 10, "default_text": 500, "base_score": 1000}
  }'::jsonb;
end;
$$;

create or replace function app.lookup_entries(lookup text)
returns jsonb
language plpgsql
stable
set search_path = ''
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
as $$
begin
  return (
    select coalesce(array_agg(l.key order by l.sort), '{}'::text[]) from app.lookups l where l.lookup = lookup_keys.lookup
  );
end;
$$;

create or replace function public.list_task_options()
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
begin
  return jsonb_build_object('task_types', app.lookup_entries('task_type'), 'priorities', app.lookup_entries('task_priority'));
end;
$$;

create or replace function public.list_escalation_levels()
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
begin
  return app.lookup_entries('escalation_level');
end;
$$;

create or replace function public.list_workflow_types()
returns jsonb
language plpgsql
stable
security invoker
set search_path = ''
as $$
begin
  return app.lookup_entries('workflow_type');
end;
$$;

create or replace function app.organisation_settings_document(org_id uuid)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
begin
  return (
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
  );
end;
$$;

create or replace function app.saved_action_entry(a app.saved_actions)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
begin
  return jsonb_build_object(
    'key', a.key, 'name', a.name, 'type', a.action_type, 'description', a.description, 'config', a.config,
    'scope', case when a.org_id is null then 'core'
                  when exists (select 1 from app.saved_actions c where c.org_id is null and c.key = a.key) then 'override'
                  else 'organisation' end,
    'core_config', (select c.config from app.saved_actions c where c.org_id is null and c.key = a.key and a.org_id is not null),
    'updated_at', a.updated_at);
end;
$$;

create or replace function public.list_saved_actions()
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
begin
  return (
    select coalesce(jsonb_agg(app.saved_action_entry(a) order by a.name), '[]'::jsonb)
      from (
        select distinct on (s.key) s.*
          from app.saved_actions s
         where s.is_active and (s.org_id is null or s.org_id = (select app.current_org_id()))
         order by s.key, s.org_id nulls last
      ) a
     where (select app.current_org_id()) is not null
  );
end;
$$;

create or replace function app.effective_workflows(org_id uuid)
returns table (
  workflow_id uuid,
  key text,
  name text,
  workflow_type text,
  base_score numeric,
  trigger_config jsonb,
  version_id uuid,
  total_steps integer,
  first_step_key text,
  first_step_title text
)
language plpgsql
stable
set search_path = ''
as $$
begin
  -- An override answers with the core definition's id (the identity executions keep) and
  -- its own current version; switched-off keys are left out.
  return query
  select coalesce(w.overrides_workflow_id, w.id), w.key, w.name, w.workflow_type, w.base_score, w.trigger_config,
         v.id, coalesce(jsonb_array_length(v.config -> 'steps'), 0),
         v.config -> 'steps' -> 0 ->> 'key', v.config -> 'steps' -> 0 ->> 'title'
    from (
      select distinct on (w0.key) w0.*
        from app.workflows w0
       where w0.is_active
         and (w0.org_id = effective_workflows.org_id or w0.org_id is null)
       order by w0.key, w0.org_id nulls last
    ) w
    join app.workflow_versions v on v.workflow_id = w.id and v.version = w.current_version
   where not exists (select 1 from app.disabled_workflows d
                      where d.org_id = effective_workflows.org_id and d.workflow_key = w.key);
end;
$$;
