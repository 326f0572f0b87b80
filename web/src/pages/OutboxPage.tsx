// Sent mail: every email the organisation sent or tried to send (the local mail sink
// included), newest first, each with its delivery status and the message as it went out.
import { useRef } from 'react';
import { EmptyState, ErrorState, InlineError, LoadingState } from '../components/States.tsx';
import { OutboxList } from '../features/outbox/OutboxList.tsx';
import { useOutbox } from '../features/outbox/useOutbox.ts';
import { retryOutboxMessage } from '../features/outbox/RetryButton.tsx';
import { canAct, useWorkspace } from '../lib/context.ts';
import { useFocusFirstNew } from '../hooks/useFocusFirstNew.ts';

export function OutboxPage() {
  const outbox = useOutbox();
  const { api, profile } = useWorkspace();
  // Load more: the first message it brought takes the focus (its summary line, which opens it).
  const list = useRef<HTMLDivElement>(null);
  const pressedLoadMore = useFocusFirstNew(outbox.items.length, outbox.loadingMore,
    (index) => list.current?.querySelectorAll<HTMLElement>('.outbox-list > li > details > summary')[index]?.focus());
  return (
    <div className="page page-narrow">
      <div className="page-head">
        <div>
          <h1>Sent mail</h1>
          <p className="muted">Email your team sent from workflows, newest first. Open one to read it as it went out.</p>
        </div>
        <div className="page-head-actions">
          <button type="button" className="btn btn-small" onClick={() => void outbox.reload()} disabled={outbox.loading}>Refresh</button>
        </div>
      </div>
      {outbox.loading ? <LoadingState label="Loading sent mail…" rows={4} /> : null}
      {!outbox.loading && outbox.error ? <ErrorState error={outbox.error} title="Sent mail could not be loaded" onRetry={() => void outbox.reload()} /> : null}
      {!outbox.loading && !outbox.error && outbox.items.length === 0 ? (
        <EmptyState title="No email sent yet.">{canAct(profile)
          ? 'Approve a drafted email in a workflow and send it with the “Send email” action.'
          : 'Email your team sends from a workflow is listed here once it goes out.'}</EmptyState>
      ) : null}
      {!outbox.loading && !outbox.error && outbox.items.length > 0 ? <div ref={list}><OutboxList messages={outbox.items}
        onRetry={canAct(profile) ? async (message) => { await retryOutboxMessage(api, message.id); void outbox.reload(); } : undefined} /></div> : null}
      {!outbox.loading && !outbox.error && outbox.items.length > 0 ? (
        <div className="list-foot">
          <span className="muted" aria-live="polite">{outbox.items.length} shown</span>
          {outbox.nextCursor ? (
            <button type="button" className="btn" onClick={() => { pressedLoadMore(); void outbox.loadMore(); }} disabled={outbox.loadingMore}>
              {outbox.loadingMore ? 'Loading…' : 'Load more'}
            </button>
          ) : null}
          <InlineError error={outbox.moreError} />
        </div>
      ) : null}
    </div>
  );
}
