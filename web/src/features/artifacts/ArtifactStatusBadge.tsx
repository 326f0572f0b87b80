// Where an artifact stands, in one badge, alike on its workflow's card and on its customer's
// page: sent (when), not sent for want of a mail server, queued to send, send failed, approved,
// or not approved. What the state
// means and what can be done next is a tap away beside it (components/Toggletip.tsx), where a
// hover tooltip on the badge reached neither a finger nor a keyboard.
import { formatDateTime } from '../../lib/format.ts';
import { Badge } from '../../components/Badges.tsx';
import { Toggletip } from '../../components/Toggletip.tsx';
import type { SendState } from './sendState.ts';
import { NOT_SENT_WITHOUT_MAIL_SERVER } from '../outbox/outboxStatus.ts';

export function ArtifactStatusBadge({ sendState, approvedAt, sentAt }: { sendState: SendState; approvedAt: string | null; sentAt?: string | null }) {
  if (sendState === 'sent') return <Status tone="success" label={sentAt ? `Sent ${formatDateTime(sentAt)}` : 'Sent'} about={`Approved ${formatDateTime(approvedAt)}; sending it again asks first.`} />;
  if (sendState === 'no_mail_server') {
    return <Status tone="info" label={NOT_SENT_WITHOUT_MAIL_SERVER.label}
      about={`Handed over${sentAt ? ` ${formatDateTime(sentAt)}` : ''}, but no mail server is set up, so it went to no one; it is kept in Sent mail as it was. An admin sets up mail (SMTP) for Renubu to send.`} />;
  }
  if (sendState === 'queued') return <Status tone="info" label="Queued to send" about="Waiting in the outbox; it goes out as it is now." />;
  if (sendState === 'failed') return <Status tone="danger" label="Send failed" about="The last send failed (see Sent mail); it can be edited and sent again." />;
  return approvedAt ? <Status tone="success" label="Approved" about={`Approved ${formatDateTime(approvedAt)}.`} /> : <Badge tone="neutral">Not approved</Badge>;
}

function Status({ tone, label, about }: { tone: string; label: string; about: string }) {
  return (
    <span className="status-with-tip">
      <Badge tone={tone}>{label}</Badge>
      <Toggletip label={`About ${label}`}>{about}</Toggletip>
    </span>
  );
}
