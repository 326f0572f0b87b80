-- create_task takes an idempotency key, so a new task whose answer was lost on the way back
-- (the connection dropped, a timeout, a reload) and that is sent again is made once.
--
-- What and why: the New task forms (Tasks page, a customer page) call create_task, which had
-- no key. A request that reached the database and committed, but whose answer the browser
-- never saw, was sent again by the person ("could not reach the server … try again") and
-- made a second task (and a second notification for the person it was given to). A saved
-- action's create_task (execute_action) always had a key; this one now has the same rule
-- (docs/api-contract.md, idempotency): the same key with the same request answers the task
-- it made, with another request it is PT409 "this key was used for a different request".
--
-- - app.workflow_tasks.request_key: the key the task was made with, unique per person who
--   made it within the organisation (null for tasks made without one, and by actions).
-- - create_task(…, idempotency_key text default null): checked by app.check_request_key
--   (1 to 200 characters, never blank); a replay is answered before the other checks, as
--   execute_action's is, so what changed since (an escalated workflow) does not turn the
--   first answer into a refusal. Two calls with one key at once: the second waits for the
--   first's row and answers it.
-- Restated whole from its latest definition (20261206240000); the key is the only change.

alter table app.workflow_tasks add column request_key text;
create unique index workflow_tasks_request_key_idx on app.workflow_tasks (org_id, created_by, request_key)
  where request_key is not null;
comment on column app.workflow_tasks.request_key is
  'The idempotency key create_task made this task with (unique per maker and organisation); null otherwise.';

drop function public.create_task(text, uuid, text, uuid, text, text, timestamptz, uuid);
create function public.create_task(title text, customer_id uuid, description text default null, execution_id uuid default null, task_type text default 'custom', priority text default 'medium', due_date timestamptz default null, assigned_to uuid default null, idempotency_key text default null)
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
begin
  if v_org is null or v_role not in ('csm', 'manager', 'admin') then
    raise exception 'Your role may not create tasks' using errcode = '42501';
  end if;
  perform app.check_request_key(create_task.idempotency_key, 'idempotency_key', 200);
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
           or t.due_date is distinct from create_task.due_date
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
      if not exists (select 1 from app.profiles p where p.id = v_assignee and p.org_id = v_org) then
        raise exception 'assigned_to must be a member of your organisation' using errcode = '22023';
      end if;
    end if;

    begin
      insert into app.workflow_tasks (org_id, customer_id, execution_id, title, description, task_type, priority,
                                      due_date, assigned_to, created_by, request_key)
      values (v_org, v_customer.id, create_task.execution_id, app.trimmed(create_task.title), app.trimmed(create_task.description),
              coalesce(create_task.task_type, 'custom'), coalesce(create_task.priority, 'medium'),
              create_task.due_date, v_assignee, v_me, create_task.idempotency_key)
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
comment on function public.create_task(text, uuid, text, uuid, text, text, timestamptz, uuid, text) is
  'Creates a task; assigning someone else notifies them. A task on a workflow needs it open and not escalated (PT409). '
  'With an idempotency_key, the same request again answers the task it made; another request with that key is PT409.';
revoke execute on function public.create_task(text, uuid, text, uuid, text, text, timestamptz, uuid, text) from public, anon;
grant execute on function public.create_task(text, uuid, text, uuid, text, text, timestamptz, uuid, text) to authenticated;
