// A customer's contract documents are changed by those who may change its contract terms:
// the customer's CSM (any CSM while the customer has none), a manager or an admin
// (app.can_work_on_customer, docs/contracts.md "Who may confirm"). Since migration
// 20261208700000 another CSM could not confirm a customer's terms, yet Storage still let
// any CSM of the organisation replace the document those terms are read and quoted from,
// add one to the customer's folder, or remove it: Casey could rewrite Sam's customer's
// contract ("no notice needed") for Sam to extract and confirm. Everyone of the
// organisation still reads them. Reading a document's terms (an extraction, which writes the
// customer's history) follows the same rule (migration 20261212140000): before, another CSM
// could run the model over it and file what it read in the customer's history.
import type { SupabaseClient } from '@supabase/supabase-js';
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { serviceClient, signedInAs, withDb } from '../support/stack.ts';
import { freshCustomer } from '../support/fresh-work.ts';

const ORIGINAL = 'Master Services Agreement. Either party may end it with 60 days written notice.';
const FORGED = 'Master Services Agreement. No notice is needed to end it.';

let owner: SupabaseClient;
let otherCsm: SupabaseClient;
let manager: SupabaseClient;
let admin: SupabaseClient;
let viewer: SupabaseClient;
let orgId: string;
let folder: string;
let unassignedFolder: string;

const text = (body: string) => new Blob([body], { type: 'text/plain' });
const bucket = (client: SupabaseClient) => client.storage.from('contracts');

async function stored(path: string): Promise<string | null> {
  const { data, error } = await bucket(owner).download(path);
  return error ? null : await data.text();
}

beforeAll(async () => {
  owner = await signedInAs('csm');
  otherCsm = await signedInAs('juniorCsm');
  manager = await signedInAs('manager');
  admin = await signedInAs('admin');
  viewer = await signedInAs('viewer');
  orgId = ((await owner.rpc('get_my_profile')).data as { org_id: string }).org_id;
  folder = `${orgId}/${await freshCustomer('Contract Keepers Co')}`;
  const unassigned = await freshCustomer('Contract Nobodys Co');
  await withDb((db) => db.query('update app.customers set assigned_to = null where id = $1', [unassigned]));
  unassignedFolder = `${orgId}/${unassigned}`;
});

describe("another CSM's customer's contract documents", () => {
  it('another CSM cannot replace one: refused, and the document reads as its CSM stored it', async () => {
    const path = `${folder}/msa-${randomUUID()}.txt`;
    expect((await bucket(owner).upload(path, text(ORIGINAL))).error).toBeNull();
    const replaced = await bucket(otherCsm).upload(path, text(FORGED), { upsert: true });
    expect(replaced.error?.message).toMatch(/row-level security/);
    expect(await stored(path)).toBe(ORIGINAL);
  });

  it('another CSM cannot add one to the customer\'s folder', async () => {
    const path = `${folder}/added-${randomUUID()}.txt`;
    const added = await bucket(otherCsm).upload(path, text(FORGED));
    expect(added.error?.message).toMatch(/row-level security/);
    expect(await stored(path)).toBeNull();
  });

  it('another CSM cannot remove one: nothing is removed', async () => {
    const path = `${folder}/kept-${randomUUID()}.txt`;
    expect((await bucket(owner).upload(path, text(ORIGINAL))).error).toBeNull();
    const removed = await bucket(otherCsm).remove([path]);
    expect(removed.data ?? []).toEqual([]);
    expect(await stored(path)).toBe(ORIGINAL);
  });

  it('another CSM and a viewer still read it', async () => {
    const path = `${folder}/read-${randomUUID()}.txt`;
    expect((await bucket(owner).upload(path, text(ORIGINAL))).error).toBeNull();
    for (const reader of [otherCsm, viewer]) {
      const { data, error } = await bucket(reader).download(path);
      expect(error).toBeNull();
      expect(await data!.text()).toBe(ORIGINAL);
    }
  });
});

describe("reading another CSM's customer's contract terms", () => {
  it('another CSM is told 42501 before any model runs; the customer\'s CSM may', async () => {
    const customerId = folder.split('/')[1]!;
    const refused = await otherCsm.rpc('check_contract_extraction', { customer_id: customerId });
    expect(refused.status).toBe(403);
    expect(refused.error).toMatchObject({ code: '42501', message: "Only the customer's CSM, a manager or an admin can read its contract's terms" });
    expect((await owner.rpc('check_contract_extraction', { customer_id: customerId })).data).toEqual({ ok: true });
    expect((await manager.rpc('check_contract_extraction', { customer_id: customerId })).data).toEqual({ ok: true });
    expect((await otherCsm.rpc('check_contract_extraction', { customer_id: unassignedFolder.split('/')[1]! })).data).toEqual({ ok: true });
  });

  it('the service role records no extraction another CSM asked for, and nothing reaches the history', async () => {
    const customerId = folder.split('/')[1]!;
    const path = `${folder}/read-${randomUUID()}.txt`;
    expect((await bucket(owner).upload(path, text(ORIGINAL))).error).toBeNull();
    const otherCsmId = ((await otherCsm.rpc('get_my_profile')).data as { id: string }).id;
    const recorded = await serviceClient().rpc('record_contract_extraction', {
      requested_by: otherCsmId, customer_id: customerId, object_path: path, model: 'patterns', pages: [ORIGINAL], fields: [],
    });
    expect(recorded.error?.code).toBe('42501');
    const rows = await withDb(async (db) => (await db.query<{ n: number }>(
      'select count(*)::int as n from app.contract_extractions where object_path = $1', [path])).rows[0]!.n);
    expect(rows).toBe(0);
  });
});

describe('who may change them', () => {
  it('the customer\'s CSM, a manager and an admin add, replace and remove them', async () => {
    for (const writer of [owner, manager, admin]) {
      const path = `${folder}/by-${randomUUID()}.txt`;
      expect((await bucket(writer).upload(path, text(ORIGINAL))).error).toBeNull();
      expect((await bucket(writer).upload(path, text(FORGED), { upsert: true })).error).toBeNull();
      expect(await stored(path)).toBe(FORGED);
      expect((await bucket(writer).remove([path])).data).toHaveLength(1);
      expect(await stored(path)).toBeNull();
    }
  });

  it('any CSM changes those of a customer without a CSM', async () => {
    const path = `${unassignedFolder}/open-${randomUUID()}.txt`;
    expect((await bucket(otherCsm).upload(path, text(ORIGINAL))).error).toBeNull();
    expect((await bucket(otherCsm).remove([path])).data).toHaveLength(1);
  });

  it('a viewer changes none', async () => {
    const path = `${unassignedFolder}/viewer-${randomUUID()}.txt`;
    expect((await bucket(viewer).upload(path, text(ORIGINAL))).error?.message).toMatch(/row-level security/);
  });
});
