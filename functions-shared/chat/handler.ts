// The `chat` Edge Function: a pure (Request, deps) handler.
//
// 1. Store first: post_chat_message writes the user message and a pending assistant
//    message (idempotent by client_message_id) before the model is called.
// 2. The same call returns what the prompt needs: the recorded LLM context (system prompt,
//    tools), the earlier turns and the customer's history passages (the best matches of the
//    question in a `rag` thread, the latest contacts in every thread) — one round trip
//    before the model is called. Passages go into the prompt as a delimited data block.
// 3. Call the provider and relay every delta the moment it arrives (SSE, no buffering).
// 4. Run the tools the model asks for, record each call, give the results back to the
//    model for its next round (a few rounds at most, and at most MAX_TOOL_CALLS_PER_ANSWER
//    tools in all: the rest are recorded as not run).
// 5. finish_chat_message with the text, tokens, model and the passages the answer cites
//    ([n] → source kind, id, date; also sent as an SSE `citations` event) — or, when the
//    provider fails or times out at any point, `failed` with a readable error, keeping the
//    partial text.
//
// Who writes what: everything the CSM does (posting, reading the thread, the tools) runs
// with the caller's token, so RLS and the role checks decide. What the model says (the
// reply, its tool calls) is written with the service role: finish_chat_message and
// record_llm_tool_call are service-only, so no person can store words as the model's.
// The caller's right to this thread was checked by post_chat_message, which returned the
// pending reply these writes name (with its thread; the RPCs refuse any other message).
//
// A replay (the same client_message_id again) never calls the model: it answers the stored
// pair. When that answer is still being written (by the first request), the replay waits
// for it to finish (a bounded wait, polling the stored message) and then sends it as `done`
// (or `error` when it failed). `done` only ever carries a finished message: an answer still
// unfinished after the wait ends the stream with `error` code `answer_in_progress`, and the
// client keeps the message pending and reads the thread again later.
import type { SupabaseClient } from '@supabase/supabase-js';
import { answer, callerClient, envFrom, HttpError, jsonResponse, parseJsonBody, serviceClient, type FunctionEnv } from '../http.ts';
import { providerFromEnv } from '../llm/index.ts';
import { describeCause, LlmError, type ChatTurn, type LlmProvider, type ToolCallRequest } from '../llm/types.ts';
import { citationsIn, historyBlock, type Citation } from '../prompts/system.ts';
import { sseResponse, type SseSink } from '../sse.ts';
import { verifiedCallerId } from '../caller.ts';
import { rpc } from '../api/rpc.ts';
import { ANSWER_IN_PROGRESS, ChatRequestBody, UNFINISHED_ANSWER_STATUSES } from '../api/functions.ts';
import { executeToolCall, refuseToolCall } from './tools.ts';
import type { ToolCall } from '../api/shapes.ts';
import type { ChatMessage, PromptInputs, RpcResult } from '../api/index.ts';

type PostedMessages = RpcResult<'post_chat_message'>;

export interface ChatDeps {
  env: FunctionEnv;
  provider: LlmProvider;
  /** How many times the model may ask for tools before it must answer. */
  maxToolRounds?: number;
  /** The service-role client that writes the model's reply and tool calls (made from env when absent). */
  service?: SupabaseClient;
  /** How long a replay waits for an answer still being written (default REPLAY_WAIT_MS). */
  replayWaitMs?: number;
  /** How often a run says its reply is still being written (default KEEP_ALIVE_MS). */
  keepAliveMs?: number;
}

/**
 * The most tools one answer runs, over all its rounds. A model's tool calls are bounded only
 * by its token budget otherwise: one obeying planted text asked for a dozen create_task calls
 * a round, and each ran. Calls past this are not run; the model is told why, and offered no
 * tools once the answer has used them up.
 */
export const MAX_TOOL_CALLS_PER_ANSWER = 6;

/**
 * How often, at most, a run stores its reply's text so far while the model writes: each such
 * write says the reply is alive. The reaper (app.reap_stuck_chat_messages) fails a reply not
 * heard of for 5 minutes, a function that died mid-answer; marked only at its first token, an
 * answer longer than that (a slow model, tool rounds) was reaped while still being written, its
 * finish then refused and its text lost. A run is heard of at least this often while the model
 * streams, and the model is given up on after 60 s of silence (the provider's timeout).
 */
export const KEEP_ALIVE_MS = 60_000;

