-- Notifications: the in-app notification table, the writer every area calls (app.notify),
-- the triggers that notify assignees and mentions, the due-task job and the inbox RPCs.
--
-- Part of the release baseline (docs/schema.md): one file per area, in dependency order.
-- From now on migrations are append-only: a change is a new timestamped file.

create table app.notifications (
  id uuid primary key default gen_random_uuid(),
  org_id uuid not null,
  user_id uuid not null,
  notification_type text not null,
  title text not null,
  body text,
  -- What the notification is about ({execution_id, task_id, ...}); no foreign key, a
  -- notification outlives its subject.
  data jsonb not null default '{}'::jsonb,
  read_at timestamptz,
  created_at timestamptz not null default now(),
  constraint notifications_title_is_not_blank check (btrim(title) <> ''),
  constraint notifications_data_is_object check (jsonb_typeof(data) = 'object'),
  constraint notifications_recipient_is_in_organisation foreign key (org_id, user_id)
    references app.profiles (org_id, id) on delete cascade,
  constraint notifications_type_is_known check (notification_type in ( 'escalation', 'escalation_resolved', 'task_assigned', 'task_reassigned', 'task_due', 'task_force_action', 'workflow_assigned', 'workflow_woken', 'mention', 'proposal', 'system' ))
);
comment on table app.notifications is 'In-app notifications for one person, private to them.';
alter table app.notifications enable row level security;
grant select, insert, update, delete on app.notifications to authenticated;

create index notifications_org_id_user_id_created_at_idx on app.notifications (org_id, user_id, created_at desc);

create index notifications_unread_idx on app.notifications (user_id, created_at desc) where read_at is null;

