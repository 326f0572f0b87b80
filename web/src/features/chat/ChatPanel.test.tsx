// @vitest-environment happy-dom
// A completed thread is read-only at once: after "Complete thread" (or a send the server
// refuses because the thread was completed elsewhere) there is no composer, no Send and no
// "Complete thread" — without reloading the page.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { WorkspaceContext, type Workspace } from '../../lib/context.ts';
import { ApiError } from '../../lib/errors.ts';
import { ChatPanel } from './ChatPanel.tsx';

afterEach(cleanup);

function show(api: Record<string, unknown>, workflowStatus = 'in_progress') {
  const workspace = { api, config: {}, profile: { id: 'u1', role: 'csm' }, signOut: async () => {} } as unknown as Workspace;
  let completed = 0;
  let workChanged = 0;
  let refused = 0;
  render(
    <WorkspaceContext.Provider value={workspace}>
      <ChatPanel threadId="t1" canWrite artifacts={[]} workflowStatus={workflowStatus} onArtifactsChanged={() => {}} onProposeAction={() => {}} onThreadCompleted={() => { completed += 1; }}
        onWorkChanged={() => { workChanged += 1; }} onRefused={() => { refused += 1; }} />
    </WorkspaceContext.Provider>,
  );
  return { completed: () => completed, workChanged: () => workChanged, refused: () => refused };
}

describe('the chat of a thread', () => {
  it('has the workflow read anew when the assistant creates a task, so its Tasks and meetings list it at once', async () => {
    const page = show({
      getChatThread: async () => ({ id: 't1', status: 'active', messages: [], tool_calls: [] }),
      streamChat: async (_body: unknown, handlers: { onToolCall?: (call: unknown) => void }) => {
        handlers.onToolCall?.({ name: 'get_customer_context', input: {}, output: {}, success: true });
        handlers.onToolCall?.({ name: 'create_task', input: { title: 'Chase legal' }, output: { task_id: 'task-9', title: 'Chase legal' }, success: true });
        handlers.onToolCall?.({ name: 'create_task', input: { title: 'Refused' }, output: { error: 'no customer' }, success: false, error: 'no customer' });
      },
    });
    const box = await screen.findByLabelText('Message the assistant');
    fireEvent.change(box, { target: { value: 'Create a task to chase legal' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    await waitFor(() => expect(page.workChanged()).toBe(1));
  });

  it('takes no more messages once "Complete thread" succeeded', async () => {
    const page = show({
      getChatThread: async () => ({ id: 't1', status: 'active', messages: [], tool_calls: [] }),
      completeThread: async () => ({ summary: 'Done' }),
    });
    await screen.findByLabelText('Message the assistant');
    fireEvent.click(screen.getByRole('button', { name: 'Complete thread' }));
    await screen.findByText('This conversation is completed.');
    expect(screen.queryByLabelText('Message the assistant')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Send' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Complete thread' })).toBeNull();
    expect(page.completed()).toBe(1);
  });

  it('turns read-only when the server says the thread was completed elsewhere (409)', async () => {
    let status = 'active';
    show({
      getChatThread: async () => ({ id: 't1', status, messages: [], tool_calls: [] }),
      streamChat: async () => {
        status = 'completed';
        throw new ApiError('This chat is completed', { code: 'PT409', status: 409 });
      },
    });
    const box = await screen.findByLabelText('Message the assistant');
    fireEvent.change(box, { target: { value: 'One more thing' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    await screen.findByText('This conversation is completed.');
    expect(screen.queryByLabelText('Message the assistant')).toBeNull();
  });

  for (const status of ['cancelled', 'completed', 'completed_with_pending_tasks', 'skipped', 'superseded']) {
    it(`is read-only, as a completed thread is, while its workflow is ${status}, though the thread is still open`, async () => {
      show({ getChatThread: async () => ({ id: 't1', status: 'active', messages: [{ id: 'm1', role: 'assistant', content: 'Earlier answer', status: 'failed', sequence: 2, metadata: {} }], tool_calls: [] }) }, status);
      await screen.findByText(/^This conversation is closed: the workflow is /);
      expect(screen.queryByLabelText('Message the assistant')).toBeNull();
      expect(screen.queryByRole('button', { name: 'Send' })).toBeNull();
      expect(screen.queryByRole('button', { name: 'Complete thread' })).toBeNull();
      expect(screen.queryByRole('button', { name: /Retry/ })).toBeNull();
    });
  }

  it('has the workflow read anew when a send is refused as a conflict (the workflow finished elsewhere)', async () => {
    const page = show({
      getChatThread: async () => ({ id: 't1', status: 'active', messages: [], tool_calls: [] }),
      streamChat: async () => { throw new ApiError('Cannot chat in this workflow: it is cancelled', { code: 'PT409', status: 409 }); },
    });
    const box = await screen.findByLabelText('Message the assistant');
    fireEvent.change(box, { target: { value: 'One more thing' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    await waitFor(() => expect(page.refused()).toBe(1));
  });

  it('keeps the chat but offers no "Complete thread" while the workflow is escalated: the step waits for the decision', async () => {
    const calls: string[] = [];
    show({
      getChatThread: async () => ({ id: 't1', status: 'active', messages: [], tool_calls: [] }),
      completeThread: async () => { calls.push('completeThread'); return { summary: 'Done' }; },
    }, 'escalated');
    await screen.findByLabelText('Message the assistant');
    expect(screen.queryByRole('button', { name: 'Complete thread' })).toBeNull();
    expect(screen.getByText('Completing this step waits for the decision on the escalation.')).toBeTruthy();
    expect(calls).toEqual([]);
  });
});
