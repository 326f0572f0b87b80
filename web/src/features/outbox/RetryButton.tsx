// Retry for a failed email in Sent mail: puts it back in the queue (retry_outbox_message);
// the scheduled drain sends it within a minute. The server decides who may and refuses a
// message that was sent again since, so it is still delivered once.
import { useState } from 'react';
import type { RpcResult } from '../../../../functions-shared/api/index.ts';
import { typedRpc, type Api } from '../../lib/api.ts';
import { InlineError } from '../../components/States.tsx';

export type RetriedMessage = RpcResult<'retry_outbox_message'>;

export function retryOutboxMessage(api: Api, outboxId: string): Promise<RetriedMessage> {
  return typedRpc(api.client)('retry_outbox_message', { outbox_id: outboxId });
}

export function RetryButton({ onRetry }: { onRetry: () => Promise<unknown> }) {
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function retry() {
    if (busy || done) return;
    setBusy(true);
    setError(null);
    try {
      await onRetry();
      setDone(true);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  return (
    <span className="outbox-retry">
      <button type="button" className="btn btn-small" onClick={() => void retry()} disabled={busy || done}>
        {busy ? 'Retrying…' : done ? 'Queued again' : 'Retry'}
      </button>
      {done ? <span className="small muted" role="status"> It will be sent within a minute.</span> : null}
      <InlineError error={error} />
    </span>
  );
}
