import { describe, expect, it } from 'vitest';
import { snoozeDaysAtFault, snoozeLimitsProblem } from './snoozeLimits.ts';

describe('snooze limits a form may send', () => {
  it('accepts whole days with fewest ≤ default ≤ most within 1 to 365', () => {
    expect(snoozeLimitsProblem({ min_days: 1, default_days: 3, max_days: 30 })).toBeNull();
    expect(snoozeLimitsProblem({ min_days: 7, default_days: 7, max_days: 7 })).toBeNull();
  });

  it('names which of the three is out of order', () => {
    expect(snoozeLimitsProblem({ min_days: 5, default_days: 3, max_days: 30 })).toBe('The default (3 days) must not be fewer than the fewest days (5).');
    expect(snoozeLimitsProblem({ min_days: 1, default_days: 40, max_days: 30 })).toBe('The default (40 days) must not be more than the most days (30).');
  });

  it('refuses empty, fractional and out-of-range days', () => {
    for (const days of [{ min_days: 0, default_days: 3, max_days: 30 }, { min_days: 1, default_days: 2.5, max_days: 30 },
      { min_days: 1, default_days: 3, max_days: 400 }, { min_days: Number(''), default_days: 3, max_days: 30 }, { min_days: Number.NaN, default_days: 3, max_days: 30 }]) {
      expect(snoozeLimitsProblem(days)).toBe('Each number of days must be a whole number from 1 to 365.');
    }
  });

  it('marks the fields a problem concerns: the two out of order, the one out of range', () => {
    expect(snoozeDaysAtFault({ min_days: 10, default_days: 7, max_days: 30 })).toEqual(['min_days', 'default_days']);
    expect(snoozeDaysAtFault({ min_days: 1, default_days: 40, max_days: 30 })).toEqual(['default_days', 'max_days']);
    expect(snoozeDaysAtFault({ min_days: 1, default_days: 3, max_days: 400 })).toEqual(['max_days']);
    expect(snoozeDaysAtFault({ min_days: 1, default_days: 3, max_days: 30 })).toEqual([]);
  });
});