/** How long a replay waits for the first request's answer to finish before saying it is still being written. */
export const REPLAY_WAIT_MS = 30_000;

/** The service-role client for the assistant's own writes, made once per deps. */
function assistantWriter(deps: ChatDeps): SupabaseClient {
  deps.service ??= serviceClient(deps.env);
  return deps.service;
}

export function chatDepsFromEnv(source: Record<string, string | undefined>): ChatDeps {
  return { env: envFrom(source), provider: providerFromEnv(source) };
}

export function handleChat(req: Request, deps: ChatDeps): Promise<Response> {
  return answer(req, async () => {
    if (req.method !== 'POST') throw new HttpError(405, 'method_not_allowed', 'Send messages with POST.');
    const db = callerClient(req, deps.env);
    const body = await parseJsonBody(req, ChatRequestBody);
    const streaming = (req.headers.get('Accept') ?? '').includes('text/event-stream');

    const posted = await rpc(db, 'post_chat_message', {
      thread_id: body.thread_id,
      content: body.content,
      client_message_id: body.client_message_id,
    });

    if (posted.replayed || !posted.assistant_message) return replay(db, posted, streaming, deps.replayWaitMs ?? REPLAY_WAIT_MS);

    // The post succeeded with the caller's token: the database verified it, so its subject
    // is who the assistant works for (the author of what it drafts).
    const authorId = verifiedCallerId(req);
    const inputs = posted.prompt ?? (await promptFromThread(db, posted));
    const run = new AssistantRun(db, assistantWriter(deps), authorId, deps, posted.user_message, posted.assistant_message, inputs);
    if (streaming) {
      return sseResponse(async (sink) => {
        sink.send('message', {
          user_message: posted.user_message,
          assistant_message: posted.assistant_message,
          replayed: false,
        });
        await run.execute(sink);
      });
    }
    const result = await run.execute(null);
    return jsonResponse({ user_message: posted.user_message, assistant_message: result.message, tool_calls: result.toolCalls });
  });
}

/** A database without the one-call post (older migration): read the thread instead. */
async function promptFromThread(db: SupabaseClient, posted: PostedMessages): Promise<PromptInputs> {
  const thread = await rpc(db, 'get_chat_thread', { thread_id: posted.user_message.thread_id });
  const customer = thread.llm_context?.customer_context?.customer as { id?: string } | undefined;
  return {
    thread_type: thread.thread_type,
    branch_key: null,
    execution_id: thread.execution_id,
    step_key: thread.step_key,
    customer_id: customer?.id ?? null,
    llm_context: thread.llm_context,
    history: thread.messages
      .filter((m) => m.sequence < posted.user_message.sequence)
      .filter((m) => m.role === 'user' || (m.role === 'assistant' && m.status === 'complete' && m.content !== ''))
      .map((m) => ({ role: m.role as 'user' | 'assistant', content: m.content })),
    passages: [],
  };
}

/**
 * A replayed send: the stored pair, and the model is not called again. An answer the first
 * request is still writing is waited for (at most `waitMs`); `done` carries it once it is
 * complete, `error` once it failed, and an answer still unfinished after the wait ends the
 * stream with `error` `answer_in_progress` (never `done`). The JSON answer waits the same
 * way and returns the stored pair as it then is (its status says whether it finished).
 */
async function replay(db: SupabaseClient, posted: PostedMessages, streaming: boolean, waitMs: number): Promise<Response> {
  if (!streaming) {
    const message = posted.assistant_message && (await finishedReply(db, posted.assistant_message, waitMs, () => false));
    return jsonResponse({ user_message: posted.user_message, assistant_message: message, replayed: true });
  }
  return sseResponse(async (sink) => {
    sink.send('message', { user_message: posted.user_message, assistant_message: posted.assistant_message, replayed: true });
    const message = posted.assistant_message && (await finishedReply(db, posted.assistant_message, waitMs, () => sink.closed));
    if (message?.status === 'failed') {
      sink.send('error', { code: 'llm_failed', message: message.error_message, assistant_message: message });
    } else if (message && UNFINISHED_ANSWER_STATUSES.includes(message.status)) {
      sink.send('error', {
        code: ANSWER_IN_PROGRESS,
        message: 'The answer to this message is still being written. It will appear in the thread when it is finished.',
        assistant_message: message,
      });
    } else {
      sink.send('done', message);
    }
  });
}

/**
 * The stored reply once it is no longer pending or streaming, read again (with the caller's
 * token) at growing intervals until it finishes, `waitMs` passes or the client goes away;
 * then the latest stored state, which may still be unfinished.
 */
