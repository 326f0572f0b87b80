-- The audit log's entity filter names an entity, or the call is refused (docs/admin.md
-- "Audit", docs/api-contract.md "Errors").
--
-- What and why: list_admin_audit took any text as its entity filter and compared it with
-- every entry of the organisation: "Person!", a zero-width space or a 1 MB string answered
-- an empty page (200), as if nothing had happened, where every other filter of the API
-- refuses a malformed or overlong value with 22023 naming it (list_customers' search,
-- the queue's filters, list_tasks' status). The filter now has the shape the log's own
-- check gives an entity (admin_audit_log_entity: lowercase letters, digits and _, at most
-- 63 characters); anything else is 22023 naming entity. An unknown entity of that shape
-- is still an empty page: entities are open-ended (a new one needs no migration here).
-- The cursor, which this function writes under 100 characters, is refused unread past 500
-- (before, a 1 MB cursor was base64-decoded first, then refused).
-- Restated whole from its definition of 20261204001200; the two checks are the only change.
-- supabase/tests/admin_audit/the_entity_filter_names_an_entity.test.sql.

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
      v_cur := convert_from(decode(list_admin_audit.cursor, 'base64'), 'UTF8')::jsonb;
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
