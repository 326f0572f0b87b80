// @vitest-environment happy-dom
// A step's Complete step and a fixed answer pressed again after their answer was lost go under
// the first press's key, so the server answers what the first did (complete_step's and
// choose_chat_branch's idempotency_key, migration 20261208603000) instead of refusing a step that
// is done already; an answer settles the key, so the next press is a new request.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { Api } from '../../lib/api.ts';
import { ApiError } from '../../lib/errors.ts';
import type { WorkflowExecution, WorkflowStep } from '../../lib/types.ts';
import { cannedWorkspace } from '../customers/testWorkspace.tsx';
import { StepPanel } from './StepPanel.tsx';

afterEach(cleanup);
beforeEach(() => localStorage.clear());

const LOST = { message: 'TypeError: Failed to fetch', code: '', details: null, hint: null, status: 0 };

const step = {
  key: 'review', title: 'Review the account', status: 'in_progress', type: 'review', started_at: null, completed_at: null,
  skip_reason: null, branches: [{ key: 'all-good', label: 'All good', type: 'fixed' }],
} as unknown as WorkflowStep;
const execution = {
  id: 'e1', status: 'in_progress', assignee_id: 'me', customer: { id: 'c1', name: 'Contoso' }, steps: [step], threads: [],
  artifacts: [], metadata: {},
} as unknown as WorkflowExecution;

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

function panel(name: string, answer: unknown) {
  const sent = losingFirst(answer);
  // Complete step goes through the Api's completeStep, a lost answer being an ApiError of status 0 there.
  const completeStep = (async (_execution: string, _step: string, key: string) => {
    try {
      return sent.answer({ idempotency_key: key });
    } catch {
      throw new ApiError(LOST.message, { status: 0 });
    }
  }) as Api['completeStep'];
  const { wrap } = cannedWorkspace('csm', { [name]: sent.answer, list_proposals: () => ({ items: [] }) }, { completeStep });
  const notices: string[] = [];
  render(<StepPanel execution={execution} step={step} canWrite onChanged={() => undefined} onArtifactsChanged={() => undefined}
    onRunAction={() => undefined} onBegin={() => undefined} onNotice={(text) => notices.push(text)} />, { wrapper: wrap });
  return { ...sent, notices };
}

async function pressTwice(name: string) {
  const press = () => fireEvent.click(screen.getByRole('button', { name }));
  press();
  await screen.findByText(/could not reach the server/i);
  await waitFor(() => expect((screen.getByRole('button', { name }) as HTMLButtonElement).disabled).toBe(false));
  press();
}

function expectOneKeyForBoth(keys: unknown[]) {
  expect(keys).toHaveLength(2);
  expect(typeof keys[0]).toBe('string');
  expect(keys[1], 'pressed again after the lost answer: the first key').toBe(keys[0]);
}

describe('a step pressed again after a lost answer', () => {
  it('Complete step', async () => {
    const { keys } = panel('complete_step', { step: { key: 'review', status: 'completed' }, workflow_completed: false });
    await pressTwice('Complete step');
    await waitFor(() => expect(keys).toHaveLength(2));
    expectOneKeyForBoth(keys);
  });

  it('a fixed answer, and a later press is a new request', async () => {
    const choice = { branch: { key: 'all-good', type: 'fixed', label: 'All good' }, step_key: 'review', response_text: null, action: null,
      route: { moved: true, to: 'next', direction: 'next', skipped: [] }, replayed: false, execution: { status: 'in_progress' } };
    const { keys, notices } = panel('choose_chat_branch', choice);
    await pressTwice('All good Answer and continue');
    await waitFor(() => expect(notices).toHaveLength(1));
    expectOneKeyForBoth(keys);
    await waitFor(() => expect((screen.getByRole('button', { name: 'All good Answer and continue' }) as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(screen.getByRole('button', { name: 'All good Answer and continue' }));
    await waitFor(() => expect(keys).toHaveLength(3));
    expect(keys[2], 'answered: the next press has a key of its own').not.toBe(keys[0]);
  });
});
