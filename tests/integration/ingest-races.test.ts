// A delivery changing a customer while its CSM acts on the customer's workflow
// (docs/workflow-engine.md "Locks": customer before its renewals; migration 20261207303000).
// Ingest locked the customers it names `for update` before writing them; a change of score
// then re-ranks the customer's open workflows, so it waited for a workflow an action held.
// The action, holding that workflow, then wrote a row pointing at the customer (a task, a
// meeting, its log entry), whose foreign key waits for a key share on the customer: `for
// update` refuses it, and the two deadlocked (40P01; the delivery answered 500 and the CRM
// sent it again later). Ingest now locks them `for no key update`, as the orchestrator, a
// contract's confirmation and a renewal's outcome do: a row pointing at the customer does
// not wait for it, so the action finishes and the delivery follows.
// The action is held open for real on a direct connection (as the CSM) while the delivery
// goes through the ingest function.
// Two deliveries of one ticket at once, the later version first (migration 20261207704000):
// the earlier one, a retry arriving late, waited for the first and then replaced it, reopening
// a closed ticket; now an event with an external id keeps its latest version (its timestamp,
// else its occurred_at), whatever order the deliveries commit in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedHeaders } from '../../functions-shared/webhooks/standard-webhooks.ts';
import { stack, withDb } from '../support/stack.ts';
import { release, stillWaiting, transactionAs } from '../support/held-transactions.ts';
import { createFixtureOrg, type FixtureOrg } from './ingest-fixtures.ts';

let fixture: FixtureOrg;
let customerId: string;
let executionId: string;

async function deliver(events: unknown[]): Promise<{ status: number; body: unknown }> {
  const text = JSON.stringify({ type: 'batch', events });
  const headers = await signedHeaders(fixture.secret, `msg_${crypto.randomUUID()}`, text);
  const response = await fetch(`${stack.url}/functions/v1/ingest/${fixture.slug}`,
    { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: text });
  return { status: response.status, body: await response.json() };
}

beforeAll(async () => {
  fixture = await createFixtureOrg('ingest-races');
  const created = await deliver([{ type: 'customer.upserted', data: {
    external_id: 'northwind', name: 'Northwind', arr: 120000, health_score: 80, renewal_date: '2027-01-15', csm_email: fixture.csmEmail,
  } }]);
  expect(created.status).toBe(200);
  ({ customerId, executionId } = await withDb(async (db) => {
    await db.query(`update app.customers set renewal_date = app.organisation_today(org_id) + 40 where org_id = $1`, [fixture.orgId]);
    await db.query('select app.run_orchestrator_for_org($1)', [fixture.orgId]);
    const { rows: [e] } = await db.query<{ customerId: string; executionId: string }>(
      `select e.customer_id as "customerId", e.id as "executionId" from app.workflow_executions e
        where e.org_id = $1 and e.renewal_stage is not null and e.status = 'queued'`, [fixture.orgId]);
    return e!;
  }));
});

afterAll(async () => {
  await fixture?.remove();
});

describe('a delivery while the CSM acts on the customer', () => {
  it('waits for the action instead of deadlocking with it, and both are applied', async () => {
    const acting = await transactionAs(fixture.csmId);
    try {
      // An action takes the CSM's workload, then the workflow's row (app.lock_workable_execution) ...
      await acting.query(`select pg_advisory_xact_lock(hashtextextended('renubu.workload:' || $1, 0))`, [fixture.csmId]);
      await acting.query('select 1 from app.workflow_executions where id = $1 for no key update', [executionId]);
      // ... while the CRM reports a lower health score, which re-ranks that workflow.
      const delivered = deliver([{ type: 'customer.upserted', data: { external_id: 'northwind', health_score: 35 } }]);
      expect(await stillWaiting(delivered)).toBe(true);
      // The action then writes a task of the customer: its foreign key takes a key share on the customer.
      const task = await acting.query(
        `select public.create_task('Call the sponsor', $1, execution_id => $2, due_date => '2031-01-05') ->> 'title' as title`,
        [customerId, executionId]).then((r) => r.rows[0]!.title as string, (error: { code?: string }) => `error ${error.code}`);
      await acting.query('commit');
      expect(task).toBe('Call the sponsor');
      expect((await delivered).status).toBe(200);
    } finally {
      await release(acting);
    }
    const customer = await withDb((db) => db.query('select health_score from app.customers where id = $1', [customerId]));
    expect(customer.rows).toEqual([{ health_score: 35 }]);
  });
});

