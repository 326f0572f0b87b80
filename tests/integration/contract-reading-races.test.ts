// A contract document read twice at once is in the customer's searchable history once, as
// last read (docs/contracts.md; migrations 20261206331000 and 20261207301000). A reading by
// Ollama takes a minute; a person who gave up waiting and pressed Extract again, or a client
// retrying after a timeout, sends a second reading while the first is still being stored.
// Each reading removed the passages of the readings before it, but could not see one not yet
// committed: both stayed, and history search and the assistant's answers found the contract
// twice. A reading now waits for another reading of the same document to commit, then
// replaces it. The first reading is held open for real on a direct connection while the
// second goes through supabase-js, as extract-contract sends it (service role).
import type { SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceClient, withDb } from '../support/stack.ts';
import { release, sent, stillWaiting, transactionAs } from '../support/held-transactions.ts';
import { createFixtureOrg, type FixtureOrg } from './ingest-fixtures.ts';

let fixture: FixtureOrg;
let csm: SupabaseClient;
let customerId: string;
let objectPath: string;

beforeAll(async () => {
  fixture = await createFixtureOrg('reading-races');
  customerId = await withDb(async (db) => (await db.query<{ id: string }>(
    `insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
     values ($1, 'Contoso', 100000, 70, app.organisation_today($1) + 80, $2) returning id`,
    [fixture.orgId, fixture.csmId])).rows[0]!.id);
  objectPath = `${fixture.orgId}/${customerId}/msa.txt`;
  csm = await fixture.signIn();
  const uploaded = await csm.storage.from('contracts').upload(objectPath, new Blob(['The Agreement.'], { type: 'text/plain' }));
  expect(uploaded.error).toBeNull();
});

afterAll(async () => {
  if (csm) await csm.storage.from('contracts').remove([objectPath]);
  await fixture?.remove();
});

const reading = (text: string) => ({
  requested_by: fixture.csmId, customer_id: customerId, object_path: objectPath, model: 'test-model', pages: [text], fields: [],
});

describe('a contract document read twice at once', () => {
  it('is in the history once, as last read', async () => {
    const first = await transactionAs('service_role');
    try {
      const r = reading('This Agreement renews automatically for twelve months.');
      await first.query('select public.record_contract_extraction($1, $2, $3, $4, $5, $6)',
        [r.requested_by, r.customer_id, r.object_path, r.model, r.pages, JSON.stringify(r.fields)]);
      const { call, answer } = sent(serviceClient().rpc('record_contract_extraction',
        reading('This Agreement renews automatically for twenty-four months.')));
      expect(await stillWaiting(call)).toBe(true);
      await first.query('commit');
      expect((await answer).code).toBeNull();
    } finally {
      await release(first);
    }
    const passages = await withDb((db) => db.query<{ body: string }>(
      `select h.body from app.customer_history_passages h
        where h.customer_id = $1 and h.source_kind = 'contract'`, [customerId]));
    expect(passages.rows).toEqual([{ body: 'This Agreement renews automatically for twenty-four months.' }]);
    const extractions = await withDb((db) => db.query('select id from app.contract_extractions where customer_id = $1', [customerId]));
    expect(extractions.rows).toHaveLength(2);
  });
});
