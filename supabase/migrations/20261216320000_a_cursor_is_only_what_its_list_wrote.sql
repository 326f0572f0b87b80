-- A cursor is only what its list wrote: every list that pages holds the cursor it is sent to
-- the shape it writes, one rule, app.cursor_of_shape (docs/api-contract.md "Paging").
--
-- What and why: a cursor is opaque to a caller (pass next_cursor back unchanged), but each
-- list read the keys it knew from it and ignored the rest: get_renewal_forecast paged on an
-- `after` with keys of the caller's own, the queue took a cursor without its date as one from
-- the end of the list ('infinity') and one whose numbers were strings, and every list took
-- keys it never writes. A forged or stale cursor must be refused (22023, the house code for a
-- malformed argument) and read nothing.
--
-- Now app.has_shape(value, shape) says whether a JSON value is an object with exactly the
-- shape's keys, each of the JSON type the shape names ("string", "number", "array", or "null"
-- where the list writes a null, as "string|null"), and app.cursor_of_shape(cursor, shape)
-- decodes a base64 cursor and answers it only when it has that shape. Every reader asks it with
-- the shape its list writes, before its own checks, so an unknown key, a wrong type, a missing
-- key or another list's cursor (other keys or types) is its "cursor is not valid" (the
-- forecast's "after must be the next_after of a previous answer"):
--   get_customer_timeline (app.timeline_cursor)   {t: string, i: string, k: string}
--   list_customers (app.customer_list_cursor)     {s: string, k: array}
--   list_tasks (app.task_list_cursor)             {s: string, a: number, b: string, i: string}
--   get_workflow_queue (app.queue_position_of)    {l, p: number, d: string|null, t: number, i: string}
--   list_outbox_messages                          {c: string, i: string}
--   list_admin_audit                              {c: string, i: number}
--   get_renewal_forecast (app.forecast_after_keys) {renewal_date, name, customer_id: string}
-- A list of another sort (customers, tasks) was refused already by its `s`. Every cursor a list
-- wrote keeps working: the shapes are what the writers write.
-- Restated, the decoding line the one change in each: app.timeline_cursor (20261204000300),
-- app.customer_list_cursor (20261205193000), app.task_list_cursor (20261204000700),
-- app.queue_position_of (20261204000500), public.list_outbox_messages (20261206241000),
-- public.list_admin_audit (20261206253000), app.forecast_after_keys (20261207100000).
-- supabase/tests/cursors/a_cursor_is_only_what_its_list_wrote.test.sql.

create function app.has_shape(value jsonb, shape jsonb)
returns boolean
language plpgsql
immutable
parallel safe
set search_path = ''
as $$
begin
  if value is null or jsonb_typeof(value) <> 'object' then
    return false;
  end if;
  return (select coalesce(array_agg(k order by k), '{}') from jsonb_object_keys(value) k)
           = (select coalesce(array_agg(k order by k), '{}') from jsonb_object_keys(shape) k)
     and not exists (select 1 from jsonb_each_text(shape) s(k, types)
                      where jsonb_typeof(value -> s.k) <> all (string_to_array(s.types, '|')));
end;
$$;
comment on function app.has_shape(jsonb, jsonb) is
  'True when value is an object with exactly the keys of shape, each of a JSON type shape names for it ("string", "number", "array", "string|null", ...): how a list knows a cursor it wrote.';
revoke execute on function app.has_shape(jsonb, jsonb) from public, anon;
grant execute on function app.has_shape(jsonb, jsonb) to authenticated, service_role;

create function app.cursor_of_shape(cursor text, shape jsonb)
returns jsonb
language plpgsql
immutable
parallel safe
set search_path = ''
as $$
declare
  v jsonb;
begin
  begin
    v := convert_from(decode(cursor, 'base64'), 'UTF8')::jsonb;
  exception when others then
    return null;
  end;
  return case when app.has_shape(v, shape) then v end;
end;
$$;
comment on function app.cursor_of_shape(text, jsonb) is
  'A base64 cursor''s JSON when it has the shape its list writes (app.has_shape), else null: the one reading of every list''s cursor.';
revoke execute on function app.cursor_of_shape(text, jsonb) from public, anon;
grant execute on function app.cursor_of_shape(text, jsonb) to authenticated, service_role;


create or replace function app.timeline_cursor(cursor text, out at timestamptz, out id uuid, out kind text)
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_cur jsonb;
begin
  if cursor is null then
    return;
  end if;
  begin
    v_cur := app.cursor_of_shape(cursor, '{"t": "string", "i": "string", "k": "string"}');
    at := (v_cur ->> 't')::timestamptz;
    id := (v_cur ->> 'i')::uuid;
    kind := v_cur ->> 'k';
  exception when others then
    id := null;
  end;
  if id is null or at is null or kind is null then
    raise exception 'cursor is not valid' using errcode = '22023',
      hint = 'Pass the next_cursor of the previous page unchanged, or no cursor for the first page.';
  end if;
end;
$$;

