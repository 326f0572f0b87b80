-- A workflow called off sends nothing more; what a finished one sent goes out once
-- (docs/business-rules.md "Email is sent once").
--
-- What and why: a send's delivery outlives the request that queued it (the outbox drain, and
-- the send pressed again under its key, execute-action's replay, deliver what is due), and
-- neither asked what had become of the workflow. An email whose first attempt failed waited
-- for its retry; the CSM cancelled the workflow (or a manager closed the escalation that held
-- it), and a minute later the customer got the mail of work that had been called off.
-- The rule, by how the workflow ended:
-- - cancelled (a person called it off: cancel_workflow, a manager's `close`): its mail not yet
--   out is cancelled when it is cancelled, with the reason "Its workflow was cancelled before
--   it went out" on the row and the send's side effect, as withdrawing an approval stops a
--   send (app.cancel_unsent_email); Sent mail shows it cancelled and nothing retries it (Retry
--   is for failed copies only). A copy being delivered at that moment cannot be recalled: it
--   goes out, or, if that attempt fails, it is cancelled instead of queued again
--   (app.email_outbox_of_a_cancelled_workflow_stays_unsent, on every path that puts a row back:
--   a failed attempt, an expired lease).
-- - completed, skipped, superseded: the work was done (or the orchestrator moved it on); an
--   email approved and sent while it was open goes out, once, by the drain or a replay, and a
--   failed one may be retried: nothing approved is lost. A new send or a resend is refused on
--   any closed workflow, as before (execute_action, PT409 "Closed workflows cannot change.").
-- Emails of workflows cancelled before this migration that still wait are cancelled now.
-- supabase/tests/outbox/a_cancelled_workflows_mail_stays_unsent.test.sql,
-- tests/integration/execute-action.test.ts ("a send replayed after its workflow was cancelled").

create function app.cancelled_workflows_mail_reason()
returns text
language plpgsql
immutable
set search_path = ''
as $$
begin
  return 'Its workflow was cancelled before it went out';
end;
$$;
revoke execute on function app.cancelled_workflows_mail_reason() from public, anon;
grant execute on function app.cancelled_workflows_mail_reason() to authenticated, service_role;

-- Cancels the mail of this workflow not yet out (queued or failed), draft by draft, through the
-- one rule that cancels a draft's sends (its side effects follow). Returns how many.
create function app.cancel_unsent_email_of_workflow(execution_id uuid)
returns integer
language plpgsql
volatile
security definer -- every queued copy, whoever may read it; callers (the cancel's trigger) checked access
set search_path = ''
as $$
declare
  v_art record;
  n integer := 0;
begin
  for v_art in
    select distinct o.artifact_id, o.org_id from app.email_outbox o
     where o.execution_id = cancel_unsent_email_of_workflow.execution_id and o.status in ('queued', 'failed')
       and o.artifact_id is not null
  loop
    n := n + app.cancel_unsent_email(v_art.artifact_id, v_art.org_id, array['queued', 'failed'],
                                     app.cancelled_workflows_mail_reason());
  end loop;
  return n;
end;
$$;
revoke execute on function app.cancel_unsent_email_of_workflow(uuid) from public, anon;
grant execute on function app.cancel_unsent_email_of_workflow(uuid) to authenticated, service_role;

create function app.cancelled_workflows_mail_is_cancelled()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  perform app.cancel_unsent_email_of_workflow(new.id);
  return null;
end;
$$;
revoke execute on function app.cancelled_workflows_mail_is_cancelled() from public, anon, authenticated;
create trigger workflow_executions_cancelled_mail_is_cancelled
  after update of status on app.workflow_executions
  for each row
  when (new.status = 'cancelled' and old.status is distinct from 'cancelled')
  execute function app.cancelled_workflows_mail_is_cancelled();

-- A copy that was being delivered when its workflow was cancelled, and whose attempt then
-- failed (or whose lease expired), is cancelled rather than put back for another attempt.
create function app.email_outbox_of_a_cancelled_workflow_stays_unsent()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if exists (select 1 from app.workflow_executions e where e.id = new.execution_id and e.status = 'cancelled') then
    new.status := 'cancelled';
    new.last_error := app.cancelled_workflows_mail_reason();
    new.lease_token := null;
    new.lease_expires_at := null;
  end if;
  return new;
end;
$$;
revoke execute on function app.email_outbox_of_a_cancelled_workflow_stays_unsent() from public, anon, authenticated;
create trigger email_outbox_of_a_cancelled_workflow_stays_unsent
  before update of status on app.email_outbox
  for each row
  when (new.status in ('queued', 'failed') and old.status is distinct from new.status and new.execution_id is not null)
  execute function app.email_outbox_of_a_cancelled_workflow_stays_unsent();

-- What already waits on a workflow cancelled before today.
do $$
begin
  perform app.cancel_unsent_email_of_workflow(e.id)
     from app.workflow_executions e
    where e.status = 'cancelled'
      and exists (select 1 from app.email_outbox o where o.execution_id = e.id and o.status in ('queued', 'failed'));
end;
$$;
