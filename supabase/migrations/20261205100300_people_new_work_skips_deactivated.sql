-- New workflows for a deactivated person's customers are opened unassigned.
--
-- Why: the orchestrator (and create_workflow_execution without an assignee) gives a new
-- workflow to the customer's CSM. Once that CSM is deactivated they can no longer sign in,
-- so each new renewal for their customers would sit in a queue nobody sees until an admin
-- reassigns the customers. Unassigned work is visible to the team and any csm may take it.
--
-- Fix: a BEFORE INSERT trigger that clears an assignee who has been deactivated (the same
-- rule as 20261205100100 for reassignments, which refuse instead: there a person chose the
-- assignee, here the customer's stale assignment did). Nothing else about the row changes.

create or replace function app.unassign_new_work_of_deactivated()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if exists (select 1 from app.profiles p where p.id = new.assigned_to and p.deactivated_at is not null) then
    new.assigned_to := null;
  end if;
  return new;
end;
$$;
comment on function app.unassign_new_work_of_deactivated() is
  'Trigger: a new workflow for a deactivated person is opened unassigned, for the team to pick up.';
revoke execute on function app.unassign_new_work_of_deactivated() from public, anon;

create trigger workflow_executions_new_work_skips_deactivated
  before insert on app.workflow_executions
  for each row when (new.assigned_to is not null)
  execute function app.unassign_new_work_of_deactivated();
