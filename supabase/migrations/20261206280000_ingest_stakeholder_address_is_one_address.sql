-- A stakeholder's e-mail that an ingest event carries is one address by the address rule,
-- app.email_address (docs/customer-intelligence.md "Ingest", docs/business-rules.md).
--
-- What and why: every other address Renubu takes (a draft's to and cc, a meeting's
-- attendees, an invited person, an organisation's first admin) goes through
-- app.email_address (migrations 20261206246000 and 20261206247000); a stakeholder's
-- `email` from `stakeholder.upserted` was stored as sent. Sent to ingest_apply_batch, an
-- address with a zero-width space inside ('dana\u200b@contoso.example'), an empty one, one
-- of spaces, or text with no @ became the stakeholder's address, which the customer page
-- shows and a draft's recipients are taken from. Now such an address is refused as the
-- other per-event problems are: 22023 naming the event and field, which the ingest
-- function answers as 422, and nothing of the delivery is written. Null still clears the
-- stored address. An address with blank characters only around it is applied without
-- them, as app.email_address reads it. The function's schema (functions-shared/api/ingest.ts,
-- z.email()) refuses these addresses too, and more (it wants a dot in the domain).
--
-- app.ingest_check_events restated whole from 20261206258000; the address check is the
-- only change. app.ingest_optional_texts_trimmed restated whole from 20261206244200; the
-- stakeholder's address read by app.email_address is the only change.
-- supabase/tests/ingest/stakeholder_address_is_one_address.test.sql.

create or replace function app.ingest_check_events(org_id uuid, events jsonb)
returns void
language plpgsql
stable
set search_path = ''
as $$
#variable_conflict use_variable
declare
  v_bad record;
begin
  select t.pos, t.ev ->> 'type' as type into v_bad
    from jsonb_array_elements(events) with ordinality as t(ev, pos)
   where jsonb_typeof(t.ev -> 'data') is distinct from 'object'
      or (t.ev ->> 'type') is null
      or (t.ev ->> 'type') not in ('customer.upserted', 'usage.snapshot', 'engagement.event',
                                   'stakeholder.upserted', 'contract.upserted', 'arr.changed')
   order by t.pos
   limit 1;
  if found then
    raise exception 'event %: unknown type "%" or no data object', v_bad.pos - 1, coalesce(v_bad.type, '')
      using errcode = '22023', hint = 'Send customer.upserted, usage.snapshot, engagement.event, stakeholder.upserted, contract.upserted or arr.changed.';
  end if;

  select e.pos, e.field, e.email into v_bad
    from (select t.pos, f.field, t.ev -> 'data' ->> f.field as email
            from jsonb_array_elements(events) with ordinality as t(ev, pos)
            cross join unnest(array['csm_email', 'account_executive_email', 'support_engineer_email']) as f(field)
           where t.ev ->> 'type' = 'customer.upserted'
             and jsonb_typeof(t.ev -> 'data' -> f.field) = 'string') e
   where not exists (select 1 from app.profiles p where p.org_id = org_id and lower(p.email) = lower(e.email))
   order by e.pos
   limit 1;
  if found then
    raise exception 'event %: % "%" is not a person of this organisation', v_bad.pos - 1, v_bad.field, v_bad.email
      using errcode = '22023', hint = 'Add the person to Renubu first, or leave the field out.';
  end if;

  -- A name (a new customer's or stakeholder's, or a new one for either) says something:
  -- whitespace and invisible characters alone are blank (app.trimmed), as in a person's.
  select t.pos, t.ev ->> 'type' as type into v_bad
    from jsonb_array_elements(events) with ordinality as t(ev, pos)
   where t.ev ->> 'type' in ('customer.upserted', 'stakeholder.upserted')
     and jsonb_typeof(t.ev -> 'data' -> 'name') = 'string'
     and app.trimmed(t.ev -> 'data' ->> 'name') is null
   order by t.pos
   limit 1;
  if found then
    raise exception 'event %: data.name must not be blank', v_bad.pos - 1
      using errcode = '22023',
            hint = format('Send the %s''s name, or leave name out to keep the one stored.',
                          split_part(v_bad.type, '.', 1));
  end if;

  -- An id the sender names a record by (external_id, customer_external_id) says something
  -- too: a blank one would name a customer nobody can tell apart or find again.
  select t.pos, f.field as type into v_bad
    from jsonb_array_elements(events) with ordinality as t(ev, pos)
    cross join unnest(array['external_id', 'customer_external_id']) as f(field)
   where jsonb_typeof(t.ev -> 'data' -> f.field) = 'string'
     and app.trimmed(t.ev -> 'data' ->> f.field) is null
   order by t.pos, f.field
   limit 1;
  if found then
    raise exception 'event %: data.% must not be blank', v_bad.pos - 1, v_bad.type
      using errcode = '22023', hint = 'Send the record''s id in your system, as it is named there.';
  end if;

  -- A stakeholder's address is one address (app.email_address, the rule of every address
  -- Renubu takes): not empty, one @, nothing blank or invisible inside. Null clears it.
  select t.pos, t.ev -> 'data' ->> 'external_id' as type into v_bad
    from jsonb_array_elements(events) with ordinality as t(ev, pos)
   where t.ev ->> 'type' = 'stakeholder.upserted'
     and t.ev -> 'data' ? 'email'
     and jsonb_typeof(t.ev -> 'data' -> 'email') <> 'null'
     and (jsonb_typeof(t.ev -> 'data' -> 'email') <> 'string'
          or app.email_address(t.ev -> 'data' ->> 'email') is null
          or length(t.ev -> 'data' ->> 'email') > 320)
   order by t.pos
   limit 1;
  if found then
    raise exception 'event %: data.email of stakeholder "%" is not an e-mail address', v_bad.pos - 1, left(coalesce(v_bad.type, ''), 60)
      using errcode = '22023',
            hint = 'Send one address such as dana@contoso.example, with no space or invisible character in it, or null to clear it.';
  end if;

  perform app.ingest_check_event_times(events);
end;
$$;

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
                  then jsonb_set(x.ev, '{data,email}', to_jsonb(app.email_address(t.ev -> 'data' ->> 'email')))
                  else x.ev end
             order by t.pos), '[]'::jsonb)
      from jsonb_array_elements(ingest_optional_texts_trimmed.events) with ordinality as t(ev, pos)
      cross join lateral (
        select case when jsonb_typeof(t.ev -> 'data') = 'object'
                         and t.ev -> 'data' ?| app.ingest_optional_text_fields(t.ev ->> 'type')
                    then jsonb_set(t.ev, '{data}', (t.ev -> 'data') || coalesce((
                           select jsonb_object_agg(f.field, to_jsonb(app.trimmed(t.ev -> 'data' ->> f.field)))
                             from unnest(app.ingest_optional_text_fields(t.ev ->> 'type')) as f(field)
                            where jsonb_typeof(t.ev -> 'data' -> f.field) = 'string'), '{}'::jsonb))
                    else t.ev end as ev) x);
end;
$$;
