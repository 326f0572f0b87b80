// Where a draft's email is. The workflow's list says it (send_state: queued, sent, no_mail_server,
// failed);
// an artifact read on its own (get_artifact) has only sent_at, set on delivery.
import type { Artifact } from '../../lib/types.ts';

export type SendState = Artifact['send_state'];

export function sendStateOf(artifact: Pick<Artifact, 'sent_at'> & { send_state?: SendState }): SendState {
  return artifact.send_state ?? (artifact.sent_at ? 'sent' : null);
}

/** Handed over and kept as it went (the database refuses edits): sent, or taken by no mail server. */
export function isHandedOver(state: SendState): boolean {
  return state === 'sent' || state === 'no_mail_server';
}

/** Waiting in the outbox: on its way, kept as it will go out, not to be sent again. */
export function isQueuedToSend(artifact: Pick<Artifact, 'sent_at'> & { send_state?: SendState }): boolean {
  return sendStateOf(artifact) === 'queued';
}