async function finishedReply(db: SupabaseClient, reply: ChatMessage, waitMs: number, gone: () => boolean): Promise<ChatMessage> {
  const deadline = Date.now() + waitMs;
  let latest = reply;
  let pause = 100;
  while (UNFINISHED_ANSWER_STATUSES.includes(latest.status) && !gone()) {
    const left = deadline - Date.now();
    if (left <= 0) break;
    await new Promise((resolve) => setTimeout(resolve, Math.min(pause, left)));
    pause = Math.min(pause * 2, 1_000);
    try {
      // Each read within what is left of the wait, too: a slow database does not stretch it.
      const page = await rpc(db, 'list_chat_messages', { thread_id: reply.thread_id, after_sequence: reply.sequence - 1, page_size: 1 },
        { signal: AbortSignal.timeout(Math.max(1, deadline - Date.now())) });
      latest = page.messages.find((m) => m.id === reply.id) ?? latest;
    } catch (error) {
      // Reading failed (e.g. the caller's token expired): report what is known.
      console.warn('could not read the replayed reply again', error);
      break;
    }
  }
  return latest;
}

class AssistantRun {
  private text = '';
  private tokensIn = 0;
  private tokensOut = 0;
  private model: string;
  private readonly toolCalls: ToolCall[] = [];
  private markedStreaming: Promise<unknown> | null = null;
  /** When the reply was last stored as being written (Date.now()). */
  private lastHeardOf = 0;

  constructor(
    /** The caller: reads and tools, under their RLS. */
    private readonly db: SupabaseClient,
    /** The service role: only the reply and its tool calls (service-only RPCs). */
    private readonly writer: SupabaseClient,
    /** The signed-in person the assistant works for. */
    private readonly authorId: string,
    private readonly deps: ChatDeps,
    private readonly userMessage: ChatMessage,
    private readonly assistantMessage: ChatMessage,
    private readonly inputs: PromptInputs,
  ) {
    this.model = deps.provider.model;
  }

  async execute(sink: SseSink | null): Promise<{ message: ChatMessage; toolCalls: ToolCall[] }> {
    let message: ChatMessage;
    try {
      await this.converse(sink);
      await this.markedStreaming;
      const citations: Citation[] = citationsIn(this.text, this.inputs.passages).map((c) => ({ ...c, customer_id: this.inputs.customer_id }));
      sink?.send('citations', { citations });
      message = await rpc(this.writer, 'finish_chat_message', {
        thread_id: this.assistantMessage.thread_id,
        message_id: this.assistantMessage.id,
        content: this.text,
        status: 'complete',
        tokens_in: this.tokensIn,
        tokens_out: this.tokensOut,
        model: this.model,
        metadata: {
          provider: this.deps.provider.name,
          thread_type: this.inputs.thread_type,
          citations,
          tool_calls: this.toolCalls.length,
          proposed_actions: this.toolCalls.filter((c) => c.name === 'propose_action' && c.success).map((c) => c.output),
        },
      });
      sink?.send('done', message);
    } catch (error) {
      message = await this.fail(error, sink);
    }
    return { message, toolCalls: this.toolCalls };
  }

