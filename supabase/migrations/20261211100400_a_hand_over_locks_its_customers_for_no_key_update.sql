-- The hand-overs lock the customers they move `for no key update`, as every other writer of a
-- customer does (docs/workflow-engine.md, "Customer before its renewals").
--
-- What and why: reassign_customer (app.lock_customer_to_hand_over) and hand_over_work locked
-- the customers `for update`, which refuses the key share every row pointing at a customer
-- takes through its foreign key. Someone acting on one of the customer's workflows that the
-- hand-over brings along (an unassigned one: no workload lock to wait at) held that workflow,
-- the hand-over held the customer and waited for the workflow, and the action's next row for
-- the customer (a task, a log entry) waited for the customer: 40P01, the hand-over answering
-- 500 (tests/integration/hand-overs-never-deadlock.test.ts). `for no key update` is what the
-- UPDATE of assigned_to takes anyway, so hand-overs still go one at a time, and a row
-- pointing at the customer no longer waits for them.
-- supabase/tests/structure/customers_are_locked_for_no_key_update.test.sql holds every
-- function to it. Restated from 20261211100300 with only the lock's strength changed.

create or replace function app.lock_customer_to_hand_over(customer_id uuid, taker uuid)
returns app.customers
language plpgsql
set search_path = ''
as $$
declare
  c app.customers;
  v_owner uuid;
begin
  -- No other hand-over moves a customer while this one holds the turn: the CSM read below is
  -- the one to lock, and its workload is taken in order with the taker's.
  perform app.lock_hand_overs_of(app.current_org_id());
  select x.assigned_to into v_owner from app.customers x
   where x.id = lock_customer_to_hand_over.customer_id and x.org_id = app.current_org_id();
  if found then
    perform app.lock_workloads_of(v_owner, lock_customer_to_hand_over.taker);
    select * into c from app.customers x
     where x.id = lock_customer_to_hand_over.customer_id and x.org_id = app.current_org_id()
       for no key update;
  end if;
  if c.id is null then
    raise exception 'Customer not found' using errcode = 'PT404',
      hint = 'Check the id; you can only see customers of your own organisation.';
  end if;
  if c.assigned_to is distinct from v_owner then
    -- Changed by something other than a hand-over while this one waited (an ingested
    -- csm_email): its new CSM's workload is not held, and taking it now would be out of order.
    raise exception 'This customer''s CSM changed while you were handing it over' using errcode = 'PT409',
      hint = 'Nothing was changed. Open it again and retry.';
  end if;
  return c;
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
  -- Their customers as they are once no other hand-over can move them: the organisation's
  -- hand-overs, then the workloads, then the customers.
  perform app.lock_hand_overs_of(v_from.org_id);
  perform app.lock_workloads_of(v_from.id, v_new.id);
  select coalesce(array_agg(x.id order by x.id), '{}') into v_customers
    from (select c.id from app.customers c where c.org_id = v_from.org_id and c.assigned_to = v_from.id
           order by c.id for no key update) x;
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
