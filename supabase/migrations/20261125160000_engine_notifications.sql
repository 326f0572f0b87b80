-- Notifications: list_notifications and mark_notifications_read (api.md "Preferences and
-- notifications"). Notifications are private to their recipient; RLS already says so,
-- the RPCs add the paging and the shape.

create or replace function public.list_notifications(unread_only boolean default true, page_size integer default 50)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_me uuid := (select auth.uid());
  v_org uuid := app.current_org_id();
begin
  if v_org is null then
    raise exception 'Only members of an organisation have notifications' using errcode = '42501';
  end if;
  if list_notifications.page_size is null or list_notifications.page_size < 1 or list_notifications.page_size > 200 then
    raise exception 'page_size must be between 1 and 200' using errcode = '22023';
  end if;
  return jsonb_build_object(
    'items', coalesce((
      select jsonb_agg(jsonb_build_object(
               'id', n.id, 'notification_type', n.notification_type, 'title', n.title, 'body', n.body,
               'data', n.data, 'read_at', n.read_at, 'created_at', n.created_at) order by n.created_at desc, n.id)
        from (
          select * from app.notifications x
           where x.org_id = v_org and x.user_id = v_me
             and (not coalesce(list_notifications.unread_only, true) or x.read_at is null)
           order by x.created_at desc, x.id
           limit list_notifications.page_size
        ) n), '[]'::jsonb),
    'unread_count', (select count(*) from app.notifications x
                      where x.org_id = v_org and x.user_id = v_me and x.read_at is null)
  );
end;
$$;
comment on function public.list_notifications(boolean, integer) is 'The caller''s notifications, newest first, with the unread count.';
revoke execute on function public.list_notifications(boolean, integer) from public, anon;
grant execute on function public.list_notifications(boolean, integer) to authenticated;

-- Marks the caller's notifications read; null marks all of them. Returns {marked}.
create or replace function public.mark_notifications_read(notification_ids uuid[] default null)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_me uuid := (select auth.uid());
  v_org uuid := app.current_org_id();
  v_count integer;
begin
  if v_org is null then
    raise exception 'Only members of an organisation have notifications' using errcode = '42501';
  end if;
  update app.notifications n
     set read_at = now()
   where n.org_id = v_org and n.user_id = v_me and n.read_at is null
     and (mark_notifications_read.notification_ids is null or n.id = any(mark_notifications_read.notification_ids));
  get diagnostics v_count = row_count;
  return jsonb_build_object('marked', v_count);
end;
$$;
comment on function public.mark_notifications_read(uuid[]) is 'Marks the caller''s notifications read (null: all); returns {marked}.';
revoke execute on function public.mark_notifications_read(uuid[]) from public, anon;
grant execute on function public.mark_notifications_read(uuid[]) to authenticated;
