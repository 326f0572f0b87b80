// A due day is gone when it is before today in the organisation's time zone — the server's
// rule (app.require_due_date_from_today, no day of grace since migration 20261210301000) and
// the Tasks views' calendar — not the browser's: at 05:00 UTC on 7 Dec it is still 6 Dec in Los
// Angeles and already 7 Dec in Auckland, wherever the browser is. Before, the forms counted the
// browser's day and the server took yesterday too, so the two disagreed.
import { describe, expect, it } from 'vitest';
import { dueDateProblem } from './dueDate.ts';

const now = new Date('2026-12-07T05:00:00Z');

describe('a due day gone, in the organisation\'s time zone', () => {
  it('takes the organisation\'s today, whatever the browser\'s is', () => {
    expect(dueDateProblem('2026-12-06', 'America/Los_Angeles', now)).toBeNull();
    expect(dueDateProblem('2026-12-06', 'Pacific/Auckland', now)).toBe('This day has passed: choose today or a later day.');
    expect(dueDateProblem('2026-12-07', 'Pacific/Auckland', now)).toBeNull();
  });

  it('refuses the organisation\'s yesterday: no day of grace', () => {
    expect(dueDateProblem('2026-12-05', 'America/Los_Angeles', now)).toBe('This day has passed: choose today or a later day.');
  });
});
