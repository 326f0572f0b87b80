// A function's refusal repeats what the caller sent (a key, a path) in at most its first 60
// characters, as the database's messages do (docs/api-contract.md "Errors"), so it stays a
// sentence whatever was sent. Before, zod's words repeated it whole: a body with an unknown
// key of 1 MB was answered with an error of 1 MB ('Unrecognized key: "kkkk…"'), at every
// function and at ingest, and so was the path of a refused value under such a key.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedHeaders } from '../../functions-shared/webhooks/standard-webhooks.ts';
import { signedInAs, stack } from '../support/stack.ts';
import { createFixtureOrg, type FixtureOrg } from './ingest-fixtures.ts';

const LONG = 'k'.repeat(1_000_000);
const QUOTED = 'k'.repeat(60);
let token: string;
let fixture: FixtureOrg;

async function post(fn: string, body: string) {
  const response = await fetch(`${stack.url}/functions/v1/${fn}`, {
    method: 'POST',
    headers: { apikey: stack.anonKey, authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body,
  });
  const text = await response.text();
  return { status: response.status, size: text.length, error: (JSON.parse(text) as { error: { code: string; details: { path: string; message: string }[] } }).error };
}

beforeAll(async () => {
  token = (await (await signedInAs('csm')).auth.getSession()).data.session!.access_token;
  fixture = await createFixtureOrg('briefly');
});

afterAll(async () => {
  await fixture?.remove();
});

describe('a refusal quotes what was sent briefly', () => {
  it('an unknown key of 1 MB: 422 naming its first 60 characters', async () => {
    const answer = await post('complete-thread', JSON.stringify({ thread_id: '00000000-0000-4000-8000-000000000001', [LONG]: 1 }));
    expect(answer.status).toBe(422);
    expect(answer.error.details).toEqual([{ path: '', message: `Unrecognized key: "${QUOTED}"` }]);
    expect(answer.size).toBeLessThan(1_000);
  });

  it('a refused value under a key of 1 MB: the path quotes 60 characters', async () => {
    const answer = await post('execute-action',
      `{"action_key": "snooze", "execution_id": "00000000-0000-4000-8000-000000000001", "params": {"${LONG}": "a\\u0000b"}}`);
    expect(answer.status).toBe(422);
    expect(answer.error.details).toEqual([{ path: `params.${QUOTED}`, message: 'must not hold \\u0000' }]);
    expect(answer.size).toBeLessThan(1_000);
  });

  it('ingest: an unknown field of 1 MB in an event, 422 quoting 60 characters', async () => {
    const raw = JSON.stringify({ type: 'customer.upserted', data: { external_id: 'briefly', name: 'Briefly Co', [LONG]: 1 } });
    const headers = await signedHeaders(fixture.secret, `msg_${crypto.randomUUID()}`, raw);
    const response = await fetch(`${stack.url}/functions/v1/ingest/${fixture.slug}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: raw });
    const text = await response.text();
    expect(response.status).toBe(422);
    expect(text.length).toBeLessThan(1_000);
    expect(text).toContain(`Unrecognized key: \\"${QUOTED}\\"`);
  });
});
