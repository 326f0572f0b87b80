// Turns an item's priority_factors into sentences: "why is this first?".
import type { PriorityFactors } from '../../lib/types.ts';
import { humanize } from '../../lib/format.ts';

export interface FactorLine {
  key: string;
  label: string;
  value: string;
}

const LABELS: Record<string, string> = {
  base: 'Base urgency',
  stage_bonus: 'Stage bonus',
  arr_mult: 'ARR multiplier',
  arr_multiplier: 'ARR multiplier',
  plan_mult: 'Account plan multiplier',
  plan_multiplier: 'Account plan multiplier',
  experience_mult: 'CSM experience multiplier',
  experience_multiplier: 'CSM experience multiplier',
  active_workflows_of_assignee: 'Assignee’s active workflows',
  active_workflows: 'Assignee’s active workflows',
  workload_penalty: 'Workload penalty',
};

const ORDER = Object.keys(LABELS);

export function describeFactors(factors: PriorityFactors | null | undefined): FactorLine[] {
  if (!factors) return [];
  return Object.entries(factors)
    .filter(([, value]) => value !== null && value !== undefined && typeof value !== 'object')
    .sort(([a], [b]) => (ORDER.indexOf(a) === -1 ? 99 : ORDER.indexOf(a)) - (ORDER.indexOf(b) === -1 ? 99 : ORDER.indexOf(b)))
    .map(([key, value]) => {
      const isMultiplier = /mult/.test(key);
      const shown = typeof value === 'number'
        ? (isMultiplier ? `× ${value}` : key === 'stage_bonus' || key === 'base' ? `+${value}` : String(value))
        : String(value);
      return { key, label: LABELS[key] ?? humanize(key), value: shown };
    });
}
