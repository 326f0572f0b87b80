-- The people of the caller's organisation and the organisation's sent mail
-- (web app: the manager's "Queue of" switcher, task "Reassign", the "Sent mail" page).
--
-- Why: the web app had no way to list people except through customer owners, and the
-- local mail sink writes into app.email_outbox, which nothing let a member read. Both RPCs
-- are security invoker: the "Members can read ..." policies on app.profiles and
-- app.email_outbox decide what the caller sees (their own organisation, every role). The
-- explicit `org_id = app.current_org_id()` filters only let the org-leading indexes serve.

-- Newest-first keyset pages of an organisation's outbox.
create index if not exists email_outbox_org_id_created_at_idx
  on app.email_outbox (org_id, created_at desc, id desc);

-- The caller's organisation's people, by name, with their count of open workflows.
create or replace function public.list_team_members()
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_org uuid := app.current_org_id();
begin
  if v_org is null then
    raise exception 'Only members of an organisation have a team' using errcode = '42501';
  end if;
  return coalesce((
    select jsonb_agg(jsonb_build_object(
             'id', p.id, 'full_name', p.full_name, 'email', p.email, 'role', p.role, 'title', p.title,
             'experience_level', p.experience_level, 'manager_id', p.manager_id,
             'open_workflows', coalesce(w.open_workflows, 0))
           order by lower(p.full_name), p.id)
      from app.profiles p
      left join (
        select x.assigned_to, count(*)::integer as open_workflows
          from app.workflow_executions x
         where x.org_id = v_org
           and x.assigned_to is not null
           and x.status in ('queued', 'in_progress', 'snoozed', 'escalated')
         group by x.assigned_to
      ) w on w.assigned_to = p.id
     where p.org_id = v_org), '[]'::jsonb);
end;
$$;
comment on function public.list_team_members() is
  'The people of the caller''s organisation by name: id, full_name, email, role, title, experience_level, manager_id, open_workflows.';
revoke execute on function public.list_team_members() from public, anon;
grant execute on function public.list_team_members() to authenticated;

-- The organisation's outgoing mail, newest first, in keyset pages: {items, next_cursor}.
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
  if list_outbox_messages.page_size is null or list_outbox_messages.page_size < 1 or list_outbox_messages.page_size > 200 then
    raise exception 'page_size must be between 1 and 200' using errcode = '22023';
  end if;
  if list_outbox_messages.cursor is not null then
    begin
      v_cur := convert_from(decode(list_outbox_messages.cursor, 'base64'), 'UTF8')::jsonb;
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
comment on function public.list_outbox_messages(integer, text) is
  'The caller''s organisation''s outgoing email (the mail sink included), newest first, keyset-paged: {items, next_cursor}.';
revoke execute on function public.list_outbox_messages(integer, text) from public, anon;
grant execute on function public.list_outbox_messages(integer, text) to authenticated;
