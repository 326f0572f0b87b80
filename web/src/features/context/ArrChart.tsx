// The 12-month ARR line of the context panel.
import { formatMoneyCompact } from '../../lib/format.ts';
import type { ArrPoint } from './arrSeries.ts';
import { TrendChart } from './TrendChart.tsx';

export function monthLabel(month: string): string {
  const [year, index] = month.split('-').map(Number);
  return new Date(Date.UTC(year ?? 2000, (index ?? 1) - 1, 1)).toLocaleString('en-GB', { month: 'short', timeZone: 'UTC' });
}

export function ArrChart({ points, derived }: { points: ArrPoint[]; derived: boolean }) {
  if (points.length === 0) return <p className="muted small">No ARR recorded yet.</p>;
  return (
    <TrendChart testId="arr-chart" subject={`ARR over the last ${points.length} months`} format={formatMoneyCompact}
      caption={derived ? 'from recorded ARR changes' : 'last 12 months'}
      points={points.map((point) => ({ key: point.month, label: monthLabel(point.month), value: point.value }))} />
  );
}
