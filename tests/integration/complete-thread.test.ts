// The `complete-thread` Edge Function: the thread and its step complete (with the thread's
// duration, message and token totals), the model writes a summary artifact, and a failed
// summary leaves the completion standing and can be retried.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SupabaseClient } from '@supabase/supabase-js';
import { handleCompleteThread } from '../../functions-shared/chat/complete-thread.ts';
import { envFrom } from '../../functions-shared/http.ts';
import { MockProvider, OllamaProvider, type ChatRequest, type LlmProvider } from '../../functions-shared/llm/index.ts';
import { signedInAs, withDb } from '../support/stack.ts';
import { accessToken, freshChat } from './chat-fixtures.ts';

let csm: SupabaseClient;
beforeAll(async () => {
  csm = await signedInAs('csm');
});

async function chatOnce(threadId: string, content: string) {
  const { data, error } = await csm.functions.invoke('chat', { body: { thread_id: threadId, content, client_message_id: randomUUID() } });
  if (error) throw error;
  expect(data.assistant_message.status).toBe('complete');
  return data;
}

describe('complete-thread through /functions/v1/complete-thread (mock model)', () => {
  it('completes the thread and its step with totals, returns the next step and stores a summary artifact', async () => {
    const fx = await freshChat(csm);
    await chatOnce(fx.threadId, 'What are the risks on this account?');
    await chatOnce(fx.threadId, 'Who is the champion?');

    const { data, error } = await csm.functions.invoke('complete-thread', { body: { thread_id: fx.threadId } });
    expect(error).toBeNull();
    expect(data.thread.status).toBe('completed');
    expect(data.step).toMatchObject({ key: fx.stepKey, status: 'completed', message_count: 4 });
    expect(data.step.token_count).toBeGreaterThan(0);
    expect(data.step.duration_seconds).toBeGreaterThanOrEqual(0);
    expect(data.next_step?.status).toBe('in_progress');
    expect(data.summary_artifact_id).toBeTruthy();
    expect(data.summary_error).toBeNull();

    const { data: summary } = await csm.rpc('get_artifact', { artifact_id: data.summary_artifact_id });
    expect(summary).toMatchObject({ artifact_type: 'summary', generated_by: 'ai', step_key: fx.stepKey, thread_id: fx.threadId, approved: false });
    // Summarised by what was found, not by what was asked.
    expect(summary.content.text).toContain('The biggest risks at');
    expect(summary.content.text).not.toContain('What are the risks on this account?');

    const step = await withDb((db) =>
      db.query('select status, message_count, token_count from app.workflow_step_executions where execution_id = $1 and step_key = $2', [fx.executionId, fx.stepKey]),
    );
    expect(step.rows[0]).toMatchObject({ status: 'completed', message_count: 4 });

    // Completing again changes nothing and returns the same summary.
    const again = await csm.functions.invoke('complete-thread', { body: { thread_id: fx.threadId } });
    expect(again.data.already_completed).toBe(true);
    expect(again.data.summary_artifact_id).toBe(data.summary_artifact_id);
  });

  it('refuses a thread of another organisation with 404', async () => {
    const fx = await freshChat(csm);
    const other = await signedInAs('otherCsm');
    const { error } = await other.functions.invoke('complete-thread', { body: { thread_id: fx.threadId } });
    expect((error as { context: Response }).context.status).toBe(404);
  });
});

