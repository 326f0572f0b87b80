// @vitest-environment happy-dom
// After a failed turn, Retry shows the question once and the failed bubble goes (also after
// a reload of the stored thread); an answer's cited sources are links to where they live,
// and every answer says which model wrote it.
import { afterEach, describe, expect, it } from 'vitest';
import type { ReactNode } from 'react';
import { act, cleanup, render, renderHook, screen, waitFor } from '@testing-library/react';
import { WorkspaceContext, type Workspace } from '../../lib/context.ts';
import type { ChatStreamHandlers } from '../../lib/api.ts';
import type { ChatMessage } from '../../lib/types.ts';
import { ApiError } from '../../lib/errors.ts';
import { MessageBubble } from './MessageBubble.tsx';
import { collapseRetries, toUiMessage, useChat } from './useChat.ts';

/** A stored message: the given fields over a plain assistant answer. */
const message = (fields: Partial<ChatMessage>): ChatMessage => ({
  id: 'm', thread_id: 't1', sequence: 1, role: 'assistant', content: '', status: 'complete', model: null, tokens_in: null, tokens_out: null,
  client_message_id: null, reply_to_id: null, error_message: null, metadata: {}, created_at: '2026-12-01T10:00:00Z',
  updated_at: '2026-12-01T10:00:00Z', completed_at: null, ...fields,
});

afterEach(cleanup);

/** The network edge of the workspace: a stream that fails the first send and answers the next. */
function workspaceWithFlakyStream(stored: ChatMessage[] = []) {
  let sends = 0;
  const api = {
    getChatThread: async () => ({ id: 't1', status: 'active', messages: stored, tool_calls: [] }),
    streamChat: async (body: { content: string }, handlers: ChatStreamHandlers) => {
      sends += 1;
      const n = sends;
      handlers.onMessages?.({
        user_message: message({ id: `u${n}`, role: 'user', content: body.content }),
        assistant_message: message({ id: `a${n}`, status: 'pending' }),
        replayed: false,
      });
      if (n === 1) {
        handlers.onError?.(new ApiError('The assistant is not reachable right now.', { code: 'llm_unavailable' }));
        return;
      }
      handlers.onDelta?.(`Answer to ${body.content}`);
      handlers.onDone?.(message({ id: `a${n}`, role: 'assistant', content: `Answer to ${body.content}`, sequence: 4, status: 'complete', model: 'renubu-mock-1', metadata: { provider: 'mock' } }));
    },
  };
  const workspace = { api, config: {}, profile: { role: 'csm' }, signOut: async () => {} } as unknown as Workspace;
  const wrapper = ({ children }: { children: ReactNode }) => <WorkspaceContext.Provider value={workspace}>{children}</WorkspaceContext.Provider>;
  return { wrapper, sends: () => sends };
}

describe('Retry after a failed turn', () => {
  it('shows the question once and removes the failed bubble', async () => {
    const { wrapper, sends } = workspaceWithFlakyStream();
    const { result } = renderHook(() => useChat('t1'), { wrapper });
    await waitFor(() => expect(result.current.loading).toBe(false));

    await act(async () => { await result.current.send('What are the risks?'); });
    const failed = result.current.messages.find((m) => m.status === 'failed')!;
    expect(failed).toBeTruthy();

    await act(async () => { result.current.retry(failed.localId); });
    await waitFor(() => expect(result.current.sending).toBe(false));
    expect(sends()).toBe(2);
    expect(result.current.messages.filter((m) => m.role === 'user').map((m) => m.content)).toEqual(['What are the risks?']);
    expect(result.current.messages.some((m) => m.status === 'failed')).toBe(false);
    expect(result.current.messages.at(-1)).toMatchObject({ status: 'complete', content: 'Answer to What are the risks?' });
  });

  it('a reloaded thread shows a retried question once, with its answer', () => {
    const stored = [
      { id: 'u1', role: 'user', content: 'What are the risks?', sequence: 1, status: 'complete' },
      { id: 'a1', role: 'assistant', content: '', sequence: 2, status: 'failed', reply_to_id: 'u1' },
      { id: 'u2', role: 'user', content: 'What are the risks?', sequence: 3, status: 'complete' },
      { id: 'a2', role: 'assistant', content: 'Low.', sequence: 4, status: 'complete', reply_to_id: 'u2' },
    ].map((m) => toUiMessage(message(m as Partial<ChatMessage>)));
    expect(collapseRetries(stored).map((m) => m.id)).toEqual(['u2', 'a2']);
    // A failure that was not asked again stays, so it can still be retried.
    expect(collapseRetries(stored.slice(0, 2)).map((m) => m.id)).toEqual(['u1', 'a1']);
  });
});

describe('an answer with sources', () => {
  it('links each cited source and says which model answered', () => {
    const answer = toUiMessage(message({
      id: 'a1', role: 'assistant', sequence: 2, status: 'complete', model: 'renubu-mock-1',
      content: 'They asked for a discount [1]. We sent the quote [2].',
      metadata: {
        provider: 'mock',
        citations: [
          { n: 1, source_kind: 'engagement', source_subtype: 'support_ticket', source_id: 'e1', occurred_at: '2026-11-20T10:00:00Z', title: 'Pricing call', customer_id: 'c1' },
          { n: 2, source_kind: 'email', source_id: 'm1', occurred_at: '2026-11-23T10:00:00Z', title: 'Quote', customer_id: 'c1' },
        ],
      },
    }));
    render(<ul><MessageBubble message={answer} renderToolCall={() => null} /></ul>);
    const links = screen.getAllByRole('link');
    expect(links.map((a) => a.getAttribute('href'))).toEqual(['/customers/c1#engagement-e1', '/outbox#email-m1']);
    // named as the timeline names a ticket, not 'Activity' (source_subtype, historySourceLabel)
    expect(screen.getAllByTestId('chat-citation')[0]!.textContent).toBe('[1] Pricing call (Support ticket, 20 Nov 2026)');
    expect(screen.getByTestId('chat-model').textContent).toBe('Answered by built-in offline model');
  });

  it('names an Ollama model', () => {
    const answer = toUiMessage(message({ id: 'a1', role: 'assistant', sequence: 2, status: 'complete', model: 'llama3.1:8b', content: 'Hi.', metadata: { provider: 'ollama' } }));
    render(<ul><MessageBubble message={answer} renderToolCall={() => null} /></ul>);
    expect(screen.getByTestId('chat-model').textContent).toBe('Answered by llama3.1:8b');
    expect(screen.queryByRole('link')).toBeNull();
  });
});
