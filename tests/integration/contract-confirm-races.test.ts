// Confirming a contract's terms while others write the same customer (docs/contracts.md;
// migrations 20261206321000 and 20261206324000). Each race is held open for real: one transaction waits
// uncommitted on a direct connection while the other call goes through supabase-js.
// - Twice at once: a customer without a contract in force whose document was extracted
//   twice (a second tab, a second click of Extract) has its terms confirmed on both
//   extractions at about the same time. Each confirmation locks only its own extraction,
//   so before, both looked for the contract in force, found none, and made one: two active
//   contracts. Confirmations for one customer now take turns, and the second updates the
//   contract the first made.
// - Beside a renewal's outcome: a confirmation and record_renewal_outcome both lock the
//   customer before its renewals (migration 20261206324000), so the two wait for each other
//   and never deadlock (40P01, a 500) when a confirmed end date moves the renewal. (The
//   customer alone first, beside the outcome's old order, renewal then customer, deadlocked.)
import type { SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceClient, withDb } from '../support/stack.ts';
import { release, sent, stillWaiting, transactionAs } from '../support/held-transactions.ts';
import { createFixtureOrg, type FixtureOrg } from './ingest-fixtures.ts';

const NOTICE = 'The notice period is 60 days.';
const END = 'The initial term ends on 2027-09-30.';

let fixture: FixtureOrg;
let csm: SupabaseClient;
const uploaded: string[] = [];

beforeAll(async () => {
  fixture = await createFixtureOrg('contract-races');
  csm = await fixture.signIn();
});

afterAll(async () => {
  if (uploaded.length > 0) await serviceClient().storage.from('contracts').remove(uploaded);
  await fixture?.remove();
});

/** A customer of the fixture's CSM, renewing in `days`. */
const newCustomer = (name: string, days: number) => withDb(async (db) => (await db.query<{ id: string }>(
  `insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
   values ($1, $2, 40000, 80, app.organisation_today($1) + $3::int, $4) returning id`,
  [fixture.orgId, name, days, fixture.csmId])).rows[0]!.id);

/** An extraction of a one-page document holding `sentence`, proposing `field` from it (as extract-contract stores it). */
async function extraction(customerId: string, file: string, sentence: string, field: { key: string; value: unknown }): Promise<string> {
  const objectPath = `${fixture.orgId}/${customerId}/${file}`;
  const upload = await serviceClient().storage.from('contracts').upload(objectPath, new Blob([sentence], { type: 'text/plain' }), { upsert: true });
  if (upload.error) throw upload.error;
  uploaded.push(objectPath);
  return withDb(async (db) => {
    await db.query('begin');
    await db.query(`select set_config('request.jwt.claims', '{"role": "service_role"}', true), set_config('role', 'service_role', true)`);
    const { rows: [x] } = await db.query<{ id: string }>(
      `select public.record_contract_extraction($1, $2, $3, 'test', $4::text[], $5::jsonb) ->> 'extraction_id' as id`,
      [fixture.csmId, customerId, objectPath, [sentence], JSON.stringify([{ ...field, quote: sentence, page: 1, confidence: 0.9 }])]);
    await db.query('commit');
    return x!.id;
  });
}

const activeContracts = (customerId: string) => withDb(async (db) => (await db.query(
  `select notice_period_days, end_date::text from app.contracts where customer_id = $1 and status = 'active'`, [customerId])).rows);

describe('a contract\'s terms confirmed', () => {
  it('twice at once take turns, and the customer has one contract in force with the later terms', async () => {
    const customerId = await newCustomer('Newly signed', 300);
    const tabs = [await extraction(customerId, 'a.txt', NOTICE, { key: 'notice_period_days', value: 60 }),
                  await extraction(customerId, 'b.txt', NOTICE, { key: 'notice_period_days', value: 60 })];
    const first = await transactionAs(fixture.csmId);
    try {
      await first.query(`select public.confirm_contract_fields($1, '[{"key": "notice_period_days", "value": 60}]')`, [tabs[0]]);
      const { call, answer } = sent(csm.rpc('confirm_contract_fields', {
        extraction_id: tabs[1], fields: [{ key: 'notice_period_days', value: 90 }],
      }));
      expect(await stillWaiting(call)).toBe(true);
      await first.query('commit');
      expect((await answer).code).toBeNull();
    } finally {
      await release(first);
    }
    expect(await activeContracts(customerId)).toEqual([{ notice_period_days: 90, end_date: null }]);
  });

  it('beside the renewal\'s outcome waits for it or is waited for, never a deadlock', async () => {
    const customerId = await newCustomer('Renewing', 40);
    const { executionId, contractId } = await withDb(async (db) => {
      await db.query('select app.run_orchestrator_for_org($1)', [fixture.orgId]);
      const { rows: [k] } = await db.query<{ id: string }>(
        `insert into app.contracts (org_id, customer_id, status, start_date, end_date)
         values ($1, $2, 'active', app.organisation_today($1) - 325, app.organisation_today($1) + 39) returning id`,
        [fixture.orgId, customerId]);
      const { rows: [e] } = await db.query<{ id: string }>(
        `select id from app.workflow_executions where customer_id = $1 and renewal_stage is not null
            and status in ('queued', 'in_progress', 'snoozed')`, [customerId]);
      return { executionId: e!.id, contractId: k!.id };
    });
    const extractionId = await extraction(customerId, 'renewal.txt', END, { key: 'end_date', value: '2027-09-30' });

    // Someone holds the contract: the confirmation starts, and waits for it with what it holds.
    const holder = await transactionAs(null);
    const confirming = await transactionAs(fixture.csmId);
    try {
      await holder.query('select 1 from app.contracts where id = $1 for update', [contractId]);
      const confirmed = confirming.query(`select public.confirm_contract_fields($1, '[{"key": "end_date", "value": "2027-09-30"}]')`,
        [extractionId]).then(() => null, (error: { code?: string }) => error.code ?? 'error');
      expect(await stillWaiting(confirmed)).toBe(true);
      // The renewal's outcome, recorded meanwhile: it takes the renewal, then the customer.
      const { call, answer } = sent(csm.rpc('record_renewal_outcome', { execution_id: executionId, outcome: 'renewed' }));
      await stillWaiting(call);
      await holder.query('rollback');
      expect(await confirmed).toBeNull();
      await confirming.query('commit');
      expect((await answer).code).toBeNull();
    } finally {
      await release(holder);
      await release(confirming);
    }
    expect(await activeContracts(customerId)).toEqual([{ notice_period_days: null, end_date: '2027-09-30' }]);
  });
});
