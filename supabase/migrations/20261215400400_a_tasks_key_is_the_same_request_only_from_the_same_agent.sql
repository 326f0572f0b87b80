-- A task's idempotency key is the same request only from the same agent, or none, as a logged
-- entry's is (20261214500000; docs/agents.md "Who logged it"): create_task under a key its
-- caller took for a task an agent made (created_by_agent, 20261215400200) answers that task
-- only to the same agent's call; a call by the person, or by another agent, is PT409. Before,
-- the person's own call under the agent's key was answered with the agent's task as theirs.
-- Restated whole from 20261210301000; the agent's comparison is the one change (the agent as
-- app.workflow_tasks_attributed records it).
-- supabase/tests/agent_attribution/a_tasks_key_is_the_same_request_only_from_the_same_agent.test.sql.

create or replace function public.create_task(title text, customer_id uuid, description text default null, execution_id uuid default null, task_type text default 'custom', priority text default 'medium', due_date text default null, assigned_to uuid default null, idempotency_key text default null)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_me uuid := (select auth.uid());
  v_org uuid := app.current_org_id();
  v_role text := app.current_member_role();
  v_assignee uuid := coalesce(create_task.assigned_to, (select auth.uid()));
  v_customer app.customers;
  v_execution app.workflow_executions;
  t app.workflow_tasks;
  v_attempt integer := 0;
  v_due timestamptz;
begin
  if v_org is null or v_role not in ('csm', 'manager', 'admin') then
    raise exception 'Your role may not create tasks' using errcode = '42501';
  end if;
  perform app.check_request_key(create_task.idempotency_key, 'idempotency_key', 200);
  -- An ISO 8601 date, or date and time with Z or an offset (app.timestamp_param, the rule of
  -- an action's times): as a timestamptz argument PostgreSQL read '2026-12-10 09:00 UTC+5' as
  -- a POSIX zone, west of UTC (14:00 UTC), and took 'tomorrow' or '12/01/2026' (1 December or
  -- 12 January?) as it understood them.
  v_due := app.due_date_param(jsonb_build_object('due_date', create_task.due_date), 'due_date', v_org);
  loop
    v_attempt := v_attempt + 1;
    -- A request already made under this key: its task, if it is the same request.
    if create_task.idempotency_key is not null then
      select * into t from app.workflow_tasks w
       where w.org_id = v_org and w.created_by = v_me and w.request_key = create_task.idempotency_key;
      if found then
        if t.title is distinct from app.trimmed(create_task.title)
           or t.customer_id is distinct from create_task.customer_id
           or t.description is distinct from app.trimmed(create_task.description)
           or t.execution_id is distinct from create_task.execution_id
           or t.task_type is distinct from coalesce(create_task.task_type, 'custom')
           or t.priority is distinct from coalesce(create_task.priority, 'medium')
           or t.due_date is distinct from v_due
           or t.assigned_to is distinct from v_assignee
           or t.created_by_agent is distinct from left(app.agent_name_of_call(null, 'created_by_agent'), 200) then
          raise exception 'this key was used for a different request' using errcode = 'PT409',
            hint = 'Send a new idempotency_key for a new task.';
        end if;
        return app.task_json(t, app.organisation_today(v_org));
      end if;
    end if;

    if v_attempt = 1 then
      if app.trimmed(create_task.title) is null then
        raise exception 'title is required' using errcode = '22023';
      end if;
      perform app.require_given(create_task.customer_id is not null, 'customer_id', 'Pass the id of the customer the task is for.');
      perform app.require_task_type(coalesce(create_task.task_type, 'custom'), 'task_type');
      perform app.require_task_priority(coalesce(create_task.priority, 'medium'), 'priority');
      select * into v_customer from app.customers c where c.id = create_task.customer_id;
      if not found then
        raise exception 'Customer not found' using errcode = 'PT404';
      end if;
      if create_task.execution_id is not null then
        select * into v_execution from app.workflow_executions e
         where e.id = create_task.execution_id and e.customer_id = v_customer.id;
        if not found then
          raise exception 'execution_id must be a workflow of this customer' using errcode = '22023';
        end if;
        if not app.can_work_on_execution(create_task.execution_id) then
          raise exception 'You may not add tasks to this workflow' using errcode = '42501';
        end if;
        -- Locked as the lifecycle RPCs lock it (app.lock_workable_execution, 20261206225000:
        -- the assignee's workload, then the row, asked again), so a close, an escalation or a
        -- reassignment committing now is waited for and seen, and one that starts now waits
        -- for this task (and counts it).
        v_execution := app.lock_workable_execution(v_execution, 'add tasks to');
        perform app.require_workflow_accepts(v_execution, 'action', 'add a task to');
      end if;
      -- After the workflow's state: a closed one says so, whatever the date. Checked for a new
      -- request only: the same request again answers its task, even a day on.
      perform app.require_due_date_from_today(v_due, v_org, 'due_date');
      if not exists (select 1 from app.profiles p where p.id = v_assignee and p.org_id = v_org) then
        raise exception 'assigned_to must be a member of your organisation' using errcode = '22023';
      end if;
    end if;

    begin
      insert into app.workflow_tasks (org_id, customer_id, execution_id, title, description, task_type, priority,
                                      due_date, assigned_to, created_by, request_key)
      values (v_org, v_customer.id, create_task.execution_id, app.trimmed(create_task.title), app.trimmed(create_task.description),
              coalesce(create_task.task_type, 'custom'), coalesce(create_task.priority, 'medium'),
              v_due, v_assignee, v_me, create_task.idempotency_key)
      returning * into t;
      exit;
    exception when unique_violation then
      -- Another call with this key committed its task first: answer that one (once).
      if create_task.idempotency_key is null or v_attempt > 1 then
        raise;
      end if;
    end;
  end loop;

  if v_assignee <> v_me then
    insert into app.notifications (org_id, user_id, notification_type, title, body, data)
    values (v_org, v_assignee, 'task_assigned', app.fit_title('New task: ' || t.title),
            'For ' || v_customer.name || coalesce(', due ' || to_char(t.due_date, 'YYYY-MM-DD'), '') || '.',
            jsonb_build_object('task_id', t.id, 'customer_id', v_customer.id, 'assigned_by', v_me));
  end if;
  return app.task_json(t, app.organisation_today(v_org));
end;
$$;
