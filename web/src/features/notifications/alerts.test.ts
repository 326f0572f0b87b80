// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import { arrivedSince, shouldChime, takeArrivals } from './alerts.ts';
import type { Notification } from '../../lib/types.ts';

const note = (id: string, created_at: string, read_at: string | null = null): Notification =>
  ({ id, notification_type: 'task_assigned', title: id, body: null, data: {}, read_at, created_at });

describe('desktop alerts', () => {
  beforeEach(() => localStorage.clear());

  it('alert only unread notifications newer than the high-water mark, oldest first', () => {
    const items = [note('c', '2026-12-04T09:03:00Z'), note('a', '2026-12-04T09:01:00Z'), note('b', '2026-12-04T09:02:00Z', '2026-12-04T09:02:30Z')];
    expect(arrivedSince(items, '2026-12-04T09:00:00Z').map((item) => item.id)).toEqual(['a', 'c']);
    expect(arrivedSince(items, null)).toEqual([]);
  });

  it('never alert the backlog on the first load, and never twice across reloads', () => {
    const first = [note('old', '2026-12-04T08:00:00Z')];
    expect(takeArrivals('p1', first, new Date('2026-12-04T09:00:00Z'))).toEqual([]);
    const second = [note('new', '2026-12-04T09:05:00Z'), ...first];
    expect(takeArrivals('p1', second).map((item) => item.id)).toEqual(['new']);
    expect(takeArrivals('p1', second)).toEqual([]);
    // another person on the same browser keeps their own mark
    expect(takeArrivals('p2', second, new Date('2026-12-04T10:00:00Z'))).toEqual([]);
  });

  it('chime only when enabled and the tab is in the background', () => {
    expect(shouldChime(true, 'hidden')).toBe(true);
    expect(shouldChime(true, 'visible')).toBe(false);
    expect(shouldChime(false, 'hidden')).toBe(false);
  });
});
