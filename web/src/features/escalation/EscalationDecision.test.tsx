// @vitest-environment happy-dom
// The workflow page's record of a manager's decision on its last escalation: named by the
// manager's name from the team, and the team is asked for only when there is a decision
// to show (before, every workflow page asked for the whole team, decision or not).
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import type { WorkflowExecution } from '../../lib/types.ts';
import { cannedWorkspace } from '../customers/testWorkspace.tsx';
import { EscalationDecision } from './EscalationDecision.tsx';

afterEach(cleanup);

const team = [{ id: 'maria', full_name: 'Maria Manager', role: 'manager', invited: false, deactivated: false, title: null }];

function execution(history: unknown[]): WorkflowExecution {
  return { metadata: { history } } as unknown as WorkflowExecution;
}

function workspaceCountingTeamRequests() {
  const asked = { count: 0 };
  const { wrap } = cannedWorkspace('csm', {}, { listTeamMembers: async () => { asked.count += 1; return team; } } as never);
  return { wrap, asked };
}

describe('the decision on a workflow\'s last escalation', () => {
  it('names the manager who returned it, with their guidance', async () => {
    const { wrap, asked } = workspaceCountingTeamRequests();
    render(<EscalationDecision execution={execution([
      { event: 'escalated', at: '2026-12-07T09:00:00Z', reason: 'Discount above my limit' },
      { event: 'escalation_resolved', at: '2026-12-07T10:00:00Z', by: 'maria', decision: 'return', note: 'Offer 10% for two years.' },
    ])} />, { wrapper: wrap });
    expect(await screen.findByText(/Maria Manager returned it with guidance/)).toBeTruthy();
    expect(asked.count).toBe(1);
  });

  it('asks for nobody when the workflow has no decision to show', async () => {
    const { wrap, asked } = workspaceCountingTeamRequests();
    const { container } = render(<EscalationDecision execution={execution([{ event: 'created', at: '2026-12-07T08:00:00Z' }])} />, { wrapper: wrap });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(container.textContent).toBe('');
    expect(asked.count).toBe(0);
  });
});
