// @vitest-environment happy-dom
// An admin's override of an action's limits reaches the CSM's form: the options the form
// renders are those list_saved_actions returns for the organisation (through supabase-js
// against the test stack), not constants.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, render, screen, within } from '@testing-library/react';
import type { SupabaseClient } from '@supabase/supabase-js';
import { createAdminFixtureOrg, type AdminFixtureOrg } from '../../../../tests/integration/admin-fixture-org.ts';
import type { SavedAction } from '../../lib/types.ts';
import { ActionFields } from './ActionFields.tsx';
import { initialValues } from './actionForms.ts';
import { labelsOf, LookupEntries, TaskOptions } from './lookups.ts';

let org: AdminFixtureOrg;
let csm: SupabaseClient;

async function savedAction(key: string): Promise<SavedAction> {
  const { data, error } = await csm.rpc('list_saved_actions');
  if (error) throw new Error(error.message);
  const action = (data as SavedAction[]).find((entry) => entry.key === key);
  if (!action) throw new Error(`no ${key} action`);
  return action;
}

function renderForm(action: SavedAction, labels?: Record<string, string>) {
  const kind = action.type as 'snooze';
  return render(<ActionFields kind={kind} values={initialValues(kind, action.config)} onChange={() => undefined} config={action.config} emailDrafts={[]} labels={labels} />);
}

/** The server's words for escalation levels and priorities, as the dialog passes them. */
async function serverLabels(): Promise<Record<string, string>> {
  const [levels, tasks] = await Promise.all([csm.rpc('list_escalation_levels'), csm.rpc('list_task_options')]);
  if (levels.error || tasks.error) throw new Error((levels.error ?? tasks.error)!.message);
  return labelsOf(LookupEntries.parse(levels.data), TaskOptions.parse(tasks.data).priorities);
}

beforeAll(async () => {
  org = await createAdminFixtureOrg('actionform');
  csm = await org.signIn('csm');
});
afterEach(cleanup);
afterAll(async () => { await org?.remove(); });

describe('the action form follows the organisation\'s saved-action config', () => {
  it('shows the core snooze limits, then the admin\'s narrower ones', async () => {
    renderForm(await savedAction('snooze'));
    expect(screen.getByText('(1 to 30)')).toBeTruthy();
    cleanup();

    const admin = await org.signIn('admin');
    const { error } = await admin.rpc('save_saved_action', { action_key: 'snooze', config: { max_days: 10, default_days: 5 } });
    expect(error).toBeNull();

    renderForm(await savedAction('snooze'));
    const days = screen.getByRole('spinbutton') as HTMLInputElement;
    expect(screen.getByText('(1 to 10)')).toBeTruthy();
    expect(days.max).toBe('10');
    expect(days.value).toBe('5');
  });

  it('offers the organisation\'s own skip reasons and meeting lengths', async () => {
    const admin = await org.signIn('admin');
    await admin.rpc('save_saved_action', { action_key: 'skip', config: { reasons: ['Handled by sales', 'Other'] } });
    await admin.rpc('save_saved_action', { action_key: 'schedule_meeting', config: { durations_minutes: [20, 50], default_duration_minutes: 50 } });

    renderForm(await savedAction('skip'));
    const reasons = within(screen.getByRole('combobox')).getAllByRole('option').map((option) => option.textContent);
    expect(reasons).toEqual(['Choose a reason…', 'Handled by sales', 'Other']);
    cleanup();

    renderForm(await savedAction('schedule_meeting'));
    const duration = screen.getByRole('combobox') as HTMLSelectElement;
    expect(Array.from(duration.options).map((option) => option.value)).toEqual(['20', '50']);
    expect(duration.value).toBe('50');
  });

  it('offers the levels and priorities the organisation chose, in the server\'s words', async () => {
    const admin = await org.signIn('admin');
    expect((await admin.rpc('save_saved_action', { action_key: 'escalate', config: { levels: ['manager', 'ceo'], default_level: 'ceo' } })).error).toBeNull();
    expect((await admin.rpc('save_saved_action', { action_key: 'create_task', config: { priorities: ['high', 'urgent'], default_priority: 'urgent' } })).error).toBeNull();
    const labels = await serverLabels();

    renderForm(await savedAction('escalate'), labels);
    const level = screen.getByRole('combobox') as HTMLSelectElement;
    expect(Array.from(level.options).map((option) => [option.value, option.textContent])).toEqual([['manager', labels.manager], ['ceo', labels.ceo]]);
    expect(labels.ceo).toBe('CEO');
    expect(level.value).toBe('ceo');
    cleanup();

    renderForm(await savedAction('create_task'), labels);
    const priority = screen.getByRole('combobox') as HTMLSelectElement;
    expect(Array.from(priority.options).map((option) => option.textContent)).toEqual(['High', 'Urgent']);
    expect(priority.value).toBe('urgent');
  });
});
