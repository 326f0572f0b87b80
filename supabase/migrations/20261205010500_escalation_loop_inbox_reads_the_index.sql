-- list_escalations reads the inbox through the index: the open escalations oldest first
-- (index order of workflow_escalations_org_id_status_idx) and, apart, the latest 500
-- resolved ones. Before, one sort over every escalation of the organisation came first,
-- which on the scale organisation (2 % of a million executions escalated) is most of them.
-- The function is otherwise that of 20261205010200.

create or replace function public.list_escalations(status text default 'open')
returns jsonb
language plpgsql
stable
set search_path = ''
as $$
declare
  v_org uuid := app.current_org_id();
  v_me uuid := (select auth.uid());
begin
  if v_org is null or coalesce(app.current_member_role(), '') not in ('manager', 'admin') then
    raise exception 'Only managers and admins see the escalations inbox' using errcode = '42501',
      hint = 'Your escalations are on the workflows themselves.';
  end if;
  if list_escalations.status is null or list_escalations.status not in ('open', 'resolved', 'all') then
    raise exception 'status must be one of: open, resolved, all' using errcode = '22023';
  end if;
  return coalesce((
    select jsonb_agg(jsonb_build_object(
             'id', x.id,
             'execution_id', x.execution_id,
             'status', x.status,
             'level', x.level,
             'reason', x.reason,
             'escalated_at', x.created_at,
             'age_hours', floor(extract(epoch from now() - x.created_at) / 3600)::integer,
             'age_days', floor(extract(epoch from now() - x.created_at) / 86400)::integer,
             'escalated_by', case when x.escalated_by is null then null
                                  else jsonb_build_object('id', x.escalated_by, 'full_name', pb.full_name) end,
             'assignee', case when x.assignee_id is null then null
                              else jsonb_build_object('id', x.assignee_id, 'full_name', pa.full_name) end,
             'manager', case when x.manager_id is null then null
                             else jsonb_build_object('id', x.manager_id, 'full_name', pm.full_name) end,
             'is_mine', x.manager_id = v_me,
             'execution_status', e.status,
             'workflow', jsonb_build_object('key', w.key, 'name', w.name, 'type', w.workflow_type),
             'customer', jsonb_build_object('id', c.id, 'name', c.name, 'arr', c.arr, 'health_score', c.health_score,
                                            'renewal_date', c.renewal_date, 'decision_date', c.decision_date,
                                            'renewal_stage', c.renewal_stage),
             'resolution', case when x.status = 'open' then null else jsonb_build_object(
                             'status', x.status, 'note', x.resolution_note, 'at', x.resolved_at,
                             'by', jsonb_build_object('id', x.resolved_by, 'full_name', pr.full_name),
                             'reassigned_to', case when x.reassigned_to is null then null
                                                   else jsonb_build_object('id', x.reassigned_to, 'full_name', pn.full_name) end) end)
           order by case when x.status = 'open' then x.created_at end asc nulls last, x.resolved_at desc)
      from ((select y.* from app.workflow_escalations y
               where y.org_id = v_org and y.status = 'open' and list_escalations.status in ('open', 'all')
               order by y.created_at
               limit 500)
            union all
            (select y.* from app.workflow_escalations y
              where y.org_id = v_org and y.status <> 'open' and list_escalations.status in ('resolved', 'all')
              order by y.resolved_at desc
              limit 500)) x
      join app.workflow_executions e on e.id = x.execution_id
      join app.workflows w on w.id = e.workflow_id
      join app.customers c on c.id = e.customer_id
      left join app.profiles pb on pb.id = x.escalated_by
      left join app.profiles pa on pa.id = x.assignee_id
      left join app.profiles pm on pm.id = x.manager_id
      left join app.profiles pr on pr.id = x.resolved_by
      left join app.profiles pn on pn.id = x.reassigned_to), '[]'::jsonb);
end;
$$;
comment on function public.list_escalations(text) is
  'Managers and admins: the organisation''s escalations (open oldest first, then resolved newest first) with customer, assignee, reason, age and resolution.';
revoke execute on function public.list_escalations(text) from public, anon;
grant execute on function public.list_escalations(text) to authenticated;

