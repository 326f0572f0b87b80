-- A saved action's list of texts (a skip's reasons) holds no blank entry, whatever the
-- blank characters are (docs/business-rules.md "Required text", docs/admin.md "Actions").
--
-- What and why: app.config_list_is_valid refused an entry of spaces with btrim(), but took
-- one of a zero-width space, a tab or a no-break space: an admin's skip reasons could hold
-- "\u200b", which every Skip dialog then offered as an option that reads as nothing, and a
-- skip recorded with it said nothing of why. Entries are now blank by app.trimmed (the
-- blank-text rule of migration 20261206226000), so such a list is refused with the
-- config's own 22023. The admin screen's schemas (functions-shared/admin/
-- saved-action-config.ts and workflow-definition.ts) used JavaScript's trim() and let the
-- same entries, names and step titles through to be refused by the database only; they
-- now use the same rule (functions-shared/text.ts).
-- Restated whole from its definition of 20261206213000; the blank test is the only change.
-- supabase/tests/save_saved_action/list_entries_are_never_blank.test.sql.

create or replace function app.config_list_is_valid(list jsonb, max_items integer, lo numeric, hi numeric)
returns boolean
language sql
immutable
parallel safe
set search_path = ''
as $$
  select case when jsonb_typeof(list) <> 'array' or jsonb_array_length(list) not between 1 and max_items then false
    else not exists (select 1 from jsonb_array_elements(list) x
                      where case when lo is null
                              then jsonb_typeof(x) <> 'string' or app.trimmed(x #>> '{}') is null or length(x #>> '{}') > hi
                              else not app.is_whole_number(x)
                                   or (x #>> '{}')::numeric not between lo and hi end)
     and (select count(distinct x) from jsonb_array_elements(list) x) = jsonb_array_length(list) end
$$;
