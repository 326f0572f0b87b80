// A keyset-paginated list (docs/api-contract.md: a page comes with `next_cursor`, null at
// the end): the first page, then "load more" by cursor, ignoring answers that arrive after
// the query changed (a new `fetchPage`) and items a page boundary repeats.
import { useCallback, useEffect, useRef, useState } from 'react';

export interface CursorPage<T> {
  items: T[];
  next_cursor: string | null;
}

/**
 * `fetchPage(cursor)` asks for one page (no cursor: the first); a new function is a new
 * query, so keep it stable (useCallback) while the query is the same. `idOf` names an item,
 * so one repeated on the next page is shown once. `first` is the first page as answered,
 * for what comes with it (the queue's stats).
 */
export function useCursorPages<T, P extends CursorPage<T>>(fetchPage: (cursor?: string) => Promise<P>, idOf: (item: T) => string) {
  const [items, setItems] = useState<T[]>([]);
  const [first, setFirst] = useState<P | null>(null);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [moreError, setMoreError] = useState<unknown>(null);
  const generation = useRef(0);
  const idOfRef = useRef(idOf);
  idOfRef.current = idOf;

  const load = useCallback(async () => {
    const mine = ++generation.current;
    setLoading(true);
    setError(null);
    setMoreError(null);
    try {
      const page = await fetchPage();
      if (mine !== generation.current) return;
      setFirst(page);
      setItems(page.items);
      setNextCursor(page.next_cursor);
    } catch (caught) {
      if (mine === generation.current) setError(caught);
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  }, [fetchPage]);

  useEffect(() => { void load(); }, [load]);

  const loadMore = useCallback(async () => {
    if (!nextCursor || loadingMore) return;
    const mine = generation.current;
    setLoadingMore(true);
    setMoreError(null);
    try {
      const page = await fetchPage(nextCursor);
      if (mine !== generation.current) return;
      setItems((current) => appendNew(current, page.items, idOfRef.current));
      setNextCursor(page.next_cursor);
    } catch (caught) {
      if (mine === generation.current) setMoreError(caught);
    } finally {
      setLoadingMore(false);
    }
  }, [fetchPage, nextCursor, loadingMore]);

  return { items, first, nextCursor, loading, loadingMore, error, moreError, reload: load, loadMore };
}

/** Appends a page, leaving out items already shown (a page boundary can repeat one after a change). */
export function appendNew<T>(existing: T[], page: T[], idOf: (item: T) => string): T[] {
  const seen = new Set(existing.map(idOf));
  return existing.concat(page.filter((item) => !seen.has(idOf(item))));
}
