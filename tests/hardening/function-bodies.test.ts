// Every Edge Function reads its body through functions-shared/http.ts: past the cap it
// stops reading (413) instead of buffering the rest, and JSON nested absurdly deep is bad
// input (400 22023 in the functions' error shape), never a 500 from a parser's stack.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { HttpError, MAX_BODY_BYTES, parseJsonBody, readBodyText } from '../../functions-shared/http.ts';

const MB = 1024 * 1024;

/** A body of `total` bytes produced only as it is read; `pulled()` says how much was. */
function lazyBody(total: number) {
  let produced = 0;
  const chunk = new Uint8Array(64 * 1024).fill(0x61);
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (produced >= total) return controller.close();
      produced += chunk.byteLength;
      controller.enqueue(chunk);
    },
  }, { highWaterMark: 0 });
  return { stream, pulled: () => produced };
}

async function rejection(promise: Promise<unknown>): Promise<HttpError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof HttpError) return error;
    throw error;
  }
  throw new Error('expected an HttpError');
}

const Body = z.object({ a: z.unknown() }).passthrough();

describe('function request bodies', () => {
  it('a declared size past the cap is 413 before a byte is read', async () => {
    const body = lazyBody(400 * MB);
    const req = new Request('http://f/x', { method: 'POST', body: body.stream, duplex: 'half', headers: { 'content-length': String(400 * MB) } } as RequestInit);
    const error = await rejection(readBodyText(req));
    expect(error.status).toBe(413);
    expect(body.pulled()).toBe(0);
  });

  it('a streamed body is read no further than the cap', async () => {
    const body = lazyBody(400 * MB);
    const req = new Request('http://f/x', { method: 'POST', body: body.stream, duplex: 'half' } as RequestInit);
    const error = await rejection(parseJsonBody(req, Body));
    expect(error.status).toBe(413);
    expect(body.pulled()).toBeLessThanOrEqual(MAX_BODY_BYTES + 2 * 64 * 1024);
  });

  it('deeply nested JSON is 400 22023 with no server detail, at the top or inside a value', async () => {
    for (const text of ['['.repeat(100_000) + ']'.repeat(100_000), `{"a": ${'{"b":'.repeat(10_000)}1${'}'.repeat(10_000)}}`]) {
      const error = await rejection(parseJsonBody(new Request('http://f/x', { method: 'POST', body: text }), Body));
      expect(error.status).toBe(400);
      expect(error.code).toBe('22023');
      const answer = await error.toResponse().json() as { error: { code: string; message: string; details: unknown } };
      expect(answer.error.code).toBe('22023');
      expect(JSON.stringify(answer)).not.toMatch(/stack|RangeError|max_stack_depth/i);
    }
  });

  it('bytes that are not UTF-8 are 422 invalid_body, never read as U+FFFD', async () => {
    // A Latin-1 'é' (0xE9) and a UTF-8 sequence cut after its first byte (0xE2 of '€').
    for (const bad of [[0xe9], [0xe2, 0x82]]) {
      const bytes = new Uint8Array([...new TextEncoder().encode('{"a": "Caf'), ...bad, ...new TextEncoder().encode('"}')]);
      const error = await rejection(parseJsonBody(new Request('http://f/x', { method: 'POST', body: bytes }), Body));
      expect(error.status).toBe(422);
      expect(error.code).toBe('invalid_body');
      expect(error.message).toBe('The request body is not UTF-8 text.');
    }
    const good = await parseJsonBody(new Request('http://f/x', { method: 'POST', body: new TextEncoder().encode('{"a": "Café €"}') }), Body);
    expect(good.a).toBe('Café €');
  });

  it('a body a few levels deep, and brackets inside strings, still parse', async () => {
    const text = JSON.stringify({ a: { b: [[[{ c: '[[[[[[[[[[' .repeat(50) }]]] } });
    const value = await parseJsonBody(new Request('http://f/x', { method: 'POST', body: text }), Body);
    expect(value.a).toMatchObject({ b: [[[{ c: expect.any(String) }]]] });
  });
});
