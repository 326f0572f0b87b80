-- A list filtered by a customer, a workflow or a task the caller cannot see answers "not
-- found" (PT404), as every other function named an id does (docs/api-contract.md "Errors").
--
-- What and why: list_artifacts(execution_id | task_id) and list_tasks(customer_id |
-- execution_id) answered an empty list (200) for an id of another organisation, and for an
-- id that never existed; list_proposals, list_contract_extractions, get_customer_timeline,
-- search_customer_history, list_chat_messages and the rest answer PT404 for both. The
-- answers did not leak (both were empty), but they broke the house rule and read as "this
-- workflow has no drafts" or "this customer has no tasks" for a mistyped or stale id. Each
-- named id is now looked up under the caller's row-level security first (after the
-- arguments' own checks): not visible, or not there, is PT404 with the same message for
-- both. A visible customer or workflow with nothing to list is still an empty list, and so
-- is a customer whose tasks are all someone else's (list_tasks lists the caller's tasks).
-- Functions restated whole from their latest definitions (list_artifacts 20261204000800,
-- list_tasks 20261204000700); the lookups are the only change.
-- supabase/tests/list_artifacts/an_id_the_caller_cannot_see_is_not_found.test.sql and
-- supabase/tests/list_tasks/an_id_the_caller_cannot_see_is_not_found.test.sql.

create or replace function public.list_artifacts(
  execution_id uuid default null,
  task_id uuid default null,
  artifact_type text default null
)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  result jsonb;
begin
  if list_artifacts.execution_id is null and list_artifacts.task_id is null then
    raise exception 'execution_id or task_id is required' using errcode = '22023',
      hint = 'List the artifacts of one workflow execution or one task.';
  end if;
  if list_artifacts.artifact_type is not null and not list_artifacts.artifact_type = any (app.artifact_types()) then
    raise exception 'artifact_type "%" is not known', list_artifacts.artifact_type using errcode = '22023',
      hint = 'Leave artifact_type out to list every type.';
  end if;
  -- A named workflow or task the caller cannot see is not found, as everywhere (an empty
  -- list would read as "it has no drafts"); the same answer for another organisation's id
  -- and an id that never existed.
  if list_artifacts.execution_id is not null then
    perform 1 from app.workflow_executions x where x.id = list_artifacts.execution_id;
    perform app.require_found(found, 'Workflow execution', 'execution', 'workflows');
  end if;
  if list_artifacts.task_id is not null then
    perform 1 from app.workflow_tasks t where t.id = list_artifacts.task_id;
    perform app.require_found(found, 'Task', 'task', 'tasks');
  end if;

  -- Each branch is served by an index leading with its id (execution_id or task_id).
  select coalesce(jsonb_agg(app.artifact_json(a) order by a.created_at desc, a.id desc), '[]'::jsonb)
    into result
    from (
      select x.* from app.workflow_task_artifacts x
       where (list_artifacts.execution_id is null or x.execution_id = list_artifacts.execution_id)
         and (list_artifacts.task_id is null or x.task_id = list_artifacts.task_id)
         and (list_artifacts.artifact_type is null or x.artifact_type = list_artifacts.artifact_type)
       order by x.created_at desc, x.id desc
       limit 500
    ) a;
  return result;
end;
$$;

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
  perform app.check_page_size(list_tasks.page_size);
  if v_sort not in ('due', 'priority', 'created') then
    raise exception 'sort must be due, priority or created' using errcode = '22023';
  end if;
  -- A named customer or workflow the caller cannot see is not found, as everywhere: the
  -- same answer for another organisation's id and an id that never existed.
  if list_tasks.customer_id is not null then
    perform 1 from app.customers c where c.id = list_tasks.customer_id;
    perform app.require_found(found, 'Customer', 'customer', 'customers');
  end if;
  if list_tasks.execution_id is not null then
    perform 1 from app.workflow_executions x where x.id = list_tasks.execution_id;
    perform app.require_found(found, 'Workflow execution', 'execution', 'workflows');
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
