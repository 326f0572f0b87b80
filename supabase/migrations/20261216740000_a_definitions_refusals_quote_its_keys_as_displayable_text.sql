-- A workflow definition's refusals quote the keys it names through app.quoted (20261216710000):
-- a branch's next_step_key that is no step ('next_step_key "nowhere<U+202E>gnp" is not a step of
-- this workflow'), a step or branch key used twice and a saved_action_key that is no action
-- were repeated whole, a text-direction override included, beside the refusal of the key's
-- form. Now at most 60 characters on one displayable line (docs/api-contract.md "Errors").
-- Restated from their newest definitions (pg_get_functiondef of the migrated schema); the only
-- change in each is app.quoted around the quoted key.
-- supabase/tests/constraints/a_refusal_quotes_what_was_sent_as_displayable_text.test.sql.

CREATE OR REPLACE FUNCTION app.definition_branch_problems(bp text, b jsonb, earlier_branch_keys text[], step_keys text[], voc jsonb)
 RETURNS text[]
 LANGUAGE plpgsql
 IMMUTABLE
 SET search_path TO ''
AS $function$
declare
  lim jsonb := definition_branch_problems.voc -> 'limits';
  p text[];
begin
  if jsonb_typeof(b) <> 'object' then
    return array[bp || ' must be an object'];
  end if;
  p := array[app.definition_key_problem(bp || '.key', b -> 'key', '^[a-z0-9]+(-[a-z0-9]+)*$', true)];
  if jsonb_typeof(b -> 'key') = 'string' and (b ->> 'key') = any(earlier_branch_keys) then
    p := p || (bp || '.key "' || app.quoted(b ->> 'key') || '" is used by an earlier branch of this step');
  end if;
  p := p || app.definition_text_problem(bp || '.label', b -> 'label', (lim ->> 'label')::int, true);
  if jsonb_typeof(b -> 'type') is distinct from 'string' or not (voc -> 'branch_types') @> jsonb_build_array(b -> 'type') then
    return p || (bp || '.type must be one of fixed, llm, saved_action, rag');
  end if;
  return p || case b ->> 'type'
                when 'fixed' then app.definition_fixed_branch_problems(bp, b, step_keys, lim)
                when 'saved_action' then app.definition_saved_action_branch_problems(bp, b, step_keys, lim)
                else app.definition_model_branch_problems(bp, b, lim)  -- llm, rag
              end;
end;
$function$
;

CREATE OR REPLACE FUNCTION app.definition_step_problems(sp text, s jsonb, earlier_step_keys text[], step_keys text[], voc jsonb)
 RETURNS text[]
 LANGUAGE plpgsql
 IMMUTABLE
 SET search_path TO ''
AS $function$
declare
  lim jsonb := definition_step_problems.voc -> 'limits';
  p text[];
  b jsonb;
  j integer := -1;
  v_branch_keys text[] := '{}'::text[];
begin
  if jsonb_typeof(s) <> 'object' then
    return array[sp || ' must be an object'];
  end if;
  p := app.definition_unknown_keys(sp, s, array['key', 'title', 'type', 'prompt_template', 'artifact_types', 'branches']);
  p := p || app.definition_key_problem(sp || '.key', s -> 'key', '^[a-z0-9]+(-[a-z0-9]+)*$', true);
  if jsonb_typeof(s -> 'key') = 'string' and (s ->> 'key') = any(earlier_step_keys) then
    p := p || (sp || '.key "' || app.quoted(s ->> 'key') || '" is used by an earlier step');
  end if;
  p := p || app.definition_text_problem(sp || '.title', s -> 'title', (lim ->> 'title')::int, true);
  if not (voc -> 'step_types') @> jsonb_build_array(s -> 'type') then
    p := p || (sp || '.type must be one of ' || app.definition_vocabulary_words(voc -> 'step_types'));
  end if;
  p := p || app.definition_text_problem(sp || '.prompt_template', s -> 'prompt_template', (lim ->> 'prompt_template')::int, true);
  if s ? 'artifact_types' and (jsonb_typeof(s -> 'artifact_types') <> 'array'
      or not (voc -> 'artifact_types') @> (s -> 'artifact_types')
      or (select count(distinct x) from jsonb_array_elements(s -> 'artifact_types') x) <> jsonb_array_length(s -> 'artifact_types')) then
    p := p || (sp || '.artifact_types must be a list of distinct artifact types ('
               || app.definition_vocabulary_words(voc -> 'artifact_types') || ')');
  end if;
  if not s ? 'branches' then
    return p;
  end if;
  if jsonb_typeof(s -> 'branches') <> 'array' or jsonb_array_length(s -> 'branches') > (lim ->> 'branches')::int then
    return p || (sp || '.branches must be a list of at most ' || (lim ->> 'branches') || ' branches');
  end if;
  for b in select x from jsonb_array_elements(s -> 'branches') x loop
    j := j + 1;
    p := p || app.definition_branch_problems(sp || '.branches[' || j || ']', b, v_branch_keys, step_keys, voc);
    if jsonb_typeof(b) = 'object' and jsonb_typeof(b -> 'key') = 'string' then
      v_branch_keys := v_branch_keys || (b ->> 'key');
    end if;
  end loop;
  return p;
end;
$function$
;

CREATE OR REPLACE FUNCTION app.definition_step_reference_problems(path text, value jsonb, step_keys text[])
 RETURNS text[]
 LANGUAGE plpgsql
 IMMUTABLE PARALLEL SAFE
 SET search_path TO ''
AS $function$
begin
  return array[app.definition_key_problem(path, value, '^[a-z0-9]+(-[a-z0-9]+)*$', false)]
      || case when jsonb_typeof(value) = 'string' and not (value #>> '{}') = any(step_keys)
              then array[path || ' "' || app.quoted(value #>> '{}') || '" is not a step of this workflow']
              else '{}'::text[] end;
end;
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
    select br.path || '.saved_action_key "' || app.quoted(br.branch ->> 'saved_action_key') || '" is not an action of your organisation' as problem
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
