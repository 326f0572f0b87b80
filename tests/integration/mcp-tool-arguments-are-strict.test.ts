// An agent's tool call with an argument the tool does not take is refused naming it, and
// nothing is made — as a function's body is (docs/api-contract.md: "a key the function does
// not take is 422 naming it, never dropped"). Before, the SDK's zod object dropped unknown
// keys without a word: a misspelt `idempotencyKey` made a second task on every retry, an
// `assigned_to` the agent believed it set left the task with the caller, and a misspelt
// `lane` filter answered the whole queue as if it were the filtered one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { SupabaseClient } from '@supabase/supabase-js';
import { signedInAs, stack, withDb } from '../support/stack.ts';
import { freshCustomer } from '../support/fresh-work.ts';

let agent: Client;
let customerId: string;

type ToolAnswer = { isError?: boolean; content: { type: string; text: string }[] };
const call = async (name: string, args: Record<string, unknown>) =>
  (await agent.callTool({ name, arguments: args })) as ToolAnswer;
const tasksTitled = (title: string) =>
  withDb(async (db) => (await db.query<{ n: number }>('select count(*)::int as n from app.workflow_tasks where title = $1', [title])).rows[0]!.n);

beforeAll(async () => {
  const csm: SupabaseClient = await signedInAs('csm');
  const token = (await csm.auth.getSession()).data.session!.access_token;
  agent = new Client({ name: 'sloppy-agent', version: '1.0.0' });
  await agent.connect(new StreamableHTTPClientTransport(new URL(`${stack.url}/functions/v1/mcp`), {
    requestInit: { headers: { Authorization: `Bearer ${token}`, apikey: stack.anonKey } },
  }));
  customerId = await freshCustomer('Strict Arguments Co');
});
afterAll(async () => { await agent?.close().catch(() => undefined); });

describe('mcp: a tool argument the tool does not take', () => {
  it('a misspelt idempotency key is refused naming it, and no task is made, however often it is retried', async () => {
    const title = `Renewal deck ${randomUUID()}`;
    const args = { customer_id: customerId, title, due_date: '2031-01-15', idempotencyKey: randomUUID() };
    for (const answer of [await call('create_task', args), await call('create_task', args)]) {
      expect(answer.isError).toBe(true);
      expect(answer.content[0]!.text).toMatch(/Unrecognized key.*"idempotencyKey"/);
    }
    expect(await tasksTitled(title)).toBe(0);
  });

  it('an assignee the tool cannot take is refused, not dropped', async () => {
    const title = `Hand over ${randomUUID()}`;
    const answer = await call('create_task', { customer_id: customerId, title, due_date: '2031-01-15', assigned_to: randomUUID() });
    expect(answer.isError).toBe(true);
    expect(answer.content[0]!.text).toMatch(/"assigned_to"/);
    expect(await tasksTitled(title)).toBe(0);
  });

  it('a read tool with a misspelt filter is refused rather than answering unfiltered', async () => {
    const answer = await call('get_queue', { lane: 'now', page_size: 1 });
    expect(answer.isError).toBe(true);
    expect(answer.content[0]!.text).toMatch(/"lane"/);
  });

  it('tools/list tells the agent so: every tool\'s input schema allows no other property', async () => {
    const { tools } = await agent.listTools();
    expect(tools.length).toBeGreaterThan(0);
    for (const tool of tools) expect(tool.inputSchema, tool.name).toMatchObject({ additionalProperties: false });
  });

  it('the arguments the tools take still work', async () => {
    const title = `Follow up ${randomUUID()}`;
    const answer = await call('create_task', { customer_id: customerId, title, due_date: '2031-01-15', idempotency_key: randomUUID() });
    expect(answer.isError, answer.content[0]?.text).toBeFalsy();
    expect(await tasksTitled(title)).toBe(1);
    expect((await call('get_queue', { lanes: ['now'], page_size: 1 })).isError).toBeFalsy();
  });
});
