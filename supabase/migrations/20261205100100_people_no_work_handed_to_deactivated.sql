-- No workflow or task is handed to a deactivated person.
--
-- Why: a deactivated person can no longer sign in or see anything (20261205100000), yet
-- reassign_workflow, act_on_task's reassign and resolve_escalation's reassign checked only
-- that the new assignee was a csm, manager or admin of the organisation. Work given to a
-- leaver sits unseen: nobody's queue shows it as theirs to do.
--
-- Fix for the class: a trigger on both tables that hold an assignee refuses (22023) any
-- change of assigned_to to a deactivated profile made by a signed-in person, whatever RPC
-- makes it. New rows are left alone on purpose: the orchestrator opens work for a customer's
-- CSM (the customer's own assignment), and that is a hand-over for the admin to do after a
-- deactivation, not a reason to stop the daily run.

create or replace function app.refuse_assignment_to_deactivated()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if (select auth.uid()) is not null
     and new.assigned_to is not null
     and exists (select 1 from app.profiles p where p.id = new.assigned_to and p.deactivated_at is not null) then
    raise exception 'That person has been deactivated and cannot take work' using errcode = '22023',
      hint = 'Assign it to an active member of your organisation.';
  end if;
  return new;
end;
$$;
comment on function app.refuse_assignment_to_deactivated() is
  'Trigger: a person cannot hand a workflow or task to a deactivated profile (22023).';
revoke execute on function app.refuse_assignment_to_deactivated() from public, anon;

create trigger workflow_executions_not_to_a_deactivated_person
  before update of assigned_to on app.workflow_executions
  for each row when (new.assigned_to is distinct from old.assigned_to)
  execute function app.refuse_assignment_to_deactivated();

create trigger workflow_tasks_not_to_a_deactivated_person
  before update of assigned_to on app.workflow_tasks
  for each row when (new.assigned_to is distinct from old.assigned_to)
  execute function app.refuse_assignment_to_deactivated();
