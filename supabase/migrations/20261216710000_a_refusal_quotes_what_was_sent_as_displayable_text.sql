-- A refusal that repeats a key or a value the caller sent shows it as one displayable line:
-- no control character, no line break, no text-direction override (docs/api-contract.md
-- "Errors", docs/business-rules.md "Displayable text").
--
-- What and why: update_user_preferences({"x<U+202E>y": …}) answered "x<U+202E>y is not a
-- preference group", execute_action's params "params.x<U+202E>y is not a parameter of …";
-- the message is shown as it is by the web app's error text, an MCP agent and the function
-- logs, where the override turned the rest of the sentence around. Every message that quotes
-- what was sent (a key of params, changes, filters, settings, preferences or a definition, an
-- action, workflow, step or branch key, an artifact type, an id or an address) now quotes it
-- through one helper, app.quoted: at most 60 characters, as 20261206259000 cut them, made one
-- displayable line by the rule's own mending (app.displayable_text: a tab or a line break
-- becomes a space, every other refused character is left out).
--
-- Restated from their newest definitions (pg_get_functiondef of the migrated schema, so the
-- bodies are as they were); the only change in each is app.quoted where left(…, 60) or the
-- bare key stood. supabase/tests/constraints/a_refusal_quotes_what_was_sent_as_displayable_text.test.sql.

-- `value` as a refusal quotes it: at most 60 characters on one displayable line.
create function app.quoted(value text)
returns text
language plpgsql
immutable
parallel safe
set search_path = ''
as $$
begin
  return app.displayable_text(left(quoted.value, 60), false);
end;
$$;
comment on function app.quoted(text) is
  'A key or a value the caller sent, as a refusal quotes it: at most 60 characters, one displayable line (app.displayable_text).';
revoke execute on function app.quoted(text) from public, anon;
grant execute on function app.quoted(text) to authenticated, service_role;
-- The mending is a pure function of its text; the refusals a person's call raises ask it.
grant execute on function app.displayable_text(text, boolean) to authenticated, service_role;

CREATE OR REPLACE FUNCTION app.available_action(action_key text, org_id uuid)
 RETURNS app.saved_actions
 LANGUAGE plpgsql
 STABLE
 SET search_path TO ''
AS $function$
declare
  a app.saved_actions;
begin
  select * into a from app.saved_actions s
   where s.key = available_action.action_key and s.is_active
     and (s.org_id is null or s.org_id = available_action.org_id)
   order by s.org_id nulls last limit 1;
  if not found then
    raise exception 'action_key "%" is not an action available to this organisation', app.quoted(available_action.action_key)
      using errcode = '22023', hint = 'Use one of list_saved_actions.';
  end if;
  return a;
end;
$function$
;

CREATE OR REPLACE FUNCTION app.chat_branch_for_thread(workflow_version_id uuid, step_key text, branch_key text)
 RETURNS app.workflow_chat_branches
 LANGUAGE plpgsql
 STABLE
 SET search_path TO ''
AS $function$
declare
  branch app.workflow_chat_branches;
begin
  select b.* into branch
    from app.workflow_chat_branches b
   where b.workflow_version_id = chat_branch_for_thread.workflow_version_id
     and b.step_key = chat_branch_for_thread.step_key and b.branch_key = chat_branch_for_thread.branch_key;
  if not found then
    raise exception 'Branch "%" is not offered at this step', app.quoted(chat_branch_for_thread.branch_key) using errcode = '22023',
      hint = 'Use one of the branches get_step_chat_branches returns for this step.';
  end if;
  if branch.branch_type not in ('llm', 'rag') then
    raise exception 'Branch "%" is a % branch and opens no chat', branch.label, branch.branch_type using errcode = '22023',
      hint = 'Choose fixed and saved-action branches with choose_chat_branch.';
  end if;
  return branch;
end;
$function$
;

CREATE OR REPLACE FUNCTION app.check_new_artifact(artifact_type text, title text, content jsonb)
 RETURNS void
 LANGUAGE plpgsql
 IMMUTABLE
 SET search_path TO ''
AS $function$
declare
  v_types constant text[] := app.artifact_types();
begin
  if check_new_artifact.artifact_type is null or not check_new_artifact.artifact_type = any (v_types) then
    raise exception 'artifact_type "%" is not known', app.quoted(check_new_artifact.artifact_type) using errcode = '22023',
      hint = format('Use %s or %s.', array_to_string(v_types[1:cardinality(v_types) - 1], ', '), v_types[cardinality(v_types)]);
  end if;
  if app.trimmed(check_new_artifact.title) is null then
    raise exception 'title must not be empty' using errcode = '22023', hint = 'Give the artifact a title.';
  end if;
  if check_new_artifact.content is null then
    raise exception 'content is required' using errcode = '22023', hint = 'Pass the artifact''s content as JSON.';
  end if;
end;
$function$
;

CREATE OR REPLACE FUNCTION app.check_person_change_fields(changes jsonb)
 RETURNS void
 LANGUAGE plpgsql
 IMMUTABLE
 SET search_path TO ''
AS $function$
declare
  v_key text;
begin
  if changes is null or jsonb_typeof(changes) <> 'object' or changes = '{}'::jsonb then
    raise exception 'changes must be an object with at least one of role, manager_id, title, experience_level, active'
      using errcode = '22023';
  end if;
  for v_key in select jsonb_object_keys(changes) loop
    if v_key not in ('role', 'manager_id', 'title', 'experience_level', 'active') then
      raise exception 'changes.% cannot be changed here', app.quoted(v_key) using errcode = '22023',
        hint = 'Allowed: role, manager_id, title, experience_level, active.';
    end if;
  end loop;
end;
$function$
;

CREATE OR REPLACE FUNCTION app.customer_list_filters(filters jsonb, OUT plans text[], OUT stages text[], OUT forecast text[], OUT assignee_id uuid)
 RETURNS record
 LANGUAGE plpgsql
 IMMUTABLE
 SET search_path TO ''
AS $function$
declare
  v_unknown text;
begin
  if jsonb_typeof(filters) <> 'object' then
    raise exception 'filters must be a JSON object' using errcode = '22023',
      hint = 'For example {"plans": ["invest"], "stages": ["Critical"], "assignee_id": "…", "forecast": ["at_risk"]}.';
  end if;
  select k into v_unknown from jsonb_object_keys(filters) k where k not in ('plans', 'stages', 'assignee_id', 'forecast') limit 1;
  if v_unknown is not null then
    raise exception 'filters has an unknown key "%"', app.quoted(v_unknown) using errcode = '22023',
      hint = 'Known keys: plans, stages, assignee_id, forecast.';
  end if;
  plans := app.queue_filter_values(filters, 'plans', array['expand', 'invest', 'monitor', 'manage']);
  stages := app.queue_filter_values(filters, 'stages',
    array['Overdue', 'Emergency', 'Critical', 'Signature', 'Finalize', 'Negotiate', 'Engage', 'Prepare', 'Monitor']);
  forecast := app.queue_filter_values(filters, 'forecast', array['commit', 'probable', 'at_risk', 'churn_expected']);
  if coalesce(cardinality(plans), 0) = 0 then plans := null; end if;
  if filters ? 'assignee_id' and jsonb_typeof(filters -> 'assignee_id') <> 'null' then
    begin
      assignee_id := (filters ->> 'assignee_id')::uuid;
    exception when others then
      raise exception 'filters.assignee_id must be a person''s id' using errcode = '22023';
    end;
  end if;
