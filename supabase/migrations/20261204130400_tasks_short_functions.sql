-- Tasks: long functions of 20261204000700_tasks.sql made short (issue 17, point 3).
--
-- What: act_on_task becomes a guard and a dispatcher over one function per action
-- (app.task_<action>). Why: a reader can hold each piece in their head. The answers and
-- the errors (codes, messages, hints) are unchanged; so are the signature, security,
-- volatility, grants and comment of act_on_task. The helpers live in `app`, set
-- search_path = '', run as the caller (RLS applies as before) and are executable only by
-- the callers' roles.

-- start: the task is in progress from now (or since it was first started).
create or replace function app.task_start(t app.workflow_tasks)
returns app.workflow_tasks
language plpgsql
set search_path = ''
as $$
declare
  v_task app.workflow_tasks;
begin
  if t.status = 'in_progress' then
    raise exception 'Cannot start this task: it is already in progress' using errcode = 'PT409';
  end if;
  update app.workflow_tasks x set status = 'in_progress', started_at = coalesce(x.started_at, now()), snoozed_until = null
   where x.id = t.id returning * into v_task;
  return v_task;
end;
$$;
revoke execute on function app.task_start(app.workflow_tasks) from public, anon;
grant execute on function app.task_start(app.workflow_tasks) to authenticated;

-- complete: the task is done now.
create or replace function app.task_complete(t app.workflow_tasks)
returns app.workflow_tasks
language plpgsql
set search_path = ''
as $$
declare
  v_task app.workflow_tasks;
begin
  update app.workflow_tasks x set status = 'completed', completed_at = now(), snoozed_until = null
   where x.id = t.id returning * into v_task;
  return v_task;
end;
$$;
revoke execute on function app.task_complete(app.workflow_tasks) from public, anon;
grant execute on function app.task_complete(app.workflow_tasks) to authenticated;

-- skip {reason}: the task is left undone, with why.
create or replace function app.task_skip(t app.workflow_tasks, params jsonb)
returns app.workflow_tasks
language plpgsql
set search_path = ''
as $$
declare
  v_reason text := nullif(btrim(task_skip.params ->> 'reason'), '');
  v_task app.workflow_tasks;
begin
  if v_reason is null then
    raise exception 'reason is required to skip a task' using errcode = '22023';
  end if;
  update app.workflow_tasks x set status = 'skipped', skip_reason = v_reason, skipped_at = now(), snoozed_until = null
   where x.id = t.id returning * into v_task;
  return v_task;
end;
$$;
revoke execute on function app.task_skip(app.workflow_tasks, jsonb) from public, anon;
grant execute on function app.task_skip(app.workflow_tasks, jsonb) to authenticated;

