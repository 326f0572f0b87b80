// JSON nested 100 000 levels deep is the caller's mistake: 400 in the house shape, never a
// 500 with a server hint (Postgres' stack depth) or a crash of the gateway's own parser.
import { describe, expect, it } from 'vitest';
import { useContractStack } from '../contract/harness.ts';
import { rawRequest } from './support.ts';

const stack = useContractStack();
const deep = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;

describe('deeply nested JSON', () => {
  it('as the whole RPC body, or inside an argument: 400 22023 without server detail', async () => {
    const headers = { apikey: stack.anonKey, 'content-type': 'application/json' };
    for (const body of [deep(100_000), `{"name": ${deep(20_000)}}`, `[{"name": ${deep(5_000)}}]`]) {
      const answer = await rawRequest(stack.url, { method: 'POST', path: '/rest/v1/rpc/contract_greet', headers, body });
      expect(answer.status).toBe(400);
      const error = JSON.parse(answer.body) as { code: string; hint: string | null; message: string };
      expect(error.code).toBe('22023');
      expect(`${error.message} ${error.hint}`).not.toMatch(/stack|max_stack_depth|ulimit/i);
    }
    // The gateway still answers ordinary calls.
    const ok = await rawRequest(stack.url, { method: 'POST', path: '/rest/v1/rpc/contract_greet', headers, body: '{"name":"Ada"}' });
    expect(ok.status).toBe(200);
  });

  it('a text argument that the database parses deeply is 400 too (no hint about the server)', async () => {
    const { data, error, status } = await stack.client().rpc('contract_parse_json', { doc: deep(50_000) });
    expect(data).toBeNull();
    expect(status).toBe(400);
    expect(error?.code).toBe('22023');
    expect(error?.hint ?? '').not.toMatch(/max_stack_depth/);
  });

  it('sign-in refuses a deeply nested body as bad JSON (400)', async () => {
    const answer = await rawRequest(stack.url, {
      method: 'POST', path: '/auth/v1/token?grant_type=password',
      headers: { apikey: stack.anonKey, 'content-type': 'application/json' }, body: deep(20_000), // 40 kB: under the auth body cap
    });
    expect(answer.status).toBe(400);
  });
});
