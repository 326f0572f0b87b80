// Twelve monthly ARR points for the chart. Uses the server's ARR history (the value a year
// ago and every change since) when it sends it; otherwise rebuilds the line from what get_customer_context records (the previous
// ARR until the last change, the current ARR after it) and says so. Nothing is invented:
// months before any record are left out.
import type { CustomerContext } from '../../lib/types.ts';

export interface ArrPoint {
  month: string; // YYYY-MM
  value: number;
}

export interface ArrSeries {
  points: ArrPoint[];
  derived: boolean;
}

function monthKey(date: Date): string {
  return `${date.getUTCFullYear()}-${String(date.getUTCMonth() + 1).padStart(2, '0')}`;
}

export function lastTwelveMonths(now: Date): string[] {
  const months: string[] = [];
  for (let back = 11; back >= 0; back -= 1) {
    months.push(monthKey(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1))));
  }
  return months;
}

export function arrSeries(financials: CustomerContext['data']['financials'] | null | undefined, now: Date = new Date()): ArrSeries {
  const months = lastTwelveMonths(now);
  if (!financials) return { points: [], derived: true };
  const history = (financials.history ?? [])
    .map((entry) => ({ at: entry.recorded_at, arr: Number(entry.arr) }))
    .filter((entry) => entry.at && Number.isFinite(entry.arr))
    .sort((a, b) => a.at.localeCompare(b.at));
  if (history.length >= 1) {
    // The last recorded value in or before each month.
    const points: ArrPoint[] = [];
    for (const month of months) {
      const known = history.filter((entry) => entry.at.slice(0, 7) <= month).at(-1);
      if (known) points.push({ month, value: known.arr });
    }
    return { points, derived: false };
  }
  const current = financials.current_arr;
  if (current === null || current === undefined) return { points: [], derived: true };
  const changedMonth = financials.arr_changed_at ? financials.arr_changed_at.slice(0, 7) : null;
  const previous = financials.previous_arr;
  const points = months
    .filter((month) => previous !== null && previous !== undefined ? true : !changedMonth || month >= changedMonth)
    .map((month) => ({
      month,
      value: changedMonth && month < changedMonth && previous !== null && previous !== undefined ? Number(previous) : Number(current),
    }));
  return { points, derived: true };
}
