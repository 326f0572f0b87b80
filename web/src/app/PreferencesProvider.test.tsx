// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, render, screen } from '@testing-library/react';
import { PreferencesProvider, usePreferences } from './PreferencesProvider.tsx';
import { cannedWorkspace } from '../features/customers/testWorkspace.tsx';
import { DEFAULT_PREFERENCES, type Preferences } from '../lib/types.ts';

afterEach(cleanup);

/** A save the test answers when it likes: `answer` with what the server stored, or `refuse`. */
type PendingSave = { answer: (stored: Preferences) => void; refuse: () => void };

function savingLater() {
  const saves: PendingSave[] = [];
  const api = {
    getPreferences: async () => DEFAULT_PREFERENCES,
    updatePreferences: () => new Promise((resolve, reject) => {
      saves.push({ answer: resolve, refuse: () => reject(new Error('Could not save')) });
    }),
  };
  return { saves, wrap: cannedWorkspace('csm', {}, api as never).wrap };
}

let change: ReturnType<typeof usePreferences>['update'];
function Shown() {
  const state = usePreferences();
  change = state.update;
  if (!state.loaded) return <p>Loading</p>;
  return <p data-testid="ui">{`${state.preferences.ui.theme} ${state.preferences.ui.compactMode ? 'compact' : 'roomy'}`}</p>;
}

const stored = (ui: Partial<Preferences['ui']>): Preferences => ({ ...DEFAULT_PREFERENCES, ui: { ...DEFAULT_PREFERENCES.ui, ...ui } });

describe('preferences changed one after another', () => {
  it('keep a later change when the answer to an earlier one arrives after it', async () => {
    const { saves, wrap } = savingLater();
    render(<PreferencesProvider><Shown /></PreferencesProvider>, { wrapper: wrap });
    await screen.findByTestId('ui');
    await act(async () => { void change('ui', { theme: 'dark' }); });
    await act(async () => { void change('ui', { compactMode: true }); });
    expect(screen.getByTestId('ui').textContent).toBe('dark compact');
    // The server stored Dark before Compact mode came: its answer says compact mode off.
    await act(async () => { saves[0]!.answer(stored({ theme: 'dark', compactMode: false })); });
    expect(screen.getByTestId('ui').textContent).toBe('dark compact');
    await act(async () => { saves[1]!.answer(stored({ theme: 'dark', compactMode: true })); });
    expect(screen.getByTestId('ui').textContent).toBe('dark compact');
  });

  it('undo only the change that failed, not one made after it', async () => {
    const { saves, wrap } = savingLater();
    render(<PreferencesProvider><Shown /></PreferencesProvider>, { wrapper: wrap });
    await screen.findByTestId('ui');
    let failed: unknown = null;
    await act(async () => { change('ui', { theme: 'dark' }).catch((error: unknown) => { failed = error; }); });
    await act(async () => { void change('ui', { compactMode: true }); });
    await act(async () => { saves[0]!.refuse(); });
    expect(failed).toBeInstanceOf(Error);
    expect(screen.getByTestId('ui').textContent).toBe(`${DEFAULT_PREFERENCES.ui.theme} compact`);
  });
});
