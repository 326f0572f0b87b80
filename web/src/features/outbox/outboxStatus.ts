// What an outbox status means to a person reading the "Sent mail" page.
import type { OutboxMessage } from '../../lib/types.ts';

export interface StatusLabel {
  label: string;
  tone: string;
}

const LABELS: Record<string, StatusLabel> = {
  delivered_to_sink: { label: 'Delivered to the mail sink', tone: 'info' },
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
