-- An artifact's content and a proposal's params hold no control character or text-direction
-- override, checked when they are stored or edited (docs/business-rules.md "Displayable text").
--
-- What and why: 20261214300000 checked every name, title and note column, but an email
-- draft's subject and body live inside the artifact's JSON content, and a proposal's task
-- title or reason inside its params: they were checked only when sent (email_outbox.subject
-- and body_text) or executed (workflow_tasks.title). A draft an agent or the assistant wrote
-- with 'Invoice \u202Efdp.exe' as its subject reached the approver's screen reading
-- 'Invoice exe.pdf', and was approved from there.
-- Now one rule for JSON, app.require_displayable_json(value, name): every string in the
-- value, at any depth, is app.require_displayable_text's, one line or multi-line by its field
-- (app.text_field_is_one_line: a name, a title, a label, a subject and each address of to,
-- cc or attendees are one line; a body, a reason or any other text may hold line breaks, tabs
-- and direction marks). 22023 names the field as a path (content.subject, content.to[1],
-- params.title), the statement writes nothing. Check constraints ask it on
-- workflow_task_artifacts.content, workflow_task_artifact_versions.content and
-- action_proposals.params and decided_params, so every path that writes them is refused alike:
-- create_artifact, update_artifact, create_agent_draft, create_assistant_artifact,
-- propose_action, decide_proposal's edited params, a plain UPDATE.
-- app.definition_text_problem (restated from 20261214300000) asks app.text_field_is_one_line,
-- the one list of one-line fields, where it had its own regular expression (the same three
-- names; a definition holds no subject or address).
-- Rows written before are mended as 20261214300000 mended its columns (app.displayable_text:
-- a line break or tab in a one-line text becomes a space, every other refused character is
-- removed), so the migration never fails on them.
-- supabase/tests/constraints/drafted_content_holds_no_direction_overrides.test.sql.

-- Whether the text at `field` (a path such as content.subject or params.to[0]) is one line.
create function app.text_field_is_one_line(field text)
returns boolean
language plpgsql
immutable
parallel safe
set search_path = ''
as $$
begin
  return text_field_is_one_line.field ~ '(^|\.)(name|title|label|subject|to|cc|attendees)(\[[0-9]+\])?$';
end;
$$;
revoke execute on function app.text_field_is_one_line(text) from public, anon;
grant execute on function app.text_field_is_one_line(text) to authenticated, service_role;

-- Every string of `value` with its path from `name` (name.key, name.list[0]), at any depth.
create function app.json_texts(value jsonb, name text)
returns table (field text, text text)
language sql
immutable
parallel safe
set search_path = ''
as $$
  with recursive walk(field, v) as (
    select json_texts.name, json_texts.value
    union all
    select c.field, c.v
      from walk w
      cross join lateral (
        select w.field || '.' || e.key, e.value
          from pg_catalog.jsonb_each(case when pg_catalog.jsonb_typeof(w.v) = 'object' then w.v end) e
        union all
        select w.field || '[' || (a.i - 1) || ']', a.v
          from pg_catalog.jsonb_array_elements(case when pg_catalog.jsonb_typeof(w.v) = 'array' then w.v end) with ordinality a(v, i)
      ) c(field, v)
  )
  select w.field, w.v #>> '{}' from walk w where pg_catalog.jsonb_typeof(w.v) = 'string';
$$;
revoke execute on function app.json_texts(jsonb, text) from public, anon;
grant execute on function app.json_texts(jsonb, text) to authenticated, service_role;

