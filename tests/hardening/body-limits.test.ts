// Bodies are capped per route before they are buffered: a 400 MB upload once grew the
// gateway to 1.28 GB before it answered. Past the cap the answer is 413, whether the size
// is declared up front or only shows while streaming, and memory stays flat.
import { describe, expect, it } from 'vitest';
import { useContractStack } from '../contract/harness.ts';
import { rawRequest } from './support.ts';

const stack = useContractStack();
const MB = 1024 * 1024;

/** `total` bytes of JSON-ish filler in 64 kB chunks, with no Content-Length (chunked). */
function stream(total: number) {
  return async function* () {
    const chunk = Buffer.alloc(64 * 1024, 'a');
    for (let sent = 0; sent < total; sent += chunk.length) yield chunk;
  };
}

describe('request body caps', () => {
  it('a declared 400 MB body is refused with 413 before a byte is read, on every route', async () => {
    const declared = { 'content-length': 400 * MB, 'content-type': 'application/json', apikey: stack.anonKey };
    for (const path of ['/rest/v1/rpc/contract_greet', '/auth/v1/token?grant_type=password', '/functions/v1/echo']) {
      const answer = await rawRequest(stack.url, { method: 'POST', path, headers: { ...declared, authorization: `Bearer ${stack.anonKey}` }, body: '{' });
      expect(answer.status, path).toBe(413);
    }
  });

  it('a streamed body past the cap is cut off with 413, and the process does not grow with it', async () => {
    const before = process.memoryUsage().rss;
    const headers = { 'content-type': 'application/json', apikey: stack.anonKey, authorization: `Bearer ${stack.anonKey}` };
    const rest = await rawRequest(stack.url, { method: 'POST', path: '/rest/v1/rpc/contract_greet', headers, body: stream(64 * MB) });
    expect(rest.status).toBe(413);
    const fn = await rawRequest(stack.url, { method: 'POST', path: '/functions/v1/echo', headers, body: stream(64 * MB) });
    expect(fn.status).toBe(413);
    const grown = process.memoryUsage().rss - before;
    expect(grown).toBeLessThan(48 * MB);
  });

  it('a body under the cap still goes through', async () => {
    const { data, error } = await stack.client().rpc('contract_greet', { name: 'x'.repeat(512 * 1024) });
    expect(error).toBeNull();
    expect(String(data).length).toBeGreaterThan(512 * 1024);
  });
});
