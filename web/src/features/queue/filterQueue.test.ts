import { describe, expect, it } from 'vitest';
import type { QueueItem } from '../../lib/types.ts';
import { EMPTY_FILTER, isFiltering, toServerFilters } from './filterQueue.ts';
import { isWellFormedText } from '../../../../functions-shared/text.ts';
import { appendNew } from '../../hooks/useCursorPages.ts';
import { describeRenewalClock } from './lanes.ts';
import { describeFactors } from './priorityFactors.ts';

function item(id: string, overrides: Partial<QueueItem> & { name?: string; stage?: QueueItem['customer']['renewal_stage']; plan?: QueueItem['customer']['account_plan'] } = {}): QueueItem {
  return {
    execution_id: id, workflow_key: 'emergency', workflow_name: 'Emergency Stage', workflow_type: 'renewal', status: 'queued', lane: 'now',
    priority_score: 100, priority_factors: {}, assignee_id: null, current_step: null, total_steps: 4, completed_steps: 0,
    snoozed_until: null, created_at: '2026-01-01T00:00:00Z',
    customer: {
      id: `c-${id}`, name: overrides.name ?? `Customer ${id}`, domain: `${id}.example`, arr: 1000, health_score: 70,
      account_plan: overrides.plan ?? 'manage', renewal_stage: overrides.stage ?? 'Emergency', renewal_date: null, days_until_renewal: 3,
      decision_date: null, days_until_decision: null, risk_score: null, opportunity_score: null, assigned_to: null,
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

  it('are sent to the server as get_workflow_queue filters, only what is set', () => {
    expect(toServerFilters(EMPTY_FILTER)).toEqual({});
    expect(isFiltering(EMPTY_FILTER)).toBe(false);
    expect(toServerFilters({ search: '  Harbor ', type: 'strategic', stage: 'Critical', plan: 'monitor', lane: 'now' })).toEqual({
      search: 'Harbor', types: ['strategic'], stages: ['Critical'], plans: ['monitor'], lanes: ['now'],
    });
    expect(isFiltering({ ...EMPTY_FILTER, lane: 'soon' })).toBe(true);
    expect(toServerFilters({ ...EMPTY_FILTER, search: '   ' })).toEqual({});
    expect(toServerFilters({ ...EMPTY_FILTER, search: 'x'.repeat(300) }).search).toHaveLength(200);
  });

  it('cut a long search by characters, never inside an emoji', () => {
    // 199 letters, then an emoji of two UTF-16 units: cut at 200 units, half of it would be sent.
    const search = toServerFilters({ ...EMPTY_FILTER, search: `${'x'.repeat(199)}\u{1F600}yz` }).search!;
    expect(search).toBe(`${'x'.repeat(199)}\u{1F600}`);
    expect(isWellFormedText(search)).toBe(true);
  });

  it('never shows an item twice when a page repeats one', () => {
    expect(appendNew([items[0]!, items[1]!], [items[1]!, items[2]!], (i) => i.execution_id).map((i) => i.execution_id)).toEqual(['a', 'b', 'c']);
  });
});

describe('the renewal clock', () => {
  it('shows the notice deadline beside the renewal date only where it differs', () => {
    expect(describeRenewalClock({ renewal_date: '2027-03-30', decision_date: '2027-01-29' })).toBe('renews 30 Mar · notice by 29 Jan');
    expect(describeRenewalClock({ renewal_date: '2027-03-30', decision_date: '2027-03-30' })).toBe('renews 30 Mar');
    expect(describeRenewalClock({ renewal_date: null, decision_date: null })).toBeNull();
  });
});

describe('priority factors', () => {
  it('explain the worked example of docs/business-rules.md term by term', () => {
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

  it('puts the lane first: it orders the queue before the score', () => {
    const lines = describeFactors({ base: 100, stage_bonus: 20, lane: 'now', renewal_stage: 'Overdue', workflow_type: 'renewal' });
    expect(lines[0]).toEqual({ key: 'lane', label: 'Lane (ordered before the score)', value: 'Now' });
  });
});
