// One list of customers: the first page for the current search, filters and sort, then
// "load more" by keyset cursor. Answers for an older query are dropped.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useWorkspace } from '../../lib/context.ts';
import { customerApi, type CustomerFilters, type CustomerRow, type CustomerSort } from './api.ts';

export function useCustomerList(search: string, filters: CustomerFilters, sort: CustomerSort, pageSize = 50) {
  const { api } = useWorkspace();
  const calls = useMemo(() => customerApi(api), [api]);
  const [items, setItems] = useState<CustomerRow[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const generation = useRef(0);
  const key = JSON.stringify([search, filters, sort, pageSize]);

  const load = useCallback(async () => {
    const mine = ++generation.current;
    setLoading(true);
    setError(null);
    try {
      const [s, f, o, n] = JSON.parse(key) as [string, CustomerFilters, CustomerSort, number];
      const page = await calls.listCustomers({ search: s || null, filters: f, sort: o, page_size: n });
      if (mine !== generation.current) return;
      setItems(page.items);
      setNextCursor(page.next_cursor);
    } catch (caught) {
      if (mine === generation.current) setError(caught);
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  }, [calls, key]);
  useEffect(() => { void load(); }, [load]);

  const loadMore = useCallback(async () => {
    if (!nextCursor || loadingMore) return;
    const mine = generation.current;
    setLoadingMore(true);
    try {
      const [s, f, o, n] = JSON.parse(key) as [string, CustomerFilters, CustomerSort, number];
      const page = await calls.listCustomers({ search: s || null, filters: f, sort: o, page_size: n, cursor: nextCursor });
      if (mine !== generation.current) return;
      setItems((current) => {
        const seen = new Set(current.map((row) => row.id));
        return [...current, ...page.items.filter((row) => !seen.has(row.id))];
      });
      setNextCursor(page.next_cursor);
    } catch (caught) {
      if (mine === generation.current) setError(caught);
    } finally {
      setLoadingMore(false);
    }
  }, [calls, key, nextCursor, loadingMore]);

  return { items, nextCursor, loading, loadingMore, error, reload: load, loadMore };
}
