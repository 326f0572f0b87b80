// What an outbox status means to a person reading the "Sent mail" page.
import type { OutboxMessage } from '../../lib/types.ts';

export interface StatusLabel {
  label: string;
  tone: string;
}

/**
 * What happened to an email kept by the local stand-in's mail sink (no SMTP set up): it went to
 * no one and is kept here, said as its sender would put it (docs/workflow-engine.md). The
 * badge's words and the sentence an action's result says.
 */
export const NOT_SENT_WITHOUT_MAIL_SERVER = {
  label: 'Not sent (no mail server)',
  sentence: 'not sent, as no mail server is set up; it is kept in Sent mail',
};

const LABELS: Record<string, StatusLabel> = {
  delivered_to_sink: { label: NOT_SENT_WITHOUT_MAIL_SERVER.label, tone: 'info' },
  sent: { label: 'Sent', tone: 'success' },
  failed: { label: 'Failed', tone: 'danger' },
  queued: { label: 'Queued', tone: 'neutral' },
  sending: { label: 'Sending', tone: 'neutral' },
  cancelled: { label: 'Cancelled', tone: 'muted' },
};

export function outboxStatus(status: string): StatusLabel {
  return LABELS[status] ?? { label: status.replace(/_/g, ' '), tone: 'neutral' };
}

/** When it left (sent or delivered) or, while it has not, when it was asked for. */
export function outboxWhen(message: Pick<OutboxMessage, 'sent_at' | 'created_at'>): string {
  return message.sent_at ?? message.created_at;
}
