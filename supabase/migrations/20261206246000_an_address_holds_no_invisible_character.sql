-- An e-mail address holds no invisible character: "dana<U+200B>@contoso.example" is no
-- address (docs/business-rules.md "Actions").
--
-- What and why: app.email_list, the one rule for a list of addresses (a draft's to and cc,
-- a meeting's attendees, send_email's overrides), took any text without '@' or [[:space:]]
-- around one '@'. [[:space:]] follows the database's locale and leaves out the zero-width
-- spaces, joiners, direction marks and no-break spaces, so an address with one inside
-- was stored and queued for sending: it reads as Dana's address to the person approving
-- the email and is no address to the mail server. Now an address is app.email_address:
-- the text without the blank characters around it (app.trimmed, so a no-break space
-- around is dropped as a space is), one '@' with something on each side, and none of
-- app.blank_characters() anywhere inside. app.email_list is restated from 20261206219000
-- with that rule in place of its inline pattern; nothing else changes.
-- supabase/tests/execute_action/addresses_hold_no_invisible_character.test.sql.

create or replace function app.email_address(value text)
returns text
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_address text := app.trimmed(email_address.value);
begin
  if v_address is null or v_address !~ '^[^@]+@[^@]+$' or v_address ~ app.blank_characters() then
    return null;
  end if;
  return v_address;
end;
$$;
comment on function app.email_address(text) is
  'The address without the blank characters around it, or null when it is no address (one @, something on each side, no blank or invisible character inside).';
revoke execute on function app.email_address(text) from public, anon;
grant execute on function app.email_address(text) to authenticated, service_role;

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
      case when app.email_address(email_list.value #>> '{}') is not null then array[app.email_address(email_list.value #>> '{}')] end
    when jsonb_typeof(email_list.value) = 'array' then (
      -- every element an address; none at all is an empty list (bool_and of no rows is null)
      select case when coalesce(bool_and(jsonb_typeof(x) = 'string' and app.email_address(x #>> '{}') is not null), true)
                  then coalesce(array_agg(app.email_address(x #>> '{}')), '{}'::text[]) end
        from jsonb_array_elements(email_list.value) x)
  end;
end;
$$;