-- True when every text of `value` is displayable; otherwise 22023 naming the first field that
-- is not (app.require_displayable_text's message). Check constraints call it.
create function app.require_displayable_json(value jsonb, name text)
returns boolean
language plpgsql
immutable
parallel safe
set search_path = ''
as $$
declare
  v_bad record;
begin
  select t.field, t.text into v_bad
    from app.json_texts(require_displayable_json.value, require_displayable_json.name) t
   where not app.text_is_displayable(t.text, not app.text_field_is_one_line(t.field))
   limit 1;
  if v_bad.field is null then
    return true;
  end if;
  return app.require_displayable_text(v_bad.text, v_bad.field, not app.text_field_is_one_line(v_bad.field));
end;
$$;
revoke execute on function app.require_displayable_json(jsonb, text) from public, anon;
grant execute on function app.require_displayable_json(jsonb, text) to authenticated, service_role;

-- A text written before the rule, made displayable: a line break or tab in a one-line text
-- becomes a space, every other refused character is removed (20261214300000's mending).
create function app.displayable_text(value text, multi_line boolean)
returns text
language plpgsql
immutable
parallel safe
set search_path = ''
as $$
begin
  return pg_catalog.regexp_replace(
    case when displayable_text.multi_line then displayable_text.value
         else pg_catalog.regexp_replace(displayable_text.value, '[\t\n\r\u2028\u2029]', ' ', 'g') end,
    app.undisplayable_characters(displayable_text.multi_line), '', 'g');
end;
$$;

-- `value` with each of its texts made displayable (field: its path, as in app.json_texts).
create function app.displayable_json(value jsonb, field text)
returns jsonb
language plpgsql
immutable
set search_path = ''
as $$
begin
  return case pg_catalog.jsonb_typeof(displayable_json.value)
    when 'object' then (select coalesce(pg_catalog.jsonb_object_agg(e.key, app.displayable_json(e.value, displayable_json.field || '.' || e.key)), '{}'::jsonb)
                          from pg_catalog.jsonb_each(displayable_json.value) e)
    when 'array' then (select coalesce(pg_catalog.jsonb_agg(app.displayable_json(a.v, displayable_json.field || '[' || (a.i - 1) || ']') order by a.i), '[]'::jsonb)
                         from pg_catalog.jsonb_array_elements(displayable_json.value) with ordinality a(v, i))
    when 'string' then pg_catalog.to_jsonb(app.displayable_text(displayable_json.value #>> '{}', not app.text_field_is_one_line(displayable_json.field)))
    else displayable_json.value
  end;
end;
$$;
revoke execute on function app.displayable_json(jsonb, text) from public, anon, authenticated;

-- The columns: mend what was written before, then add the constraint.
do $$
declare
  c record;
begin
  for c in
    select * from (values
      ('workflow_task_artifacts', 'content', 'content'),
      ('workflow_task_artifact_versions', 'content', 'content'),
      ('action_proposals', 'params', 'params'),
      ('action_proposals', 'decided_params', 'params')
    ) as v(tbl, col, name)
  loop
    execute format('update app.%I set %I = app.displayable_json(%I, %L) where exists (select 1 from app.json_texts(%I, %L) t where not app.text_is_displayable(t.text, not app.text_field_is_one_line(t.field)))',
                   c.tbl, c.col, c.col, c.name, c.col, c.name);
    execute format('alter table app.%I add constraint %I check (app.require_displayable_json(%I, %L))',
                   c.tbl, c.tbl || '_' || c.col || '_is_displayable', c.col, c.name);
  end loop;
end;
$$;

create or replace function app.definition_text_problem(path text, value jsonb, max_length integer, required boolean)
returns text
language plpgsql
immutable
parallel safe
set search_path = ''
as $$
begin
  return case
    when definition_text_problem.value is null or jsonb_typeof(definition_text_problem.value) = 'null' then
      case when definition_text_problem.required then definition_text_problem.path || ' is required' end
    when jsonb_typeof(definition_text_problem.value) <> 'string' then definition_text_problem.path || ' must be text'
    when definition_text_problem.required and app.trimmed(definition_text_problem.value #>> '{}') is null then
      definition_text_problem.path || ' must not be blank'
    when length(definition_text_problem.value #>> '{}') > definition_text_problem.max_length then
      definition_text_problem.path || ' must be at most ' || definition_text_problem.max_length || ' characters'
    -- a name, a title or a label is one line; a description or a prompt may hold several
    when not app.text_is_displayable(definition_text_problem.value #>> '{}',
                                     not app.text_field_is_one_line(definition_text_problem.path)) then
      definition_text_problem.path || ' must not contain control characters or text-direction overrides'
  end;
end;
$$;
