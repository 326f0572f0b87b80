// @vitest-environment happy-dom
// A replayed send whose answer is still being written (the first send is still streaming
// it): the stream ends with `error` code `answer_in_progress`, or, from an older server,
// `done` with an unfinished message. Either way the answer stays pending — never complete
// and empty — and the stored thread is read again until the answer is finished.
import { afterEach, describe, expect, it } from 'vitest';
import type { ReactNode } from 'react';
import { act, cleanup, renderHook, waitFor } from '@testing-library/react';
import { WorkspaceContext, type Workspace } from '../../lib/context.ts';
import type { ChatStreamHandlers } from '../../lib/api.ts';
import type { ChatMessage } from '../../lib/types.ts';
import { ApiError } from '../../lib/errors.ts';
import { ANSWER_IN_PROGRESS } from '../../../../functions-shared/api/functions.ts';
import { useChat } from './useChat.ts';

const message = (fields: Partial<ChatMessage>): ChatMessage => ({
  id: 'm', thread_id: 't1', sequence: 1, role: 'assistant', content: '', status: 'complete', model: null, tokens_in: null, tokens_out: null,
  client_message_id: null, reply_to_id: null, error_message: null, metadata: {}, created_at: '2026-12-01T10:00:00Z',
  updated_at: '2026-12-01T10:00:00Z', completed_at: null, ...fields,
});

afterEach(cleanup);

/** A workspace whose stream ends the given way, and whose stored answer finishes on the third read. */
function workspace(end: (handlers: ChatStreamHandlers) => void) {
  let reads = 0;
  const question = message({ id: 'u1', role: 'user', content: 'How is usage?', sequence: 1 });
  const api = {
    getChatThread: async () => {
      reads += 1;
      const answer = reads < 3
        ? message({ id: 'a1', sequence: 2, status: 'streaming' })
        : message({ id: 'a1', sequence: 2, status: 'complete', content: 'Usage fell by a third.', model: 'renubu-mock-1' });
      // The first read is the thread as loaded (empty); then the stored pair.
      return { id: 't1', status: 'active', messages: reads === 1 ? [] : [question, answer], tool_calls: [] };
    },
    streamChat: async (_body: { content: string }, handlers: ChatStreamHandlers) => {
      handlers.onMessages?.({ user_message: question, assistant_message: message({ id: 'a1', sequence: 2, status: 'streaming' }), replayed: true });
      end(handlers);
    },
  };
  const value = { api, config: {}, profile: { role: 'csm' }, signOut: async () => {} } as unknown as Workspace;
  const wrapper = ({ children }: { children: ReactNode }) => <WorkspaceContext.Provider value={value}>{children}</WorkspaceContext.Provider>;
  return { wrapper, reads: () => reads };
}

describe('an answer still being written', () => {
  const cases: [string, (handlers: ChatStreamHandlers) => void][] = [
    ['error answer_in_progress', (handlers) => handlers.onError?.(new ApiError('The answer to this message is still being written.', { code: ANSWER_IN_PROGRESS }))],
    ['done with an unfinished message', (handlers) => handlers.onDone?.(message({ id: 'a1', sequence: 2, status: 'streaming', content: '' }))],
  ];
  for (const [name, end] of cases) {
    it(`stays pending after ${name}, then shows the stored answer once it is finished`, async () => {
      const { wrapper, reads } = workspace(end);
      const { result } = renderHook(() => useChat('t1', undefined, { followEveryMs: 10 }), { wrapper });
      await waitFor(() => expect(result.current.loading).toBe(false));

      await act(async () => { await result.current.send('How is usage?'); });
      const answer = () => result.current.messages.at(-1)!;
      expect(answer()).toMatchObject({ id: 'a1', role: 'assistant', status: 'streaming', content: '' });
      expect(answer().error ?? null).toBeNull();

      await waitFor(() => expect(answer()).toMatchObject({ id: 'a1', status: 'complete', content: 'Usage fell by a third.', model: 'renubu-mock-1' }));
      expect(reads()).toBe(3);
      expect(result.current.messages.filter((m) => m.role === 'assistant')).toHaveLength(1);
    });
  }

  it('is shown as failed when it is still unfinished after the last read', async () => {
    const { wrapper } = workspace((handlers) => handlers.onError?.(new ApiError('Still being written.', { code: ANSWER_IN_PROGRESS })));
    const { result } = renderHook(() => useChat('t1', undefined, { followEveryMs: 10, followAttempts: 1 }), { wrapper });
    await waitFor(() => expect(result.current.loading).toBe(false));
    await act(async () => { await result.current.send('How is usage?'); });
    await waitFor(() => expect(result.current.messages.at(-1)).toMatchObject({ status: 'failed' }));
    expect(result.current.messages.at(-1)!.error).toMatch(/not finished/);
  });
});
