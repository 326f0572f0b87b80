// A brief's fact as labelled, formatted values — money as money, days as dates, lanes by
// their names — like the rest of the app, never raw keys ("arr 180000", "lane now").
import { formatCalendarDay, formatDateTime, formatDaysUntil, formatMoney, humanize } from '../../lib/format.ts';
import { LANE_LABEL } from '../queue/lanes.ts';
import type { BriefFact } from './api.ts';

export interface FactField { key: string; label: string; value: string }

/** Shown elsewhere in the panel (kind, customer) or only ids. */
const HIDDEN = new Set(['id', 'kind', 'customer', 'customer_id', 'execution_id', 'task_id', 'proposal_id', 'event_id']);

type Format = (value: unknown, fact: BriefFact) => string;
const text: Format = (value) => String(value);
const number: Format = (value) => (typeof value === 'number' ? value.toLocaleString('en-US') : String(value));
const days: Format = (value) => formatDaysUntil(Number(value));
/** Before and after of a change: health points, usage percent, or a stage's name. */
const measured: Format = (value, fact) => (fact.kind === 'usage_drop' ? `${number(value, fact)} %` : fact.kind === 'stage_change' ? humanize(String(value)) : number(value, fact));

const FIELDS: Record<string, { label: string | ((fact: BriefFact) => string); format: Format }> = {
  workflow: { label: 'Workflow', format: text },
  title: { label: 'Title', format: text },
  lane: { label: 'Lane', format: (value) => LANE_LABEL[value as keyof typeof LANE_LABEL] ?? humanize(String(value)) },
  stage: { label: 'Renewal stage', format: (value) => humanize(String(value)) },
  arr: { label: 'ARR', format: (value) => formatMoney(Number(value)) },
  priority_score: { label: 'Priority', format: number },
  renewal_date: { label: 'Renews', format: formatCalendarDay },
  decision_date: { label: 'Decision due', format: formatCalendarDay },
  days_until_decision: { label: 'Decision', format: days },
  days: { label: 'Decision', format: days },
  due_date: { label: 'Due', format: formatCalendarDay },
  from: { label: (fact) => (fact.kind === 'health_drop' ? 'Health before' : fact.kind === 'usage_drop' ? 'Usage before' : 'From'), format: measured },
  to: { label: (fact) => (fact.kind === 'health_drop' ? 'Health now' : fact.kind === 'usage_drop' ? 'Usage now' : 'To'), format: measured },
  drop: { label: 'Down by', format: (value, fact) => (fact.kind === 'usage_drop' ? `${number(value, fact)} points` : number(value, fact)) },
  status: { label: 'Status', format: (value) => humanize(String(value)) },
  at: { label: 'When', format: (value) => formatDateTime(String(value)) },
  forced: { label: 'Must be done', format: (value) => (value ? 'Yes' : 'No') },
  action_key: { label: 'Action', format: (value) => humanize(String(value)) },
  rationale: { label: 'Why', format: text },
};

function fallback(value: unknown): string {
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (typeof value === 'number') return value.toLocaleString('en-US');
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return formatCalendarDay(value);
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value)) return formatDateTime(value);
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

export function factFields(fact: BriefFact): FactField[] {
  return Object.entries(fact)
    .filter(([key, value]) => !HIDDEN.has(key) && value !== null && value !== undefined && value !== '' && !(key === 'forced' && value === false))
    .map(([key, value]) => {
      const known = FIELDS[key];
      if (!known) return { key, label: humanize(key), value: fallback(value) };
      return { key, label: typeof known.label === 'function' ? known.label(fact) : known.label, value: known.format(value, fact) };
    });
}
