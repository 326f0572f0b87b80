// @vitest-environment happy-dom
// A workflow's Cancel, Wake, Complete, an escalation's Withdraw and Resolve pressed again after
// their answer was lost go under the first press's key, so the server answers what the first
// did (migration 20261208100000) instead of refusing a workflow that is cancelled, awake or
// completed already; an answer settles the key, so the next press is a new request.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { WorkflowExecution } from '../../lib/types.ts';
import { cannedWorkspace } from '../customers/testWorkspace.tsx';
import { WorkflowControls } from './WorkflowControls.tsx';
import { EscalationBanner } from './EscalationBanner.tsx';
import { ResolveDialog } from './ResolveDialog.tsx';

afterEach(cleanup);
beforeEach(() => localStorage.clear());

const LOST = { message: 'TypeError: Failed to fetch', code: '', details: null, hint: null, status: 0 };

/** An answer whose first reply is lost on its way back; every key it was sent with, in order. */
function losingFirst(answer: unknown) {
  const keys: unknown[] = [];
  return {
    keys,
    answer: (args: Record<string, unknown>) => {
      keys.push(args.idempotency_key);
      if (keys.length === 1) throw LOST;
      return answer;
    },
  };
}

function execution(status: string, extra: Partial<WorkflowExecution> = {}): WorkflowExecution {
  return {
    id: 'e1', status, assignee_id: 'me', customer: { id: 'c1', name: 'Contoso' }, steps: [], metadata: {},
    ...extra,
  } as unknown as WorkflowExecution;
}

function controls(status: string, name: string, answer: unknown) {
  const sent = losingFirst(answer);
  const { wrap } = cannedWorkspace('csm', { [name]: sent.answer, list_escalation_levels: () => [] });
  const notices: string[] = [];
  const errors: unknown[] = [];
  render(<WorkflowControls execution={execution(status)} onChanged={(notice) => notices.push(notice)} onError={(error) => errors.push(error)} />,
    { wrapper: wrap });
  return { ...sent, notices, errors };
}

function expectOneKeyForBoth(keys: unknown[]) {
  expect(keys).toHaveLength(2);
  expect(typeof keys[0]).toBe('string');
  expect(keys[1], 'pressed again after the lost answer: the first key').toBe(keys[0]);
}

describe('lifecycle presses after a lost answer', () => {
  it('Cancel workflow', async () => {
    const { keys, notices } = controls('in_progress', 'cancel_workflow', { status: 'cancelled' });
    fireEvent.click(screen.getByRole('button', { name: 'Cancel workflow' }));
    fireEvent.change(screen.getByLabelText('Reason'), { target: { value: 'Opened by mistake' } });
    const submit = () => fireEvent.click(screen.getAllByRole('button', { name: 'Cancel workflow' }).at(-1)!);
    submit();
    await screen.findByText(/could not reach the server/i);
    submit();
    await waitFor(() => expect(notices).toEqual(['Workflow cancelled.']));
    expectOneKeyForBoth(keys);
  });

  it('Wake now, and a later wake is a new request', async () => {
    const { keys, notices, errors } = controls('snoozed', 'wake_workflow', { status: 'queued' });
    const wake = () => fireEvent.click(screen.getByRole('button', { name: 'Wake now' }));
    wake();
    await waitFor(() => expect(errors).toHaveLength(1));
    await waitFor(() => expect((screen.getByRole('button', { name: 'Wake now' }) as HTMLButtonElement).disabled).toBe(false));
    wake();
    await waitFor(() => expect(notices).toHaveLength(1));
    expectOneKeyForBoth(keys);
    await waitFor(() => expect((screen.getByRole('button', { name: 'Wake now' }) as HTMLButtonElement).disabled).toBe(false));
    wake();
    await waitFor(() => expect(keys).toHaveLength(3));
    expect(keys[2], 'answered: the next press has a key of its own').not.toBe(keys[0]);
  });

  it('Complete workflow with no step left', async () => {
    const { keys, notices, errors } = controls('in_progress', 'complete_workflow', { status: 'completed' });
    const complete = () => fireEvent.click(screen.getByRole('button', { name: 'Complete workflow' }));
    complete();
    await waitFor(() => expect(errors).toHaveLength(1));
    await waitFor(() => expect((screen.getByRole('button', { name: 'Complete workflow' }) as HTMLButtonElement).disabled).toBe(false));
    complete();
    await waitFor(() => expect(notices).toEqual(['Workflow completed.']));
    expectOneKeyForBoth(keys);
  });

  it('Withdraw escalation', async () => {
    const sent = losingFirst({ status: 'in_progress' });
    const { wrap } = cannedWorkspace('csm', { withdraw_escalation: sent.answer, list_escalation_levels: () => [] });
    const notices: string[] = [];
    const escalated = execution('escalated', { metadata: { escalations: [{ level: 'manager', at: '2026-12-05T09:00:00Z', by: 'me' }] } } as Partial<WorkflowExecution>);
    render(<EscalationBanner execution={escalated} onChanged={(notice) => notices.push(notice)} />, { wrapper: wrap });
    fireEvent.click(screen.getByRole('button', { name: 'Withdraw escalation' }));
    fireEvent.change(screen.getByLabelText('Why you are taking it back'), { target: { value: 'Sorted it out' } });
    fireEvent.click(screen.getByRole('button', { name: 'Withdraw' }));
    await screen.findByText(/could not reach the server/i);
    fireEvent.click(screen.getByRole('button', { name: 'Withdraw' }));
    await waitFor(() => expect(notices).toHaveLength(1));
    expectOneKeyForBoth(sent.keys);
  });

  it('Resolve escalation', async () => {
    const sent = losingFirst({ status: 'in_progress' });
    const { wrap } = cannedWorkspace('manager', { resolve_escalation: sent.answer });
    let resolved: string | null = null;
    render(<ResolveDialog executionId="e1" customerName="Contoso" assigneeId="casey" assigneeName="Casey Junior" reason="Discount"
      onClose={() => {}} onResolved={(_decision, text) => { resolved = text; }} />, { wrapper: wrap });
    const note = screen.getByLabelText('Guidance for the assignee');
    fireEvent.change(note, { target: { value: 'Offer 5%' } });
    fireEvent.click(screen.getByRole('button', { name: 'Return with guidance' }));
    await screen.findByText(/could not reach the server/i);
    fireEvent.click(screen.getByRole('button', { name: 'Return with guidance' }));
    await waitFor(() => expect(resolved).toBe('Returned to Casey Junior with your guidance.'));
    expectOneKeyForBoth(sent.keys);
  });
});
