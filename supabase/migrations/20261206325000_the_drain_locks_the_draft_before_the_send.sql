-- The drain records a delivery locking the draft before the send, as every other writer of
-- a draft's sends does (docs/business-rules.md "Email is sent once").
--
-- What could happen before: complete_outbox_message (the drain, or execute-action, after the
-- mail server took the message) locked the outbox row, then wrote the draft's sent time;
-- a retry (retry_outbox_message), a withdrawal of the approval, an edit or a delete of the
-- draft lock the draft, then its sends. A retry pressed on a stale Sent mail page while the
-- drain recorded the delivery held the draft and waited for the send, while the drain held
-- the send and waited for the draft: a deadlock (40P01). When the drain was its victim,
-- the delivered email stayed `sending` until its lease expired, went back to the queue and
-- was delivered a second time; otherwise the person saw a 500.
--
-- Now: complete_outbox_message locks the draft first (`for no key update`: the sent time is
-- not a key), then the outbox row, so the two take turns: the delivery is recorded, and the
-- retry then finds the email sent (PT409). Restated whole from
-- 20261204000600_actions_and_outbox.sql; the draft's lock is the only change.
-- tests/integration/email-retry-races.test.ts holds the race open.

create or replace function public.complete_outbox_message(
  outbox_id uuid,
  lease_token uuid,
  delivery_status text,
  error_message text default null,
  provider_message_id text default null
)
returns jsonb
language plpgsql
volatile
set search_path = ''
as $$
declare
  o app.email_outbox;
  v_delay interval;
  v_ok boolean := complete_outbox_message.delivery_status in ('sent', 'delivered_to_sink');
begin
  if complete_outbox_message.delivery_status is null
     or complete_outbox_message.delivery_status not in ('sent', 'delivered_to_sink', 'failed') then
    raise exception 'delivery_status must be sent, delivered_to_sink or failed' using errcode = '22023';
  end if;
  -- The draft first, then the row, the order of every writer of a draft's sends (a retry,
  -- a withdrawal, an edit, a delete): taken the other way round, a retry deadlocked with
  -- this, and a delivered email whose outcome was lost went out again after its lease.
  perform 1 from app.workflow_task_artifacts a
   where a.id = (select x.artifact_id from app.email_outbox x where x.id = complete_outbox_message.outbox_id)
     for no key update;
  select * into o from app.email_outbox x where x.id = complete_outbox_message.outbox_id for update;
  if not found then
    raise exception 'Outbox message not found' using errcode = 'PT404';
  end if;
  -- Only the holder of the latest claim records an outcome, and only once.
  if o.lease_token is distinct from complete_outbox_message.lease_token
     or o.status in ('sent', 'delivered_to_sink', 'cancelled') then
    raise exception 'This delivery attempt no longer holds the message' using errcode = 'PT409',
      hint = 'Another attempt claimed it after this lease expired, or it is already finished; claim it again.';
  end if;
  if v_ok then
    update app.email_outbox x
       set status = complete_outbox_message.delivery_status, sent_at = now(), last_error = null,
           provider_message_id = coalesce(complete_outbox_message.provider_message_id, x.provider_message_id),
           lease_expires_at = null
     where x.id = o.id
    returning x.* into o;
    update app.workflow_task_artifacts t
       set sent_at = o.sent_at, sent_outbox_id = o.id
     where t.id = o.artifact_id;
  else
    v_delay := app.outbox_retry_delay(o.attempts);
    update app.email_outbox x
       set status = case when v_delay is null then 'failed' else 'queued' end,
           next_attempt_at = now() + coalesce(v_delay, interval '0'),
           last_error = left(coalesce(complete_outbox_message.error_message, 'Sending the email failed.'), 500),
           lease_expires_at = null
     where x.id = o.id
    returning x.* into o;
  end if;
  return jsonb_build_object('outbox', app.outbox_json(o), 'side_effects', app.sync_send_email_effect(o));
end;
$$;

comment on function public.complete_outbox_message(uuid, uuid, text, text, text) is
  'Service role only: the outcome of a claimed delivery; failures retry after 1 min, 5 min, 30 min, 2 h, then fail.';
revoke execute on function public.complete_outbox_message(uuid, uuid, text, text, text) from public, anon, authenticated;
grant execute on function public.complete_outbox_message(uuid, uuid, text, text, text) to service_role;
