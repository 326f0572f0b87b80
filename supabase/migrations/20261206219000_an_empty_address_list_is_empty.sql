-- An empty list of e-mail addresses is an empty list, not an invalid one
-- (docs/business-rules.md "Actions").
--
-- What and why: a browser review found Schedule Meeting failing whenever its optional
-- Attendees field was left empty: the form sends "attendees": [], and app.email_list
-- answered null ("not a list of addresses") for it, because bool_and over no elements is
-- null, not true. The same rule made a draft whose cc is [] unsendable. Every address in a
-- list must still be one, and a string or a null keeps its answer; an empty list is now
-- '{}'. Callers that need a recipient (sending: "to is required") already refuse an empty
-- one themselves. Restated whole from 20261204000600 as PL/pgSQL (planned once per
-- connection, as the other per-request helpers since 20261206210000).

create or replace function app.email_list(value jsonb)
returns text[]
language plpgsql
immutable
set search_path = ''
as $$
begin
  return case
    when email_list.value is null or jsonb_typeof(email_list.value) = 'null' then '{}'::text[]
    when jsonb_typeof(email_list.value) = 'string' then
      case when btrim(email_list.value #>> '{}') ~ '^[^@\s]+@[^@\s]+$' then array[btrim(email_list.value #>> '{}')] end
    when jsonb_typeof(email_list.value) = 'array' then (
      -- every element an address; none at all is an empty list (bool_and of no rows is null)
      select case when coalesce(bool_and(jsonb_typeof(x) = 'string' and btrim(x #>> '{}') ~ '^[^@\s]+@[^@\s]+$'), true)
                  then coalesce(array_agg(btrim(x #>> '{}')), '{}'::text[]) end
        from jsonb_array_elements(email_list.value) x)
  end;
end;
$$;
