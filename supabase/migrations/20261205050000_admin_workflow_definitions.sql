-- Administration of the workflow catalogue: list, read, save (a new version) and switch
-- off workflow definitions without SQL (issue 16 item 2; docs/admin.md "Workflows,
-- actions and settings").
--
-- Why this shape:
-- - One definition document, {name, description, type, trigger, base_score, steps[] with
--   their branches[], change_note}, is what the editor edits, what
--   save_workflow_definition takes and what get_workflow_definition returns. Its rules are
--   written once as a zod schema (functions-shared/admin/workflow-definition.ts, from which
--   the JSON Schema is generated) and enforced here by app.workflow_definition_problems;
--   tests/unit/admin-workflow-definition-agreement.test.ts runs the same valid and invalid
--   fixtures through both, so the two cannot drift. Rules that need the organisation's data
--   (a branch's saved action exists, its default params fit that action's limits) are SQL
--   only: app.workflow_definition_org_problems.
-- - Versions: saving inserts a new app.workflow_versions row (and its branch rows) and
--   moves the definition's current_version; nothing is updated in place. Executions point
--   at the version they were opened with (workflow_executions.workflow_version_id), and
--   their step rows are made from that version, so running and queued work keeps its
--   steps; executions opened afterwards get the new ones.
-- - Overrides: an organisation's edit of a core definition creates its own app.workflows
--   row (overrides_workflow_id = the core row) whose first version numbers on from the
--   core's current version, so a stale base_version is still caught on the first edit.
--   The core row is never written. An override keeps the core's name, type, trigger and
--   score (the queue, the priority score and the orchestrator read those from the
--   definition an execution belongs to); its steps and branches are the organisation's.
-- - Identity: app.effective_workflows (shared by the orchestrator and
--   create_workflow_execution) now answers an override with the core definition's id and
--   the override's current version. An execution's workflow_id therefore stays the same
--   when an organisation starts overriding a definition: the orchestrator neither
--   supersedes open work nor opens a second execution for it (the one-open-per-customer-
--   and-workflow index is keyed on workflow_id), and new executions run the override's
--   steps.
-- - Switching off: app.disabled_workflows holds the keys an organisation turned off;
--   app.effective_workflows leaves them out, so neither the orchestrator nor
--   create_workflow_execution opens new executions of them. Open executions are left as
--   they are (the orchestrator's renewal pass closes an open renewal whose definition it
--   no longer runs as superseded, as it does when a stage moves on).
-- - Every change is recorded with app.record_admin_change (20261205040000).

-- ------------------------------------------------------------------------------ table

create table app.disabled_workflows (
  org_id uuid not null references app.organisations (id) on delete cascade,
  workflow_key text not null,
  disabled_by uuid,
  disabled_at timestamptz not null default now(),
  constraint disabled_workflows_pkey primary key (org_id, workflow_key),
  constraint disabled_workflows_key_is_kebab_case check (workflow_key ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  constraint disabled_workflows_disabled_by_is_in_organisation foreign key (org_id, disabled_by)
    references app.profiles (org_id, id) on delete set null (disabled_by)
);
create index disabled_workflows_org_id_disabled_by_idx on app.disabled_workflows (org_id, disabled_by)
  where disabled_by is not null;
comment on table app.disabled_workflows is 'Workflow keys an organisation switched off: no new executions of them are opened.';

alter table app.disabled_workflows enable row level security;

create policy "Members can read which workflows their organisation switched off"
  on app.disabled_workflows for select to authenticated
  using (org_id = (select app.current_org_id()));

create policy "Admins can switch off their organisation's workflows"
  on app.disabled_workflows for insert to authenticated
  with check (org_id = (select app.current_org_id()) and (select app.has_role('admin')));

create policy "Admins can switch their organisation's workflows back on"
  on app.disabled_workflows for delete to authenticated
  using (org_id = (select app.current_org_id()) and (select app.has_role('admin')));

grant select, insert, delete on app.disabled_workflows to authenticated;
grant select on app.disabled_workflows to service_role;

-- ------------------------------------------------------------------------------ effective definitions

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
language sql
stable
set search_path = ''
as $$
  -- An override answers with the core definition's id (the identity executions keep) and
  -- its own current version; switched-off keys are left out.
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
                      where d.org_id = effective_workflows.org_id and d.workflow_key = w.key)
$$;
comment on function app.effective_workflows(uuid) is
  'The workflow definitions an organisation runs (its override, else the core one; switched-off keys left out) with their current version; an override keeps the core id.';

-- ------------------------------------------------------------------------------ the rules

-- The words a definition may use. The zod schema (functions-shared/admin/workflow-definition.ts)
-- holds the same lists; the agreement test compares them.
create or replace function app.workflow_definition_vocabulary()
returns jsonb
language sql
immutable
parallel safe
set search_path = ''
as $$
  select '{
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
  }'::jsonb
