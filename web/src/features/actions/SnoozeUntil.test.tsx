// @vitest-environment happy-dom
// A snooze says the day the workflow comes back, and warns when that is on or after the
// renewal decision: a CSM snoozed an Emergency renewal deciding in 5 days for the default 7
// and was told only "Snoozed until 15 Dec 2026", two days after the decision had passed.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { WorkspaceContext, type Workspace } from '../../lib/context.ts';
import type { SavedAction } from '../../lib/types.ts';
import { ActionDialog } from './ActionDialog.tsx';

const workspace = {
  api: { client: { rpc: async () => ({ data: null, error: null, status: 200 }) } },
  config: {}, profile: { id: 'u1', role: 'csm' }, signOut: async () => {},
} as unknown as Workspace;

const snooze = {
  key: 'snooze', name: 'Snooze Workflow', type: 'snooze', description: '',
  config: { default_days: 7, min_days: 1, max_days: 30, reason_required: true },
} as unknown as SavedAction;

beforeEach(() => { vi.useFakeTimers({ toFake: ['Date'] }); vi.setSystemTime(new Date('2026-12-08T09:00:00Z')); });
afterEach(() => { cleanup(); vi.useRealTimers(); });

function open(renewalDate: string | null, decisionDate?: string | null) {
  render(<WorkspaceContext.Provider value={workspace}>
    <ActionDialog action={snooze} executionId="e1" artifacts={[]} renewalDate={renewalDate} decisionDate={decisionDate} onClose={() => {}} onDone={() => {}} />
  </WorkspaceContext.Provider>);
}
const days = () => screen.getByLabelText(/Days/) as HTMLInputElement;

describe('the snooze form', () => {
  it('says the day the workflow comes back, as the days change', () => {
    open(null);
    expect(screen.getByText(/^Back in the queue on/).textContent).toBe('Back in the queue on Tue, 15 Dec 2026.');
    fireEvent.change(days(), { target: { value: '3' } });
    expect(screen.getByText(/^Back in the queue on/).textContent).toBe('Back in the queue on Fri, 11 Dec 2026.');
    expect(screen.queryByText(/renewal decision/)).toBeNull();
  });

  it('warns when it comes back on or after the renewal decision, and says how many days fit', () => {
    open('2026-12-13');
    expect(screen.getByText(/renewal decision/).textContent)
      .toBe('That is after the renewal decision on 13 Dec 2026. Snooze for 4 days or fewer to have it back before then.');
    fireEvent.change(days(), { target: { value: '5' } });
    expect(screen.getByText(/renewal decision/).textContent).toMatch(/^That is the day of the renewal decision, 13 Dec 2026\./);
    fireEvent.change(days(), { target: { value: '4' } });
    expect(screen.queryByText(/renewal decision/)).toBeNull();
  });

  it('goes by the notice deadline when the contract has one, and says when no snooze fits', () => {
    open('2027-01-29', '2026-12-09');
    expect(screen.getByText(/renewal decision/).textContent)
      .toBe('That is after the renewal decision on 9 Dec 2026. No snooze brings it back before then.');
    cleanup();
    open('2026-11-26');
    expect(screen.getByText(/renewal decision/).textContent)
      .toBe('That is after the renewal decision on 26 Nov 2026, which is already overdue.');
  });
});
