-- A customer's or stakeholder's name from ingest is stored without the blank characters
-- around it, as an organisation's name, a person's and every other required text is
-- (docs/business-rules.md "Required text", app.trimmed; migration 20261206281000 did the
-- same for organisations and webhook secrets).
--
-- What and why: the ingest function's schema trims names with JavaScript's trim(), which
-- keeps the zero-width space, the word joiner and the byte-order mark, and the database
-- applied the name as sent: a signed customer.upserted named '\u200bZed Co\u200b\u2060' was
-- stored with the three invisible characters, so the customer list showed "Zed Co" but
-- sorted and searched it as something else, and the next delivery naming it "Zed Co" renamed
-- it. Now a name that says something is applied as app.trimmed reads it; a blank one is
-- still refused (22023 naming the event, migration 20261206242000), so it stays as sent for
-- app.ingest_check_events to see.
-- app.ingest_optional_texts_trimmed restated whole from 20261206280000; the name is the only
-- change. supabase/tests/ingest/names_are_stored_trimmed.test.sql.

create or replace function app.ingest_optional_texts_trimmed(events jsonb)
returns jsonb
language plpgsql
immutable
set search_path = ''
as $$
begin
  return (
    select coalesce(jsonb_agg(
             -- a stakeholder's address as app.email_address reads it, without the blank
             -- characters around it; one that is no address stays as sent, for
             -- app.ingest_check_events to refuse
             case when t.ev ->> 'type' = 'stakeholder.upserted'
                       and jsonb_typeof(t.ev -> 'data' -> 'email') = 'string'
                       and app.email_address(t.ev -> 'data' ->> 'email') is not null
                  then jsonb_set(y.ev, '{data,email}', to_jsonb(app.email_address(t.ev -> 'data' ->> 'email')))
                  else y.ev end
             order by t.pos), '[]'::jsonb)
      from jsonb_array_elements(ingest_optional_texts_trimmed.events) with ordinality as t(ev, pos)
      cross join lateral (
        select case when jsonb_typeof(t.ev -> 'data') = 'object'
                         and t.ev -> 'data' ?| app.ingest_optional_text_fields(t.ev ->> 'type')
                    then jsonb_set(t.ev, '{data}', (t.ev -> 'data') || coalesce((
                           select jsonb_object_agg(f.field, to_jsonb(app.trimmed(t.ev -> 'data' ->> f.field)))
                             from unnest(app.ingest_optional_text_fields(t.ev ->> 'type')) as f(field)
                            where jsonb_typeof(t.ev -> 'data' -> f.field) = 'string'), '{}'::jsonb))
                    else t.ev end as ev) x
      -- a customer's or stakeholder's name that says something, without the blank characters
      -- around it; a blank one stays as sent, for app.ingest_check_events to refuse
      cross join lateral (
        select case when t.ev ->> 'type' in ('customer.upserted', 'stakeholder.upserted')
                         and jsonb_typeof(t.ev -> 'data' -> 'name') = 'string'
                         and app.trimmed(t.ev -> 'data' ->> 'name') is not null
                    then jsonb_set(x.ev, '{data,name}', to_jsonb(app.trimmed(t.ev -> 'data' ->> 'name')))
                    else x.ev end as ev) y);
end;
$$;
