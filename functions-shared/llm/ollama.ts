// Ollama through the official `ollama` client (its fetch-based browser build, which runs
// unchanged in Deno and Node). Streams /api/chat, passes tool definitions, and reads
// token counts from Ollama's `prompt_eval_count` / `eval_count`.
//
// The timeout is an idle timeout: the request fails when Ollama sends nothing for
// `timeoutMs` — before the first token or between two chunks. A long answer that keeps
// streaming is never cut off; a stalled model is.
import { Ollama, type Message, type Tool } from 'ollama/browser';
import { LlmError, type ChatRequest, type ChatTurn, type LlmProvider, type ProviderEvent } from './types.ts';

export const DEFAULT_OLLAMA_MODEL = 'llama3.1:8b';
export const DEFAULT_TIMEOUT_MS = 60_000;

export interface OllamaProviderOptions {
  host: string;
  model?: string;
  timeoutMs?: number;
  /** Injected for tests; defaults to the global fetch. */
  fetch?: typeof fetch;
}

export class OllamaProvider implements LlmProvider {
  readonly name = 'ollama';
  readonly model: string;
  private readonly host: string;
  private readonly timeoutMs: number;
  private readonly baseFetch: typeof fetch;

  constructor(options: OllamaProviderOptions) {
    this.host = options.host;
    this.model = options.model || DEFAULT_OLLAMA_MODEL;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.baseFetch = options.fetch ?? ((input, init) => fetch(input, init));
  }

  async *chat(request: ChatRequest): AsyncGenerator<ProviderEvent> {
    const controller = new AbortController();
    let timedOut = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const disarm = () => clearTimeout(timer);
    const arm = () => {
      disarm();
      timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, this.timeoutMs);
    };
    const onCallerAbort = () => controller.abort();
    request.signal?.addEventListener('abort', onCallerAbort);

    // One client per request so its fetch can carry this request's abort signal (the
    // client's own signal only covers the body of a streamed response).
    const client = new Ollama({
      host: this.host,
      fetch: (input, init) =>
        this.baseFetch(input, {
          ...init,
          signal: init?.signal ? AbortSignal.any([init.signal, controller.signal]) : controller.signal,
        }),
    });

    const model = request.model || this.model;
    let receivedAnything = false;
    try {
      arm();
      let stream;
      try {
        stream = await client.chat({
          model,
          messages: request.messages.map(toOllamaMessage),
          tools: request.tools as Tool[] | undefined,
          stream: true,
          options: {
            ...(request.temperature != null ? { temperature: request.temperature } : {}),
            ...(request.maxTokens != null ? { num_predict: request.maxTokens } : {}),
          },
        });
      } catch (error) {
        throw classify(error, timedOut, false);
      }
      try {
        for await (const part of stream) {
          disarm();
          receivedAnything = true;
          if (part.message?.content) yield { type: 'delta', text: part.message.content };
          for (const call of part.message?.tool_calls ?? []) {
            yield {
              type: 'tool_call',
              call: { name: call.function.name, arguments: normaliseArguments(call.function.arguments) },
            };
          }
          if (part.done) {
            yield {
              type: 'done',
              // Ollama omits prompt_eval_count when the whole prompt came from its cache.
              tokensIn: part.prompt_eval_count ?? 0,
              tokensOut: part.eval_count ?? 0,
              model: part.model || model,
            };
            return;
          }
          arm();
        }
      } catch (error) {
        throw classify(error, timedOut, receivedAnything);
      }
    } finally {
      disarm();
      request.signal?.removeEventListener('abort', onCallerAbort);
    }
  }
}

function toOllamaMessage(turn: ChatTurn): Message {
  const message: Message = { role: turn.role, content: turn.content };
  if (turn.tool_calls?.length) {
    message.tool_calls = turn.tool_calls.map((call) => ({ function: { name: call.name, arguments: call.arguments } }));
  }
  if (turn.tool_name) message.tool_name = turn.tool_name;
  return message;
}

// Some models send arguments as a JSON string rather than an object.
function normaliseArguments(value: unknown): Record<string, unknown> {
  if (typeof value === 'string') {
    try {
      const parsed: unknown = JSON.parse(value);
      return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
    } catch {
      return {};
    }
  }
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function classify(error: unknown, timedOut: boolean, midStream: boolean): LlmError {
  if (error instanceof LlmError) return error;
  if (timedOut) return new LlmError('timeout', error);
  if (midStream) return new LlmError('interrupted', error);
  const status = (error as { status_code?: number } | null)?.status_code;
  if (typeof status === 'number' && status >= 400 && status < 500 && status !== 404 && status !== 408 && status !== 429) {
    return new LlmError('rejected', error);
  }
  return new LlmError('unavailable', error);
}
