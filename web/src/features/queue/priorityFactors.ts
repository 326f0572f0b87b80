// Turns an item's priority_factors into the formula's terms with what drove each:
// "why is this first?" (docs/business-rules.md: (base + stage_bonus) × arr × plan × experience − workload).
import type { PriorityFactors, QueueLane } from '../../lib/types.ts';
import { LANE_LABEL } from './lanes.ts';
import { formatMoney, humanize } from '../../lib/format.ts';

export interface FactorLine {
  key: string;
  label: string;
  value: string;
}

const CONTEXT_KEYS = new Set(['lane', 'score', 'raw_score', 'arr', 'account_plan', 'renewal_stage', 'workflow_type', 'experience_level', 'active_workflows', 'active_workflows_of_assignee', 'opportunity_score', 'risk_score']);

function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : typeof value === 'string' && value !== '' && Number.isFinite(Number(value)) ? Number(value) : null;
}

/** `typeLabels`: workflow type → its label (the lookup, list_workflow_types); a type not in it is humanised. */
export function describeFactors(factors: PriorityFactors | null | undefined, typeLabels: Readonly<Record<string, string>> = {}): FactorLine[] {
  if (!factors) return [];
  const f = factors as Record<string, unknown>;
  const lines: FactorLine[] = [];
  const add = (key: string, label: string, value: string) => lines.push({ key, label, value });
  const type = typeof f.workflow_type === 'string' ? f.workflow_type : null;
  // The lane orders the queue before the score does, so it comes first.
  if (typeof f.lane === 'string') add('lane', 'Lane (ordered before the score)', LANE_LABEL[f.lane as QueueLane] ?? f.lane);
  const stage = typeof f.renewal_stage === 'string' ? f.renewal_stage : null;

  const base = num(f.base);
  if (base !== null) add('base', `Base urgency${type === 'renewal' && stage ? ` (${stage})` : type ? ` (${(typeLabels[type] ?? humanize(type)).toLowerCase()})` : ''}`, String(base));
  const bonus = num(f.stage_bonus);
  if (bonus !== null && bonus !== 0) add('stage_bonus', `Stage bonus${stage ? ` (${stage})` : ''}`, `+${bonus}`);
  const arrMult = num(f.arr_mult ?? f.arr_multiplier);
  if (arrMult !== null) add('arr_mult', `ARR${num(f.arr) !== null ? ` ${formatMoney(num(f.arr))}` : ''}`, `× ${arrMult}`);
  const planMult = num(f.plan_mult ?? f.plan_multiplier);
  if (planMult !== null) add('plan_mult', `Account plan${typeof f.account_plan === 'string' ? ` (${f.account_plan})` : ''}`, `× ${planMult}`);
  const expMult = num(f.experience_mult ?? f.experience_multiplier);
  if (expMult !== null) add('experience_mult', `CSM experience${typeof f.experience_level === 'string' ? ` (${f.experience_level})` : ''}`, `× ${expMult}`);
  const active = num(f.active_workflows ?? f.active_workflows_of_assignee);
  const penalty = num(f.workload_penalty) ?? (active !== null ? 2 * active : null);
  if (penalty !== null) add('workload_penalty', `Workload${active !== null ? ` (${active} active workflow${active === 1 ? '' : 's'})` : ''}`, `− ${penalty}`);

  // Anything else the server adds, shown as it is.
  const known = new Set(['base', 'stage_bonus', 'arr_mult', 'arr_multiplier', 'plan_mult', 'plan_multiplier', 'experience_mult', 'experience_multiplier', 'workload_penalty']);
  for (const [key, value] of Object.entries(f)) {
    if (known.has(key) || CONTEXT_KEYS.has(key) || value === null || typeof value === 'object') continue;
    add(key, humanize(key), String(value));
  }
  return lines;
}
