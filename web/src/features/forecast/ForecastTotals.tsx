// Totals of the period by category (open renewals) and by outcome (closed ones), and the
// same split per month as a stacked bar chart and a table. Every number is a button that
// shows the renewals behind it in the list below.
import { useId } from 'react';
import { formatMoney, formatMoneyCompact } from '../../lib/format.ts';
import { BUCKET_LABELS, FORECAST_CATEGORIES, monthLabel, OUTCOMES, type ForecastBucket, type RenewalForecast } from './api.ts';
import { TableScroller } from '../../components/TableScroller.tsx';

export interface Selection {
  category: ForecastBucket | null;
  month: string | null;
}

/** Open categories, then outcomes: the API's lists, in their order. */
const ORDER: ForecastBucket[] = [...FORECAST_CATEGORIES, ...OUTCOMES];

interface Props {
  forecast: RenewalForecast;
  selection: Selection;
  onSelect: (selection: Selection) => void;
}

export function ForecastTotals({ forecast, selection, onSelect }: Props) {
  const pick = (category: ForecastBucket | null, month: string | null) =>
    onSelect(selection.category === category && selection.month === month ? { category: null, month: null } : { category, month });
  return (
    <>
      <section className="forecast-cards" aria-label="Totals by category">
        {forecast.by_category.map((total) => (
          <button
            type="button"
            key={total.category}
            className={`forecast-card bucket-${total.category}`}
            aria-pressed={selection.category === total.category && selection.month === null}
            onClick={() => pick(total.category, null)}
            data-testid={`total-${total.category}`}
          >
            <span className="forecast-card-label">{BUCKET_LABELS[total.category]}</span>
            <span className="forecast-card-value">{formatMoney(total.forecast_arr)}</span>
            <span className="forecast-card-sub">
              {total.count} {total.count === 1 ? 'renewal' : 'renewals'}
              {total.state === 'open' ? ` · ${formatMoneyCompact(total.current_arr)} today` : ` · was ${formatMoneyCompact(total.current_arr)}`}
            </span>
          </button>
        ))}
      </section>
      <section className="panel" aria-labelledby="by-month-title">
        <div className="panel-head panel-head-wrap"><h2 id="by-month-title">By month</h2>
          <span className="muted">Forecast ARR of the renewals due each month, by category</span></div>
        <MonthBars forecast={forecast} />
        <TableScroller label="Forecast by month">
          <table className="queue-table forecast-month-table">
            <thead>
              <tr><th>Month</th>{ORDER.map((key) => <th key={key} className="num">{BUCKET_LABELS[key]}</th>)}<th className="num">Total</th></tr>
            </thead>
            <tbody>
              {forecast.by_month.map((month) => (
                <tr key={month.month}>
                  <th scope="row">{monthLabel(month.month)}</th>
                  {ORDER.map((key) => {
                    const cell = month.by_category[key];
                    return (
                      <td key={key} className="num">
                        {cell && cell.count > 0 ? (
                          <button type="button" className="linklike" aria-pressed={selection.category === key && selection.month === month.month}
                            // The visible text starts the name (WCAG 2.5.3), the rest says what it counts.
                            aria-label={`${formatMoneyCompact(cell.forecast_arr)} (${cell.count}): ${BUCKET_LABELS[key]} in ${monthLabel(month.month)}, ${formatMoney(cell.forecast_arr)} forecast ARR`}
                            onClick={() => pick(key, month.month)}>
                            {formatMoneyCompact(cell.forecast_arr)} <span className="muted">({cell.count})</span>
                          </button>
                        ) : <span className="muted">—</span>}
                      </td>
                    );
                  })}
                  <td className="num">
                    {/* A month without renewals opens nothing, so it is no button (as an empty cell). */}
                    {month.count > 0 ? (
                      <button type="button" className="linklike" aria-pressed={selection.category === null && selection.month === month.month}
                        onClick={() => pick(null, month.month)}>
                        {formatMoneyCompact(month.forecast_arr)} <span className="muted">({month.count})</span>
                      </button>
                    ) : <span className="muted">—</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroller>
      </section>
    </>
  );
}

const BAR_WIDTH = 300;
const BAR_HEIGHT = 120;

/** A closed outcome is hatched in its open category's hue (renewed like commit, downgraded like at risk, churned like churn expected): told apart by more than colour. */
const HATCHED = new Set<ForecastBucket>(OUTCOMES);

/** Stacked bars: forecast ARR per month, one look per category (inline SVG, named for screen readers); each month's label under its bar, the legend below. */
function MonthBars({ forecast }: { forecast: RenewalForecast }) {
  const patternId = useId();
  const months = forecast.by_month;
  if (months.length === 0) return null;
  const max = Math.max(1, ...months.map((month) => ORDER.reduce((sum, key) => sum + Number(month.by_category[key]?.forecast_arr ?? 0), 0)));
  const slot = BAR_WIDTH / months.length;
  const label = months.map((month) => `${monthLabel(month.month)}: ${formatMoney(month.forecast_arr)}`).join('; ');
  const hatch = (key: ForecastBucket) => `${patternId}-${key}`;
  return (
    <figure className="forecast-bars">
      <svg viewBox={`0 0 ${BAR_WIDTH} ${BAR_HEIGHT}`} role="img" aria-label={`Forecast ARR by month. ${label}.`} preserveAspectRatio="none">
        <defs>
          {/* Horizontal stripes: the chart stretches sideways (preserveAspectRatio none), which leaves them as they are. */}
          {OUTCOMES.map((key) => (
            <pattern key={key} id={hatch(key)} patternUnits="userSpaceOnUse" width="4" height="4">
              <rect width="4" height="4" className={`hatch-gap bucket-${key}`} />
              <rect width="4" height="2" className={`hatch-line bucket-${key}`} />
            </pattern>
          ))}
        </defs>
        {months.map((month, index) => {
          let y = BAR_HEIGHT;
          return ORDER.map((key) => {
            const value = Number(month.by_category[key]?.forecast_arr ?? 0);
            if (value <= 0) return null;
            const h = (value / max) * (BAR_HEIGHT - 4);
            y -= h;
            return (
              <rect key={`${month.month}-${key}`} x={index * slot + slot * 0.2} y={y} width={slot * 0.6} height={h}
                className={`bar bucket-${key}${HATCHED.has(key) ? ' bar-hatched' : ''}`} style={HATCHED.has(key) ? { fill: `url(#${hatch(key)})` } : undefined}
                data-testid={`bar-${month.month}-${key}`}>
                <title>{`${monthLabel(month.month)} · ${BUCKET_LABELS[key]}: ${formatMoney(value)}`}</title>
              </rect>
            );
          });
        })}
      </svg>
      <div className="chart-axis forecast-axis" style={{ gridTemplateColumns: `repeat(${months.length}, minmax(0, 1fr))` }} data-testid="forecast-axis">
        {months.map((month) => <span key={month.month}>{monthLabel(month.month)}</span>)}
      </div>
      <figcaption className="forecast-legend" data-testid="forecast-legend">
        {ORDER.map((key) => <span key={key}><i className={`swatch bucket-${key}${HATCHED.has(key) ? ' swatch-hatched' : ''}`} aria-hidden="true" />{BUCKET_LABELS[key]}</span>)}
      </figcaption>
    </figure>
  );
}
