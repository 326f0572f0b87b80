-- Admin: the long functions of 20261204001200_admin.sql made short (issue 17, point 3).
--
-- What: each long function becomes a guard/dispatcher over small functions with one job
-- each, named after what they do. Why: a reader can hold each piece in their head. The
-- answers, the problems (their wording and order) and the errors (codes and messages) are
-- unchanged; the signatures, security, volatility, grants and comments of the public
-- functions are the same. The new helpers live in `app`, set search_path = '', and are
-- executable only by the roles whose calls reach them.


---------------------------------------------------------------------------------------
-- app.workflow_definition_problems: the document's fields, its trigger, each step, each
-- branch (one function per branch type).
---------------------------------------------------------------------------------------

-- The words of a vocabulary list, for a problem line ("one of a, b, c").
create or replace function app.definition_vocabulary_words(list jsonb)
returns text
language sql
immutable
parallel safe
set search_path = ''
as $$
  select string_agg(x, ', ') from jsonb_array_elements_text(definition_vocabulary_words.list) x
$$;
revoke execute on function app.definition_vocabulary_words(jsonb) from public, anon;
grant execute on function app.definition_vocabulary_words(jsonb) to authenticated, service_role;

-- The document's own fields (name, description, change note, type, base score).
create or replace function app.definition_field_problems(d jsonb, voc jsonb)
returns text[]
language plpgsql
immutable
set search_path = ''
as $$
declare
  lim jsonb := definition_field_problems.voc -> 'limits';
  p text[];
begin
  p := app.definition_unknown_keys('definition', d,
         array['name', 'description', 'type', 'trigger', 'base_score', 'steps', 'change_note']);
  p := p || app.definition_text_problem('name', d -> 'name', (lim ->> 'name')::int, false);
  p := p || app.definition_text_problem('description', d -> 'description', (lim ->> 'description')::int, false);
  p := p || app.definition_text_problem('change_note', d -> 'change_note', (lim ->> 'change_note')::int, false);
  if d ? 'name' and jsonb_typeof(d -> 'name') = 'string' and btrim(d ->> 'name') = '' then
    p := p || 'name must not be blank'::text;
  end if;
  if d ? 'type' and not (voc -> 'workflow_types') @> jsonb_build_array(d -> 'type') then
    p := p || ('type must be one of ' || app.definition_vocabulary_words(voc -> 'workflow_types'));
  end if;
  if d ? 'base_score' and (jsonb_typeof(d -> 'base_score') <> 'number'
      or (d ->> 'base_score')::numeric < 0 or (d ->> 'base_score')::numeric > (lim ->> 'base_score')::numeric) then
    p := p || ('base_score must be a number from 0 to ' || (lim ->> 'base_score'));
  end if;
  return p;
end;
$$;
revoke execute on function app.definition_field_problems(jsonb, jsonb) from public, anon;
grant execute on function app.definition_field_problems(jsonb, jsonb) to authenticated, service_role;

-- The trigger (absent is fine): an object whose kind is known, with that kind's fields.
create or replace function app.definition_trigger_problems(d jsonb, voc jsonb)
returns text[]
language plpgsql
immutable
set search_path = ''
as $$
declare
  t jsonb := definition_trigger_problems.d -> 'trigger';
  p text[] := '{}'::text[];
