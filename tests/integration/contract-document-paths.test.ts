// extract-contract reads the document its object_path names, and no other. supabase-js puts
// a path into the address as it is, so before: a document whose stored name holds `?` (Storage
// allows it) was never found (404: `q` was fetched); `…/msa.txt?x` fetched msa.txt and ran the
// model over it, for the database to refuse the name after (404); `…/50%.txt` answered 502
// "could not be read from storage. Please try again." for a name Storage cannot hold; and `#`
// or `..` steps passed the folder check and were fetched as another path. Now each segment is
// escaped on its way to Storage, and a path that cannot name a document in the customer's
// folder is 400 22023 before anything is fetched.
import type { SupabaseClient } from '@supabase/supabase-js';
import { beforeAll, describe, expect, it } from 'vitest';
import { signedInAs, stack, withDb } from '../support/stack.ts';
import { freshCustomer } from '../support/fresh-work.ts';
import { accessToken } from './chat-fixtures.ts';

const TEXT = 'Master Services Agreement. This agreement starts on 1 January 2026 and renews automatically.';
let csm: SupabaseClient;
let token: string;
let orgId: string;
let customerId: string;
let folder: string;

/** Stores a document under exactly this name, escaped as a client that escapes names sends it. */
async function store(name: string) {
  const response = await fetch(`${stack.url}/storage/v1/object/contracts/${folder}/${encodeURIComponent(name)}`, {
    method: 'POST',
    headers: { apikey: stack.anonKey, authorization: `Bearer ${token}`, 'content-type': 'text/plain', 'x-upsert': 'true' },
    body: TEXT,
  });
  expect(response.status).toBe(200);
}

async function extract(objectPath: string) {
  const response = await fetch(`${stack.url}/functions/v1/extract-contract`, {
    method: 'POST',
    headers: { apikey: stack.anonKey, authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ customer_id: customerId, object_path: objectPath }),
  });
  return { status: response.status, body: (await response.json()) as { object_path?: string; error?: { code: string } } };
}

const extractionsNamed = (objectPath: string) => withDb(async (db) =>
  (await db.query<{ n: number }>('select count(*)::int as n from app.contract_extractions where object_path = $1', [objectPath])).rows[0]!.n);

beforeAll(async () => {
  csm = await signedInAs('csm');
  token = await accessToken(csm);
  orgId = ((await csm.rpc('get_my_profile')).data as { org_id: string }).org_id;
  customerId = await freshCustomer('Document Paths Co');
  folder = `${orgId}/${customerId}`;
  await store('msa.txt');
  await store('q?.txt');
});

describe('extract-contract reads the document named, and no other', () => {
  it('a name with ?… after a document\'s is not that document: 404, nothing recorded; with #… it names none: 400', async () => {
    const asked = await extract(`${folder}/msa.txt?x`);
    expect({ status: asked.status, code: asked.body.error?.code }).toEqual({ status: 404, code: 'PT404' });
    const fragment = await extract(`${folder}/msa.txt#x`);
    expect({ status: fragment.status, code: fragment.body.error?.code }).toEqual({ status: 400, code: '22023' });
    expect(await extractionsNamed(`${folder}/msa.txt?x`) + await extractionsNamed(`${folder}/msa.txt#x`)).toBe(0);
  });

  it('a document whose name holds ? is read', async () => {
    const answer = await extract(`${folder}/q?.txt`);
    expect({ status: answer.status, object_path: answer.body.object_path }).toEqual({ status: 200, object_path: `${folder}/q?.txt` });
  });

  it('a path that cannot name a document in the folder is 400 22023, never a 502 or another path', async () => {
    for (const name of ['50%.txt', '..', '.', 'a\u202etxt.exe']) {
      const answer = await extract(`${folder}/${name}`);
      expect({ name, status: answer.status, code: answer.body.error?.code }).toEqual({ name, status: 400, code: '22023' });
    }
    const upward = await extract(`../${customerId}/msa.txt`);
    expect({ status: upward.status, code: upward.body.error?.code }).toEqual({ status: 400, code: '22023' });
  });

  it('the document as the web app names it is read as before', async () => {
    const answer = await extract(`${folder}/msa.txt`);
    expect({ status: answer.status, object_path: answer.body.object_path }).toEqual({ status: 200, object_path: `${folder}/msa.txt` });
  });
});
