// @vitest-environment happy-dom
// The paged lists (queue, outbox) share one hook: the first page, "load more" by cursor
// without showing an item twice, and no late answer of an older query over a newer one.
import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, renderHook, waitFor } from '@testing-library/react';
import { useCursorPages, type CursorPage } from './useCursorPages.ts';

afterEach(cleanup);

type Row = { id: string };
const rows = (...ids: string[]): Row[] => ids.map((id) => ({ id }));
const idOf = (row: Row) => row.id;

describe('useCursorPages', () => {
  it('loads the first page, then appends the next by cursor, leaving out a repeated item', async () => {
    const asked: (string | undefined)[] = [];
    const fetchPage = async (cursor?: string): Promise<CursorPage<Row> & { stats: number }> => {
      asked.push(cursor);
      return cursor ? { items: rows('b', 'c'), next_cursor: null, stats: 0 } : { items: rows('a', 'b'), next_cursor: 'c1', stats: 7 };
    };
    const { result } = renderHook(() => useCursorPages(fetchPage, idOf));
    await waitFor(() => expect(result.current.loading).toBe(false));
    expect(result.current.items.map(idOf)).toEqual(['a', 'b']);
    expect(result.current.first?.stats).toBe(7);
    await act(() => result.current.loadMore());
    expect(result.current.items.map(idOf)).toEqual(['a', 'b', 'c']);
    expect(result.current.nextCursor).toBeNull();
    expect(asked).toEqual([undefined, 'c1']);
  });

  it('keeps the newer query\'s answer when an older one arrives late', async () => {
    let release: (page: CursorPage<Row>) => void = () => {};
    const slow = () => new Promise<CursorPage<Row>>((resolve) => { release = resolve; });
    const fast = async () => ({ items: rows('new'), next_cursor: null });
    const { result, rerender } = renderHook(({ fetchPage }) => useCursorPages(fetchPage, idOf), { initialProps: { fetchPage: slow } });
    rerender({ fetchPage: fast });
    await waitFor(() => expect(result.current.items.map(idOf)).toEqual(['new']));
    await act(async () => release({ items: rows('old'), next_cursor: 'x' }));
    expect(result.current.items.map(idOf)).toEqual(['new']);
    expect(result.current.nextCursor).toBeNull();
  });

  it('says why a page failed, keeping what was shown', async () => {
    const fetchPage = async (cursor?: string): Promise<CursorPage<Row>> => {
      if (cursor) throw new Error('offline');
      return { items: rows('a'), next_cursor: 'c1' };
    };
    const { result } = renderHook(() => useCursorPages(fetchPage, idOf));
    await waitFor(() => expect(result.current.loading).toBe(false));
    await act(() => result.current.loadMore());
    expect((result.current.moreError as Error).message).toBe('offline');
    expect(result.current.items.map(idOf)).toEqual(['a']);
    expect(result.current.error).toBeNull();
  });
});
