// The shapes the chat and artifact RPCs return (supabase/migrations/202611253*.sql).
import type { ToolSpec } from '../llm/types.ts';
import type { HistoryPassage } from '../prompts/system.ts';

export type MessageStatus = 'pending' | 'streaming' | 'complete' | 'failed';

export interface ChatMessage {
  id: string;
  thread_id: string;
  sequence: number;
  role: 'user' | 'assistant' | 'system' | 'tool';
  content: string;
  status: MessageStatus;
  tokens_in: number | null;
  tokens_out: number | null;
  model: string | null;
  client_message_id: string | null;
  reply_to_id: string | null;
  error_message: string | null;
  metadata: Record<string, unknown>;
  created_at: string;
  updated_at: string;
  completed_at: string | null;
}

export interface LlmContext {
  system_prompt: string;
  tools: ToolSpec[];
  customer_context: Record<string, unknown>;
  model: string;
  temperature: number | null;
  max_tokens: number | null;
}

export interface ChatThread {
  id: string;
  execution_id: string;
  step_key: string;
  thread_type: string;
  status: 'active' | 'completed' | 'abandoned';
  title: string | null;
  message_count: number;
  tokens_in: number;
  tokens_out: number;
  started_at: string;
  completed_at: string | null;
}

export interface ChatThreadDetail extends ChatThread {
  messages: ChatMessage[];
  llm_context: LlmContext | null;
}

export interface PostedMessages {
  user_message: ChatMessage;
  assistant_message: ChatMessage | null;
  replayed: boolean;
  /** A new exchange: what the prompt needs, loaded by the same call (absent on a replay). */
  prompt?: PromptInputs;
}

/** What post_chat_message loads for the model in the same round trip. */
export interface PromptInputs {
  thread_type: string;
  branch_key: string | null;
  execution_id: string;
  step_key: string;
  customer_id: string | null;
  llm_context: LlmContext | null;
  /** Earlier turns: questions, and answers that completed. */
  history: Array<{ role: 'user' | 'assistant'; content: string }>;
  passages: HistoryPassage[];
}

export interface StepSummary {
  key: string;
  title: string;
  index: number;
  status: string;
}

export interface CompletedThread {
  thread: ChatThread;
  step: (StepSummary & { duration_seconds: number | null; message_count: number | null; token_count: number | null }) | null;
  next_step: StepSummary | null;
  already_completed: boolean;
}

export interface Artifact {
  id: string;
  execution_id: string;
  step_key: string | null;
  task_id: string | null;
  thread_id: string | null;
  artifact_type: string;
  title: string;
  content: unknown;
  version: number;
  generated_by: string;
  approved: boolean;
}

/** What the chat function reports for each tool the model called. */
export interface ToolCallReport {
  name: string;
  input: Record<string, unknown>;
  output: unknown;
  success: boolean;
  error?: string;
}
