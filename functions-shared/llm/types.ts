// The one small interface every LLM provider implements. A provider turns a conversation
// (system prompt, history, tools offered) into a stream of events: text deltas as they
// arrive, the tool calls the model asks for, and a final `done` with token counts.
// Handlers never see a provider's wire format or its raw error messages.
import type { ToolSpec } from '../api/chat.ts';

export type ChatRole = 'system' | 'user' | 'assistant' | 'tool';

export interface ToolCallRequest {
  name: string;
  arguments: Record<string, unknown>;
}

export interface ChatTurn {
  role: ChatRole;
  content: string;
  /** Assistant turns that asked for tools, so the model sees its own request next round. */
  tool_calls?: ToolCallRequest[];
  /** Tool turns: which tool produced this output. */
  tool_name?: string;
}

/** A tool offered to the model, in the JSON-schema shape Ollama (and OpenAI) use. */
export type { ToolSpec };

export interface ChatRequest {
  messages: ChatTurn[];
  tools?: ToolSpec[];
  /** Overrides the provider's configured model (e.g. the one recorded for the thread). */
  model?: string;
  temperature?: number | null;
  maxTokens?: number | null;
  /** Aborts the request (e.g. the caller gave up). */
  signal?: AbortSignal;
}

export type ProviderEvent =
  | { type: 'delta'; text: string }
  | { type: 'tool_call'; call: ToolCallRequest }
  | { type: 'done'; tokensIn: number; tokensOut: number; model: string };

export interface LlmProvider {
  /** 'ollama' or 'mock'. */
  readonly name: string;
  /** The model used when a request does not name one. */
  readonly model: string;
  chat(request: ChatRequest): AsyncIterable<ProviderEvent>;
}

export type LlmErrorKind = 'unavailable' | 'timeout' | 'interrupted' | 'rejected';

const READABLE: Record<LlmErrorKind, string> = {
  unavailable: 'The assistant is not reachable right now. Your message is saved; please try again in a moment.',
  timeout: 'The assistant took too long to answer. Your message is saved; please try again.',
  interrupted: 'The assistant stopped in the middle of its answer. Your message and the partial answer are saved; please try again.',
  rejected: 'The assistant could not handle this request. Your message is saved; please try again or rephrase it.',
};

/**
 * A provider failure in words a CSM understands. `message` is always one of the readable
 * texts above; the provider's raw error stays in `cause` for logs, never in a response.
 */
export class LlmError extends Error {
  constructor(
    readonly kind: LlmErrorKind,
    override readonly cause?: unknown,
  ) {
    super(READABLE[kind]);
    this.name = 'LlmError';
  }
}

/** Collects a whole (non-streamed) answer; used for summaries and JSON responses. */
export async function collect(events: AsyncIterable<ProviderEvent>): Promise<{
  text: string;
  toolCalls: ToolCallRequest[];
  tokensIn: number;
  tokensOut: number;
  model: string;
}> {
  let text = '';
  const toolCalls: ToolCallRequest[] = [];
  let done: Extract<ProviderEvent, { type: 'done' }> | null = null;
  for await (const event of events) {
    if (event.type === 'delta') text += event.text;
    else if (event.type === 'tool_call') toolCalls.push(event.call);
    else done = event;
  }
  if (!done) throw new LlmError('interrupted');
  return { text, toolCalls, tokensIn: done.tokensIn, tokensOut: done.tokensOut, model: done.model };
}

/** One log line for a provider failure's cause (logs only; never sent to a client). */
export function describeCause(cause: unknown): string {
  if (cause instanceof Error) return `${cause.name}: ${cause.message}`;
  return String(cause);
}
