-- A closed task or workflow says so before a due date is weighed (docs/api-contract.md "Errors":
-- a transition the state does not allow is PT409).
--
-- What and why: update_task weighed a changed due date against today (22023 "changes.due_date
-- is in the past") before it looked at the task's status, and create_task weighed its due_date
-- before it looked at the workflow it was to join. So a completed or skipped task sent a past
-- date, or a closed workflow asked to take a task due in the past, answered "… is in the past";
-- the person fixed the date and only then heard that the task or workflow was closed. The
-- sibling RPCs check state first: act_on_task locks the task, refuses a closed one (PT409),
-- then weighs what the action asks (a snooze's until); execute_action and propose_action
-- refuse a closed workflow before an action's due_date. Now both do the same: the row is
-- locked and its state checked, then the date. Checks of the request's own shape (a blank
-- title, a date that is no date) still come first, as everywhere.
--
-- Restated whole from their latest definitions (create_task 20261209300000, update_task
-- 20261209301000); only the place of require_due_date_from_today moves. Grants and comments stay.
-- supabase/tests/tasks/a_closed_task_or_workflow_says_so_before_a_past_due_date.test.sql.

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
  v_due := app.timestamp_param(jsonb_build_object('due_date', create_task.due_date), 'due_date');
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
           or t.assigned_to is distinct from v_assignee then
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


create or replace function public.update_task(task_id uuid, changes jsonb)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  t app.workflow_tasks;
  v_key text;
  v_due timestamptz;
begin
  if update_task.changes is null or jsonb_typeof(update_task.changes) <> 'object' or update_task.changes = '{}'::jsonb then
    raise exception 'changes must be a JSON object with at least one field' using errcode = '22023';
  end if;
  for v_key in select jsonb_object_keys(update_task.changes) loop
    if v_key not in ('title', 'description', 'priority', 'due_date') then
      raise exception 'changes.% cannot be changed here', v_key using errcode = '22023',
        hint = 'update_task changes title, description, priority and due_date; use act_on_task for status.';
    end if;
  end loop;
  perform app.require_text_params(update_task.changes, array['title', 'description', 'priority', 'due_date'], 'changes');
  if update_task.changes ? 'title' and app.trimmed(update_task.changes ->> 'title') is null then
    raise exception 'changes.title must not be blank' using errcode = '22023';
  end if;
  if update_task.changes ? 'priority' then
    perform app.require_task_priority(coalesce(update_task.changes ->> 'priority', ''), 'changes.priority');
  end if;
  if update_task.changes ? 'due_date' then
    -- Read under its nested name, so a refusal names the parameter as sent (changes.due_date).
    v_due := app.timestamp_param(jsonb_build_object('changes.due_date', update_task.changes -> 'due_date'), 'changes.due_date');
  end if;
  t := app.lock_task(update_task.task_id, 'change');
  -- The task's state before the date, as act_on_task: a closed task says so, whatever the date.
  if t.status not in ('pending', 'in_progress', 'snoozed') then
    raise exception 'Cannot change this task: it is %', t.status using errcode = 'PT409',
      hint = 'Completed and skipped tasks are kept as they were.';
  end if;
  -- A due date changed is one the person sets now; one sent again as it was is left alone.
  if update_task.changes ? 'due_date' and v_due is distinct from t.due_date then
    perform app.require_due_date_from_today(v_due, t.org_id, 'changes.due_date');
  end if;
  update app.workflow_tasks x
     set title = case when update_task.changes ? 'title' then app.trimmed(update_task.changes ->> 'title') else x.title end,
         description = case when update_task.changes ? 'description' then app.trimmed(update_task.changes ->> 'description') else x.description end,
         priority = case when update_task.changes ? 'priority' then update_task.changes ->> 'priority' else x.priority end,
         due_date = case when update_task.changes ? 'due_date' then v_due else x.due_date end
   where x.id = t.id
  returning * into t;
  return app.task_json(t, app.organisation_today(t.org_id));
end;
$$;
