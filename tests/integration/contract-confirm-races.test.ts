// Confirming a contract's terms twice at once (docs/contracts.md; migration 20261206321000).
// A customer without a contract in force whose document was extracted twice (a second tab,
// a second click of Extract) has its terms confirmed on both extractions at about the same
// time. Each confirmation locks only its own extraction, so before, both looked for the
// contract in force, found none, and made one: two active contracts. Confirmations for one
// customer now take turns on the customer's row, and the second updates the contract the
// first made. The race is held open for real: the first confirmation waits uncommitted on a
// direct connection while the second goes through supabase-js.
import type { SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceClient, withDb } from '../support/stack.ts';
import { release, sent, stillWaiting, transactionAs } from '../support/held-transactions.ts';
import { createFixtureOrg, type FixtureOrg } from './ingest-fixtures.ts';

const TEXT = 'This agreement renews each year. The notice period is 60 days.';

let fixture: FixtureOrg;
let csm: SupabaseClient;
let customerId: string;
let objectPath: string;
/** Two extractions of the same document, as two tabs made them. */
const extractions: string[] = [];

beforeAll(async () => {
  fixture = await createFixtureOrg('contract-races');
  await withDb(async (db) => {
    customerId = (await db.query<{ id: string }>(
      `insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
       values ($1, 'Newly signed', 40000, 80, app.organisation_today($1) + 300, $2) returning id`,
      [fixture.orgId, fixture.csmId])).rows[0]!.id;
    objectPath = `${fixture.orgId}/${customerId}/contract.txt`;
    const uploaded = await serviceClient().storage.from('contracts').upload(objectPath, new Blob([TEXT], { type: 'text/plain' }));
    if (uploaded.error) throw uploaded.error;
    const fields = [{ key: 'notice_period_days', value: 60, quote: 'The notice period is 60 days.', page: 1, confidence: 0.9 }];
    for (let i = 0; i < 2; i++) {
      await db.query('begin');
      await db.query(`select set_config('request.jwt.claims', '{"role": "service_role"}', true), set_config('role', 'service_role', true)`);
      const { rows: [x] } = await db.query<{ id: string }>(
        `select public.record_contract_extraction($1, $2, $3, 'test', $4::text[], $5::jsonb) ->> 'extraction_id' as id`,
        [fixture.csmId, customerId, objectPath, [TEXT], JSON.stringify(fields)]);
      await db.query('commit');
      extractions.push(x!.id);
    }
  });
  csm = await fixture.signIn();
});

afterAll(async () => {
  if (objectPath) await serviceClient().storage.from('contracts').remove([objectPath]);
  await fixture?.remove();
});

const confirmNotice = (days: number) => JSON.stringify([{ key: 'notice_period_days', value: days }]);

describe('two confirmations of one customer\'s terms at once', () => {
  it('take turns, and the customer has one contract in force with the later terms', async () => {
    const first = await transactionAs(fixture.csmId);
    try {
      await first.query('select public.confirm_contract_fields($1, $2::jsonb)', [extractions[0], confirmNotice(60)]);
      const { call, answer } = sent(csm.rpc('confirm_contract_fields', {
        extraction_id: extractions[1], fields: JSON.parse(confirmNotice(90)),
      }));
      expect(await stillWaiting(call)).toBe(true);
      await first.query('commit');
      expect((await answer).code).toBeNull();
    } finally {
      await release(first);
    }
    const contracts = await withDb((db) => db.query(
      `select notice_period_days from app.contracts where customer_id = $1 and status = 'active'`, [customerId]));
    expect(contracts.rows).toEqual([{ notice_period_days: 90 }]);
  });
});
