// @vitest-environment happy-dom
// A finished step shown while the workflow goes on offers the way to the step being worked:
// "Go to the next step: …", whether the step was completed or skipped (Skip Step says "the
// workflow moved on", and the page stays on the step skipped until asked to follow).
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import type { Api } from '../lib/api.ts';
import type { WorkflowExecution } from '../lib/types.ts';
import { cannedWorkspace } from '../features/customers/testWorkspace.tsx';
import { WorkflowPage } from './WorkflowPage.tsx';

afterEach(cleanup);

const step = (key: string, title: string, status: string) => ({
  key, title, status, type: 'review', started_at: null, completed_at: null, skip_reason: status === 'skipped' ? 'Other' : null, branches: [],
});

function openWorkflow(firstStatus: 'completed' | 'skipped', metadata: Record<string, unknown> = {}) {
  const execution = {
    id: 'e1', status: 'in_progress', assignee_id: 'me', workflow_name: 'Emergency Stage', customer: { id: 'c1', name: 'Contoso Retail' },
    steps: [step('check', 'Check the path to signature', firstStatus), step('blockers', 'Remove the blockers', 'in_progress')],
    current_step: { key: 'blockers', index: 1, title: 'Remove the blockers' }, threads: [], artifacts: [], tasks: [], meetings: [], actions: [], actions_total: 0, metadata,
  } as unknown as WorkflowExecution;
  const api = {
    getExecution: (async () => execution) as Api['getExecution'],
    listSavedActions: (async () => []) as unknown as Api['listSavedActions'],
    listTeamMembers: (async () => [{ id: 'maria', full_name: 'Maria Manager', role: 'manager' }, { id: 'me', full_name: 'Sam CSM', role: 'csm' }]) as unknown as Api['listTeamMembers'],
  };
  const { wrap } = cannedWorkspace('csm', { list_proposals: () => ({ items: [] }) }, api);
  render(<WorkflowPage executionId="e1" />, { wrapper: wrap });
}

describe('a workflow page, on a finished step', () => {
  for (const status of ['completed', 'skipped'] as const) {
    it(`offers "Go to the next step" from a step ${status}`, async () => {
      openWorkflow(status);
      const steps = await screen.findByRole('navigation', { name: 'Steps' });
      fireEvent.click(within(steps).getByRole('button', { name: /Check the path to signature/ }));
      const onward = await screen.findByRole('button', { name: 'Go to the next step: Remove the blockers' });
      fireEvent.click(onward);
      expect(within(steps).getByRole('button', { name: /Remove the blockers/ }).getAttribute('aria-current')).toBe('step');
    });
  }
});

describe('a workflow page, after an escalation was decided', () => {
  const escalated = { at: '2026-12-07T03:34:00Z', by: 'me', event: 'escalated', level: 'manager', reason: 'They ask for 20% off.' };
  const decided = (decision: string, note: string) => ({ at: '2026-12-07T03:35:00Z', by: 'maria', event: 'escalation_resolved', decision, note, reason: note });

  it('keeps the manager\'s guidance on the workflow once it is returned, not only in a notification', async () => {
    openWorkflow('completed', { history: [escalated, decided('return', 'Offer 10% for a two-year term, no more.')] });
    const decision = await screen.findByRole('region', { name: 'Escalation decision' });
    await screen.findByText(/Maria Manager returned it with guidance/);
    expect(decision.textContent).toContain('Maria Manager returned it with guidance: “Offer 10% for a two-year term, no more.”');
    expect(decision.textContent).toContain('They ask for 20% off.');
    // its time kept whole on a phone's line, as the app keeps its dates
    expect(decision.querySelector('.date-whole')?.textContent).toMatch(/^\d{1,2} [A-Z][a-z]{2,4}, \d\d:\d\d$/);
  });

  it('says nothing once the escalation was withdrawn, or while none was decided', async () => {
    openWorkflow('completed', { history: [escalated, { at: '2026-12-07T03:36:00Z', by: 'me', event: 'escalation_withdrawn', reason: 'Sorted it' }] });
    await screen.findByRole('navigation', { name: 'Steps' });
    expect(screen.queryByRole('region', { name: 'Escalation decision' })).toBeNull();
  });
});
