// The caller's (or a team member's) queue: the first page, then "load more" by cursor.
import { useCallback, useEffect, useRef, useState } from 'react';
import { useWorkspace } from '../../lib/context.ts';
import type { QueueItem, QueueStats } from '../../lib/types.ts';
import { appendPage } from './filterQueue.ts';

export const QUEUE_PAGE_SIZE = 25;

export function useQueue(assigneeId: string | null, includeSnoozed: boolean) {
  const { api } = useWorkspace();
  const [items, setItems] = useState<QueueItem[]>([]);
  const [stats, setStats] = useState<QueueStats | null>(null);
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
      const page = await api.getQueue({ page_size: QUEUE_PAGE_SIZE, assignee_id: assigneeId ?? undefined, include_snoozed: includeSnoozed });
      if (mine !== generation.current) return;
      setItems(page.items ?? []);
      setStats(page.stats ?? null);
      setNextCursor(page.next_cursor ?? null);
    } catch (caught) {
      if (mine === generation.current) setError(caught);
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  }, [api, assigneeId, includeSnoozed]);

  useEffect(() => { void load(); }, [load]);

  const loadMore = useCallback(async () => {
    if (!nextCursor || loadingMore) return;
    const mine = generation.current;
    setLoadingMore(true);
    setMoreError(null);
    try {
      const page = await api.getQueue({
        page_size: QUEUE_PAGE_SIZE, cursor: nextCursor, assignee_id: assigneeId ?? undefined, include_snoozed: includeSnoozed,
      });
      if (mine !== generation.current) return;
      setItems((current) => appendPage(current, page.items ?? []));
      setNextCursor(page.next_cursor ?? null);
    } catch (caught) {
      if (mine === generation.current) setMoreError(caught);
    } finally {
      setLoadingMore(false);
    }
  }, [api, assigneeId, includeSnoozed, nextCursor, loadingMore]);

  return { items, stats, nextCursor, loading, loadingMore, error, moreError, reload: load, loadMore };
}
