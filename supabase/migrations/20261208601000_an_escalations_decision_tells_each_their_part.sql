-- An escalation's decision tells each person their part: "Returned to you with guidance" goes to
-- the workflow's assignee only.
--
-- What and why (docs/escalation-loop.md "Notifications"): app.notify_escalation_decision wrote
-- one title to the assignee and to whoever raised the escalation, so when a manager or admin
-- had escalated a CSM's work and another manager returned it, the one who raised it was told
-- "Returned to you with guidance" about work that is not theirs. Now the one who raised it (when
-- not the assignee, and not the one who decided: app.notify tells nobody of their own action)
-- reads what happened to whom: "Returned to Sam Lee with guidance: …", "Reassigned to …: …",
-- "Closed by Maria: …". A close names who closed it to both, as any manager or admin may decide
-- (it said "Closed by your manager", also when the decider was not theirs).
-- Restated whole from its newest definition (20261204000500_workflows_and_steps.sql).
-- Test: supabase/tests/resolve_escalation/a_decision_tells_each_their_part.test.sql.

create or replace function app.notify_escalation_decision(
  e app.workflow_executions, esc app.workflow_escalations, decision text, note text, new_assignee app.profiles)
returns void
language plpgsql
set search_path = ''
as $$
declare
  v_to uuid := coalesce(e.assigned_to, esc.assignee_id);
  v_label text := app.execution_label(e);
  v_closed_by text := 'Closed by ' || coalesce((select p.full_name from app.profiles p where p.id = (select auth.uid())),
                                               'a manager') || ': ';
  v_data jsonb := jsonb_build_object('execution_id', e.id, 'escalation_id', esc.id, 'decision', decision,
                                     'by', (select auth.uid()), 'assignee_id', coalesce(new_assignee.id, e.assigned_to));
begin
  -- The assignee: their work is back, with someone else, or closed.
  perform app.notify(e.org_id, v_to, 'escalation_resolved',
                     case decision
                       when 'return' then 'Returned to you with guidance: '
                       when 'reassign' then 'Reassigned to ' || new_assignee.full_name || ': '
                       else v_closed_by end || v_label,
                     note, v_data);
  -- Whoever raised it about someone else's work: what became of it, and whose it is.
  if esc.escalated_by is distinct from v_to then
    perform app.notify(e.org_id, esc.escalated_by, 'escalation_resolved',
                       case decision
                         when 'return' then 'Returned to ' || coalesce((select p.full_name from app.profiles p where p.id = v_to),
                                                                       'its assignee') || ' with guidance: '
                         when 'reassign' then 'Reassigned to ' || new_assignee.full_name || ': '
                         else v_closed_by end || v_label,
                       note, v_data);
  end if;
end;
$$;
