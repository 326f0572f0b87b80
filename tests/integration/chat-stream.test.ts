// The `chat` Edge Function end to end: supabase-js → gateway → Deno → the built-in mock
// model (the default without OLLAMA_HOST) → the database.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SupabaseClient } from '@supabase/supabase-js';
import { ANSWER_IN_PROGRESS } from '../../functions-shared/api/functions.ts';
import { handleChat } from '../../functions-shared/chat/handler.ts';
import { envFrom } from '../../functions-shared/http.ts';
import { OllamaProvider } from '../../functions-shared/llm/index.ts';
import { readEvents } from '../../functions-shared/sse.ts';
import { startFakeOllama, type FakeOllama } from '../support/fake-ollama.ts';
import { signedInAs, stack, withDb } from '../support/stack.ts';
import { accessToken, allEvents, chatRequest, freshChat, functionEnv, messagesOf, type Fixture, type SseEvent } from './chat-fixtures.ts';

let csm: SupabaseClient;
beforeAll(async () => {
  csm = await signedInAs('csm');
});

async function streamed(body: Record<string, unknown>) {
  const { data, error } = await csm.functions.invoke('chat', { body, headers: { Accept: 'text/event-stream' } });
  if (error) throw error;
  // supabase-js hands back the raw Response for text/event-stream.
  return allEvents(data as Response);
}

describe('chat through /functions/v1/chat (mock model)', () => {
  let fx: Fixture;
  beforeAll(async () => {
    fx = await freshChat(csm, { customerName: `Streamwell ${randomUUID().slice(0, 6)}` });
  });

  it('streams the answer token by token and stores it', async () => {
    const events = await streamed({ thread_id: fx.threadId, content: 'How is this account doing?', client_message_id: randomUUID() });
    const names = events.map((e) => e.event);
    expect(names[0]).toBe('message');
    expect(names.at(-1)).toBe('done');
    const deltas = events.filter((e) => e.event === 'delta').map((e) => e.data.text as string);
    expect(deltas.length).toBeGreaterThan(5);

    const done = events.at(-1)!.data;
    expect(done.status).toBe('complete');
    expect(done.content).toBe(deltas.join(''));
    expect(done.content).toContain('Streamwell');
    expect(done.content).toContain('$175,000');
    expect(done.tokens_in).toBeGreaterThan(0);
    expect(done.tokens_out).toBeGreaterThan(0);
    expect(done.model).toBe('renubu-mock-1');

    const stored = await messagesOf(fx.threadId);
    expect(stored.map((m) => [m.role, m.status])).toEqual([
      ['user', 'complete'],
      ['assistant', 'complete'],
    ]);
    expect(stored[1]!.content).toBe(done.content);
  });

  it('answers with JSON when the client does not ask for a stream', async () => {
    const { data, error } = await csm.functions.invoke('chat', {
      body: { thread_id: fx.threadId, content: 'Who are the stakeholders?', client_message_id: randomUUID() },
    });
    expect(error).toBeNull();
    expect(data.user_message.content).toBe('Who are the stakeholders?');
    expect(data.assistant_message.status).toBe('complete');
    expect(data.assistant_message.content).toContain('Chris Champion');
  });

  it('does not store a second message for a replayed client_message_id', async () => {
    const id = randomUUID();
    const first = await streamed({ thread_id: fx.threadId, content: 'What are the risks?', client_message_id: id });
    const before = (await messagesOf(fx.threadId)).length;
    const second = await streamed({ thread_id: fx.threadId, content: 'What are the risks?', client_message_id: id });
    expect(second[0]!.data.replayed).toBe(true);
    expect(second[0]!.data.user_message.id).toBe(first[0]!.data.user_message.id);
    expect(second.filter((e) => e.event === 'delta')).toHaveLength(0);
    expect(second.at(-1)!.data.content).toBe(first.at(-1)!.data.content);
    expect((await messagesOf(fx.threadId)).length).toBe(before);
  });

  it('drafts an email as an unapproved artifact and records the tool call, sending nothing', async () => {
    const events = await streamed({ thread_id: fx.threadId, content: 'Please draft an email about the renewal', client_message_id: randomUUID() });
    const call = events.find((e) => e.event === 'tool_call');
    expect(call?.data.name).toBe('draft_email');
    expect(call?.data.success).toBe(true);
    expect(events.at(-1)!.event).toBe('done');

    const { data: artifact } = await csm.rpc('get_artifact', { artifact_id: call!.data.output.artifact_id });
    expect(artifact.artifact_type).toBe('email_draft');
    expect(artifact.approved).toBe(false);
    expect(artifact.generated_by).toBe('ai');
    expect(artifact.thread_id).toBe(fx.threadId);
    expect(artifact.content.to).toEqual(['chris@chatty.example']);

    const { data: thread } = await csm.rpc('get_chat_thread', { thread_id: fx.threadId });
    expect(thread.tool_calls.map((c: { name: string }) => c.name)).toContain('draft_email');
    const outbox = await withDb((db) => db.query('select 1 from app.email_outbox where execution_id = $1', [fx.executionId]));
    expect(outbox.rowCount).toBe(0);
  });

  it('returns a proposed action to the CSM without executing it', async () => {
    const events = await streamed({ thread_id: fx.threadId, content: 'Should we escalate this?', client_message_id: randomUUID() });
    const call = events.find((e) => e.event === 'tool_call');
    expect(call?.data).toMatchObject({ name: 'propose_action', output: { proposed: true, executed: false, action_key: 'escalate' } });
    expect(events.at(-1)!.data.metadata.proposed_actions[0].action_key).toBe('escalate');
    const actions = await withDb((db) => db.query('select 1 from app.action_executions where execution_id = $1', [fx.executionId]));
    expect(actions.rowCount).toBe(0);
    const { data: execution } = await csm.rpc('get_workflow_execution', { execution_id: fx.executionId });
    expect(execution.status).toBe('in_progress');
  });

  it('creates a follow-up task when asked', async () => {
    const events = await streamed({ thread_id: fx.threadId, content: 'Create a follow-up task for next week', client_message_id: randomUUID() });
    const call = events.find((e) => e.event === 'tool_call');
    expect(call?.data.name).toBe('create_task');
    expect(call?.data.success).toBe(true);
    const task = await withDb((db) => db.query('select title, execution_id from app.workflow_tasks where id = $1', [call!.data.output.task_id]));
    expect(task.rows[0]).toMatchObject({ execution_id: fx.executionId });
  });

  it('gives each of many concurrent posts its own consecutive sequence numbers', async () => {
    const other = await freshChat(csm);
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        csm.rpc('post_chat_message', { thread_id: other.threadId, content: `Question ${i}`, client_message_id: `concurrent-${i}` }),
      ),
    );
    expect(results.every((r) => r.error === null)).toBe(true);
    const sequences = (await messagesOf(other.threadId)).map((m) => m.sequence);
    expect(sequences).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });
});

