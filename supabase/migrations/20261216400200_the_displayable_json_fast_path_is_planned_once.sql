-- app.json_may_hold_undisplayable (20261216400000) is PL/pgSQL, as every one-expression helper
-- is (docs/schema.md): a `language sql` function that sets its search_path is never inlined,
-- and Postgres planned its body again on every call, on every execute_action and every stored
-- artifact and proposal. The same expression, restated; the rule does not change.
-- supabase/tests/structure/one_expression_helpers_are_plpgsql.test.sql,
-- supabase/tests/constraints/a_json_with_nothing_to_refuse_is_answered_at_once.test.sql.

-- Whether the text form of `value` shows any character the rule could refuse (20261216400000
-- says why this is exact). A false answer means every string in `value` is displayable.
create or replace function app.json_may_hold_undisplayable(value jsonb)
returns boolean
language plpgsql
immutable
parallel safe
set search_path = ''
as $$
begin
  return json_may_hold_undisplayable.value::text ~ ('\\[bfnrtu]|' || app.undisplayable_characters(false));
end;
$$;
