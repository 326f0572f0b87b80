-- An ingested free-form object is at most 16 KB, and an ingested contract's known terms
-- follow the rule of a confirmed term (docs/customer-intelligence.md "Events").
--
-- What and why:
-- 1. A customer's `metadata` (merged key by key into the stored one), an engagement event's
--    `metadata`, a usage snapshot's `metrics` and a contract's `terms` (merged too) were
--    stored whatever their size, up to the 5 MB of a delivery: a 2 MB metadata was
--    accepted, and get_customer_context, the customer page and the chat's customer
--    context then carried it on every read. These objects hold a source system's extra
--    fields (a CRM's custom fields, a plan, a region; a product's per-feature counts), a
--    few hundred bytes in the samples and the demo data; 16 KB of JSON holds hundreds of
--    such fields. Now one that is larger, or a customer's metadata or a contract's terms
--    that the delivery's merge would make larger, is 22023 naming the event and field
--    (invalid_event, 422), and nothing of the delivery is written. The limit is one
--    number, app.ingest_free_form_max_bytes().
-- 2. A contract's `terms` took any value for the keys the contract review confirms
--    (term_months, price_increase_cap_pct, termination_for_convenience, payment_terms, and
--    the other contract fields), so a price increase cap of "lots" or a term of "12" was
--    stored, and read back as the contract's. Now each known key of `terms` passes
--    app.contract_field_value, the one rule of a confirmed term and an extraction's
--    proposal (migration 20261208700000: a number is a JSON number, in its range): a value
--    it refuses is 22023 naming the event and the term, with the rule's own words. Other
--    keys stay free-form (the demo's billing and licensed_seats).
--
-- app.ingest_check_events restated whole from 20261206280000; the two checks are the only
-- change. supabase/tests/ingest/free_form_objects_are_capped_and_terms_checked.test.sql.

-- The most bytes of JSON text an ingested free-form object may hold (metadata, metrics, terms).
create or replace function app.ingest_free_form_max_bytes()
returns integer
language sql
immutable
parallel safe
set search_path = ''
as $$
  select 16384
$$;
comment on function app.ingest_free_form_max_bytes() is
  'At most 16 KB of JSON text in an ingested metadata, metrics or terms object, merged with the stored one where it merges (docs/customer-intelligence.md).';
revoke execute on function app.ingest_free_form_max_bytes() from public, anon, authenticated;
grant execute on function app.ingest_free_form_max_bytes() to service_role;

-- Refuses the first free-form object over the limit: as sent, or merged into the stored one
-- (a customer's metadata, a contract's terms), in the order of the delivery.
create or replace function app.ingest_check_free_form_sizes(org_id uuid, events jsonb)
returns void
language plpgsql
stable
set search_path = ''
as $$
#variable_conflict use_variable
declare
  v_max integer := app.ingest_free_form_max_bytes();
  v_bad record;
begin
  select x.pos, x.field, x.bytes, x.merged into v_bad
    from (
      select t.pos, f.field, octet_length((t.ev -> 'data' -> f.field)::text) as bytes, false as merged
        from jsonb_array_elements(events) with ordinality as t(ev, pos)
        cross join unnest(array['metadata', 'metrics', 'terms']) as f(field)
       where jsonb_typeof(t.ev -> 'data' -> f.field) = 'object'
      union all
      -- what the delivery's merge would store: the stored object, then the last one sent
      select (select max(t.pos) from jsonb_array_elements(events) with ordinality as t(ev, pos)
               where t.ev ->> 'type' = m.type and t.ev -> 'data' ->> 'external_id' = m.external_id
                 and t.ev -> 'data' ? m.field),
             m.field, octet_length((coalesce(m.stored, '{}'::jsonb) || m.sent)::text), true
        from (select 'customer.upserted' as type, 'metadata' as field, u.external_id, u.data -> 'metadata' as sent, c.metadata as stored
                from app.ingest_merged_upserts(events, 'customer.upserted') u
                left join app.customers c on c.org_id = org_id and c.external_id = u.external_id
              union all
              select 'contract.upserted', 'terms', u.external_id, u.data -> 'terms', k.terms
                from app.ingest_merged_upserts(events, 'contract.upserted') u
                left join app.contracts k on k.org_id = org_id and k.external_id = u.external_id) m
       where jsonb_typeof(m.sent) = 'object'
    ) x
   where x.bytes > v_max
   order by x.pos, x.merged
   limit 1;
  if found then
    raise exception 'event %: data.% %', v_bad.pos - 1, v_bad.field,
      case when v_bad.merged then format('merged with the stored one would be %s KB of JSON; at most %s KB is kept',
                                         ceil(v_bad.bytes / 1024.0), v_max / 1024)
           else format('is %s KB of JSON; at most %s KB is kept', ceil(v_bad.bytes / 1024.0), v_max / 1024) end
      using errcode = '22023',
            hint = 'Send the fields people read or search in Renubu (a CRM''s custom fields, a plan, a region); keep documents and logs in your own system.';
  end if;
end;
$$;
comment on function app.ingest_check_free_form_sizes(uuid, jsonb) is
  'Refuses (22023, naming the event and field) an ingested metadata, metrics or terms object over app.ingest_free_form_max_bytes(), as sent or merged with the stored one.';
revoke execute on function app.ingest_check_free_form_sizes(uuid, jsonb) from public, anon, authenticated;
grant execute on function app.ingest_check_free_form_sizes(uuid, jsonb) to service_role;

-- Refuses a contract's known term that the contract review would refuse (app.contract_field_value).
create or replace function app.ingest_check_contract_terms(events jsonb)
returns void
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_term record;
  v_message text;
  v_hint text;
begin
  for v_term in
    select t.pos, kv.key, kv.value
      from jsonb_array_elements(events) with ordinality as t(ev, pos)
      cross join lateral jsonb_each(case when jsonb_typeof(t.ev -> 'data' -> 'terms') = 'object'
                                         then t.ev -> 'data' -> 'terms' else '{}'::jsonb end) as kv(key, value)
     where t.ev ->> 'type' = 'contract.upserted'
       and kv.key = any (app.contract_field_keys())
     order by t.pos, kv.key
  loop
    begin
      perform app.contract_field_value(v_term.key, v_term.value);
    exception when sqlstate '22023' then
      get stacked diagnostics v_message = message_text, v_hint = pg_exception_hint;
      raise exception 'event %: data.terms.% is refused: %', v_term.pos - 1, v_term.key, v_message
        using errcode = '22023', hint = nullif(v_hint, '');
    end;
  end loop;
end;
$$;
comment on function app.ingest_check_contract_terms(jsonb) is
  'Refuses (22023, naming the event and term) a contract.upserted terms value of a known contract field that app.contract_field_value refuses.';
revoke execute on function app.ingest_check_contract_terms(jsonb) from public, anon, authenticated;
grant execute on function app.ingest_check_contract_terms(jsonb) to service_role;

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

  perform app.ingest_check_free_form_sizes(org_id, events);
  perform app.ingest_check_contract_terms(events);
  perform app.ingest_check_event_times(events);
end;
$$;

