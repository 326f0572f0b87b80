-- A customer's hand-over is audited with the customer's name, so Admin → Audit says "Reassign
-- customer Fabrikam" where it said the customer's id (an entry's subject is its `name`, as for
-- every entity without a page of its own: features/admin-people/auditWords.ts). The name is
-- in both sides and so is not listed as a change. Restated from 20261210601000.
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
                                  jsonb_build_object('name', c.name, 'assigned_to', c.assigned_to),
                                  jsonb_build_object('name', c.name, 'assigned_to', v_new.id, 'reason', v_reason, 'handed_over', v_counts));
  perform app.notify_hand_over(c.org_id, c.assigned_to, v_new, c.name, v_counts - 'customers', c.id, v_reason);
  v_answer := jsonb_build_object('customer_id', c.id, 'assignee_id', v_new.id, 'assignee_name', v_new.full_name,
                                 'previous_assignee_id', c.assigned_to, 'handed_over', v_counts);
  perform app.remember_answer(reassign_customer.idempotency_key, v_request, v_answer);
  return v_answer;
end;
$$;
