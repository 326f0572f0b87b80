// Retention of the last twelve full months: GRR and NRR with their parts (starting ARR,
// expansion, contraction, churn), then per month: the month's own GRR / NRR, the trailing
// twelve months', and the month's movements as bars. Definitions: docs/forecast-and-retention.md.
import { TrendChart } from '../context/TrendChart.tsx';
import { formatMoney, formatMoneyChange, formatMoneyCompact, formatRange } from '../../lib/format.ts';
import { formatRatio, monthLabel, type RetentionMetrics } from './api.ts';
import { TableScroller } from '../../components/TableScroller.tsx';

export function RetentionPanel({ metrics }: { metrics: RetentionMetrics }) {
  const series = metrics.series;
  const ttmGrr = series.filter((step) => step.trailing_12_months.grr !== null)
    .map((step) => ({ key: step.period_start, label: monthLabel(step.period_start), value: Number(step.trailing_12_months.grr) * 100 }));
  const ttmNrr = series.filter((step) => step.trailing_12_months.nrr !== null)
    .map((step) => ({ key: step.period_start, label: monthLabel(step.period_start), value: Number(step.trailing_12_months.nrr) * 100 }));
  const percent = (value: number) => `${value.toFixed(1)} %`;
  return (
    <section className="panel" aria-labelledby="retention-title">
      <div className="panel-head">
        <h2 id="retention-title">Retention</h2>
        <span className="muted">{formatRange(metrics.period_start, series.at(-1)?.period_start ?? metrics.period_start, monthLabel)}, customers with ARR at the start</span>
      </div>
      <div className="stats retention-stats">
        <div className="stat"><span className="stat-label">Gross revenue retention</span><span className="stat-value" data-testid="grr">{formatRatio(metrics.grr)}</span></div>
        <div className="stat"><span className="stat-label">Net revenue retention</span><span className="stat-value" data-testid="nrr">{formatRatio(metrics.nrr)}</span></div>
        <div className="stat"><span className="stat-label">Starting ARR ({metrics.customers} customers)</span><span className="stat-value">{formatMoneyCompact(metrics.starting_arr)}</span></div>
        <MoneyChangeStat label="Expansion" value={metrics.expansion} direction="up" testId="expansion" />
        <MoneyChangeStat label="Contraction" value={metrics.contraction} direction="down" testId="contraction" />
        <MoneyChangeStat label="Churn" value={metrics.churn} direction="down" testId="churn" />
      </div>
      <div className="retention-charts">
        <div>
          <h3>GRR, trailing 12 months</h3>
          <TrendChart points={ttmGrr} format={percent} subject="Gross revenue retention, trailing 12 months" caption="GRR" testId="grr-chart" />
        </div>
        <div>
          <h3>NRR, trailing 12 months</h3>
          <TrendChart points={ttmNrr} format={percent} subject="Net revenue retention, trailing 12 months" caption="NRR" testId="nrr-chart" />
        </div>
        <div>
          <h3>Each month</h3>
          <MovementBars metrics={metrics} />
        </div>
      </div>
      <details className="retention-table">
        <summary>Month by month</summary>
        <TableScroller label="Retention month by month">
          <table className="queue-table">
            <thead><tr><th>Month</th><th className="num">Starting ARR</th><th className="num">Expansion</th><th className="num">Contraction</th><th className="num">Churn</th><th className="num">GRR</th><th className="num">NRR</th><th className="num">GRR 12 m</th><th className="num">NRR 12 m</th></tr></thead>
            <tbody>
              {series.map((step) => (
                <tr key={step.period_start}>
                  <th scope="row">{monthLabel(step.period_start)}</th>
                  <td className="num">{formatMoney(step.starting_arr)}</td>
                  <td className="num">{formatMoney(step.expansion)}</td>
                  <td className="num">{formatMoney(step.contraction)}</td>
                  <td className="num">{formatMoney(step.churn)}</td>
                  <td className="num">{formatRatio(step.grr)}</td>
                  <td className="num">{formatRatio(step.nrr)}</td>
                  <td className="num">{formatRatio(step.trailing_12_months.grr)}</td>
                  <td className="num">{formatRatio(step.trailing_12_months.nrr)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroller>
      </details>
    </section>
  );
}

/**
 * One movement of ARR in a tile of its own: a gain in green, a loss in red, and $0 in the
 * plain colour (a red "$0" read as a loss). Contraction and churn once shared a tile as
 * "−$34.2K · $0", which a phone broke before its "· $0".
 */
function MoneyChangeStat({ label, value, direction, testId }: { label: string; value: number; direction: 'up' | 'down'; testId: string }) {
  const shown = formatMoneyChange(value, direction, true);
  const moved = /^[+−]/.test(shown);
  const tone = moved ? (direction === 'up' ? ' retention-up' : ' retention-down') : '';
  return <div className="stat"><span className="stat-label">{label}</span><span className={`stat-value${tone}`} data-testid={testId}>{shown}</span></div>;
}

const W = 300;
const H = 96;

/** Expansion up, contraction and churn down, per month (inline SVG). */
function MovementBars({ metrics }: { metrics: RetentionMetrics }) {
  const series = metrics.series;
  if (series.length === 0) return null;
  const max = Math.max(1, ...series.map((step) => Math.max(Number(step.expansion), Number(step.contraction) + Number(step.churn))));
  const mid = H / 2;
  const scale = (value: number) => (Number(value) / max) * (mid - 2);
  const slot = W / series.length;
  const label = series.map((step) => `${monthLabel(step.period_start)}: ${formatMoneyChange(step.expansion, 'up')}, ${formatMoneyChange(step.contraction, 'down')} contraction, ${formatMoneyChange(step.churn, 'down')} churn`).join('; ');
  return (
    <figure className="trend-chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`Expansion, contraction and churn by month. ${label}.`} preserveAspectRatio="none" style={{ height: H }} data-testid="movement-chart">
        <line x1={0} x2={W} y1={mid} y2={mid} className="axis-line" />
        {series.map((step, index) => {
          const x = index * slot + slot * 0.2;
          const width = slot * 0.6;
          const up = scale(step.expansion);
          const contraction = scale(step.contraction);
          const churn = scale(step.churn);
          return (
            <g key={step.period_start}>
              <title>{`${monthLabel(step.period_start)}: ${formatMoneyChange(step.expansion, 'up')} / ${formatMoneyChange(step.contraction, 'down')} / churn ${formatMoneyChange(step.churn, 'down')}`}</title>
              {up > 0 ? <rect x={x} y={mid - up} width={width} height={up} className="bar movement-expansion" /> : null}
              {contraction > 0 ? <rect x={x} y={mid} width={width} height={contraction} className="bar movement-contraction" /> : null}
              {churn > 0 ? <rect x={x} y={mid + contraction} width={width} height={churn} className="bar movement-churn" /> : null}
            </g>
          );
        })}
      </svg>
      <div className="chart-axis">
        <span>{monthLabel(series[0]!.period_start)}</span>
        <span>{monthLabel(series.at(-1)!.period_start)}</span>
      </div>
      {/* The legend below the axis, as on the forecast's bars: in the axis row it squeezed the month labels. */}
      <figcaption className="forecast-legend" data-testid="movement-legend">
        <span><i className="swatch movement-expansion" aria-hidden="true" />Expansion</span>
        <span><i className="swatch movement-contraction" aria-hidden="true" />Contraction</span>
        <span><i className="swatch movement-churn" aria-hidden="true" />Churn</span>
      </figcaption>
    </figure>
  );
}
