-- A customer's or a person's hand-over reads the work it moves after taking the locks that
-- keep other hand-overs out (docs/admin.md "Deactivating someone", docs/workflow-engine.md
-- "Lock order").
--
-- What and why: reassign_customer and hand_over_work (20261210300000) read the customer, the
-- person's customers and what the new owner already held before app.move_work_to took the
-- workloads' locks. A second hand-over sent while one was being applied (a double click
-- without a key, two managers at once) waited for those locks and went on with what it had
-- read before: four identical requests answered 200 four times, each with the first's
-- workflows as its own ("4 workflows"), four audit entries and eight notifications; a
-- customer another manager had just given to someone else was recorded and announced as
-- handed over by its previous CSM, and the one who lost it was not told.
-- Now:
-- - app.move_work_to counts what the new owner held before once it holds the locks;
-- - reassign_customer locks the customer's row after both workloads and asks again on it:
--   handed meanwhile to the one it is sent to, it is 22023 "already the CSM", as when sent
--   after; handed to someone else, it is handed over from them, and they are told;
-- - hand_over_work takes both workloads before it lists the person's customers (locked,
--   sorted), and a hand-over that found nothing left to move writes no audit entry and tells
--   no one (it answers its zero counts).
-- The order is the one every writer takes: workloads (sorted), then customers (sorted).
-- Restated from 20261210300000; the locks and the re-reads are the only changes.
-- tests/integration/hand-overs-at-once.test.ts holds each race open.

-- Takes the workload locks of two people (either may be null) in one order, as every writer
-- of their work does first.
create function app.lock_workloads_of(one uuid, other uuid)
returns void
language plpgsql
set search_path = ''
as $$
begin
  perform app.lock_assignee_workload(x.id)
     from (select lock_workloads_of.one as id union select lock_workloads_of.other) x
    where x.id is not null
    order by x.id;
end;
$$;
revoke execute on function app.lock_workloads_of(uuid, uuid) from public, anon;
grant execute on function app.lock_workloads_of(uuid, uuid) to authenticated, service_role;

create or replace function app.move_work_to(org_id uuid, previous uuid, taker uuid, customer_ids uuid[], whole_book boolean, reason text)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_before record;
  v_after record;
  v_customers integer;
begin
  -- Both workloads first, in a fixed order, as reassign_workflow takes them; what the taker
  -- held before is read under them, so another hand-over's work is not counted as this one's.
  perform app.lock_workloads_of(move_work_to.previous, move_work_to.taker);
  v_before := app.open_work_of(move_work_to.org_id, move_work_to.taker);
  perform pg_catalog.set_config('renubu.hand_over_in_bulk', 'on', true);
  update app.customers c set assigned_to = move_work_to.taker
   where c.org_id = move_work_to.org_id and c.id = any (move_work_to.customer_ids)
     and c.assigned_to is distinct from move_work_to.taker;
  get diagnostics v_customers = row_count;
  if move_work_to.whole_book then
    update app.workflow_executions x
       set assigned_to = move_work_to.taker,
           metadata = app.with_history(x.metadata, jsonb_build_object('event', 'reassigned', 'reason', move_work_to.reason,
                        'from_assignee', move_work_to.previous, 'to_assignee', move_work_to.taker))
     where x.org_id = move_work_to.org_id and x.assigned_to = move_work_to.previous
       and x.status in ('queued', 'in_progress', 'snoozed', 'escalated');
    update app.workflow_tasks t set assigned_to = move_work_to.taker
     where t.org_id = move_work_to.org_id and t.assigned_to = move_work_to.previous
       and t.status in ('pending', 'in_progress', 'snoozed');
  end if;
  perform pg_catalog.set_config('renubu.hand_over_in_bulk', '', true);
  v_after := app.open_work_of(move_work_to.org_id, move_work_to.taker);
  return jsonb_build_object(
    'customers', v_customers,
    'workflows', (select count(*)::integer from unnest(v_after.workflow_ids) i where i <> all (v_before.workflow_ids)),
    'tasks', (select count(*)::integer from unnest(v_after.task_ids) i where i <> all (v_before.task_ids)));
end;
$$;

-- Customer `customer_id` of the caller's organisation, its row locked after the workloads of
-- its CSM and of `taker`, and read again: another hand-over may have moved it while this one
-- waited, and then the lock held must be its new CSM's. Not found: PT404.
create function app.lock_customer_to_hand_over(customer_id uuid, taker uuid)
returns app.customers
language plpgsql
set search_path = ''
as $$
declare
  c app.customers;
  v_owner uuid;
begin
  loop
    select x.assigned_to into v_owner from app.customers x
     where x.id = lock_customer_to_hand_over.customer_id and x.org_id = app.current_org_id();
    if found then
      perform app.lock_workloads_of(v_owner, lock_customer_to_hand_over.taker);
      select * into c from app.customers x
       where x.id = lock_customer_to_hand_over.customer_id and x.org_id = app.current_org_id()
         for update;
    end if;
    if c.id is null then
      raise exception 'Customer not found' using errcode = 'PT404',
        hint = 'Check the id; you can only see customers of your own organisation.';
    end if;
    exit when c.assigned_to is not distinct from v_owner;
  end loop;
  return c;
end;
$$;
revoke execute on function app.lock_customer_to_hand_over(uuid, uuid) from public, anon;
grant execute on function app.lock_customer_to_hand_over(uuid, uuid) to authenticated, service_role;

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
