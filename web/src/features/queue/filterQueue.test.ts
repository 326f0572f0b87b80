import { describe, expect, it } from 'vitest';
import type { QueueItem } from '../../lib/types.ts';
import { appendPage, filterQueue, EMPTY_FILTER } from './filterQueue.ts';
import { describeFactors } from './priorityFactors.ts';

function item(id: string, overrides: Partial<QueueItem> & { name?: string; stage?: QueueItem['customer']['renewal_stage']; plan?: QueueItem['customer']['account_plan'] } = {}): QueueItem {
  return {
    execution_id: id, workflow_key: 'emergency', workflow_name: 'Emergency Stage', workflow_type: 'renewal', status: 'queued',
    priority_score: 100, priority_factors: null, assignee_id: null, current_step: null, total_steps: 4, completed_steps: 0,
    snoozed_until: null, created_at: '2026-01-01T00:00:00Z',
    customer: {
      id: `c-${id}`, name: overrides.name ?? `Customer ${id}`, domain: `${id}.example`, arr: 1000, health_score: 70,
      account_plan: overrides.plan ?? 'manage', renewal_stage: overrides.stage ?? 'Emergency', renewal_date: null, days_until_renewal: 3,
    },
    ...overrides,
  };
}

describe('queue filters', () => {
  const items = [
    item('a', { name: 'Acme Rockets', stage: 'Emergency', plan: 'invest' }),
    item('b', { name: 'Blue Harbor', stage: 'Monitor', plan: 'expand', workflow_type: 'strategic', workflow_name: 'Quarterly Business Review' }),
    item('c', { name: 'Cobalt', stage: 'Critical', plan: 'monitor', workflow_type: 'risk' }),
  ];

  it('keeps the priority order and narrows by type, stage and plan together', () => {
    expect(filterQueue(items, EMPTY_FILTER).map((i) => i.execution_id)).toEqual(['a', 'b', 'c']);
    expect(filterQueue(items, { ...EMPTY_FILTER, type: 'strategic' }).map((i) => i.execution_id)).toEqual(['b']);
    expect(filterQueue(items, { ...EMPTY_FILTER, stage: 'Critical', plan: 'monitor' }).map((i) => i.execution_id)).toEqual(['c']);
    expect(filterQueue(items, { ...EMPTY_FILTER, stage: 'Critical', plan: 'invest' })).toEqual([]);
  });

  it('searches customer names, domains and workflow names case-insensitively', () => {
    expect(filterQueue(items, { ...EMPTY_FILTER, search: 'harbor' }).map((i) => i.execution_id)).toEqual(['b']);
    expect(filterQueue(items, { ...EMPTY_FILTER, search: 'QUARTERLY' }).map((i) => i.execution_id)).toEqual(['b']);
    expect(filterQueue(items, { ...EMPTY_FILTER, search: 'c.example' }).map((i) => i.execution_id)).toEqual(['c']);
  });

  it('never shows an item twice when a page repeats one', () => {
    expect(appendPage([items[0]!, items[1]!], [items[1]!, items[2]!]).map((i) => i.execution_id)).toEqual(['a', 'b', 'c']);
  });
});

describe('priority factors', () => {
  it('explain the worked example of domain.md term by term', () => {
    const lines = describeFactors({
      arr: 180000, base: 90, score: 337, arr_mult: 2, plan_mult: 1.5, raw_score: 336.5, stage_bonus: 15, account_plan: 'invest',
      renewal_stage: 'Emergency', workflow_type: 'renewal', experience_mult: 1.1, active_workflows: 5, experience_level: 'senior', workload_penalty: 10,
    });
    expect(lines.map((line) => `${line.label}: ${line.value}`)).toEqual([
      'Base urgency (Emergency): 90',
      'Stage bonus (Emergency): +15',
      'ARR $180,000: × 2',
      'Account plan (invest): × 1.5',
      'CSM experience (senior): × 1.1',
      'Workload (5 active workflows): − 10',
    ]);
  });
});
