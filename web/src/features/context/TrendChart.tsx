// A small line chart drawn as inline SVG: no chart library, named for screen readers.
export interface TrendPoint {
  key: string;
  label: string;
  value: number;
}

const WIDTH = 300;
const PAD_Y = 8;

interface Props {
  points: TrendPoint[];
  format: (value: number) => string;
  /** What the line is, for the accessible name: "ARR", "Active users". */
  subject: string;
  caption: string;
  height?: number;
  testId?: string;
}

export function TrendChart({ points, format, subject, caption, height = 96, testId }: Props) {
  if (points.length === 0) return null;
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
    const y = PAD_Y + (height - 2 * PAD_Y) * (1 - (point.value - lo) / (hi - lo));
    return [Math.round(x * 10) / 10, Math.round(y * 10) / 10] as const;
  });
  const line = xy.map(([x, y]) => `${x},${y}`).join(' ');
  const area = `0,${height} ${line} ${WIDTH},${height}`;
  const first = points[0]!;
  const last = points.at(-1)!;
  const label = `${subject}: ${format(first.value)} in ${first.label}, ${format(last.value)} in ${last.label}; lowest ${format(min)}, highest ${format(max)}.`;
  return (
    <figure className="trend-chart">
      <svg viewBox={`0 0 ${WIDTH} ${height}`} role="img" aria-label={label} preserveAspectRatio="none" data-testid={testId} style={{ height }}>
        <polygon points={area} className="chart-area" />
        <polyline points={line} className="chart-line" fill="none" vectorEffect="non-scaling-stroke" />
        {points.length <= 24 ? xy.map(([x, y], index) => (
          <circle key={points[index]!.key} cx={x} cy={y} r={2.2} className="chart-dot"><title>{`${points[index]!.label}: ${format(points[index]!.value)}`}</title></circle>
        )) : null}
      </svg>
      <figcaption className="chart-axis">
        <span>{first.label}</span>
        <span className="muted">{caption}</span>
        <span>{last.label}</span>
      </figcaption>
    </figure>
  );
}
