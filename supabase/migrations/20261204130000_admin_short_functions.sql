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


---------------------------------------------------------------------------------------
-- public.save_workflow_definition: guard, check the document, lock and check the base
-- version, check what an existing definition keeps, store the row, store the version,
-- log.
---------------------------------------------------------------------------------------

-- Refuses a definition with structural problems, or (only when it has none) problems that
-- depend on the organisation: 22023 naming the first three, every one in the detail.
create or replace function app.check_workflow_definition_valid(org_id uuid, d jsonb)
returns void
language plpgsql
stable
set search_path = ''
as $$
declare
  v_problems text[] := app.workflow_definition_problems(check_workflow_definition_valid.d);
begin
  if cardinality(v_problems) = 0 then
    v_problems := app.workflow_definition_org_problems(check_workflow_definition_valid.org_id, d);
  end if;
  if cardinality(v_problems) > 0 then
    raise exception 'The workflow definition is not valid: %', array_to_string(v_problems[1:3], '; ')
      using errcode = '22023', detail = array_to_string(v_problems, E'\n'),
      hint = 'Fix the fields named above and save again.';
  end if;
end;
$$;
revoke execute on function app.check_workflow_definition_valid(uuid, jsonb) from public, anon;
grant execute on function app.check_workflow_definition_valid(uuid, jsonb) to authenticated;

-- What a save may not change: an override keeps the core workflow's name, type, trigger
-- and score; an existing definition its type and trigger. A new workflow needs a name and
-- is never opened by a renewal stage (each stage has its core workflow).
create or replace function app.check_workflow_definition_keeps(own app.workflows, core app.workflows, d jsonb)
returns void
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_override boolean := core.id is not null and (own.id is null or own.overrides_workflow_id is not null);
  v_fixed jsonb := case
    when v_override then jsonb_build_object('name', core.name, 'type', core.workflow_type,
                                           'trigger', core.trigger_config, 'base_score', core.base_score)
    when own.id is not null then jsonb_build_object('type', own.workflow_type, 'trigger', own.trigger_config)
    else '{}'::jsonb end;
