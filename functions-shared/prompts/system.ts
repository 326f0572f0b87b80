// How customer data travels in a prompt. The system prompt itself is built in SQL by
// create_chat_thread (so the recorded LLM context is exactly what the model saw); this
// module holds the TypeScript side of the same contract: the delimiters, reading the
// data block back (the mock model answers from it), and the summary request.
import type { ChatTurn } from '../llm/types.ts';

// Customer fields and stakeholder notes are data, never instructions: they sit inside
// this block as JSON, after the rules, and `<` is escaped inside it so no value can close it.
export const DATA_OPEN = '<customer_data>';
export const DATA_CLOSE = '</customer_data>';

/** The JSON inside the system prompt's customer data block, or null when there is none. */
export function extractCustomerData(systemPrompt: string): Record<string, unknown> | null {
  const start = systemPrompt.indexOf(DATA_OPEN);
  const end = systemPrompt.lastIndexOf(DATA_CLOSE);
  if (start < 0 || end <= start) return null;
  try {
    const parsed: unknown = JSON.parse(systemPrompt.slice(start + DATA_OPEN.length, end));
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export const SUMMARY_REQUEST =
  'Summarise the conversation above for the workflow record in 3 to 5 plain sentences: what was asked, ' +
  'what was found, and any drafts, tasks or proposed actions. Do not add facts that are not in the conversation or the customer data.';

/** The model input for a thread summary: the thread's own system prompt and history, then the request. */
export function summaryMessages(systemPrompt: string, history: ChatTurn[]): ChatTurn[] {
  return [{ role: 'system', content: systemPrompt }, ...history, { role: 'user', content: SUMMARY_REQUEST }];
}