begin
  if not d ? 'trigger' then
    return p;
  end if;
  if jsonb_typeof(t) <> 'object' then
    return array['trigger must be an object with a kind'];
  end if;
  if not (voc -> 'trigger_kinds') @> jsonb_build_array(t -> 'kind') then
    return array['trigger.kind must be one of ' || app.definition_vocabulary_words(voc -> 'trigger_kinds')];
  end if;
  case t ->> 'kind'
    when 'manual' then
      p := p || app.definition_unknown_keys('trigger', t, array['kind']);
    when 'renewal_stage' then
      p := p || app.definition_unknown_keys('trigger', t, array['kind', 'stage']);
      if not (voc -> 'renewal_stages') @> jsonb_build_array(t -> 'stage') then
        p := p || ('trigger.stage must be one of ' || app.definition_vocabulary_words(voc -> 'renewal_stages'));
      end if;
      if coalesce(d ->> 'type', 'renewal') <> 'renewal' then
        p := p || 'a renewal_stage trigger needs type renewal'::text;
      end if;
    when 'schedule' then
      p := p || app.definition_unknown_keys('trigger', t, array['kind', 'every', 'plans']);
      if not (voc -> 'schedule_every') @> jsonb_build_array(t -> 'every') then
        p := p || 'trigger.every must be one of month, quarter'::text;
      end if;
      if t ? 'plans' and (jsonb_typeof(t -> 'plans') <> 'array' or jsonb_array_length(t -> 'plans') = 0
          or not (voc -> 'plans') @> (t -> 'plans')
          or (select count(distinct x) from jsonb_array_elements(t -> 'plans') x) <> jsonb_array_length(t -> 'plans')) then
        p := p || 'trigger.plans must be a non-empty list of distinct plans (invest, expand, manage, monitor)'::text;
      end if;
    when 'score' then
      p := p || app.definition_unknown_keys('trigger', t, array['kind', 'field', 'min']);
      if not (voc -> 'score_fields') @> jsonb_build_array(t -> 'field') then
        p := p || 'trigger.field must be one of risk_score, opportunity_score'::text;
      end if;
      if t ? 'min' and (jsonb_typeof(t -> 'min') <> 'number' or (t ->> 'min')::numeric <> trunc((t ->> 'min')::numeric)
          or (t ->> 'min')::numeric < 0 or (t ->> 'min')::numeric > 100) then
        p := p || 'trigger.min must be a whole number from 0 to 100'::text;
      end if;
  end case;
  return p;
end;
$$;
revoke execute on function app.definition_trigger_problems(jsonb, jsonb) from public, anon;
grant execute on function app.definition_trigger_problems(jsonb, jsonb) to authenticated, service_role;