begin
  if exists (select 1 from jsonb_each(v_fixed) f
              where d ? f.key
                and not case when f.key = 'base_score' then (d ->> 'base_score')::numeric = (f.value #>> '{}')::numeric
                             else d -> f.key = f.value end) then
    raise exception '%', case when v_override
        then 'Your organisation''s version of a core workflow keeps its name, type, trigger and score'
        else 'A workflow keeps its type and trigger once created' end
      using errcode = '22023',
      hint = 'Change its steps and branches; for a different type or trigger, create a workflow with a new key.';
  end if;
  if own.id is null and core.id is null and d -> 'trigger' ->> 'kind' = 'renewal_stage' then
    raise exception 'A new workflow cannot be opened by a renewal stage' using errcode = '22023',
      hint = 'Each stage has its core workflow: edit that one instead (your organisation gets its own version of it).';
  end if;
  if own.id is null and core.id is null and not d ? 'name' then
    raise exception 'name is required for a new workflow' using errcode = '22023';
  end if;
end;
$$;
revoke execute on function app.check_workflow_definition_keeps(app.workflows, app.workflows, jsonb) from public, anon;
grant execute on function app.check_workflow_definition_keeps(app.workflows, app.workflows, jsonb) to authenticated;

-- A definition row's current version as the admin log shows it: {version, scope, definition}.
create or replace function app.workflow_definition_log_entry(w app.workflows)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select jsonb_build_object(
    'version', w.current_version,
    'scope', case when w.org_id is null then 'core' when w.overrides_workflow_id is null then 'organisation' else 'override' end,
    'definition', app.workflow_definition_document(w.id,
      (select v.id from app.workflow_versions v where v.workflow_id = w.id and v.version = w.current_version)))
$$;
revoke execute on function app.workflow_definition_log_entry(app.workflows) from public, anon;
grant execute on function app.workflow_definition_log_entry(app.workflows) to authenticated;

-- The organisation's definition row at version `version`: its own row updated (name,
-- description, score), or a new one (its own workflow, or its override of the core one,
-- which keeps the core's name, type, trigger and score).
create or replace function app.store_workflow_definition_row(
  org_id uuid, workflow_key text, own app.workflows, core app.workflows, d jsonb, version integer)
returns app.workflows
language plpgsql
set search_path = ''
as $$
declare
  v_row app.workflows;
begin
  if own.id is not null then
    update app.workflows w
       set name = coalesce(d ->> 'name', w.name),
           description = case when d ? 'description' then d ->> 'description' else w.description end,
           base_score = coalesce((d ->> 'base_score')::numeric, w.base_score),
           current_version = store_workflow_definition_row.version
     where w.id = own.id
    returning * into v_row;
    return v_row;
  end if;
  insert into app.workflows (org_id, key, name, description, workflow_type, trigger_config, base_score,
                             current_version, overrides_workflow_id)
  values (store_workflow_definition_row.org_id, store_workflow_definition_row.workflow_key,
          coalesce(core.name, d ->> 'name'),
          case when d ? 'description' then d ->> 'description' else core.description end,
          coalesce(core.workflow_type, d ->> 'type', case when d -> 'trigger' ->> 'kind' = 'renewal_stage' then 'renewal' else 'custom' end),
          coalesce(core.trigger_config, d -> 'trigger', '{"kind": "manual"}'::jsonb),
          coalesce(core.base_score, (d ->> 'base_score')::numeric, 50),
          store_workflow_definition_row.version, core.id)
  returning * into v_row;
  return v_row;
end;
$$;
revoke execute on function app.store_workflow_definition_row(uuid, text, app.workflows, app.workflows, jsonb, integer) from public, anon;
grant execute on function app.store_workflow_definition_row(uuid, text, app.workflows, app.workflows, jsonb, integer) to authenticated;

-- The definition's steps as the row's current version, and their branches; returns the
-- version's id.
create or replace function app.store_workflow_definition_version(w app.workflows, d jsonb)
returns uuid
language plpgsql
set search_path = ''
as $$
declare
  v_version_id uuid;
begin
  insert into app.workflow_versions (workflow_id, org_id, version, config, change_note, created_by)
  values (w.id, w.org_id, w.current_version,
          jsonb_build_object('steps', (
            select jsonb_agg(jsonb_build_object(
                     'key', s ->> 'key', 'title', s ->> 'title', 'type', s ->> 'type',
                     'prompt_template', s ->> 'prompt_template',
                     'artifact_types', coalesce(s -> 'artifact_types', '[]'::jsonb)) order by ord)
              from jsonb_array_elements(d -> 'steps') with ordinality as x(s, ord))),
          d ->> 'change_note', (select auth.uid()))
  returning id into v_version_id;

  insert into app.workflow_chat_branches (
    workflow_version_id, org_id, step_key, branch_key, label, branch_type, position,
    response_text, next_step_key, prompt_template, allow_off_script, saved_action_key, return_step_key, config)
  select v_version_id, w.org_id, s ->> 'key', b ->> 'key', b ->> 'label', b ->> 'type', (b_ord - 1)::integer,
         b ->> 'response_text', b ->> 'next_step_key', b ->> 'prompt_template',
         coalesce((b ->> 'allow_off_script')::boolean, false),
         b ->> 'saved_action_key', b ->> 'return_step_key', coalesce(b -> 'config', '{}'::jsonb)
    from jsonb_array_elements(d -> 'steps') as x(s)
    cross join lateral jsonb_array_elements(coalesce(s -> 'branches', '[]'::jsonb)) with ordinality as y(b, b_ord);
  return v_version_id;
end;
$$;
revoke execute on function app.store_workflow_definition_version(app.workflows, jsonb) from public, anon;
grant execute on function app.store_workflow_definition_version(app.workflows, jsonb) to authenticated;

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
  select * into own from app.workflows x where x.org_id = v_org and x.key = save_workflow_definition.workflow_key for update;
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
comment on function public.save_workflow_definition(text, jsonb, integer) is
  'Admins: saves a workflow definition as a new version (an organisation''s own, or its override of a core one); PT409 when base_version is not the current version.';
revoke execute on function public.save_workflow_definition(text, jsonb, integer) from public, anon;
grant execute on function public.save_workflow_definition(text, jsonb, integer) to authenticated;


---------------------------------------------------------------------------------------
-- app.saved_action_config_problems: the config's keys (all of its type's, no others),
-- its true/false settings, then one function per action type.
---------------------------------------------------------------------------------------

