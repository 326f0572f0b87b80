// A customer's hand-over that finds its CSM changed while it waited takes no lock out of the
// order every writer takes them in (the people's workloads in id order, then the rows), so it
// never deadlocks with a writer that keeps that order. Before, reassign_customer locked the
// workloads of the CSM it read and of the new CSM, then the customer, and, finding another
// hand-over had given the customer to someone else meanwhile, locked that person's workload
// too, after the others: a writer holding that person's workload and waiting for the first
// CSM's was a cycle, and one of the two failed with 500 40P01 "deadlock detected"
// (seen as 15 deadlocks in 8 rounds of hand_over_work and reassign_customer sent at once).
// And a hand-over locked its customers `for update`, which refuses the key share a row pointing
// at the customer takes: someone acting on the customer's unassigned workflow, which the
// hand-over brings to the new CSM, deadlocked with it when they wrote a task for the customer
// (500 40P01); it locks them `for no key update`, as every writer of a customer does.
// A CSM changed meanwhile by something else (an ingested csm_email) is the one conflict (409);
// a customer touched meanwhile in any other way is handed over: only its CSM is compared.
// Here the races are held open step by step on direct connections.
import type { SupabaseClient } from '@supabase/supabase-js';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withDb } from '../support/stack.ts';
import { release, sent, stillWaiting, transactionAs } from '../support/held-transactions.ts';
import { createFixtureOrg, type FixtureOrg } from './ingest-fixtures.ts';

let fixture: FixtureOrg;
let manager: SupabaseClient;
/** Three CSMs, named by where their ids sort: the workload locks are taken in id order. */
let first: string, second: string, third: string;
let customerId: string;

beforeAll(async () => {
  fixture = await createFixtureOrg('hand-over-locks');
  const ids = await withDb(async (db) => {
    await db.query(`update app.profiles set role = 'manager' where id = $1`, [fixture.csmId]);
    const made: string[] = [];
    for (const name of ['Ann', 'Bob', 'Cid']) {
      const { rows: [p] } = await db.query<{ id: string }>(
        `with u as (
           insert into auth.users (instance_id, id, aud, role, email, raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
           values ('00000000-0000-0000-0000-000000000000', gen_random_uuid(), 'authenticated', 'authenticated',
                   lower($2) || '-' || $3 || '@hand-over-locks.test', '{}', '{}', now(), now())
           returning id)
         insert into app.profiles (id, org_id, role, full_name, email)
         select u.id, $1, 'csm', $2, lower($2) || '-' || $3 || '@hand-over-locks.test' from u returning id`,
        [fixture.orgId, name, fixture.slug]);
      made.push(p!.id);
    }
    return made.sort();
  });
  [first, second, third] = ids as [string, string, string];
  customerId = await withDb(async (db) => (await db.query<{ id: string }>(
    `insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
     values ($1, 'Locked', 100000, 80, app.organisation_today($1) + 40, $2) returning id`, [fixture.orgId, second])).rows[0]!.id);
  manager = await fixture.signIn();
});

afterAll(async () => {
  await fixture?.remove();
  const ids = [first, second, third].filter(Boolean);
  if (ids.length) await withDb((db) => db.query('delete from auth.users where id = any($1)', [ids]));
});

