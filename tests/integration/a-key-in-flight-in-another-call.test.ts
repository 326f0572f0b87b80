// One key, two calls at once (docs/api-contract.md "Errors", migration 20261212300000): a
// person's key taken by a call still in flight is PT409 "this key was used for a different
// request" on another call sent meanwhile, and only the first is applied. Before, each call
// kept its keys in its own store, and both were applied. The second is answered either
// after the first commits or at once (app.claim_request_key takes the key's lock without
// waiting, so no workflow lock held by either can deadlock them); never a 500. Each race is
// held open for real: the first call waits uncommitted on a direct connection while the
// other goes through supabase-js.
import type { SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withDb } from '../support/stack.ts';
import { release, sent, transactionAs } from '../support/held-transactions.ts';
import { createAdminFixtureOrg, type AdminFixtureOrg } from './admin-fixture-org.ts';

let fixture: AdminFixtureOrg;
let csm: SupabaseClient;

beforeAll(async () => {
  fixture = await createAdminFixtureOrg('key-in-flight');
  csm = await fixture.signIn('csm');
});

afterAll(async () => {
  await fixture?.remove();
});

/** A customer of the fixture's CSM and its queued renewal. */
async function queuedRenewal(name: string): Promise<string> {
  return withDb(async (db) => {
    const { rows: [c] } = await db.query<{ id: string }>(
      `insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
       values ($1, $2, 100000, 80, app.organisation_today($1) + 40, $3) returning id`, [fixture.orgId, name, fixture.csmId]);
    await db.query('select app.run_orchestrator_for_org($1)', [fixture.orgId]);
    const { rows: [e] } = await db.query<{ id: string }>(
      `select id from app.workflow_executions where customer_id = $1 and status = 'queued'`, [c!.id]);
    return e!.id;
  });
}

const statusOf = (executionId: string) => withDb(async (db) =>
  (await db.query<{ status: string }>('select status from app.workflow_executions where id = $1', [executionId])).rows[0]!.status);

/** `sql` held uncommitted as the CSM while `other` is sent; then committed. The other's answer. */
async function sentWhileHeld(sql: string, params: unknown[],
                             other: () => PromiseLike<{ data: unknown; error: { code?: string; message: string } | null }>) {
  const first = await transactionAs(fixture.csmId);
  try {
    await first.query(sql, params);
    const { answer } = sent(other());
    // Committed after a moment, whether or not the other call waits for it.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await first.query('commit');
    const { code, message } = await answer;
    return { code, message };
  } finally {
    await release(first);
  }
}

const TAKEN = { code: 'PT409', message: 'this key was used for a different request' };

describe('a key in flight in one call, sent with another', () => {
  it('an action in flight: a start under its key is refused, and only the action applies', async () => {
    const snoozed = await queuedRenewal('Snoozed under the key');
    const other = await queuedRenewal('Not started under it');
    const key = crypto.randomUUID();
    expect(await sentWhileHeld(
      `select public.execute_action('snooze', $1, '{"days": 3, "reason": "Waiting on the customer"}', $2)`, [snoozed, key],
      () => csm.rpc('start_workflow', { execution_id: other, idempotency_key: key }))).toEqual(TAKEN);
    expect(await statusOf(snoozed)).toBe('snoozed');
    expect(await statusOf(other)).toBe('queued');
  });

  it('a start in flight: an action under its key is refused, and only the start applies', async () => {
    const started = await queuedRenewal('Started under the key');
    const other = await queuedRenewal('Not snoozed under it');
    const key = crypto.randomUUID();
    expect(await sentWhileHeld(`select public.start_workflow($1, $2)`, [started, key],
      () => csm.rpc('execute_action', { action_key: 'snooze', execution_id: other,
                                        params: { days: 3, reason: 'Waiting on the customer' }, idempotency_key: key }))).toEqual(TAKEN);
    expect(await statusOf(started)).toBe('in_progress');
    expect(await statusOf(other)).toBe('queued');
  });
});