end;
$function$
;

CREATE OR REPLACE FUNCTION app.definition_unknown_keys(path text, obj jsonb, allowed text[])
 RETURNS text[]
 LANGUAGE sql
 IMMUTABLE PARALLEL SAFE
 SET search_path TO ''
AS $function$
  select coalesce(array_agg(definition_unknown_keys.path || '.' || app.quoted(k) || ' is not a known field' order by k), '{}')
    from jsonb_object_keys(definition_unknown_keys.obj) k
   where not k = any(definition_unknown_keys.allowed)
$function$
;

CREATE OR REPLACE FUNCTION app.email_drafts_hold_what_is_shown()
 RETURNS trigger
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
declare
  v_key text;
begin
  if tg_op = 'UPDATE' and new.content is not distinct from old.content then
    return new;
  end if;
  if jsonb_typeof(new.content) <> 'object' then
    raise exception 'An email draft''s content must be a JSON object with to, cc, subject and body' using errcode = '22023';
  end if;
  select k into v_key from jsonb_object_keys(new.content) k where k not in ('to', 'cc', 'subject', 'body') limit 1;
  if v_key is not null then
    raise exception 'An email draft holds to, cc, subject and body; content.% is not one of them', app.quoted(v_key) using errcode = '22023',
      hint = 'What the approver reads is what is sent: write the whole message, as plain text, in body.';
  end if;
  select k into v_key from jsonb_each(new.content) e(k, v)
   where (k in ('subject', 'body') and jsonb_typeof(v) not in ('string', 'null'))
      or (k in ('to', 'cc') and jsonb_typeof(v) not in ('string', 'array', 'null'))
   limit 1;
  if v_key is not null then
    raise exception 'content.% of an email draft must be %', app.quoted(v_key),
      case when v_key in ('to', 'cc') then 'an address or a list of addresses' else 'text' end using errcode = '22023';
  end if;
  return new;
end;
$function$
;

CREATE OR REPLACE FUNCTION app.execution_step_for_chat(execution app.workflow_executions, step_key text, OUT step jsonb, OUT workflow_name text)
 RETURNS record
 LANGUAGE plpgsql
 STABLE
 SET search_path TO ''
AS $function$
begin
  select s, w.name
    into step, workflow_name
    from app.workflow_versions v
    join app.workflows w on w.id = v.workflow_id
    cross join lateral jsonb_array_elements(v.config -> 'steps') s
   where v.id = execution.workflow_version_id
     and s ->> 'key' = execution_step_for_chat.step_key;
  if step is null then
    raise exception 'step_key "%" is not a step of this workflow', app.quoted(execution_step_for_chat.step_key) using errcode = '22023',
      hint = 'Use one of the step keys of the workflow execution.';
  end if;
end;
$function$
;

CREATE OR REPLACE FUNCTION app.finish_step(e app.workflow_executions, step_key text, new_status text, outcome jsonb, skip_reason text)
 RETURNS jsonb
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
declare
  s app.workflow_step_executions;
  nxt app.workflow_step_executions;
  v_verb text := case finish_step.new_status when 'skipped' then 'skip' else 'complete' end;
begin
  perform app.create_step_rows(array[e.id]);
  select * into s from app.workflow_step_executions x
   where x.execution_id = e.id and x.org_id = e.org_id and x.step_key = coalesce(finish_step.step_key, e.current_step_key)
   for update;
  if not found then
    raise exception 'step_key "%" is not a step of this workflow', app.quoted(coalesce(finish_step.step_key, ''))
      using errcode = '22023', hint = 'Use one of the step keys of get_workflow_execution.';
  end if;
  -- Refusals name steps by their titles, as the person sees them on the page.
  if s.status in ('completed', 'skipped') then
    raise exception 'Cannot % step "%": it is already %', v_verb, s.title, s.status using errcode = 'PT409',
      hint = 'Continue with the current step' || coalesce(' "' || app.step_title(e.id, e.current_step_key) || '"', '') || '.';
  end if;
  if s.status = 'pending' then
    raise exception 'Cannot % step "%": it has not started; the current step is "%"', v_verb, s.title,
      coalesce(app.step_title(e.id, e.current_step_key), 'none') using errcode = 'PT409',
      hint = 'Steps are done in order: finish the current step first.';
  end if;

  update app.workflow_step_executions x
     set status = finish_step.new_status,
         completed_at = now(),
         skip_reason = finish_step.skip_reason,
         outcome = x.outcome || coalesce(finish_step.outcome, '{}'::jsonb)
   where x.id = s.id
  returning * into s;

  select * into nxt from app.workflow_step_executions x
   where x.execution_id = e.id and x.org_id = e.org_id and x.status = 'pending'
   order by (x.step_index < s.step_index), x.step_index
   limit 1
   for update;

  if found then
    update app.workflow_step_executions x set status = 'in_progress', started_at = now()
     where x.id = nxt.id returning * into nxt;
    update app.workflow_executions x
       set status = 'in_progress',
           current_step_key = nxt.step_key,
           current_step_index = nxt.step_index,
           completed_steps = least(x.completed_steps + 1, x.total_steps),
           metadata = app.with_history(x.metadata, jsonb_build_object(
             'event', 'step_' || finish_step.new_status, 'step_key', s.step_key, 'reason', finish_step.skip_reason))
     where x.id = e.id;
  else
    update app.workflow_executions x
       set completed_steps = least(x.completed_steps + 1, x.total_steps),
           metadata = app.with_history(x.metadata, jsonb_build_object(
             'event', 'step_' || finish_step.new_status, 'step_key', s.step_key, 'reason', finish_step.skip_reason))
     where x.id = e.id;
    -- Honest completion: a workflow none of whose steps was done was skipped, not completed.
    if exists (select 1 from app.workflow_step_executions x
                where x.execution_id = e.id and x.org_id = e.org_id and x.status = 'completed') then
      perform app.complete_execution(e.id, finish_step.outcome, 'last step ' || finish_step.new_status);
    else
      perform app.skip_execution(e.id, finish_step.outcome, finish_step.skip_reason, 'last step skipped');
    end if;
  end if;

  return jsonb_build_object(
    'step', jsonb_build_object('key', s.step_key, 'title', s.title, 'index', s.step_index, 'status', s.status,
                               'completed_at', s.completed_at, 'skip_reason', s.skip_reason, 'outcome', s.outcome),
    'next_step', case when nxt.id is null then null else jsonb_build_object(
                   'key', nxt.step_key, 'title', nxt.title, 'index', nxt.step_index, 'status', nxt.status) end,
    'workflow_completed', nxt.id is null
  );
end;
$function$
;

CREATE OR REPLACE FUNCTION app.ingest_check_events(org_id uuid, events jsonb)
 RETURNS void
 LANGUAGE plpgsql
 STABLE
 SET search_path TO ''
