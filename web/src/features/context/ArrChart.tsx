// A 12-month ARR line drawn as inline SVG: no chart library, readable by screen readers.
import { formatMoneyCompact } from '../../lib/format.ts';
import type { ArrPoint } from './arrSeries.ts';

const WIDTH = 300;
const HEIGHT = 96;
const PAD_Y = 8;

function monthLabel(month: string): string {
  const [year, index] = month.split('-').map(Number);
  return new Date(Date.UTC(year ?? 2000, (index ?? 1) - 1, 1)).toLocaleString('en-GB', { month: 'short', timeZone: 'UTC' });
}

export function ArrChart({ points, derived }: { points: ArrPoint[]; derived: boolean }) {
  if (points.length === 0) return <p className="muted small">No ARR recorded yet.</p>;
  const values = points.map((point) => point.value);
  const min = Math.min(...values);
  const max = Math.max(...values);
  // At least a 20% band, so a small change does not look like a cliff.
  const span = Math.max(max - min, Math.abs(max) * 0.2, 1);
  const mid = (max + min) / 2;
  const lo = mid - span * 0.6;
  const hi = mid + span * 0.6;
  const step = points.length > 1 ? WIDTH / (points.length - 1) : 0;
  const xy = points.map((point, index) => {
    const x = points.length > 1 ? index * step : WIDTH / 2;
    const y = PAD_Y + (HEIGHT - 2 * PAD_Y) * (1 - (point.value - lo) / (hi - lo));
    return [Math.round(x * 10) / 10, Math.round(y * 10) / 10] as const;
  });
  const line = xy.map(([x, y]) => `${x},${y}`).join(' ');
  const area = `0,${HEIGHT} ${line} ${WIDTH},${HEIGHT}`;
  const first = points[0]!;
  const last = points.at(-1)!;
  const label = `ARR over the last ${points.length} months: ${formatMoneyCompact(first.value)} in ${monthLabel(first.month)}, ${formatMoneyCompact(last.value)} in ${monthLabel(last.month)}.`;
  return (
    <figure className="arr-chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={label} preserveAspectRatio="none" data-testid="arr-chart">
        <polygon points={area} className="arr-area" />
        <polyline points={line} className="arr-line" fill="none" vectorEffect="non-scaling-stroke" />
        {xy.map(([x, y], index) => <circle key={points[index]!.month} cx={x} cy={y} r={2.2} className="arr-dot"><title>{`${monthLabel(points[index]!.month)}: ${formatMoneyCompact(points[index]!.value)}`}</title></circle>)}
      </svg>
      <figcaption className="arr-axis">
        <span>{monthLabel(first.month)}</span>
        <span className="muted">{derived ? 'from recorded ARR changes' : 'monthly'}</span>
        <span>{monthLabel(last.month)}</span>
      </figcaption>
    </figure>
  );
}
