// Where an artifact stands, in one badge, alike on its workflow's card and on its customer's
// page: sent (when), queued to send, send failed, approved, or not approved.
import { formatDateTime } from '../../lib/format.ts';
import { Badge } from '../../components/Badges.tsx';
import type { SendState } from './sendState.ts';

export function ArtifactStatusBadge({ sendState, approvedAt, sentAt }: { sendState: SendState; approvedAt: string | null; sentAt?: string | null }) {
  if (sendState === 'sent') return <Badge tone="success" title={`Approved ${formatDateTime(approvedAt)}; sending it again asks first`}>{sentAt ? `Sent ${formatDateTime(sentAt)}` : 'Sent'}</Badge>;
  if (sendState === 'queued') return <Badge tone="info" title="Waiting in the outbox; it goes out as it is now">Queued to send</Badge>;
  if (sendState === 'failed') return <Badge tone="danger" title="The last send failed (see Sent mail); it can be edited and sent again">Send failed</Badge>;
  return approvedAt ? <Badge tone="success" title={`Approved ${formatDateTime(approvedAt)}`}>Approved</Badge> : <Badge tone="neutral">Not approved</Badge>;
}
