// How the RPCs that change a workflow lock it (docs/workflow-engine.md "Locks", migration
// 20261206225000): the assignee's workload, then the row `for no key update`, then who may
// act asked again on the locked row. Each race is held open for real on a direct
// connection while the CSM's call goes through supabase-js.
// - A key share on the workflow's row (what a task, a log entry, a proposal or a draft
//   pointing at it takes) does not hold an action up: with `for update` the action waited
//   for it, and a key-share holder that then waited for the workload lock deadlocked with
//   it (40P01, a 500). Several actions on one workflow at once all succeed.
// - A CSM's call waiting for the workload lock while a reassignment commits answers for the
//   workflow as it is then: 42501 when it went to another CSM (it answered 200 with null and
//   changed nothing), PT409 when it was only handed back to the team; nothing is written.
import pg from 'pg';
import type { SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stack, withDb } from '../support/stack.ts';
import { createFixtureOrg, type FixtureOrg } from './ingest-fixtures.ts';

let fixture: FixtureOrg;
let csm: SupabaseClient;
let otherCsmId: string;
/** An open renewal execution of each customer, by name. */
const workflow: Record<string, string> = {};
const NAMES = ['Shared', 'Crowded', 'Moved', 'Returned'];

beforeAll(async () => {
  fixture = await createFixtureOrg('lock-races');
  await withDb(async (db) => {
    const { rows: [other] } = await db.query<{ id: string }>(
      `with u as (
         insert into auth.users (instance_id, id, aud, role, email, raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
         values ('00000000-0000-0000-0000-000000000000', gen_random_uuid(), 'authenticated', 'authenticated',
                 'other-' || $2 || '@lock-races.test', '{}', '{}', now(), now())
         returning id)
       insert into app.profiles (id, org_id, role, full_name, email)
       select u.id, $1, 'csm', 'Other Csm', 'other-' || $2 || '@lock-races.test' from u returning id`,
      [fixture.orgId, fixture.slug]);
    otherCsmId = other!.id;
    for (const name of NAMES) {
      await db.query(
        `insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
         values ($1, $2, 100000, 80, app.organisation_today($1) + 40, $3)`, [fixture.orgId, name, fixture.csmId]);
    }
    await db.query('select app.run_orchestrator_for_org($1)', [fixture.orgId]);
    const { rows } = await db.query<{ name: string; execution_id: string }>(
      `select c.name, e.id as execution_id
         from app.customers c join app.workflow_executions e on e.customer_id = c.id
        where c.org_id = $1 and e.renewal_stage is not null and e.status = 'queued'`, [fixture.orgId]);
    for (const r of rows) workflow[r.name] = r.execution_id;
  });
  expect(Object.keys(workflow).sort()).toEqual([...NAMES].sort());
  csm = await fixture.signIn();
});

afterAll(async () => {
  await fixture?.remove();
  if (otherCsmId) await withDb((db) => db.query('delete from auth.users where id = $1', [otherCsmId]));
});

/** A direct connection in a transaction of its own, as the database owner. */
async function transaction(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: stack.dbUrl });
  await client.connect();
  await client.query('begin');
  return client;
}

/** Whether a call is still unanswered after a moment (waiting for a lock). */
async function stillWaiting(call: Promise<unknown>): Promise<boolean> {
  const waited = Symbol('waited');
  return (await Promise.race([call.then(() => null, () => null), new Promise((resolve) => setTimeout(() => resolve(waited), 500))])) === waited;
}

/** A supabase-js call sent now (a builder sends again each time it is awaited), with its answer. */
function sent(builder: PromiseLike<{ data: unknown; error: { code?: string; message: string } | null }>) {
  const call = Promise.resolve(builder);
  return { call, answer: call.then(({ error, data }) => ({ code: error?.code ?? null, message: error?.message ?? null, data })) };
}

const addTask = (executionId: string, title: string) => sent(csm.rpc('execute_action', {
  action_key: 'create_task', execution_id: executionId, params: { title, due_date: '2027-01-20' },
}));

/** Takes the CSM's workload lock (as every writer of their workflows does first) on `client`. */
const takeWorkloadLock = (client: pg.Client, personId: string) =>
  client.query(`select pg_advisory_xact_lock(hashtextextended('renubu.workload:' || $1, 0))`, [personId]);

describe('a workflow locked by its writers', () => {
  it('does not hold an action up for a key share on its row, so it cannot deadlock', async () => {
    const executionId = workflow.Shared!;
    const holding = await transaction();
    try {
      // What a row pointing at the workflow holds until its transaction ends.
      await holding.query('select 1 from app.workflow_executions where id = $1 for key share', [executionId]);
      const { call, answer } = addTask(executionId, 'Call the champion');
      expect(await stillWaiting(call)).toBe(false);
      expect((await answer).code).toBeNull();
      // The holder may now take the workload lock: nobody waits for it in turn.
      await takeWorkloadLock(holding, fixture.csmId);
      await holding.query('commit');
    } finally {
      await holding.query('rollback').catch(() => undefined);
      await holding.end();
    }
    const tasks = await withDb((db) => db.query('select title from app.workflow_tasks where execution_id = $1', [executionId]));
    expect(tasks.rows).toEqual([{ title: 'Call the champion' }]);
  });

  it('takes several actions on one workflow at once, each exactly once', async () => {
    const executionId = workflow.Crowded!;
    const titles = Array.from({ length: 8 }, (_, i) => `Follow-up ${i + 1}`);
    const answers = await Promise.all(titles.map((title) => addTask(executionId, title).answer));
    expect(answers.map((a) => a.code)).toEqual(titles.map(() => null));
    const tasks = await withDb((db) => db.query<{ title: string }>(
      'select title from app.workflow_tasks where execution_id = $1 order by title', [executionId]));
    expect(tasks.rows.map((r) => r.title)).toEqual([...titles].sort());
  });

  /** The CSM cancels while their workload lock is held; `move` (SQL, $1 the execution) commits meanwhile. */
  async function cancelWhile(executionId: string, move: string, params: unknown[]) {
    const holding = await transaction();
    try {
      await takeWorkloadLock(holding, fixture.csmId);
      const { call, answer } = sent(csm.rpc('cancel_workflow', { execution_id: executionId, reason: 'Not needed any more' }));
      expect(await stillWaiting(call)).toBe(true);
      await withDb((db) => db.query(move, [executionId, ...params]));
      await holding.query('rollback');
      return await answer;
    } finally {
      await holding.query('rollback').catch(() => undefined);
      await holding.end();
    }
  }

  const statusOf = (executionId: string) => withDb(async (db) =>
    (await db.query('select status, assigned_to from app.workflow_executions where id = $1', [executionId])).rows[0]);

  it('refuses a CSM whose workflow went to another CSM while the call waited', async () => {
    const executionId = workflow.Moved!;
    const { code, data } = await cancelWhile(executionId,
      'update app.workflow_executions set assigned_to = $2 where id = $1', [otherCsmId]);
    expect({ code, data }).toEqual({ code: '42501', data: null });
    expect(await statusOf(executionId)).toEqual({ status: 'queued', assigned_to: otherCsmId });
  });

  it('answers a conflict when the workflow was handed back to the team while the call waited', async () => {
    const executionId = workflow.Returned!;
    const { code, message } = await cancelWhile(executionId,
      'update app.workflow_executions set assigned_to = null where id = $1', []);
    expect({ code, message }).toEqual({ code: 'PT409', message: 'This workflow was reassigned while you were acting' });
    expect(await statusOf(executionId)).toEqual({ status: 'queued', assigned_to: null });
  });
});
