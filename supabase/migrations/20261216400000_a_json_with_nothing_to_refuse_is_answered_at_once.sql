-- A jsonb whose text form holds nothing the displayable-text rule could refuse is accepted
-- without walking it (docs/business-rules.md "Displayable text", docs/performance.md).
--
-- What and why: app.require_displayable_json (20261215400100) walked every string of the
-- value with its path and asked app.text_is_displayable of each: ~0.14 ms for a two-key
-- params object. It runs on every execute_action (the action log's trigger, 20261215630000)
-- and on every stored artifact and proposal, nearly always to say yes.
-- Now it first reads the value's text form once (app.json_may_hold_undisplayable) and answers
-- yes at once when that holds none of the characters either list refuses; otherwise it walks,
-- exactly as before (the same query).
--
-- Why the fast path is the same rule (never yes where the walk says no): jsonb's text form
-- writes every string and key with each character as itself, except `"` and `\` (escaped as
-- \" and \\) and the C0 controls U+0001–U+001F (escaped as \b \f \n \r \t or \u00XX; jsonb
-- holds no U+0000). So a string holding a refused character shows in the text form either
-- that character itself (U+007F and above: DEL, C1, the marks, overrides and isolates) or a
-- backslash before one of b f n r t u. The fast path looks for both, with the one-line list
-- (app.undisplayable_characters(false)), which holds every character the multi-line list
-- holds. It may find one where the walk refuses nothing (a key, a line break in a body, a
-- typed backslash before an n): then the walk answers, as before.
-- supabase/tests/constraints/a_json_with_nothing_to_refuse_is_answered_at_once.test.sql proves
-- the two agree for every character of the Basic Multilingual Plane in values, keys and
-- nested arrays.

-- Whether the text form of `value` shows any character the rule could refuse (see above). A
-- false answer means every string in `value` is displayable, one line or multi-line.
create function app.json_may_hold_undisplayable(value jsonb)
returns boolean
language plpgsql -- as every one-expression helper: planned once per connection (docs/schema.md)
immutable
parallel safe
set search_path = ''
as $$
begin
  return json_may_hold_undisplayable.value::text ~ ('\\[bfnrtu]|' || app.undisplayable_characters(false));
end;
$$;
revoke execute on function app.json_may_hold_undisplayable(jsonb) from public, anon;
grant execute on function app.json_may_hold_undisplayable(jsonb) to authenticated, service_role;

-- True when every text of `value` is displayable; otherwise 22023 naming the first field that
-- is not (app.require_displayable_text's message). Check constraints call it.
-- Restated from 20261215400100: the fast path is new, the walk is the same query.
create or replace function app.require_displayable_json(value jsonb, name text)
returns boolean
language plpgsql
immutable
parallel safe
set search_path = ''
as $$
declare
  v_bad record;
begin
  if not app.json_may_hold_undisplayable(require_displayable_json.value) then
    return true;
  end if;
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
