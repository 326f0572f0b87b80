-- The lists of an engagement entry's reserved keys (20261216310000) are PL/pgSQL, as every
-- one-expression helper is (planned once per connection;
-- supabase/tests/structure/one_expression_helpers_are_plpgsql.test.sql): the trigger on every
-- entry's write asks them. Restated from 20261216310000; the language the one change.

create or replace function app.entry_reserved_metadata_keys()
returns text[]
language plpgsql
immutable
parallel safe
set search_path = ''
as $$
begin
  return array['logged_by'];
end;
$$;

create or replace function app.entry_reserved_details_keys()
returns text[]
language plpgsql
immutable
parallel safe
set search_path = ''
as $$
begin
  return array['logged_by_agent', 'logged_by'];
end;
$$;
