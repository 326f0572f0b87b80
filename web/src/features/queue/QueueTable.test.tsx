// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen, within } from '@testing-library/react';
import type { QueueItem } from '../../lib/types.ts';
import { QueueTable } from './QueueTable.tsx';

afterEach(cleanup);

function item(id: string, overrides: Partial<QueueItem> = {}, customer: Partial<QueueItem['customer']> = {}): QueueItem {
  return {
    execution_id: id, workflow_key: 'critical', workflow_name: 'Critical Stage', workflow_type: 'renewal', status: 'queued', lane: 'now',
    priority_score: 96, priority_factors: { base: 80, stage_bonus: 10, lane: 'now' }, assignee_id: null, current_step: null,
    total_steps: 4, completed_steps: 0, snoozed_until: null, created_at: '2026-01-01T00:00:00Z',
    customer: {
      id: `c-${id}`, name: `Customer ${id}`, domain: null, arr: 1000, health_score: 42, account_plan: 'monitor', renewal_stage: 'Critical',
      renewal_date: '2027-03-30', days_until_renewal: 70, decision_date: '2027-01-29', days_until_decision: 10,
      risk_score: null, opportunity_score: null, assigned_to: null, ...customer,
    },
    ...overrides,
  };
}

describe('the queue table', () => {
  it('shows each row\'s lane, and the notice deadline beside the renewal date where it differs', () => {
    render(<QueueTable items={[
      item('a'),
      item('b', { lane: 'planned', workflow_type: 'strategic', workflow_name: 'Monthly Health Check' },
        { renewal_date: '2027-08-01', decision_date: '2027-08-01', days_until_renewal: 220, days_until_decision: 220 }),
    ]} activeIndex={0} onActivate={() => {}} />);
    const [first, second] = screen.getAllByTestId('queue-row');
    expect(first!.querySelector('td .badge')?.textContent).toBe('Now');
    expect(within(first!).getByRole('tooltip', { hidden: true }).textContent).toMatch(/^Why this priority: Lane \(ordered before the score\): Now/);
    expect(first!.textContent).toContain('in 10 days');
    expect(first!.textContent).toContain('renews 30 Mar 2027 unless notice by 29 Jan 2027');
    expect(second!.querySelector('td .badge')?.textContent).toBe('Planned');
    expect(second!.textContent).toContain('renews 1 Aug 2027');
    expect(second!.textContent).not.toContain('notice by');
  });

  it('says until when a snoozed row sleeps, as a snoozed task does ("until 9 Dec 2026")', () => {
    render(<QueueTable items={[item('s', { status: 'snoozed', snoozed_until: '2026-12-09T09:00:00Z' })]} activeIndex={0} onActivate={() => {}} />);
    expect(screen.getByTestId('queue-row').textContent).toMatch(/Snoozed\s*until 9 Dec 2026 · Step|Snoozed\s*until 9 Dec 2026 · 0 of 4/);
  });

  it('grouped by customer, says how many other items the customer has and of what kind', () => {
    render(<QueueTable items={[item('a', { other_items: { count: 2, kinds: ['renewal', 'strategic'] } }), item('b', { other_items: { count: 0, kinds: [] } })]}
      activeIndex={0} onActivate={() => {}} />);
    expect(screen.getAllByTestId('other-items').map((node) => node.textContent)).toEqual(['+2 more: renewal, strategic']);
  });

  it('names the other items\' kinds and the priority\'s workflow type by the lookup\'s labels when given them', () => {
    render(<QueueTable items={[item('a', { workflow_type: 'strategic', priority_factors: { base: 40, workflow_type: 'strategic' }, other_items: { count: 2, kinds: ['renewal', 'land_expand'] } })]}
      activeIndex={0} onActivate={() => {}} typeLabels={{ renewal: 'Renewal', strategic: 'Account review', land_expand: 'Land and expand' }} />);
    expect(screen.getByTestId('other-items').textContent).toBe('+2 more: Renewal, Land and expand');
    expect(screen.getByRole('tooltip', { hidden: true }).textContent).toContain('Base urgency (account review)');
  });
});
