-- An id an ingest event names a record by says something: a blank external_id or
-- customer_external_id is refused (docs/customer-intelligence.md "Ingest",
-- docs/business-rules.md "Required text").
--
-- What and why: the ingest function's schema trims an id and asks for one character, but
-- JavaScript's trim keeps the zero-width and other invisible characters, and the database
-- did not look at the ids at all: a signed customer.upserted with external_id "\u200b"
-- (or, sent to ingest_apply_batch, "" or "   ") inserted a customer whose id in the
-- sender's system shows as nothing, which later events could only name by the same
-- invisible text. Every external_id and customer_external_id an event carries is now
-- blank by app.trimmed (the blank-text rule of migration 20261206226000): 22023 naming
-- the event and field, which the ingest function answers as 422, applying nothing of the
-- delivery. The function's schema (functions-shared/api/ingest.ts) refuses the same ids.
-- app.ingest_check_events restated whole from 20261206242000; the id check is the only
-- change. supabase/tests/ingest/blank_ids_are_refused.test.sql.

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

  perform app.ingest_check_event_times(events);
end;
$$;