-- A branch's step reference (next_step_key, return_step_key): a key, naming a step that exists.
create or replace function app.definition_step_reference_problems(path text, value jsonb, step_keys text[])
returns text[]
language sql
immutable
parallel safe
set search_path = ''
as $$
  select array[app.definition_key_problem(path, value, '^[a-z0-9]+(-[a-z0-9]+)*$', false)]
      || case when jsonb_typeof(value) = 'string' and not (value #>> '{}') = any(step_keys)
              then array[path || ' "' || (value #>> '{}') || '" is not a step of this workflow']
              else '{}'::text[] end
$$;
revoke execute on function app.definition_step_reference_problems(text, jsonb, text[]) from public, anon;
grant execute on function app.definition_step_reference_problems(text, jsonb, text[]) to authenticated, service_role;

-- A fixed branch: a canned response, then optionally another step.
create or replace function app.definition_fixed_branch_problems(bp text, b jsonb, step_keys text[], lim jsonb)
returns text[]
language sql
immutable
parallel safe
set search_path = ''
as $$
  select app.definition_unknown_keys(bp, b, array['key', 'label', 'type', 'response_text', 'next_step_key'])
      || app.definition_text_problem(bp || '.response_text', b -> 'response_text', (lim ->> 'response_text')::int, true)
      || app.definition_step_reference_problems(bp || '.next_step_key', b -> 'next_step_key', step_keys)
$$;
revoke execute on function app.definition_fixed_branch_problems(text, jsonb, text[], jsonb) from public, anon;
grant execute on function app.definition_fixed_branch_problems(text, jsonb, text[], jsonb) to authenticated, service_role;

-- An llm or rag branch: a prompt (required for llm), may go off script; rag may name sources.
create or replace function app.definition_model_branch_problems(bp text, b jsonb, lim jsonb)
returns text[]
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_rag boolean := definition_model_branch_problems.b ->> 'type' = 'rag';
  v_config jsonb := definition_model_branch_problems.b -> 'config';
  p text[];
begin
  p := app.definition_unknown_keys(bp, b, array['key', 'label', 'type', 'prompt_template', 'allow_off_script']
                                          || case when v_rag then array['config'] else '{}'::text[] end);
  p := p || app.definition_text_problem(bp || '.prompt_template', b -> 'prompt_template', (lim ->> 'prompt_template')::int, not v_rag);
  if b ? 'allow_off_script' and jsonb_typeof(b -> 'allow_off_script') <> 'boolean' then
    p := p || (bp || '.allow_off_script must be true or false');
  end if;
  if not v_rag or not b ? 'config' then
    return p;
  end if;
  if jsonb_typeof(v_config) <> 'object' then
    return p || (bp || '.config must be an object');
  end if;
  p := p || app.definition_unknown_keys(bp || '.config', v_config, array['sources']);
  if v_config ? 'sources' and (jsonb_typeof(v_config -> 'sources') <> 'array'
      or jsonb_array_length(v_config -> 'sources') > (lim ->> 'sources')::int
      or exists (select 1 from jsonb_array_elements(v_config -> 'sources') x
                  where jsonb_typeof(x) <> 'string' or (x #>> '{}') !~ '^[a-z0-9]+(_[a-z0-9]+)*$' or length(x #>> '{}') > 64)) then
    p := p || (bp || '.config.sources must be a list of at most ' || (lim ->> 'sources') || ' snake_case source names');
  end if;
  return p;
end;
$$;
revoke execute on function app.definition_model_branch_problems(text, jsonb, jsonb) from public, anon;
grant execute on function app.definition_model_branch_problems(text, jsonb, jsonb) to authenticated, service_role;

-- A saved_action branch: the action's key, where to return, and default params.
create or replace function app.definition_saved_action_branch_problems(bp text, b jsonb, step_keys text[], lim jsonb)
returns text[]
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_config jsonb := definition_saved_action_branch_problems.b -> 'config';
  p text[];
begin
  p := app.definition_unknown_keys(bp, b, array['key', 'label', 'type', 'saved_action_key', 'return_step_key', 'config']);
  p := p || app.definition_key_problem(bp || '.saved_action_key', b -> 'saved_action_key', '^[a-z0-9]+(_[a-z0-9]+)*$', true);
  p := p || app.definition_step_reference_problems(bp || '.return_step_key', b -> 'return_step_key', step_keys);
  if not b ? 'config' then
    return p;
  end if;
  if jsonb_typeof(v_config) <> 'object' then
    return p || (bp || '.config must be an object');
  end if;
  p := p || app.definition_unknown_keys(bp || '.config', v_config, array['defaults']);
  if v_config ? 'defaults' and (jsonb_typeof(v_config -> 'defaults') <> 'object'
      or (select count(*) from jsonb_object_keys(v_config -> 'defaults')) > (lim ->> 'defaults')::int
      or exists (select 1 from jsonb_each(v_config -> 'defaults') x
                  where x.key !~ '^[a-z0-9]+(_[a-z0-9]+)*$'
                     or jsonb_typeof(x.value) not in ('string', 'number', 'boolean')
                     or (jsonb_typeof(x.value) = 'string' and length(x.value #>> '{}') > (lim ->> 'default_text')::int))) then
    p := p || (bp || '.config.defaults must be an object of at most ' || (lim ->> 'defaults')
               || ' snake_case params, each text (up to ' || (lim ->> 'default_text') || ' characters), a number or true/false');
  end if;
  return p;
end;
$$;
revoke execute on function app.definition_saved_action_branch_problems(text, jsonb, text[], jsonb) from public, anon;
grant execute on function app.definition_saved_action_branch_problems(text, jsonb, text[], jsonb) to authenticated, service_role;

-- One branch: an object with a key unique within its step, a label and a known type; then
-- that type's fields.
create or replace function app.definition_branch_problems(
  bp text, b jsonb, earlier_branch_keys text[], step_keys text[], voc jsonb)
returns text[]
language plpgsql
immutable
set search_path = ''
as $$
declare
  lim jsonb := definition_branch_problems.voc -> 'limits';
  p text[];
begin
  if jsonb_typeof(b) <> 'object' then
    return array[bp || ' must be an object'];
  end if;
  p := array[app.definition_key_problem(bp || '.key', b -> 'key', '^[a-z0-9]+(-[a-z0-9]+)*$', true)];
  if jsonb_typeof(b -> 'key') = 'string' and (b ->> 'key') = any(earlier_branch_keys) then
    p := p || (bp || '.key "' || (b ->> 'key') || '" is used by an earlier branch of this step');
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
$$;
revoke execute on function app.definition_branch_problems(text, jsonb, text[], text[], jsonb) from public, anon;
grant execute on function app.definition_branch_problems(text, jsonb, text[], text[], jsonb) to authenticated, service_role;

-- One step: an object with a key unique in the workflow, a title, a known type, a prompt,
-- artifact types, and at most `limits.branches` branches.
create or replace function app.definition_step_problems(
  sp text, s jsonb, earlier_step_keys text[], step_keys text[], voc jsonb)
returns text[]
language plpgsql
immutable
set search_path = ''
as $$
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
    p := p || (sp || '.key "' || (s ->> 'key') || '" is used by an earlier step');
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
$$;
revoke execute on function app.definition_step_problems(text, jsonb, text[], text[], jsonb) from public, anon;
grant execute on function app.definition_step_problems(text, jsonb, text[], text[], jsonb) to authenticated, service_role;

-- Every structural problem of a definition document, as readable lines naming the path
-- ("steps[1].branches[0].next_step_key: …"); empty when it is valid. These are exactly the
-- rules of the zod schema WorkflowDefinition: strict objects, required fields, lengths,
-- vocabularies, unique step and branch keys, next/return steps that exist. JSON null counts
-- as absent for optional fields.
create or replace function app.workflow_definition_problems(definition jsonb)
returns text[]
language plpgsql
immutable
set search_path = ''
as $$
declare
  voc jsonb := app.workflow_definition_vocabulary();
  d jsonb := jsonb_strip_nulls(workflow_definition_problems.definition);
  p text[];
  s jsonb;
  i integer := -1;
  v_step_keys text[];  -- every step's key, so a branch may point at a later step
  v_seen text[] := '{}'::text[];
begin
  if d is null or jsonb_typeof(d) <> 'object' then
    return array['the definition must be a JSON object'];
  end if;
  p := app.definition_field_problems(d, voc) || app.definition_trigger_problems(d, voc);
  if not d ? 'steps' then
    return array_remove(p || 'steps is required'::text, null);
  end if;
  if jsonb_typeof(d -> 'steps') <> 'array' or jsonb_array_length(d -> 'steps') = 0
     or jsonb_array_length(d -> 'steps') > (voc #>> '{limits,steps}')::int then
    return array_remove(p || ('steps must be a list of 1 to ' || (voc #>> '{limits,steps}') || ' steps'), null);
  end if;
  select coalesce(array_agg(x ->> 'key' order by n), '{}') into v_step_keys
    from jsonb_array_elements(d -> 'steps') with ordinality e(x, n)
   where jsonb_typeof(x) = 'object' and jsonb_typeof(x -> 'key') = 'string';
  for s in select x from jsonb_array_elements(d -> 'steps') x loop
    i := i + 1;
    p := p || app.definition_step_problems('steps[' || i || ']', s, v_seen, v_step_keys, voc);
    if jsonb_typeof(s) = 'object' and jsonb_typeof(s -> 'key') = 'string' then
      v_seen := v_seen || (s ->> 'key');
    end if;
  end loop;
  return array_remove(p, null);
end;
$$;
comment on function app.workflow_definition_problems(jsonb) is
  'Every structural problem of a workflow definition document (the zod schema WorkflowDefinition''s rules); empty when valid.';
grant execute on function app.workflow_definition_problems(jsonb) to authenticated, service_role;


---------------------------------------------------------------------------------------
-- public.update_person: guard, lock the person, one function per changed field, write,
-- log what changed.
---------------------------------------------------------------------------------------

-- The changes object names at least one field, and only fields update_person changes.
create or replace function app.check_person_change_fields(changes jsonb)
returns void
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_key text;
begin
  if changes is null or jsonb_typeof(changes) <> 'object' or changes = '{}'::jsonb then
    raise exception 'changes must be an object with at least one of role, manager_id, title, experience_level, active'
      using errcode = '22023';
  end if;
  for v_key in select jsonb_object_keys(changes) loop
    if v_key not in ('role', 'manager_id', 'title', 'experience_level', 'active') then
      raise exception 'changes.% cannot be changed here', v_key using errcode = '22023',
        hint = 'Allowed: role, manager_id, title, experience_level, active.';
    end if;
  end loop;
end;
$$;
revoke execute on function app.check_person_change_fields(jsonb) from public, anon;
grant execute on function app.check_person_change_fields(jsonb) to authenticated;

-- The person's row, locked for the change. Visible first (a manager's row lock would skip
-- an admin's row, which the update policy hides from them), then locked.
create or replace function app.lock_person_for_change(profile_id uuid, org_id uuid, caller_is_admin boolean)
returns app.profiles
language plpgsql
set search_path = ''
as $$
declare
  v_person app.profiles;
begin
  select * into v_person from app.profiles p
   where p.id = lock_person_for_change.profile_id and p.org_id = lock_person_for_change.org_id;
  if v_person.id is null then
    raise exception 'Person not found' using errcode = 'PT404';
  end if;
  if not caller_is_admin and v_person.role = 'admin' then
    raise exception 'Only admins can change an admin' using errcode = '42501';
  end if;
  select * into v_person from app.profiles p
   where p.id = lock_person_for_change.profile_id and p.org_id = lock_person_for_change.org_id
   for update;
  if v_person.id is null or (not caller_is_admin and v_person.role = 'admin') then
    raise exception 'This person changed meanwhile; try again' using errcode = 'PT409';
  end if;
  return v_person;
end;
$$;
revoke execute on function app.lock_person_for_change(uuid, uuid, boolean) from public, anon;
grant execute on function app.lock_person_for_change(uuid, uuid, boolean) to authenticated;

-- The person's role after the change: only admins change roles, and nobody their own.
create or replace function app.person_changed_role(person app.profiles, changes jsonb, caller_is_admin boolean)
returns text
language plpgsql
stable
set search_path = ''
as $$
begin
  if not changes ? 'role' then
    return person.role;
  end if;
  if jsonb_typeof(changes -> 'role') is distinct from 'string'
     or changes ->> 'role' not in ('admin', 'manager', 'csm', 'viewer') then
    raise exception 'changes.role must be one of admin, manager, csm, viewer' using errcode = '22023';
  end if;
  if not caller_is_admin then
    raise exception 'Only admins can change roles' using errcode = '42501';
  end if;
  if person.id = (select auth.uid()) and changes ->> 'role' <> person.role then
    raise exception 'Nobody can change their own role' using errcode = '42501',
      hint = 'Ask another admin of your organisation.';
  end if;
  return changes ->> 'role';
end;
$$;
revoke execute on function app.person_changed_role(app.profiles, jsonb, boolean) from public, anon;
grant execute on function app.person_changed_role(app.profiles, jsonb, boolean) to authenticated;

-- Whether `person_id` is somewhere above `manager_id` in the organisation's reporting
-- chain (followed up to 50 levels).
create or replace function app.is_in_reporting_chain_of(manager_id uuid, person_id uuid, org_id uuid)
returns boolean
language sql
stable
set search_path = ''
as $$
  with recursive chain(id, depth) as (
    select m.manager_id, 1 from app.profiles m
     where m.id = is_in_reporting_chain_of.manager_id and m.org_id = is_in_reporting_chain_of.org_id
    union all
    select m.manager_id, c.depth + 1 from chain c
      join app.profiles m on m.id = c.id and m.org_id = is_in_reporting_chain_of.org_id
     where c.depth < 50
  )
  select exists (select 1 from chain where chain.id = is_in_reporting_chain_of.person_id)
$$;
revoke execute on function app.is_in_reporting_chain_of(uuid, uuid, uuid) from public, anon;
grant execute on function app.is_in_reporting_chain_of(uuid, uuid, uuid) to authenticated;

-- The person's manager after the change: null, or an active manager or admin of the
-- organisation who is not the person and does not report to them.
create or replace function app.person_changed_manager(person app.profiles, changes jsonb, org_id uuid)
returns uuid
language plpgsql
stable
set search_path = ''
as $$
declare
  v_manager uuid;
begin
  if not changes ? 'manager_id' then
    return person.manager_id;
  end if;
  if jsonb_typeof(changes -> 'manager_id') = 'null' then
    return null;
  end if;
  v_manager := app.uuid_param(changes, 'manager_id');
  if v_manager is null then
    raise exception 'changes.manager_id must be a person''s id or null' using errcode = '22023';
  end if;
  if v_manager = person.id then
    raise exception 'Nobody can be their own manager' using errcode = '22023';
  end if;
  if not exists (select 1 from app.profiles m where m.id = v_manager and m.org_id = person_changed_manager.org_id
                  and m.role in ('manager', 'admin') and m.deactivated_at is null) then
    raise exception 'changes.manager_id must be an active manager or admin of your organisation' using errcode = '22023';
  end if;
  if app.is_in_reporting_chain_of(v_manager, person.id, person_changed_manager.org_id) then
    raise exception 'That manager reports to this person already' using errcode = '22023',
      hint = 'Pick someone above this person, or change the other manager first.';
  end if;
  return v_manager;
end;
$$;
revoke execute on function app.person_changed_manager(app.profiles, jsonb, uuid) from public, anon;
grant execute on function app.person_changed_manager(app.profiles, jsonb, uuid) to authenticated;

-- The person's title and experience level after the change (each text or null).
create or replace function app.person_changed_description(person app.profiles, changes jsonb)
returns app.profiles
language plpgsql
immutable
set search_path = ''
as $$
begin
  if changes ? 'title' then
    if jsonb_typeof(changes -> 'title') not in ('string', 'null') or length(changes ->> 'title') > 120 then
      raise exception 'changes.title must be text of at most 120 characters, or null' using errcode = '22023';
    end if;
    person.title := nullif(btrim(changes ->> 'title'), '');
  end if;
  if changes ? 'experience_level' then
    if jsonb_typeof(changes -> 'experience_level') <> 'null'
       and (jsonb_typeof(changes -> 'experience_level') <> 'string'
            or changes ->> 'experience_level' not in ('junior', 'mid', 'senior', 'expert')) then
      raise exception 'changes.experience_level must be one of junior, mid, senior, expert, or null' using errcode = '22023';
    end if;
    person.experience_level := changes ->> 'experience_level';
  end if;
  return person;
end;
$$;
revoke execute on function app.person_changed_description(app.profiles, jsonb) from public, anon;
grant execute on function app.person_changed_description(app.profiles, jsonb) to authenticated;

-- When the person was deactivated after the change (null: active). Nobody deactivates or
-- reactivates themselves; deactivating again keeps the first time.
create or replace function app.person_changed_deactivated_at(person app.profiles, changes jsonb)
returns timestamptz
language plpgsql
stable
set search_path = ''
as $$
declare
  v_active boolean;
begin
  if not changes ? 'active' then
    return person.deactivated_at;
  end if;
  if jsonb_typeof(changes -> 'active') <> 'boolean' then
    raise exception 'changes.active must be true or false' using errcode = '22023';
  end if;
  v_active := (changes ->> 'active')::boolean;
  if person.id = (select auth.uid()) and v_active is distinct from (person.deactivated_at is null) then
    raise exception 'You cannot deactivate or reactivate yourself' using errcode = '42501',
      hint = 'Ask another admin of your organisation.';
  end if;
  return case when v_active then null else coalesce(person.deactivated_at, now()) end;
end;
$$;
revoke execute on function app.person_changed_deactivated_at(app.profiles, jsonb) from public, anon;
grant execute on function app.person_changed_deactivated_at(app.profiles, jsonb) to authenticated;

-- The admin log entry for a person's change: only the fields that changed, as
-- deactivate, reactivate or update (nothing when nothing changed).
create or replace function app.log_person_change(before_change app.profiles, after_change app.profiles)
returns void
language plpgsql
set search_path = ''
as $$
declare
  v_before jsonb;
  v_after jsonb;
begin
  select coalesce(jsonb_object_agg(o.key, o.value), '{}'::jsonb), coalesce(jsonb_object_agg(o.key, n.value), '{}'::jsonb)
    into v_before, v_after
    from jsonb_each(jsonb_build_object('role', before_change.role, 'manager_id', before_change.manager_id, 'title', before_change.title,
                                       'experience_level', before_change.experience_level, 'active', before_change.deactivated_at is null)) o
    join jsonb_each(jsonb_build_object('role', after_change.role, 'manager_id', after_change.manager_id, 'title', after_change.title,
                                       'experience_level', after_change.experience_level, 'active', after_change.deactivated_at is null)) n
      on n.key = o.key
   where n.value is distinct from o.value;
  if v_after <> '{}'::jsonb then
    perform app.record_admin_change(
      'person', after_change.id::text,
      case when v_after ? 'active' and (v_after ->> 'active')::boolean is false then 'deactivate'
           when v_after ? 'active' then 'reactivate'
           else 'update' end,
      v_before, v_after);
  end if;
end;
$$;
revoke execute on function app.log_person_change(app.profiles, app.profiles) from public, anon;
grant execute on function app.log_person_change(app.profiles, app.profiles) to authenticated;

-- Changes role, manager_id, title, experience_level and active of one person; returns
-- {person, open_work{executions[], tasks[]}}.
create or replace function public.update_person(profile_id uuid, changes jsonb)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_org uuid := app.current_org_id();
  v_admin boolean := app.has_role('admin');
  v_old app.profiles;
  v_new app.profiles;
begin
  if v_org is null or not app.has_role('admin', 'manager') or not app.caller_is_active() then
    raise exception 'Only admins and managers can change people' using errcode = '42501';
  end if;
  perform app.check_person_change_fields(update_person.changes);
  v_old := app.lock_person_for_change(update_person.profile_id, v_org, v_admin);

  v_new := v_old;
  v_new.role := app.person_changed_role(v_old, update_person.changes, v_admin);
  v_new.manager_id := app.person_changed_manager(v_old, update_person.changes, v_org);
  v_new := app.person_changed_description(v_new, update_person.changes);
  v_new.deactivated_at := app.person_changed_deactivated_at(v_old, update_person.changes);

  update app.profiles p
     set role = v_new.role, manager_id = v_new.manager_id, title = v_new.title,
         experience_level = v_new.experience_level, deactivated_at = v_new.deactivated_at
   where p.id = v_old.id
  returning * into v_new;
  perform app.log_person_change(v_old, v_new);

  return jsonb_build_object('person', app.person_json(v_new), 'open_work', app.person_open_work(v_new.id, v_org));
end;
$$;
comment on function public.update_person(uuid, jsonb) is
  'Admins (managers: not roles, not admins): changes role, manager_id, title, experience_level, active; returns {person, open_work}.';
revoke execute on function public.update_person(uuid, jsonb) from public, anon;
grant execute on function public.update_person(uuid, jsonb) to authenticated;