create or replace function app.customer_list_cursor(cursor text, sort text)
returns jsonb
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_after jsonb;
begin
  if cursor is null then
    return null;
  end if;
  begin
    v_after := app.cursor_of_shape(cursor, '{"s": "string", "k": "array"}');
    if v_after is null or v_after ->> 's' is distinct from sort
       or jsonb_typeof(v_after -> 'k') <> 'array' or jsonb_array_length(v_after -> 'k') <> 3
       or (v_after -> 'k' ->> 2)::uuid is null then
      v_after := null;
    else
      v_after := v_after -> 'k';
      -- each key as app.customer_list_page casts it for this sort, so that a forged key
      -- ("1e400", "NaN" where an integer goes) is an invalid cursor here, not an overflow there
      perform case customer_list_cursor.sort
                when 'arr' then (v_after ->> 0)::numeric::text
                when 'renewal' then (v_after ->> 0)::date::text
                when 'health' then (v_after ->> 0)::integer::text
                when 'priority' then (v_after ->> 0)::integer::text || (v_after ->> 1)::numeric::text
              end;
    end if;
  exception when others then
    v_after := null;
  end;
  if v_after is null then
    raise exception 'cursor is not valid' using errcode = '22023',
      hint = 'Pass the next_cursor of the previous page (of the same sort) unchanged, or no cursor for the first page.';
  end if;
  return v_after;
end;
$$;

create or replace function app.task_list_cursor(cursor text, sort text, out a numeric, out b timestamptz, out id uuid)
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_cur jsonb;
begin
  if cursor is null then
    return;
  end if;
  begin
    v_cur := app.cursor_of_shape(cursor, '{"s": "string", "a": "number", "b": "string", "i": "string"}');
    if v_cur ->> 's' is not distinct from sort then
      a := (v_cur ->> 'a')::numeric;
      b := (v_cur ->> 'b')::timestamptz;
      id := (v_cur ->> 'i')::uuid;
    end if;
  exception when others then
    id := null;
  end;
  if id is null or a is null or b is null then
    raise exception 'cursor is not valid' using errcode = '22023',
      hint = 'Pass the next_cursor of the previous page (of the same sort) unchanged.';
  end if;
end;
$$;

create or replace function app.queue_position_of(cursor text)
returns app.queue_position
language plpgsql
immutable
set search_path = ''
as $$
declare
  v jsonb;
  pos app.queue_position;
begin
  if queue_position_of.cursor is null then
    return row(0, 0, '-infinity'::date, 0, '00000000-0000-0000-0000-000000000000'::uuid)::app.queue_position;
  end if;
  begin
    v := app.cursor_of_shape(queue_position_of.cursor, '{"l": "number", "p": "number", "d": "string|null", "t": "number", "i": "string"}');
    pos := row((v ->> 'l')::smallint, (v ->> 'p')::numeric, coalesce((v ->> 'd')::date, 'infinity'::date),
               (v ->> 't')::smallint, (v ->> 'i')::uuid)::app.queue_position;
  exception when others then
    pos := null;
  end;
  if pos.id is null or pos.lane is null or pos.priority_score is null or pos.type_rank is null then
    raise exception 'cursor is not valid' using errcode = '22023',
      hint = 'Pass the next_cursor of the previous page unchanged, or leave it out for the first page.';
  end if;
  return pos;
end;
$$;

create or replace function public.list_outbox_messages(page_size integer default 50, cursor text default null)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_org uuid := app.current_org_id();
  v_cur jsonb;
  c_at timestamptz;
  c_id uuid;
  v_items jsonb;
  v_next text;
begin
  if v_org is null then
    raise exception 'Only members of an organisation have an outbox' using errcode = '42501';
  end if;
  perform app.check_page_size(list_outbox_messages.page_size);
  if list_outbox_messages.cursor is not null then
    begin
      v_cur := app.cursor_of_shape(list_outbox_messages.cursor, '{"c": "string", "i": "string"}');
      c_at := (v_cur ->> 'c')::timestamptz;
      c_id := (v_cur ->> 'i')::uuid;
    exception when others then
      c_id := null;
    end;
    if c_id is null or c_at is null then
      raise exception 'cursor is not valid' using errcode = '22023',
        hint = 'Pass the next_cursor of the previous page unchanged.';
    end if;
  end if;

  with page as (
    select o.*
      from app.email_outbox o
     where o.org_id = v_org
       and o.recipient_id is null
       and (c_id is null or (o.created_at, o.id) < (c_at, c_id))
     order by o.created_at desc, o.id desc
     limit list_outbox_messages.page_size + 1
  ), numbered as (
    select page.*, row_number() over (order by page.created_at desc, page.id desc) as rn from page
  )
  select coalesce(jsonb_agg(jsonb_build_object(
           'id', n.id, 'to', to_jsonb(n.to_addresses), 'cc', to_jsonb(n.cc_addresses),
           'subject', n.subject, 'body_text', n.body_text, 'body_html', n.body_html,
           'status', n.status, 'attempts', n.attempts, 'last_error', n.last_error,
           'provider_message_id', n.provider_message_id, 'sent_at', n.sent_at,
           'created_at', n.created_at, 'updated_at', n.updated_at,
           'execution_id', n.execution_id, 'artifact_id', n.artifact_id,
           'requested_by', case when n.requested_by is null then null else jsonb_build_object(
             'id', n.requested_by,
             'full_name', (select p.full_name from app.profiles p where p.id = n.requested_by and p.org_id = n.org_id)) end,
           'customer', (select jsonb_build_object('id', c.id, 'name', c.name)
                          from app.workflow_executions x
                          join app.customers c on c.id = x.customer_id and c.org_id = x.org_id
                         where x.id = n.execution_id and x.org_id = n.org_id))
           order by n.rn) filter (where n.rn <= list_outbox_messages.page_size), '[]'::jsonb),
         case when count(*) > list_outbox_messages.page_size then
           (select encode(convert_to(jsonb_build_object('c', l.created_at, 'i', l.id)::text, 'UTF8'), 'base64')
              from numbered l where l.rn = list_outbox_messages.page_size)
         end
    into v_items, v_next
    from numbered n;

  return jsonb_build_object('items', v_items, 'next_cursor', replace(v_next, E'\n', ''));