-- snooze {until}: the task comes back at `until`, which must fall inside the snooze window
-- (the organisation's task_snooze_window_days, default 7, from the first snooze); a task
-- forced to action cannot be snoozed.
create or replace function app.task_snooze(t app.workflow_tasks, params jsonb)
returns app.workflow_tasks
language plpgsql
set search_path = ''
as $$
declare
  v_until timestamptz := app.timestamp_param(task_snooze.params, 'until');
  v_window integer;
  v_deadline timestamptz;
  v_task app.workflow_tasks;
begin
  if v_until is null then
    raise exception 'until is required: when the task should come back' using errcode = '22023';
  end if;
  if v_until <= now() then
    raise exception 'until must be in the future' using errcode = '22023';
  end if;
  select s.task_snooze_window_days into v_window from app.organisation_settings s where s.org_id = t.org_id;
  v_deadline := coalesce(t.first_snoozed_at, now()) + make_interval(days => coalesce(v_window, 7));
  if t.force_action or now() >= v_deadline then
    raise exception 'Cannot snooze this task again: its % day snooze window ended on %', coalesce(v_window, 7), v_deadline
      using errcode = 'PT409', hint = 'Complete or skip the task.';
  end if;
  if v_until > v_deadline then
    raise exception 'Cannot snooze this task past % (% days after it was first snoozed)', v_deadline, coalesce(v_window, 7)
      using errcode = 'PT409', hint = 'Pick an earlier time, or complete or skip the task.';
  end if;
  update app.workflow_tasks x
     set status = 'snoozed', snoozed_until = v_until, first_snoozed_at = coalesce(x.first_snoozed_at, now()),
         snooze_count = x.snooze_count + 1
   where x.id = t.id returning * into v_task;
  return v_task;
end;
$$;
revoke execute on function app.task_snooze(app.workflow_tasks, jsonb) from public, anon;
grant execute on function app.task_snooze(app.workflow_tasks, jsonb) to authenticated;

-- reassign {assignee_id, reason}: another member who works on tasks takes it over (pending
-- again); the hand-over is kept in the task's metadata and the new assignee is told.
create or replace function app.task_reassign(t app.workflow_tasks, params jsonb)
returns app.workflow_tasks
language plpgsql
set search_path = ''
as $$
declare
  v_me uuid := (select auth.uid());
  v_new uuid := app.uuid_param(task_reassign.params, 'assignee_id');
  v_reason text;
  v_task app.workflow_tasks;
begin
  if v_new is null then
    raise exception 'assignee_id is required: who takes the task over' using errcode = '22023';
  end if;
  v_reason := nullif(btrim(task_reassign.params ->> 'reason'), '');
  if v_reason is null then
    raise exception 'reason is required to reassign a task' using errcode = '22023';
  end if;
  if not exists (select 1 from app.profiles p where p.id = v_new and p.org_id = t.org_id and p.role <> 'viewer') then
    raise exception 'assignee_id must be a member of your organisation who can work on tasks' using errcode = '22023';
  end if;
  if v_new = t.assigned_to then
    raise exception 'The task is already assigned to that person' using errcode = 'PT409';
  end if;
  update app.workflow_tasks x
     set assigned_to = v_new, reassigned_from = x.assigned_to, reassign_reason = v_reason, status = 'pending',
         snoozed_until = null,
         metadata = x.metadata || jsonb_build_object('reassignments',
           coalesce(x.metadata -> 'reassignments', '[]'::jsonb) || jsonb_build_array(jsonb_build_object(
             'from', x.assigned_to, 'to', v_new, 'reason', v_reason, 'by', v_me, 'at', now())))
   where x.id = t.id returning * into v_task;
  insert into app.notifications (org_id, user_id, notification_type, title, body, data)
  values (v_task.org_id, v_new, 'task_reassigned', 'Task handed to you: ' || v_task.title, v_reason,
          jsonb_build_object('task_id', v_task.id, 'reassigned_by', v_me, 'reassigned_from', v_task.reassigned_from));
  return v_task;
end;
$$;
revoke execute on function app.task_reassign(app.workflow_tasks, jsonb) from public, anon;
grant execute on function app.task_reassign(app.workflow_tasks, jsonb) to authenticated;

create or replace function public.act_on_task(task_id uuid, action text, params jsonb default '{}'::jsonb)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_params jsonb := coalesce(act_on_task.params, '{}'::jsonb);
  t app.workflow_tasks;
begin
  if act_on_task.action is null or act_on_task.action not in ('start', 'complete', 'skip', 'snooze', 'reassign') then
    raise exception 'action must be one of: start, complete, skip, snooze, reassign' using errcode = '22023';
  end if;
  if jsonb_typeof(v_params) <> 'object' then
    raise exception 'params must be a JSON object' using errcode = '22023';
  end if;
  t := app.lock_task(act_on_task.task_id, act_on_task.action);
  if t.status not in ('pending', 'in_progress', 'snoozed') then
    raise exception 'Cannot % this task: it is already %', act_on_task.action, t.status using errcode = 'PT409',
      hint = 'Only pending, in-progress or snoozed tasks can change.';
  end if;
  t := case act_on_task.action
         when 'start' then app.task_start(t)
         when 'complete' then app.task_complete(t)
         when 'skip' then app.task_skip(t, v_params)
         when 'snooze' then app.task_snooze(t, v_params)
         else app.task_reassign(t, v_params)
       end;
  return app.task_json(t, app.organisation_today(t.org_id));
end;
$$;
comment on function public.act_on_task(uuid, text, jsonb) is 'start, complete, skip {reason}, snooze {until} (7-day window from the first snooze), reassign {assignee_id, reason}.';
revoke execute on function public.act_on_task(uuid, text, jsonb) from public, anon;
grant execute on function public.act_on_task(uuid, text, jsonb) to authenticated;


---------------------------------------------------------------------------------------
-- public.list_tasks: the request's parts each read and checked once by a small function
-- (statuses, filters, whose tasks, cursor); the one set-based query stays in list_tasks,
-- so its plan and cost per row are unchanged.
---------------------------------------------------------------------------------------

-- The task statuses a `status` argument names (active: the open ones; all: every one).
create or replace function app.task_list_statuses(status text)
returns text[]
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_statuses text[] := case coalesce(task_list_statuses.status, 'active')
    when 'active' then array['pending', 'in_progress', 'snoozed']
    when 'all' then array['pending', 'in_progress', 'snoozed', 'completed', 'skipped', 'reassigned']
    when 'pending' then array['pending'] when 'in_progress' then array['in_progress']
    when 'snoozed' then array['snoozed'] when 'completed' then array['completed']
    when 'skipped' then array['skipped'] when 'reassigned' then array['reassigned']
  end;
begin
  if v_statuses is null then
    raise exception 'status must be one of: active, all, pending, in_progress, snoozed, completed, skipped, reassigned'
      using errcode = '22023';
  end if;
  return v_statuses;
end;
$$;
revoke execute on function app.task_list_statuses(text) from public, anon;
grant execute on function app.task_list_statuses(text) to authenticated;

-- The filters object of list_tasks, read and checked: {due, priorities, task_types,
-- assignee_id, team}.
create or replace function app.task_list_filters(filters jsonb,
  out due text, out priorities text[], out task_types text[], out assignee_id uuid, out team boolean)
language plpgsql
stable
set search_path = ''
as $$
declare
  v_unknown text;
begin
  if jsonb_typeof(filters) <> 'object' then
    raise exception 'filters must be a JSON object' using errcode = '22023';
  end if;
  select k into v_unknown from jsonb_object_keys(filters) k
   where k not in ('due', 'priorities', 'task_types', 'assignee_id', 'team') limit 1;
  if v_unknown is not null then
    raise exception 'filters has an unknown key "%"', left(v_unknown, 60) using errcode = '22023',
      hint = 'Known keys: due, priorities, task_types, assignee_id, team.';
  end if;
  due := nullif(filters ->> 'due', '');
  if due is not null and due not in ('today', 'overdue', 'this_week') then
    raise exception 'filters.due must be today, overdue or this_week' using errcode = '22023';
  end if;
  priorities := app.queue_filter_values(filters, 'priorities', app.lookup_keys('task_priority'));
  task_types := app.queue_filter_values(filters, 'task_types', app.lookup_keys('task_type'));
  if filters ? 'team' and jsonb_typeof(filters -> 'team') not in ('boolean', 'null') then
    raise exception 'filters.team must be true or false' using errcode = '22023';
  end if;
  team := coalesce((filters ->> 'team')::boolean, false);
  if filters ? 'assignee_id' and jsonb_typeof(filters -> 'assignee_id') <> 'null' then
    begin
      assignee_id := (filters ->> 'assignee_id')::uuid;
    exception when others then
      raise exception 'filters.assignee_id must be a person''s id' using errcode = '22023';
    end;
  end if;
end;
$$;
revoke execute on function app.task_list_filters(jsonb) from public, anon;
grant execute on function app.task_list_filters(jsonb) to authenticated;

-- Whose tasks the caller reads: their own, one person's (managers, admins), or their team's
-- (a manager: themselves and their reports; an admin: null, the whole organisation).
create or replace function app.task_list_people(org_id uuid, assignee_id uuid, team boolean)
returns uuid[]
language plpgsql
stable
set search_path = ''
as $$
declare
  v_me uuid := (select auth.uid());
  v_role text := app.current_member_role();
  v_people uuid[];
begin
  if assignee_id is not null and assignee_id <> v_me then
    if v_role not in ('manager', 'admin') then
      raise exception 'Only managers and admins can read someone else''s tasks' using errcode = '42501';
    end if;
    if not exists (select 1 from app.profiles p where p.id = task_list_people.assignee_id and p.org_id = task_list_people.org_id) then
      raise exception 'Person not found' using errcode = 'PT404';
    end if;
    return array[assignee_id];
  end if;
  if not team then
    return array[v_me];
  end if;
  if v_role = 'admin' then
    return null;  -- the whole organisation
  elsif v_role = 'manager' then
    select array_agg(p.id) into v_people from app.profiles p
     where p.org_id = task_list_people.org_id and (p.id = v_me or p.manager_id = v_me);
    return v_people;
  end if;
  raise exception 'Only managers and admins can read their team''s tasks' using errcode = '42501';
end;
$$;
revoke execute on function app.task_list_people(uuid, uuid, boolean) from public, anon;
grant execute on function app.task_list_people(uuid, uuid, boolean) to authenticated;

-- The sort keys (a, b, id) a list_tasks cursor of this sort names; 22023 when it is not one.
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
    v_cur := convert_from(decode(cursor, 'base64'), 'UTF8')::jsonb;
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
revoke execute on function app.task_list_cursor(text, text) from public, anon;
grant execute on function app.task_list_cursor(text, text) to authenticated;

create or replace function public.list_tasks(
  status text default 'active',
  customer_id uuid default null,
  execution_id uuid default null,
  page_size integer default 50,
  cursor text default null,
  filters jsonb default '{}'::jsonb,
  sort text default 'due'
)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_org uuid := app.current_org_id();
  v_sort text := coalesce(list_tasks.sort, 'due');
  v_statuses text[];
  v_today date;
  v_tz text;
  v_people uuid[];
  c1 numeric;  -- the cursor's sort keys (a, b, id)
  c2 timestamptz;
  c_id uuid;
  v_due text;
  v_priorities text[];
  v_types text[];
  v_items jsonb;
  v_next text;
begin
  if v_org is null then
    raise exception 'Only members of an organisation have tasks' using errcode = '42501';
  end if;
  v_statuses := app.task_list_statuses(list_tasks.status);
  if list_tasks.page_size is null or list_tasks.page_size < 1 or list_tasks.page_size > 200 then
    raise exception 'page_size must be between 1 and 200' using errcode = '22023';
  end if;
  if v_sort not in ('due', 'priority', 'created') then
    raise exception 'sort must be due, priority or created' using errcode = '22023';
  end if;
  select f.due, f.priorities, f.task_types, app.task_list_people(v_org, f.assignee_id, f.team)
    into v_due, v_priorities, v_types, v_people
    from app.task_list_filters(coalesce(list_tasks.filters, '{}'::jsonb)) f;
  select * into c1, c2, c_id from app.task_list_cursor(list_tasks.cursor, v_sort);  -- null: the first page
  v_today := app.organisation_today(v_org);
  select coalesce(s.time_zone, 'UTC') into v_tz from app.organisation_settings s where s.org_id = v_org;
  v_tz := coalesce(v_tz, 'UTC');

  -- Sort keys (a, b, id), all ascending: due = (0, due), priority = (rank, due),
  -- created = (-epoch(created_at), -infinity).
  with keyed as (
    select t,
           case v_sort when 'priority' then
                  -(select p.sort from app.task_priorities p where p.key = t.priority)::numeric
                when 'created' then -extract(epoch from t.created_at)
                else 0::numeric end as a,
           case when v_sort = 'created' then '-infinity'::timestamptz
                else coalesce(t.due_date, 'infinity'::timestamptz) end as b,
           t.id
      from app.workflow_tasks t
     where t.org_id = v_org
       and (v_people is null or t.assigned_to = any(v_people))
       and t.status = any(v_statuses)
       and (list_tasks.customer_id is null or t.customer_id = list_tasks.customer_id)
       and (list_tasks.execution_id is null or t.execution_id = list_tasks.execution_id)
       and (v_priorities is null or t.priority = any(v_priorities))
       and (v_types is null or t.task_type = any(v_types))
       and (v_due is null
            or (v_due = 'overdue' and t.due_date < now() and t.status in ('pending', 'in_progress', 'snoozed'))
            or (v_due = 'today' and (t.due_date at time zone v_tz)::date = v_today)
            or (v_due = 'this_week' and (t.due_date at time zone v_tz)::date between v_today and v_today + 6))
  ), page as (
    select k.* from keyed k
     where c_id is null or (k.a, k.b, k.id) > (c1, c2, c_id)
     order by k.a, k.b, k.id
     limit list_tasks.page_size + 1
  ), numbered as (
    select page.*, row_number() over (order by page.a, page.b, page.id) as rn from page
  )
  select coalesce(jsonb_agg(app.task_json(n.t, v_today) || jsonb_build_object(
             'customer', case when c.id is null then null else jsonb_build_object('id', c.id, 'name', c.name) end,
             'customer_name', c.name,
             'assignee', case when p.id is null then null else jsonb_build_object('id', p.id, 'full_name', p.full_name) end)
           order by n.rn) filter (where n.rn <= list_tasks.page_size), '[]'::jsonb),
         case when count(*) > list_tasks.page_size then
           max(translate(encode(convert_to(jsonb_build_object('s', v_sort, 'a', n.a, 'b', n.b, 'i', n.id)::text, 'UTF8'), 'base64'), E'\n', ''))
             filter (where n.rn = list_tasks.page_size)
         end
    into v_items, v_next
    from numbered n
    left join app.customers c on c.id = (n.t).customer_id and c.org_id = v_org
    left join app.profiles p on p.id = (n.t).assigned_to and p.org_id = v_org;

  return jsonb_build_object('items', v_items, 'next_cursor', v_next, 'sort', v_sort);
end;
$$;
comment on function public.list_tasks(text, uuid, uuid, integer, text, jsonb, text) is 'The caller''s (or, for managers and admins, a person''s or the team''s) tasks with their customer; filters {due, priorities, task_types, assignee_id, team}; sorts due/priority/created; keyset-paginated.';
revoke execute on function public.list_tasks(text, uuid, uuid, integer, text, jsonb, text) from public, anon;
grant execute on function public.list_tasks(text, uuid, uuid, integer, text, jsonb, text) to authenticated;
