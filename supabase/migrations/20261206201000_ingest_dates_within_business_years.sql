-- Every date and time an ingest event carries is within the years 2000 to 2099
-- (docs/customer-intelligence.md "Ingest"; the same years as a person's dates,
-- migration 20261205193000).
--
-- What and why: an attacker's review sent `arr.changed` recorded at 9999-12-31. It was
-- stored, and the kept retention figures then ran to the year 10000: 382 780 rows for one
-- organisation, and every later ARR write there (ingest, a renewal outcome) took 3.4 s
-- instead of 50 ms, for good. A renewal date of 0001-01-01 or 9999-12-31, a usage snapshot
-- or an engagement in year 1 were accepted too. People's dates were already held to the
-- business years (app.require_business_time / app.require_business_date); the ingest now
-- asks the same rule of every date field of every event and of the event's `timestamp`,
-- before anything is written: 22023 naming the event and the field, which the ingest
-- function answers as 422. A text that is not a date at all is left to the cast that
-- applies it, as before (also a 422).

-- A date or time field of an event as a time, or null when it is not one.
create or replace function app.ingest_event_time(value text)
returns timestamptz
language plpgsql
stable
set search_path = ''
as $$
begin
  return ingest_event_time.value::timestamptz;
exception when others then
  return null;
end;
$$;
revoke execute on function app.ingest_event_time(text) from public, anon, authenticated;
grant execute on function app.ingest_event_time(text) to service_role;

-- A calendar-date field of an event as the date it stores (read as a date, as the applier
-- reads it: no time zone moves it, and a year past what a time can hold is still one), or
-- null when it is not one.
create or replace function app.ingest_event_date(value text)
returns date
language plpgsql
stable
set search_path = ''
as $$
begin
  return ingest_event_date.value::date;
exception when others then
  return null;
end;
$$;
revoke execute on function app.ingest_event_date(text) from public, anon, authenticated;
grant execute on function app.ingest_event_date(text) to service_role;

-- The calendar-date fields of each kind of event.
create or replace function app.ingest_event_date_fields(event_type text)
returns text[]
language plpgsql
immutable
set search_path = ''
as $$
begin
  return case ingest_event_date_fields.event_type
    when 'customer.upserted' then array['renewal_date']
    when 'contract.upserted' then array['start_date', 'end_date']
    else array[]::text[]
  end;
end;
$$;
revoke execute on function app.ingest_event_date_fields(text) from public, anon, authenticated;
grant execute on function app.ingest_event_date_fields(text) to service_role;

-- The date-and-time fields of each kind of event (besides the envelope's `timestamp`).
create or replace function app.ingest_event_time_fields(event_type text)
returns text[]
language plpgsql
immutable
set search_path = ''
as $$
begin
  return case ingest_event_time_fields.event_type
    when 'usage.snapshot' then array['recorded_at']
    when 'engagement.event' then array['occurred_at']
    when 'stakeholder.upserted' then array['last_contacted_at']
    when 'arr.changed' then array['recorded_at']
    else array[]::text[]
  end;
end;
$$;
revoke execute on function app.ingest_event_time_fields(text) from public, anon, authenticated;
grant execute on function app.ingest_event_time_fields(text) to service_role;

-- Guard: every date and time of the events within the business years (the people's rule,
-- app.require_business_date / app.require_business_time); raises 22023 naming the first
-- event and field outside them.
create or replace function app.ingest_check_event_times(events jsonb)
returns void
language plpgsql
stable
set search_path = ''
as $$
begin
  perform case when f.is_date then app.require_business_date(app.ingest_event_date(f.value), f.field)::text
               else app.require_business_time(app.ingest_event_time(f.value), f.field)::text end
     from (select format('event %s: %s', t.pos - 1, x.field) as field, x.is_date, x.value
             from jsonb_array_elements(ingest_check_event_times.events) with ordinality as t(ev, pos)
             cross join lateral (
               select 'data.' || k.field as field, true as is_date, t.ev -> 'data' ->> k.field as value
                 from unnest(app.ingest_event_date_fields(t.ev ->> 'type')) as k(field)
               union all
               select 'data.' || k.field, false, t.ev -> 'data' ->> k.field
                 from unnest(app.ingest_event_time_fields(t.ev ->> 'type')) as k(field)
               union all
               select 'timestamp', false, t.ev ->> 'timestamp') x
            where x.value is not null) f;  -- (events in order: the first one outside is named)
end;
$$;
comment on function app.ingest_check_event_times(jsonb) is
  'Refuses (22023, naming the event and field) a date or time of an ingest event outside the years 2000 to 2099.';
revoke execute on function app.ingest_check_event_times(jsonb) from public, anon, authenticated;
grant execute on function app.ingest_check_event_times(jsonb) to service_role;

-- Restated whole (migrations are append-only); the dates are checked last.
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

  perform app.ingest_check_event_times(events);
end;
$$;

comment on function app.ingest_check_events(uuid, jsonb) is
  'Refuses (22023, naming the event) an event of an unknown kind, naming a person of another organisation, or dated outside the years 2000 to 2099.';
