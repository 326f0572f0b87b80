// JSON-RPC an agent should not send, answered in JSON-RPC's words and running nothing:
// - a batch in which two requests share an id is refused whole (400, -32600). Before, the
//   SDK ran both and answered the id once, as an object instead of the batch's array: two
//   create_task calls under one id made two tasks and acknowledged one.
// - resources/read with a uri that is no URL is -32602 naming params.uri. Before, -32603
//   Internal error with the URL parser's own words.
import { randomUUID } from 'node:crypto';
import type { SupabaseClient } from '@supabase/supabase-js';
import { beforeAll, describe, expect, it } from 'vitest';
import { signedInAs, stack, withDb } from '../support/stack.ts';
import { freshCustomer } from '../support/fresh-work.ts';

let token: string;
let customerId: string;

beforeAll(async () => {
  const csm: SupabaseClient = await signedInAs('csm');
  token = (await csm.auth.getSession()).data.session!.access_token;
  customerId = await freshCustomer('Batch Co');
});

async function post(body: unknown): Promise<{ status: number; answer: any }> {
  const response = await fetch(`${stack.url}/functions/v1/mcp`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, apikey: stack.anonKey, 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' },
    body: JSON.stringify(body),
  });
  return { status: response.status, answer: await response.json() };
}

const tasksTitled = (like: string) =>
  withDb(async (db) => (await db.query<{ n: number }>('select count(*)::int as n from app.workflow_tasks where title like $1', [like])).rows[0]!.n);

const createTask = (id: number, title: string) =>
  ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'create_task', arguments: { customer_id: customerId, title, due_date: '2031-01-10' } } });

describe('mcp: batches and uris the SDK would mishandle', () => {
  it('a batch whose requests share an id is refused whole, and no task is made', async () => {
    const tag = randomUUID();
    const { status, answer } = await post([createTask(7, `First ${tag}`), createTask(7, `Second ${tag}`)]);
    expect(status).toBe(400);
    expect(answer).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32600, data: { code: '22023' } } });
    expect(answer.error.message).toMatch(/more than one request of the batch has the id 7; nothing was run/);
    await new Promise((resolve) => setTimeout(resolve, 300)); // a request run anyway would have committed by now
    expect(await tasksTitled(`% ${tag}`)).toBe(0);
  });

  it('a batch with an id each is answered with an array, one answer per request', async () => {
    const tag = randomUUID();
    const { status, answer } = await post([createTask(1, `One ${tag}`), createTask(2, `Two ${tag}`)]);
    expect(status).toBe(200);
    expect(Array.isArray(answer)).toBe(true);
    expect((answer as { id: number }[]).map((a) => a.id).sort()).toEqual([1, 2]);
    expect(await tasksTitled(`% ${tag}`)).toBe(2);
  });

  it('resources/read with a uri that is no URL is -32602 naming params.uri, never an internal error', async () => {
    const { status, answer } = await post({ jsonrpc: '2.0', id: 3, method: 'resources/read', params: { uri: '::::' } });
    expect(status).toBe(200);
    expect(answer).toMatchObject({ jsonrpc: '2.0', id: 3, error: { code: -32602, data: { code: '22023' } } });
    expect(answer.error.message).toBe('Invalid params: params.uri: must be a URL, such as renubu://queue');
  });
});
