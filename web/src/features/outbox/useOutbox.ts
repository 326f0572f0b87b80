// The organisation's outbox: the first page, then "load more" by cursor.
import { useCallback } from 'react';
import { useWorkspace } from '../../lib/context.ts';
import { useCursorPages } from '../../hooks/useCursorPages.ts';
import type { OutboxMessage } from '../../lib/types.ts';

export const OUTBOX_PAGE_SIZE = 25;

const idOf = (message: OutboxMessage) => message.id;

export function useOutbox() {
  const { api } = useWorkspace();
  const fetchPage = useCallback((cursor?: string) => api.listOutboxMessages({ page_size: OUTBOX_PAGE_SIZE, cursor }), [api]);
  const { first: _first, ...pages } = useCursorPages(fetchPage, idOf);
  return pages;
}