$$;
comment on function app.workflow_definition_vocabulary() is 'The types, stages and limits a workflow definition may use (mirrored by the zod schema).';

-- Problems with one JSON value against a small rule, or null when it is fine.
create or replace function app.definition_text_problem(path text, value jsonb, max_length integer, required boolean)
returns text
language sql
immutable
parallel safe
set search_path = ''
as $$
  select case
    when definition_text_problem.value is null or jsonb_typeof(definition_text_problem.value) = 'null' then
      case when definition_text_problem.required then definition_text_problem.path || ' is required' end
    when jsonb_typeof(definition_text_problem.value) <> 'string' then definition_text_problem.path || ' must be text'
    when definition_text_problem.required and btrim(definition_text_problem.value #>> '{}') = '' then
      definition_text_problem.path || ' must not be blank'
    when length(definition_text_problem.value #>> '{}') > definition_text_problem.max_length then
      definition_text_problem.path || ' must be at most ' || definition_text_problem.max_length || ' characters'
  end
$$;

create or replace function app.definition_key_problem(path text, value jsonb, pattern text, required boolean)
returns text
language sql
immutable
parallel safe
set search_path = ''
as $$
  select case
    when definition_key_problem.value is null or jsonb_typeof(definition_key_problem.value) = 'null' then
      case when definition_key_problem.required then definition_key_problem.path || ' is required' end
    when jsonb_typeof(definition_key_problem.value) <> 'string'
      or (definition_key_problem.value #>> '{}') !~ definition_key_problem.pattern
      or length(definition_key_problem.value #>> '{}') > 64 then
      definition_key_problem.path || ' must be a key of lowercase words ('
        || case when definition_key_problem.pattern like '%\_%' then 'snake_case' else 'kebab-case' end
        || ', at most 64 characters)'
  end
$$;

-- Unknown keys of an object, as problems.
create or replace function app.definition_unknown_keys(path text, obj jsonb, allowed text[])
returns text[]
language sql
immutable
parallel safe
set search_path = ''
as $$
  select coalesce(array_agg(definition_unknown_keys.path || '.' || k || ' is not a known field' order by k), '{}')
    from jsonb_object_keys(definition_unknown_keys.obj) k
   where not k = any(definition_unknown_keys.allowed)
$$;

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
  lim jsonb := voc -> 'limits';
  d jsonb := jsonb_strip_nulls(workflow_definition_problems.definition);
  p text[] := '{}'::text[];
  t jsonb;
  s jsonb;
  b jsonb;
  i integer;
  j integer;
  sp text;
  bp text;
  v_step_keys text[] := '{}'::text[];
  v_seen text[] := '{}'::text[];
  v_branch_keys text[];
  v_type text;
begin
  if d is null or jsonb_typeof(d) <> 'object' then
    return array['the definition must be a JSON object'];
  end if;
  p := p || app.definition_unknown_keys('definition', d,
         array['name', 'description', 'type', 'trigger', 'base_score', 'steps', 'change_note']);
  p := p || app.definition_text_problem('name', d -> 'name', (lim ->> 'name')::int, false);
  p := p || app.definition_text_problem('description', d -> 'description', (lim ->> 'description')::int, false);
  p := p || app.definition_text_problem('change_note', d -> 'change_note', (lim ->> 'change_note')::int, false);
  if d ? 'name' and jsonb_typeof(d -> 'name') = 'string' and btrim(d ->> 'name') = '' then
    p := p || 'name must not be blank'::text;
  end if;
  if d ? 'type' and not (voc -> 'workflow_types') @> jsonb_build_array(d -> 'type') then
    p := p || ('type must be one of ' || (select string_agg(x, ', ') from jsonb_array_elements_text(voc -> 'workflow_types') x));
  end if;
  if d ? 'base_score' and (jsonb_typeof(d -> 'base_score') <> 'number'
      or (d ->> 'base_score')::numeric < 0 or (d ->> 'base_score')::numeric > (lim ->> 'base_score')::numeric) then
    p := p || ('base_score must be a number from 0 to ' || (lim ->> 'base_score'));
  end if;

  -- trigger
  if d ? 'trigger' then
    t := d -> 'trigger';
    if jsonb_typeof(t) <> 'object' then
      p := p || 'trigger must be an object with a kind'::text;
    elsif not (voc -> 'trigger_kinds') @> jsonb_build_array(t -> 'kind') then
      p := p || ('trigger.kind must be one of ' || (select string_agg(x, ', ') from jsonb_array_elements_text(voc -> 'trigger_kinds') x));
    else
      case t ->> 'kind'
        when 'manual' then
          p := p || app.definition_unknown_keys('trigger', t, array['kind']);
        when 'renewal_stage' then
          p := p || app.definition_unknown_keys('trigger', t, array['kind', 'stage']);
          if not (voc -> 'renewal_stages') @> jsonb_build_array(t -> 'stage') then
            p := p || ('trigger.stage must be one of ' || (select string_agg(x, ', ') from jsonb_array_elements_text(voc -> 'renewal_stages') x));
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
    end if;
  end if;

  -- steps
  if not d ? 'steps' then
    p := p || 'steps is required'::text;
    return array_remove(p, null);
  end if;
  if jsonb_typeof(d -> 'steps') <> 'array' or jsonb_array_length(d -> 'steps') = 0
     or jsonb_array_length(d -> 'steps') > (lim ->> 'steps')::int then
    p := p || ('steps must be a list of 1 to ' || (lim ->> 'steps') || ' steps');
    return array_remove(p, null);
  end if;
  -- First the step keys, so a branch may point at a later step.
  for s in select x from jsonb_array_elements(d -> 'steps') x loop
    if jsonb_typeof(s) = 'object' and jsonb_typeof(s -> 'key') = 'string' then
      v_step_keys := v_step_keys || (s ->> 'key');
    end if;
  end loop;
  i := -1;
  for s in select x from jsonb_array_elements(d -> 'steps') x loop
    i := i + 1;
    sp := 'steps[' || i || ']';
    if jsonb_typeof(s) <> 'object' then
      p := p || (sp || ' must be an object');
      continue;
    end if;
    p := p || app.definition_unknown_keys(sp, s, array['key', 'title', 'type', 'prompt_template', 'artifact_types', 'branches']);
    p := p || app.definition_key_problem(sp || '.key', s -> 'key', '^[a-z0-9]+(-[a-z0-9]+)*$', true);
    if jsonb_typeof(s -> 'key') = 'string' then
      if (s ->> 'key') = any(v_seen) then
        p := p || (sp || '.key "' || (s ->> 'key') || '" is used by an earlier step');
      end if;
      v_seen := v_seen || (s ->> 'key');
    end if;
    p := p || app.definition_text_problem(sp || '.title', s -> 'title', (lim ->> 'title')::int, true);
    if not (voc -> 'step_types') @> jsonb_build_array(s -> 'type') then
      p := p || (sp || '.type must be one of ' || (select string_agg(x, ', ') from jsonb_array_elements_text(voc -> 'step_types') x));
    end if;
    p := p || app.definition_text_problem(sp || '.prompt_template', s -> 'prompt_template', (lim ->> 'prompt_template')::int, true);
    if s ? 'artifact_types' and (jsonb_typeof(s -> 'artifact_types') <> 'array'
        or not (voc -> 'artifact_types') @> (s -> 'artifact_types')
        or (select count(distinct x) from jsonb_array_elements(s -> 'artifact_types') x) <> jsonb_array_length(s -> 'artifact_types')) then
      p := p || (sp || '.artifact_types must be a list of distinct artifact types ('
                 || (select string_agg(x, ', ') from jsonb_array_elements_text(voc -> 'artifact_types') x) || ')');
    end if;
    if not s ? 'branches' then
      continue;
    end if;
    if jsonb_typeof(s -> 'branches') <> 'array' or jsonb_array_length(s -> 'branches') > (lim ->> 'branches')::int then
      p := p || (sp || '.branches must be a list of at most ' || (lim ->> 'branches') || ' branches');
      continue;
    end if;
    v_branch_keys := '{}'::text[];
    j := -1;
    for b in select x from jsonb_array_elements(s -> 'branches') x loop
      j := j + 1;
      bp := sp || '.branches[' || j || ']';
      if jsonb_typeof(b) <> 'object' then
        p := p || (bp || ' must be an object');
        continue;
      end if;
      p := p || app.definition_key_problem(bp || '.key', b -> 'key', '^[a-z0-9]+(-[a-z0-9]+)*$', true);
      if jsonb_typeof(b -> 'key') = 'string' then
        if (b ->> 'key') = any(v_branch_keys) then
          p := p || (bp || '.key "' || (b ->> 'key') || '" is used by an earlier branch of this step');
        end if;
        v_branch_keys := v_branch_keys || (b ->> 'key');
      end if;
      p := p || app.definition_text_problem(bp || '.label', b -> 'label', (lim ->> 'label')::int, true);
      v_type := b ->> 'type';
      if jsonb_typeof(b -> 'type') is distinct from 'string' or not (voc -> 'branch_types') @> jsonb_build_array(b -> 'type') then
        p := p || (bp || '.type must be one of fixed, llm, saved_action, rag');
        continue;
      end if;
      case v_type
        when 'fixed' then
          p := p || app.definition_unknown_keys(bp, b, array['key', 'label', 'type', 'response_text', 'next_step_key']);
          p := p || app.definition_text_problem(bp || '.response_text', b -> 'response_text', (lim ->> 'response_text')::int, true);
          p := p || app.definition_key_problem(bp || '.next_step_key', b -> 'next_step_key', '^[a-z0-9]+(-[a-z0-9]+)*$', false);
          if jsonb_typeof(b -> 'next_step_key') = 'string' and not (b ->> 'next_step_key') = any(v_step_keys) then
            p := p || (bp || '.next_step_key "' || (b ->> 'next_step_key') || '" is not a step of this workflow');
          end if;
        when 'llm' then
          p := p || app.definition_unknown_keys(bp, b, array['key', 'label', 'type', 'prompt_template', 'allow_off_script']);
          p := p || app.definition_text_problem(bp || '.prompt_template', b -> 'prompt_template', (lim ->> 'prompt_template')::int, true);
          if b ? 'allow_off_script' and jsonb_typeof(b -> 'allow_off_script') <> 'boolean' then
            p := p || (bp || '.allow_off_script must be true or false');
          end if;
        when 'rag' then
          p := p || app.definition_unknown_keys(bp, b, array['key', 'label', 'type', 'prompt_template', 'allow_off_script', 'config']);
          p := p || app.definition_text_problem(bp || '.prompt_template', b -> 'prompt_template', (lim ->> 'prompt_template')::int, false);
          if b ? 'allow_off_script' and jsonb_typeof(b -> 'allow_off_script') <> 'boolean' then
            p := p || (bp || '.allow_off_script must be true or false');
          end if;
          if b ? 'config' then
            if jsonb_typeof(b -> 'config') <> 'object' then
              p := p || (bp || '.config must be an object');
            else
              p := p || app.definition_unknown_keys(bp || '.config', b -> 'config', array['sources']);
              if (b -> 'config') ? 'sources' and (jsonb_typeof(b -> 'config' -> 'sources') <> 'array'
                  or jsonb_array_length(b -> 'config' -> 'sources') > (lim ->> 'sources')::int
                  or exists (select 1 from jsonb_array_elements(b -> 'config' -> 'sources') x
                              where jsonb_typeof(x) <> 'string' or (x #>> '{}') !~ '^[a-z0-9]+(_[a-z0-9]+)*$' or length(x #>> '{}') > 64)) then
                p := p || (bp || '.config.sources must be a list of at most ' || (lim ->> 'sources') || ' snake_case source names');
              end if;
            end if;
          end if;
        when 'saved_action' then
          p := p || app.definition_unknown_keys(bp, b, array['key', 'label', 'type', 'saved_action_key', 'return_step_key', 'config']);
          p := p || app.definition_key_problem(bp || '.saved_action_key', b -> 'saved_action_key', '^[a-z0-9]+(_[a-z0-9]+)*$', true);
          p := p || app.definition_key_problem(bp || '.return_step_key', b -> 'return_step_key', '^[a-z0-9]+(-[a-z0-9]+)*$', false);
          if jsonb_typeof(b -> 'return_step_key') = 'string' and not (b ->> 'return_step_key') = any(v_step_keys) then
            p := p || (bp || '.return_step_key "' || (b ->> 'return_step_key') || '" is not a step of this workflow');
          end if;
          if b ? 'config' then
            if jsonb_typeof(b -> 'config') <> 'object' then
              p := p || (bp || '.config must be an object');
            else
              p := p || app.definition_unknown_keys(bp || '.config', b -> 'config', array['defaults']);
              if (b -> 'config') ? 'defaults' and (jsonb_typeof(b -> 'config' -> 'defaults') <> 'object'
                  or (select count(*) from jsonb_object_keys(b -> 'config' -> 'defaults')) > (lim ->> 'defaults')::int
                  or exists (select 1 from jsonb_each(b -> 'config' -> 'defaults') x
                              where x.key !~ '^[a-z0-9]+(_[a-z0-9]+)*$'
                                 or jsonb_typeof(x.value) not in ('string', 'number', 'boolean')
                                 or (jsonb_typeof(x.value) = 'string' and length(x.value #>> '{}') > (lim ->> 'default_text')::int))) then
                p := p || (bp || '.config.defaults must be an object of at most ' || (lim ->> 'defaults')
                           || ' snake_case params, each text (up to ' || (lim ->> 'default_text') || ' characters), a number or true/false');
              end if;
            end if;
          end if;
      end case;
    end loop;
  end loop;
  return array_remove(p, null);
end;
$$;
comment on function app.workflow_definition_problems(jsonb) is
  'Every structural problem of a workflow definition document (the zod schema WorkflowDefinition''s rules); empty when valid.';

-- The rules that need the organisation: a saved_action branch names an action the
-- organisation has, and its default params are ones that action accepts, within its limits.
create or replace function app.workflow_definition_org_problems(org_id uuid, definition jsonb)
returns text[]
language sql
stable
set search_path = ''
as $$
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
    select br.path, a.action_type, a.config, x.key as param, x.value
      from branches br
      join actions a on a.key = br.branch ->> 'saved_action_key'
      cross join lateral jsonb_each(coalesce(br.branch -> 'config' -> 'defaults', '{}'::jsonb)) x
  )
  select coalesce(array_agg(problem order by problem), '{}') from (
    select br.path || '.saved_action_key "' || (br.branch ->> 'saved_action_key') || '" is not an action of your organisation' as problem
      from branches br
     where not exists (select 1 from actions a where a.key = br.branch ->> 'saved_action_key')
    union all
    select pr.path || '.config.defaults.' || pr.param || ' ' || case
             when pr.action_type = 'snooze' and pr.param = 'days' then
               'must be a whole number of days from ' || (pr.config ->> 'min_days') || ' to ' || (pr.config ->> 'max_days')
             when pr.action_type = 'escalate' and pr.param = 'level' then
               'must be one of ' || (select string_agg(x, ', ') from jsonb_array_elements_text(pr.config -> 'levels') x)
             when pr.action_type = 'schedule_meeting' and pr.param = 'duration_minutes' then
               'must be one of ' || (select string_agg(x, ', ') from jsonb_array_elements_text(pr.config -> 'durations_minutes') x)
             when pr.action_type = 'create_task' and pr.param = 'priority' then
               'must be one of ' || (select string_agg(x, ', ') from jsonb_array_elements_text(pr.config -> 'priorities') x)
             when pr.action_type = 'skip' and pr.param = 'reason' then
               'must be one of the skip reasons'
             when pr.param in ('reason', 'title', 'description', 'task_type', 'note') then 'must be text'
             else 'is not a parameter of this action'
           end
      from params pr
     where not case
             when pr.action_type = 'snooze' and pr.param = 'days' then
               jsonb_typeof(pr.value) = 'number' and (pr.value #>> '{}')::numeric = trunc((pr.value #>> '{}')::numeric)
               and (pr.value #>> '{}')::numeric between coalesce((pr.config ->> 'min_days')::numeric, 1) and coalesce((pr.config ->> 'max_days')::numeric, 30)
             when pr.action_type = 'snooze' then pr.param = 'reason' and jsonb_typeof(pr.value) = 'string'
             when pr.action_type = 'escalate' and pr.param = 'level' then coalesce(pr.config -> 'levels', '[]'::jsonb) @> jsonb_build_array(pr.value)
             when pr.action_type = 'escalate' then pr.param = 'reason' and jsonb_typeof(pr.value) = 'string'
             when pr.action_type = 'schedule_meeting' and pr.param = 'duration_minutes' then
               coalesce(pr.config -> 'durations_minutes', '[]'::jsonb) @> jsonb_build_array(pr.value)
             when pr.action_type = 'schedule_meeting' then pr.param = 'title' and jsonb_typeof(pr.value) = 'string'
             when pr.action_type = 'create_task' and pr.param = 'priority' then coalesce(pr.config -> 'priorities', '[]'::jsonb) @> jsonb_build_array(pr.value)
             when pr.action_type = 'create_task' then pr.param in ('task_type', 'title', 'description') and jsonb_typeof(pr.value) = 'string'
             when pr.action_type = 'skip' and pr.param = 'reason' then coalesce(pr.config -> 'reasons', '[]'::jsonb) @> jsonb_build_array(pr.value)
             when pr.action_type = 'skip' then pr.param = 'note' and jsonb_typeof(pr.value) = 'string'
             when pr.action_type = 'custom' then true
             else false
           end
  ) problems
$$;
comment on function app.workflow_definition_org_problems(uuid, jsonb) is
  'Problems of a definition that depend on the organisation: unknown saved actions and default params outside an action''s limits.';

-- ------------------------------------------------------------------------------ documents

-- A stored version as the definition document the editor edits (branches inside their step).
create or replace function app.workflow_definition_document(workflow_id uuid, version_id uuid)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select jsonb_strip_nulls(jsonb_build_object(
           'name', w.name, 'description', w.description, 'type', w.workflow_type,
           'trigger', w.trigger_config, 'base_score', w.base_score,
           'change_note', v.change_note,
           'steps', coalesce((
             select jsonb_agg(jsonb_build_object(
                      'key', s.step ->> 'key',
                      'title', s.step ->> 'title',
                      'type', s.step ->> 'type',
                      'prompt_template', s.step ->> 'prompt_template',
                      'artifact_types', coalesce(s.step -> 'artifact_types', '[]'::jsonb),
                      'branches', coalesce((
                        select jsonb_agg(jsonb_strip_nulls(case b.branch_type
                                 when 'fixed' then jsonb_build_object('key', b.branch_key, 'label', b.label, 'type', b.branch_type,
                                   'response_text', b.response_text, 'next_step_key', b.next_step_key)
                                 when 'llm' then jsonb_build_object('key', b.branch_key, 'label', b.label, 'type', b.branch_type,
                                   'prompt_template', b.prompt_template, 'allow_off_script', b.allow_off_script)
                                 when 'rag' then jsonb_build_object('key', b.branch_key, 'label', b.label, 'type', b.branch_type,
                                   'prompt_template', b.prompt_template, 'allow_off_script', b.allow_off_script,
                                   'config', nullif(b.config, '{}'::jsonb))
                                 else jsonb_build_object('key', b.branch_key, 'label', b.label, 'type', b.branch_type,
                                   'saved_action_key', b.saved_action_key, 'return_step_key', b.return_step_key,
                                   'config', nullif(b.config, '{}'::jsonb))
                               end) order by b.position, b.branch_key)
                          from app.workflow_chat_branches b
                         where b.workflow_version_id = v.id and b.step_key = s.step ->> 'key'), '[]'::jsonb)
                    ) order by s.ord)
               from jsonb_array_elements(v.config -> 'steps') with ordinality as s(step, ord)), '[]'::jsonb)
         ))
    from app.workflows w
    join app.workflow_versions v on v.id = workflow_definition_document.version_id
   where w.id = workflow_definition_document.workflow_id
$$;
comment on function app.workflow_definition_document(uuid, uuid) is
  'A stored workflow version as the definition document {name, description, type, trigger, base_score, change_note, steps[{…, branches[]}]}.';

-- One catalogue entry: what list_workflow_definitions shows for a definition row.
create or replace function app.workflow_definition_summary(w app.workflows, org_id uuid)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select jsonb_build_object(
    'key', w.key,
    'name', w.name,
    'description', w.description,
    'type', w.workflow_type,
    'trigger', w.trigger_config,
    'base_score', w.base_score,
    'scope', case when w.org_id is null then 'core' when w.overrides_workflow_id is not null then 'override' else 'organisation' end,
    'version', w.current_version,
    'enabled', not exists (select 1 from app.disabled_workflows d
                            where d.org_id = workflow_definition_summary.org_id and d.workflow_key = w.key),
    'step_count', (select coalesce(jsonb_array_length(v.config -> 'steps'), 0) from app.workflow_versions v
                    where v.workflow_id = w.id and v.version = w.current_version),
    'steps', (select coalesce(jsonb_agg(jsonb_build_object('key', s ->> 'key', 'title', s ->> 'title')), '[]'::jsonb)
                from app.workflow_versions v, jsonb_array_elements(v.config -> 'steps') s
               where v.workflow_id = w.id and v.version = w.current_version),
    'updated_at', w.updated_at
  )
$$;

-- ------------------------------------------------------------------------------ the API

create or replace function public.list_workflow_definitions()
returns jsonb
language sql
stable
set search_path = ''
as $$
  select coalesce(jsonb_agg(app.workflow_definition_summary(w, (select app.current_org_id()))
                            order by w.workflow_type = 'custom', w.base_score desc, w.key), '[]'::jsonb)
    from (
      select distinct on (w0.key) w0.*
        from app.workflows w0
       where w0.is_active and (w0.org_id is null or w0.org_id = (select app.current_org_id()))
       order by w0.key, w0.org_id nulls last
    ) w
   where (select app.current_org_id()) is not null
$$;
comment on function public.list_workflow_definitions() is
  'The organisation''s workflow catalogue (core definitions and its own or overriding ones): key, name, type, scope, version, enabled, steps.';
revoke execute on function public.list_workflow_definitions() from public, anon;
grant execute on function public.list_workflow_definitions() to authenticated;

create or replace function public.get_workflow_definition(workflow_key text, version integer default null)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
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
  select * into own from app.workflows x where x.org_id = v_org and x.key = get_workflow_definition.workflow_key;
  select * into core from app.workflows x where x.org_id is null and x.key = get_workflow_definition.workflow_key and x.is_active;
  w := case when own.id is not null then own else core end;
  if w.id is null then
    raise exception 'Workflow "%" not found', get_workflow_definition.workflow_key using errcode = 'PT404',
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
    raise exception 'Version % of "%" not found', get_workflow_definition.version, get_workflow_definition.workflow_key
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
$$;
comment on function public.get_workflow_definition(text, integer) is
  'One workflow definition as the editor edits it (a version, default the current one), with the previous version and the version list.';
revoke execute on function public.get_workflow_definition(text, integer) from public, anon;
grant execute on function public.get_workflow_definition(text, integer) to authenticated;

create or replace function public.save_workflow_definition(workflow_key text, definition jsonb, base_version integer)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_org uuid := app.current_org_id();
  v_me uuid := (select auth.uid());
  d jsonb := jsonb_strip_nulls(save_workflow_definition.definition);
  v_problems text[];
  own app.workflows;
  core app.workflows;
  v_current integer;
  v_new integer;
  v_action text;
  v_before jsonb;
  v_version_id uuid;
  v_fixed jsonb;
  v_override boolean;
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
  v_problems := app.workflow_definition_problems(d);
  if cardinality(v_problems) = 0 then
    v_problems := app.workflow_definition_org_problems(v_org, d);
  end if;
  if cardinality(v_problems) > 0 then
    raise exception 'The workflow definition is not valid: %', array_to_string(v_problems[1:3], '; ')
      using errcode = '22023', detail = array_to_string(v_problems, E'\n'),
      hint = 'Fix the fields named above and save again.';
  end if;

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
  v_new := v_current + 1;

  -- What an override or an existing definition keeps.
  v_override := core.id is not null and (own.id is null or own.overrides_workflow_id is not null);
  v_fixed := case
    when v_override then jsonb_build_object('name', core.name, 'type', core.workflow_type,
                                           'trigger', core.trigger_config, 'base_score', core.base_score)
    when own.id is not null then jsonb_build_object('type', own.workflow_type, 'trigger', own.trigger_config)
    else '{}'::jsonb end;
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

  if own.id is not null then
    v_action := 'update';
    v_before := jsonb_build_object('version', v_current, 'scope', case when own.overrides_workflow_id is null then 'organisation' else 'override' end,
      'definition', app.workflow_definition_document(own.id,
        (select v.id from app.workflow_versions v where v.workflow_id = own.id and v.version = own.current_version)));
    update app.workflows w
       set name = coalesce(d ->> 'name', w.name),
           description = case when d ? 'description' then d ->> 'description' else w.description end,
           base_score = coalesce((d ->> 'base_score')::numeric, w.base_score),
           current_version = v_new
     where w.id = own.id
    returning * into own;
  else
    v_action := case when core.id is null then 'create' else 'override' end;
    v_before := case when core.id is null then null else jsonb_build_object('version', v_current, 'scope', 'core',
      'definition', app.workflow_definition_document(core.id,
        (select v.id from app.workflow_versions v where v.workflow_id = core.id and v.version = core.current_version))) end;
    insert into app.workflows (org_id, key, name, description, workflow_type, trigger_config, base_score,
                               current_version, overrides_workflow_id)
    values (v_org, save_workflow_definition.workflow_key,
            coalesce(core.name, d ->> 'name'),
            case when d ? 'description' then d ->> 'description' else core.description end,
            coalesce(core.workflow_type, d ->> 'type', case when d -> 'trigger' ->> 'kind' = 'renewal_stage' then 'renewal' else 'custom' end),
            coalesce(core.trigger_config, d -> 'trigger', '{"kind": "manual"}'::jsonb),
            coalesce(core.base_score, (d ->> 'base_score')::numeric, 50),
            v_new, core.id)
    returning * into own;
  end if;

  insert into app.workflow_versions (workflow_id, org_id, version, config, change_note, created_by)
  values (own.id, v_org, v_new,
          jsonb_build_object('steps', (
            select jsonb_agg(jsonb_build_object(
                     'key', s ->> 'key', 'title', s ->> 'title', 'type', s ->> 'type',
                     'prompt_template', s ->> 'prompt_template',
                     'artifact_types', coalesce(s -> 'artifact_types', '[]'::jsonb)) order by ord)
              from jsonb_array_elements(d -> 'steps') with ordinality as x(s, ord))),
          d ->> 'change_note', v_me)
  returning id into v_version_id;

  insert into app.workflow_chat_branches (
    workflow_version_id, org_id, step_key, branch_key, label, branch_type, position,
    response_text, next_step_key, prompt_template, allow_off_script, saved_action_key, return_step_key, config)
  select v_version_id, v_org, s ->> 'key', b ->> 'key', b ->> 'label', b ->> 'type', (b_ord - 1)::integer,
         b ->> 'response_text', b ->> 'next_step_key', b ->> 'prompt_template',
         coalesce((b ->> 'allow_off_script')::boolean, false),
         b ->> 'saved_action_key', b ->> 'return_step_key', coalesce(b -> 'config', '{}'::jsonb)
    from jsonb_array_elements(d -> 'steps') as x(s)
    cross join lateral jsonb_array_elements(coalesce(s -> 'branches', '[]'::jsonb)) with ordinality as y(b, b_ord);

  perform app.record_admin_change('workflow_definition', save_workflow_definition.workflow_key, v_action, v_before,
    jsonb_build_object('version', v_new, 'scope', case when own.overrides_workflow_id is null then 'organisation' else 'override' end,
                       'definition', app.workflow_definition_document(own.id, v_version_id)));
  return public.get_workflow_definition(save_workflow_definition.workflow_key);
end;
$$;
comment on function public.save_workflow_definition(text, jsonb, integer) is
  'Admins: saves a workflow definition as a new version (an organisation''s own, or its override of a core one); PT409 when base_version is not the current version.';
revoke execute on function public.save_workflow_definition(text, jsonb, integer) from public, anon;
grant execute on function public.save_workflow_definition(text, jsonb, integer) to authenticated;

create or replace function public.set_workflow_enabled(workflow_key text, enabled boolean)
returns jsonb
language plpgsql
set search_path = ''
as $$
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
  select * into w from app.workflows x
   where x.key = set_workflow_enabled.workflow_key and x.is_active and (x.org_id = v_org or x.org_id is null)
   order by x.org_id nulls last limit 1;
  if w.id is null then
    raise exception 'Workflow "%" not found', set_workflow_enabled.workflow_key using errcode = 'PT404',
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
$$;
comment on function public.set_workflow_enabled(text, boolean) is
  'Admins: switches a workflow off (no new executions are opened, by the orchestrator or by hand) or back on for the organisation.';
revoke execute on function public.set_workflow_enabled(text, boolean) from public, anon;
grant execute on function public.set_workflow_enabled(text, boolean) to authenticated;

grant execute on function app.workflow_definition_vocabulary() to authenticated, service_role;
grant execute on function app.definition_text_problem(text, jsonb, integer, boolean) to authenticated, service_role;
grant execute on function app.definition_key_problem(text, jsonb, text, boolean) to authenticated, service_role;
grant execute on function app.definition_unknown_keys(text, jsonb, text[]) to authenticated, service_role;
grant execute on function app.workflow_definition_problems(jsonb) to authenticated, service_role;
grant execute on function app.workflow_definition_org_problems(uuid, jsonb) to authenticated, service_role;
grant execute on function app.workflow_definition_document(uuid, uuid) to authenticated, service_role;
grant execute on function app.workflow_definition_summary(app.workflows, uuid) to authenticated, service_role;
