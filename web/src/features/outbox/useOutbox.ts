// The organisation's outbox: the first page, then "load more" by cursor.
import { useCallback, useEffect, useRef, useState } from 'react';
import { useWorkspace } from '../../lib/context.ts';
import type { OutboxMessage } from '../../lib/types.ts';

export const OUTBOX_PAGE_SIZE = 25;

export function useOutbox() {
  const { api } = useWorkspace();
  const [items, setItems] = useState<OutboxMessage[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [moreError, setMoreError] = useState<unknown>(null);
  const generation = useRef(0);

  const load = useCallback(async () => {
    const mine = ++generation.current;
    setLoading(true);
    setError(null);
    setMoreError(null);
    try {
      const page = await api.listOutboxMessages({ page_size: OUTBOX_PAGE_SIZE });
      if (mine !== generation.current) return;
      setItems(page.items ?? []);
      setNextCursor(page.next_cursor ?? null);
    } catch (caught) {
      if (mine === generation.current) setError(caught);
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  }, [api]);

  useEffect(() => { void load(); }, [load]);

  const loadMore = useCallback(async () => {
    if (!nextCursor || loadingMore) return;
    const mine = generation.current;
    setLoadingMore(true);
    setMoreError(null);
    try {
      const page = await api.listOutboxMessages({ page_size: OUTBOX_PAGE_SIZE, cursor: nextCursor });
      if (mine !== generation.current) return;
      setItems((current) => {
        const seen = new Set(current.map((message) => message.id));
        return [...current, ...(page.items ?? []).filter((message) => !seen.has(message.id))];
      });
      setNextCursor(page.next_cursor ?? null);
    } catch (caught) {
      if (mine === generation.current) setMoreError(caught);
    } finally {
      setLoadingMore(false);
    }
  }, [api, nextCursor, loadingMore]);

  return { items, nextCursor, loading, loadingMore, error, moreError, reload: load, loadMore };
}
