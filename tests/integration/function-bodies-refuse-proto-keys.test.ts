// A function's body is strict: a key it does not take is refused naming it, never dropped
// (docs/api-contract.md). One key slipped through: `__proto__`. JSON.parse keeps it as a key,
// but zod's records (execute-action's params, ingest's metadata, an MCP tool's arguments)
// take it for the object's prototype, so it vanished and the rest ran without it. Before:
// {"params": {"__proto__": {"days": 3}, "reason": "…"}} snoozed the workflow for the default
// 7 days; an MCP tool ran with the key gone; ingest stored metadata without it. Now it is 422
// invalid_body naming where it is (MCP: -32600), written out or escaped, and nothing runs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedHeaders } from '../../functions-shared/webhooks/standard-webhooks.ts';
import { signedInAs, stack, withDb } from '../support/stack.ts';
import { openedWorkflow } from '../support/fresh-work.ts';
import { createFixtureOrg, type FixtureOrg } from './ingest-fixtures.ts';

let token: string;
let executionId: string;
let fixture: FixtureOrg;
const run = `proto-${Date.now().toString(36)}`;

async function post(fn: string, text: string, accept = 'application/json') {
  const response = await fetch(`${stack.url}/functions/v1/${fn}`, {
    method: 'POST',
    headers: { apikey: stack.anonKey, authorization: `Bearer ${token}`, 'content-type': 'application/json', accept },
    body: text,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const status = () => withDb(async (db) =>
  (await db.query<{ status: string }>('select status from app.workflow_executions where id = $1', [executionId])).rows[0]!.status);

beforeAll(async () => {
  token = (await (await signedInAs('csm')).auth.getSession()).data.session!.access_token;
  executionId = await openedWorkflow('Proto Key Co');
  fixture = await createFixtureOrg('proto');
});

afterAll(async () => {
  await fixture?.remove();
});

const refusedAt = (path: string) => ({ code: 'invalid_body', details: [{ path, message: 'must not be the key __proto__' }] });

describe('a body holding the key __proto__', () => {
  it('execute-action: 422 naming params.__proto__, written out or escaped, and the workflow is not snoozed', async () => {
    for (const key of ['__proto__', '\\u005f_proto__']) {
      const answer = await post('execute-action',
        `{"action_key": "snooze", "execution_id": "${executionId}", "params": {"${key}": {"days": 3}, "reason": "Waiting on budget"}}`);
      expect({ key, status: answer.status, error: answer.body.error }).toMatchObject({ key, status: 422, error: refusedAt('params.__proto__') });
    }
    expect(await status()).toBe('queued');
  });

  it('mcp: Invalid Request naming the argument, and the tool does not run', async () => {
    const answer = await post('mcp', '{"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {"name": "get_queue", "arguments": {"__proto__": {"lanes": ["now"]}}}}',
      'application/json, text/event-stream');
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ code: -32600, data: refusedAt('params.arguments.__proto__') });
  });

  it('ingest: 422 naming data.metadata.__proto__, and nothing is applied', async () => {
    const raw = `{"type":"customer.upserted","data":{"external_id":"${run}","name":"Proto Co","metadata":{"__proto__":{"tier":"gold"}}}}`;
    const headers = await signedHeaders(fixture.secret, `msg_${crypto.randomUUID()}`, raw);
    const response = await fetch(`${stack.url}/functions/v1/ingest/${fixture.slug}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: raw });
    expect(response.status).toBe(422);
    expect(((await response.json()) as { error: unknown }).error).toMatchObject(refusedAt('data.metadata.__proto__'));
    const customers = await withDb(async (db) => (await db.query('select 1 from app.customers where external_id = $1', [run])).rowCount);
    expect(customers).toBe(0);
  });
});
