-- The queue and the execution view: get_workflow_queue and get_workflow_execution (api.md
-- "Queue and workflows").
--
-- Why this shape:
-- - One index-only scan of the assignee's open executions (workflow_executions_open_queue_idx
--   covers the renewal date and plan copies kept by the priority triggers) feeds both the
--   page and the stats over the whole queue; customers are read for the page's 50 rows only.
-- - Order: priority desc, days until renewal asc (= renewal date asc, no date last), type
--   renewal/strategic/opportunity/risk/custom, then id. The cursor is that 4-tuple,
--   base64-encoded JSON, compared as a row after negating the priority (so all four keys
--   ascend and one row comparison is the keyset condition).
-- - Stage and days until renewal are computed as of today in the organisation's time
--   zone on every read; a stored stage may be up to an hour stale and is never shown.

create or replace function app.queue_cursor(priority_score numeric, sort_date date, type_rank integer, id uuid)
returns text
language plpgsql
immutable
set search_path = ''
as $$
begin
  -- plpgsql rather than sql: a `set search_path` sql function is parsed and planned on
  -- every call; a plpgsql body is planned once per session.
  return translate(encode(convert_to(jsonb_build_object(
           'p', queue_cursor.priority_score,
           'd', case when queue_cursor.sort_date = 'infinity'::date then null else queue_cursor.sort_date end,
           't', queue_cursor.type_rank,
           'i', queue_cursor.id)::text, 'UTF8'), 'base64'), E'\n', '');
end;
$$;

-- The customer as every queue item and execution shows it: plan, stage and days until
-- renewal as of the organisation's today.
create or replace function app.customer_card(c app.customers, today date)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select jsonb_build_object(
    'id', (customer_card.c).id,
    'name', (customer_card.c).name,
    'domain', (customer_card.c).domain,
    'arr', (customer_card.c).arr,
    'health_score', (customer_card.c).health_score,
    'account_plan', (customer_card.c).account_plan,
    'renewal_stage', app.calculate_renewal_stage((customer_card.c).renewal_date, customer_card.today),
    'renewal_date', (customer_card.c).renewal_date,
    'days_until_renewal', (customer_card.c).renewal_date - customer_card.today,
    'assigned_to', (customer_card.c).assigned_to,
    'risk_score', (customer_card.c).risk_score,
    'opportunity_score', (customer_card.c).opportunity_score
  )
$$;

create or replace function public.get_workflow_queue(
  page_size integer default 50,
  cursor text default null,
  assignee_id uuid default null,
  include_snoozed boolean default false
)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_me uuid := (select auth.uid());
  v_org uuid;
  v_role text;
  v_target uuid;
  v_today date;
  v_statuses text[];
  v_cur jsonb;
  c_p numeric;
  c_d date;
  c_t integer;
  c_id uuid;
  v_items jsonb;
  v_stats jsonb;
  v_next text;
