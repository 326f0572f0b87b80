// The Forecast page's calls (get_renewal_forecast, set_renewal_forecast,
// record_renewal_outcome, get_retention_metrics) and their result shapes, through the
// shared supabase client the way lib/api.ts calls RPCs.
import type { Api } from '../../lib/api.ts';
import { fromPostgrestError } from '../../lib/errors.ts';

export const FORECAST_CATEGORIES = ['commit', 'probable', 'at_risk', 'churn_expected'] as const;
export type ForecastCategory = (typeof FORECAST_CATEGORIES)[number];
export const OUTCOMES = ['renewed', 'downgraded', 'churned'] as const;
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

export interface BucketTotal {
  count: number;
  current_arr: number;
  forecast_arr: number;
}

export interface CategoryTotal extends BucketTotal {
  category: ForecastBucket;
  state: 'open' | 'closed';
}

export interface MonthTotal extends BucketTotal {
  month: string;
  by_category: Record<ForecastBucket, BucketTotal>;
}

export interface ForecastItem {
  state: 'open' | 'closed';
  execution_id: string;
  customer: { id: string; name: string; health_score?: number | null; risk_score?: number | null; account_plan?: string | null };
  renewal_date: string;
  decision_date: string | null;
  assignee_id: string | null;
  category: ForecastBucket;
  category_source: 'person' | 'derived' | 'outcome';
  current_arr: number;
  forecast_arr: number;
  note: string | null;
  set_by: string | null;
  set_at: string | null;
  outcome: null | {
    outcome: RenewalOutcome;
    previous_arr: number;
    new_arr: number;
    recorded_by: string | null;
    recorded_at: string;
    forecast_category: ForecastCategory | null;
    forecast_arr: number | null;
  };
}

export interface RenewalForecast {
  period_start: string;
  period_end: string;
  assignee_id: string | null;
  totals: BucketTotal & { open: BucketTotal; closed: BucketTotal };
  by_category: CategoryTotal[];
  by_month: MonthTotal[];
  items_total: number;
  items: ForecastItem[];
}

export interface RetentionFigure {
  period_start: string;
  period_end: string;
  customers: number;
  starting_arr: number;
  expansion: number;
  contraction: number;
  churn: number;
  ending_arr: number;
  grr: number | null;
  nrr: number | null;
}

export interface RetentionMetrics extends RetentionFigure {
  granularity: 'month' | 'quarter';
  series: (RetentionFigure & { trailing_12_months: RetentionFigure })[];
}

export interface SetForecastResult {
  execution_id: string;
  customer_id: string;
  renewal_date: string;
  category: ForecastCategory;
  category_source: 'person';
  current_arr: number;
  forecast_arr: number;
  note: string | null;
  set_by: string;
  set_at: string;
}

export interface OutcomeResult {
  outcome_id: string;
  outcome: RenewalOutcome;
  previous_arr: number;
  new_arr: number;
  next_renewal_date: string | null;
}

export interface ForecastQuery {
  period_start: string;
  period_end: string;
  assignee_id?: string | null;
  category?: ForecastBucket | null;
  month?: string | null;
  max_items?: number;
}

export function forecastApi(api: Api) {
  async function rpc<T>(name: string, args: Record<string, unknown>): Promise<T> {
    const compact = Object.fromEntries(Object.entries(args).filter(([, value]) => value !== undefined && value !== null));
    // Second-release RPCs are typed here until the generated Database type is regenerated.
    const { data, error, status } = await api.client.rpc(name as never, compact as never);
    if (error) throw fromPostgrestError(error, status);
    return data as T;
  }
  return {
    getForecast: (query: ForecastQuery) => rpc<RenewalForecast>('get_renewal_forecast', { ...query }),
    setForecast: (executionId: string, category: ForecastCategory, forecastArr?: number | null, note?: string | null) =>
      rpc<SetForecastResult>('set_renewal_forecast', { execution_id: executionId, category, forecast_arr: forecastArr, note }),
    recordOutcome: (executionId: string, outcome: RenewalOutcome, newArr?: number | null) =>
      rpc<OutcomeResult>('record_renewal_outcome', { execution_id: executionId, outcome, new_arr: newArr }),
    getRetention: (periodStart: string, periodEnd: string, granularity: 'month' | 'quarter' = 'month') =>
      rpc<RetentionMetrics>('get_retention_metrics', { period_start: periodStart, period_end: periodEnd, granularity }),
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
