// A step's chat branches each open their own chat: "Ask about this account's history" asks
// the customer's history (a rag chat with its sources), even when "Something is blocking it"
// has a chat open at the same step; choosing a branch again shows the chat it opened.
import { describe, expect, it } from 'vitest';
import type { ChatBranch, ChatThreadSummary } from '../../lib/types.ts';
import { chatOfBranch, conversationLabels } from './branchChats.ts';

function thread(id: string, thread_type: string, title: string | null, status: ChatThreadSummary['status'] = 'active'): ChatThreadSummary {
  return { id, step_key: 'confirm-status', thread_type, title, status, message_count: 2, tokens_in: 0, tokens_out: 0, started_at: null, completed_at: null } as ChatThreadSummary;
}
const blocking = { key: 'blocking', type: 'llm', label: 'Something is blocking it' } as ChatBranch;
const history = { key: 'ask-history', type: 'rag', label: "Ask about this account's history" } as ChatBranch;

describe('the chat a branch shows', () => {
  it('is none for the history branch while only another branch has a chat open: a chat of its own is opened', () => {
    expect(chatOfBranch([thread('t1', 'llm', 'Something is blocking it')], history)).toBeNull();
  });

  it('is the open chat that branch opened, chosen again', () => {
    const threads = [thread('t1', 'llm', 'Something is blocking it'), thread('t2', 'rag', "Ask about this account's history")];
    expect(chatOfBranch(threads, history)?.id).toBe('t2');
    expect(chatOfBranch(threads, blocking)?.id).toBe('t1');
  });

  it('is never a finished chat', () => {
    expect(chatOfBranch([thread('t1', 'rag', "Ask about this account's history", 'completed')], history)).toBeNull();
  });
});

describe('the conversation tabs', () => {
  it('are named by the branch each came from, and by their place when they have no name', () => {
    expect(conversationLabels([thread('t1', 'llm', 'Something is blocking it'), thread('t2', 'rag', "Ask about this account's history"), thread('t3', 'llm', null)]))
      .toEqual(['Something is blocking it', "Ask about this account's history", 'Conversation 3']);
  });

  it('tell apart two chats of one name (two opened at a step without branches, both named by the step) by their place', () => {
    expect(conversationLabels([thread('t1', 'llm', 'Confirm where the renewal stands'), thread('t2', 'rag', 'Confirm where the renewal stands')]))
      .toEqual(['Confirm where the renewal stands (1)', 'Confirm where the renewal stands (2)']);
  });
});
