// @vitest-environment happy-dom
// The queue's "Load more": the focus goes to the first workflow the page brought, so a
// keyboard reads on from there — also when that page is the last and the button goes away.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { ApiError } from '../lib/errors.ts';
import { SignInAgainContext } from '../components/SignInAgain.tsx';
import { navigate } from '../lib/router.ts';
import type { Api } from '../lib/api.ts';
import type { QueueItem } from '../lib/types.ts';
import { cannedWorkspace } from '../features/customers/testWorkspace.tsx';
import { QueuePage } from './QueuePage.tsx';

afterEach(cleanup);

function item(id: string, name: string): QueueItem {
  return {
    execution_id: id, workflow_key: 'critical', workflow_name: name, workflow_type: 'renewal', status: 'queued', lane: 'now',
    priority_score: 96, priority_factors: { base: 80, lane: 'now' }, assignee_id: null, current_step: null,
    total_steps: 4, completed_steps: 0, snoozed_until: null, created_at: '2026-01-01T00:00:00Z',
    customer: {
      id: `c-${id}`, name: `Customer ${id}`, domain: null, arr: 1000, health_score: 42, account_plan: 'monitor', renewal_stage: 'Critical',
      renewal_date: '2027-03-30', days_until_renewal: 70, decision_date: '2027-01-29', days_until_decision: 10,
      risk_score: null, opportunity_score: null, assigned_to: null,
    },
  } as QueueItem;
}

describe('the queue', () => {
  it('puts the focus on the first workflow a "Load more" brought, not on the page when the last page takes the button away', async () => {
    const getQueue = (async (args: { cursor?: string } = {}) => (args.cursor
      ? { items: [item('b', 'Renewal of Initech')], next_cursor: null, stats: null }
      : { items: [item('a', 'Renewal of Globex')], next_cursor: 'page-2', stats: null })) as unknown as Api['getQueue'];
    const { wrap } = cannedWorkspace('manager', { list_workflow_types: () => [] }, { getQueue });
    render(<QueuePage />, { wrapper: wrap });
    const more = await screen.findByRole('button', { name: 'Load more' });
    more.focus();
    fireEvent.click(more);
    const second = await screen.findByRole('link', { name: /Renewal of Initech/ });
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();
    await waitFor(() => expect(document.activeElement).toBe(second));
  });

  it('loads anew when its address is opened while it is shown (a hand-over notification clicked)', async () => {
    window.history.replaceState(null, '', '/queue');
    let handed = false;
    const getQueue = (async () => ({ items: handed ? [item('a', 'Renewal of Globex'), item('b', 'Handed to you')] : [item('a', 'Renewal of Globex')], next_cursor: null, stats: null })) as unknown as Api['getQueue'];
    const { wrap } = cannedWorkspace('csm', { list_workflow_types: () => [] }, { getQueue });
    render(<QueuePage />, { wrapper: wrap });
    await screen.findByText('Renewal of Globex');
    handed = true;
    act(() => navigate('/queue'));
    await screen.findByText('Handed to you');
  });

  it('says its order with the lanes by their names, as its badges and filter name them', async () => {
    // Before, 'Lane first (now, soon, planned)': the lanes' keys.
    const getQueue = (async () => ({ items: [item('a', 'Renewal of Globex')], next_cursor: null, stats: null })) as unknown as Api['getQueue'];
    const { wrap } = cannedWorkspace('csm', { list_workflow_types: () => [] }, { getQueue });
    render(<QueuePage />, { wrapper: wrap });
    expect((await screen.findByText(/^Lane first/)).textContent).toMatch(/^Lane first \(Now, Soon, Planned\), then highest priority\./);
  });
  it('drops the notice of a bulk action once the filters replace the list it spoke about', async () => {
    // Before, '2 items snoozed.' stayed above a list of other rows after the Lane filter changed.
    let loads = 0;
    const getQueue = (async () => { loads += 1; return { items: [item('a', 'Renewal of Globex'), item('b', 'Renewal of Initech')], next_cursor: null, stats: null }; }) as unknown as Api['getQueue'];
    const executeAction = (async () => ({ success: true })) as unknown as Api['executeAction'];
    const { wrap } = cannedWorkspace('manager', { list_workflow_types: () => [] }, { getQueue, executeAction });
    localStorage.clear();
    render(<QueuePage />, { wrapper: wrap });
    fireEvent.click(await screen.findByRole('checkbox', { name: 'Select every row shown' }));
    fireEvent.click(screen.getByRole('button', { name: 'Snooze…' }));
    fireEvent.change(screen.getByLabelText('Reason'), { target: { value: 'Waiting on legal' } });
    fireEvent.click(screen.getByRole('button', { name: 'Snooze 2' }));
    const notice = await screen.findByText('2 items snoozed.');
    await waitFor(() => expect(loads).toBe(2));
    expect(notice.isConnected, 'the list read anew after the action is the one it spoke about').toBe(true);
    fireEvent.change(screen.getByLabelText('Lane'), { target: { value: 'soon' } });
    await waitFor(() => expect(loads).toBe(3));
    expect(screen.queryByText('2 items snoozed.')).toBeNull();
  });

  it('offers Sign in again beside the notice of a bulk action the session ended part-way', async () => {
    const getQueue = (async () => ({ items: [item('a', 'Renewal of Globex'), item('b', 'Renewal of Initech')], next_cursor: null, stats: null })) as unknown as Api['getQueue'];
    let sends = 0;
    const executeAction = (async () => {
      sends += 1;
      if (sends > 1) throw new ApiError('JWT expired', { code: 'PGRST303', status: 401 });
      return { success: true };
    }) as unknown as Api['executeAction'];
    const { wrap } = cannedWorkspace('manager', { list_workflow_types: () => [] }, { getQueue, executeAction });
    localStorage.clear();
    const signInAgain = vi.fn();
    render(<SignInAgainContext.Provider value={signInAgain}><QueuePage /></SignInAgainContext.Provider>, { wrapper: wrap });
    fireEvent.click(await screen.findByRole('checkbox', { name: 'Select every row shown' }));
    fireEvent.click(screen.getByRole('button', { name: 'Snooze…' }));
    fireEvent.change(screen.getByLabelText('Reason'), { target: { value: 'Waiting on legal' } });
    fireEvent.click(screen.getByRole('button', { name: 'Snooze 2' }));
    const words = await screen.findByText('1 item snoozed. Your session has ended, so 1 was not: sign in again, then press it again for it.');
    const notice = words.closest('p')!;
    fireEvent.click(within(notice).getByRole('button', { name: 'Sign in again' }));
    expect(signInAgain).toHaveBeenCalledTimes(1);
  });
});