begin
  select p.org_id, p.role into v_org, v_role from app.profiles p where p.id = v_me;
  if v_org is null then
    raise exception 'Only members of an organisation have a queue' using errcode = '42501',
      hint = 'Sign in as a member of an organisation.';
  end if;
  if get_workflow_queue.page_size is null or get_workflow_queue.page_size < 1 or get_workflow_queue.page_size > 200 then
    raise exception 'page_size must be between 1 and 200' using errcode = '22023';
  end if;
  v_target := coalesce(get_workflow_queue.assignee_id, v_me);
  if v_target <> v_me then
    if v_role not in ('manager', 'admin') then
      raise exception 'Only managers and admins can view another person''s queue' using errcode = '42501',
        hint = 'Leave assignee_id out to see your own queue.';
    end if;
    if not exists (select 1 from app.profiles p where p.id = v_target and p.org_id = v_org) then
      raise exception 'No such person in your organisation' using errcode = 'PT404',
        hint = 'assignee_id must be a member of your organisation.';
    end if;
  end if;
  if get_workflow_queue.cursor is not null then
    begin
      v_cur := convert_from(decode(get_workflow_queue.cursor, 'base64'), 'UTF8')::jsonb;
      c_p := (v_cur ->> 'p')::numeric;
      c_d := coalesce((v_cur ->> 'd')::date, 'infinity'::date);
      c_t := (v_cur ->> 't')::integer;
      c_id := (v_cur ->> 'i')::uuid;
    exception when others then
      c_id := null;
    end;
    if c_id is null or c_p is null or c_t is null then
      raise exception 'cursor is not valid' using errcode = '22023',
        hint = 'Pass the next_cursor of the previous page unchanged, or leave it out for the first page.';
    end if;
  end if;
  v_today := app.organisation_today(v_org);
  v_statuses := case when coalesce(get_workflow_queue.include_snoozed, false)
                     then array['queued', 'in_progress', 'escalated', 'snoozed']
                     else array['queued', 'in_progress', 'escalated'] end;

  with q as materialized (
    select e.id, e.priority_score, e.customer_id, w.workflow_type,
           -- Inline rather than app.workflow_type_rank(): a function with `set search_path` is
           -- never inlined, and a call per row costs more than the rest of the scan.
           case w.workflow_type when 'renewal' then 1 when 'strategic' then 2
                                when 'opportunity' then 3 when 'risk' then 4 else 5 end as type_rank,
           coalesce(e.customer_renewal_date, 'infinity'::date) as sort_date,
           e.customer_renewal_date as renewal_date, e.customer_account_plan as account_plan,
           e.customer_renewal_date - v_today as days  -- days until renewal, once per row for the stats
      from app.workflow_executions e
      join app.workflows w on w.id = e.workflow_id
     where e.org_id = v_org
       and e.assigned_to = v_target
       -- The literal list lets the planner use the partial covering index
       -- workflow_executions_open_queue_idx (an index-only scan); the array narrows it.
       and e.status in ('queued', 'in_progress', 'snoozed', 'escalated')
       and e.status = any(v_statuses)
  ), stats as (
    -- One pass over q: every key of by_type, by_stage and by_account_plan is one of a
    -- fixed list (check constraints on workflows.workflow_type and customers.account_plan,
    -- the stage boundaries of app.calculate_renewal_stage), so filtered counts replace a
    -- group-by per breakdown; jsonb_strip_nulls drops the zero ones (nullif) as a group-by
    -- would never have produced them. Types are counted by their integer rank (1 renewal ..
    -- 5 custom) and stages from q.days, computed once per row.
    select jsonb_build_object(
      'total', a.total,
      'by_type', jsonb_strip_nulls(jsonb_build_object(
        'renewal', nullif(a.t_renewal, 0), 'strategic', nullif(a.t_strategic, 0),
        'opportunity', nullif(a.t_opportunity, 0), 'risk', nullif(a.t_risk, 0), 'custom', nullif(a.t_custom, 0))),
      'by_stage', jsonb_strip_nulls(jsonb_build_object(  -- app.calculate_renewal_stage, inlined
        'Overdue', nullif(a.s_overdue, 0), 'Emergency', nullif(a.s_emergency, 0),
        'Critical', nullif(a.s_critical, 0), 'Signature', nullif(a.s_signature, 0),
        'Finalize', nullif(a.s_finalize, 0), 'Negotiate', nullif(a.s_negotiate, 0),
        'Engage', nullif(a.s_engage, 0), 'Prepare', nullif(a.s_prepare, 0), 'Monitor', nullif(a.s_monitor, 0))),
      'by_account_plan', jsonb_strip_nulls(jsonb_build_object(
        'expand', nullif(a.p_expand, 0), 'invest', nullif(a.p_invest, 0),
        'monitor', nullif(a.p_monitor, 0), 'manage', nullif(a.p_manage, 0))),
      'unique_customers', a.unique_customers,
      'avg_priority', a.avg_priority,
      'priority_range', jsonb_build_object('min', a.min_priority, 'max', a.max_priority)
    ) as s
      from (select count(*) as total, count(distinct q.customer_id) as unique_customers,
                   round(avg(q.priority_score), 1) as avg_priority,
                   min(q.priority_score)::integer as min_priority, max(q.priority_score)::integer as max_priority,
                   count(*) filter (where q.type_rank = 1) as t_renewal,
                   count(*) filter (where q.type_rank = 2) as t_strategic,
                   count(*) filter (where q.type_rank = 3) as t_opportunity,
                   count(*) filter (where q.type_rank = 4) as t_risk,
                   count(*) filter (where q.type_rank = 5) as t_custom,
                   count(*) filter (where q.days < 0) as s_overdue,
                   count(*) filter (where q.days between 0 and 6) as s_emergency,
                   count(*) filter (where q.days between 7 and 13) as s_critical,
                   count(*) filter (where q.days between 14 and 29) as s_signature,
                   count(*) filter (where q.days between 30 and 59) as s_finalize,
                   count(*) filter (where q.days between 60 and 89) as s_negotiate,
                   count(*) filter (where q.days between 90 and 119) as s_engage,
                   count(*) filter (where q.days between 120 and 179) as s_prepare,
                   count(*) filter (where q.days >= 180) as s_monitor,
                   count(*) filter (where q.account_plan = 'expand') as p_expand,
                   count(*) filter (where q.account_plan = 'invest') as p_invest,
                   count(*) filter (where q.account_plan = 'monitor') as p_monitor,
                   count(*) filter (where q.account_plan = 'manage') as p_manage
              from q) a
  ), page as (
    select q.*
      from q
     where c_id is null or (-q.priority_score, q.sort_date, q.type_rank, q.id) > (-c_p, c_d, c_t, c_id)
     order by q.priority_score desc, q.sort_date, q.type_rank, q.id
     limit get_workflow_queue.page_size + 1
  ), numbered as (
    select page.*, row_number() over (order by page.priority_score desc, page.sort_date, page.type_rank, page.id) as rn
      from page
  ), titles as (
    -- Step titles from the version config, read once per version on the page: queued
    -- executions have no step rows until they start.
    select v.id as version_id, (st.ord - 1)::integer as idx, st.step ->> 'title' as title
      from (select distinct x.workflow_version_id from numbered n2
              join app.workflow_executions x on x.id = n2.id) dv
      join app.workflow_versions v on v.id = dv.workflow_version_id
      cross join lateral jsonb_array_elements(v.config -> 'steps') with ordinality as st(step, ord)
  )
  select (select s from stats),
         coalesce(jsonb_agg(jsonb_build_object(
           'execution_id', e.id,
           'workflow_key', w.key,
           'workflow_name', w.name,
           'workflow_type', w.workflow_type,
           'status', e.status,
           'priority_score', e.priority_score::integer,
           'priority_factors', e.priority_factors,
           -- The customer card of app.customer_card, inlined (a `set search_path` function
           -- is called, not inlined, once per row).
           'customer', jsonb_build_object(
             'id', c.id, 'name', c.name, 'domain', c.domain, 'arr', c.arr, 'health_score', c.health_score,
             'account_plan', c.account_plan,
             'renewal_stage', case
               when c.renewal_date is null then null
               when c.renewal_date - v_today < 0 then 'Overdue'
               when c.renewal_date - v_today < 7 then 'Emergency'
               when c.renewal_date - v_today < 14 then 'Critical'
               when c.renewal_date - v_today < 30 then 'Signature'
               when c.renewal_date - v_today < 60 then 'Finalize'
               when c.renewal_date - v_today < 90 then 'Negotiate'
               when c.renewal_date - v_today < 120 then 'Engage'
               when c.renewal_date - v_today < 180 then 'Prepare'
               else 'Monitor' end,
             'renewal_date', c.renewal_date, 'days_until_renewal', c.renewal_date - v_today,
             'assigned_to', c.assigned_to, 'risk_score', c.risk_score, 'opportunity_score', c.opportunity_score),
           'assignee_id', e.assigned_to,
           'current_step', case when e.current_step_key is null then null else jsonb_build_object(
             'key', e.current_step_key,
             'title', coalesce(
               (select s.title from app.workflow_step_executions s
                 where s.execution_id = e.id and s.org_id = e.org_id and s.step_key = e.current_step_key),
               (select t.title from titles t where t.version_id = e.workflow_version_id and t.idx = e.current_step_index),
               e.current_step_key),
             'index', e.current_step_index) end,
           'total_steps', e.total_steps,
           'completed_steps', e.completed_steps,
           'snoozed_until', e.snoozed_until,
           'created_at', e.created_at
         ) order by n.rn) filter (where n.rn <= get_workflow_queue.page_size), '[]'::jsonb),
         max(app.queue_cursor(n.priority_score, n.sort_date, n.type_rank, n.id)) filter (where n.rn = get_workflow_queue.page_size),
         count(*) filter (where n.rn > get_workflow_queue.page_size)
    into v_stats, v_items, v_next, c_t
    from numbered n
    join app.workflow_executions e on e.id = n.id
    join app.customers c on c.id = e.customer_id
    join app.workflows w on w.id = e.workflow_id;

  if v_stats is null then
    select s into v_stats from (select jsonb_build_object(
      'total', 0, 'by_type', '{}'::jsonb, 'by_stage', '{}'::jsonb, 'by_account_plan', '{}'::jsonb,
      'unique_customers', 0, 'avg_priority', null, 'priority_range', jsonb_build_object('min', null, 'max', null)) as s) x;
  end if;
  if coalesce(c_t, 0) = 0 then
    v_next := null;
  end if;

  return jsonb_build_object('items', v_items, 'next_cursor', v_next, 'stats', v_stats);
