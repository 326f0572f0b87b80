// The outbox as a list, newest first.
import type { OutboxMessage } from '../../lib/types.ts';
import { OutboxMessageItem } from './OutboxMessageItem.tsx';

export function OutboxList({ messages, onRetry }: { messages: OutboxMessage[]; onRetry?: (message: OutboxMessage) => Promise<unknown> }) {
  return (
    <ul className="outbox-list" aria-label="Sent mail">
      {messages.map((message) => <OutboxMessageItem key={message.id} message={message} onRetry={onRetry} />)}
    </ul>
  );
}
