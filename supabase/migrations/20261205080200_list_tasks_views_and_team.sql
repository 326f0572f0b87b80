-- list_tasks: the customer on every task, views by due date, filters, sorts, and a manager's
-- team (issue: the Tasks page never showed the customer and could not filter or sort).
--
-- What and why:
-- * Each task gains `customer {id, name}` and `assignee {id, full_name}`, so a list can name
--   and link the customer without a second call.
-- * `filters` `{due, priorities[], task_types[], assignee_id, team}`: `due` is `today`,
--   `overdue` (past its due date and still open) or `this_week` (due today or in the next 6
--   days), in the organisation's time zone. `assignee_id` is someone else's tasks (managers
--   and admins only); `team: true` is the caller's and their reports' tasks (managers) or
--   the whole organisation's (admins). A CSM may only read their own: 42501 otherwise.
-- * `sort` is `due` (soonest first, no due date last), `priority` (urgent first, then due)
--   or `created` (newest first); the cursor names its sort.
-- The old 5-argument signature is dropped (two overloads make PostgREST's choice depend on
-- the argument names).

drop function if exists public.list_tasks(text, uuid, uuid, integer, text);

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
  v_me uuid := (select auth.uid());
  v_org uuid := app.current_org_id();
  v_role text := app.current_member_role();
  v_filters jsonb := coalesce(list_tasks.filters, '{}'::jsonb);
  v_sort text := coalesce(list_tasks.sort, 'due');
  v_statuses text[];
  v_today date;
  v_tz text;
  v_cur jsonb;
  c1 numeric;
  c2 timestamptz;
  c_id uuid;
  v_due text;
  v_priorities text[];
  v_types text[];
  v_people uuid[];
  v_assignee uuid;
  v_team boolean := false;
  v_unknown text;
  v_items jsonb;
  v_next text;
begin
  if v_org is null then
    raise exception 'Only members of an organisation have tasks' using errcode = '42501';
  end if;
  v_statuses := case coalesce(list_tasks.status, 'active')
    when 'active' then array['pending', 'in_progress', 'snoozed']
    when 'all' then array['pending', 'in_progress', 'snoozed', 'completed', 'skipped', 'reassigned']
    when 'pending' then array['pending'] when 'in_progress' then array['in_progress']
    when 'snoozed' then array['snoozed'] when 'completed' then array['completed']
    when 'skipped' then array['skipped'] when 'reassigned' then array['reassigned']
  end;
  if v_statuses is null then
    raise exception 'status must be one of: active, all, pending, in_progress, snoozed, completed, skipped, reassigned'
      using errcode = '22023';
  end if;
  if list_tasks.page_size is null or list_tasks.page_size < 1 or list_tasks.page_size > 200 then
    raise exception 'page_size must be between 1 and 200' using errcode = '22023';
  end if;
  if v_sort not in ('due', 'priority', 'created') then
    raise exception 'sort must be due, priority or created' using errcode = '22023';
  end if;
  if jsonb_typeof(v_filters) <> 'object' then
    raise exception 'filters must be a JSON object' using errcode = '22023';
  end if;
  select k into v_unknown from jsonb_object_keys(v_filters) k
   where k not in ('due', 'priorities', 'task_types', 'assignee_id', 'team') limit 1;
  if v_unknown is not null then
    raise exception 'filters has an unknown key "%"', left(v_unknown, 60) using errcode = '22023',
      hint = 'Known keys: due, priorities, task_types, assignee_id, team.';
  end if;
  v_due := nullif(v_filters ->> 'due', '');
  if v_due is not null and v_due not in ('today', 'overdue', 'this_week') then
    raise exception 'filters.due must be today, overdue or this_week' using errcode = '22023';
  end if;
  v_priorities := app.queue_filter_values(v_filters, 'priorities', array['urgent', 'high', 'medium', 'low']);
  v_types := app.queue_filter_values(v_filters, 'task_types', array['review_contract', 'draft_email', 'schedule_meeting',
    'analyze_usage', 'prepare_proposal', 'follow_up', 'escalate', 'update_crm', 'get_transcript', 'review_recommendation', 'custom']);
  if v_filters ? 'team' and jsonb_typeof(v_filters -> 'team') not in ('boolean', 'null') then
    raise exception 'filters.team must be true or false' using errcode = '22023';
  end if;
  v_team := coalesce((v_filters ->> 'team')::boolean, false);
  if v_filters ? 'assignee_id' and jsonb_typeof(v_filters -> 'assignee_id') <> 'null' then
    begin
      v_assignee := (v_filters ->> 'assignee_id')::uuid;
    exception when others then
      raise exception 'filters.assignee_id must be a person''s id' using errcode = '22023';
    end;
  end if;

  -- Whose tasks: the caller's, one person's (managers, admins), or the team's.
  if v_assignee is not null and v_assignee <> v_me then
    if v_role not in ('manager', 'admin') then
      raise exception 'Only managers and admins can read someone else''s tasks' using errcode = '42501';
    end if;
    if not exists (select 1 from app.profiles p where p.id = v_assignee and p.org_id = v_org) then
      raise exception 'Person not found' using errcode = 'PT404';
    end if;
    v_people := array[v_assignee];
  elsif v_team then
    if v_role = 'admin' then
      v_people := null;  -- the whole organisation
    elsif v_role = 'manager' then
      select array_agg(p.id) into v_people from app.profiles p
       where p.org_id = v_org and (p.id = v_me or p.manager_id = v_me);
    else
      raise exception 'Only managers and admins can read their team''s tasks' using errcode = '42501';
    end if;
  else
    v_people := array[v_me];
  end if;

  if list_tasks.cursor is not null then
    begin
      v_cur := convert_from(decode(list_tasks.cursor, 'base64'), 'UTF8')::jsonb;
      if v_cur ->> 's' is distinct from v_sort then
        c_id := null;
      else
        c1 := (v_cur ->> 'a')::numeric;
        c2 := (v_cur ->> 'b')::timestamptz;
        c_id := (v_cur ->> 'i')::uuid;
      end if;
    exception when others then
      c_id := null;
    end;
    if c_id is null or c1 is null or c2 is null then
      raise exception 'cursor is not valid' using errcode = '22023',
        hint = 'Pass the next_cursor of the previous page (of the same sort) unchanged.';
    end if;
  end if;
  v_today := app.organisation_today(v_org);
  select coalesce(s.time_zone, 'UTC') into v_tz from app.organisation_settings s where s.org_id = v_org;
  v_tz := coalesce(v_tz, 'UTC');

  -- Sort keys (a, b, id), all ascending: due = (0, due), priority = (rank, due),
  -- created = (-epoch(created_at), -infinity).
  with keyed as (
    select t,
           case v_sort when 'priority' then
                  case t.priority when 'urgent' then 0 when 'high' then 1 when 'medium' then 2 else 3 end::numeric
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
