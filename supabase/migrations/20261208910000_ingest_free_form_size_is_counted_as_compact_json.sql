-- An ingested free-form object's 16 KB is counted as the JSON a sender writes, compact (as
-- JSON.stringify writes it), not as PostgreSQL prints a jsonb.
--
-- What and why: app.ingest_check_free_form_sizes (20261208702000) measured
-- octet_length(object::text), and jsonb's text puts a space after every ':' and ',': an
-- object of exactly 16384 bytes as sent ({"a":"x…"}) measured 16385 and was refused as
-- "17 KB of JSON", and one of 900 small fields (16201 bytes as sent) measured 18000.
-- docs/customer-intelligence.md says "at most 16 KB of JSON". Now app.compact_json_bytes
-- counts the bytes of the compact JSON (the printed text less those spaces; a multi-byte
-- character still counts its UTF-8 bytes), for the object as sent and merged alike.
-- app.ingest_check_free_form_sizes restated whole from 20261208702000; the measure is the
-- only change. supabase/tests/ingest/a_free_form_object_is_measured_as_compact_json.test.sql.

-- Bytes of `value` as compact JSON: jsonb's text less the space it prints after each
-- object member's ':' and between members or elements (k members: 2k - 1; n elements: n - 1).
create or replace function app.compact_json_bytes(value jsonb)
returns integer
language plpgsql
immutable
parallel safe
set search_path = ''
as $$
begin
  return octet_length(compact_json_bytes.value::text)
       - coalesce((select sum(case jsonb_typeof(item)
                                when 'object' then greatest(2 * (select count(*) from jsonb_object_keys(item)) - 1, 0)
                                when 'array' then greatest(jsonb_array_length(item) - 1, 0)
                                else 0 end)
                     from jsonb_path_query(compact_json_bytes.value, 'strict $.**') as item), 0)::integer;
end;
$$;
comment on function app.compact_json_bytes(jsonb) is
  'The bytes of a JSON value written compactly (as JSON.stringify writes it): jsonb''s text less the spaces it prints after '':'' and '',''.';
revoke execute on function app.compact_json_bytes(jsonb) from public, anon, authenticated;
grant execute on function app.compact_json_bytes(jsonb) to service_role;

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
      -- the printed text is never shorter than the compact one: only those over it are counted
      select y.pos, y.field, app.compact_json_bytes(y.object) as bytes, y.merged
        from (
          select t.pos, f.field, t.ev -> 'data' -> f.field as object, false as merged
            from jsonb_array_elements(events) with ordinality as t(ev, pos)
            cross join unnest(array['metadata', 'metrics', 'terms']) as f(field)
           where jsonb_typeof(t.ev -> 'data' -> f.field) = 'object'
          union all
          -- what the delivery's merge would store: the stored object, then the last one sent
          select (select max(t.pos) from jsonb_array_elements(events) with ordinality as t(ev, pos)
                   where t.ev ->> 'type' = m.type and t.ev -> 'data' ->> 'external_id' = m.external_id
                     and t.ev -> 'data' ? m.field),
                 m.field, coalesce(m.stored, '{}'::jsonb) || m.sent, true
            from (select 'customer.upserted' as type, 'metadata' as field, u.external_id, u.data -> 'metadata' as sent, c.metadata as stored
                    from app.ingest_merged_upserts(events, 'customer.upserted') u
                    left join app.customers c on c.org_id = org_id and c.external_id = u.external_id
                  union all
                  select 'contract.upserted', 'terms', u.external_id, u.data -> 'terms', k.terms
                    from app.ingest_merged_upserts(events, 'contract.upserted') u
                    left join app.contracts k on k.org_id = org_id and k.external_id = u.external_id) m
           where jsonb_typeof(m.sent) = 'object'
        ) y
       where octet_length(y.object::text) > v_max
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
