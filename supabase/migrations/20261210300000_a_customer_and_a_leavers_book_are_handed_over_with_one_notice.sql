-- A manager or admin hands a customer to another CSM (reassign_customer), or a person's whole
-- book — customers, open workflows, open tasks — to one colleague at once (hand_over_work);
-- whoever takes it over is told once, with the counts, not once per item.
--
-- What and why (docs/escalation-loop.md "Who may do what", docs/admin.md "Deactivating
-- someone"):
-- - Nothing but a direct write of app.customers changed a customer's CSM, so a deactivated
--   person stayed the owner of their customers: Admin → People handed over their open
--   workflows and tasks one request per item, and every renewal the orchestrator opened next
--   for those customers opened unassigned (their CSM cannot take work). reassign_customer
--   changes the customer's CSM; its open workflows and their open tasks follow as they do for
--   any change of a customer's CSM (app.customers_keep_priorities_current,
--   app.hand_open_tasks_to_assignee: one rule, not copied here).
-- - A hand-over of 13 items sent 13 notifications (workflow_assigned, task_reassigned), one
--   per item. While a hand-over runs (app.handing_over_in_bulk, a transaction-local setting
--   these two functions set and clear), the per-item notices are left out, and each person
--   concerned gets one that says what moved: the one taking over ("Handed to you: Fabrikam
--   (2 workflows and 1 task)", with the customer, or the person whose work it was), and the
--   previous owner when they can still sign in ("Fabrikam was handed to …").
-- Who may: managers and admins (42501 for CSMs and viewers, as reassign_workflow); another
-- organisation's customer or person is PT404; the new owner must be able to take work
-- (app.require_person_who_can_take_work, 22023); a reason is required. Both are written to the
-- admin audit log (entity customer / person), and take an idempotency key (app.answer_under_key).
-- Restated whole from 20261204001000 (app.executions_notify_assignee) and 20261208602000
-- (app.hand_open_tasks_to_assignee); the bulk check is the only change in each.
-- Tests: supabase/tests/reassign_customer/a_customer_moves_to_another_csm_with_its_work.test.sql,
-- supabase/tests/people_deactivation/a_leavers_whole_book_is_handed_over_at_once.test.sql.

-- True while a hand-over moves many items at once: their one-per-item notices wait for its summary.
create function app.handing_over_in_bulk()
returns boolean
language plpgsql
stable
set search_path = ''
as $$
begin
  return coalesce(current_setting('renubu.hand_over_in_bulk', true), '') = 'on';
end;
$$;
revoke execute on function app.handing_over_in_bulk() from public, anon;
grant execute on function app.handing_over_in_bulk() to authenticated, service_role;

create or replace function app.executions_notify_assignee()
returns trigger
language plpgsql
security definer -- writes the assignee's notification on behalf of whoever changed the execution
set search_path = ''
as $$
declare
  v_me uuid := (select auth.uid());
  v_label text;
  v_by text;
  -- The orchestrator wakes what is due, also when a manager runs it by hand.
  v_scheduled boolean := v_me is null or coalesce(new.metadata -> 'history' -> -1 ->> 'by' = 'orchestrator', false);
begin
  if new.assigned_to is null or new.assigned_to is not distinct from v_me then
    return null;
  end if;
  select w.name || ' for ' || c.name into v_label
    from app.workflows w, app.customers c where w.id = new.workflow_id and c.id = new.customer_id;
  select p.full_name into v_by from app.profiles p where p.id = v_me;
  -- A hand-over in bulk tells of all it moved at once (app.notify_hand_over).
  if new.assigned_to is distinct from old.assigned_to and new.status in ('queued', 'in_progress', 'snoozed', 'escalated')
     and not app.handing_over_in_bulk() then
    insert into app.notifications (org_id, user_id, notification_type, title, body, data)
    values (new.org_id, new.assigned_to, 'workflow_assigned', 'Assigned to you: ' || v_label,
            coalesce(nullif(btrim(new.metadata -> 'history' -> -1 ->> 'reason'), ''),
                     'Assigned to you' || coalesce(' by ' || v_by, '') || '.'),
            jsonb_build_object('execution_id', new.id, 'assignee_id', new.assigned_to,
                               'previous_assignee_id', old.assigned_to, 'by', v_me));
  end if;
  if old.status = 'snoozed' and new.status in ('queued', 'in_progress') then
    insert into app.notifications (org_id, user_id, notification_type, title, body, data)
    values (new.org_id, new.assigned_to, 'workflow_woken', 'Back in your queue: ' || v_label,
            case when v_scheduled then 'Its snooze ended.' else 'Woken early' || coalesce(' by ' || v_by, '') || '.' end,
            jsonb_build_object('execution_id', new.id, 'snoozed_until', old.snoozed_until, 'early', not v_scheduled,
                               'by', v_me));
  end if;
  return null;
end;
$$;
revoke execute on function app.executions_notify_assignee() from public, anon;

-- The open tasks of workflow `e` that were `previous`'s go to its assignee, each with a notice
-- (none while a hand-over in bulk runs: it tells of them all at once).
create or replace function app.hand_open_tasks_to_assignee(e app.workflow_executions, previous uuid)
returns void
language plpgsql
set search_path = ''
as $$
declare
  v_change jsonb := e.metadata -> 'history' -> -1;
  v_reason text := case when v_change ->> 'to_assignee' = e.assigned_to::text then app.trimmed(v_change ->> 'reason') end;
  v_notify boolean := not app.handing_over_in_bulk();
  t app.workflow_tasks;
begin
  for t in
    update app.workflow_tasks x set assigned_to = e.assigned_to
     where x.execution_id = e.id and x.org_id = e.org_id and x.assigned_to = hand_open_tasks_to_assignee.previous
       and x.status in ('pending', 'in_progress', 'snoozed')
    returning x.*
  loop
    if v_notify then
      perform app.notify_task_handed_over(t, hand_open_tasks_to_assignee.previous,
                                          coalesce(v_reason, 'It came with its workflow, ' || app.execution_label(e) || '.'));
    end if;
  end loop;
end;
$$;

-- "2 customers, 3 workflows and 3 tasks": what a hand-over moved, the counts that are not 0.
create function app.hand_over_words(counts jsonb)
returns text
language plpgsql
immutable
set search_path = ''
as $$
declare
  v_parts text[] := array[]::text[];
  v_kind text;
  v_n integer;
begin
  foreach v_kind in array array['customer', 'workflow', 'task'] loop
    v_n := coalesce((hand_over_words.counts ->> (v_kind || 's'))::integer, 0);
    if v_n > 0 then
      v_parts := v_parts || (v_n || ' ' || v_kind || case when v_n = 1 then '' else 's' end);
    end if;
  end loop;
  if cardinality(v_parts) = 0 then
    return 'nothing open';
  end if;
  return case when cardinality(v_parts) = 1 then v_parts[1]
              else array_to_string(v_parts[1:cardinality(v_parts) - 1], ', ') || ' and ' || v_parts[cardinality(v_parts)] end;
end;
$$;
revoke execute on function app.hand_over_words(jsonb) from public, anon;
grant execute on function app.hand_over_words(jsonb) to authenticated, service_role;

-- The open workflows and open tasks `person` holds now (ids), to count what a hand-over gave them.
create function app.open_work_of(org_id uuid, person uuid, out workflow_ids uuid[], out task_ids uuid[])
language plpgsql
stable
set search_path = ''
as $$
begin
  select coalesce(array_agg(e.id), '{}') into workflow_ids
    from app.workflow_executions e
   where e.org_id = open_work_of.org_id and e.assigned_to = open_work_of.person
     and e.status in ('queued', 'in_progress', 'snoozed', 'escalated');
  select coalesce(array_agg(t.id), '{}') into task_ids
    from app.workflow_tasks t
   where t.org_id = open_work_of.org_id and t.assigned_to = open_work_of.person
     and t.status in ('pending', 'in_progress', 'snoozed');
end;
$$;
revoke execute on function app.open_work_of(uuid, uuid) from public, anon;
grant execute on function app.open_work_of(uuid, uuid) to authenticated, service_role;

-- Moves to `taker` the customers given (their open workflows and those workflows' open tasks
-- follow, by the customers' and workflows' triggers), and with `whole_book` every open workflow
-- and open task `previous` still holds; the per-item notices wait (app.handing_over_in_bulk).
-- Returns {customers, workflows, tasks}: what `taker` holds now that they did not before.
create function app.move_work_to(org_id uuid, previous uuid, taker uuid, customer_ids uuid[], whole_book boolean, reason text)
returns jsonb
language plpgsql
set search_path = ''
as $$
declare
  v_before record := app.open_work_of(move_work_to.org_id, move_work_to.taker);
  v_after record;
  v_customers integer;
begin
  -- Both workloads first, in a fixed order, as reassign_workflow takes them.
  perform app.lock_assignee_workload(x.id)
     from (select move_work_to.previous as id union select move_work_to.taker) x
    where x.id is not null
    order by x.id;
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
revoke execute on function app.move_work_to(uuid, uuid, uuid, uuid[], boolean, text) from public, anon;
grant execute on function app.move_work_to(uuid, uuid, uuid, uuid[], boolean, text) to authenticated, service_role;

-- The one notice each person gets of a hand-over: `taker` what came (`what`: the customer's
-- name, or whose work it was), `previous` where it went when they can still sign in. The
-- notice opens the customer when there is one (`customer_id`), else the queue.
create function app.notify_hand_over(org_id uuid, previous uuid, taker app.profiles, what text, counts jsonb,
                                     customer_id uuid, reason text)
returns void
language plpgsql
set search_path = ''
as $$
declare
  v_data jsonb := jsonb_strip_nulls(jsonb_build_object(
    'hand_over', notify_hand_over.counts, 'customer_id', notify_hand_over.customer_id,
    'assignee_id', (notify_hand_over.taker).id, 'previous_assignee_id', notify_hand_over.previous,
    'by', (select auth.uid())));
  v_words text := app.hand_over_words(notify_hand_over.counts);
begin
  perform app.notify(notify_hand_over.org_id, (notify_hand_over.taker).id, 'workflow_assigned',
                     'Handed to you: ' || notify_hand_over.what
                       || case when notify_hand_over.customer_id is null then ', ' || v_words else ' (' || v_words || ')' end,
                     notify_hand_over.reason, v_data);
  if app.can_take_work(notify_hand_over.org_id, notify_hand_over.previous) then
    perform app.notify(notify_hand_over.org_id, notify_hand_over.previous, 'workflow_assigned',
                       notify_hand_over.what || ' was handed to ' || (notify_hand_over.taker).full_name
                         || ' (' || v_words || ')',
                       notify_hand_over.reason, v_data);
  end if;
end;
$$;
revoke execute on function app.notify_hand_over(uuid, uuid, app.profiles, text, jsonb, uuid, text) from public, anon;
grant execute on function app.notify_hand_over(uuid, uuid, app.profiles, text, jsonb, uuid, text) to authenticated, service_role;

-- The new owner of a hand-over: an active CSM, manager or admin of the organisation (22023).
create function app.require_new_owner(org_id uuid, person_id uuid)
returns app.profiles
language plpgsql
stable
set search_path = ''
as $$
declare
  p app.profiles;
begin
  if require_new_owner.person_id is null then
    raise exception 'assignee_id is required: the person who takes the work over' using errcode = '22023';
  end if;
  perform app.require_person_who_can_take_work(require_new_owner.org_id, require_new_owner.person_id, 'assignee_id');
  select * into p from app.profiles x where x.id = require_new_owner.person_id;
  return p;
end;
$$;
revoke execute on function app.require_new_owner(uuid, uuid) from public, anon;
grant execute on function app.require_new_owner(uuid, uuid) to authenticated, service_role;

create function public.reassign_customer(customer_id uuid, assignee_id uuid, reason text, idempotency_key text default null)
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
  select * into c from app.customers x where x.id = reassign_customer.customer_id and x.org_id = app.current_org_id();
  if not found then
    raise exception 'Customer not found' using errcode = 'PT404',
      hint = 'Check the id; you can only see customers of your own organisation.';
  end if;
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
comment on function public.reassign_customer(uuid, uuid, text, text) is
  'Managers and admins: hands a customer to another CSM (an active CSM, manager or admin) with a reason; its open workflows and their open tasks follow. Returns {customer_id, assignee_id, assignee_name, previous_assignee_id, handed_over {customers, workflows, tasks}}; each person is told once.';
revoke execute on function public.reassign_customer(uuid, uuid, text, text) from public, anon;
grant execute on function public.reassign_customer(uuid, uuid, text, text) to authenticated;

create function public.hand_over_work(profile_id uuid, assignee_id uuid, reason text, idempotency_key text default null)
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
  select coalesce(array_agg(c.id order by c.id), '{}') into v_customers
    from app.customers c where c.org_id = v_from.org_id and c.assigned_to = v_from.id;
  v_counts := app.move_work_to(v_from.org_id, v_from.id, v_new.id, v_customers, true, v_reason);
  perform app.record_admin_change('person', v_from.id::text, 'hand_over', null,
                                  jsonb_build_object('assigned_to', v_new.id, 'reason', v_reason, 'handed_over', v_counts));
  if v_counts <> '{"customers": 0, "workflows": 0, "tasks": 0}'::jsonb then
    perform app.notify_hand_over(v_from.org_id, v_from.id, v_new, v_from.full_name || '''s work', v_counts, null, v_reason);
  end if;
  v_answer := jsonb_build_object('profile_id', v_from.id, 'assignee_id', v_new.id, 'assignee_name', v_new.full_name,
                                 'handed_over', v_counts);
  perform app.remember_answer(hand_over_work.idempotency_key, v_request, v_answer);
  return v_answer;
end;
$$;
comment on function public.hand_over_work(uuid, uuid, text, text) is
  'Managers and admins: hands everything a person holds — the customers they are CSM of, their open workflows and open tasks — to one active CSM, manager or admin, with a reason (a leaver''s book at once). Returns {profile_id, assignee_id, assignee_name, handed_over {customers, workflows, tasks}}; the new owner is told once.';
revoke execute on function public.hand_over_work(uuid, uuid, text, text) from public, anon;
grant execute on function public.hand_over_work(uuid, uuid, text, text) to authenticated;
