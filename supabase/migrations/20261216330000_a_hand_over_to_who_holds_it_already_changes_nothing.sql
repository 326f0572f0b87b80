-- Handing work to the person who holds it already is nothing to do, and is answered as done
-- (docs/escalation-loop.md "Who may do what").
--
-- What and why: a customer's CSM changes by more than a manager's hand-over: the ingest's
-- csm_email (or an admin's edit) makes someone its CSM, and its open workflows and its own open
-- tasks follow them (app.customers_keep_priorities_current, app.customers_open_tasks_follow_csm).
-- A manager who then hands the task to that person, from a page read before, was answered
-- 409 "The task is already assigned to that person" (app.task_reassign, act_on_task's
-- reassign), and the customer or the workflow 22023 "already the CSM / the assignee": a
-- refusal for a state the manager wanted, which holds. Now each answers as done with things as
-- they are, and writes nothing: no history or reassignments entry, no audit entry, no notice,
-- a task's status and snooze as they were, no key recorded on the workflow:
-- - app.task_reassign answers the task unchanged;
-- - reassign_customer answers {customer_id, assignee_id, assignee_name, previous_assignee_id
--   (the same person), handed_over {0, 0, 0}} (kept under its key as any answer);
-- - reassign_workflow answers the workflow's summary.
-- reassign_workflows named such workflows apart (already_theirs) on reassign_workflow's 22023;
-- it now names them apart by their holder, read under its locks, after reassign_workflow's
-- other checks passed (a closed one is still refused). A workflow handed to the person whose work is handed over (hand_over_work's
-- assignee_id = profile_id) is still 22023: that names one person twice, not a state.
-- Restated: app.task_reassign (20261211100200), public.reassign_customer (20261210701000),
-- public.reassign_workflow (20261215600000), public.reassign_workflows (20261212700000).
-- supabase/tests/hand_overs/a_hand_over_to_who_holds_it_already_changes_nothing.test.sql.


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
  if v_new is null and coalesce(btrim(task_reassign.params ->> 'assignee_id'), '') <> '' then
    raise exception 'params.assignee_id must be a person''s id' using errcode = '22023',
      hint = 'Pick the person from the team list; their id is a UUID.';
  end if;
  if v_new is null then
    raise exception 'params.assignee_id is required: who takes the task over' using errcode = '22023';
  end if;
  v_reason := app.trimmed(task_reassign.params ->> 'reason');
  if v_reason is null then
    raise exception 'params.reason is required to reassign a task' using errcode = '22023';
  end if;
  perform app.require_person_who_can_take_work(t.org_id, v_new, 'params.assignee_id');
  if v_new = t.assigned_to then
    return t; -- theirs already (their customer's, say, since the ingest named them): nothing to do
  end if;
  update app.workflow_tasks x
     set assigned_to = v_new, reassigned_from = x.assigned_to, reassign_reason = v_reason, status = 'pending',
         snoozed_until = null,
         metadata = x.metadata || jsonb_build_object('reassignments',
           app.appended_to_log(x.metadata -> 'reassignments', jsonb_build_object(
             'from', x.assigned_to, 'to', v_new, 'reason', v_reason, 'by', v_me, 'at', now())))
   where x.id = t.id returning * into v_task;
  perform app.notify_task_handed_over(v_task, v_task.reassigned_from, v_reason);
  return v_task;
end;
$$;

create or replace function public.reassign_customer(customer_id uuid, assignee_id uuid, reason text, idempotency_key text default null)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_request jsonb := jsonb_build_object('call', 'reassign_customer', 'customer_id', reassign_customer.customer_id,
                                        'assignee_id', reassign_customer.assignee_id, 'reason', reassign_customer.reason);
  v_answer jsonb;
  v_reason text;
  c app.customers;
  v_new app.profiles;
  v_counts jsonb;
begin
  perform app.check_request_key(reassign_customer.idempotency_key, 'idempotency_key', 200);
  v_answer := app.answer_under_key(reassign_customer.idempotency_key, v_request);
  if v_answer is not null then
    return v_answer;
  end if;
  if coalesce(app.current_member_role(), '') not in ('manager', 'admin') then
    raise exception 'Only a manager or an admin may hand a customer to another CSM' using errcode = '42501',
      hint = 'Ask your manager.';
  end if;
  -- Each id named before either is looked up: a request without one names nothing to find.
  perform app.require_given(reassign_customer.customer_id is not null, 'customer_id', 'Pass the id of the customer to hand over.');
  perform app.require_given(reassign_customer.assignee_id is not null, 'assignee_id', 'Pass the id of the person who takes the customer over.');
  v_reason := app.required_text(reassign_customer.reason, 'reason', 'to hand a customer to another CSM');
  -- Its CSM as it is once no other hand-over can move it.
  c := app.lock_customer_to_hand_over(reassign_customer.customer_id, reassign_customer.assignee_id);
  v_new := app.require_new_owner(c.org_id, reassign_customer.assignee_id);
  if v_new.id = c.assigned_to then
    -- Their CSM already (a hand-over or an ingest first): nothing to do, nothing to record or tell.
    v_answer := jsonb_build_object('customer_id', c.id, 'assignee_id', v_new.id, 'assignee_name', v_new.full_name,
                                   'previous_assignee_id', c.assigned_to,
                                   'handed_over', jsonb_build_object('customers', 0, 'workflows', 0, 'tasks', 0));
    perform app.remember_answer(reassign_customer.idempotency_key, v_request, v_answer);
    return v_answer;
  end if;
  v_counts := app.move_work_to(c.org_id, c.assigned_to, v_new.id, array[c.id], false, v_reason);
  perform app.record_admin_change('customer', c.id::text, 'reassign',
                                  jsonb_build_object('name', c.name, 'assigned_to', c.assigned_to),
                                  jsonb_build_object('name', c.name, 'assigned_to', v_new.id, 'reason', v_reason, 'handed_over', v_counts));
  perform app.notify_hand_over(c.org_id, c.assigned_to, v_new, c.name, v_counts - 'customers', c.id, v_reason);
  v_answer := jsonb_build_object('customer_id', c.id, 'assignee_id', v_new.id, 'assignee_name', v_new.full_name,
                                 'previous_assignee_id', c.assigned_to, 'handed_over', v_counts);
  perform app.remember_answer(reassign_customer.idempotency_key, v_request, v_answer);
  return v_answer;
end;
$$;

create or replace function public.reassign_workflow(execution_id uuid, assignee_id uuid, reason text, idempotency_key text default null)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  e app.workflow_executions;
  v_new app.profiles;
  v_reason text;
begin
  v_reason := app.required_text(reassign_workflow.reason, 'reason', 'to reassign a workflow');
  perform app.check_request_key(reassign_workflow.idempotency_key, 'idempotency_key', 200);
  -- A call with this key in flight first (a retry sent before its answer came): waited for
  -- here, so the workflow below is read as it left it, and the key is seen.
  perform app.lock_request_key(reassign_workflow.idempotency_key);
  -- Named before the workflow is looked up: a request without it names no one to find.
  perform app.require_given(reassign_workflow.assignee_id is not null, 'assignee_id', 'Pass the id of the person who takes the workflow over.');
  e := app.lock_execution_for_manager(reassign_workflow.execution_id, 'reassign', reassign_workflow.assignee_id);
  -- Reassigned already under this key by this person (an answer lost on its way back): the
  -- workflow as it is now, if it is the same request. Another person's same key is their own.
  if e.reassign_request_key = reassign_workflow.idempotency_key and e.reassign_request_by = (select auth.uid()) then
    if e.assigned_to is distinct from reassign_workflow.assignee_id then
      raise exception 'this key was used for a different request' using errcode = 'PT409',
        hint = 'Send a new idempotency_key for a new reassignment.';
    end if;
    return app.execution_summary(e.id);
  end if;
  v_new := app.require_assignable_person(e.org_id, reassign_workflow.assignee_id);
  -- Open, escalated included: the hold is on the work, not on who holds it. An escalated
  -- workflow stays escalated and its open escalation goes with it
  -- (app.executions_escalation_follows_assignee), as in a customer's or a person's hand-over.
  if not app.is_open_status(e.status) then
    raise exception 'Cannot reassign this workflow: it is %', app.status_words(e.status) using errcode = 'PT409',
      hint = 'Closed workflows cannot change.';
  end if;
  if v_new.id = e.assigned_to then
    return app.execution_summary(e.id); -- theirs already: nothing to do, nothing to record or tell
  end if;
  begin
    update app.workflow_executions x
       set assigned_to = v_new.id,
           reassign_request_key = coalesce(reassign_workflow.idempotency_key, x.reassign_request_key),
           reassign_request_by = case when reassign_workflow.idempotency_key is null then x.reassign_request_by else (select auth.uid()) end,
           metadata = app.with_history(x.metadata, jsonb_build_object('event', 'reassigned', 'reason', v_reason,
                        'from_assignee', e.assigned_to, 'to_assignee', v_new.id))
     where x.id = e.id;
  exception when unique_violation then
    -- The person's key reassigned another workflow.
    raise exception 'this key was used for a different request' using errcode = 'PT409',
      hint = 'Send a new idempotency_key for a new reassignment.';
  end;
  -- Its open tasks followed it (app.hand_open_tasks_to_assignee, a trigger); the new assignee
  -- hears of it from the assignment trigger, the previous one here — unless many are reassigned
  -- at once (reassign_workflows), which tells each person once of all of it.
  if app.handing_over_in_bulk() then
    return app.execution_summary(e.id);
  end if;
  perform app.notify(e.org_id, e.assigned_to, 'workflow_assigned',
                     'Reassigned to ' || v_new.full_name || ': ' || app.execution_label(e), v_reason,
                     jsonb_build_object('execution_id', e.id, 'assignee_id', v_new.id, 'previous_assignee_id', e.assigned_to,
                                        'by', (select auth.uid())));
  return app.execution_summary(e.id);
end;
$$;

create or replace function public.reassign_workflows(execution_ids jsonb, assignee_id uuid, reason text, idempotency_key text default null)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_ids uuid[];
  v_request jsonb;
  v_answer jsonb;
  v_reason text;
  v_new app.profiles;
  v_id uuid;
  v_previous uuid;
  v_tasks uuid[];
  v_moved integer;
  v_reassigned jsonb := '[]'::jsonb;
  v_refused jsonb := '[]'::jsonb;
  v_already jsonb := '[]'::jsonb;
  v_total jsonb := '{"workflows": 0, "tasks": 0}'::jsonb;
  v_by_previous jsonb := '{}'::jsonb;
  v_locked uuid[];
  v_code text;
  v_message text;
begin
  perform app.check_request_key(reassign_workflows.idempotency_key, 'idempotency_key', 200);
  -- A JSON list of ids, read here (docs/api-contract.md: no RPC takes a Postgres array).
  select coalesce(array_agg(distinct x order by x), '{}') into v_ids
    from unnest(app.json_id_list(reassign_workflows.execution_ids, 'execution_ids')) x where x is not null;
  v_request := jsonb_build_object('call', 'reassign_workflows', 'execution_ids', to_jsonb(v_ids),
                                  'assignee_id', reassign_workflows.assignee_id, 'reason', reassign_workflows.reason);
  -- Answered already under this key (an answer lost on its way back, or a call in flight, waited for).
  v_answer := app.answer_under_key(reassign_workflows.idempotency_key, v_request);
  if v_answer is not null then
    return v_answer;
  end if;
  if coalesce(app.current_member_role(), '') not in ('manager', 'admin') then
    raise exception 'Only a manager or an admin may reassign workflows' using errcode = '42501', hint = 'Ask your manager.';
  end if;
  if cardinality(v_ids) = 0 or cardinality(v_ids) > 200 then
    raise exception 'execution_ids must name 1 to 200 workflows' using errcode = '22023',
      hint = 'Pass the ids of the workflows to reassign, at most 200 at once.';
  end if;
  perform app.require_given(reassign_workflows.assignee_id is not null, 'assignee_id', 'Pass the id of the person who takes the workflows over.');
  v_reason := app.required_text(reassign_workflows.reason, 'reason', 'to reassign a workflow');
  v_new := app.require_new_owner(app.current_org_id(), reassign_workflows.assignee_id);

  -- As a hand-over: the organisation's hand-over turn, then every holder's workload and the new
  -- assignee's in one order, before any workflow's row (docs/reliability.md).
  perform app.lock_hand_overs_of(v_new.org_id);
  select array_agg(x.id order by x.id) into v_locked
    from (select e.assigned_to as id from app.workflow_executions e where e.id = any (v_ids)
          union select v_new.id) x
   where x.id is not null;
  perform app.lock_assignee_workload(x) from unnest(v_locked) with ordinality as u(x, n) order by n;
  perform pg_catalog.set_config('renubu.hand_over_in_bulk', 'on', true);
  foreach v_id in array v_ids loop
    begin
      -- Its holder and the open tasks that will follow it (theirs), to say what went from whom.
      select e.assigned_to into v_previous from app.workflow_executions e where e.id = v_id;
      -- Given to someone else before the locks were held: their workload is not held, and taking
      -- it now would be out of order; as reassign_workflow answers work moved while it waited.
      if v_previous is not null and v_previous <> all (v_locked) then
        raise exception 'This workflow was reassigned while you were acting' using errcode = 'PT409',
          hint = 'Reload the queue and try again.';
      end if;
      select coalesce(array_agg(t.id), '{}') into v_tasks from app.workflow_tasks t
       where t.execution_id = v_id and t.assigned_to = v_previous and t.status in ('pending', 'in_progress', 'snoozed');
      v_answer := public.reassign_workflow(v_id, v_new.id, v_reason, null);
      if v_previous = v_new.id then
        -- Passed every other check and is the person's already: nothing done, named apart.
        v_already := v_already || jsonb_build_array(v_id);
        continue;
      end if;
      v_reassigned := v_reassigned || jsonb_build_array(v_answer);
      select count(*)::integer into v_moved from app.workflow_tasks t where t.id = any (v_tasks) and t.assigned_to = v_new.id;
      v_total := jsonb_build_object('workflows', (v_total ->> 'workflows')::integer + 1, 'tasks', (v_total ->> 'tasks')::integer + v_moved);
      if v_previous is not null then
        v_by_previous := v_by_previous || jsonb_build_object(v_previous::text, jsonb_build_object(
          'workflows', coalesce((v_by_previous -> v_previous::text ->> 'workflows')::integer, 0) + 1,
          'tasks', coalesce((v_by_previous -> v_previous::text ->> 'tasks')::integer, 0) + v_moved));
      end if;
    exception when sqlstate 'PT404' or sqlstate 'PT409' or sqlstate '22023' or sqlstate '42501' then
      -- Refused as reassign_workflow refuses it alone; nothing of it changed (the subtransaction).
      get stacked diagnostics v_code = returned_sqlstate, v_message = message_text;
      v_refused := v_refused || jsonb_build_array(jsonb_build_object('execution_id', v_id, 'code', v_code, 'message', v_message));
    end;
  end loop;
  perform pg_catalog.set_config('renubu.hand_over_in_bulk', '', true);
  if (v_total ->> 'workflows')::integer > 0 then
    perform app.notify_bulk_reassignment(v_new.org_id, v_new, v_total, v_by_previous, v_reason);
  end if;
  v_answer := jsonb_build_object('assignee_id', v_new.id, 'assignee_name', v_new.full_name,
                                 'reassigned', v_reassigned, 'already_theirs', v_already, 'refused', v_refused,
                                 'handed_over', v_total);
  perform app.remember_answer(reassign_workflows.idempotency_key, v_request, v_answer);
  return v_answer;
end;
$$;
