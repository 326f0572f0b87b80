// JSON may carry the NUL character (\u0000); no text in the database can hold one, as no
// text can hold half of a character (function-bodies-refuse-half-characters.test.ts). A
// function's body that holds one is refused where it is read, 422 invalid_body naming where
// it is (MCP: JSON-RPC's Invalid Request), and nothing is written. Before, it went on to the
// database and came back as 400 22P05 in Postgres' own words ("unsupported Unicode escape
// sequence", "\u0000 cannot be converted to text."), naming no field; an MCP tool answered
// "22P05: unsupported Unicode escape sequence"; ingest alone had words of its own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedHeaders } from '../../functions-shared/webhooks/standard-webhooks.ts';
import { signedInAs, stack, withDb } from '../support/stack.ts';
import { openedWorkflow } from '../support/fresh-work.ts';
import { createFixtureOrg, type FixtureOrg } from './ingest-fixtures.ts';

let token: string;
let adminToken: string;
let executionId: string;
let fixture: FixtureOrg;
const run = `nul-${Date.now().toString(36)}`;

async function post(fn: string, text: string, as = token, accept = 'application/json') {
  const response = await fetch(`${stack.url}/functions/v1/${fn}`, {
    method: 'POST',
    headers: { apikey: stack.anonKey, authorization: `Bearer ${as}`, 'content-type': 'application/json', accept },
    body: text,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const count = (sql: string, value: string) => withDb(async (db) =>
  (await db.query<{ n: number }>(sql, [value])).rows[0]!.n);

beforeAll(async () => {
  token = (await (await signedInAs('csm')).auth.getSession()).data.session!.access_token;
  adminToken = (await (await signedInAs('admin')).auth.getSession()).data.session!.access_token;
  executionId = await openedWorkflow('Nul Character Co');
  fixture = await createFixtureOrg('nul');
});

afterAll(async () => {
  await fixture?.remove();
});

const refusedAt = (path: string) => ({ code: 'invalid_body', details: [{ path, message: 'must not hold \\u0000' }] });

describe('a body holding the NUL character', () => {
  it('execute-action: 422 invalid_body naming params.title, and no task is made', async () => {
    const text = `{"action_key": "create_task", "execution_id": "${executionId}", "params": {"title": "${run} \\u0000 title", "due_date": "2026-12-30"}}`;
    const answer = await post('execute-action', text);
    expect(answer.status).toBe(422);
    expect(answer.body.error).toMatchObject(refusedAt('params.title'));
    expect(JSON.stringify(answer.body)).not.toMatch(/unsupported Unicode|cannot be converted/);
    expect(await count('select count(*)::int as n from app.workflow_tasks where title like $1', `${run}%`)).toBe(0);
  });

  it('a key holding one is named too; an escaped backslash before u0000 is text like any other', async () => {
    const inKey = await post('execute-action', `{"action_key": "snooze", "execution_id": "${executionId}", "params": {"da\\u0000ys": 1}}`);
    expect(inKey.status).toBe(422);
    expect(inKey.body.error).toMatchObject({ code: 'invalid_body', details: [{ path: 'params.da\u0000ys' }] });
    const escaped = await post('execute-action', `{"action_key": "snooze", "execution_id": "${executionId}", "params": {"days": 0, "reason": "a \\\\u0000 b"}}`);
    expect(escaped.status).toBe(400); // past the body: the database's own rule on days answers
    expect(escaped.body.error).toMatchObject({ code: '22023' });
  });

  it('chat and invite-person: 422 naming the field', async () => {
    const chat = await post('chat', `{"thread_id": "00000000-0000-4000-8000-000000000001", "content": "hi", "client_message_id": "m\\u0000"}`);
    expect(chat.status).toBe(422);
    expect(chat.body.error).toMatchObject(refusedAt('client_message_id'));
    const invite = await post('invite-person', `{"email": "${run}@acme.test", "full_name": "Nul \\u0000 Person", "role": "viewer"}`, adminToken);
    expect(invite.status).toBe(422);
    expect(invite.body.error).toMatchObject(refusedAt('full_name'));
    expect(await count('select count(*)::int as n from auth.users where email = $1', `${run}@acme.test`)).toBe(0);
  });

  it('mcp: Invalid Request in JSON-RPC shape, naming the argument', async () => {
    const answer = await post('mcp', '{"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": {"name": "get_queue", "arguments": {"search": "a\\u0000b"}}}',
      token, 'application/json, text/event-stream');
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ code: -32600, data: refusedAt('params.arguments.search') });
  });

  it('ingest: 422 invalid_body naming the field, after the signature, and nothing is applied', async () => {
    const raw = `{"type":"customer.upserted","data":{"external_id":"${run}","name":"Nul \\u0000 Co"}}`;
    const headers = await signedHeaders(fixture.secret, `msg_${crypto.randomUUID()}`, raw);
    const response = await fetch(`${stack.url}/functions/v1/ingest/${fixture.slug}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: raw });
    expect(response.status).toBe(422);
    expect(((await response.json()) as { error: unknown }).error).toMatchObject(refusedAt('data.name'));
    expect(await count('select count(*)::int as n from app.customers where external_id = $1', run)).toBe(0);
  });
});
