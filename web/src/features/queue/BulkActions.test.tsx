// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import type { QueueItem } from '../../lib/types.ts';
import { QueueTable } from './QueueTable.tsx';
import { BulkActions, describeOutcome, runForEach } from './BulkActions.tsx';
import { cannedWorkspace } from '../customers/testWorkspace.tsx';

afterEach(cleanup);

function item(id: string): QueueItem {
  return {
    execution_id: id, workflow_key: 'critical', workflow_name: 'Critical Stage', workflow_type: 'renewal', status: 'queued', lane: 'now',
    priority_score: 96, priority_factors: { lane: 'now' }, assignee_id: null, current_step: null, total_steps: 4, completed_steps: 0,
    snoozed_until: null, created_at: '2026-01-01T00:00:00Z',
    customer: { id: `c-${id}`, name: `Customer ${id}`, domain: null, arr: 1000, health_score: 42, account_plan: 'monitor', renewal_stage: 'Critical',
      renewal_date: '2027-03-30', days_until_renewal: 70, decision_date: '2027-03-30', days_until_decision: 70,
      risk_score: null, opportunity_score: null, assigned_to: null },
  };
}

describe('bulk actions on the queue', () => {
  it('ticks rows one by one or all at once; the customer name opens the customer, the workflow name the workflow', () => {
    let ticked: [string[], boolean] | null = null;
    render(<QueueTable items={[item('a'), item('b')]} activeIndex={0} onActivate={() => {}} selected={new Set(['a'])}
      onSelect={(ids, on) => { ticked = [ids, on]; }} />);
    const [first, second] = screen.getAllByTestId('queue-row');
    expect((within(first!).getByRole('checkbox') as HTMLInputElement).checked).toBe(true);
    fireEvent.click(within(second!).getByRole('checkbox', { name: 'Select Customer b: Critical Stage' }));
    expect(ticked).toEqual([['b'], true]);
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select every row shown' }));
    expect(ticked).toEqual([['a', 'b'], true]);
    expect(within(first!).getByRole('link', { name: 'Customer a' }).getAttribute('href')).toBe('/customers/c-a');
    expect(within(first!).getByRole('link', { name: 'Critical Stage' }).getAttribute('href')).toBe('/workflows/a');
  });

  it('has no checkboxes without a selection (viewers)', () => {
    render(<QueueTable items={[item('a')]} activeIndex={0} onActivate={() => {}} />);
    expect(screen.queryByRole('checkbox')).toBeNull();
  });

  it('acts on each item and says which could not be done and why', async () => {
    const outcome = await runForEach([item('a'), item('b'), item('c')], async (entry) => {
      if (entry.execution_id === 'b') throw new Error('It is escalated and waits for a decision');
    });
    expect(outcome.done).toBe(2);
    expect(describeOutcome('reassigned', outcome)).toBe('2 items reassigned. 1 could not be: Customer b (Critical Stage): It is escalated and waits for a decision');
    expect(describeOutcome('started', { done: 1, failed: [] })).toBe('1 item started.');
  });

  it('says a missing person or reason beside its field, which takes the focus, and sends nothing', async () => {
    const { wrap, calls } = cannedWorkspace('manager', {});
    render(<BulkActions items={[item('a')]} onDone={() => {}} onClear={() => {}} />, { wrapper: wrap });
    fireEvent.click(screen.getByRole('button', { name: 'Reassign…' }));
    fireEvent.click(screen.getByRole('button', { name: 'Reassign 1' }));
    const to = screen.getByLabelText('To');
    expect(screen.getByRole('alert').textContent).toBe('Choose who takes them over.');
    expect(to.getAttribute('aria-describedby')).toBe(screen.getByRole('alert').id);
    expect(document.activeElement).toBe(to);
    await screen.findByRole('option', { name: 'Casey Junior' });
    fireEvent.change(to, { target: { value: 'casey' } });
    expect(screen.queryByRole('alert'), 'the person chosen: the problem goes').toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Reassign 1' }));
    expect(screen.getByRole('alert').textContent).toBe('Give a reason; the new owner sees it.');
    expect(document.activeElement).toBe(screen.getByLabelText('Reason'));
    expect(calls.filter((call) => call.name === 'reassign_workflow')).toEqual([]);
  });
});
