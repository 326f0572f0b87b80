// @vitest-environment happy-dom
// Admin → Actions: snooze limits out of order are named beside the days and not sent; a
// refused save is shown beside the setting the server names, announced and tied to it.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { AdminActionsPage } from './AdminActionsPage.tsx';
import { cannedWorkspace } from '../features/customers/testWorkspace.tsx';

afterEach(cleanup);

const SNOOZE = {
  key: 'snooze', name: 'Snooze', type: 'snooze', scope: 'core', description: null, core_config: null, updated_at: '2026-12-01T00:00:00Z',
  config: { min_days: 1, default_days: 3, max_days: 30, reason_required: true },
};
const ESCALATE = {
  key: 'escalate', name: 'Escalate', type: 'escalate', scope: 'core', description: null, core_config: null, updated_at: '2026-12-01T00:00:00Z',
  config: { levels: ['manager'], default_level: 'manager', reason_required: true, notify: 'assignee_manager' },
};

function page(saveSavedAction: (args: Record<string, unknown>) => unknown) {
  const canned = cannedWorkspace('admin', {
    list_saved_actions: () => [SNOOZE, ESCALATE],
    list_escalation_levels: () => [{ key: 'manager', label: 'Manager' }, { key: 'vp_cs', label: 'VP Customer Success' }],
    list_task_options: () => ({ task_types: [], priorities: [] }),
    save_saved_action: saveSavedAction,
  });
  render(<AdminActionsPage />, { wrapper: canned.wrap });
  return canned;
}

function problemOf(control: HTMLElement): HTMLElement {
  expect(control.getAttribute('aria-invalid')).toBe('true');
  const problem = document.getElementById(control.getAttribute('aria-describedby')!.split(' ')[0]!)!;
  expect(problem.getAttribute('role')).toBe('alert');
  return problem;
}

describe('admin actions', () => {
  it('checks fewest ≤ default ≤ most before sending, and names the problem beside the days', async () => {
    const { calls } = page(() => SNOOZE);
    const snooze = within(await screen.findByRole('region', { name: 'Snooze' }));
    fireEvent.change(snooze.getByLabelText('Fewest days'), { target: { value: '5' } });
    fireEvent.click(snooze.getByRole('button', { name: 'Save Snooze' }));
    const problem = problemOf(snooze.getByLabelText('Fewest days'));
    expect(problem.textContent).toBe('The default (3 days) must not be fewer than the fewest days (5).');
    expect(problemOf(snooze.getByLabelText('Default days'))).toBe(problem);
    expect(calls.map((call) => call.name)).not.toContain('save_saved_action');

    fireEvent.change(snooze.getByLabelText('Fewest days'), { target: { value: '2' } });
    fireEvent.click(snooze.getByRole('button', { name: 'Save Snooze' }));
    await waitFor(() => expect(calls.find((call) => call.name === 'save_saved_action')?.args).toMatchObject({ action_key: 'snooze', config: { min_days: 2, default_days: 3, max_days: 30 } }));
  });

  it('says a save was done, and keeps the focus on Save, when the server answers with the action as it now is', async () => {
    // The server answers the organisation's own version, changed just now (a new updated_at).
    page((args) => ({ ...SNOOZE, scope: 'override', updated_at: '2026-12-07T04:30:00Z', config: { ...SNOOZE.config, ...(args.config as object) } }));
    const section = await screen.findByRole('region', { name: 'Snooze' });
    fireEvent.change(within(section).getByLabelText('Most days'), { target: { value: '14' } });
    const save = within(section).getByRole('button', { name: 'Save Snooze' });
    save.focus();
    fireEvent.click(save);
    await screen.findByText('Saved. CSMs see these choices the next time they open the action.');
    const now = within(screen.getByRole('region', { name: 'Snooze' }));
    expect(document.activeElement).toBe(now.getByRole('button', { name: 'Save Snooze' }));
    expect((now.getByLabelText('Most days') as HTMLInputElement).value).toBe('14');
  });

  it('shows the server\'s refusal beside the setting it names, within the action', async () => {
    page(() => {
      throw { code: '22023', message: "The action's settings are not valid: config.default_level must be one of config.levels",
        details: 'config.default_level must be one of config.levels', hint: 'Fix the settings named above and save again.' };
    });
    const escalate = within(await screen.findByRole('region', { name: 'Escalate' }));
    fireEvent.click(escalate.getByRole('button', { name: 'Save Escalate' }));
    const level = escalate.getByLabelText('Default level');
    await waitFor(() => expect(level.getAttribute('aria-invalid')).toBe('true'));
    expect(problemOf(level).textContent).toBe('Must be one of levels.');
    await waitFor(() => expect(document.activeElement).toBe(level)); // the field named takes the focus
    expect(escalate.queryByText(/The action's settings are not valid/)).toBeNull();
  });

  it('writes an action\'s description in words, as the CSM\'s dialog does: keys by their labels', async () => {
    const meeting = {
      key: 'schedule_meeting', name: 'Schedule Meeting', type: 'schedule_meeting', scope: 'core', core_config: null, updated_at: '2026-12-01T00:00:00Z',
      description: 'Add a follow-up meeting to the workflow and create a schedule_meeting task.',
      config: { durations: [30, 60], default_duration: 30 },
    };
    const canned = cannedWorkspace('admin', {
      list_saved_actions: () => [meeting],
      list_escalation_levels: () => [],
      list_task_options: () => ({ task_types: [{ key: 'schedule_meeting', label: 'Meeting' }], priorities: [] }),
    });
    render(<AdminActionsPage />, { wrapper: canned.wrap });
    const section = (await screen.findByRole('heading', { name: 'Schedule Meeting' })).closest('section')!;
    await waitFor(() => expect(within(section).getByText(/^Add a follow-up meeting/).textContent)
      .toBe('Add a follow-up meeting to the workflow and create a meeting task.'));
  });
});
