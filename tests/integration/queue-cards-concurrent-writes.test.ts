// Two transactions changing one queue card's inputs at the same time: a customer's new
// opportunity score (shown on the card, copied to no execution row) and a snooze of one of
// its executions. Each renders the card from what the other has not committed and the
// later write wins, so right after both commit the card shows the old score; the
// 'render-queue-cards' job, for which both listed the card, renders it again from the
// committed rows (docs/workflow-engine.md "Cards and rendered stats").
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stack, withDb } from '../support/stack.ts';

const tag = `QC${randomUUID().slice(0, 8)}`;
let customerId: string;
let executionId: string;

/** The card of the execution as the item it becomes, without the day's fields. */
async function card(db: pg.Client): Promise<{ status: string; customer: { opportunity_score: number | null } }> {
  const { rows } = await db.query<{ item: { status: string; customer: { opportunity_score: number | null } } }>(
    `select (k.head || '}' || k.tail || '}')::jsonb as item from app.queue_cards k where k.execution_id = $1`, [executionId]);
  return rows[0]!.item;
}

beforeAll(async () => {
  [customerId, executionId] = await withDb(async (db) => {
    const { rows: [org] } = await db.query<{ org_id: string; id: string }>(
      `select p.org_id, p.id from app.profiles p where p.role = 'csm' order by p.email limit 1`);
    const { rows: [customer] } = await db.query<{ id: string }>(
      `insert into app.customers (org_id, name, domain, arr, health_score, renewal_date, opportunity_score, assigned_to)
       values ($1, $2, $3, 40000, 60, app.organisation_today($1) + 45, 10, $4) returning id`,
      [org!.org_id, `${tag} Co`, `${tag.toLowerCase()}.example`, org!.id]);
    const { rows: [execution] } = await db.query<{ id: string }>(
      `insert into app.workflow_executions (org_id, customer_id, workflow_id, workflow_version_id, assigned_to, status)
       select $1, $2, w.id, (select v.id from app.workflow_versions v where v.workflow_id = w.id order by v.version desc limit 1), $3, 'queued'
         from app.workflows w where w.key = 'risk-intervention' and w.org_id is null
       returning id`, [org!.org_id, customer!.id, org!.id]);
    return [customer!.id, execution!.id];
  });
});

afterAll(async () => {
  await withDb((db) => db.query('delete from app.customers where id = $1', [customerId]));
});

describe('a queue card whose customer and execution change at the same time', () => {
  it('may be written from what the other had not committed, and the job puts it right', async () => {
    const rescoring = new pg.Client({ connectionString: stack.dbUrl });
    const starting = new pg.Client({ connectionString: stack.dbUrl });
    await rescoring.connect();
    await starting.connect();
    try {
      await rescoring.query('begin');
      await rescoring.query('update app.customers set opportunity_score = 90 where id = $1', [customerId]);
      // The score moves no priority here: the execution row itself is not touched, so the
      // other transaction does not wait for this one before it renders.
      const { rows: [touched] } = await rescoring.query<{ n: number }>(
        `select count(*)::int as n from app.workflow_executions where id = $1 and xmin::text = txid_current()::text`, [executionId]);
      expect(touched!.n).toBe(0);
      await starting.query('begin');
      // Renders the card from the committed (old) score, then waits for the other's card row.
      const startingUpdate = starting.query(
        `update app.workflow_executions set status = 'snoozed', snoozed_until = now() + interval '2 days' where id = $1`, [executionId]);
      await new Promise((resolve) => setTimeout(resolve, 300));
      await rescoring.query('commit');
      await startingUpdate;
      await starting.query('commit');
    } finally {
      await rescoring.end();
      await starting.end();
    }
    await withDb(async (db) => {
      const raced = await card(db);
      expect(raced.status).toBe('snoozed');
      // The race this test is about: the later write rendered the score it could see.
      expect(raced.customer.opportunity_score).toBe(10);
      const { rows: [listed] } = await db.query<{ n: number }>(
        'select count(*)::int as n from app.queue_cards_due where execution_id = $1', [executionId]);
      expect(listed!.n).toBe(1);
      await db.query('select app.queue_cards_render_due()');
      const healed = await card(db);
      expect(healed.customer.opportunity_score).toBe(90);
      expect(healed.status).toBe('snoozed');
    });
  }, 60_000);
});
