// Which chat a step's chat branch shows. Each llm or rag branch opens a chat of its own, with
// its own prompt (a rag branch answers from the customer's recorded history, citing it), so
// choosing one while another branch's chat is open opens its own rather than showing the
// other: before, "Ask about this account's history" showed the open "Something is blocking
// it" chat, whose answers do not read the history. A chat is named by the branch it came
// from (create_chat_thread titles it with the branch's label, else the step's title).
import type { ChatBranch, ChatThreadSummary } from '../../lib/types.ts';

/** The open chat this branch opened at the step, shown again when it is chosen again; null: open one. */
export function chatOfBranch(threads: ChatThreadSummary[], branch: ChatBranch): ChatThreadSummary | null {
  return threads.find((thread) => thread.status === 'active' && thread.thread_type === branch.type && thread.title === branch.label) ?? null;
}

/** A step's conversation tab: the branch it came from, or its place when it has no name. */
export function conversationLabel(thread: ChatThreadSummary, index: number): string {
  return thread.title?.trim() || `Conversation ${index + 1}`;
}
