-- An open escalation follows its workflow's assignee: when an escalated workflow goes to
-- another person by any path but the manager's decision (a customer handed to another CSM,
-- an ingested csm_email, a deactivated person's work handed over), the escalation's
-- assignee becomes that person.
--
-- What and why: a customer's new CSM takes its open work along, an escalated workflow
-- included (app.customers_keep_priorities_current), but the escalation kept the previous
-- CSM as its assignee. The manager's inbox named the previous CSM; the new assignee, who may
-- withdraw an escalation of their workflow (docs/escalation-loop.md "Who may do what"), was
-- answered PT409 "its escalation is not on record" (the escalations' write policy lets an
-- escalation's assignee settle it, and that was still the previous CSM), so only a manager
-- could end the hold. The workflow's decision (resolve_escalation) closes the escalation
-- before it changes the assignee, so the trigger never sees it: the escalation is no longer
-- open then, and the workflow no longer escalated.
--
-- - app.executions_escalation_follows_assignee, an AFTER UPDATE OF assigned_to row trigger
--   on app.workflow_executions for rows that stay escalated; security definer because
--   whoever moved the workflow (an admin editing a customer, the ingest) need not be one
--   the escalations' write policy admits. Unassigned work keeps the escalation's last
--   assignee (who it was escalated for).
-- supabase/tests/escalation_hold/an_escalation_follows_its_workflow_to_the_customers_new_csm.test.sql.

create or replace function app.executions_escalation_follows_assignee()
returns trigger
language plpgsql
security definer -- the escalation row follows whoever the workflow went to, whoever moved it
set search_path = ''
as $$
begin
  update app.workflow_escalations x
     set assignee_id = new.assigned_to
   where x.execution_id = new.id and x.org_id = new.org_id and x.status = 'open'
     and x.assignee_id is distinct from new.assigned_to;
  return null;
end;
$$;
comment on function app.executions_escalation_follows_assignee() is
  'An escalated workflow handed to another person (not by the manager''s decision) takes its open escalation along: the escalation''s assignee becomes theirs.';
revoke execute on function app.executions_escalation_follows_assignee() from public, anon, authenticated;

create trigger workflow_executions_escalation_follows_assignee
  after update of assigned_to on app.workflow_executions
  for each row when (old.status = 'escalated' and new.status = 'escalated'
                     and new.assigned_to is not null and new.assigned_to is distinct from old.assigned_to)
  execute function app.executions_escalation_follows_assignee();
