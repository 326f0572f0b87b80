// The `mcp` function answers a request whose params do not fit its method with JSON-RPC's
// -32602 Invalid params naming the field (data.code 22023, as every bad argument), never
// -32603 Internal error with zod's issue list dumped as its message (what the SDK answers on
// its own). A well-formed request in the same batch is still answered, and nothing runs.
import { beforeAll, describe, expect, it } from 'vitest';
import type { SupabaseClient } from '@supabase/supabase-js';
import { signedInAs, stack } from '../support/stack.ts';

let token: string;

beforeAll(async () => {
  const csm: SupabaseClient = await signedInAs('csm');
  token = (await csm.auth.getSession()).data.session!.access_token;
});

type RpcAnswer = { jsonrpc: string; id: unknown; result?: unknown; error?: { code: number; message: string; data?: { code?: string } } };

async function post(body: unknown): Promise<{ status: number; answer: RpcAnswer | RpcAnswer[] }> {
  const response = await fetch(`${stack.url}/functions/v1/mcp`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, apikey: stack.anonKey, 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' },
    body: JSON.stringify(body),
  });
  return { status: response.status, answer: (await response.json()) as RpcAnswer | RpcAnswer[] };
}

describe('mcp: params that do not fit their method', () => {
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ['tools/call with arguments that are a list', { method: 'tools/call', params: { name: 'get_queue', arguments: [1] } }, 'params.arguments'],
    ['tools/call without a tool name', { method: 'tools/call', params: { arguments: {} } }, 'params.name'],
    ['resources/read without a uri', { method: 'resources/read', params: {} }, 'params.uri'],
    ['initialize with a numeric protocol version', { method: 'initialize', params: { protocolVersion: 5 } }, 'params.protocolVersion'],
  ];
  for (const [what, request, field] of cases) {
    it(`${what} is -32602 naming ${field}`, async () => {
      const { status, answer } = await post({ jsonrpc: '2.0', id: 41, ...request });
      expect(status).toBe(200);
      const single = answer as RpcAnswer;
      expect(single).toMatchObject({ jsonrpc: '2.0', id: 41, error: { code: -32602, data: { code: '22023' } } });
      expect(single.error!.message).toMatch(new RegExp(`^Invalid params: .*${field.replace('.', '\\.')}: `));
      expect(single.error!.message).not.toMatch(/"code":|invalid_type|\[\n/);
    });
  }

  it('in a batch, the bad request is refused and the good one answered', async () => {
    const { answer } = await post([
      { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'get_queue', arguments: [1] } },
      { jsonrpc: '2.0', id: 2, method: 'tools/list' },
    ]);
    const byId = new Map((answer as RpcAnswer[]).map((message) => [message.id, message]));
    expect(byId.get(1)?.error?.code).toBe(-32602);
    expect((byId.get(2)?.result as { tools: unknown[] }).tools.length).toBeGreaterThan(0);
  });
});
