-- A person's customers (those they are CSM of) are counted with their open work: on
-- Admin → People (list_people, app.person_json's `customers`) and in the work a deactivated
-- person leaves (app.person_open_work's `customers`, which update_person and
-- get_person_open_work answer). Before, a leaver who was CSM of customers but held no open
-- workflow or task showed nothing to hand over, so their customers stayed theirs and the
-- morning's new work for them went unassigned; hand_over_work moves those customers, and now
-- People offers it (docs/admin.md "Deactivating someone").

-- Restated from 20261206211000 with `customers`.
create or replace function app.person_json(p app.profiles)
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
begin
  return jsonb_build_object(
    'id', p.id, 'full_name', p.full_name, 'email', p.email, 'role', p.role, 'title', p.title,
    'experience_level', p.experience_level, 'manager_id', p.manager_id,
    'manager_name', (select m.full_name from app.profiles m where m.id = p.manager_id and m.org_id = p.org_id),
    'active', p.deactivated_at is null, 'deactivated_at', p.deactivated_at, 'created_at', p.created_at,
    'open_workflows', (select count(*)::integer from app.workflow_executions x
                        where x.org_id = p.org_id and x.assigned_to = p.id
                          and x.status in ('queued', 'in_progress', 'snoozed', 'escalated')),
    'open_tasks', (select count(*)::integer from app.workflow_tasks t
                    where t.org_id = p.org_id and t.assigned_to = p.id
                      and t.status in ('pending', 'in_progress', 'snoozed')),
    -- customers_org_id_assigned_to_idx
    'customers', (select count(*)::integer from app.customers c
                   where c.org_id = p.org_id and c.assigned_to = p.id));
end;
$$;

-- Restated from 20261204001200 with `customers`: how many customers the person is CSM of.
create or replace function app.person_open_work(p_person uuid, p_org uuid)
returns jsonb
language sql
stable
set search_path = ''
as $$
  select jsonb_build_object(
    'executions', coalesce((
      select jsonb_agg(jsonb_build_object(
               'id', x.id, 'status', x.status, 'workflow_name', w.name, 'workflow_key', w.key,
               'customer', jsonb_build_object('id', c.id, 'name', c.name))
             order by c.name, x.id)
        from app.workflow_executions x
        join app.customers c on c.id = x.customer_id and c.org_id = x.org_id
        left join app.workflows w on w.id = x.workflow_id
       where x.org_id = p_org and x.assigned_to = p_person
         and x.status in ('queued', 'in_progress', 'snoozed', 'escalated')), '[]'::jsonb),
    'tasks', coalesce((
      select jsonb_agg(jsonb_build_object(
               'id', t.id, 'title', t.title, 'status', t.status, 'due_date', t.due_date,
               'execution_id', t.execution_id,
               'customer', jsonb_build_object('id', c.id, 'name', c.name))
             order by t.due_date nulls last, t.id)
        from app.workflow_tasks t
        join app.customers c on c.id = t.customer_id and c.org_id = t.org_id
       where t.org_id = p_org and t.assigned_to = p_person
         and t.status in ('pending', 'in_progress', 'snoozed')), '[]'::jsonb),
    'customers', (select count(*)::integer from app.customers c
                   where c.org_id = p_org and c.assigned_to = p_person))
$$;
