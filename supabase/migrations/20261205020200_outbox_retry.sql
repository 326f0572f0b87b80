-- A failed email can be retried from Sent mail (issue 12 item 6; docs/branches-and-proposals.md "Email: sent
-- once": after the last backoff attempt a message is `failed`, "shown in Sent mail with a
-- retry button").
--
--   failed ──retry_outbox_message──► queued (attempts 0, due now) ──drain──► sending ──► sent | …
--
-- Who: the people who may send it — the CSM who can work on its workflow, a manager or an
-- admin of its organisation (viewers and other CSMs: 42501; another organisation: PT404).
-- Guard first: the row is locked, must be `failed` (anything else is PT409 with what it
-- is), and is refused when the same draft has been sent again since (a deliberate resend
-- is queued, on its way or delivered): retrying then would deliver the email twice.
-- The send_email side effect of its action log follows (pending again), through a
-- security definer helper because users cannot write the action log.

create or replace function app.sync_retried_email_effect(outbox_id uuid)
returns void
language plpgsql
volatile
security definer -- users cannot write the action log; this only re-syncs a row the caller just re-queued
set search_path = ''
as $$
declare
  o app.email_outbox;
begin
  select * into o from app.email_outbox x
   where x.id = sync_retried_email_effect.outbox_id and x.org_id = app.current_org_id()
     and x.status = 'queued' and x.attempts = 0;
  if found then
    perform app.sync_send_email_effect(o);
  end if;
end;
$$;
revoke execute on function app.sync_retried_email_effect(uuid) from public, anon;
grant execute on function app.sync_retried_email_effect(uuid) to authenticated;

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
  'Re-queues a failed email (attempts start again) for the scheduled drain; only for those who may send it, never after it was re-sent.';
revoke execute on function public.retry_outbox_message(uuid) from public, anon;
grant execute on function public.retry_outbox_message(uuid) to authenticated;