/** A stream read event by event, so a test can act while it is still going. */
function reader(response: Response) {
  const events: SseEvent[] = [];
  const iterator = readEvents(response.body!)[Symbol.asyncIterator]();
  return {
    events,
    /** Reads until an event with this name (any name: null), or the end; false at the end. */
    async until(name: string | null): Promise<boolean> {
      for (;;) {
        const next = await iterator.next();
        if (next.done) return false;
        events.push(next.value as SseEvent);
        if (name !== null && (next.value as SseEvent).event === name) return true;
      }
    },
    /** Every event, once the stream ended. */
    async rest(): Promise<SseEvent[]> {
      await this.until(null);
      return events;
    },
  };
}

describe('a replay while the first answer is still being written', () => {
  let fake: FakeOllama;
  let token: string;
  beforeAll(async () => {
    fake = await startFakeOllama();
    token = await accessToken(csm);
  });
  afterAll(() => fake.close());

  const deps = (options: { replayWaitMs?: number; timeoutMs?: number } = {}) => ({
    env: envFrom(functionEnv()),
    provider: new OllamaProvider({ host: fake.url, timeoutMs: options.timeoutMs ?? 5_000 }),
    replayWaitMs: options.replayWaitMs,
  });

  it('through the gateway: the replay ends with the finished answer, never an empty done', async () => {
    const fx = await freshChat(csm);
    const body = { thread_id: fx.threadId, content: 'How is this account doing?', client_message_id: randomUUID() };
    const post = () =>
      fetch(`${stack.url}/functions/v1/chat`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, apikey: stack.anonKey, 'Content-Type': 'application/json', Accept: 'text/event-stream' },
        body: JSON.stringify(body),
      });
    const first = reader(await post());
    expect(await first.until('delta')).toBe(true);
    const second = await allEvents(await post());
    const firstEvents = await first.rest();

    expect(second[0]).toMatchObject({ event: 'message', data: { replayed: true } });
    expect(second.at(-1)!.event).toBe('done');
    expect(second.at(-1)!.data.status).toBe('complete');
    expect(second.at(-1)!.data.content).toBe(firstEvents.at(-1)!.data.content);
    expect(second.at(-1)!.data.content).not.toBe('');
  });

  it('waits for the stored answer to finish, then sends it with done (stream and JSON), calling the model once', async () => {
    const fx = await freshChat(csm);
    const calls = fake.received.length;
    fake.script({ kind: 'stream', chunks: ['Usage ', 'fell ', 'by ', 'a ', 'third.'], gapMs: 250 });
    const body = { thread_id: fx.threadId, content: 'What happened to usage?', client_message_id: randomUUID() };

    const first = reader(await handleChat(chatRequest(token, body), deps()));
    expect(await first.until('delta')).toBe(true);
    // Mid-stream: the stored answer is not finished.
    expect(['pending', 'streaming']).toContain((await messagesOf(fx.threadId))[1]!.status);

    const [streamed, json] = await Promise.all([
      handleChat(chatRequest(token, body), deps()).then(allEvents),
      handleChat(chatRequest(token, body, false), deps()).then((r) => r.json()),
    ]);
    await first.rest();

    expect(streamed[0]).toMatchObject({ event: 'message', data: { replayed: true } });
    expect(streamed.filter((e) => e.event === 'delta')).toHaveLength(0);
    expect(streamed.at(-1)).toMatchObject({ event: 'done', data: { status: 'complete', content: 'Usage fell by a third.' } });
    expect(json).toMatchObject({ replayed: true, assistant_message: { status: 'complete', content: 'Usage fell by a third.' } });
    expect(fake.received.length).toBe(calls + 1);
  });

  it('an answer still unfinished after the wait ends the replay with answer_in_progress, never done', async () => {
    const fx = await freshChat(csm);
    fake.script({ kind: 'hang', chunks: ['Let me think'] });
    const body = { thread_id: fx.threadId, content: 'Anything else?', client_message_id: randomUUID() };

    const first = reader(await handleChat(chatRequest(token, body), deps({ timeoutMs: 1_500 })));
    expect(await first.until('delta')).toBe(true);
    const started = Date.now();
    const replayed = await allEvents(await handleChat(chatRequest(token, body), deps({ replayWaitMs: 300 })));
    expect(Date.now() - started).toBeLessThan(1_400);

    expect(replayed.map((e) => e.event)).not.toContain('done');
    const last = replayed.at(-1)!;
    expect(last.event).toBe('error');
    expect(last.data.code).toBe(ANSWER_IN_PROGRESS);
    expect(last.data.message).toMatch(/still being written/);
    expect(['pending', 'streaming']).toContain(last.data.assistant_message.status);

    // The first request then fails on the stalled model; a replay now says so.
    expect((await first.rest()).at(-1)).toMatchObject({ event: 'error', data: { code: 'llm_timeout' } });
    const later = await allEvents(await handleChat(chatRequest(token, body), deps({ replayWaitMs: 300 })));
    expect(later.at(-1)).toMatchObject({ event: 'error', data: { code: 'llm_failed', assistant_message: { status: 'failed' } } });
  });
});

