// One list of customers: the first page for the current search, filters and sort, then
// "load more" by keyset cursor (the shared useCursorPages). Answers for an older query are dropped.
import { useCallback, useMemo } from 'react';
import { useWorkspace } from '../../lib/context.ts';
import { useCursorPages } from '../../hooks/useCursorPages.ts';
import { customerApi, type CustomerFilters, type CustomerRow, type CustomerSort } from './api.ts';

const idOf = (row: CustomerRow) => row.id;

export function useCustomerList(search: string, filters: CustomerFilters, sort: CustomerSort, pageSize = 50) {
  const { api } = useWorkspace();
  const calls = useMemo(() => customerApi(api), [api]);
  // A stable key: a new object with the same filters is not a new query.
  const key = JSON.stringify([search, filters, sort, pageSize]);
  const fetchPage = useCallback((cursor?: string) => {
    const [s, f, o, n] = JSON.parse(key) as [string, CustomerFilters, CustomerSort, number];
    return calls.listCustomers({ search: s || null, filters: f, sort: o, page_size: n, cursor });
  }, [calls, key]);
  const { items, nextCursor, loading, loadingMore, error, moreError, reload, loadMore } = useCursorPages(fetchPage, idOf);
  // The pages show one error, whether the first page or a later one failed.
  return { items, nextCursor, loading, loadingMore, error: error ?? moreError, reload, loadMore };
}