describe('two versions of a ticket delivered at once, the later first', () => {
  const ticket = (status: string, occurredAt: string) => ({ type: 'engagement.event', data: {
    customer_external_id: 'northwind', external_id: 'ticket-4711', event_type: 'support_ticket', ticket_status: status, occurred_at: occurredAt,
  } });

  it('keeps the later version: the earlier one, delivered late, does not reopen the ticket', async () => {
    const first = await transactionAs('service_role');
    try {
      // The ticket's "closed" (10:00) is being applied ...
      await first.query(`select public.ingest_apply_batch($1, $2, $3::jsonb)`,
        [fixture.orgId, `msg_${crypto.randomUUID()}`, JSON.stringify([ticket('closed', '2026-11-20T10:00:00Z')])]);
      // ... when its "open" (09:00), retried late by the support desk, arrives.
      const late = deliver([ticket('open', '2026-11-20T09:00:00Z')]);
      expect(await stillWaiting(late)).toBe(true);
      await first.query('commit');
      const answer = await late;
      expect({ status: answer.status, engagement: (answer.body as { applied?: { engagement_events?: number } }).applied?.engagement_events })
        .toEqual({ status: 200, engagement: 0 });
    } finally {
      await release(first);
    }
    const stored = await withDb((db) => db.query(
      `select ticket_status from app.engagement_events where org_id = $1 and external_id = 'ticket-4711'`, [fixture.orgId]));
    expect(stored.rows).toEqual([{ ticket_status: 'closed' }]);
  });
});


// Two changes of one customer at once, the later first (migration 20261211000000): the older
// delivery, a retry arriving late, waited for the first and then put its older name and CSM
// back (the last delivery won). Now each field keeps its latest time, so the late retry
// applies only what nothing later has set (here the industry).
describe('two changes of a customer delivered at once, the later first', () => {
  const change = (timestamp: string, data: Record<string, unknown>) =>
    ({ type: 'customer.upserted', timestamp, data: { external_id: 'contoso', ...data } });

  it('keeps the later fields and applies the late retry only where nothing later was', async () => {
    expect((await deliver([change('2026-11-20T08:00:00Z', { name: 'Contoso', arr: 120000 })])).status).toBe(200);
    const first = await transactionAs('service_role');
    try {
      // The rename (10:00) is being applied ...
      await first.query(`select public.ingest_apply_batch($1, $2, $3::jsonb)`,
        [fixture.orgId, `msg_${crypto.randomUUID()}`, JSON.stringify([change('2026-11-20T10:00:00Z', { name: 'Contoso Group', arr: 180000 })])]);
      // ... when the CRM's 09:00 change, retried late, arrives.
      const late = deliver([change('2026-11-20T09:00:00Z', { name: 'Contoso', arr: 150000, industry: 'Logistics' })]);
      expect(await stillWaiting(late)).toBe(true);
      await first.query('commit');
      expect((await late).status).toBe(200);
    } finally {
      await release(first);
    }
    const stored = await withDb((db) => db.query(
      `select name, arr::float8 as arr, industry from app.customers where org_id = $1 and external_id = 'contoso'`, [fixture.orgId]));
    expect(stored.rows).toEqual([{ name: 'Contoso Group', arr: 180000, industry: 'Logistics' }]);
  });
});