AS $function$
#variable_conflict use_variable
declare
  v_bad record;
begin
  select t.pos, t.ev ->> 'type' as type into v_bad
    from jsonb_array_elements(events) with ordinality as t(ev, pos)
   where jsonb_typeof(t.ev -> 'data') is distinct from 'object'
      or (t.ev ->> 'type') is null
      or (t.ev ->> 'type') not in ('customer.upserted', 'usage.snapshot', 'engagement.event',
                                   'stakeholder.upserted', 'contract.upserted', 'arr.changed')
   order by t.pos
   limit 1;
  if found then
    raise exception 'event %: unknown type "%" or no data object', v_bad.pos - 1, coalesce(v_bad.type, '')
      using errcode = '22023', hint = 'Send customer.upserted, usage.snapshot, engagement.event, stakeholder.upserted, contract.upserted or arr.changed.';
  end if;

  select e.pos, e.field, e.email into v_bad
    from (select t.pos, f.field, t.ev -> 'data' ->> f.field as email
            from jsonb_array_elements(events) with ordinality as t(ev, pos)
            cross join unnest(array['csm_email', 'account_executive_email', 'support_engineer_email']) as f(field)
           where t.ev ->> 'type' = 'customer.upserted'
             and jsonb_typeof(t.ev -> 'data' -> f.field) = 'string') e
   where not exists (select 1 from app.profiles p where p.org_id = org_id and lower(p.email) = lower(e.email))
   order by e.pos
   limit 1;
  if found then
    raise exception 'event %: % "%" is not a person of this organisation', v_bad.pos - 1, v_bad.field, app.quoted(v_bad.email)
      using errcode = '22023', hint = 'Add the person to Renubu first, or leave the field out.';
  end if;

  -- A name (a new customer's or stakeholder's, or a new one for either) says something:
  -- whitespace and invisible characters alone are blank (app.trimmed), as in a person's.
  select t.pos, t.ev ->> 'type' as type into v_bad
    from jsonb_array_elements(events) with ordinality as t(ev, pos)
   where t.ev ->> 'type' in ('customer.upserted', 'stakeholder.upserted')
     and jsonb_typeof(t.ev -> 'data' -> 'name') = 'string'
     and app.trimmed(t.ev -> 'data' ->> 'name') is null
   order by t.pos
   limit 1;
  if found then
    raise exception 'event %: data.name must not be blank', v_bad.pos - 1
      using errcode = '22023',
            hint = format('Send the %s''s name, or leave name out to keep the one stored.',
                          split_part(v_bad.type, '.', 1));
  end if;

  -- An id the sender names a record by (external_id, customer_external_id) says something
  -- too: a blank one would name a customer nobody can tell apart or find again.
  select t.pos, f.field as type into v_bad
    from jsonb_array_elements(events) with ordinality as t(ev, pos)
    cross join unnest(array['external_id', 'customer_external_id']) as f(field)
   where jsonb_typeof(t.ev -> 'data' -> f.field) = 'string'
     and app.trimmed(t.ev -> 'data' ->> f.field) is null
   order by t.pos, f.field
   limit 1;
  if found then
    raise exception 'event %: data.% must not be blank', v_bad.pos - 1, v_bad.type
      using errcode = '22023', hint = 'Send the record''s id in your system, as it is named there.';
  end if;

  -- A stakeholder's address is one address (app.email_address, the rule of every address
  -- Renubu takes): not empty, one @, nothing blank or invisible inside. Null clears it.
  select t.pos, t.ev -> 'data' ->> 'external_id' as type into v_bad
    from jsonb_array_elements(events) with ordinality as t(ev, pos)
   where t.ev ->> 'type' = 'stakeholder.upserted'
     and t.ev -> 'data' ? 'email'
     and jsonb_typeof(t.ev -> 'data' -> 'email') <> 'null'
     and (jsonb_typeof(t.ev -> 'data' -> 'email') <> 'string'
          or app.email_address(t.ev -> 'data' ->> 'email') is null
          or length(t.ev -> 'data' ->> 'email') > 320)
   order by t.pos
   limit 1;
  if found then
    raise exception 'event %: data.email of stakeholder "%" is not an e-mail address', v_bad.pos - 1, app.quoted(coalesce(v_bad.type, ''))
      using errcode = '22023',
            hint = 'Send one address such as dana@contoso.example, with no space or invisible character in it, or null to clear it.';
  end if;

  perform app.ingest_check_free_form_sizes(org_id, events);
  perform app.ingest_check_contract_terms(events);
  perform app.ingest_check_event_times(events);
end;
$function$
;

CREATE OR REPLACE FUNCTION app.json_id_list(value jsonb, argument text)
 RETURNS uuid[]
 LANGUAGE plpgsql
 IMMUTABLE
 SET search_path TO ''
AS $function$
declare
  v_list constant text[] := app.json_text_list(json_id_list.value, json_id_list.argument);
  v_bad text;
begin
  select x into v_bad from unnest(v_list) x
   where x !~* '^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$' limit 1;
  if found then
    raise exception '% holds "%", which is not an id', json_id_list.argument, app.quoted(v_bad) using errcode = '22023',
      hint = 'Send the ids as they were listed, such as ["3f1c…"].';
  end if;
  return v_list::uuid[];
end;
$function$
;

CREATE OR REPLACE FUNCTION app.lock_current_step_for_branch(e app.workflow_executions, step_key text)
 RETURNS void
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
declare
  s app.workflow_step_executions;
begin
  perform app.refuse_escalated_hold(e, 'route');
  if e.status <> 'in_progress' then
    raise exception 'Cannot follow this branch: the workflow is %', app.status_words(e.status) using errcode = 'PT409',
      hint = app.not_in_progress_hint(e.status);
  end if;
  perform app.create_step_rows(array[e.id]);
  select * into s from app.workflow_step_executions x
   where x.execution_id = e.id and x.org_id = e.org_id and x.step_key = lock_current_step_for_branch.step_key for update;
  if s.status is distinct from 'in_progress' then
    -- Named by their titles, as the person sees them on the page.
    raise exception 'Cannot follow a branch of step "%": it is not the current step',
      coalesce(s.title, app.quoted(lock_current_step_for_branch.step_key))
      using errcode = 'PT409',
      hint = 'Continue with the current step' || coalesce(' "' || app.step_title(e.id, e.current_step_key) || '"', '') || '.';
  end if;
end;
$function$
;

CREATE OR REPLACE FUNCTION app.organisation_settings_problems(changes jsonb)
 RETURNS text[]
 LANGUAGE sql
 STABLE
 SET search_path TO ''