end;
$$;
comment on function public.get_workflow_queue(integer, text, uuid, boolean) is
  'One person''s open workflow executions in priority order (keyset-paginated) with stats over the whole queue.';
revoke execute on function public.get_workflow_queue(integer, text, uuid, boolean) from public, anon;
grant execute on function public.get_workflow_queue(integer, text, uuid, boolean) to authenticated;

create or replace function public.get_workflow_execution(execution_id uuid)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  e app.workflow_executions;
  v_today date;
  v_result jsonb;
begin
  if get_workflow_execution.execution_id is null then
    raise exception 'execution_id is required' using errcode = '22023';
  end if;
  select * into e from app.workflow_executions x where x.id = get_workflow_execution.execution_id;
  if not found then
    raise exception 'Workflow execution not found' using errcode = 'PT404',
      hint = 'Check the id; you can only see workflows of your own organisation.';
  end if;
  v_today := app.organisation_today(e.org_id);

  select jsonb_build_object(
    'id', e.id,
    'execution_id', e.id,
    'workflow', jsonb_build_object('id', w.id, 'key', w.key, 'name', w.name, 'type', w.workflow_type,
                                   'version', v.version, 'version_id', v.id),
    'workflow_key', w.key,
    'workflow_name', w.name,
    'workflow_type', w.workflow_type,
    'status', e.status,
    'priority_score', e.priority_score::integer,
    'priority_factors', e.priority_factors,
    'assignee_id', e.assigned_to,
    'renewal_stage', e.renewal_stage,
    'period_key', e.period_key,
    'trigger_reason', e.trigger_reason,
    'current_step', case when e.current_step_key is null then null else jsonb_build_object(
      'key', e.current_step_key, 'index', e.current_step_index,
      'title', coalesce(v.config -> 'steps' -> e.current_step_index ->> 'title', e.current_step_key)) end,
    'total_steps', e.total_steps,
    'completed_steps', e.completed_steps,
    'progress', case when e.total_steps = 0 then 0 else round(e.completed_steps::numeric / e.total_steps, 4) end,
    'snoozed_until', e.snoozed_until,
    'started_at', e.started_at,
    'completed_at', e.completed_at,
    'superseded_by', e.superseded_by,
    'metadata', e.metadata,
    'outcome', e.outcome,
    'created_at', e.created_at,
    'updated_at', e.updated_at,
    'customer', app.customer_card(c, v_today),
    'steps', coalesce((
      select jsonb_agg(jsonb_build_object(
               'key', cs.step ->> 'key',
               'title', coalesce(se.title, cs.step ->> 'title'),
               'type', coalesce(se.step_type, cs.step ->> 'type'),
               'index', cs.ord - 1,
               'status', coalesce(se.status, 'pending'),
               'started_at', se.started_at,
               'completed_at', se.completed_at,
               'skip_reason', se.skip_reason,
               'outcome', coalesce(se.outcome, '{}'::jsonb),
               'artifact_types', coalesce(cs.step -> 'artifact_types', '[]'::jsonb),
               'branches', coalesce((
                 select jsonb_agg(jsonb_build_object(
                          'key', b.branch_key, 'label', b.label, 'type', b.branch_type,
                          'response_text', b.response_text, 'next_step_key', b.next_step_key,
                          'allow_off_script', b.allow_off_script, 'saved_action_key', b.saved_action_key,
                          'return_step_key', b.return_step_key, 'config', b.config) order by b.position, b.branch_key)
                   from app.workflow_chat_branches b
                  where b.workflow_version_id = v.id and b.step_key = cs.step ->> 'key'), '[]'::jsonb)
             ) order by cs.ord)
        from jsonb_array_elements(v.config -> 'steps') with ordinality as cs(step, ord)
        left join app.workflow_step_executions se
          on se.execution_id = e.id and se.org_id = e.org_id and se.step_key = cs.step ->> 'key'), '[]'::jsonb),
    'threads', coalesce((
      select jsonb_agg(jsonb_build_object(
               'id', t.id, 'step_key', t.step_key, 'thread_type', t.thread_type, 'status', t.status,
               'title', t.title, 'message_count', t.message_count, 'tokens_in', t.tokens_in,
               'tokens_out', t.tokens_out, 'started_at', t.started_at, 'completed_at', t.completed_at)
             order by t.created_at)
        from app.workflow_chat_threads t where t.execution_id = e.id and t.org_id = e.org_id), '[]'::jsonb),
    'artifacts', coalesce((
      select jsonb_agg(jsonb_build_object(
               'id', a.id, 'artifact_type', a.artifact_type, 'title', a.title, 'content', a.content,
               'version', a.version, 'step_key', a.step_key, 'task_id', a.task_id, 'thread_id', a.thread_id,
               'generated_by', a.generated_by, 'approved_by', a.approved_by, 'approved_at', a.approved_at,
               'created_at', a.created_at, 'updated_at', a.updated_at)
             order by a.created_at desc)
        from app.workflow_task_artifacts a where a.execution_id = e.id and a.org_id = e.org_id), '[]'::jsonb),
    'tasks', coalesce((
      select jsonb_agg(jsonb_build_object(
               'id', k.id, 'title', k.title, 'task_type', k.task_type, 'priority', k.priority,
               'status', k.status, 'assigned_to', k.assigned_to, 'due_date', k.due_date,
               'snoozed_until', k.snoozed_until, 'force_action', k.force_action, 'created_at', k.created_at)
             order by k.created_at)
        from app.workflow_tasks k where k.execution_id = e.id and k.org_id = e.org_id), '[]'::jsonb),
    'actions', coalesce((
      select jsonb_agg(jsonb_build_object(
               'id', ae.id, 'action_key', ae.action_key, 'executed_by', ae.executed_by, 'params', ae.params,
               'result', ae.result, 'success', ae.success, 'error_message', ae.error_message,
               'side_effects', ae.side_effects, 'created_at', ae.created_at)
             order by ae.created_at desc)
        from app.action_executions ae where ae.execution_id = e.id and ae.org_id = e.org_id), '[]'::jsonb),
    'meetings', coalesce((
      select jsonb_agg(jsonb_build_object(
               'id', m.id, 'title', m.title, 'scheduled_at', m.scheduled_at,
               'duration_minutes', m.duration_minutes, 'attendees', m.attendees, 'task_id', m.task_id,
               'invite_status', m.invite_status, 'invite_ics', m.invite_ics, 'created_at', m.created_at)
             order by m.scheduled_at)
        from app.workflow_meetings m where m.execution_id = e.id and m.org_id = e.org_id), '[]'::jsonb)
  )
    into v_result
    from app.workflows w, app.workflow_versions v, app.customers c
   where w.id = e.workflow_id and v.id = e.workflow_version_id and c.id = e.customer_id;

  return v_result;
end;
$$;
comment on function public.get_workflow_execution(uuid) is
  'A workflow execution with its customer, steps (and their chat branches), threads, artifacts, tasks, meetings and action log.';
revoke execute on function public.get_workflow_execution(uuid) from public, anon;
grant execute on function public.get_workflow_execution(uuid) to authenticated;

grant execute on function app.queue_cursor(numeric, date, integer, uuid) to authenticated, service_role;
grant execute on function app.customer_card(app.customers, date) to authenticated, service_role;
