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
// - The same for a task's and a draft's writers waiting for the task's or the draft's row
//   (they answered 200 with an empty task, and "deleted": true with the draft still there),
//   and for a renewal's forecast (it wrote the forecast on a renewal no longer the CSM's;
//   migration 20261206234000).
import type pg from 'pg';
import type { SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withDb } from '../support/stack.ts';
import { release, sent, stillWaiting, transactionAs } from '../support/held-transactions.ts';
import { createFixtureOrg, type FixtureOrg } from './ingest-fixtures.ts';

let fixture: FixtureOrg;
let csm: SupabaseClient;
let otherCsmId: string;
/** An open renewal execution of each customer, by name. */
const workflow: Record<string, string> = {};
const NAMES = ['Shared', 'Crowded', 'Moved', 'Returned', 'Tasked', 'Drafted', 'Forecast'];

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

const addTask = (executionId: string, title: string) => sent(csm.rpc('execute_action', {
  action_key: 'create_task', execution_id: executionId, params: { title, due_date: '2031-01-20' },
}));

/** Takes the CSM's workload lock (as every writer of their workflows does first) on `client`. */
const takeWorkloadLock = (client: pg.Client, personId: string) =>
  client.query(`select pg_advisory_xact_lock(hashtextextended('renubu.workload:' || $1, 0))`, [personId]);

describe('a workflow locked by its writers', () => {
  it('does not hold an action up for a key share on its row, so it cannot deadlock', async () => {
    const executionId = workflow.Shared!;
    const holding = await transactionAs(null);
    try {
      // What a row pointing at the workflow holds until its transaction ends.
      await holding.query('select 1 from app.workflow_executions where id = $1 for key share', [executionId]);
      const { call, answer } = addTask(executionId, 'Call the champion');
      // Not waiting: answered while the key share is still held. A call blocked by it could not
      // answer before the holder commits, so the long bound only matters on a loaded machine,
      // where an unblocked call has taken more than the default half second (CI at load 15).
      expect(await stillWaiting(call, 15_000)).toBe(false);
      expect((await answer).code).toBeNull();
      // The holder may now take the workload lock: nobody waits for it in turn.
      await takeWorkloadLock(holding, fixture.csmId);
      await holding.query('commit');
    } finally {
      await release(holding);
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
    const holding = await transactionAs(null);
    try {
      await takeWorkloadLock(holding, fixture.csmId);
      const { call, answer } = sent(csm.rpc('cancel_workflow', { execution_id: executionId, reason: 'Not needed any more' }));
      expect(await stillWaiting(call)).toBe(true);
      await withDb((db) => db.query(move, [executionId, ...params]));
      await holding.query('rollback');
      return await answer;
    } finally {
      await release(holding);
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

  it("refuses a forecast by a CSM whose renewal went to another CSM while the call waited", async () => {
    const executionId = workflow.Forecast!;
    const holding = await transactionAs(null);
    try {
      await takeWorkloadLock(holding, fixture.csmId);
      const { call, answer } = sent(csm.rpc('set_renewal_forecast', { execution_id: executionId, category: 'commit' }));
      expect(await stillWaiting(call)).toBe(true);
      await withDb((db) => db.query('update app.workflow_executions set assigned_to = $2 where id = $1', [executionId, otherCsmId]));
      await holding.query('rollback');
      expect((await answer).code).toBe('42501');
    } finally {
      await release(holding);
    }
    const forecasts = await withDb((db) => db.query('select category from app.renewal_forecasts where execution_id = $1', [executionId]));
    expect(forecasts.rows).toEqual([]);
  });

  it('answers a conflict when the workflow was handed back to the team while the call waited', async () => {
    const executionId = workflow.Returned!;
    const { code, message } = await cancelWhile(executionId,
      'update app.workflow_executions set assigned_to = null where id = $1', []);
    expect({ code, message }).toEqual({ code: 'PT409', message: 'This workflow was reassigned while you were acting' });
    expect(await statusOf(executionId)).toEqual({ status: 'queued', assigned_to: null });
  });

  /** Holds `table`'s row `id` while the CSM's `call` waits for it and the workflow goes to the other CSM. */
  async function whileMovedAway(table: string, id: string, executionId: string, call: () => ReturnType<typeof sent>) {
    const holding = await transactionAs(null);
    try {
      await holding.query(`select 1 from app.${table} where id = $1 for update`, [id]);
      const { call: waiting, answer } = call();
      expect(await stillWaiting(waiting)).toBe(true);
      await withDb((db) => db.query('update app.workflow_executions set assigned_to = $2 where id = $1', [executionId, otherCsmId]));
      await holding.query('rollback');
      return await answer;
    } finally {
      await release(holding);
    }
  }

  it("refuses a task's change by a CSM whose workflow went to another CSM while the call waited", async () => {
    const executionId = workflow.Tasked!;
    // The task is the other CSM's: the CSM may act on it only through the workflow.
    const taskId = await withDb(async (db) => (await db.query<{ id: string }>(
      `insert into app.workflow_tasks (org_id, customer_id, execution_id, title, assigned_to, created_by)
       select e.org_id, e.customer_id, e.id, 'Send the quote', $2, $3 from app.workflow_executions e where e.id = $1
       returning id`, [executionId, otherCsmId, fixture.csmId])).rows[0]!.id);
    const { code } = await whileMovedAway('workflow_tasks', taskId, executionId,
      () => sent(csm.rpc('act_on_task', { task_id: taskId, action: 'complete' })));
    expect(code).toBe('42501');
    const task = await withDb((db) => db.query('select status from app.workflow_tasks where id = $1', [taskId]));
    expect(task.rows).toEqual([{ status: 'pending' }]);
  });

  it("refuses a draft's deletion by a CSM whose workflow went to another CSM while the call waited", async () => {
    const executionId = workflow.Drafted!;
    const created = await csm.rpc('create_artifact', {
      execution_id: executionId, artifact_type: 'meeting_notes', title: 'Kick-off notes', content: { text: 'Agreed next steps' },
    });
    expect(created.error).toBeNull();
    const artifactId = (created.data as { id: string }).id;
    const { code } = await whileMovedAway('workflow_task_artifacts', artifactId, executionId,
      () => sent(csm.rpc('delete_artifact', { artifact_id: artifactId })));
    expect(code).toBe('42501');
    const kept = await withDb((db) => db.query('select title from app.workflow_task_artifacts where id = $1', [artifactId]));
    expect(kept.rows).toEqual([{ title: 'Kick-off notes' }]);
  });
});
