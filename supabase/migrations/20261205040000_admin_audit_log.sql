-- Administration audit: who changed what in an organisation's setup, when, from what to
-- what (issue 16, "every admin change recorded and visible on an Audit page").
--
-- Why: people, roles, webhook secrets, workflow definitions and settings are changed from
-- the Admin pages; an admin must be able to see afterwards who did it and what the row
-- looked like before and after. The log is append-only and written by the server only:
--
--   admin RPC (security invoker, RLS decides the change)
--     └─ app.record_admin_change(entity, entity_id, action, before, after)
--          security definer: org = app.current_org_id(), actor = auth.uid()
--          └─ insert into app.admin_audit_log            (nobody else inserts)
--   public.list_admin_audit(page_size, cursor, entity)   admins of the org, newest first
--
-- The caller cannot choose the organisation or the actor: both come from the signed-in
-- person (their JWT's `sub` and that person's profile), like every other RPC here. Work the
-- service role does on an admin's behalf (the invite-person function) names the actor
-- explicitly through app.write_admin_audit, which only the service role may execute.
--
-- actor_id has no foreign key on purpose: an audit row outlives the person who made it.

create table app.admin_audit_log (
  id bigint generated always as identity primary key,
  org_id uuid not null references app.organisations (id) on delete cascade,
  actor_id uuid,
  entity text not null,
  entity_id text,
  action text not null,
  before jsonb,
  after jsonb,
  at timestamptz not null default now(),
  constraint admin_audit_log_entity_is_a_word check (entity ~ '^[a-z][a-z0-9_]{0,62}$'),
  constraint admin_audit_log_action_is_a_word check (action ~ '^[a-z][a-z0-9_]{0,62}$'),
  constraint admin_audit_log_entity_id_is_short check (entity_id is null or length(entity_id) <= 200)
);
create index admin_audit_log_org_id_at_idx on app.admin_audit_log (org_id, at desc, id desc);
create index admin_audit_log_org_id_entity_at_idx on app.admin_audit_log (org_id, entity, at desc, id desc);
comment on table app.admin_audit_log is 'Append-only record of administrative changes: who, when, which row, before and after.';

alter table app.admin_audit_log enable row level security;

create policy "Admins can read their organisation's audit log"
  on app.admin_audit_log for select to authenticated
  using (org_id = (select app.current_org_id()) and (select app.has_role('admin')));

-- No insert, update or delete policy and no such grant: rows come from the functions below.
grant select on app.admin_audit_log to authenticated;
grant select on app.admin_audit_log to service_role;

-- The one writer. Validates the names so the log stays readable.
create or replace function app.write_admin_audit(
  p_org_id uuid, p_actor_id uuid, p_entity text, p_entity_id text, p_action text, p_before jsonb, p_after jsonb
)
returns void
language plpgsql
security definer -- the log has no insert grant for anyone; this is its only door
set search_path = ''
as $$
begin
  if p_org_id is null then
    raise exception 'An audit entry needs an organisation' using errcode = '22023';
  end if;
  if p_entity is null or p_entity !~ '^[a-z][a-z0-9_]{0,62}$' then
    raise exception 'entity must be a lowercase word such as person or webhook_secret' using errcode = '22023';
  end if;
  if p_action is null or p_action !~ '^[a-z][a-z0-9_]{0,62}$' then
    raise exception 'action must be a lowercase word such as update or revoke' using errcode = '22023';
  end if;
  insert into app.admin_audit_log (org_id, actor_id, entity, entity_id, action, before, after)
  values (p_org_id, p_actor_id, p_entity, left(p_entity_id, 200), p_action, p_before, p_after);
end;
$$;
comment on function app.write_admin_audit(uuid, uuid, text, text, text, jsonb, jsonb) is
  'Service role only: appends an audit entry for an explicit organisation and actor.';
revoke execute on function app.write_admin_audit(uuid, uuid, text, text, text, jsonb, jsonb) from public, anon, authenticated;
grant execute on function app.write_admin_audit(uuid, uuid, text, text, text, jsonb, jsonb) to service_role;

-- What admin RPCs call after a change: the organisation and actor are the caller's.
create or replace function app.record_admin_change(
  p_entity text, p_entity_id text, p_action text, p_before jsonb, p_after jsonb
)
returns void
language plpgsql
security definer -- writes the append-only log that callers have no grant on
set search_path = ''
as $$
declare
  v_org uuid := app.current_org_id();
  v_actor uuid := auth.uid();
begin
  if v_org is null or v_actor is null or not app.has_role('admin', 'manager') then
    raise exception 'Only admins and managers of an organisation make administrative changes'
      using errcode = '42501';
  end if;
  perform app.write_admin_audit(v_org, v_actor, p_entity, p_entity_id, p_action, p_before, p_after);
end;
$$;
comment on function app.record_admin_change(text, text, text, jsonb, jsonb) is
  'Appends an audit entry for the signed-in admin or manager''s organisation (entity, entity_id, action, before, after).';
revoke execute on function app.record_admin_change(text, text, text, jsonb, jsonb) from public, anon;
grant execute on function app.record_admin_change(text, text, text, jsonb, jsonb) to authenticated;

-- The organisation's audit log, newest first, keyset-paged: {items, next_cursor}.
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
  if list_admin_audit.page_size is null or list_admin_audit.page_size < 1 or list_admin_audit.page_size > 200 then
    raise exception 'page_size must be between 1 and 200' using errcode = '22023';
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
comment on function public.list_admin_audit(integer, text, text) is
  'Admins: the organisation''s administrative changes, newest first, keyset-paged, optionally of one entity: {items, next_cursor}.';
revoke execute on function public.list_admin_audit(integer, text, text) from public, anon;
grant execute on function public.list_admin_audit(integer, text, text) to authenticated;
