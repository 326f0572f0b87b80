// The Ollama provider against a fake server speaking Ollama's real /api/chat protocol:
// streaming, tool calls, token counts, and each way a model can fail.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, LlmError, OllamaProvider, type ProviderEvent } from '../../functions-shared/llm/index.ts';
import { startFakeOllama, type FakeOllama } from '../support/fake-ollama.ts';

let fake: FakeOllama;
beforeAll(async () => {
  fake = await startFakeOllama();
});
afterAll(() => fake.close());

const provider = (timeoutMs = 2_000) => new OllamaProvider({ host: fake.url, timeoutMs });
const ask = [{ role: 'system' as const, content: 'You help CSMs.' }, { role: 'user' as const, content: 'Hi' }];

async function events(p: OllamaProvider, tools?: Parameters<OllamaProvider['chat']>[0]['tools']): Promise<ProviderEvent[]> {
  const out: ProviderEvent[] = [];
  for await (const e of p.chat({ messages: ask, tools, temperature: 0.2, maxTokens: 256 })) out.push(e);
  return out;
}

describe('OllamaProvider', () => {
  it('streams each chunk as a delta and ends with token counts from prompt_eval_count / eval_count', async () => {
    fake.script({ kind: 'stream', chunks: ['Acme ', 'renews ', 'soon.'], promptEvalCount: 31, evalCount: 3 });
    const out = await events(provider());
    expect(out.filter((e) => e.type === 'delta').map((e) => (e as { text: string }).text)).toEqual(['Acme ', 'renews ', 'soon.']);
    expect(out.at(-1)).toEqual({ type: 'done', tokensIn: 31, tokensOut: 3, model: 'llama3.1:8b' });
  });

  it('sends the model, messages, tools and options the way Ollama expects', async () => {
    fake.script({ kind: 'stream', chunks: ['ok'] });
    const tools = [
      { type: 'function' as const, function: { name: 'create_task', description: 'x', parameters: { type: 'object' as const, properties: {} } } },
    ];
    await events(provider(), tools);
    const sent = fake.received.at(-1)!;
    expect(sent.model).toBe('llama3.1:8b');
    expect(sent.stream).toBe(true);
    expect(sent.messages.map((m) => m.role)).toEqual(['system', 'user']);
    expect(sent.tools?.[0]?.function.name).toBe('create_task');
    expect(sent.options).toEqual({ temperature: 0.2, num_predict: 256 });
  });

  it('reports tool calls the model makes', async () => {
    fake.script({ kind: 'stream', chunks: [], toolCalls: [{ name: 'draft_email', arguments: { subject: 'Renewal' } }] });
    const out = await events(provider());
    expect(out).toContainEqual({ type: 'tool_call', call: { name: 'draft_email', arguments: { subject: 'Renewal' } } });
  });

  it('turns an error before the first token into a readable "unavailable" error without the raw message', async () => {
    fake.script({ kind: 'error', status: 500, message: 'llama runner process has terminated: CUDA error' });
    const error = await collect(provider().chat({ messages: ask })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlmError);
    expect((error as LlmError).kind).toBe('unavailable');
    expect((error as LlmError).message).not.toMatch(/CUDA|llama runner/);
  });

  it('turns a dropped connection mid-stream into "interrupted" after the partial text', async () => {
    fake.script({ kind: 'drop', chunks: ['Partial ', 'answer'] });
    const seen: string[] = [];
    const error = await (async () => {
      for await (const e of provider().chat({ messages: ask })) if (e.type === 'delta') seen.push(e.text);
    })().catch((e: unknown) => e);
    expect(seen.join('')).toBe('Partial answer');
    expect((error as LlmError).kind).toBe('interrupted');
  });

  it('times out a model that stalls, before or after the first token', async () => {
    fake.script({ kind: 'hang' }, { kind: 'hang', chunks: ['Thinking'] });
    const started = Date.now();
    const before = await collect(provider(300).chat({ messages: ask })).catch((e: unknown) => e);
    expect((before as LlmError).kind).toBe('timeout');
    const after = await collect(provider(300).chat({ messages: ask })).catch((e: unknown) => e);
    expect((after as LlmError).kind).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('says "unavailable" when nothing listens at OLLAMA_HOST', async () => {
    const error = await collect(new OllamaProvider({ host: 'http://127.0.0.1:9', timeoutMs: 2_000 }).chat({ messages: ask })).catch(
      (e: unknown) => e,
    );
    expect((error as LlmError).kind).toBe('unavailable');
  });
});