  private async converse(sink: SseSink | null): Promise<void> {
    const inputs = this.inputs;
    const context = inputs.llm_context;
    // The system prompt recorded for the thread, then the customer's history as data (a
    // rag thread always gets the block, so "nothing matched" is visible to the model),
    // the earlier turns, and the CSM's new message.
    const history = inputs.passages.length > 0 || inputs.thread_type === 'rag' ? historyBlock(inputs.passages, inputs.thread_type) : '';
    const messages: ChatTurn[] = [
      { role: 'system', content: (context?.system_prompt ?? '') + history },
      ...inputs.history.map((m): ChatTurn => ({ role: m.role, content: m.content })),
      { role: 'user', content: this.userMessage.content },
    ];
    const maxRounds = this.deps.maxToolRounds ?? 3;

    for (let round = 0; round <= maxRounds; round++) {
      const calls: ToolCallRequest[] = [];
      let roundText = '';
      const offerTools = round < maxRounds && this.toolCalls.length < MAX_TOOL_CALLS_PER_ANSWER;
      for await (const event of this.deps.provider.chat({
        messages,
        tools: offerTools ? context?.tools : undefined,
        temperature: context?.temperature ?? null,
        maxTokens: context?.max_tokens ?? null,
      })) {
        if (event.type === 'delta') {
          let piece = event.text;
          if (roundText === '' && this.text !== '' && !/\s$/.test(this.text)) piece = `\n\n${piece}`;
          roundText += event.text;
          this.text += piece;
          await this.keepAlive();
          sink?.send('delta', { text: piece });
        } else if (event.type === 'tool_call') {
          calls.push(event.call);
        } else {
          this.tokensIn += event.tokensIn;
          this.tokensOut += event.tokensOut;
          this.model = event.model;
        }
      }
      if (calls.length === 0 || !offerTools) return;

      messages.push({ role: 'assistant', content: roundText, tool_calls: calls });
      const toolContext = {
        db: this.db,
        writer: this.writer,
        authorId: this.authorId,
        threadId: this.assistantMessage.thread_id,
        executionId: inputs.execution_id,
        stepKey: inputs.step_key,
        customerId: inputs.customer_id,
        assistantMessageId: this.assistantMessage.id,
        model: this.model,
        userPrompt: this.userMessage.content,
        tools: context?.tools ?? [],
      };
      for (const call of calls) {
        await this.keepAlive();
        const report = this.toolCalls.length < MAX_TOOL_CALLS_PER_ANSWER
          ? await executeToolCall(call, toolContext)
          : await refuseToolCall(call, toolContext, `not run: one answer runs at most ${MAX_TOOL_CALLS_PER_ANSWER} tools`);
        this.toolCalls.push(report);
        sink?.send('tool_call', { name: report.name, input: report.input, output: report.output, success: report.success });
        messages.push({ role: 'tool', tool_name: call.name, content: JSON.stringify(report.output) });
      }
    }
  }

  /**
   * Says the reply is being written: marked `streaming` at the first token without holding the
   * stream up, then its text so far stored again once KEEP_ALIVE_MS has passed since (awaited:
   * one write a minute), so the reaper never takes a live answer for a dead one.
   */
  private async keepAlive(): Promise<void> {
    if (!this.markedStreaming) return this.markStreaming();
    if (Date.now() - this.lastHeardOf < (this.deps.keepAliveMs ?? KEEP_ALIVE_MS)) return;
    this.lastHeardOf = Date.now();
    await this.markedStreaming;
    this.markedStreaming = rpc(this.writer, 'finish_chat_message', {
      thread_id: this.assistantMessage.thread_id,
      message_id: this.assistantMessage.id,
      content: this.text,
      status: 'streaming',
    }).catch((error: unknown) => console.error('could not store the reply being written', error));
    await this.markedStreaming;
  }

  /** Marks the reply `streaming` once, at the first token, without holding the stream up. */
  private markStreaming(): void {
    if (this.markedStreaming) return;
    this.lastHeardOf = Date.now();
    this.markedStreaming = rpc(this.writer, 'finish_chat_message', {
      thread_id: this.assistantMessage.thread_id,
      message_id: this.assistantMessage.id,
      content: '',
      status: 'streaming',
    }).catch((error: unknown) => console.error('could not mark the reply streaming', error));
  }

  private async fail(error: unknown, sink: SseSink | null): Promise<ChatMessage> {
    const readable =
      error instanceof LlmError || error instanceof HttpError
        ? error.message
        : 'The assistant failed unexpectedly. Your message is saved; please try again.';
    if (error instanceof LlmError) console.warn(`LLM ${error.kind}: ${describeCause(error.cause)}`);
    else if (!(error instanceof HttpError)) console.error(error);
    const code = error instanceof LlmError ? `llm_${error.kind}` : error instanceof HttpError ? error.code : 'internal_error';

    await this.markedStreaming;
    let message: ChatMessage;
    try {
      message = await rpc(this.writer, 'finish_chat_message', {
        thread_id: this.assistantMessage.thread_id,
        message_id: this.assistantMessage.id,
        content: this.text,
        status: 'failed',
        tokens_in: this.tokensIn || null,
        tokens_out: this.tokensOut || null,
        model: this.model,
        metadata: { error: readable, error_code: code, provider: this.deps.provider.name, tool_calls: this.toolCalls.length },
      });
    } catch (finishError) {
      // E.g. the reaper already failed it. The stored state stays whatever it is.
      console.error('could not record the failed reply', finishError);
      message = { ...this.assistantMessage, status: 'failed', content: this.text, error_message: readable };
    }
    sink?.send('error', { code, message: readable, assistant_message: message });
    return message;
  }
}
