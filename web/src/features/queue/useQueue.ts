// The caller's (or a team member's) queue: the first page, then "load more" by cursor.
// Filters, search and grouping go to the server, so every page and the stats follow them.
import { useCallback } from 'react';
import { useWorkspace } from '../../lib/context.ts';
import { useCursorPages } from '../../hooks/useCursorPages.ts';
import type { QueueFilters, QueueItem } from '../../lib/types.ts';

export const QUEUE_PAGE_SIZE = 25;

const idOf = (item: QueueItem) => item.execution_id;

export function useQueue(assigneeId: string | null, includeSnoozed: boolean, filters: QueueFilters = {}, groupByCustomer = false) {
  const { api } = useWorkspace();
  // A stable key: a new object with the same filters is not a new query.
  const filterKey = JSON.stringify(filters);

  const fetchPage = useCallback((cursor?: string) => api.getQueue({
    page_size: QUEUE_PAGE_SIZE,
    cursor,
    assignee_id: assigneeId ?? undefined,
    include_snoozed: includeSnoozed,
    filters: JSON.parse(filterKey) as QueueFilters,
    group_by_customer: groupByCustomer,
  }), [api, assigneeId, includeSnoozed, filterKey, groupByCustomer]);

  const { first, ...pages } = useCursorPages(fetchPage, idOf);
  // The stats come with the first page and cover the whole (filtered) queue.
  return { ...pages, stats: first?.stats ?? null };
}
