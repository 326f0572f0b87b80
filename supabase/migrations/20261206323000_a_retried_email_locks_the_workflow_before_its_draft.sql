-- Retrying a failed email locks its workflow before its draft, as sending it does
-- (docs/workflow-engine.md "Locks").
--
-- What a person saw before: a manager pressed Retry on a failed email (Sent mail) while the
-- CSM sent the same draft again (Send Email, "Send it again"), and one of them failed with a
-- deadlock (40P01, a 500). retry_outbox_message locked the draft, then the send, then wrote
-- the workflow's history (its execution row); execute_action's send_email takes the
-- workflow's locks first (the assignee's workload, then the execution row) and the draft
-- after them. Each held what the other waited for.
--
-- Now: the retry takes the workflow's locks (app.lock_execution, which also asks again who
-- may act once they are held) before the draft, so a retry and a send take turns and the
-- second sees what the first did: a send after the retry finds the email on its way and is
-- refused without resend; a retry after a resend is refused as "sent again since it
-- failed". An email with no workflow (Renubu's own mail) has no workflow to lock. Restated
-- whole from 20261205221000_email_goes_out_as_approved.sql; the lock is the only change.
-- tests/integration/email-retry-races.test.ts holds the race open.
create or replace function public.retry_outbox_message(outbox_id uuid)
returns jsonb
language plpgsql
volatile
set search_path = ''
as $$
declare
  o app.email_outbox;
  v_role text := app.current_member_role();
begin
  if retry_outbox_message.outbox_id is null then
    raise exception 'outbox_id is required' using errcode = '22023';
  end if;
  -- Visible first (a plain read), then allowed, then locked: FOR UPDATE would apply the
  -- update policy and answer "not found" where the truth is "not yours".
  select * into o from app.email_outbox x where x.id = retry_outbox_message.outbox_id;
  if not found then
    raise exception 'Email not found' using errcode = 'PT404',
      hint = 'Check the id; you can only see your own organisation''s email.';
  end if;
  if coalesce(v_role, '') not in ('csm', 'manager', 'admin')
     or (v_role = 'csm' and (o.execution_id is null or not app.can_work_on_execution(o.execution_id))) then
    raise exception 'You may not send this email' using errcode = '42501',
      hint = 'The CSM of its workflow, a manager or an admin can retry it.';
  end if;
  -- The workflow first (its assignee's workload, then its row), as a send of the draft
  -- takes them: taken after the draft, a send waiting for the draft deadlocked with this.
  if o.execution_id is not null then
    perform app.lock_execution(o.execution_id, 'send email on');
  end if;
  -- The draft next, then the row: an edit, a withdrawal or a delete of the draft (which
  -- lock the draft, then its sends) waits for this retry or makes it wait, never both.
  if o.artifact_id is not null then
    perform 1 from app.workflow_task_artifacts a where a.id = o.artifact_id and a.org_id = o.org_id for update;
  end if;
  select * into o from app.email_outbox x where x.id = o.id for update;
  if o.status <> 'failed' then
    raise exception 'Only a failed email can be retried; this one is %', case o.status
        when 'queued' then 'queued' when 'sending' then 'being sent' when 'cancelled' then 'cancelled' else 'already sent' end
      using errcode = 'PT409', hint = 'Sent mail shows its current status.';
  end if;
  if o.artifact_id is not null and exists (
       select 1 from app.email_outbox y
        where y.artifact_id = o.artifact_id and y.id <> o.id and y.created_at > o.created_at
          and y.status in ('queued', 'sending', 'sent', 'delivered_to_sink')) then
    raise exception 'This email was sent again since it failed' using errcode = 'PT409',
      hint = 'Retrying would deliver it twice; see the newer message in Sent mail.';
  end if;
  -- A retry is sending: an escalated workflow waits for a decision, as execute_action says.
  if app.email_waits_for_a_decision(o.execution_id) then
    raise exception 'Cannot send this email now: its workflow is escalated and waits for a decision' using errcode = 'PT409',
      hint = app.escalated_hint();
  end if;

  update app.email_outbox x
     set status = 'queued', attempts = 0, next_attempt_at = now(), lease_token = null, lease_expires_at = null,
         last_error = 'Retried after: ' || left(coalesce(x.last_error, 'a failure'), 480)
   where x.id = o.id
  returning x.* into o;
  perform app.sync_retried_email_effect(o.id);
  if o.execution_id is not null then
    update app.workflow_executions e
       set metadata = app.with_history(e.metadata, jsonb_build_object('event', 'email_retried', 'outbox_id', o.id))
     where e.id = o.execution_id and app.can_work_on_execution(e.id);
  end if;
  return jsonb_build_object('id', o.id, 'status', o.status, 'attempts', o.attempts, 'next_attempt_at', o.next_attempt_at,
                            'last_error', o.last_error, 'artifact_id', o.artifact_id, 'execution_id', o.execution_id);
end;
$$;

comment on function public.retry_outbox_message(uuid) is
  'Re-queues a failed email (attempts start again) for the scheduled drain; only for those who may send it, never after it was re-sent, never on an escalated workflow.';
revoke execute on function public.retry_outbox_message(uuid) from public, anon;
grant execute on function public.retry_outbox_message(uuid) to authenticated;
