// A renewal's forecast racing its workflow's escalation or outcome (docs/escalation-loop.md
// "What the hold blocks", docs/forecast-and-retention.md "Outcomes"). set_renewal_forecast
// locks the workflow as its other writers do (the assignee's workload, then the execution
// row; migration 20261206214000) and asks its state on the locked row. Each race is held
// open for real: one transaction, on a direct connection, does its part and waits
// uncommitted while the CSM's forecast goes through supabase-js; the forecast must wait,
// then answer for the workflow as committed.
// - An escalation in flight: once it commits the forecast is refused (PT409, nobody
//   forecasts an escalated renewal) and nothing is stored.
// - An outcome in flight: once it commits the forecast is refused (PT409) and the closed
//   renewal keeps the forecast its outcome recorded.
// - A bare row lock (`select … for no key update`, what a status change holds) makes a
//   change of the forecast wait too; rolled back, the change goes through.
import type { SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withDb } from '../support/stack.ts';
import { release, sent, stillWaiting, transactionAs } from '../support/held-transactions.ts';
import { createFixtureOrg, type FixtureOrg } from './ingest-fixtures.ts';

let fixture: FixtureOrg;
let csm: SupabaseClient;
/** The open renewal execution of each customer, by name. */
const renewal: Record<string, { customerId: string; executionId: string }> = {};

beforeAll(async () => {
  fixture = await createFixtureOrg('forecast-races');
  await withDb(async (db) => {
    for (const name of ['Escalating', 'Closing', 'Held']) {
      await db.query(
        `insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
         values ($1, $2, 100000, 80, app.organisation_today($1) + 40, $3)`, [fixture.orgId, name, fixture.csmId]);
    }
    await db.query('select app.run_orchestrator_for_org($1)', [fixture.orgId]);
    const { rows } = await db.query<{ name: string; customer_id: string; execution_id: string }>(
      `select c.name, c.id as customer_id, e.id as execution_id
         from app.customers c join app.workflow_executions e on e.customer_id = c.id
        where c.org_id = $1 and e.renewal_stage is not null and e.status = 'queued'`, [fixture.orgId]);
    for (const r of rows) renewal[r.name] = { customerId: r.customer_id, executionId: r.execution_id };
  });
  expect(Object.keys(renewal).sort()).toEqual(['Closing', 'Escalating', 'Held']);
  csm = await fixture.signIn();
});

afterAll(async () => {
  await fixture?.remove();
});

/** The CSM's forecast through supabase-js, sent now: the call, and its answer's error code and message (null when it succeeded). */
function forecast(executionId: string, category: string, forecastArr?: number) {
  return sent(csm.rpc('set_renewal_forecast', { execution_id: executionId, category, forecast_arr: forecastArr }));
}

async function storedForecasts(customerId: string): Promise<{ forecasts: unknown[]; history: number }> {
  return withDb(async (db) => {
    const { rows } = await db.query(
      `select renewal_date::text, category, forecast_arr::text, execution_id from app.renewal_forecasts where customer_id = $1 order by renewal_date`,
      [customerId]);
    const { rows: [h] } = await db.query<{ n: number }>(
      'select count(*)::int as n from app.renewal_forecast_history where customer_id = $1', [customerId]);
    return { forecasts: rows, history: h!.n };
  });
}

describe('a renewal forecast racing its workflow', () => {
  it('waits for an escalation in flight, then is refused and stores nothing', async () => {
    const { customerId, executionId } = renewal.Escalating!;
    const escalating = await transactionAs(fixture.csmId);
    try {
      await escalating.query(`select public.execute_action('escalate', $1, '{"reason": "Procurement blocks the renewal"}')`, [executionId]);
      const { call, answer } = forecast(executionId, 'commit', 120000);
      expect(await stillWaiting(call)).toBe(true);
      await escalating.query('commit');
      const { code, message } = await answer;
      expect(code).toBe('PT409');
      expect(message).toBe('Cannot forecast this workflow: it is escalated and on hold');
    } finally {
      await release(escalating);
    }
    expect(await storedForecasts(customerId)).toEqual({ forecasts: [], history: 0 });
    const status = await withDb((db) => db.query('select status from app.workflow_executions where id = $1', [executionId]));
    expect(status.rows[0]).toEqual({ status: 'escalated' });
  });

  it('waits for an outcome in flight, then is refused and the closed renewal keeps its forecast', async () => {
    const { customerId, executionId } = renewal.Closing!;
    const set = await csm.rpc('set_renewal_forecast', { execution_id: executionId, category: 'commit', forecast_arr: 110000 });
    expect(set.error).toBeNull();
    const before = await storedForecasts(customerId);
    expect(before.history).toBe(1);
    const closing = await transactionAs(fixture.csmId);
    try {
      await closing.query(`select public.record_renewal_outcome($1, 'renewed', 110000)`, [executionId]);
      const { call, answer } = forecast(executionId, 'churn_expected', 0);
      expect(await stillWaiting(call)).toBe(true);
      await closing.query('commit');
      const { code, message } = await answer;
      expect(code).toBe('PT409');
      expect(message).toBe('This renewal workflow is already completed');
    } finally {
      await release(closing);
    }
    expect(await storedForecasts(customerId)).toEqual(before);
    const outcome = await withDb((db) => db.query(
      `select forecast_category, forecast_arr::text from app.renewal_outcomes where execution_id = $1`, [executionId]));
    expect(outcome.rows).toEqual([{ forecast_category: 'commit', forecast_arr: '110000.00' }]);
  });

  it('waits for a lock on the execution row, and goes through once it is released', async () => {
    const { customerId, executionId } = renewal.Held!;
    // A forecast already stored, which the call below changes.
    const first = await csm.rpc('set_renewal_forecast', { execution_id: executionId, category: 'commit', forecast_arr: 100000 });
    expect(first.error).toBeNull();
    const holding = await transactionAs(null);
    try {
      // The lock an update of the row's status takes (an escalation, an outcome): the foreign
      // key checks of the forecast's writes (key share) would not wait for it, only the
      // forecast's own lock of the execution does.
      const { rowCount } = await holding.query('select 1 from app.workflow_executions where id = $1 for no key update', [executionId]);
      expect(rowCount).toBe(1);
      const { call, answer } = forecast(executionId, 'probable', 95000);
      expect(await stillWaiting(call)).toBe(true);
      await holding.query('rollback');
      const { code, data } = await answer;
      expect(code).toBeNull();
      expect(data).toMatchObject({ execution_id: executionId, category: 'probable', forecast_arr: 95000 });
    } finally {
      await release(holding);
    }
    const stored = await storedForecasts(customerId);
    expect(stored.history).toBe(2);
    expect(stored.forecasts).toEqual([expect.objectContaining({ category: 'probable', forecast_arr: '95000.00', execution_id: executionId })]);
  });
});
