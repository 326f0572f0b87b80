-- A customer page lists the customer's open workflows in the queue's order (docs/web-app.md,
-- "Customer").
--
-- What and why: get_customer_overview listed the open workflows newest first, and the
-- orchestrator opens a customer's work in one run, so they came in no useful order: on
-- Northwind Logistics (demo data) the renewal in the Now lane, in progress and decided in 3
-- days, came last, under a Quarterly Business Review, a Monthly Health Check and an
-- Opportunity Identification of the Planned lane. Now the open ones come as the queue ranks
-- them — lane (now, soon, planned), then priority, highest first
-- (app.workflow_executions.queue_lane and priority_score, the queue's own keys) — and the
-- finished ones after them, latest first, as before.
--
-- public.get_customer_overview: restated whole from 20261208300000; only the workflows'
-- order changed. Security invoker as before.
-- Test: supabase/tests/customer_timeline/a_customers_open_workflows_follow_the_queue.test.sql.

create or replace function public.get_customer_overview(customer_id uuid)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_org uuid := app.current_org_id();
  v_today date;
  c app.customers;
begin
  if v_org is null then
    raise exception 'Only members of an organisation can read customers' using errcode = '42501';
  end if;
  if get_customer_overview.customer_id is null then
    raise exception 'customer_id is required' using errcode = '22023';
  end if;
  select * into c from app.customers x where x.id = get_customer_overview.customer_id and x.org_id = v_org;
  if not found then
    raise exception 'Customer not found' using errcode = 'PT404',
      hint = 'Check the id; you can only see customers of your own organisation.';
  end if;
  v_today := app.organisation_today(v_org);

  return jsonb_build_object(
    'customer', app.customer_card(c, v_today),
    'workflows', coalesce((
      select jsonb_agg(jsonb_build_object(
               'execution_id', x.id, 'workflow_key', w.key, 'workflow_name', w.name, 'workflow_type', w.workflow_type,
               'status', x.status, 'open', app.is_open_status(x.status),
               'lane', case when app.is_open_status(x.status) then app.queue_lane_name(x.queue_lane) end,
               'priority_score', (app.priority_shown(x.org_id, x.assigned_to, x.status, x.priority_factors) ->> 'score')::numeric,
               'assignee', case when p.id is null then null else jsonb_build_object('id', p.id, 'full_name', p.full_name) end,
               'total_steps', x.total_steps, 'current_step_index', x.current_step_index,
               'created_at', x.created_at, 'started_at', x.started_at, 'completed_at', x.completed_at,
               'snoozed_until', x.snoozed_until)
             order by app.is_open_status(x.status) desc,
                      -- open: the queue's order (lane, then priority); finished: latest first
                      case when app.is_open_status(x.status) then x.queue_lane end,
                      case when app.is_open_status(x.status) then x.priority_score end desc nulls last,
                      coalesce(x.completed_at, x.created_at) desc, x.id)
        from (select * from app.workflow_executions x0
               where x0.customer_id = c.id and x0.org_id = v_org
               order by x0.created_at desc limit 100) x
        join app.workflows w on w.id = x.workflow_id
        left join app.profiles p on p.id = x.assigned_to and p.org_id = v_org), '[]'::jsonb),
    'tasks', coalesce((
      select jsonb_agg(app.task_json(t, v_today) || jsonb_build_object(
               'customer', jsonb_build_object('id', c.id, 'name', c.name), 'customer_name', c.name,
               'assignee', case when p.id is null then null else jsonb_build_object('id', p.id, 'full_name', p.full_name) end)
             order by coalesce(t.due_date, 'infinity'::timestamptz), t.id)
        from (select * from app.workflow_tasks t0
               where t0.customer_id = c.id and t0.org_id = v_org and t0.status in ('pending', 'in_progress', 'snoozed')
               order by coalesce(t0.due_date, 'infinity'::timestamptz), t0.id limit 50) t
        left join app.profiles p on p.id = t.assigned_to and p.org_id = v_org), '[]'::jsonb),
    'startable_workflows', public.list_startable_workflows(c.id),
    'artifacts', coalesce((
      select jsonb_agg(jsonb_build_object(
               'id', a.id, 'execution_id', a.execution_id, 'artifact_type', a.artifact_type, 'title', a.title,
               'approved_at', a.approved_at, 'created_at', a.created_at, 'workflow_name', a.workflow_name,
               'send_state', app.artifact_send_state(a.id, a.org_id, a.sent_at))
             order by a.created_at desc)
        from (select t.*, w.name as workflow_name
                from app.workflow_executions x
                join app.workflows w on w.id = x.workflow_id
                join app.workflow_task_artifacts t on t.execution_id = x.id and t.org_id = v_org
               where x.customer_id = c.id and x.org_id = v_org
               order by t.created_at desc limit 50) a), '[]'::jsonb),
    'contracts', coalesce((
      select jsonb_agg(jsonb_build_object(
               'id', k.id, 'contract_number', k.contract_number, 'status', k.status,
               'start_date', k.start_date, 'end_date', k.end_date, 'annual_value', k.annual_value, 'currency', k.currency,
               'auto_renew', k.auto_renew, 'notice_period_days', k.notice_period_days,
               'notice_deadline', case when k.auto_renew and coalesce(k.notice_period_days, 0) > 0 and k.end_date is not null
                                       then k.end_date - k.notice_period_days end,
               'days_until_notice_deadline', case when k.auto_renew and coalesce(k.notice_period_days, 0) > 0 and k.end_date is not null
                                                  then k.end_date - k.notice_period_days - v_today end)
             order by k.end_date desc nulls last)
        from app.contracts k where k.customer_id = c.id and k.org_id = v_org), '[]'::jsonb),
    'health_history', coalesce((
      select jsonb_agg(jsonb_build_object('recorded_at', h.recorded_at, 'health_score', h.health_score) order by h.recorded_at)
        from (select * from app.customer_score_history h0
               where h0.customer_id = c.id and h0.org_id = v_org and h0.health_score is not null
                 and h0.recorded_at > now() - interval '1 year'
               order by h0.recorded_at desc limit 60) h), '[]'::jsonb)
  );
end;
$$;
