// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { MessageBubble } from './MessageBubble.tsx';
import { toUiMessage } from './useChat.ts';
import type { ChatMessage } from '../../lib/types.ts';

/** A stored message: the given fields over a plain assistant answer. */
const message = (fields: Partial<ChatMessage>): ChatMessage => ({
  id: 'm', thread_id: 't1', sequence: 1, role: 'assistant', content: '', status: 'complete', model: null, tokens_in: null, tokens_out: null,
  client_message_id: null, reply_to_id: null, error_message: null, metadata: {}, created_at: '2026-12-01T10:00:00Z',
  updated_at: '2026-12-01T10:00:00Z', completed_at: null, ...fields,
});

afterEach(cleanup);

describe('a chat message', () => {
  it('shows a failed answer with its reason and a retry', () => {
    let retried = 0;
    const failed = toUiMessage(message({ id: 'm2', role: 'assistant', content: '', sequence: 2, status: 'failed', error_message: 'The assistant is unavailable right now.' }));
    render(<ul><MessageBubble message={failed} renderToolCall={() => null} onRetry={() => { retried += 1; }} /></ul>);
    expect(screen.getByRole('alert').textContent).toContain('The assistant is unavailable right now.');
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(retried).toBe(1);
  });

  it('marks a streaming answer and shows the stored tool calls', () => {
    const streaming = toUiMessage(
      message({ id: 'm3', role: 'assistant', content: 'Drafting', sequence: 3, status: 'streaming' }),
      [{ name: 'draft_email', input: {}, output: { artifact_id: 'a1' }, success: true }],
    );
    render(<ul><MessageBubble message={streaming} renderToolCall={(call) => <span key={call.name}>tool {call.name} {String(call.output?.artifact_id)}</span>} /></ul>);
    expect(screen.getByText('Drafting').querySelector('.caret')).not.toBeNull();
    expect(screen.getByText('tool draft_email a1')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Retry' })).toBeNull();
  });
});
