// Delivering an outbox row exactly once (docs/business-rules.md "Email is sent once").
//
// The database decides who sends: `claim_outbox_message` / `claim_due_outbox_messages`
// hand a row to one caller at a time with a lease (status `sending`, a lease token and
// expiry, the attempt counted); everyone else gets the row's current state. The holder
// sends it and records the outcome with `complete_outbox_message`, which only the token
// holder may do: `sent`, or back to the queue with backoff (1 min, 5 min, 30 min, 2 h),
// then `failed`. A worker that dies mid-send loses its lease when it expires and the row
// returns to the queue. Used by the execute-action function (the row its action queued)
// and the outbox-drain function (whatever is due).
import type { SupabaseClient } from '@supabase/supabase-js';
import { rpc } from '../api/rpc.ts';
import { MailError, type MailTransport } from './mail.ts';
import type { RpcResult } from '../api/index.ts';
import type { ClaimedOutboxMessage, OutboxState } from '../api/shapes.ts';

export type { ClaimedOutboxMessage, OutboxState };
export type ClaimAnswer = RpcResult<'claim_outbox_message'>;
export type DeliveryOutcome = RpcResult<'complete_outbox_message'>;

/** How long a claim holds a row before it may return to the queue (seconds). */
export const LEASE_SECONDS = 300;

export function claimOutboxMessage(service: SupabaseClient, outboxId: string): Promise<ClaimAnswer> {
  return rpc(service, 'claim_outbox_message', { outbox_id: outboxId, lease_seconds: LEASE_SECONDS });
}

export function claimDueOutboxMessages(service: SupabaseClient, maxMessages: number): Promise<ClaimedOutboxMessage[]> {
  return rpc(service, 'claim_due_outbox_messages', { max_messages: maxMessages, lease_seconds: LEASE_SECONDS });
}

/** Sends a claimed row through the transport and records the outcome under its lease. */
export async function deliverClaimed(
  service: SupabaseClient,
  mail: MailTransport,
  message: ClaimedOutboxMessage,
  defaultFrom: string,
): Promise<DeliveryOutcome> {
  let status: 'sent' | 'delivered_to_sink' | 'failed';
  let error: string | null = null;
  let providerMessageId: string | null = null;
  try {
    const delivery = await mail.send({
      from: message.from || defaultFrom,
      to: message.to,
      cc: message.cc,
      subject: message.subject,
      text: message.body_text,
      html: message.body_html,
      // Stable across attempts, so a receiver (or an HTTP mail API) can drop a repeat.
      messageId: `${message.id}@renubu`,
    });
    status = delivery.status;
    providerMessageId = delivery.providerMessageId;
  } catch (cause) {
    status = 'failed';
    error = cause instanceof MailError ? cause.message : 'Sending the email failed.';
  }
  return rpc(service, 'complete_outbox_message', {
    outbox_id: message.id,
    lease_token: message.lease_token,
    delivery_status: status,
    error_message: error,
    provider_message_id: providerMessageId,
  });
}
