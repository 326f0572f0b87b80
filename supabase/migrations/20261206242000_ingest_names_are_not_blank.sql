-- A customer's or stakeholder's name sent to the ingest says something: blank is refused
-- (docs/customer-intelligence.md "Ingest", docs/business-rules.md "Required text").
--
-- What and why: the ingest function's schema trims a name and asks for one character, but
-- JavaScript's trim keeps the zero-width and other invisible characters. A signed
-- `customer.upserted` named " \u200b " (or a stakeholder named "\u2800") was applied: a new
-- customer whose name shows as nothing in the queue, the customer list and the brief, and
-- an existing one renamed to nothing. The database now asks the house rule for blank text
-- (app.trimmed, 20261206226000) of every name an event carries, before anything is
-- written: 22023 naming the event and field, which the ingest function answers as 422 and
-- applies nothing of the delivery. A name left out still keeps the stored one.
--
-- app.ingest_check_events restated whole from 20261206201000; the name check is the only
-- change. supabase/tests/ingest/blank_names_are_refused.test.sql.

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

  perform app.ingest_check_event_times(events);
end;
$$;


comment on function app.ingest_check_events(uuid, jsonb) is
  'Refuses (22023, naming the event) an event of an unknown kind, naming a person of another organisation, with a blank customer or stakeholder name, or dated outside the years 2000 to 2099.';
