-- A key in an artifact's content, a proposal's params or an action's params holds no control
-- character and no text-direction override, as every text in them has since 20261215400100
-- (docs/business-rules.md "Displayable text").
--
-- What and why: the artifact view shows any artifact but an email or a text as a list of
-- fields, each key as its label (web ArtifactContent), and a nested value as JSON with its
-- keys. app.require_displayable_json walked only the strings' values, so a person, the
-- assistant or an agent could store an assessment {"Risk<U+202E>gnp.exe": "high"} that read
-- "Riskexe.png: high" on a colleague's screen, and the approver approved what it seemed to
-- say. Now the same check asks every key, at any depth, as one line (a key is a label), and
-- refuses with 22023 "a key in content must not contain control characters or text-direction
-- overrides" (the detail names the character and where it is in the key); nothing is written.
-- One check for every column it guards: workflow_task_artifacts.content and its versions,
-- action_proposals.params and decided_params, and the action log's params (its trigger asks
-- the same function).
--
-- The fast path (app.json_may_hold_undisplayable, 20261216400000) already reads keys: its
-- text form writes a key as it writes a string, so it says yes only when no key holds a
-- refused character either.

-- Every key of every object in `value`, at any depth ('strict' walks each item once).
create function app.json_keys(value jsonb)
returns setof text
language sql
immutable
parallel safe
set search_path = ''
as $$
  select k
    from pg_catalog.jsonb_path_query(json_keys.value, 'strict $.**') v(item)
    cross join lateral pg_catalog.jsonb_object_keys(case when pg_catalog.jsonb_typeof(v.item) = 'object' then v.item end) k;
$$;
revoke execute on function app.json_keys(jsonb) from public, anon;
grant execute on function app.json_keys(jsonb) to authenticated, service_role;

-- True when every text and every key of `value` is displayable; otherwise 22023 naming the
-- first field that is not (app.require_displayable_text's message). Check constraints call it.
-- Restated from 20261216400000: the keys' check is new, the rest is as it was.
create or replace function app.require_displayable_json(value jsonb, name text)
returns boolean
language plpgsql
immutable
parallel safe
set search_path = ''
as $$
declare
  v_bad record;
  v_key text;
begin
  if not app.json_may_hold_undisplayable(require_displayable_json.value) then
    return true;
  end if;
  select t.field, t.text into v_bad
    from app.json_texts(require_displayable_json.value, require_displayable_json.name) t
   where not app.text_is_displayable(t.text, not app.text_field_is_one_line(t.field))
   limit 1;
  if v_bad.field is not null then
    return app.require_displayable_text(v_bad.text, v_bad.field, not app.text_field_is_one_line(v_bad.field));
  end if;
  -- A key is a label where it is shown: one line.
  select k into v_key from app.json_keys(require_displayable_json.value) k
   where not app.text_is_displayable(k, false)
   limit 1;
  if found then
    return app.require_displayable_text(v_key, 'a key in ' || require_displayable_json.name, false);
  end if;
  return true;
end;
$$;
revoke execute on function app.require_displayable_json(jsonb, text) from public, anon;
grant execute on function app.require_displayable_json(jsonb, text) to authenticated, service_role;

-- `value` with each of its texts and keys made displayable (field: its path, as in
-- app.json_texts). Restated from 20261215400100: keys are mended as one line too.
create or replace function app.displayable_json(value jsonb, field text)
returns jsonb
language plpgsql
immutable
set search_path = ''
as $$
begin
  return case pg_catalog.jsonb_typeof(displayable_json.value)
    when 'object' then (select coalesce(pg_catalog.jsonb_object_agg(app.displayable_text(e.key, false),
                                                                    app.displayable_json(e.value, displayable_json.field || '.' || e.key)), '{}'::jsonb)
                          from pg_catalog.jsonb_each(displayable_json.value) e)
    when 'array' then (select coalesce(pg_catalog.jsonb_agg(app.displayable_json(a.v, displayable_json.field || '[' || (a.i - 1) || ']') order by a.i), '[]'::jsonb)
                         from pg_catalog.jsonb_array_elements(displayable_json.value) with ordinality a(v, i))
    when 'string' then pg_catalog.to_jsonb(app.displayable_text(displayable_json.value #>> '{}', not app.text_field_is_one_line(displayable_json.field)))
    else displayable_json.value
  end;
end;
$$;
revoke execute on function app.displayable_json(jsonb, text) from public, anon, authenticated;

-- Rows stored before: their keys mended as their texts were (20261215400100), so a later
-- edit, approval or send of such a draft is not refused for what an earlier version let in.
-- (The action log is only inserted into: its rows are never checked again.)
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
    execute format('update app.%I set %I = app.displayable_json(%I, %L) where exists (select 1 from app.json_keys(%I) k where not app.text_is_displayable(k, false))',
                   c.tbl, c.col, c.col, c.name, c.col);
  end loop;
end;
$$;
