// A Standard Webhooks signature covers the body's bytes exactly as sent. A body that starts
// with a UTF-8 byte-order mark (as some senders' JSON writers put one) and is signed with it
// is verified over those bytes and applied. Before, the body was decoded without the mark and
// verified over what was left: the right signature answered 401 "The webhook signature does
// not match", and one made without the mark verified a body the sender never signed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedHeaders } from '../../functions-shared/webhooks/standard-webhooks.ts';
import { signedInAs, stack, withDb } from '../support/stack.ts';
import { openedWorkflow } from '../support/fresh-work.ts';
import { createFixtureOrg, type FixtureOrg } from './ingest-fixtures.ts';

const BOM = '\ufeff';
const run = `bom-${Date.now().toString(36)}`;
let fixture: FixtureOrg;

async function deliver(sent: string, signed: string) {
  const headers = await signedHeaders(fixture.secret, `msg_${crypto.randomUUID()}`, signed);
  const response = await fetch(`${stack.url}/functions/v1/ingest/${fixture.slug}`, {
    method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: sent,
  });
  return { status: response.status, body: (await response.json()) as { error?: { code: string; details?: { reason?: string } } } };
}

const customers = (externalId: string) => withDb(async (db) =>
  (await db.query<{ n: number }>('select count(*)::int as n from app.customers where external_id = $1', [externalId])).rows[0]!.n);

const event = (name: string) => JSON.stringify({ type: 'customer.upserted', data: { external_id: `${run}-${name}`, name: `Bom ${name}` } });

beforeAll(async () => {
  fixture = await createFixtureOrg('bom');
});

afterAll(async () => {
  await fixture?.remove();
});

describe('ingest verifies the bytes sent', () => {
  it('a body starting with a byte-order mark, signed with it, is applied', async () => {
    const body = BOM + event('signed-with');
    const answer = await deliver(body, body);
    expect(answer.status).toBe(200);
    expect(await customers(`${run}-signed-with`)).toBe(1);
  });

  it('a signature made without the mark does not verify a body sent with it', async () => {
    const answer = await deliver(BOM + event('signed-without'), event('signed-without'));
    expect({ status: answer.status, reason: answer.body.error?.details?.reason }).toEqual({ status: 401, reason: 'bad_signature' });
    expect(await customers(`${run}-signed-without`)).toBe(0);
  });

  it('any other function still reads a JSON body after a byte-order mark', async () => {
    const sam = await signedInAs('csm');
    const token = (await sam.auth.getSession()).data.session!.access_token;
    const executionId = await openedWorkflow('Byte Order Co');
    const response = await fetch(`${stack.url}/functions/v1/execute-action`, {
      method: 'POST',
      headers: { apikey: stack.anonKey, authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: BOM + JSON.stringify({ action_key: 'snooze', execution_id: executionId, params: { days: 0, reason: 'x' } }),
    });
    // Past the body: the database's own rule on days answers.
    expect({ status: response.status, code: ((await response.json()) as { error: { code: string } }).error.code }).toEqual({ status: 400, code: '22023' });
  });
});
