// Issue 18, point 5: the chat function makes ONE call to the API before it calls the model —
// post_chat_message stores the CSM's message and returns everything the prompt needs (system
// prompt, tools, earlier turns, history passages). Counted on the wire: the handler runs in
// process against the real stack, and every request it sends goes through a wrapping fetch
// that records it; the model (a provider that records when it is called) sees how many had
// been sent by then. Each RPC is one database round trip in the gateway (db.mjs oneRoundTrip).
import { randomUUID } from 'node:crypto';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { SupabaseClient } from '@supabase/supabase-js';
import { handleChat } from '../../functions-shared/chat/handler.ts';
import { envFrom } from '../../functions-shared/http.ts';
import { HISTORY_OPEN } from '../../functions-shared/prompts/system.ts';
import type { ChatRequest, LlmProvider, ProviderEvent } from '../../functions-shared/llm/types.ts';
import { signedInAs } from '../support/stack.ts';
import { accessToken, allEvents, chatRequest, freshChat, functionEnv } from './chat-fixtures.ts';

let csm: SupabaseClient;
let token: string;
beforeAll(async () => {
  csm = await signedInAs('csm');
  token = await accessToken(csm);
});
afterEach(() => vi.restoreAllMocks());

/** Every request the code under test sends, as "METHOD path". */
function recordRequests(): string[] {
  const sent: string[] = [];
  const real = globalThis.fetch;
  vi.spyOn(globalThis, 'fetch').mockImplementation((input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    sent.push(`${init?.method ?? (input instanceof Request ? input.method : 'GET')} ${url.pathname}`);
    return real(input, init);
  });
  return sent;
}

/** A model that answers at once and notes how many requests had been sent when it was called. */
class CountingProvider implements LlmProvider {
  readonly name = 'mock';
  readonly model = 'counting-model';
  sentWhenCalled: string[][] = [];
  requests: ChatRequest[] = [];
  constructor(private readonly sent: string[]) {}
  async *chat(request: ChatRequest): AsyncIterable<ProviderEvent> {
    this.sentWhenCalled.push([...this.sent]);
    this.requests.push(request);
    yield { type: 'delta', text: 'Noted.' };
    yield { type: 'done', tokensIn: 10, tokensOut: 2, model: this.model };
  }
}

async function send(threadId: string, provider: LlmProvider, clientMessageId = randomUUID()) {
  const events = await handleChat(chatRequest(token, { thread_id: threadId, content: 'What changed this week?', client_message_id: clientMessageId }), {
    env: envFrom(functionEnv()),
    provider,
  }).then(allEvents);
  return events;
}

describe('chat: one round trip before the model', () => {
  it('an llm turn: post_chat_message is the only request before the model is called', async () => {
    const fx = await freshChat(csm);
    const sent = recordRequests();
    const provider = new CountingProvider(sent);
    const events = await send(fx.threadId, provider);
    expect(events.map((e) => e.event)).toContain('done');
    expect(provider.sentWhenCalled).toEqual([['POST /rest/v1/rpc/post_chat_message']]);
    // Afterwards only the assistant's own writes (streaming mark, the finished reply).
    expect(sent.slice(1).every((r) => r === 'POST /rest/v1/rpc/finish_chat_message')).toBe(true);
  });

  it('a second turn (earlier turns in the prompt) and a rag turn (history passages) also make one', async () => {
    const fx = await freshChat(csm);
    const sent = recordRequests();
    const provider = new CountingProvider(sent);
    await send(fx.threadId, provider);
    sent.length = 0;
    await send(fx.threadId, provider);
    const { data: rag, error } = await csm.rpc('create_chat_thread', { execution_id: fx.executionId, step_key: fx.stepKey, branch_key: 'ask-history' });
    expect(error).toBeNull();
    sent.length = 0;
    await send(rag.id as string, provider);
    expect(provider.sentWhenCalled.slice(1)).toEqual([['POST /rest/v1/rpc/post_chat_message'], ['POST /rest/v1/rpc/post_chat_message']]);
    // …and that one call brought what the prompt needs: the system prompt and tools, the
    // earlier turn of the thread, and (rag) the customer's history block.
    const [, second, ragTurn] = provider.requests;
    expect(second!.messages.map((m) => [m.role, m.content]).slice(1)).toEqual([
      ['user', 'What changed this week?'], ['assistant', 'Noted.'], ['user', 'What changed this week?'],
    ]);
    expect(second!.messages[0]!.content.length).toBeGreaterThan(100);
    expect(second!.tools?.length ?? 0).toBeGreaterThan(0);
    expect(ragTurn!.messages[0]!.content).toContain(HISTORY_OPEN);
  });

  it('a replayed send makes one request and does not call the model again', async () => {
    const fx = await freshChat(csm);
    const sent = recordRequests();
    const provider = new CountingProvider(sent);
    const id = randomUUID();
    await send(fx.threadId, provider, id);
    sent.length = 0;
    const again = await send(fx.threadId, provider, id);
    expect(again[0]?.data).toMatchObject({ replayed: true });
    expect(sent).toEqual(['POST /rest/v1/rpc/post_chat_message']);
    expect(provider.sentWhenCalled).toHaveLength(1);
  });
});
