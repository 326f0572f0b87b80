// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { ApiError } from '../../lib/errors.ts';
import type { QueueItem } from '../../lib/types.ts';
import { QueueTable } from './QueueTable.tsx';
import { BulkActions, describeOutcome, runForEach } from './BulkActions.tsx';
import { cannedWorkspace } from '../customers/testWorkspace.tsx';

afterEach(cleanup);

function item(id: string): QueueItem {
  return {
    execution_id: id, workflow_key: 'critical', workflow_name: 'Critical Stage', workflow_type: 'renewal', status: 'queued', lane: 'now',
    priority_score: 96, priority_factors: { lane: 'now' }, assignee_id: null, current_step: null, total_steps: 4, completed_steps: 0,
    snoozed_until: null, created_at: '2026-01-01T00:00:00Z',
    customer: { id: `c-${id}`, name: `Customer ${id}`, domain: null, arr: 1000, health_score: 42, account_plan: 'monitor', renewal_stage: 'Critical',
      renewal_date: '2027-03-30', days_until_renewal: 70, decision_date: '2027-03-30', days_until_decision: 70,
      risk_score: null, opportunity_score: null, assigned_to: null },
  };
}

describe('bulk actions on the queue', () => {
  it('ticks rows one by one or all at once; the customer name opens the customer, the workflow name the workflow', () => {
    let ticked: [string[], boolean] | null = null;
    render(<QueueTable items={[item('a'), item('b')]} activeIndex={0} onActivate={() => {}} selected={new Set(['a'])}
      onSelect={(ids, on) => { ticked = [ids, on]; }} />);
    const [first, second] = screen.getAllByTestId('queue-row');
    expect((within(first!).getByRole('checkbox') as HTMLInputElement).checked).toBe(true);
    fireEvent.click(within(second!).getByRole('checkbox', { name: 'Select Customer b: Critical Stage' }));
    expect(ticked).toEqual([['b'], true]);
    fireEvent.click(screen.getByRole('checkbox', { name: 'Select every row shown' }));
    expect(ticked).toEqual([['a', 'b'], true]);
    expect(within(first!).getByRole('link', { name: 'Customer a' }).getAttribute('href')).toBe('/customers/c-a');
    expect(within(first!).getByRole('link', { name: 'Critical Stage' }).getAttribute('href')).toBe('/workflows/a');
  });

  it('says what Start will start: every row, those not started yet, or none when all are under way', () => {
    const { wrap } = cannedWorkspace('csm', {});
    const started = { ...item('b'), status: 'in_progress' } as QueueItem;
    const { rerender } = render(<BulkActions items={[item('a'), item('b')]} onDone={() => {}} onClear={() => {}} />, { wrapper: wrap });
    expect(screen.getByRole('button', { name: 'Start' })).toBeTruthy();
    rerender(<BulkActions items={[item('a'), started]} onDone={() => {}} onClear={() => {}} />);
    expect(screen.getByRole('button', { name: 'Start (1 not started)' })).toBeTruthy();
    rerender(<BulkActions items={[started]} onDone={() => {}} onClear={() => {}} />);
    const none = screen.getByRole('button', { name: 'Start (all started already)' }) as HTMLButtonElement;
    expect(none.disabled).toBe(true);
  });

  it('has no checkboxes without a selection (viewers)', () => {
    render(<QueueTable items={[item('a')]} activeIndex={0} onActivate={() => {}} />);
    expect(screen.queryByRole('checkbox')).toBeNull();
  });

  it('acts on each item and says which could not be done and why', async () => {
    const outcome = await runForEach([item('a'), item('b'), item('c')], async (entry) => {
      if (entry.execution_id === 'b') throw new Error('It is escalated and waits for a decision');
    });
    expect(outcome.done).toBe(2);
    expect(describeOutcome('reassigned', outcome)).toBe('2 items reassigned. 1 could not be: Customer b (Critical Stage): It is escalated and waits for a decision');
    expect(describeOutcome('started', { done: 1, failed: [] })).toBe('1 item started.');
  });

  it('stops at a refused session and says it once, with how many were not done, where each row repeated it', async () => {
    const sent: string[] = [];
    const ended = new ApiError('JWT expired', { code: 'PGRST303', status: 401 });
    const outcome = await runForEach([item('a'), item('b'), item('c'), item('d')], async (entry) => {
      sent.push(entry.execution_id);
      if (entry.execution_id !== 'a') throw ended;
    });
    expect(sent).toEqual(['a', 'b']);
    expect(outcome).toMatchObject({ done: 1, failed: [], sessionEnded: 3 });
    expect(describeOutcome('snoozed', outcome)).toBe('1 item snoozed. Your session has ended, so 3 were not: sign in again, then press it again for them.');
  });

  it('says a missing person or reason beside its field, which takes the focus, and sends nothing', async () => {
    const { wrap, calls } = cannedWorkspace('manager', {});
    render(<BulkActions items={[item('a')]} onDone={() => {}} onClear={() => {}} />, { wrapper: wrap });
    fireEvent.click(screen.getByRole('button', { name: 'Reassign…' }));
    fireEvent.click(screen.getByRole('button', { name: 'Reassign 1' }));
    const to = screen.getByLabelText('To');
    expect(screen.getByRole('alert').textContent).toBe('Choose who takes them over.');
    expect(to.getAttribute('aria-describedby')).toBe(screen.getByRole('alert').id);
    expect(document.activeElement).toBe(to);
    await screen.findByRole('option', { name: 'Casey Junior' });
    fireEvent.change(to, { target: { value: 'casey' } });
    expect(screen.queryByRole('alert'), 'the person chosen: the problem goes').toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Reassign 1' }));
    expect(screen.getByRole('alert').textContent).toBe('Give a reason; the new owner sees it.');
    expect(document.activeElement).toBe(screen.getByLabelText('Reason'));
    expect(calls.filter((call) => call.name.startsWith('reassign_workflow'))).toEqual([]);
  });
});

