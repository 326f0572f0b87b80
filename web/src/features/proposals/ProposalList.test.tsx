// @vitest-environment happy-dom
// A proposal approved from its edit form: the form stays open to say what was done, with Done,
// though the proposal has left the list (the last one, the list with it); Done closes it and
// says so, so the page can put the focus on its notice.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { cannedWorkspace } from '../customers/testWorkspace.tsx';
import type { SavedAction } from '../../lib/types.ts';
import { ProposalList } from './ProposalList.tsx';

afterEach(cleanup);

const proposal = {
  id: 'p1', execution_id: 'e1', action_key: 'snooze', action_name: 'Snooze Workflow', action: null,
  params: { days: 7, reason: 'Customer on holiday' }, rationale: 'They are away.', source: { kind: 'thread', thread_id: 't1', message_id: 'm1', ref: null },
  proposed_for: 'me', status: 'proposed', expires_at: '2026-12-11T10:00:00Z', decided_by: null, decided_at: null, decided_params: null,
  action_execution_id: null, customer: { id: 'c1', name: 'Contoso' }, workflow_name: 'Emergency Stage', created_at: '2026-12-04T10:00:00Z',
};
const snooze = { key: 'snooze', name: 'Snooze Workflow', type: 'snooze', config: {}, description: 'Put the workflow aside.' } as unknown as SavedAction;

describe('the proposals of a workflow', () => {
  it('says whom a proposed task is for by name and its type by its label, never their ids and keys', async () => {
    const forCasey = { ...proposal, id: 'p2', action_key: 'create_task', action_name: 'Create Follow-up Task',
      params: { title: 'Chase legal', due_date: '2031-01-10', assigned_to: 'casey', task_type: 'review_contract' } };
    const { wrap } = cannedWorkspace('csm', {
      list_proposals: () => [forCasey],
      list_task_options: () => ({ task_types: [{ key: 'review_contract', label: 'Review contract' }], priorities: [{ key: 'high', label: 'High' }] }),
    });
    render(<ProposalList executionId="e1" canDecide actions={[]} artifacts={[]} onDecided={() => {}} pollMs={60_000} />, { wrapper: wrap });
    const card = await screen.findByRole('article', { name: /^Proposal/ });
    await waitFor(() => expect(card.textContent).toContain('assigned to: Casey Junior'));
    expect(card.textContent).toContain('task type: Review contract');
    expect(card.textContent).not.toMatch(/casey\b|review_contract/);
  });

  it('keeps the edit form open with what was done once its proposal leaves the list, until Done', async () => {
    let waiting = [proposal];
    const { wrap } = cannedWorkspace('csm', {
      list_proposals: () => waiting,
      decide_proposal: () => {
        waiting = [];
        return { proposal: { ...proposal, status: 'approved' }, action: {
          action_execution_id: 'ax1', action_key: 'snooze', success: true, result: {}, side_effects: [], replayed: false,
          execution: { id: 'e1', status: 'snoozed', snoozed_until: '2026-12-13T00:00:00Z' } } };
      },
    });
    const onDecided = vi.fn();
    const onDialogClosed = vi.fn();
    render(<ProposalList executionId="e1" canDecide actions={[snooze]} artifacts={[]} onDecided={onDecided} onDialogClosed={onDialogClosed} pollMs={60_000} />, { wrapper: wrap });
    fireEvent.click(await screen.findByRole('button', { name: 'Edit…' }));
    fireEvent.submit(document.getElementById('action-form')!);
    const done = await screen.findByRole('button', { name: 'Done' });
    await new Promise((resolve) => setTimeout(resolve, 20)); // the list reloads, now empty
    expect(screen.queryByRole('article', { name: /^Proposal/ })).toBeNull();
    expect(screen.getByRole('dialog')).toBeTruthy();
    expect(onDecided).toHaveBeenCalledWith(expect.objectContaining({ action_key: 'snooze' }), expect.objectContaining({ inDialog: true }));
    fireEvent.click(done);
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(onDialogClosed).toHaveBeenCalledOnce();
  });
});
