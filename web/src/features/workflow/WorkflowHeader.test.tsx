// @vitest-environment happy-dom
// The workflow page's way back names the page it goes to as the top bar does: a viewer's
// home is "Home" there, so the way back says "← Home", not "← Queue", a page a viewer has not.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import { WorkflowHeader } from './WorkflowHeader.tsx';
import { cannedWorkspace } from '../customers/testWorkspace.tsx';
import type { WorkflowExecution } from '../../lib/types.ts';

afterEach(cleanup);

const execution = {
  id: 'e1', status: 'in_progress', workflow_name: 'Emergency Stage', total_steps: 2, completed_steps: 0, priority_score: 300,
  steps: [{ key: 'a', title: 'A', status: 'in_progress' }, { key: 'b', title: 'B', status: 'pending' }],
  customer: { id: 'c1', name: 'Contoso Retail', arr: 180000, renewal_stage: 'Emergency', renewal_date: '2026-12-12', decision_date: '2026-12-12',
    days_until_renewal: 5, days_until_decision: 5 },
} as unknown as WorkflowExecution;

describe('the way back from a workflow', () => {
  it.each([['viewer', '← Home'], ['csm', '← Queue'], ['manager', '← Queue']] as const)('is named as the top bar names it (%s)', (role, words) => {
    const { wrap } = cannedWorkspace(role, {});
    render(<WorkflowHeader execution={execution} />, { wrapper: wrap });
    const back = screen.getByRole('link', { name: words });
    expect(back.getAttribute('href')).toBe('/queue');
  });
});

describe('a snoozed workflow', () => {
  it('says why it was snoozed beside until when', () => {
    const { wrap } = cannedWorkspace('csm', {});
    const snoozed = { ...execution, status: 'snoozed', snoozed_until: '2031-01-05T09:00:00Z', snooze_reason: 'Waiting on legal' } as WorkflowExecution;
    render(<WorkflowHeader execution={snoozed} />, { wrapper: wrap });
    expect(screen.getByText(/^snoozed until/)).toBeTruthy();
    expect(screen.getByText('Snoozed because: Waiting on legal')).toBeTruthy();
  });
});
