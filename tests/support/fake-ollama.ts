// A small HTTP server speaking Ollama's wire protocol, scripted per test, so the real
// `ollama` client (and the chat handler using it) can be driven through every failure
// mode without a GPU: POST /api/chat streams NDJSON (`message.content` chunks, tool
// calls, a final `done` line with prompt_eval_count / eval_count); GET /api/tags lists
// the model. Each /api/chat request takes the next script from the queue (or the default).
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type FakeToolCall = { name: string; arguments: Record<string, unknown> };

export type Script =
  /** A normal answer: the chunks streamed one line each, then tool calls, then done. */
  | { kind: 'stream'; chunks: string[]; toolCalls?: FakeToolCall[]; gapMs?: number; promptEvalCount?: number; evalCount?: number;
      /** Chunk indexes to hold back until their promise settles (the test decides when the model goes on). */
      holds?: { before: number; until: Promise<unknown> }[] }
  /** An HTTP error before any token, with Ollama's `{"error": ...}` body. */
  | { kind: 'error'; status?: number; message?: string }
  /** Some chunks, then the connection is destroyed without a done line. */
  | { kind: 'drop'; chunks: string[] }
  /** Some chunks (maybe none), then nothing at all until the client gives up. */
  | { kind: 'hang'; chunks?: string[] };

export interface ReceivedChat {
  model: string;
  messages: { role: string; content: string; tool_name?: string; tool_calls?: unknown[] }[];
  tools?: { function: { name: string } }[];
  stream?: boolean;
  options?: Record<string, unknown>;
}

export interface FakeOllama {
  url: string;
  /** Queue scripts for the next /api/chat requests, in order. */
  script(...scripts: Script[]): void;
  /** Every /api/chat request body received, in order. */
  received: ReceivedChat[];
  close(): Promise<void>;
}

const MODEL = 'llama3.1:8b';

export async function startFakeOllama(defaultScript: Script = { kind: 'stream', chunks: ['Hello', ' from', ' Ollama.'] }): Promise<FakeOllama> {
  const queue: Script[] = [];
  const received: ReceivedChat[] = [];
  const sockets = new Set<import('node:net').Socket>();

  const server = http.createServer(async (req, res) => {
    if (req.method === 'GET' && req.url === '/api/tags') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ models: [{ name: MODEL, model: MODEL, size: 4_920_753_328 }] }));
      return;
    }
    if (req.method !== 'POST' || req.url !== '/api/chat') {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('404 page not found');
      return;
    }
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const body = JSON.parse(raw) as ReceivedChat;
    received.push(body);
    const script = queue.shift() ?? defaultScript;
    const model = body.model || MODEL;
    const line = (data: unknown) => res.write(`${JSON.stringify(data)}\n`);
    const chunk = (content: string, extra: Record<string, unknown> = {}) =>
      line({ model, created_at: new Date().toISOString(), message: { role: 'assistant', content, ...extra }, done: false });

    if (script.kind === 'error') {
      res.writeHead(script.status ?? 500, { 'Content-Type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify({ error: script.message ?? 'llama runner process has terminated: exit status 2' }));
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/x-ndjson' });
    res.flushHeaders();
    if (script.kind === 'hang') {
      for (const c of script.chunks ?? []) chunk(c);
      return; // never ends; the client's timeout must fire
    }
    if (script.kind === 'drop') {
      for (const c of script.chunks) chunk(c);
      await new Promise((resolve) => setTimeout(resolve, 20));
      res.socket?.destroy();
      return;
    }
    for (const [index, c] of script.chunks.entries()) {
      for (const hold of script.holds ?? []) if (hold.before === index) await hold.until;
      chunk(c);
      if (script.gapMs) await new Promise((resolve) => setTimeout(resolve, script.gapMs));
    }
    if (script.toolCalls?.length) {
      chunk('', { tool_calls: script.toolCalls.map((call) => ({ function: call })) });
    }
    line({
      model,
      created_at: new Date().toISOString(),
      message: { role: 'assistant', content: '' },
      done_reason: 'stop',
      done: true,
      total_duration: 1_000_000,
      load_duration: 100_000,
      prompt_eval_count: script.promptEvalCount ?? 42,
      prompt_eval_duration: 200_000,
      eval_count: script.evalCount ?? script.chunks.length,
      eval_duration: 700_000,
    });
    res.end();
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    script: (...scripts) => queue.push(...scripts),
    received,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
