// @vitest-environment happy-dom
// The workflow's activity says why an action was not done, not only that it failed: "Skip
// failed — Already completed" read as if the step had been done already, when the server had
// refused it because the workflow was not started.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import type { WorkflowExecution } from '../../lib/types.ts';
import { ActivitySection } from './WorkflowExtras.tsx';

afterEach(cleanup);

const entry = (changes: Record<string, unknown>) => ({
  id: 'a1', action_key: 'skip', success: true, params: { reason: 'Already completed' }, result: null, executed_by: 'me',
  error_message: null, side_effects: [], created_at: '2026-12-07T09:37:00Z', ...changes,
});

function show(actions: ReturnType<typeof entry>[]) {
  const execution = { customer: { id: 'c1', name: 'Litware Security' }, actions, actions_total: actions.length } as unknown as WorkflowExecution;
  render(<ActivitySection execution={execution} />);
  return screen.getByRole('region', { name: /Activity/ });
}

describe('a workflow\'s activity', () => {
  it('says why a refused action was not done, beside the reason it was asked for', () => {
    const section = show([entry({ success: false, error_message: 'Cannot skip a step: the workflow is still in the queue, not started' })]);
    expect(section.textContent).toContain('Skip');
    expect(section.textContent).toContain('not done: Cannot skip a step: the workflow is still in the queue, not started');
    expect(section.textContent).toContain('reason: Already completed');
  });

  it('says nothing more of an action done', () => {
    const section = show([entry({ id: 'a2' })]);
    expect(section.textContent).not.toContain('not done');
  });
});