describe('chat refusals', () => {
  it('answers a bad body with 422 and stores nothing', async () => {
    const fx = await freshChat(csm);
    const { error } = await csm.functions.invoke('chat', { body: { thread_id: fx.threadId, content: '   ' } });
    expect((error as { context?: Response }).context?.status).toBe(422);
    const body = await (error as { context: Response }).context.json();
    expect(body.error.code).toBe('invalid_body');
    expect(await messagesOf(fx.threadId)).toEqual([]);
  });

  it('refuses a message to a chat still open in a finished workflow, as opening a chat there, before the model runs', async () => {
    const fx = await freshChat(csm);
    const cancelled = await csm.rpc('cancel_workflow', { execution_id: fx.executionId, reason: 'Customer churned' });
    expect(cancelled.error).toBeNull();

    const { error } = await csm.functions.invoke('chat', { body: { thread_id: fx.threadId, content: 'One more thing', client_message_id: randomUUID() } });
    const refused = (error as { context?: Response } | null)?.context;
    expect(refused?.status).toBe(409);
    expect(await messagesOf(fx.threadId)).toEqual([]);
    const opening = await csm.rpc('create_chat_thread', { execution_id: fx.executionId, step_key: fx.stepKey });
    expect(opening.error?.message).toBe('Cannot chat in this workflow: it is cancelled');
    expect((await refused!.json()).error.message).toBe(opening.error?.message);
  });

  it('refuses a viewer with 403', async () => {
    const fx = await freshChat(csm);
    const viewer = await signedInAs('viewer');
    const { error } = await viewer.functions.invoke('chat', { body: { thread_id: fx.threadId, content: 'Hi', client_message_id: randomUUID() } });
    expect((error as { context: Response }).context.status).toBe(403);
    expect(await messagesOf(fx.threadId)).toEqual([]);
  });

  it('refuses another organisation with 404 and anonymous callers with 401', async () => {
    const fx = await freshChat(csm);
    const other = await signedInAs('otherCsm');
    const { error } = await other.functions.invoke('chat', { body: { thread_id: fx.threadId, content: 'Hi', client_message_id: randomUUID() } });
    expect((error as { context: Response }).context.status).toBe(404);

    const anon = await fetch(`${stack.url}/functions/v1/chat`, {
      method: 'POST',
      headers: { apikey: stack.anonKey, 'Content-Type': 'application/json' },
      body: JSON.stringify({ thread_id: fx.threadId, content: 'Hi', client_message_id: randomUUID() }),
    });
    expect(anon.status).toBe(401);
    expect(await messagesOf(fx.threadId)).toEqual([]);
    expect(await accessToken(csm)).toBeTruthy();
  });
});