/** Until a backend other than the held transactions waits for `person`'s workload lock: the API's request. */
async function waitsForWorkloadOf(person: string, ...held: pg.Client[]): Promise<void> {
  const pids = await Promise.all(held.map(async (client) => (await client.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid));
  for (let tries = 0; tries < 400; tries += 1) {
    const found = await withDb(async (db) => (await db.query<{ found: boolean }>(
      `select exists (
         select 1
           from (select pg_catalog.hashtextextended('renubu.workload:' || $1, 0) as k) key
           join pg_locks l on l.locktype = 'advisory' and not l.granted and not l.pid = any($2)
                          and l.classid = ((key.k >> 32) & 4294967295)::oid and l.objid = (key.k & 4294967295)::oid) as found`,
      [person, pids])).rows[0]!.found);
    if (found) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`no request waited for the workload of ${person}`);
}

describe('a customer handed over while its CSM changes', () => {
  it('by another hand-over: waits its turn and hands it over from its new CSM; a writer keeping the lock order is not deadlocked', async () => {
    // Another manager hands the customer from `second` to `first`, uncommitted.
    const earlier = await transactionAs(fixture.csmId);
    // A writer holding `third`'s workload (as a reassignment to them would), uncommitted.
    const holdingThird = await transactionAs(null);
    // A writer that will take `first`'s workload, then `second`'s: the order every writer keeps.
    const orderly = await transactionAs(null);
    try {
      await earlier.query('select public.reassign_customer($1, $2, $3)', [customerId, first, 'Bob leaves']);
      await holdingThird.query('select app.lock_assignee_workload($1)', [third]);
      const { call, answer } = sent(manager.rpc('reassign_customer', { customer_id: customerId, assignee_id: third, reason: 'Cid knows them' }));
      expect(await stillWaiting(call)).toBe(true);

      await earlier.query('commit');
      await waitsForWorkloadOf(third, earlier, holdingThird, orderly);
      const orderlyDone = orderly.query('select app.lock_workloads_of($1, $2)', [first, second]).then(() => null, (error: { code?: string }) => error.code ?? 'error');
      expect(await stillWaiting(orderlyDone, 300)).toBe(true);
      await holdingThird.query('commit');

      expect(await answer).toMatchObject({ code: null, data: { previous_assignee_id: first, assignee_id: third } });
      expect(await orderlyDone).toBeNull();
    } finally {
      await release(earlier);
      await release(holdingThird);
      await release(orderly);
    }
    expect(await csmOf(customerId)).toBe(third);
  });

  it('a CSM changed meanwhile by something else than a hand-over (an ingested csm_email) is 409 and changes nothing', async () => {
    const ingest = await transactionAs(null);
    try {
      await ingest.query('update app.customers set assigned_to = $1 where id = $2', [second, customerId]);
      const { call, answer } = sent(manager.rpc('reassign_customer', { customer_id: customerId, assignee_id: first, reason: 'Ann knows them' }));
      expect(await stillWaiting(call)).toBe(true);
      await ingest.query('commit');
      expect(await answer).toMatchObject({ code: 'PT409', message: 'This customer\'s CSM changed while you were handing it over' });
    } finally {
      await release(ingest);
    }
    expect(await csmOf(customerId)).toBe(second);
  });

  it('a customer touched meanwhile in any other way (an ingest of its ARR, health and name) is handed over: no conflict', async () => {
    const ingest = await transactionAs(null);
    try {
      await ingest.query(`update app.customers set arr = arr + 1000, health_score = 55, name = name || ' Ltd' where id = $1`, [customerId]);
      const { call, answer } = sent(manager.rpc('reassign_customer', { customer_id: customerId, assignee_id: first, reason: 'Ann knows them' }));
      expect(await stillWaiting(call)).toBe(true);
      await ingest.query('commit');
      expect(await answer).toMatchObject({ code: null, data: { previous_assignee_id: second, assignee_id: first } });
    } finally {
      await release(ingest);
    }
    expect(await csmOf(customerId)).toBe(first);
  });
});

describe('a customer handed over while someone works its unassigned workflow', () => {
  it('does not refuse the key share of a row they write for the customer: both go through', async () => {
    const { customer, workflow } = await withDb(async (db) => {
      const { rows: [c] } = await db.query<{ id: string }>(
        `insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
         values ($1, 'Unheld', 100000, 80, app.organisation_today($1) + 40, $2) returning id`, [fixture.orgId, first]);
      await db.query('select app.run_orchestrator_for_org($1)', [fixture.orgId]);
      const { rows: [e] } = await db.query<{ id: string }>(
        `update app.workflow_executions set assigned_to = null
          where customer_id = $1 and status = 'queued' and renewal_stage is not null returning id`, [c!.id]);
      return { customer: c!.id, workflow: e!.id };
    });
    const acting = await transactionAs(fixture.csmId);
    try {
      // Someone acts on the customer's unassigned workflow: its row (nobody's workload to take) ...
      await acting.query('select 1 from app.workflow_executions where id = $1 for no key update', [workflow]);
      // ... while a manager hands the customer over, which brings that workflow to its new CSM.
      const { call, answer } = sent(manager.rpc('reassign_customer', { customer_id: customer, assignee_id: second, reason: 'Bob takes it' }));
      expect(await stillWaiting(call)).toBe(true);
      // The action then writes a task of the customer: its foreign key takes a key share on the customer.
      const task = await acting.query(
        `select public.create_task('Call the sponsor', $1, due_date => '2031-01-05') ->> 'title' as title`, [customer])
        .then((r) => r.rows[0]!.title as string, (error: { code?: string }) => `error ${error.code}`);
      await acting.query('commit');
      expect(task).toBe('Call the sponsor');
      expect(await answer).toMatchObject({ code: null, data: { previous_assignee_id: first, assignee_id: second } });
    } finally {
      await release(acting);
    }
    expect(await csmOf(customer)).toBe(second);
  });
});

const csmOf = (id: string) => withDb(async (db) => (await db.query<{ assigned_to: string }>(
  'select assigned_to from app.customers where id = $1', [id])).rows[0]!.assigned_to);
