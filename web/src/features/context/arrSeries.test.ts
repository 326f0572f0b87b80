import { describe, expect, it } from 'vitest';
import { arrSeries, lastTwelveMonths } from './arrSeries.ts';

const financials = {
  current_arr: 180000, current_arr_recorded_at: '2026-11-24T00:00:00Z', previous_arr: 150000, arr_changed_at: '2026-06-15T00:00:00Z',
  arr_change: 30000, growth_rate: 0.2, baseline_arr: null, baseline_at: null, trend: 'up' as const, history: [], contract: null,
};

describe('the 12-month ARR series', () => {
  const now = new Date('2026-11-25T12:00:00Z');

  it('covers the twelve months up to this one', () => {
    const months = lastTwelveMonths(now);
    expect(months).toHaveLength(12);
    expect(months[0]).toBe('2025-12');
    expect(months[11]).toBe('2026-11');
  });

  it('shows the previous ARR before the recorded change and the current ARR after it', () => {
    const series = arrSeries(financials, now);
    expect(series.derived).toBe(true);
    expect(series.points.find((p) => p.month === '2026-05')?.value).toBe(150000);
    expect(series.points.find((p) => p.month === '2026-06')?.value).toBe(180000);
    expect(series.points.at(-1)?.value).toBe(180000);
  });

  it('invents nothing: without a previous value the line starts at the change', () => {
    const series = arrSeries({ ...financials, previous_arr: null }, now);
    expect(series.points[0]?.month).toBe('2026-06');
  });

  it('uses the ARR history when the server sends it: the value holds until the next change', () => {
    const series = arrSeries({ ...financials, history: [{ recorded_at: '2026-01-24T00:00:00Z', arr: 100 }, { recorded_at: '2026-09-24T00:00:00Z', arr: 200 }] }, now);
    expect(series.derived).toBe(false);
    expect(series.points[0]).toEqual({ month: '2026-01', value: 100 });
    expect(series.points.find((p) => p.month === '2026-08')?.value).toBe(100);
    expect(series.points.find((p) => p.month === '2026-10')?.value).toBe(200);
  });

  it('a value recorded over a year ago covers the whole window', () => {
    const series = arrSeries({ ...financials, history: [{ recorded_at: '2025-06-01T00:00:00Z', arr: 90 }] }, now);
    expect(series.points).toHaveLength(12);
    expect(series.points.every((p) => p.value === 90)).toBe(true);
  });
});
