// The renewal forecast and retention through supabase-js, as the Forecast page calls them:
// a derived category, set by the csm (with history), the renewal closed with an uplift,
// the ARR change visible in retention at once; another organisation neither sees nor
// changes it; anon is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonClient, signedInAs, withDb } from '../support/stack.ts';
import { createFixtureOrg, type FixtureOrg } from './ingest-fixtures.ts';

let fixture: FixtureOrg;
let customerId: string;
let executionId: string;
let q0: string;
let q1: string;
let m0: string;
let m1: string;

beforeAll(async () => {
  fixture = await createFixtureOrg('forecast');
  ({ customerId, executionId, q0, q1, m0, m1 } = await withDb(async (db) => {
    // Next quarter, and the twelve months ending with next month's start (so today's
    // outcome falls in the last month of the series).
    const { rows: [dates] } = await db.query(
      `select (date_trunc('quarter', d) + interval '3 months')::date::text as q0,
              (date_trunc('quarter', d) + interval '6 months')::date::text as q1,
              (date_trunc('month', d) - interval '11 months')::date::text as m0,
              (date_trunc('month', d) + interval '1 month')::date::text as m1
         from (select app.organisation_today($1) as d) t`, [fixture.orgId]);
    const { rows: [customer] } = await db.query(
      `insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
       values ($1, 'Roundtrip Ltd', 100000, 80, $2::date + 20, $3) returning id`, [fixture.orgId, dates.q0, fixture.csmId]);
    await db.query(
      `insert into app.arr_history (org_id, customer_id, arr, recorded_at) values ($1, $2, 100000, now() - interval '400 days')`,
      [fixture.orgId, customer.id]);
    await db.query('select app.run_orchestrator_for_org($1)', [fixture.orgId]);
    const { rows: [execution] } = await db.query(
      `select id from app.workflow_executions
        where customer_id = $1 and renewal_stage is not null and status = 'queued'`, [customer.id]);
    return { customerId: customer.id as string, executionId: execution.id as string, ...dates };
  }));
});

afterAll(async () => {
  await fixture?.remove();
});

describe('forecast and retention through supabase-js', () => {
  it('derives, sets, records and measures', async () => {
    const csm = await fixture.signIn();
    const first = await csm.rpc('get_renewal_forecast', { period_start: q0, period_end: q1 });
    expect(first.error).toBeNull();
    expect(first.data.items).toEqual([expect.objectContaining({
      execution_id: executionId, category: 'probable', category_source: 'derived', current_arr: 100000, forecast_arr: 100000,
    })]);

    const set = await csm.rpc('set_renewal_forecast', { execution_id: executionId, category: 'commit', forecast_arr: 120000, note: 'Signed quote' });
    expect(set.error).toBeNull();
    expect(set.data).toMatchObject({ category: 'commit', forecast_arr: 120000, set_by: fixture.csmId });
    const afterSet = await csm.rpc('get_renewal_forecast', { period_start: q0, period_end: q1 });
    expect(afterSet.data.by_category[0]).toEqual({ category: 'commit', state: 'open', count: 1, current_arr: 100000, forecast_arr: 120000 });
    const history = await withDb((db) => db.query('select category, changed_by, note from app.renewal_forecast_history where customer_id = $1', [customerId]));
    expect(history.rows).toEqual([{ category: 'commit', changed_by: fixture.csmId, note: 'Signed quote' }]);

    const refused = await csm.rpc('record_renewal_outcome', { execution_id: executionId, outcome: 'renewed', new_arr: 90000 });
    expect(refused.error?.code).toBe('22023');
    const outcome = await csm.rpc('record_renewal_outcome', { execution_id: executionId, outcome: 'renewed', new_arr: 125000 });
    expect(outcome.error).toBeNull();
    expect(outcome.data).toMatchObject({ outcome: 'renewed', previous_arr: 100000, new_arr: 125000, forecast_category: 'commit' });
    const closed = await csm.rpc('get_renewal_forecast', { period_start: q0, period_end: q1 });
    expect(closed.data.totals.open.count).toBe(0);
    expect(closed.data.items).toEqual([expect.objectContaining({ state: 'closed', category: 'renewed', current_arr: 100000, forecast_arr: 125000 })]);

    const retention = await csm.rpc('get_retention_metrics', { period_start: m0, period_end: m1 });
    expect(retention.error).toBeNull();
    expect(retention.data).toMatchObject({ customers: 1, starting_arr: 100000, expansion: 25000, contraction: 0, churn: 0, grr: 1, nrr: 1.25 });
    expect(retention.data.series).toHaveLength(12);
    expect(retention.data.series.at(-1)).toMatchObject({ expansion: 25000, trailing_12_months: { starting_arr: 100000, nrr: 1.25 } });
  });

  it('keeps the forecast inside its organisation and refuses anon', async () => {
    const other = await signedInAs('otherCsm');
    const seen = await other.rpc('get_renewal_forecast', { period_start: q0, period_end: q1 });
    expect(seen.error).toBeNull();
    expect(JSON.stringify(seen.data.items)).not.toContain(customerId);
    const set = await other.rpc('set_renewal_forecast', { execution_id: executionId, category: 'churn_expected' });
    expect(set.error?.code).toBe('PT404');
    const anon = await anonClient().rpc('get_retention_metrics', { period_start: m0, period_end: m1 });
    expect(anon.error).not.toBeNull();
    expect(anon.status).toBe(401);
  });
});