-- Every notification type is emitted by something (docs/escalation-loop.md "Escalation, hand-back and
-- reassignment"). Before, `workflow_assigned`, `workflow_woken`, `task_due` and `mention`
-- were never written.
--
-- - workflow_assigned: a trigger on the execution's assignee, whatever changed it
--   (reassign_workflow, resolve_escalation reassign, a customer handed to another CSM,
--   a manager opening work for someone). The new assignee is told, unless they did it
--   themselves. (reassign_workflow tells the previous assignee itself.)
-- - workflow_woken: a trigger on snoozed -> queued | in_progress, whoever woke it: the
--   orchestrator when the snooze ends (no signed-in person), wake_workflow or
--   start_workflow early. The assignee is told unless they woke it themselves.
-- - mention: `@Full Name` or `@email-local-part` of a person of the same organisation in
--   a user's chat message or in a note, call, meeting or email logged on a customer
--   (engagement events written by a signed-in person; ingested events do not notify).
-- - task_due: app.notify_due_tasks, hourly by pg_cron: from 06:00 in the organisation's
--   time zone, each open task due that day or flagged force_action that day notifies its
--   assignee once (a unique index makes the job idempotent: once per task, person and day).
--
-- Row triggers with a WHEN clause (and a column list), so the orchestrator's bulk updates
-- of priorities never call them; the functions are security definer because a person's
-- write must notify a colleague whose notifications they cannot read.

---------------------------------------------------------------------------------------
-- Tasks due
---------------------------------------------------------------------------------------
create unique index notifications_task_due_once_a_day
  on app.notifications (user_id, (data ->> 'task_id'), (data ->> 'due_on'))
  where notification_type = 'task_due';

-- Notifications: list_notifications and mark_notifications_read (docs/workflow-engine.md "Tasks
-- and notifications"). Notifications are private to their recipient; RLS already says so,
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
  perform app.check_page_size(list_notifications.page_size);
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

-- One notification from the caller to a colleague (never to themselves, never to nobody).
create or replace function app.notify(org_id uuid, user_id uuid, notification_type text, title text, body text, data jsonb)
returns void
language sql
set search_path = ''
as $$
  insert into app.notifications (org_id, user_id, notification_type, title, body, data)
  select notify.org_id, notify.user_id, notify.notification_type, notify.title, notify.body, notify.data
   where notify.user_id is not null and notify.user_id is distinct from (select auth.uid())
$$;
revoke execute on function app.notify(uuid, uuid, text, text, text, jsonb) from public, anon;
grant execute on function app.notify(uuid, uuid, text, text, text, jsonb) to authenticated, service_role;

---------------------------------------------------------------------------------------
-- Assignment and wake
---------------------------------------------------------------------------------------
create or replace function app.executions_notify_assignee()
returns trigger
language plpgsql
security definer -- writes the assignee's notification on behalf of whoever changed the execution
set search_path = ''
as $$
declare
  v_me uuid := (select auth.uid());
  v_label text;
  v_by text;
  -- The orchestrator wakes what is due, also when a manager runs it by hand.
  v_scheduled boolean := v_me is null or coalesce(new.metadata -> 'history' -> -1 ->> 'by' = 'orchestrator', false);
begin
  if new.assigned_to is null or new.assigned_to is not distinct from v_me then
    return null;
  end if;
  select w.name || ' for ' || c.name into v_label
    from app.workflows w, app.customers c where w.id = new.workflow_id and c.id = new.customer_id;
  select p.full_name into v_by from app.profiles p where p.id = v_me;
  if new.assigned_to is distinct from old.assigned_to and new.status in ('queued', 'in_progress', 'snoozed', 'escalated') then
    insert into app.notifications (org_id, user_id, notification_type, title, body, data)
    values (new.org_id, new.assigned_to, 'workflow_assigned', 'Assigned to you: ' || v_label,
            coalesce(nullif(btrim(new.metadata -> 'history' -> -1 ->> 'reason'), ''),
                     'Assigned to you' || coalesce(' by ' || v_by, '') || '.'),
            jsonb_build_object('execution_id', new.id, 'assignee_id', new.assigned_to,
                               'previous_assignee_id', old.assigned_to, 'by', v_me));
  end if;
  if old.status = 'snoozed' and new.status in ('queued', 'in_progress') then
    insert into app.notifications (org_id, user_id, notification_type, title, body, data)
    values (new.org_id, new.assigned_to, 'workflow_woken', 'Back in your queue: ' || v_label,
            case when v_scheduled then 'Its snooze ended.' else 'Woken early' || coalesce(' by ' || v_by, '') || '.' end,
            jsonb_build_object('execution_id', new.id, 'snoozed_until', old.snoozed_until, 'early', not v_scheduled,
                               'by', v_me));
  end if;
  return null;
end;
$$;
revoke execute on function app.executions_notify_assignee() from public, anon;

---------------------------------------------------------------------------------------
-- Mentions
---------------------------------------------------------------------------------------

-- The people of an organisation a text mentions: `@` then their full name or the local part
-- of their email, not inside a word or an email address (case-insensitive).
create or replace function app.mentioned_people(org_id uuid, content text)
returns setof uuid
language sql
stable
set search_path = ''
as $$
  select p.id
    from app.profiles p
   where p.org_id = mentioned_people.org_id
     and position('@' in coalesce(mentioned_people.content, '')) > 0
     and exists (
       select 1
         from unnest(array[p.full_name, split_part(p.email, '@', 1)]) as n(name)
        where length(btrim(n.name)) >= 2
          and mentioned_people.content ~* ('(^|[^[:alnum:]_.@])@'
                || regexp_replace(btrim(n.name), '([.*+?^${}()|\[\]\\-])', '\\\1', 'g')
                || '($|[^[:alnum:]_@-]|\.($|[^[:alnum:]_]))'))
$$;
revoke execute on function app.mentioned_people(uuid, text) from public, anon;
grant execute on function app.mentioned_people(uuid, text) to authenticated, service_role;

create or replace function app.chat_messages_notify_mentions()
returns trigger
language plpgsql
security definer -- notifies colleagues whose notifications the author cannot read
set search_path = ''
as $$
declare
  v_me uuid := (select auth.uid());
  v_by text;
  v_execution uuid;
  v_customer uuid;
  v_label text;
begin
  select p.full_name into v_by from app.profiles p where p.id = v_me;
  select t.execution_id, e.customer_id, w.name || ' for ' || c.name into v_execution, v_customer, v_label
    from app.workflow_chat_threads t
    join app.workflow_executions e on e.id = t.execution_id
    join app.workflows w on w.id = e.workflow_id
    join app.customers c on c.id = e.customer_id
   where t.id = new.thread_id;
  insert into app.notifications (org_id, user_id, notification_type, title, body, data)
  select new.org_id, m.id, 'mention',
         coalesce(v_by, 'Someone') || ' mentioned you' || coalesce(' in ' || v_label, ''),
         left(new.content, 280),
         jsonb_build_object('execution_id', v_execution, 'customer_id', v_customer, 'thread_id', new.thread_id,
                            'message_id', new.id, 'by', v_me)
    from app.mentioned_people(new.org_id, new.content) m(id)
   where m.id is distinct from v_me;
  return null;
end;
$$;
revoke execute on function app.chat_messages_notify_mentions() from public, anon;

create or replace function app.engagement_events_notify_mentions()
returns trigger
language plpgsql
security definer -- notifies colleagues whose notifications the author cannot read
set search_path = ''
as $$
declare
  v_me uuid := (select auth.uid());
  v_by text;
  v_customer text;
  v_text text := concat_ws(E'\n', new.title, new.description);
begin
  if v_me is null then
    return null; -- ingested by a webhook: nobody wrote it here
  end if;
  select p.full_name into v_by from app.profiles p where p.id = v_me and p.org_id = new.org_id;
  select c.name into v_customer from app.customers c where c.id = new.customer_id;
  insert into app.notifications (org_id, user_id, notification_type, title, body, data)
  select new.org_id, m.id, 'mention',
         coalesce(v_by, 'Someone') || ' mentioned you in a ' || replace(new.event_type, '_', ' ') || coalesce(' on ' || v_customer, ''),
         left(v_text, 280),
         jsonb_build_object('customer_id', new.customer_id, 'engagement_event_id', new.id, 'by', v_me)
    from app.mentioned_people(new.org_id, v_text) m(id)
   where m.id is distinct from v_me;
  return null;
end;
$$;
revoke execute on function app.engagement_events_notify_mentions() from public, anon;

create or replace function app.notify_due_tasks(as_of timestamptz default now())
returns integer
language plpgsql
security definer -- the scheduler notifies every organisation's people
set search_path = ''
as $$
declare
  v_now timestamptz := coalesce(notify_due_tasks.as_of, now());
  v_sent integer;
begin
  with candidates as (
    -- Bounded by the widest time-zone offsets, so the open-tasks indexes serve.
    select t.id from app.workflow_tasks t
     where t.status in ('pending', 'in_progress')
       and t.due_date between v_now - interval '38 hours' and v_now + interval '38 hours'
    union
    select t.id from app.workflow_tasks t
     where t.force_action and t.status in ('pending', 'in_progress', 'snoozed')
       and t.force_action_at >= v_now - interval '38 hours'
  )
  insert into app.notifications (org_id, user_id, notification_type, title, body, data)
  select t.org_id, t.assigned_to, 'task_due',
         case when t.force_action then 'Action needed today: ' else 'Due today: ' end || t.title,
         case when t.force_action then 'Its snooze window has ended: complete or skip it, or it will be skipped automatically.'
              else 'This task is due today' || coalesce(' for ' || c.name, '') || '.' end,
         jsonb_build_object('task_id', t.id, 'due_on', (l.local_now)::date::text, 'execution_id', t.execution_id,
                            'customer_id', t.customer_id, 'force_action', t.force_action)
    from candidates k
    join app.workflow_tasks t on t.id = k.id
    join app.organisation_settings s on s.org_id = t.org_id
    left join app.customers c on c.id = t.customer_id
    cross join lateral (select v_now at time zone s.time_zone as local_now) l
   where t.assigned_to is not null
     and t.status in ('pending', 'in_progress')
     and extract(hour from l.local_now) >= 6
     and ((t.due_date at time zone s.time_zone)::date = l.local_now::date
          or (t.force_action and (t.force_action_at at time zone s.time_zone)::date = l.local_now::date))
  on conflict (user_id, (data ->> 'task_id'), (data ->> 'due_on')) where notification_type = 'task_due' do nothing;
  get diagnostics v_sent = row_count;
  return v_sent;
end;
$$;
comment on function app.notify_due_tasks(timestamptz) is
  'From 06:00 local time: each open task due today or flagged force_action today notifies its assignee once that day (task_due). Run hourly by pg_cron.';
revoke execute on function app.notify_due_tasks(timestamptz) from public, anon;
grant execute on function app.notify_due_tasks(timestamptz) to service_role;

-- notifications (private to their recipient; anyone but a viewer may notify a colleague)
select app.create_org_policies('app.notifications', 'notifications', readers => 'owner', writers => 'owner', commands => '{update,delete}');

create policy "Non-viewers can notify colleagues, anyone can notify themselves"
  on app.notifications for insert to authenticated
  with check (org_id = (select app.current_org_id()) and (user_id = (select auth.uid()) or (select app.has_role('csm', 'manager', 'admin'))));

create trigger workflow_executions_notify_assignee
  after update of assigned_to, status on app.workflow_executions
  for each row
  when (old.assigned_to is distinct from new.assigned_to
        or (old.status = 'snoozed' and new.status in ('queued', 'in_progress')))
  execute function app.executions_notify_assignee();

create trigger workflow_chat_messages_notify_mentions
  after insert on app.workflow_chat_messages
  for each row
  when (new.role = 'user' and position('@' in new.content) > 0)
  execute function app.chat_messages_notify_mentions();

create trigger engagement_events_notify_mentions
  after insert on app.engagement_events
  for each row
  when (position('@' in concat(new.title, new.description)) > 0)
  execute function app.engagement_events_notify_mentions();
