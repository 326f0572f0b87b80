// The Forecast page's calls (get_renewal_forecast, set_renewal_forecast,
// record_renewal_outcome, record_customer_renewal_outcome, get_retention_metrics) and their result shapes, through the
// shared supabase client the way lib/api.ts calls RPCs.
import { FORECAST_CATEGORIES, OUTCOMES, type RpcResult } from '../../../../functions-shared/api/index.ts';
import { typedRpc, type Api } from '../../lib/api.ts';

export { FORECAST_CATEGORIES, OUTCOMES };
export type ForecastCategory = (typeof FORECAST_CATEGORIES)[number];
export type RenewalOutcome = (typeof OUTCOMES)[number];
export type ForecastBucket = ForecastCategory | RenewalOutcome;

export const BUCKET_LABELS: Record<ForecastBucket, string> = {
  commit: 'Commit',
  probable: 'Probable',
  at_risk: 'At risk',
  churn_expected: 'Churn expected',
  renewed: 'Renewed',
  downgraded: 'Downgraded',
  churned: 'Churned',
};

// The shapes are the API's (functions-shared/api/revenue.ts).
export type RenewalForecast = RpcResult<'get_renewal_forecast'>;
export type BucketTotal = Omit<RenewalForecast['totals'], 'open' | 'closed'>;
export type CategoryTotal = RenewalForecast['by_category'][number];
export type MonthTotal = RenewalForecast['by_month'][number];
export type ForecastItem = RenewalForecast['items'][number];
export type RetentionMetrics = RpcResult<'get_retention_metrics'>;
export type RetentionFigure = Omit<RetentionMetrics, 'granularity' | 'series'>;
export type SetForecastResult = RpcResult<'set_renewal_forecast'>;
export type OutcomeResult = RpcResult<'record_renewal_outcome'>;

export interface ForecastQuery {
  period_start: string;
  period_end: string;
  assignee_id?: string | null;
  category?: ForecastBucket | null;
  month?: string | null;
  max_items?: number;
}

export function forecastApi(api: Api) {
  const rpc = typedRpc(api.client);
  return {
    getForecast: (query: ForecastQuery) => rpc('get_renewal_forecast', { ...query }),
    setForecast: (executionId: string, category: ForecastCategory, forecastArr?: number | null, note?: string | null) =>
      rpc('set_renewal_forecast', { execution_id: executionId, category, forecast_arr: forecastArr, note }),
    /** With a key: the same outcome again answers what it answered (a lost answer). */
    recordOutcome: (executionId: string, outcome: RenewalOutcome, newArr: number | null, idempotencyKey: string) =>
      rpc('record_renewal_outcome', { execution_id: executionId, outcome, new_arr: newArr, idempotency_key: idempotencyKey }),
    /** A renewal past its decision that no workflow works, closed by its customer. */
    recordCustomerOutcome: (customerId: string, outcome: RenewalOutcome, newArr: number | null, idempotencyKey: string) =>
      rpc('record_customer_renewal_outcome', { customer_id: customerId, outcome, new_arr: newArr, idempotency_key: idempotencyKey }),
    getRetention: (periodStart: string, periodEnd: string, granularity: 'month' | 'quarter' = 'month') =>
      rpc('get_retention_metrics', { period_start: periodStart, period_end: periodEnd, granularity }),
  };
}
export type ForecastApi = ReturnType<typeof forecastApi>;

/** First day of the quarter `offset` quarters from the one containing `today` (ISO dates). */
export function quarterStart(today: Date, offset = 0): string {
  const month = Math.floor(today.getUTCMonth() / 3) * 3 + offset * 3;
  const date = new Date(Date.UTC(today.getUTCFullYear(), month, 1));
  return date.toISOString().slice(0, 10);
}

/** ISO date `months` months after the first-of-month date `iso`. */
export function addMonths(iso: string, months: number): string {
  const [year, month] = iso.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, month - 1 + months, 1)).toISOString().slice(0, 10);
}

/** "Jan 2027" for a first-of-month ISO date. */
export function monthLabel(iso: string): string {
  const [year, month] = iso.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, month - 1, 1)).toLocaleDateString('en-GB', { month: 'short', year: 'numeric', timeZone: 'UTC' });
}

/** "93.4 %" for a ratio; "—" without one. */
export function formatRatio(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : `${(Number(value) * 100).toFixed(1)} %`;
}
