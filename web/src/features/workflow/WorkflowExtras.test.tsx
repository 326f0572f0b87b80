// @vitest-environment happy-dom
// The workflow's activity says why an action was not done, not only that it failed: "Skip
// failed — Already completed" read as if the step had been done already, when the server had
// refused it because the workflow was not started.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen, within } from '@testing-library/react';
import type { WorkflowExecution } from '../../lib/types.ts';
import { ActivitySection, WorkSection } from './WorkflowExtras.tsx';

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

// Its tasks say what their author wrote beside the title, as the Tasks page does: before, the
// list had the title alone, and "Ask for redlines by Friday" was on the Tasks page only.
describe('a workflow\'s tasks and meetings', () => {
  const task = (changes: Record<string, unknown>) => ({
    id: 't1', title: 'Send the deck', description: null, status: 'pending', priority: 'medium', task_type: 'follow_up',
    due_date: '2031-01-15T17:00:00Z', created_at: '2026-12-07T09:37:00Z', assigned_to: 'me', force_action: false, snoozed_until: null,
    ...changes,
  });

  function showTasks(tasks: ReturnType<typeof task>[]) {
    const execution = { tasks, meetings: [] } as unknown as WorkflowExecution;
    render(<WorkSection execution={execution} showCompletedTasks={false} />);
    return screen.getByRole('region', { name: 'Tasks and meetings' });
  }

  it('shows a task\'s description under its title', () => {
    const section = showTasks([task({ description: 'Ask for redlines by Friday' })]);
    const words = within(section).getByText('Ask for redlines by Friday');
    expect(words.className).toContain('task-description');
    expect(words.closest('li')?.textContent).toContain('Send the deck');
  });

  it('shows nothing more for a task without one, or with only spaces', () => {
    const section = showTasks([task({ id: 't2', description: '   ' }), task({ id: 't3', title: 'Book the room' })]);
    expect(section.querySelectorAll('.task-description')).toHaveLength(0);
  });
});
