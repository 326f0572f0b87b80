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

/** A chat's own name: its branch's label, else its place. */
function ownName(thread: ChatThreadSummary, index: number): string {
  return thread.title?.trim() || `Conversation ${index + 1}`;
}

/**
 * A step's conversation tabs: each named by the branch it came from, or by its place when it
 * has no name; two of one name (chats opened without a branch are named by the step) are told
 * apart by their place: "Confirm where the renewal stands (2)".
 */
export function conversationLabels(threads: ChatThreadSummary[]): string[] {
  const names = threads.map(ownName);
  return names.map((name, index) => (names.filter((other) => other === name).length > 1 ? `${name} (${index + 1})` : name));
}
