// Where a draft's email is. The workflow's list says it (send_state: queued, sent, failed);
// an artifact read on its own (get_artifact) has only sent_at, set on delivery.
import type { Artifact } from '../../lib/types.ts';

export type SendState = Artifact['send_state'];

export function sendStateOf(artifact: Pick<Artifact, 'sent_at'> & { send_state?: SendState }): SendState {
  return artifact.send_state ?? (artifact.sent_at ? 'sent' : null);
}

/** Waiting in the outbox: on its way, kept as it will go out, not to be sent again. */
export function isQueuedToSend(artifact: Pick<Artifact, 'sent_at'> & { send_state?: SendState }): boolean {
  return sendStateOf(artifact) === 'queued';
}
