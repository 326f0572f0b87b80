// A renewal's outcome recorded while the orchestrator's run moves the same renewal on
// (docs/forecast-and-retention.md; migration 20261206324000). record_renewal_outcome locked the
// renewal's row, then the customer's; the run locks its customers, then supersedes and
// re-scores their renewals. Each held what the other waited for, and the CSM's outcome failed
// with a deadlock (40P01, a 500). The outcome now locks the customer first, as the run (and
// ingest, and a contract's confirmation) do, so the two take turns: here the run goes first
// and moves the renewal to its next stage, the outcome on the old stage is refused (PT409) and
// nothing is written, and recorded on the renewal that is open now it goes through.
// The race is held open for real: a lock on the customer holds the run, which waits for it
// first, and the CSM's outcome, which waits next, until the lock is let go.
import type { SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withDb } from '../support/stack.ts';
import { release, sent, stillWaiting, transactionAs } from '../support/held-transactions.ts';
import { createFixtureOrg, type FixtureOrg } from './ingest-fixtures.ts';

let fixture: FixtureOrg;
let csm: SupabaseClient;
let customerId: string;
let executionId: string;

const openRenewal = () => withDb(async (db) => (await db.query<{ id: string }>(
  `select id from app.workflow_executions where customer_id = $1 and renewal_stage is not null
      and status in ('queued', 'in_progress', 'snoozed', 'escalated')`, [customerId])).rows[0]!.id);

beforeAll(async () => {
  fixture = await createFixtureOrg('outcome-races');
  customerId = await withDb(async (db) => {
    const { rows: [c] } = await db.query<{ id: string }>(
      `insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
       values ($1, 'Signing', 100000, 80, app.organisation_today($1) + 3, $2) returning id`, [fixture.orgId, fixture.csmId]);
    await db.query('select app.run_orchestrator_for_org($1)', [fixture.orgId]);
    return c!.id;
  });
  executionId = await openRenewal();
  csm = await fixture.signIn();
});

afterAll(async () => {
  await fixture?.remove();
});

describe('an outcome recorded while the orchestrator moves the renewal on', () => {
  it('waits for the run instead of deadlocking with it, and is then recorded on the renewal open now', async () => {
    const holder = await transactionAs(null);
    const run = await transactionAs(null);
    try {
      await holder.query('select 1 from app.customers where id = $1 for no key update', [customerId]);
      // Four days later the renewal is overdue: the run supersedes it with the Overdue stage's.
      const ran = run.query(`select app.run_orchestrator_for_org($1, app.organisation_today($1) + 4) ->> 'superseded' as n`,
        [fixture.orgId]).then((r) => Number(r.rows[0]!.n), (error: { code?: string }) => `error ${error.code}`);
      expect(await stillWaiting(ran)).toBe(true);
      const { call, answer } = sent(csm.rpc('record_renewal_outcome', { execution_id: executionId, outcome: 'renewed' }));
      expect(await stillWaiting(call)).toBe(true);
      await holder.query('rollback');
      expect(await ran).toBe(1);
      await run.query('commit');
      const refused = await answer;
      expect({ code: refused.code, message: refused.message }).toEqual({
        code: 'PT409', message: 'This renewal workflow is superseded by a later stage' });
    } finally {
      await release(holder);
      await release(run);
    }
    const outcomes = await withDb((db) => db.query('select count(*)::int as n from app.renewal_outcomes where customer_id = $1', [customerId]));
    expect(outcomes.rows).toEqual([{ n: 0 }]);
    const recorded = await csm.rpc('record_renewal_outcome', { execution_id: await openRenewal(), outcome: 'renewed' });
    expect(recorded.error).toBeNull();
  });

  it('recorded twice at once under one key (a retry while the first is still in flight): the second answers the first', async () => {
    const { rows: [c] } = await withDb((db) => db.query<{ id: string }>(
      `insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
       values ($1, 'Twice', 50000, 80, app.organisation_today($1) + 40, $2) returning id`, [fixture.orgId, fixture.csmId]));
    await withDb((db) => db.query('select app.run_orchestrator_for_org($1)', [fixture.orgId]));
    const { rows: [renewal] } = await withDb((db) => db.query<{ id: string }>(
      `select id from app.workflow_executions where customer_id = $1 and renewal_stage is not null and status = 'queued'`, [c!.id]));
    const key = crypto.randomUUID();
    const first = await transactionAs(fixture.csmId);
    try {
      const { rows: [made] } = await first.query(
        `select public.record_renewal_outcome($1, 'renewed', 60000, idempotency_key => $2) as answer`, [renewal!.id, key]);
      const { call, answer } = sent(csm.rpc('record_renewal_outcome', { execution_id: renewal!.id, outcome: 'renewed', new_arr: 60000, idempotency_key: key }));
      expect(await stillWaiting(call)).toBe(true);
      await first.query('commit');
      const again = await answer;
      expect({ code: again.code, data: again.data }).toEqual({ code: null, data: made!.answer });
    } finally {
      await release(first);
    }
    const outcomes = await withDb((db) => db.query('select count(*)::int as n from app.renewal_outcomes where customer_id = $1', [c!.id]));
    expect(outcomes.rows).toEqual([{ n: 1 }]);
  });
});

