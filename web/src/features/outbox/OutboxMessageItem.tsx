// One message of the outbox: recipients, subject, delivery status and time, opening into
// the message rendered as an email.
import type { OutboxMessage } from '../../lib/types.ts';
import { formatDateTime } from '../../lib/format.ts';
import { paths } from '../../lib/router.ts';
import { Badge } from '../../components/Badges.tsx';
import { Link } from '../../components/Link.tsx';
import { PartsLine } from '../../components/PartsLine.tsx';
import { EmailAddresses } from '../../components/EmailAddresses.tsx';
import { outboxStatus, outboxWhen } from './outboxStatus.ts';
import { RetryButton } from './RetryButton.tsx';

/** onRetry: given to people who may send email; a failed message then offers Retry. */
export function OutboxMessageItem({ message, onRetry }: { message: OutboxMessage; onRetry?: (message: OutboxMessage) => Promise<unknown> }) {
  const status = outboxStatus(message.status);
  const to = message.to.join(', ');
  return (
    <li id={`email-${message.id}`} className={`outbox-item${message.status === 'failed' ? ' outbox-failed' : ''}`}>
      <details>
        <summary>
          <span className="outbox-subject">{message.subject}</span>
          <span className="sub">
            <Badge tone={status.tone}>{status.label}</Badge>
            <PartsLine parts={[<span>to <EmailAddresses text={to} /></span>, <time dateTime={outboxWhen(message)}>{formatDateTime(outboxWhen(message))}</time>]} />
          </span>
        </summary>
        {message.status === 'failed' && message.last_error ? (
          <p className="inline-error">Not sent: {message.last_error}{message.attempts > 0 ? ` (after ${message.attempts} attempt${message.attempts === 1 ? '' : 's'})` : ''}</p>
        ) : null}
        {message.status === 'failed' && onRetry ? <RetryButton onRetry={() => onRetry(message)} /> : null}
        <div className="email" aria-label={`Email: ${message.subject}`}>
          <dl className="email-head">
            <div><dt>To</dt><dd><EmailAddresses text={to} /></dd></div>
            {message.cc.length > 0 ? <div><dt>Cc</dt><dd><EmailAddresses text={message.cc.join(', ')} /></dd></div> : null}
            <div><dt>Subject</dt><dd className="email-subject">{message.subject}</dd></div>
          </dl>
          <div className="email-body">{message.body_text || <span className="muted">No text.</span>}</div>
        </div>
        {/* A message nobody asked for (sent by the system) has no "Sent by" for the dot to follow. */}
        <p className="sub outbox-meta"><PartsLine parts={[
          message.requested_by?.full_name ? `Sent by ${message.requested_by.full_name}` : null,
          message.customer?.name,
          message.execution_id ? <Link href={paths.workflow(message.execution_id)}>Open the workflow</Link> : null,
        ]} /></p>
      </details>
    </li>
  );
}