AS $function$
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
    select app.quoted(g.key) || ' is not a settings group (known: time_zone, email, thresholds, snooze, brief, llm)' as problem
      from jsonb_each(organisation_settings_problems.changes) g
     where g.key not in ('time_zone', 'email', 'thresholds', 'snooze', 'brief', 'llm')
    union all
    select g.key || ' must be an object of settings, e.g. {"' || g.key || '": {"' ||
           (select min(s.key) from spec s where s.grp = g.key) || '": …}}'
      from jsonb_each(organisation_settings_problems.changes) g
     where g.key in ('email', 'thresholds', 'snooze', 'brief', 'llm') and jsonb_typeof(g.value) <> 'object'
    union all
    select e.grp || '.' || app.quoted(e.key) || ' is not a setting (known in ' || e.grp || ': '
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
             when 'integer' then app.is_whole_number(e.value)
                                 and (e.value #>> '{}')::numeric between s.lo and s.hi
             when 'clock' then jsonb_typeof(e.value) = 'string' and (e.value #>> '{}') ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'
             else jsonb_typeof(e.value) = 'string' and (e.value #>> '{}') ~ '^[A-Za-z0-9._:/-]{1,100}$' end
  ) problems
$function$
;

CREATE OR REPLACE FUNCTION app.queue_filter_of(filters jsonb)
 RETURNS app.queue_filter
 LANGUAGE plpgsql
 STABLE
 SET search_path TO ''
AS $function$
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
    raise exception 'filters has an unknown key "%"', app.quoted(v_unknown) using errcode = '22023',
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
    v_search := coalesce(app.trimmed(v ->> 'search'), '');
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
$function$
;

CREATE OR REPLACE FUNCTION app.queue_filter_values(filters jsonb, key text, allowed text[])
 RETURNS text[]
 LANGUAGE plpgsql
 IMMUTABLE
 SET search_path TO ''
AS $function$
declare
  v jsonb := queue_filter_values.filters -> queue_filter_values.key;
  bad text;
  result text[];
begin
  if v is null or v = 'null'::jsonb then
    return null;
  end if;
  if jsonb_typeof(v) <> 'array' then
    raise exception 'filters.% must be an array of strings', queue_filter_values.key using errcode = '22023',
      hint = format('For example {"%s": ["%s"]}; allowed: %s.', queue_filter_values.key, queue_filter_values.allowed[1],
                    array_to_string(queue_filter_values.allowed, ', '));
  end if;
  perform app.check_list_size(v, 'filters.' || queue_filter_values.key);
  if exists (select 1 from jsonb_array_elements(v) x where jsonb_typeof(x) <> 'string') then
    raise exception 'filters.% must be an array of strings', queue_filter_values.key using errcode = '22023',
      hint = format('Allowed values: %s.', array_to_string(queue_filter_values.allowed, ', '));
  end if;
  select x into bad from jsonb_array_elements_text(v) x where x <> all(queue_filter_values.allowed) limit 1;
  if bad is not null then
    raise exception 'filters.% has an unknown value "%"', queue_filter_values.key, app.quoted(bad) using errcode = '22023',
      hint = format('Allowed values: %s.', array_to_string(queue_filter_values.allowed, ', '));
  end if;
  select array_agg(distinct x) into result from jsonb_array_elements_text(v) x;
  return result;  -- an empty array is no filter
end;
$function$
;

CREATE OR REPLACE FUNCTION app.require_params_of(params jsonb, allowed text[], what text)
 RETURNS void
 LANGUAGE plpgsql
 IMMUTABLE
 SET search_path TO ''
AS $function$
declare
  v_key text;
begin
  select k into v_key from jsonb_object_keys(require_params_of.params) k
   where k <> all(require_params_of.allowed) order by k limit 1;
  if found then
    raise exception 'params.% is not a parameter of %', app.quoted(v_key), require_params_of.what using errcode = '22023',
      hint = case when cardinality(require_params_of.allowed) = 0 then 'It takes none.'
                  else format('It takes %s.', array_to_string(require_params_of.allowed, ', ')) end;
  end if;
end;
$function$
;

CREATE OR REPLACE FUNCTION app.routing_branch(e app.workflow_executions, step_key text, branch_key text)
 RETURNS app.workflow_chat_branches
 LANGUAGE plpgsql
 STABLE
 SET search_path TO ''
AS $function$
declare
  b app.workflow_chat_branches;
begin
  select * into b from app.workflow_chat_branches x
   where x.workflow_version_id = e.workflow_version_id
     and x.step_key = routing_branch.step_key and x.branch_key = routing_branch.branch_key;
  if not found then
    raise exception 'Branch "%" is not offered at step "%" of this workflow', app.quoted(routing_branch.branch_key), app.quoted(routing_branch.step_key)
      using errcode = '22023', hint = 'Use a branch of the step as get_workflow_execution lists it.';
  end if;
  if b.branch_type in ('llm', 'rag') then
    raise exception 'Branch "%" opens a chat; it does not route', b.branch_key using errcode = '22023',
      hint = 'Open its chat with create_chat_thread.';
  end if;
  return b;
end;
$function$
;

CREATE OR REPLACE FUNCTION app.task_list_filters(filters jsonb, OUT due text, OUT priorities text[], OUT task_types text[], OUT assignee_id uuid, OUT team boolean)
 RETURNS record
 LANGUAGE plpgsql
 STABLE
 SET search_path TO ''
AS $function$
declare
  v_unknown text;
begin
  if jsonb_typeof(filters) <> 'object' then
    raise exception 'filters must be a JSON object' using errcode = '22023';
  end if;
  select k into v_unknown from jsonb_object_keys(filters) k
   where k not in ('due', 'priorities', 'task_types', 'assignee_id', 'team') limit 1;
  if v_unknown is not null then
    raise exception 'filters has an unknown key "%"', app.quoted(v_unknown) using errcode = '22023',
      hint = 'Known keys: due, priorities, task_types, assignee_id, team.';
  end if;
  due := nullif(filters ->> 'due', '');
  if due is not null and due not in ('today', 'overdue', 'this_week') then
    raise exception 'filters.due must be today, overdue or this_week' using errcode = '22023';
  end if;
  priorities := app.queue_filter_values(filters, 'priorities', app.lookup_keys('task_priority'));
  task_types := app.queue_filter_values(filters, 'task_types', app.lookup_keys('task_type'));
  if filters ? 'team' and jsonb_typeof(filters -> 'team') not in ('boolean', 'null') then
    raise exception 'filters.team must be true or false' using errcode = '22023';
  end if;
  team := coalesce((filters ->> 'team')::boolean, false);
  if filters ? 'assignee_id' and jsonb_typeof(filters -> 'assignee_id') <> 'null' then
    begin
      assignee_id := (filters ->> 'assignee_id')::uuid;
    exception when others then
      raise exception 'filters.assignee_id must be a person''s id' using errcode = '22023';
    end;
  end if;
end;
$function$
;

CREATE OR REPLACE FUNCTION app.timeline_wanted_kinds(kinds text[])
 RETURNS text[]
 LANGUAGE plpgsql
 IMMUTABLE
 SET search_path TO ''
AS $function$
declare
  v_bad text;
begin
  if kinds is null then
    return app.timeline_kinds();
  end if;
  select k into v_bad from unnest(kinds) k where k is null or k <> all(app.timeline_kinds()) limit 1;
  if found then
    raise exception 'kinds has an unknown value "%"', app.quoted(coalesce(v_bad, 'null')) using errcode = '22023',
      hint = 'Allowed: ' || array_to_string(app.timeline_kinds(), ', ') || '.';
  end if;
  return kinds;
end;
$function$
;

CREATE OR REPLACE FUNCTION app.user_preference_problems(changes jsonb)
 RETURNS TABLE(key text, problem text)
 LANGUAGE sql
 IMMUTABLE PARALLEL SAFE
 SET search_path TO ''
AS $function$
  with spec as (
    select app.user_preference_spec() as s
  ),
  groups as (
    select g.key as grp, g.value as val
    from jsonb_each(user_preference_problems.changes) g
  ),
  entries as (
    select gr.grp, e.key, e.value, spec.s -> gr.grp -> e.key as rule
    from groups gr
    cross join spec
    cross join lateral jsonb_each(gr.val) e
    where spec.s ? gr.grp and jsonb_typeof(gr.val) = 'object'
  )
  select gr.grp,
         format('%s is not a preference group (known groups: %s)', app.quoted(gr.grp),
                (select string_agg(k, ', ' order by k) from jsonb_object_keys(spec.s) k))
  from groups gr cross join spec
  where not spec.s ? gr.grp
  union all
  select gr.grp,
         format('%s must be an object of preferences, e.g. {"%s": {"%s": ...}}', gr.grp, gr.grp,
                (select min(k) from jsonb_object_keys(spec.s -> gr.grp) k))
  from groups gr cross join spec
  where spec.s ? gr.grp and jsonb_typeof(gr.val) <> 'object'
  union all
  select concat(en.grp, '.', en.key),
         case
           when en.rule is null then
             format('%s.%s is not a preference (known in %s: %s)', en.grp, app.quoted(en.key), en.grp,
                    (select string_agg(k, ', ' order by k) from jsonb_object_keys(spec.s -> en.grp) k))
           when jsonb_typeof(en.value) is distinct from en.rule ->> 'type' then
             format('%s.%s must be a %s, not %s', en.grp, en.key, en.rule ->> 'type', jsonb_typeof(en.value))
           else
             format('%s.%s must be one of %s', en.grp, en.key,
                    (select string_agg(a, ', ' order by o) from jsonb_array_elements_text(en.rule -> 'allowed') with ordinality x(a, o)))
         end
  from entries en cross join spec
  where not app.user_preference_value_is_valid(en.rule, en.value)
$function$
;

CREATE OR REPLACE FUNCTION app.workflow_definition_org_problems(org_id uuid, definition jsonb)
 RETURNS text[]
 LANGUAGE sql
 STABLE
 SET search_path TO ''
AS $function$
  with branches as (
    select 'steps[' || (s.ord - 1) || '].branches[' || (b.ord - 1) || ']' as path, b.branch
      from jsonb_array_elements(workflow_definition_org_problems.definition -> 'steps') with ordinality as s(step, ord)
      cross join lateral jsonb_array_elements(coalesce(s.step -> 'branches', '[]'::jsonb)) with ordinality as b(branch, ord)
     where b.branch ->> 'type' = 'saved_action'
  ), actions as (
    select distinct on (a.key) a.key, a.action_type, a.config
      from app.saved_actions a
     where a.is_active and (a.org_id = workflow_definition_org_problems.org_id or a.org_id is null)
     order by a.key, a.org_id nulls last
  ), params as (
    select br.path, a.action_type, app.action_limits(a.action_type, a.config, workflow_definition_org_problems.org_id) as limits,
           x.key as param, x.value
      from branches br
      join actions a on a.key = br.branch ->> 'saved_action_key'
      cross join lateral jsonb_each(coalesce(br.branch -> 'config' -> 'defaults', '{}'::jsonb)) x
  )
  select coalesce(array_agg(problem order by problem), '{}') from (
    select br.path || '.saved_action_key "' || (br.branch ->> 'saved_action_key') || '" is not an action of your organisation' as problem
      from branches br
     where not exists (select 1 from actions a where a.key = br.branch ->> 'saved_action_key')
    union all
    select pr.path || '.config.defaults.' || app.quoted(pr.param) || ' ' || case
             when pr.action_type = 'snooze' and pr.param = 'days' then
               'must be a whole number of days from ' || (pr.limits ->> 'min_days') || ' to ' || (pr.limits ->> 'max_days')
             when pr.action_type = 'escalate' and pr.param = 'level' then
               'must be one of ' || (select string_agg(x, ', ') from jsonb_array_elements_text(pr.limits -> 'levels') x)
             when pr.action_type = 'schedule_meeting' and pr.param = 'duration_minutes' then
               'must be one of ' || (select string_agg(x, ', ') from jsonb_array_elements_text(pr.limits -> 'durations_minutes') x)
             when pr.action_type = 'create_task' and pr.param = 'priority' then
               'must be one of ' || (select string_agg(x, ', ') from jsonb_array_elements_text(pr.limits -> 'priorities') x)
             when pr.action_type = 'skip' and pr.param = 'reason' then
               'must be one of the skip reasons'
             when pr.param in ('reason', 'title', 'description', 'task_type', 'note') then 'must be text'
             else 'is not a parameter of this action'
           end
      from params pr
     where not case
             when pr.action_type = 'snooze' and pr.param = 'days' then
               app.is_whole_number(pr.value)
               and (pr.value #>> '{}')::numeric between (pr.limits ->> 'min_days')::numeric and (pr.limits ->> 'max_days')::numeric
             when pr.action_type = 'snooze' then pr.param = 'reason' and jsonb_typeof(pr.value) = 'string'
             when pr.action_type = 'escalate' and pr.param = 'level' then (pr.limits -> 'levels') @> jsonb_build_array(pr.value)
             when pr.action_type = 'escalate' then pr.param = 'reason' and jsonb_typeof(pr.value) = 'string'
             when pr.action_type = 'schedule_meeting' and pr.param = 'duration_minutes' then
               app.is_whole_number(pr.value) and (pr.limits -> 'durations_minutes') @> jsonb_build_array(pr.value)
             when pr.action_type = 'schedule_meeting' then pr.param = 'title' and jsonb_typeof(pr.value) = 'string'
             when pr.action_type = 'create_task' and pr.param = 'priority' then (pr.limits -> 'priorities') @> jsonb_build_array(pr.value)
             when pr.action_type = 'create_task' then pr.param in ('task_type', 'title', 'description') and jsonb_typeof(pr.value) = 'string'
             when pr.action_type = 'skip' and pr.param = 'reason' then (pr.limits -> 'reasons') @> jsonb_build_array(pr.value)
             when pr.action_type = 'skip' then pr.param = 'note' and jsonb_typeof(pr.value) = 'string'
             when pr.action_type = 'custom' then true
             else false
           end
  ) problems
$function$
;

CREATE OR REPLACE FUNCTION public.complete_step(execution_id uuid, step_key text, outcome jsonb DEFAULT '{}'::jsonb, idempotency_key text DEFAULT NULL::text)
 RETURNS jsonb
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
declare
  e app.workflow_executions;
  v_result jsonb;
  v_request jsonb;
  v_answer jsonb;
begin
  if coalesce(btrim(complete_step.step_key), '') = '' then
    raise exception 'step_key is required' using errcode = '22023';
  end if;
  if complete_step.outcome is not null and jsonb_typeof(complete_step.outcome) <> 'object' then
    raise exception 'outcome must be a JSON object' using errcode = '22023';
  end if;
  perform app.check_request_key(complete_step.idempotency_key, 'idempotency_key', 200);
  v_request := jsonb_build_object('call', 'complete_step', 'execution_id', complete_step.execution_id,
                                  'step_key', complete_step.step_key, 'outcome', complete_step.outcome);
  -- Completed already under this key (an answer lost on its way back): what it answered then.
  v_answer := app.answer_under_key(complete_step.idempotency_key, v_request);
  if v_answer is not null then
    return v_answer;
  end if;
  e := app.lock_execution(complete_step.execution_id, 'complete a step of');
  -- …or by a call with this key at once, which this one waited for.
  v_answer := app.answer_under_key(complete_step.idempotency_key, v_request);
  if v_answer is not null then
    return v_answer;
  end if;
  perform app.refuse_escalated_hold(e, 'complete a step of');
  if e.status <> 'in_progress' then
    raise exception 'Cannot complete step "%": the workflow is %',
      coalesce(app.step_title(e.id, complete_step.step_key), app.quoted(complete_step.step_key)), app.status_words(e.status)
      using errcode = 'PT409',
      hint = app.not_in_progress_hint(e.status);
  end if;
  v_result := app.finish_step(e, complete_step.step_key, 'completed', complete_step.outcome, null);
  v_answer := v_result || jsonb_build_object('execution', app.execution_summary(e.id));
  perform app.remember_answer(complete_step.idempotency_key, v_request, v_answer);
  return v_answer;
end;
$function$
;

CREATE OR REPLACE FUNCTION public.create_workflow_execution(customer_id uuid, workflow_key text, assignee_id uuid DEFAULT NULL::uuid)
 RETURNS jsonb
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
#variable_conflict use_column
declare
  v_me uuid := (select auth.uid());
  v_org uuid := app.current_org_id();
  v_role text := app.current_member_role();
  c app.customers;
  w record;
  v_assignee uuid;
  v_id uuid;
  v_existing uuid;
begin
  if v_org is null or v_role not in ('csm', 'manager', 'admin') then
    raise exception 'Your role may not open workflows' using errcode = '42501',
      hint = 'Viewers can read the queue but not change it.';
  end if;
  if create_workflow_execution.customer_id is null then
    raise exception 'customer_id is required' using errcode = '22023';
  end if;
  if coalesce(btrim(create_workflow_execution.workflow_key), '') = '' then
    raise exception 'workflow_key is required' using errcode = '22023';
  end if;
  select * into c from app.customers x where x.id = create_workflow_execution.customer_id;
  if not found then
    raise exception 'Customer not found' using errcode = 'PT404',
      hint = 'Check the id; you can only see customers of your own organisation.';
  end if;
  select * into w from app.effective_workflows(v_org) f where f.key = create_workflow_execution.workflow_key;
  if not found then
    raise exception 'workflow_key "%" is not a workflow of your organisation', app.quoted(create_workflow_execution.workflow_key)
      using errcode = '22023', hint = 'Use the key of a core workflow (e.g. risk-assessment) or one of your organisation''s.';
  end if;
  v_assignee := coalesce(create_workflow_execution.assignee_id, c.assigned_to, v_me);
  if create_workflow_execution.assignee_id is not null then
    -- someone named: they must be able to do the work (new work that falls to a
    -- deactivated CSM by default opens unassigned, app.unassign_new_work_of_deactivated)
    perform app.require_person_who_can_take_work(v_org, create_workflow_execution.assignee_id, 'assignee_id');
  elsif not exists (select 1 from app.profiles p where p.id = v_assignee and p.org_id = v_org) then
    raise exception 'assignee_id is not a member of your organisation' using errcode = '22023';
  end if;
  if v_role = 'csm' and v_assignee <> v_me then
    if create_workflow_execution.assignee_id is not null then
      raise exception 'A CSM can only open workflows for themselves' using errcode = '42501',
        hint = 'Leave assignee_id out, or ask a manager to assign it.';
    end if;
    v_assignee := v_me;
  end if;

  insert into app.workflow_executions (
    org_id, customer_id, workflow_id, workflow_version_id, assigned_to, status, renewal_stage,
    trigger_reason, current_step_key, current_step_index, total_steps, metadata)
  values (
    v_org, c.id, w.workflow_id, w.version_id, v_assignee, 'queued',
    case when w.workflow_type = 'renewal' then w.trigger_config ->> 'stage' end,
    'Opened manually', w.first_step_key, case when w.first_step_key is null then null else 0 end, w.total_steps,
    app.with_history('{}'::jsonb, jsonb_build_object('event', 'created', 'manual', true)))
  on conflict (customer_id, workflow_id) where status in ('queued', 'in_progress', 'snoozed', 'escalated')
  do nothing
  returning id into v_id;

  if v_id is null then
    select x.id into v_existing from app.workflow_executions x
     where x.customer_id = c.id and x.workflow_id = w.workflow_id and app.is_open_status(x.status);
    raise exception 'A "%" workflow is already open for %', w.name, c.name using errcode = 'PT409',
      detail = coalesce(v_existing::text, ''),
      hint = 'Open the existing execution ' || coalesce(v_existing::text, '') || ' instead.';
  end if;
  perform app.create_step_rows(array[v_id]);
  return public.get_workflow_execution(v_id);
end;
$function$
;

CREATE OR REPLACE FUNCTION public.execute_action(action_key text, execution_id uuid, params jsonb DEFAULT '{}'::jsonb, idempotency_key text DEFAULT NULL::text)
 RETURNS jsonb
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
declare
  v_me uuid := (select auth.uid());
  v_org uuid := app.current_org_id();
  v_role text := app.current_member_role();
  v_params jsonb := coalesce(execute_action.params, '{}'::jsonb);
  v_key text := execute_action.idempotency_key;
  a app.saved_actions;
  e app.workflow_executions;
  prior app.action_executions;
  v_log_id uuid;
  v_applied jsonb;
begin
  if v_org is null or v_role not in ('csm', 'manager', 'admin') then
    raise exception 'Your role may not run actions on workflows' using errcode = '42501',
      hint = 'Viewers can read workflows but not change them.';
  end if;
  if coalesce(btrim(execute_action.action_key), '') = '' then
    raise exception 'action_key is required' using errcode = '22023';
  end if;
  if jsonb_typeof(v_params) <> 'object' then
    raise exception 'params must be a JSON object' using errcode = '22023';
  end if;
  perform app.check_request_key(v_key, 'idempotency_key', 200);
  select * into a from app.saved_actions s
   where s.key = execute_action.action_key and s.is_active and (s.org_id = v_org or s.org_id is null)
   order by s.org_id nulls last limit 1;
  if not found then
    raise exception 'action_key "%" is not an action available to your organisation', app.quoted(execute_action.action_key)
      using errcode = '22023', hint = 'See list_saved_actions for the available keys.';
  end if;
  e := app.require_workable_execution(execute_action.execution_id, 'run actions on');
  -- The workflow's locks first (the assignee's workload, then the row, asked again on the
  -- locked row), then the idempotency key: the key's log row points at the workflow, and
  -- claimed before the locks it held the row's key share while this call waited for the
  -- workload lock, deadlocking with a writer holding that lock and waiting for the row.
  -- A concurrent call with the same key waits for the locks, then replays.
  e := app.lock_workable_execution(e, 'run actions on');
  v_log_id := app.claim_action_log(e.id, a.id, v_params, v_key);
  if v_log_id is null then
    select * into prior from app.action_executions x
     where x.org_id = v_org and x.executed_by = v_me and x.idempotency_key = v_key;
    if prior.execution_id is distinct from e.id or prior.action_key is distinct from a.key then
      raise exception 'this key was used for a different request' using errcode = 'PT409',
        hint = 'Use a new idempotency key for each new action; a retry repeats the same action, workflow and params.';
    end if;
    return jsonb_build_object(
      'action_execution_id', prior.id, 'action_key', prior.action_key, 'success', prior.success,
      'result', prior.result, 'execution', app.execution_summary(e.id),
      'side_effects', prior.side_effects, 'replayed', true);
  end if;

  -- A new request's params (after the replay above: a retry of a call logged before this
  -- rule answers what it answered then).
  perform app.require_action_params(a.action_type, v_params);

  -- The state, on the row locked above.
  if e.status = 'escalated' then
    raise exception 'Cannot run "%" on this workflow: it is escalated and waits for a decision', a.name
      using errcode = 'PT409',
      hint = 'Its assignee can withdraw the escalation; a manager can return, reassign or close it.';
  end if;
  if not app.is_open_status(e.status) then
    raise exception 'Cannot run "%" on this workflow: it is %', a.name, app.status_words(e.status)
      using errcode = 'PT409', hint = 'Closed workflows cannot change.';
  end if;

  v_applied := case a.action_type
    when 'snooze' then app.action_snooze(a, e, v_params, v_log_id)
    when 'skip' then app.action_skip(a, e, v_params, v_log_id)
    when 'escalate' then app.action_escalate(a, e, v_params, v_log_id)
    when 'schedule_meeting' then app.action_schedule_meeting(a, e, v_params, v_log_id)
    when 'send_email' then app.action_send_email(a, e, v_params, v_log_id)
    when 'create_task' then app.action_create_task(a, e, v_params, v_log_id)
    else app.action_custom(a, e, v_params, v_log_id)
  end;

  perform app.complete_action_log(v_log_id, v_applied -> 'params', v_applied -> 'result', v_applied -> 'side_effects');

  return jsonb_build_object(
    'action_execution_id', v_log_id, 'action_key', a.key, 'success', true, 'result', v_applied -> 'result',
    'execution', app.execution_summary(e.id), 'side_effects', v_applied -> 'side_effects', 'replayed', false);
end;
$function$
;

CREATE OR REPLACE FUNCTION public.get_step_chat_branches(workflow_key text, step_key text)
 RETURNS jsonb
 LANGUAGE plpgsql
 STABLE
 SET search_path TO ''
AS $function$
declare
  version_id uuid;
  result jsonb;
begin
  if get_step_chat_branches.workflow_key is null or get_step_chat_branches.step_key is null then
    raise exception 'workflow_key and step_key are required' using errcode = '22023',
      hint = 'Pass a workflow key such as "renewal" and one of its step keys.';
  end if;
  -- The organisation's own definition wins over the core one of the same key.
  select v.id into version_id
    from app.workflows w
    join app.workflow_versions v on v.workflow_id = w.id and v.version = w.current_version
   where w.key = get_step_chat_branches.workflow_key and w.is_active
   order by (w.org_id is null), w.created_at
   limit 1;
  if version_id is null then
    raise exception 'Workflow "%" not found', app.quoted(get_step_chat_branches.workflow_key) using errcode = 'PT404',
      hint = 'Use the key of a core workflow or one of your organisation''s.';
  end if;

  select coalesce(jsonb_agg(jsonb_build_object(
           'id', b.id, 'branch_key', b.branch_key, 'label', b.label, 'branch_type', b.branch_type,
           'position', b.position, 'response_text', b.response_text, 'next_step_key', b.next_step_key,
           'prompt_template', b.prompt_template, 'allow_off_script', b.allow_off_script,
           'saved_action_key', b.saved_action_key, 'return_step_key', b.return_step_key, 'config', b.config)
           order by b.position, b.branch_key), '[]'::jsonb)
    into result
    from app.workflow_chat_branches b
   where b.workflow_version_id = version_id and b.step_key = get_step_chat_branches.step_key;
  return result;
end;
$function$
;

CREATE OR REPLACE FUNCTION public.get_workflow_definition(workflow_key text, version integer DEFAULT NULL::integer)
 RETURNS jsonb
 LANGUAGE plpgsql
 STABLE
 SET search_path TO ''
AS $function$
declare
  v_org uuid := app.current_org_id();
  own app.workflows;
  core app.workflows;
  w app.workflows;
  v_ids uuid[];
  v_shown app.workflow_versions;
  v_prev app.workflow_versions;
  v_versions jsonb;
begin
  if v_org is null then
    raise exception 'You are not a member of an organisation' using errcode = '42501';
  end if;
  perform app.require_given(get_workflow_definition.workflow_key is not null, 'workflow_key', 'Use a key from list_workflow_definitions.');
  select * into own from app.workflows x where x.org_id = v_org and x.key = get_workflow_definition.workflow_key;
  select * into core from app.workflows x where x.org_id is null and x.key = get_workflow_definition.workflow_key and x.is_active;
  w := case when own.id is not null then own else core end;
  if w.id is null then
    raise exception 'Workflow "%" not found', app.quoted(get_workflow_definition.workflow_key) using errcode = 'PT404',
      hint = 'Use a key from list_workflow_definitions.';
  end if;
  -- The versions behind this key: an override's own, then those of the core one it overrides.
  v_ids := case when own.id is null then array[core.id]
                when own.overrides_workflow_id is not null then array[own.id, core.id]
                else array[own.id] end;
  select coalesce(jsonb_agg(jsonb_build_object(
           'version', v.version, 'scope', case when v.org_id is null then 'core' else 'organisation' end,
           'created_at', v.created_at, 'change_note', v.change_note,
           'created_by', (select p.full_name from app.profiles p where p.id = v.created_by))
           order by v.version desc, v.org_id nulls last), '[]'::jsonb)
    into v_versions
    from app.workflow_versions v
   where v.workflow_id = any(v_ids);

  select * into v_shown from app.workflow_versions v
   where v.workflow_id = any(v_ids) and v.version = coalesce(get_workflow_definition.version, w.current_version)
   order by v.org_id nulls last limit 1;
  if v_shown.id is null then
    raise exception 'Version % of "%" not found', get_workflow_definition.version, app.quoted(get_workflow_definition.workflow_key)
      using errcode = 'PT404', hint = 'Use a version listed under versions.';
  end if;
  select * into v_prev from app.workflow_versions v
   where v.workflow_id = any(v_ids) and v.version < v_shown.version
   order by v.version desc, v.org_id nulls last limit 1;

  return app.workflow_definition_summary(w, v_org) || jsonb_build_object(
    'shown_version', v_shown.version,
    'definition', app.workflow_definition_document(v_shown.workflow_id, v_shown.id),
    'previous', case when v_prev.id is null then null else jsonb_build_object(
      'version', v_prev.version, 'scope', case when v_prev.org_id is null then 'core' else 'organisation' end,
      'definition', app.workflow_definition_document(v_prev.workflow_id, v_prev.id)) end,
    'versions', v_versions);
end;
$function$
;

CREATE OR REPLACE FUNCTION public.list_artifacts(execution_id uuid DEFAULT NULL::uuid, task_id uuid DEFAULT NULL::uuid, artifact_type text DEFAULT NULL::text)
 RETURNS jsonb
 LANGUAGE plpgsql
 STABLE
 SET search_path TO ''
AS $function$
declare
  result jsonb;
begin
  if list_artifacts.execution_id is null and list_artifacts.task_id is null then
    raise exception 'execution_id or task_id is required' using errcode = '22023',
      hint = 'List the artifacts of one workflow execution or one task.';
  end if;
  if list_artifacts.artifact_type is not null and not list_artifacts.artifact_type = any (app.artifact_types()) then
    raise exception 'artifact_type "%" is not known', app.quoted(list_artifacts.artifact_type) using errcode = '22023',
      hint = 'Leave artifact_type out to list every type.';
  end if;
  -- A named workflow or task the caller cannot see is not found, as everywhere (an empty
  -- list would read as "it has no drafts"); the same answer for another organisation's id
  -- and an id that never existed.
  if list_artifacts.execution_id is not null then
    perform 1 from app.workflow_executions x where x.id = list_artifacts.execution_id;
    perform app.require_found(found, 'Workflow execution', 'execution', 'workflows');
  end if;
  if list_artifacts.task_id is not null then
    perform 1 from app.workflow_tasks t where t.id = list_artifacts.task_id;
    perform app.require_found(found, 'Task', 'task', 'tasks');
  end if;

  -- Each branch is served by an index leading with its id (execution_id or task_id).
  select coalesce(jsonb_agg(app.artifact_json(a) order by a.created_at desc, a.id desc), '[]'::jsonb)
    into result
    from (
      select x.* from app.workflow_task_artifacts x
       where (list_artifacts.execution_id is null or x.execution_id = list_artifacts.execution_id)
         and (list_artifacts.task_id is null or x.task_id = list_artifacts.task_id)
         and (list_artifacts.artifact_type is null or x.artifact_type = list_artifacts.artifact_type)
       order by x.created_at desc, x.id desc
       limit 500
    ) a;
  return result;
end;
$function$
;

CREATE OR REPLACE FUNCTION public.set_workflow_enabled(workflow_key text, enabled boolean)
 RETURNS jsonb
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
declare
  v_org uuid := app.current_org_id();
  w app.workflows;
  v_was boolean;
begin
  if v_org is null or not app.has_role('admin') then
    raise exception 'Only admins can switch workflows on or off' using errcode = '42501',
      hint = 'Ask an admin of your organisation.';
  end if;
  if set_workflow_enabled.enabled is null then
    raise exception 'enabled must be true or false' using errcode = '22023';
  end if;
  perform app.require_given(set_workflow_enabled.workflow_key is not null, 'workflow_key', 'Use a key from list_workflow_definitions.');
  select * into w from app.workflows x
   where x.key = set_workflow_enabled.workflow_key and x.is_active and (x.org_id = v_org or x.org_id is null)
   order by x.org_id nulls last limit 1;
  if w.id is null then
    raise exception 'Workflow "%" not found', app.quoted(set_workflow_enabled.workflow_key) using errcode = 'PT404',
      hint = 'Use a key from list_workflow_definitions.';
  end if;
  v_was := not exists (select 1 from app.disabled_workflows d where d.org_id = v_org and d.workflow_key = w.key);
  if set_workflow_enabled.enabled then
    delete from app.disabled_workflows d where d.org_id = v_org and d.workflow_key = w.key;
  else
    insert into app.disabled_workflows (org_id, workflow_key, disabled_by)
    values (v_org, w.key, (select auth.uid()))
    on conflict do nothing;
  end if;
  if v_was is distinct from set_workflow_enabled.enabled then
    perform app.record_admin_change('workflow_definition', w.key, case when set_workflow_enabled.enabled then 'enable' else 'disable' end,
      jsonb_build_object('enabled', v_was), jsonb_build_object('enabled', set_workflow_enabled.enabled));
  end if;
  return app.workflow_definition_summary(w, v_org);
end;
$function$
;

CREATE OR REPLACE FUNCTION public.update_task(task_id uuid, changes jsonb)
 RETURNS jsonb
 LANGUAGE plpgsql
 SET search_path TO ''
AS $function$
declare
  t app.workflow_tasks;
  v_key text;
  v_due timestamptz;
begin
  if update_task.changes is null or jsonb_typeof(update_task.changes) <> 'object' or update_task.changes = '{}'::jsonb then
    raise exception 'changes must be a JSON object with at least one field' using errcode = '22023';
  end if;
  for v_key in select jsonb_object_keys(update_task.changes) loop
    if v_key not in ('title', 'description', 'priority', 'due_date') then
      raise exception 'changes.% cannot be changed here', app.quoted(v_key) using errcode = '22023',
        hint = 'update_task changes title, description, priority and due_date; use act_on_task for status.';
    end if;
  end loop;
  perform app.require_text_params(update_task.changes, array['title', 'description', 'priority', 'due_date'], 'changes');
  if update_task.changes ? 'title' and app.trimmed(update_task.changes ->> 'title') is null then
    raise exception 'changes.title must not be blank' using errcode = '22023';
  end if;
  if update_task.changes ? 'priority' then
    perform app.require_task_priority(coalesce(update_task.changes ->> 'priority', ''), 'changes.priority');
  end if;
  if update_task.changes ? 'due_date' then
    -- Read under its nested name, so a refusal names the parameter as sent (changes.due_date).
    v_due := app.due_date_param(jsonb_build_object('changes.due_date', update_task.changes -> 'due_date'), 'changes.due_date',
                                 app.current_org_id());
  end if;
  t := app.lock_task(update_task.task_id, 'change');
  -- The task's state before the date, as act_on_task: a closed task says so, whatever the date.
  if t.status not in ('pending', 'in_progress', 'snoozed') then
    raise exception 'Cannot change this task: it is %', t.status using errcode = 'PT409',
      hint = 'Completed and skipped tasks are kept as they were.';
  end if;
  -- A due date changed is one the person sets now; one sent again as it was is left alone.
  if update_task.changes ? 'due_date' and v_due is distinct from t.due_date then
    perform app.require_due_date_from_today(v_due, t.org_id, 'changes.due_date');
  end if;
  update app.workflow_tasks x
     set title = case when update_task.changes ? 'title' then app.trimmed(update_task.changes ->> 'title') else x.title end,
         description = case when update_task.changes ? 'description' then app.trimmed(update_task.changes ->> 'description') else x.description end,
         priority = case when update_task.changes ? 'priority' then update_task.changes ->> 'priority' else x.priority end,
         due_date = case when update_task.changes ? 'due_date' then v_due else x.due_date end
   where x.id = t.id
  returning * into t;
  return app.task_json(t, app.organisation_today(t.org_id));
end;
$function$
;
