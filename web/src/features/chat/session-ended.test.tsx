// @vitest-environment happy-dom
// A question whose send the server refused because the session ended: the failed answer says
// so with Sign in again in place of Retry, which would be refused the same way, and the
// question goes back to the box's kept text, so it is there once the person is back.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ReactNode } from 'react';
import { act, cleanup, fireEvent, render, renderHook, screen, waitFor } from '@testing-library/react';
import { WorkspaceContext, type Workspace } from '../../lib/context.ts';
import { ApiError } from '../../lib/errors.ts';
import { SignInAgainContext } from '../../components/SignInAgain.tsx';
import { MessageBubble } from './MessageBubble.tsx';
import { chatDraftKey, useChat } from './useChat.ts';
import { keptText } from '../../lib/unsentText.ts';

afterEach(cleanup);

function workspaceWhoseSessionEnded() {
  const api = {
    getChatThread: async () => ({ id: 't1', status: 'active', messages: [], tool_calls: [] }),
    streamChat: async () => { throw new ApiError('JWT expired', { code: 'PGRST303', status: 401 }); },
  };
  const workspace = { api, config: {}, profile: { id: 'me', role: 'csm' }, signOut: async () => {} } as unknown as Workspace;
  return ({ children }: { children: ReactNode }) => <WorkspaceContext.Provider value={workspace}>{children}</WorkspaceContext.Provider>;
}

describe('a chat message refused because the session ended', () => {
  it('offers Sign in again, not Retry, and keeps the question for the box', async () => {
    const { result } = renderHook(() => useChat('t1'), { wrapper: workspaceWhoseSessionEnded() });
    await waitFor(() => expect(result.current.loading).toBe(false));
    await act(async () => { await result.current.send('What are the risks?'); });
    const failed = result.current.messages.find((m) => m.status === 'failed')!;
    expect(failed.error).toContain('Your session has ended');
    expect(keptText(chatDraftKey('me', 't1'))).toBe('What are the risks?');

    const signInAgain = vi.fn();
    render(<SignInAgainContext.Provider value={signInAgain}>
      <ul><MessageBubble message={failed} renderToolCall={() => null} onRetry={() => {}} /></ul>
    </SignInAgainContext.Provider>);
    expect(screen.queryByRole('button', { name: 'Retry' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Sign in again' }));
    expect(signInAgain).toHaveBeenCalledTimes(1);
  });
});
