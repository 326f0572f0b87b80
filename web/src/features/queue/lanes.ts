// Lanes and the renewal clock as the queue shows them.
import type { CustomerSummary, QueueLane } from '../../lib/types.ts';

// The lane names are the API's (also the daily brief's words): defined once.
export { QUEUE_LANE_LABEL as LANE_LABEL } from '../../../../functions-shared/api/workflow.ts';
import { QueueLane as QueueLaneEnum } from '../../../../functions-shared/api/workflow.ts';
export const LANE_TONE: Record<QueueLane, string> = { now: 'danger', soon: 'warning', planned: 'neutral' };
/** The lanes in the queue's order (the API's enum). */
export const QUEUE_LANES: readonly QueueLane[] = QueueLaneEnum.options;
/** The renewal stages Overdue, Emergency and Critical in words: the decision date (the notice deadline) under 14 days away. */
export const URGENT_RENEWAL = 'Renewal decision overdue or within 13 days';
export const LANE_MEANING: Record<QueueLane, string> = {
  now: `${URGENT_RENEWAL}, work handed back after an escalation, or high risk`,
  soon: 'Renewal decision in 14 to 59 days, or other risk work',
  planned: 'Reviews, opportunities and later renewals',
};

const shortDate = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });

/** "30 Mar" for an ISO date (a calendar day, shown as that day whatever the browser's zone). */
export function formatShortDate(value: string | null | undefined): string {
  if (!value) return '—';
  const date = new Date(`${value.slice(0, 10)}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? '—' : shortDate.format(date);
}

/** "renews 30 Mar · notice by 29 Jan" (the notice deadline only where it differs). */
export function describeRenewalClock(customer: Pick<CustomerSummary, 'renewal_date' | 'decision_date'>): string | null {
  if (!customer.renewal_date) return null;
  const renews = `renews ${formatShortDate(customer.renewal_date)}`;
  if (!customer.decision_date || customer.decision_date === customer.renewal_date) return renews;
  return `${renews} · notice by ${formatShortDate(customer.decision_date)}`;
}
