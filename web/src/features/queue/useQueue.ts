// The caller's (or a team member's) queue: the first page, then "load more" by cursor.
// Filters, search and grouping go to the server, so every page and the stats follow them.
import { useCallback, useEffect, useRef, useState } from 'react';
import { useWorkspace } from '../../lib/context.ts';
import type { QueueFilters, QueueItem, QueueStats } from '../../lib/types.ts';
import { appendPage } from './filterQueue.ts';

export const QUEUE_PAGE_SIZE = 25;

export function useQueue(assigneeId: string | null, includeSnoozed: boolean, filters: QueueFilters = {}, groupByCustomer = false) {
  const { api } = useWorkspace();
  const [items, setItems] = useState<QueueItem[]>([]);
  const [stats, setStats] = useState<QueueStats | null>(null);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [moreError, setMoreError] = useState<unknown>(null);
  const generation = useRef(0);
  // A stable key: a new object with the same filters is not a new query.
  const filterKey = JSON.stringify(filters);

  const args = useCallback((cursor?: string) => ({
    page_size: QUEUE_PAGE_SIZE,
    cursor,
    assignee_id: assigneeId ?? undefined,
    include_snoozed: includeSnoozed,
    filters: JSON.parse(filterKey) as QueueFilters,
    group_by_customer: groupByCustomer,
  }), [assigneeId, includeSnoozed, filterKey, groupByCustomer]);

  const load = useCallback(async () => {
    const mine = ++generation.current;
    setLoading(true);
    setError(null);
    setMoreError(null);
    try {
      const page = await api.getQueue(args());
      if (mine !== generation.current) return;
      setItems(page.items ?? []);
      setStats(page.stats ?? null);
      setNextCursor(page.next_cursor ?? null);
    } catch (caught) {
      if (mine === generation.current) setError(caught);
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  }, [api, args]);

  useEffect(() => { void load(); }, [load]);

  const loadMore = useCallback(async () => {
    if (!nextCursor || loadingMore) return;
    const mine = generation.current;
    setLoadingMore(true);
    setMoreError(null);
    try {
      const page = await api.getQueue(args(nextCursor));
      if (mine !== generation.current) return;
      setItems((current) => appendPage(current, page.items ?? []));
      setNextCursor(page.next_cursor ?? null);
    } catch (caught) {
      if (mine === generation.current) setMoreError(caught);
    } finally {
      setLoadingMore(false);
    }
  }, [api, args, nextCursor, loadingMore]);

  return { items, stats, nextCursor, loading, loadingMore, error, moreError, reload: load, loadMore };
}
