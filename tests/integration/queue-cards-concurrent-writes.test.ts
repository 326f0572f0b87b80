// Two transactions changing one queue card's inputs at the same time
// (docs/workflow-engine.md "Cards and rendered stats"):
// - a customer's new opportunity score (shown on the card, copied to no execution row) and
//   a snooze of one of its executions: both list the card for the job before rendering it,
//   so the second waits for the first to commit and renders what it committed;
// - an execution opened while its customer changes: the new card is rendered from the
//   customer as committed (the change it cannot see yet), and the 'render-queue-cards'
//   job, for which it was listed, renders it again from the committed rows.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stack, withDb } from '../support/stack.ts';

const tag = `QC${randomUUID().slice(0, 8)}`;
let customerId: string;
let executionId: string;

/** The card of the execution as the item it becomes, without the day's fields. */
async function card(db: pg.Client, id: string): Promise<{ status: string; customer: { opportunity_score: number | null } }> {
  const { rows } = await db.query<{ item: { status: string; customer: { opportunity_score: number | null } } }>(
    `select (k.head || '}' || k.tail || '}')::jsonb as item from app.queue_cards k where k.execution_id = $1`, [id]);
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

/** A second connection in a transaction of its own. */
async function transaction(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: stack.dbUrl });
  await client.connect();
  await client.query('begin');
  return client;
}

describe('a queue card whose inputs change in two transactions at once', () => {
  it('is rendered by the second after the first commits, when both change its inputs', async () => {
    const rescoring = await transaction();
    const snoozing = await transaction();
    try {
      await rescoring.query('update app.customers set opportunity_score = 90 where id = $1', [customerId]);
      // The score moves no priority here: the execution row itself is not touched, so only
      // the card's list entry makes the other transaction wait.
      const { rows: [touched] } = await rescoring.query<{ n: number }>(
        `select count(*)::int as n from app.workflow_executions where id = $1 and xmin::text = txid_current()::text`, [executionId]);
      expect(touched!.n).toBe(0);
      let snoozed = false;
      const snooze = snoozing.query(
        `update app.workflow_executions set status = 'snoozed', snoozed_until = now() + interval '2 days' where id = $1`,
        [executionId]).then(() => { snoozed = true; });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(snoozed).toBe(false);
      await rescoring.query('commit');
      await snooze;
      await snoozing.query('commit');
    } finally {
      await rescoring.end();
      await snoozing.end();
    }
    await withDb(async (db) => {
      const item = await card(db, executionId);
      expect(item.status).toBe('snoozed');
      expect(item.customer.opportunity_score).toBe(90);
    });
  }, 60_000);

  it('may be rendered from what the other had not committed when it is new, and the job puts it right', async () => {
    const rescoring = await transaction();
    const opening = await transaction();
    // Holds the new card's list entry from the moment it is committed, so the minutely
    // 'render-queue-cards' job of this stack skips it (it skips entries others hold) and the
    // stale card can be seen before this connection runs the job itself.
    const checking = await transaction();
    try {
      await rescoring.query('update app.customers set opportunity_score = 40 where id = $1', [customerId]);
      // Not waiting for the other: the new execution has no list entry the other holds.
      const { rows: [opened] } = await opening.query<{ id: string }>(
        `insert into app.workflow_executions (org_id, customer_id, workflow_id, workflow_version_id, assigned_to, status)
         select x.org_id, x.customer_id, w.id, (select v.id from app.workflow_versions v where v.workflow_id = w.id order by v.version desc limit 1),
                x.assigned_to, 'queued'
           from app.workflow_executions x
           join app.workflows w on w.key = 'health-check' and w.org_id is null
          where x.id = $1
         returning id`, [executionId]);
      await opening.query('commit');
      const { rows: listed } = await checking.query(
        'select 1 from app.queue_cards_due where execution_id = $1 for update', [opened!.id]);
      expect(listed).toHaveLength(1);
      await rescoring.query('commit');
      // The race this test is about: the new card shows the score it could see.
      expect((await card(checking, opened!.id)).customer.opportunity_score).toBe(90);
      await checking.query('select app.queue_cards_render_due()');
      expect((await card(checking, opened!.id)).customer.opportunity_score).toBe(40);
      await checking.query('commit');
    } finally {
      await rescoring.end();
      await opening.end();
      await checking.end();
    }
  }, 60_000);
});
