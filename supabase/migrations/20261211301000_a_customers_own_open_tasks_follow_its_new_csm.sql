-- A customer's new CSM takes along the customer's open tasks its previous CSM held that are on
-- no open workflow (docs/escalation-loop.md "Who may do what").
--
-- What and why: when a customer changed hands (reassign_customer, an admin's edit, an ingested
-- csm_email), its open workflows followed the new CSM and their open tasks with them
-- (app.customers_keep_priorities_current, app.hand_open_tasks_to_assignee), but the
-- customer's own tasks — follow-ups created on the customer page, and those a workflow left
-- open when it completed with tasks pending — stayed with the previous CSM. Handed Fabrikam
-- because Sam is on leave, Casey never saw "Renewal lunch" and Sam's task list kept it; for a
-- leaver's customer handed over one by one it stayed with someone who cannot sign in.
-- Now, whenever a customer's CSM changes to someone who can take work, its open tasks that the
-- previous CSM held and that are on no open workflow (those follow their workflow, as before)
-- go to the new CSM: each with its task_reassigned notice, or, in a hand-over
-- (app.handing_over_in_bulk), counted in its one notice, its answer and its audit entry, since
-- app.move_work_to counts every open task the new owner gained. Tasks someone else holds, and
-- done ones, stay. hand_over_work already moves every open task the person holds.
-- A row trigger (a change of CSM only), beside the statement trigger that moves the workflows.
-- supabase/tests/reassign_customer/the_customers_own_open_tasks_follow_its_new_csm.test.sql.

-- The open tasks of customer `c` that `previous` held on no open workflow go to its CSM, each
-- told unless a hand-over tells of them all at once.
create function app.hand_customer_tasks_to_csm(c app.customers, previous uuid)
returns void
language plpgsql
set search_path = ''
as $$
declare
  v_notify boolean := not app.handing_over_in_bulk();
  t app.workflow_tasks;
begin
  if not app.can_take_work(c.org_id, c.assigned_to) then
    return;  -- a viewer, a deactivated person: the tasks wait with their holder for a hand-over
  end if;
  for t in
    update app.workflow_tasks x set assigned_to = c.assigned_to
     where x.customer_id = c.id and x.org_id = c.org_id and x.assigned_to = hand_customer_tasks_to_csm.previous
       and x.status in ('pending', 'in_progress', 'snoozed')
       and not exists (select 1 from app.workflow_executions e
                        where e.id = x.execution_id and e.org_id = x.org_id and app.is_open_status(e.status))
    returning x.*
  loop
    if v_notify then
      perform app.notify_task_handed_over(t, hand_customer_tasks_to_csm.previous, 'It came with its customer, ' || c.name || '.');
    end if;
  end loop;
end;
$$;
revoke execute on function app.hand_customer_tasks_to_csm(app.customers, uuid) from public, anon;
grant execute on function app.hand_customer_tasks_to_csm(app.customers, uuid) to authenticated, service_role;

create function app.customers_open_tasks_follow_csm()
returns trigger
language plpgsql
security definer -- the tasks move whoever changed the customer's CSM (a manager, an admin's edit, the ingest)
set search_path = ''
as $$
begin
  perform app.hand_customer_tasks_to_csm(new, old.assigned_to);
  return null;
end;
$$;
revoke execute on function app.customers_open_tasks_follow_csm() from public, anon, authenticated;

create trigger customers_open_tasks_follow_csm
  after update of assigned_to on app.customers
  for each row
  when (old.assigned_to is not null and new.assigned_to is not null and old.assigned_to is distinct from new.assigned_to)
  execute function app.customers_open_tasks_follow_csm();

comment on function public.reassign_customer(uuid, uuid, text, text) is
  'Managers and admins: hands a customer to another CSM (an active CSM, manager or admin) with a reason; its open workflows with their open tasks, and its own open tasks its previous CSM held, follow. Returns {customer_id, assignee_id, assignee_name, previous_assignee_id, handed_over {customers, workflows, tasks}}; each person is told once.';