end;
$$;

create or replace function public.list_admin_audit(
  page_size integer default 50, cursor text default null, entity text default null
)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_org uuid := app.current_org_id();
  v_cur jsonb;
  c_at timestamptz;
  c_id bigint;
  v_items jsonb;
  v_next text;
begin
  if v_org is null or not app.has_role('admin') then
    raise exception 'Only admins can read the audit log' using errcode = '42501';
  end if;
  perform app.check_page_size(list_admin_audit.page_size);
  -- An entity is named as the log names it (admin_audit_log's check); anything else names
  -- no entity, and a 1 MB one is not compared with every entry.
  if list_admin_audit.entity is not null and list_admin_audit.entity !~ '^[a-z][a-z0-9_]{0,62}$' then
    raise exception 'entity must be an entity name such as person or webhook_secret' using errcode = '22023',
      hint = 'Use lowercase letters, digits and _ (at most 63 characters), or leave entity out to list every change.';
  end if;
  -- A cursor this function wrote is under 100 characters; a longer one is not decoded.
  if length(list_admin_audit.cursor) > 500 then
    raise exception 'cursor is not valid' using errcode = '22023',
      hint = 'Pass the next_cursor of the previous page unchanged.';
  end if;
  if list_admin_audit.cursor is not null then
    begin
      v_cur := app.cursor_of_shape(list_admin_audit.cursor, '{"c": "string", "i": "number"}');
      c_at := (v_cur ->> 'c')::timestamptz;
      c_id := (v_cur ->> 'i')::bigint;
    exception when others then
      c_id := null;
    end;
    if c_id is null or c_at is null then
      raise exception 'cursor is not valid' using errcode = '22023',
        hint = 'Pass the next_cursor of the previous page unchanged.';
    end if;
  end if;

  with page as (
    select l.*
      from app.admin_audit_log l
     where l.org_id = v_org
       and (list_admin_audit.entity is null or l.entity = list_admin_audit.entity)
       and (c_id is null or (l.at, l.id) < (c_at, c_id))
     order by l.at desc, l.id desc
     limit list_admin_audit.page_size + 1
  ), numbered as (
    select page.*, row_number() over (order by page.at desc, page.id desc) as rn from page
  )
  select coalesce(jsonb_agg(jsonb_build_object(
           'id', n.id, 'at', n.at, 'entity', n.entity, 'entity_id', n.entity_id, 'action', n.action,
           'before', n.before, 'after', n.after,
           'actor', case when n.actor_id is null then null else jsonb_build_object(
             'id', n.actor_id,
             'full_name', (select p.full_name from app.profiles p where p.id = n.actor_id and p.org_id = n.org_id)) end)
           order by n.rn) filter (where n.rn <= list_admin_audit.page_size), '[]'::jsonb),
         case when count(*) > list_admin_audit.page_size then
           (select encode(convert_to(jsonb_build_object('c', l.at, 'i', l.id)::text, 'UTF8'), 'base64')
              from numbered l where l.rn = list_admin_audit.page_size)
         end
    into v_items, v_next
    from numbered n;

  return jsonb_build_object('items', v_items, 'next_cursor', replace(v_next, E'\n', ''));
end;
$$;

create or replace function app.forecast_after_keys(after jsonb, out renewal_date date, out name text, out customer_id uuid)
language plpgsql
stable
set search_path = ''
as $$
begin
  if after is null then
    return;
  end if;
  if not app.has_shape(after, '{"renewal_date": "string", "name": "string", "customer_id": "string"}') then
    after := null; -- not a next_after: refused below
  end if;
  begin
    renewal_date := app.date_param(after, 'renewal_date');
    name := after ->> 'name';
    customer_id := (after ->> 'customer_id')::uuid;
  exception when others then
    renewal_date := null;
  end;
  if renewal_date is null or name is null or customer_id is null then
    raise exception 'after must be the next_after of a previous answer' using errcode = '22023',
      hint = 'Pass {"renewal_date", "name", "customer_id"} of the last item you have.';
  end if;
end;
$$;