describe('a failed summary', () => {
  it('leaves the completion standing, and completing again retries the summary', async () => {
    const fx = await freshChat(csm);
    await chatOnce(fx.threadId, 'How healthy is the account?');
    const token = await accessToken(csm);
    const env = envFrom({
      SUPABASE_URL: process.env.SUPABASE_URL,
      SUPABASE_ANON_KEY: process.env.SUPABASE_ANON_KEY,
      SUPABASE_SERVICE_ROLE_KEY: process.env.SUPABASE_SERVICE_ROLE_KEY,
    });
    const request = () =>
      new Request('http://functions.local/complete-thread', {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ thread_id: fx.threadId }),
      });

    // Nothing listens here: the model is unreachable.
    const down = await handleCompleteThread(request(), { env, provider: new OllamaProvider({ host: 'http://127.0.0.1:9', timeoutMs: 1_000 }) });
    const failed = await down.json();
    expect(down.status).toBe(200);
    expect(failed.thread.status).toBe('completed');
    expect(failed.step.status).toBe('completed');
    expect(failed.summary_artifact_id).toBeNull();
    expect(failed.summary_error).toMatch(/complete the thread again to retry/);

    const up = await handleCompleteThread(request(), { env, provider: new MockProvider({ delayMs: 0 }) });
    const retried = await up.json();
    expect(retried.already_completed).toBe(true);
    expect(retried.summary_artifact_id).toBeTruthy();
    const { data: list } = await csm.rpc('list_artifacts', { execution_id: fx.executionId, artifact_type: 'summary' });
    expect(list).toHaveLength(1);
  });
});

/** The mock model, slowed down and counting the summaries it is asked for. */
class CountingModel implements LlmProvider {
  readonly name = 'mock';
  private readonly inner = new MockProvider({ delayMs: 20 });
  readonly model = this.inner.model;
  calls = 0;
  chat(request: ChatRequest) {
    this.calls += 1;
    return this.inner.chat(request);
  }
}

describe('complete-thread called many times at once', () => {
  const env = () =>
    envFrom({
      SUPABASE_URL: process.env.SUPABASE_URL,
      SUPABASE_ANON_KEY: process.env.SUPABASE_ANON_KEY,
      SUPABASE_SERVICE_ROLE_KEY: process.env.SUPABASE_SERVICE_ROLE_KEY,
    });
  const request = (token: string, threadId: string) =>
    new Request('http://functions.local/complete-thread', {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ thread_id: threadId }),
    });

  async function summariesOf(executionId: string) {
    const { data } = await csm.rpc('list_artifacts', { execution_id: executionId, artifact_type: 'summary' });
    return data as { id: string }[];
  }

  it('through the gateway: every call answers the one stored summary, none an error', async () => {
    const fx = await freshChat(csm);
    await chatOnce(fx.threadId, 'How healthy is the account?');
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => csm.functions.invoke('complete-thread', { body: { thread_id: fx.threadId } })),
    );
    expect(answers.map((a) => a.error)).toEqual(Array(6).fill(null));
    const summaries = await summariesOf(fx.executionId);
    expect(summaries).toHaveLength(1);
    expect(answers.map((a) => [a.data.summary_artifact_id, a.data.summary_error])).toEqual(Array(6).fill([summaries[0]!.id, null]));
  });

  it('one instance asks the model once and answers its summary to every call', async () => {
    const fx = await freshChat(csm);
    await chatOnce(fx.threadId, 'What are the risks on this account?');
    const token = await accessToken(csm);
    const model = new CountingModel();
    const deps = { env: env(), provider: model };
    const answers = await Promise.all(Array.from({ length: 6 }, () => handleCompleteThread(request(token, fx.threadId), deps).then((r) => r.json())));

    const summaries = await summariesOf(fx.executionId);
    expect(summaries).toHaveLength(1);
    expect(answers.map((a) => [a.summary_artifact_id, a.summary_error])).toEqual(Array(6).fill([summaries[0]!.id, null]));
    expect(model.calls).toBe(1);

    // Later calls find it stored and do not ask the model.
    const again = await handleCompleteThread(request(token, fx.threadId), deps).then((r) => r.json());
    expect(again.summary_artifact_id).toBe(summaries[0]!.id);
    expect(model.calls).toBe(1);
  });

  it('calls on separate instances that lose the race to store answer the summary that won', async () => {
    const fx = await freshChat(csm);
    await chatOnce(fx.threadId, 'Who is the champion?');
    const token = await accessToken(csm);
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => handleCompleteThread(request(token, fx.threadId), { env: env(), provider: new CountingModel() }).then((r) => r.json())),
    );
    const summaries = await summariesOf(fx.executionId);
    expect(summaries).toHaveLength(1);
    expect(answers.map((a) => [a.summary_artifact_id, a.summary_error])).toEqual(Array(6).fill([summaries[0]!.id, null]));
  });
});