-- The config keys of an action type (a saved config always has all of them); null for
-- custom, whose config is free-form.
create or replace function app.saved_action_config_keys(action_type text)
returns text[]
language sql
immutable
parallel safe
set search_path = ''
as $$
  select case saved_action_config_keys.action_type
    when 'snooze' then array['default_days', 'min_days', 'max_days', 'reason_required']
    when 'skip' then array['reasons', 'reason_required']
    when 'escalate' then array['levels', 'default_level', 'reason_required', 'notify']
    when 'schedule_meeting' then array['durations_minutes', 'default_duration_minutes', 'date_required', 'attendees_allowed', 'creates_task_type']
    when 'send_email' then array['artifact_type', 'requires_approval', 'approval_setting']
    when 'create_task' then array['due_date_required', 'default_priority', 'priorities', 'default_task_type']
    when 'custom' then null
    else array[]::text[] end
$$;
revoke execute on function app.saved_action_config_keys(text) from public, anon;
grant execute on function app.saved_action_config_keys(text) to authenticated, service_role;

-- A custom action's config: a few plain settings the action's own client reads.
create or replace function app.custom_action_config_problems(c jsonb)
returns text[]
language plpgsql
immutable
set search_path = ''
as $$
begin
  if (select count(*) from jsonb_object_keys(c)) > 20
     or exists (select 1 from jsonb_each(c) x where x.key !~ '^[a-z0-9]+(_[a-z0-9]+)*$'
                  or jsonb_typeof(x.value) not in ('string', 'number', 'boolean')
                  or (jsonb_typeof(x.value) = 'string' and length(x.value #>> '{}') > 500)) then
    return array['config of a custom action must be at most 20 snake_case settings, each text (up to 500 characters), a number or true/false'];
  end if;
  return '{}'::text[];
end;
$$;
revoke execute on function app.custom_action_config_problems(jsonb) from public, anon;
grant execute on function app.custom_action_config_problems(jsonb) to authenticated, service_role;

-- The config's keys: none unknown, every one of the type's present and not null.
create or replace function app.config_key_problems(c jsonb, allowed text[])
returns text[]
language sql
immutable
parallel safe
set search_path = ''
as $$
  select app.definition_unknown_keys('config', c, allowed)
      || coalesce((select array_agg('config.' || k || ' is required' order by n)
                     from unnest(allowed) with ordinality a(k, n)
                    where not c ? k or jsonb_typeof(c -> k) = 'null'), '{}'::text[])
$$;
revoke execute on function app.config_key_problems(jsonb, text[]) from public, anon;
grant execute on function app.config_key_problems(jsonb, text[]) to authenticated, service_role;

-- The true/false settings any action type may have.
create or replace function app.config_flag_problems(c jsonb)
returns text[]
language sql
immutable
parallel safe
set search_path = ''
as $$
  select coalesce(array_agg('config.' || k || ' must be true or false' order by n), '{}'::text[])
    from unnest(array['reason_required', 'date_required', 'attendees_allowed', 'due_date_required']) with ordinality f(k, n)
   where c ? k and jsonb_typeof(c -> k) <> 'boolean'
$$;
revoke execute on function app.config_flag_problems(jsonb) from public, anon;
grant execute on function app.config_flag_problems(jsonb) to authenticated, service_role;

-- snooze: whole days with 1 ≤ min ≤ default ≤ max ≤ 365, and always a reason.
create or replace function app.snooze_config_problems(c jsonb)
returns text[]
language plpgsql
immutable
set search_path = ''
as $$
declare
  p text[] := '{}'::text[];
begin
  if exists (select 1 from unnest(array['default_days', 'min_days', 'max_days']) f
              where jsonb_typeof(c -> f) <> 'number' or (c ->> f)::numeric <> trunc((c ->> f)::numeric)) then
    p := p || 'config.default_days, min_days and max_days must be whole numbers of days'::text;
  elsif not ((c ->> 'min_days')::numeric >= 1 and (c ->> 'min_days')::numeric <= (c ->> 'default_days')::numeric
             and (c ->> 'default_days')::numeric <= (c ->> 'max_days')::numeric and (c ->> 'max_days')::numeric <= 365) then
    p := p || 'config snooze days must satisfy 1 ≤ min_days ≤ default_days ≤ max_days ≤ 365'::text;
  end if;
  if c -> 'reason_required' <> 'true'::jsonb then
    p := p || 'config.reason_required must stay true: a snooze always says why'::text;
  end if;
  return p;
end;
$$;
revoke execute on function app.snooze_config_problems(jsonb) from public, anon;
grant execute on function app.snooze_config_problems(jsonb) to authenticated, service_role;

-- skip: 1 to 20 distinct short reasons, and always one of them.
create or replace function app.skip_config_problems(c jsonb)
returns text[]
language plpgsql
immutable
set search_path = ''
as $$
declare
  p text[] := '{}'::text[];
begin
  if jsonb_typeof(c -> 'reasons') <> 'array' or jsonb_array_length(c -> 'reasons') not between 1 and 20
     or exists (select 1 from jsonb_array_elements(c -> 'reasons') x
                 where jsonb_typeof(x) <> 'string' or btrim(x #>> '{}') = '' or length(x #>> '{}') > 80)
     or (select count(distinct x) from jsonb_array_elements(c -> 'reasons') x) <> jsonb_array_length(c -> 'reasons') then
    p := p || 'config.reasons must be a list of 1 to 20 distinct reasons, each 1 to 80 characters'::text;
  end if;
  if c -> 'reason_required' <> 'true'::jsonb then
    p := p || 'config.reason_required must stay true: a skipped step always says why'::text;
  end if;
  return p;
end;
$$;
revoke execute on function app.skip_config_problems(jsonb) from public, anon;
grant execute on function app.skip_config_problems(jsonb) to authenticated, service_role;

-- escalate: levels from app.escalation_levels with a default among them, a reason, and the
-- assignee's manager notified.
create or replace function app.escalate_config_problems(c jsonb)
returns text[]
language plpgsql
stable
set search_path = ''
as $$
declare
  p text[] := app.config_choice_problems(c, 'levels', 'default_level', 'escalation_level', 'levels');
begin
  if c -> 'reason_required' <> 'true'::jsonb then
    p := p || 'config.reason_required must stay true: an escalation always says why'::text;
  end if;
  if c -> 'notify' <> '"assignee_manager"'::jsonb then
    p := p || 'config.notify must be assignee_manager'::text;
  end if;
  return p;
end;
$$;
revoke execute on function app.escalate_config_problems(jsonb) from public, anon;
grant execute on function app.escalate_config_problems(jsonb) to authenticated, service_role;

-- schedule_meeting: 1 to 12 distinct durations (5 to 480 whole minutes) with a default
-- among them; the meeting's task is a schedule_meeting task.
create or replace function app.schedule_meeting_config_problems(c jsonb)
returns text[]
language plpgsql
immutable
set search_path = ''
as $$
declare
  p text[] := '{}'::text[];
begin
  if jsonb_typeof(c -> 'durations_minutes') <> 'array' or jsonb_array_length(c -> 'durations_minutes') not between 1 and 12
     or exists (select 1 from jsonb_array_elements(c -> 'durations_minutes') x
                 where jsonb_typeof(x) <> 'number' or (x #>> '{}')::numeric <> trunc((x #>> '{}')::numeric)
                    or (x #>> '{}')::numeric not between 5 and 480)
     or (select count(distinct x) from jsonb_array_elements(c -> 'durations_minutes') x) <> jsonb_array_length(c -> 'durations_minutes') then
    p := p || 'config.durations_minutes must be a list of 1 to 12 distinct whole minutes from 5 to 480'::text;
  elsif not (c -> 'durations_minutes') @> jsonb_build_array(c -> 'default_duration_minutes') then
    p := p || 'config.default_duration_minutes must be one of config.durations_minutes'::text;
  end if;
  if c -> 'creates_task_type' <> '"schedule_meeting"'::jsonb then
    p := p || 'config.creates_task_type must be schedule_meeting'::text;
  end if;
  return p;
end;
$$;
revoke execute on function app.schedule_meeting_config_problems(jsonb) from public, anon;
grant execute on function app.schedule_meeting_config_problems(jsonb) to authenticated, service_role;

-- send_email: fixed; whether a draft needs approval is an organisation setting.
create or replace function app.send_email_config_problems(c jsonb)
returns text[]
language sql
immutable
parallel safe
set search_path = ''
as $$
  select case when c <> '{"artifact_type": "email_draft", "requires_approval": "organisation_setting", "approval_setting": "require_email_approval"}'::jsonb
              then array['config of send_email is fixed: whether a draft needs approval is an organisation setting (email.require_approval)']
              else '{}'::text[] end
$$;
revoke execute on function app.send_email_config_problems(jsonb) from public, anon;
grant execute on function app.send_email_config_problems(jsonb) to authenticated, service_role;

-- create_task: priorities from app.task_priorities with a default among them, a default
-- task type from app.task_types, and always a due date.
create or replace function app.create_task_config_problems(c jsonb)
returns text[]
language plpgsql
stable
set search_path = ''
as $$
declare
  p text[] := app.config_choice_problems(c, 'priorities', 'default_priority', 'task_priority', 'priorities');
begin
  if not to_jsonb(app.lookup_keys('task_type')) @> jsonb_build_array(c -> 'default_task_type') then
    p := p || 'config.default_task_type must be a task type'::text;
  end if;
  if c -> 'due_date_required' <> 'true'::jsonb then
    p := p || 'config.due_date_required must stay true: a follow-up task always has a due date'::text;
  end if;
  return p;
end;
$$;
revoke execute on function app.create_task_config_problems(jsonb) from public, anon;
grant execute on function app.create_task_config_problems(jsonb) to authenticated, service_role;

-- Every problem with an action's full config, by action type; empty when valid.
create or replace function app.saved_action_config_problems(action_type text, config jsonb)
returns text[]
language plpgsql
stable
set search_path = ''
as $$
declare
  c jsonb := saved_action_config_problems.config;
  v_type text := saved_action_config_problems.action_type;
  p text[];
begin
  if c is null or jsonb_typeof(c) <> 'object' then
    return array['config must be a JSON object'];
  end if;
  if v_type is null
     or v_type not in ('snooze', 'skip', 'escalate', 'schedule_meeting', 'send_email', 'create_task', 'custom') then
    return array['action_type must be one of snooze, skip, escalate, schedule_meeting, send_email, create_task, custom'];
  end if;
  if v_type = 'custom' then
    return app.custom_action_config_problems(c);
  end if;
  p := app.config_key_problems(c, app.saved_action_config_keys(v_type));
  if cardinality(p) > 0 then
    return p;
  end if;
  return app.config_flag_problems(c) || case v_type
    when 'snooze' then app.snooze_config_problems(c)
    when 'skip' then app.skip_config_problems(c)
    when 'escalate' then app.escalate_config_problems(c)
    when 'schedule_meeting' then app.schedule_meeting_config_problems(c)
    when 'send_email' then app.send_email_config_problems(c)
    when 'create_task' then app.create_task_config_problems(c)
  end;
end;
$$;
comment on function app.saved_action_config_problems(text, jsonb) is
  'Every problem with a saved action''s full config for its type; task types and priorities are checked against app.task_types / app.task_priorities. Empty when valid.';
grant execute on function app.saved_action_config_problems(text, jsonb) to authenticated, service_role;


---------------------------------------------------------------------------------------
-- app.save_org_saved_action: guard, lock, the action's type, its name and description,
-- its merged config, store, keep the snooze settings in step, log.
---------------------------------------------------------------------------------------

-- The action's type: the one it has (own or core), else the one asked for; it never changes.
create or replace function app.saved_action_type_of(
  action_key text, own app.saved_actions, core app.saved_actions, action_type text)
returns text
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_type text := coalesce(own.action_type, core.action_type, saved_action_type_of.action_type);
begin
  if saved_action_type_of.action_type is not null and saved_action_type_of.action_type is distinct from v_type then
    raise exception 'action "%" is a % action; its type cannot change', saved_action_type_of.action_key, v_type
      using errcode = '22023', hint = 'Create an action with a new key for another type.';
  end if;
  if v_type is null then
    raise exception 'action_type is required for a new action' using errcode = '22023',
      hint = 'One of snooze, skip, escalate, schedule_meeting, send_email, create_task, custom.';
  end if;
  return v_type;
end;
$$;
revoke execute on function app.saved_action_type_of(text, app.saved_actions, app.saved_actions, text) from public, anon;
grant execute on function app.saved_action_type_of(text, app.saved_actions, app.saved_actions, text) to authenticated, service_role;

-- A core action keeps its name and description; a new one needs a name; both are short.
create or replace function app.check_saved_action_texts(
  own app.saved_actions, core app.saved_actions, name text, description text)
returns void
language plpgsql
immutable
set search_path = ''
as $$
begin
  if own.id is null and core.id is not null and (check_saved_action_texts.name is not null or check_saved_action_texts.description is not null) then
    raise exception 'A core action keeps its name and description; your organisation sets its limits' using errcode = '22023';
  end if;
  if own.id is null and core.id is null and coalesce(btrim(check_saved_action_texts.name), '') = '' then
    raise exception 'name is required for a new action' using errcode = '22023';
  end if;
  if length(check_saved_action_texts.name) > 120 or length(check_saved_action_texts.description) > 1000 then
    raise exception 'name must be at most 120 and description at most 1000 characters' using errcode = '22023';
  end if;
end;
$$;
revoke execute on function app.check_saved_action_texts(app.saved_actions, app.saved_actions, text, text) from public, anon;
grant execute on function app.check_saved_action_texts(app.saved_actions, app.saved_actions, text, text) to authenticated, service_role;

-- The action's config after the changes, checked: the changes apply to the current config,
-- else that of the core action of this type.
create or replace function app.saved_action_merged_config(
  own app.saved_actions, core app.saved_actions, action_type text, changes jsonb)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_config jsonb := coalesce(own.config, core.config,
                             (select c.config from app.saved_actions c
                               where c.org_id is null and c.key = saved_action_merged_config.action_type), '{}'::jsonb)
                    || saved_action_merged_config.changes;
  v_problems text[] := app.saved_action_config_problems(saved_action_merged_config.action_type, v_config);
begin
  if cardinality(v_problems) > 0 then
    raise exception 'The action''s settings are not valid: %', array_to_string(v_problems[1:3], '; ')
      using errcode = '22023', detail = array_to_string(v_problems, E'\n'), hint = 'Fix the settings named above and save again.';
  end if;
  return v_config;
end;
$$;
revoke execute on function app.saved_action_merged_config(app.saved_actions, app.saved_actions, text, jsonb) from public, anon;
grant execute on function app.saved_action_merged_config(app.saved_actions, app.saved_actions, text, jsonb) to authenticated, service_role;

-- The organisation's action row: its own updated, or a new one (its own action, or its
-- override of the core one, which keeps the core's name and description).
create or replace function app.store_org_saved_action(
  org_id uuid, action_key text, own app.saved_actions, core app.saved_actions,
  action_type text, config jsonb, name text, description text)
returns app.saved_actions
language plpgsql
set search_path = ''
as $$
declare
  v_row app.saved_actions;
begin
  if own.id is not null then
    update app.saved_actions s
       set config = store_org_saved_action.config,
           name = coalesce(nullif(btrim(store_org_saved_action.name), ''), s.name),
           description = coalesce(store_org_saved_action.description, s.description)
     where s.id = own.id
    returning * into v_row;
    return v_row;
  end if;
  insert into app.saved_actions (org_id, key, name, description, action_type, config)
  values (store_org_saved_action.org_id, store_org_saved_action.action_key,
          coalesce(core.name, btrim(store_org_saved_action.name)),
          coalesce(core.description, store_org_saved_action.description),
          store_org_saved_action.action_type, store_org_saved_action.config)
  returning * into v_row;
  return v_row;
end;
$$;
revoke execute on function app.store_org_saved_action(uuid, text, app.saved_actions, app.saved_actions, text, jsonb, text, text) from public, anon;
grant execute on function app.store_org_saved_action(uuid, text, app.saved_actions, app.saved_actions, text, jsonb, text, text) to authenticated, service_role;

-- Writes an organisation's action (own or override) after validating the merged config;
-- shared by save_saved_action and update_organisation_settings (snooze limits). The
-- caller has checked that the person is an admin.
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
comment on function app.save_org_saved_action(uuid, text, jsonb, text, text, text) is
  'Writes an organisation''s saved action (its own, or its override of a core one) with a validated, merged config.';
grant execute on function app.save_org_saved_action(uuid, text, jsonb, text, text, text) to authenticated, service_role;