describe('bulk reassign\'s people', () => {
  // Ticked in Casey's queue, the rows are Casey's: handing them to Casey changes nothing, and the
  // server refused each one in its own words ("assignee_id is already the assignee of this
  // workflow"). She is offered only when some ticked row is someone else's.
  it('leaves out the person who already holds every ticked row', async () => {
    const { wrap } = cannedWorkspace('manager', {});
    const caseys = (id: string) => ({ ...item(id), assignee_id: 'casey' }) as QueueItem;
    const { rerender } = render(<BulkActions items={[caseys('a'), caseys('b')]} onDone={() => {}} onClear={() => {}} />, { wrapper: wrap });
    fireEvent.click(screen.getByRole('button', { name: 'Reassign…' }));
    await screen.findByRole('option', { name: 'Sam CSM' });
    expect(screen.queryByRole('option', { name: 'Casey Junior' })).toBeNull();
    rerender(<BulkActions items={[caseys('a'), { ...item('c'), assignee_id: 'me' } as QueueItem]} onDone={() => {}} onClear={() => {}} />);
    expect(screen.getByRole('option', { name: 'Casey Junior' })).toBeTruthy();
  });
});

describe('a bulk press whose answers were lost, pressed again', () => {
  // The first press is applied on the server, but its answers never come back.
  const lost = () => new ApiError('TypeError: Failed to fetch', { code: '', status: 0 });

  it('starts each workflow under the key it had, and reports the first results', async () => {
    const keys: string[] = [];
    const started = new Set<string>();
    const startWorkflow = async (executionId: string, key: string) => {
      keys.push(`${executionId} ${key}`);
      const first = !started.has(key);
      started.add(key);
      if (first) throw lost();
      return { id: executionId, status: 'in_progress' };
    };
    const { wrap } = cannedWorkspace('csm', {}, { startWorkflow } as never);
    localStorage.clear();
    const notices: string[] = [];
    render(<BulkActions items={[item('a'), item('b')]} onDone={(message) => notices.push(message)} onClear={() => {}} />, { wrapper: wrap });
    fireEvent.click(screen.getByRole('button', { name: 'Start' }));
    await waitFor(() => expect(notices).toHaveLength(1));
    expect(notices[0]).toMatch(/^0 items started\. 2 could not be/);
    fireEvent.click(screen.getByRole('button', { name: 'Start' }));
    await waitFor(() => expect(notices).toHaveLength(2));
    expect(notices[1]).toBe('2 items started.');
    const [a1, b1, a2, b2] = keys;
    expect([a2, b2], 'each item again under its first key').toEqual([a1, b1]);
    expect(a1).not.toBe(b1);
  });

  it('snoozes each workflow under the key it had; other values are a new press', async () => {
    const sent: { execution_id: string; idempotency_key: string; params: unknown }[] = [];
    const executeAction = async (body: { execution_id: string; idempotency_key: string; params: unknown }) => {
      sent.push(body);
      if (sent.length <= 2) throw lost();
      return { success: true, replayed: sent.length <= 4 };
    };
    const { wrap } = cannedWorkspace('csm', {}, { executeAction } as never);
    localStorage.clear();
    const notices: string[] = [];
    render(<BulkActions items={[item('a'), item('b')]} onDone={(message) => notices.push(message)} onClear={() => {}} />, { wrapper: wrap });
    const press = async (reason: string) => {
      fireEvent.click(screen.getByRole('button', { name: 'Snooze…' }));
      fireEvent.change(screen.getByLabelText('Reason'), { target: { value: reason } });
      const count = notices.length;
      fireEvent.click(screen.getByRole('button', { name: 'Snooze 2' }));
      await waitFor(() => expect(notices).toHaveLength(count + 1));
    };
    await press('Waiting on legal');
    await press('Waiting on legal');
    expect(notices[1]).toBe('2 items snoozed.');
    expect(sent.slice(2).map((body) => body.idempotency_key)).toEqual(sent.slice(0, 2).map((body) => body.idempotency_key));
    await press('Back from holiday');
    expect(sent[4]!.idempotency_key, 'a new reason is a new press').not.toBe(sent[0]!.idempotency_key);
  });

  it('reassigns them all in one call under the key it had (a manager), and reports the first results', async () => {
    const sent: Record<string, unknown>[] = [];
    // As the server does: the first press is applied (its answer lost); again under the key it
    // was applied with, it answers the reassignment; under another, each is 'already the assignee'.
    let appliedKey: unknown;
    const rpc = async (name: string, args: Record<string, unknown>) => {
      expect(name).toBe('reassign_workflows');
      sent.push(args);
      if (appliedKey === undefined) { appliedKey = args.idempotency_key; throw lost(); }
      const ids = args.execution_ids as string[];
      if (args.idempotency_key !== appliedKey) {
        return { assignee_id: 'casey', assignee_name: 'Casey Junior', reassigned: [], handed_over: { workflows: 0, tasks: 0 },
                 already_theirs: ids, refused: [] };
      }
      return { assignee_id: 'casey', assignee_name: 'Casey Junior', handed_over: { workflows: 2, tasks: 0 }, refused: [], already_theirs: [],
               reassigned: ids.map((id) => ({ id, status: 'queued', assignee_id: 'casey' })) };
    };
    const { wrap } = cannedWorkspace('manager', {}, { rpc } as never);
    localStorage.clear();
    const notices: string[] = [];
    render(<BulkActions items={[item('b'), item('a')]} onDone={(message) => notices.push(message)} onClear={() => {}} />, { wrapper: wrap });
    const press = async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Reassign…' }));
      await screen.findByRole('option', { name: 'Casey Junior' });
      fireEvent.change(screen.getByLabelText('To'), { target: { value: 'casey' } });
      fireEvent.change(screen.getByLabelText('Reason'), { target: { value: 'Sam is away' } });
      const count = notices.length;
      fireEvent.click(screen.getByRole('button', { name: 'Reassign 2' }));
      await waitFor(() => expect(notices).toHaveLength(count + 1));
    };
    await press();
    expect(notices[0]).toMatch(/^0 items reassigned\. 2 could not be/);
    await press();
    expect(notices[1]).toBe('2 items reassigned.');
    expect(sent.map((args) => args.execution_ids), 'one call per press, every workflow in it').toEqual([['a', 'b'], ['a', 'b']]);
    expect(sent[1]!.idempotency_key, 'again under the key it had').toBe(sent[0]!.idempotency_key);
    expect(sent[0]).toMatchObject({ assignee_id: 'casey', reason: 'Sam is away' });
  });

  it('says which workflows the server refused, and why', async () => {
    const rpc = async (_name: string, args: Record<string, unknown>) => ({
      assignee_id: 'casey', assignee_name: 'Casey Junior', handed_over: { workflows: 1, tasks: 0 },
      reassigned: [{ id: 'a', status: 'queued', assignee_id: 'casey' }],
      refused: [{ execution_id: 'b', code: 'PT409', message: 'Cannot reassign this workflow: it is cancelled' }], already_theirs: [],
      execution_ids: args.execution_ids,
    });
    const { wrap } = cannedWorkspace('manager', {}, { rpc } as never);
    localStorage.clear();
    const notices: string[] = [];
    render(<BulkActions items={[item('a'), item('b')]} onDone={(message) => notices.push(message)} onClear={() => {}} />, { wrapper: wrap });
    fireEvent.click(screen.getByRole('button', { name: 'Reassign…' }));
    await screen.findByRole('option', { name: 'Casey Junior' });
    fireEvent.change(screen.getByLabelText('To'), { target: { value: 'casey' } });
    fireEvent.change(screen.getByLabelText('Reason'), { target: { value: 'Sam is away' } });
    fireEvent.click(screen.getByRole('button', { name: 'Reassign 2' }));
    await waitFor(() => expect(notices).toHaveLength(1));
    expect(notices[0]).toBe('1 item reassigned. 1 could not be: Customer b (Critical Stage): Cannot reassign this workflow: it is cancelled');
  });

  // Rows the chosen person holds already are left with them (the server names them apart) and
  // counted in plain words. Before, the server refused each with 'assignee_id is already the
  // assignee of this workflow' and the notice showed those words as a failure.
  it('counts the rows that were the person\'s already, in plain words, not as failures', async () => {
    const rpc = async () => ({
      assignee_id: 'casey', assignee_name: 'Casey Junior', handed_over: { workflows: 1, tasks: 0 },
      reassigned: [{ id: 'a', status: 'queued', assignee_id: 'casey' }], already_theirs: ['b', 'c'], refused: [],
    });
    const { wrap } = cannedWorkspace('manager', {}, { rpc } as never);
    localStorage.clear();
    const notices: string[] = [];
    render(<BulkActions items={[item('a'), item('b'), item('c')]} onDone={(message) => notices.push(message)} onClear={() => {}} />, { wrapper: wrap });
    fireEvent.click(screen.getByRole('button', { name: 'Reassign…' }));
    await screen.findByRole('option', { name: 'Casey Junior' });
    fireEvent.change(screen.getByLabelText('To'), { target: { value: 'casey' } });
    fireEvent.change(screen.getByLabelText('Reason'), { target: { value: 'Sam is away' } });
    fireEvent.click(screen.getByRole('button', { name: 'Reassign 3' }));
    await waitFor(() => expect(notices).toHaveLength(1));
    expect(notices[0]).toBe("1 item reassigned. 2 were already Casey Junior's.");
    expect(describeOutcome('reassigned', { done: 0, failed: [], alreadyTheirs: { count: 1, holder: 'Sam Senior' } }))
      .toBe("0 items reassigned. 1 was already Sam Senior's.");
  });

  it('says a reassign the session refused once, not once a row, and hands the outcome on', async () => {
    const rpc = async () => { throw new ApiError('JWT expired', { code: 'PGRST303', status: 401 }); };
    const { wrap } = cannedWorkspace('manager', {}, { rpc } as never);
    localStorage.clear();
    const notices: [string, number | undefined][] = [];
    render(<BulkActions items={[item('a'), item('b')]} onDone={(message, outcome) => notices.push([message, outcome.sessionEnded])} onClear={() => {}} />, { wrapper: wrap });
    fireEvent.click(screen.getByRole('button', { name: 'Reassign…' }));
    await screen.findByRole('option', { name: 'Casey Junior' });
    fireEvent.change(screen.getByLabelText('To'), { target: { value: 'casey' } });
    fireEvent.change(screen.getByLabelText('Reason'), { target: { value: 'Sam is away' } });
    fireEvent.click(screen.getByRole('button', { name: 'Reassign 2' }));
    await waitFor(() => expect(notices).toHaveLength(1));
    expect(notices[0]).toEqual(['0 items reassigned. Your session has ended, so 2 were not: sign in again, then press it again for them.', 2]);
  });

});

