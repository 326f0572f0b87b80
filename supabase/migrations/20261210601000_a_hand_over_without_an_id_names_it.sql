-- A hand-over without one of its ids answers 22023 naming it, before the other id is looked
-- up (docs/api-contract.md: a required id sent as null is missing, not unknown). Before,
-- reassign_customer and hand_over_work (20261210600000) looked the customer or the person up
-- first, so a request without its customer_id answered PT404 "Customer not found", and one
-- without its assignee_id answered PT404 for a customer or person named by an unknown id;
-- reassign_workflow (20261208802000) likewise answered a missing assignee_id with PT404
-- "Workflow execution not found" when its execution_id named nothing.
-- structure/missing_arguments_are_named sent null for every argument at once, which the
-- reason's check answered first; structure/a_missing_id_is_named_before_any_lookup now sends
-- each required id as null alone, the other ids naming nothing, for every API function.
-- Restated from the migrations named; the require_given lines are the only change.

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
    raise exception 'assignee_id is already the CSM of this customer' using errcode = '22023';
  end if;
  v_counts := app.move_work_to(c.org_id, c.assigned_to, v_new.id, array[c.id], false, v_reason);
  perform app.record_admin_change('customer', c.id::text, 'reassign',
                                  jsonb_build_object('assigned_to', c.assigned_to),
                                  jsonb_build_object('assigned_to', v_new.id, 'reason', v_reason, 'handed_over', v_counts));
  perform app.notify_hand_over(c.org_id, c.assigned_to, v_new, c.name, v_counts - 'customers', c.id, v_reason);
  v_answer := jsonb_build_object('customer_id', c.id, 'assignee_id', v_new.id, 'assignee_name', v_new.full_name,
                                 'previous_assignee_id', c.assigned_to, 'handed_over', v_counts);
  perform app.remember_answer(reassign_customer.idempotency_key, v_request, v_answer);
  return v_answer;
end;
$$;

create or replace function public.hand_over_work(profile_id uuid, assignee_id uuid, reason text, idempotency_key text default null)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_request jsonb := jsonb_build_object('call', 'hand_over_work', 'profile_id', hand_over_work.profile_id,
                                        'assignee_id', hand_over_work.assignee_id, 'reason', hand_over_work.reason);
  v_answer jsonb;
  v_reason text;
  v_from app.profiles;
  v_new app.profiles;
  v_customers uuid[];
  v_counts jsonb;
begin
  perform app.check_request_key(hand_over_work.idempotency_key, 'idempotency_key', 200);
  v_answer := app.answer_under_key(hand_over_work.idempotency_key, v_request);
  if v_answer is not null then
    return v_answer;
  end if;
  if coalesce(app.current_member_role(), '') not in ('manager', 'admin') then
    raise exception 'Only a manager or an admin may hand someone''s work over' using errcode = '42501',
      hint = 'Ask your manager.';
  end if;
  -- Each id named before either is looked up: a request without one names nothing to find.
  perform app.require_given(hand_over_work.profile_id is not null, 'profile_id', 'Pass the id of the person whose work to hand over.');
  perform app.require_given(hand_over_work.assignee_id is not null, 'assignee_id', 'Pass the id of the person who takes the work over.');
  v_reason := app.required_text(hand_over_work.reason, 'reason', 'to hand someone''s work over');
  select * into v_from from app.profiles p where p.id = hand_over_work.profile_id and p.org_id = app.current_org_id();
  if not found then
    raise exception 'Person not found' using errcode = 'PT404',
      hint = 'Check the id; you can only see people of your own organisation.';
  end if;
  v_new := app.require_new_owner(v_from.org_id, hand_over_work.assignee_id);
  if v_new.id = v_from.id then
    raise exception 'assignee_id is the person whose work is handed over' using errcode = '22023';
  end if;
  -- Their customers as they are once no other hand-over can move them: workloads, then customers.
  perform app.lock_workloads_of(v_from.id, v_new.id);
  select coalesce(array_agg(x.id order by x.id), '{}') into v_customers
    from (select c.id from app.customers c where c.org_id = v_from.org_id and c.assigned_to = v_from.id
           order by c.id for update) x;
  v_counts := app.move_work_to(v_from.org_id, v_from.id, v_new.id, v_customers, true, v_reason);
  -- Nothing left to move (another hand-over took it first): nothing to record or tell.
  if v_counts <> '{"customers": 0, "workflows": 0, "tasks": 0}'::jsonb then
    perform app.record_admin_change('person', v_from.id::text, 'hand_over', null,
                                    jsonb_build_object('assigned_to', v_new.id, 'reason', v_reason, 'handed_over', v_counts));
    perform app.notify_hand_over(v_from.org_id, v_from.id, v_new, v_from.full_name || '''s work', v_counts, null, v_reason);
  end if;
  v_answer := jsonb_build_object('profile_id', v_from.id, 'assignee_id', v_new.id, 'assignee_name', v_new.full_name,
                                 'handed_over', v_counts);
  perform app.remember_answer(hand_over_work.idempotency_key, v_request, v_answer);
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
  -- Reassigned already under this key (an answer lost on its way back): the workflow as it is
  -- now, if it is the same request.
  if e.reassign_request_key = reassign_workflow.idempotency_key then
    if e.assigned_to is distinct from reassign_workflow.assignee_id then
      raise exception 'this key was used for a different request' using errcode = 'PT409',
        hint = 'Send a new idempotency_key for a new reassignment.';
    end if;
    return app.execution_summary(e.id);
  end if;
  v_new := app.require_assignable_person(e.org_id, reassign_workflow.assignee_id);
  if e.status = 'escalated' then
    raise exception 'Cannot reassign this workflow: it is escalated and waits for a decision' using errcode = 'PT409',
      hint = 'Decide the escalation with resolve_escalation and the decision reassign.';
  end if;
  if not app.is_open_status(e.status) then
    raise exception 'Cannot reassign this workflow: it is %', app.status_words(e.status) using errcode = 'PT409',
      hint = 'Closed workflows cannot change.';
  end if;
  if v_new.id = e.assigned_to then
    raise exception 'assignee_id is already the assignee of this workflow' using errcode = '22023';
  end if;
  begin
    update app.workflow_executions x
       set assigned_to = v_new.id,
           reassign_request_key = coalesce(reassign_workflow.idempotency_key, x.reassign_request_key),
           metadata = app.with_history(x.metadata, jsonb_build_object('event', 'reassigned', 'reason', v_reason,
                        'from_assignee', e.assigned_to, 'to_assignee', v_new.id))
     where x.id = e.id;
  exception when unique_violation then
    -- The key reassigned another workflow of the organisation.
    raise exception 'this key was used for a different request' using errcode = 'PT409',
      hint = 'Send a new idempotency_key for a new reassignment.';
  end;
  -- Its open tasks followed it (app.hand_open_tasks_to_assignee, a trigger); the new assignee
  -- hears of it from the assignment trigger, the previous one here.
  perform app.notify(e.org_id, e.assigned_to, 'workflow_assigned',
                     'Reassigned to ' || v_new.full_name || ': ' || app.execution_label(e), v_reason,
                     jsonb_build_object('execution_id', e.id, 'assignee_id', v_new.id, 'previous_assignee_id', e.assigned_to,
                                        'by', (select auth.uid())));
  return app.execution_summary(e.id);
end;
$$;
