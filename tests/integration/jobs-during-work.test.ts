// Every scheduled job runs while people work (pg_cron fires them every minute or hour, and
// `npm test` runs ~10 minutes against a stack whose pg_cron is live). A job that locks rows
// in another order than a person's call can deadlock with it (40P01) and make that call
// fail. This file runs the jobs that write what people's calls write, each in a loop on a
// connection of its own, while a CSM works through the API and an admin and the ingest
// change the same workflows and customers, and asserts that nothing fails. The data gives
// each job work throughout: renewal dates that cross a stage when the re-stamp runs as of
// another day, tasks whose snooze ends, whose window closes or whose flag runs out during
// the test. docs/workflow-engine.md "Lock order" names the rules. (The other jobs write
// rows no call writes in another order: proposals, chat replies, outbox leases, retention
// figures take one row per call or the same order; the two queue render jobs have
// queue-jobs-during-work.test.ts.) The orchestrator runs in the loop too, a full run as of
// today and as of 35 days later in turn, so every other run supersedes, opens and re-stages
// while the CSM works (app.orchestrator_lock_scope takes its locks first).
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SupabaseClient } from '@supabase/supabase-js';
import { stack, withDb } from '../support/stack.ts';
import { createAdminFixtureOrg, type AdminFixtureOrg } from './admin-fixture-org.ts';

const CUSTOMERS = 24;
// The workflows the admin hands over and back (their open tasks move with them) and the
// deadline job works on: each holds tasks whose snooze ends, whose snooze window closes
// and whose flag runs out every TICK_MS, interleaved, for SPAN_MS.
const HOT = 4;
const TICK_MS = 25;
const SPAN_MS = 10_000;

let org: AdminFixtureOrg;
let csm: SupabaseClient;
let admin: SupabaseClient;
let executions: { id: string; customerId: string; externalId: string }[];
let fixtureAt: number;

beforeAll(async () => {
  org = await createAdminFixtureOrg('jobs-work');
  csm = await org.signIn('csm');
  admin = await org.signIn('admin');
  executions = await withDb(async (db) => {
    // Its daily run done (on an empty book, before the fixture): pg_cron's hourly
    // orchestrator job would otherwise open this new organisation's renewals meanwhile.
    await db.query('select app.run_orchestrator_for_org($1)', [org.orgId]);
    // Renewal dates 24 to 116 days out: a re-stamp as of today and one as of 35 days later
    // put most of them in another stage, so each re-stamp re-scores most of the queue.
    await db.query(
      `insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to, external_id)
       select $1, 'Jobs work ' || g, 40000 + g * 7000, 40 + g, app.organisation_today($1) + 20 + 4 * g, $2, 'jobs-work-' || g
         from generate_series(1, $3) g`, [org.orgId, org.csmId, CUSTOMERS]);
    const { rows } = await db.query<{ id: string; customer_id: string; external_id: string }>(
      `insert into app.workflow_executions (org_id, customer_id, workflow_id, workflow_version_id, assigned_to, status, renewal_stage)
       select c.org_id, c.id, w.id, (select v.id from app.workflow_versions v where v.workflow_id = w.id order by v.version desc limit 1),
              c.assigned_to, 'queued', c.renewal_stage
         from app.customers c cross join app.workflows w
        where c.org_id = $1 and w.key = 'engage' and w.org_id is null
        order by c.name
       returning id, customer_id, (select c.external_id from app.customers c where c.id = customer_id)`, [org.orgId]);
    // The tasks of the hot workflows, one of each kind per tick, inserted tick by tick (flag
    // run out, window closed, snooze ended): in one run the job wakes a later row than it
    // flags and skips, and a hand-over moves them all in row order.
    const hot = rows.slice(0, HOT).map((r) => r.id);
    await db.query(
      `insert into app.workflow_tasks (org_id, customer_id, execution_id, title, task_type, priority, assigned_to, created_by,
                                       due_date, status, snoozed_until, first_snoozed_at, force_action, force_action_at)
       select e.org_id, e.customer_id, e.id, 'Deadline ' || m || ' ' || k, 'follow_up', 'medium', e.assigned_to, e.assigned_to,
              now() + interval '3 days', case k when 3 then 'snoozed' else 'pending' end,
              case k when 3 then d.at end,
              case k when 2 then d.at - make_interval(days => s.task_snooze_window_days) when 3 then now() end,
              k = 1,
              case k when 1 then d.at - make_interval(hours => s.task_auto_skip_hours) end
         from unnest($1::uuid[]) h(id)
         join app.workflow_executions e on e.id = h.id
         join app.organisation_settings s on s.org_id = e.org_id
        cross join generate_series(1, $2::integer) m
        cross join generate_series(1, 3) k
        cross join lateral (select now() + make_interval(secs => m * $3::numeric / 1000) as at) d
        order by m, e.id, k`, [hot, Math.ceil(SPAN_MS / TICK_MS), TICK_MS]);
    fixtureAt = Date.now();
    return rows.map((r) => ({ id: r.id, customerId: r.customer_id, externalId: r.external_id }));
  });
});

afterAll(async () => {
  await org?.remove();
});

/** Calls each job in turn, each call a transaction of its own, every TICK_MS until told to
 *  stop; counts the calls that had work while people were working, collects errors. */
function runJobsUntil(stopped: () => boolean, working: () => boolean,
                      jobs: { name: string; sql: (loop: number) => [string, unknown[]] }[]) {
  return (async () => {
    const db = new pg.Client({ connectionString: stack.dbUrl });
    await db.connect();
    const errors: string[] = [];
    const runs: Record<string, number> = {};
    let loop = 0;
    try {
      while (!stopped()) {
        for (const job of jobs) {
          const [text, values] = job.sql(loop);
          try {
            const { rows } = await db.query<{ work: number }>(text, values);
            if (working() && Number(rows[0]?.work ?? 0) > 0) runs[job.name] = (runs[job.name] ?? 0) + 1;
          } catch (error) {
            errors.push(`${job.name}: ${(error as { code?: string }).code} ${(error as Error).message}`);
          }
        }
        loop += 1;
        await new Promise((r) => setTimeout(r, TICK_MS));
      }
    } finally {
      await db.end();
    }
    return { loops: loop, runs, errors };
  })();
}

describe('the scheduled jobs while people work', () => {
  it('never make a start, a step, an action, a task change, a hand-over or an import fail, and leave nothing undone', async () => {
    let working = true;
    let done = false;
    const jobs = runJobsUntil(() => done, () => working, [
      // The hourly re-stamp, as of today and as of 35 days later in turn: every run re-stamps.
      { name: 'restamp-renewal-stages', sql: (loop) => [
        'select app.restamp_renewal_stages(app.organisation_today($1) + $2::integer, $1) as work', [org.orgId, loop % 2 ? 35 : 0]] },
      { name: 'process-task-deadlines', sql: () => [
        `select (r ->> 'woken')::int + (r ->> 'flagged')::int + (r ->> 'auto_skipped')::int as work
           from app.process_task_deadlines() r`, []] },
      { name: 'run-orchestrator', sql: (loop) => [
        `select (r ->> 'superseded')::int + (r ->> 'created')::int + (r ->> 'restaged')::int as work
           from app.run_orchestrator_for_org($1, app.organisation_today($1) + $2::integer, 'cron', null, true) r`,
        [org.orgId, loop % 2 ? 35 : 0]] },
    ]);
    const failures: string[] = [];
    const call = async (label: string, result: PromiseLike<{ error: { code?: string; message: string } | null }>) => {
      const { error } = await result;
      if (error) failures.push(`${label}: ${error.code} ${error.message}`);
    };
    try {
      await withDb(async (db) => {
        for (const [i, e] of executions.entries()) {
          await call('start_workflow', csm.rpc('start_workflow', { execution_id: e.id }));
          await call('complete_step', csm.rpc('complete_step', { execution_id: e.id, step_key: 'review-account' }));
          const { data: task, error } = await csm.rpc('execute_action', {
            action_key: 'create_task', execution_id: e.id,
            params: { due_date: new Date(Date.now() + 86_400_000).toISOString(), title: `Follow-up ${i}` } });
          if (error) failures.push(`execute_action create_task: ${error.code} ${error.message}`);
          const taskId = (task as { result?: { task_id?: string } } | null)?.result?.task_id;
          await call('act_on_task snooze', csm.rpc('act_on_task', { task_id: taskId, action: 'snooze',
            params: { until: new Date(Date.now() + 3_600_000).toISOString() } }));
          // The admin hands a hot workflow (and its open tasks) to themselves and back.
          const hot = executions[i % HOT]!;
          await call('reassign_workflow', admin.rpc('reassign_workflow', { execution_id: hot.id, assignee_id: org.adminId, reason: 'cover' }));
          await call('reassign_workflow back', admin.rpc('reassign_workflow', { execution_id: hot.id, assignee_id: org.csmId, reason: 'back' }));
          // An ingest delivery: new scores for a third of the book and ARR changes of another
          // third, applied in one transaction as the ingest function does.
          const scored = executions.filter((_, k) => (k + i) % 3 === 0);
          const moved = executions.filter((_, k) => (k + i) % 3 === 1);
          const events = [
            ...scored.map((x) => ({ type: 'customer.upserted', data: { external_id: x.externalId, health_score: 30 + ((i * 7) % 60) } })),
            ...moved.map((x) => ({ type: 'arr.changed', data: { customer_external_id: x.externalId, arr: 60000 + i * 100,
                                                              recorded_at: new Date(Date.now() - 1000).toISOString(), reason: `import ${i}` } })),
          ];
          try {
            await db.query('select public.ingest_apply_batch($1, $2, $3)', [org.orgId, `jobs-work-${i}-${org.orgId}`, JSON.stringify(events)]);
          } catch (error) {
            failures.push(`ingest: ${(error as { code?: string }).code} ${(error as Error).message}`);
          }
          await call('execute_action snooze', csm.rpc('execute_action', { action_key: 'snooze', execution_id: e.id,
            params: { days: 2, reason: 'waiting for the customer' } }));
        }
      });
    } finally {
      working = false;
      done = true;
    }
    const { loops, runs, errors } = await jobs;
    expect(failures).toEqual([]);
    expect(errors).toEqual([]);
    // Both jobs had work while people worked (a job leaves what a transaction holds to its
    // next run, so not on every loop).
    // (The re-stamp skips the CSM's queue while a call of theirs holds it: ~10-20 % of
    // its runs re-stamp then; the deadline job has work on most. How many loops fall inside
    // the work depends on the machine's speed: 7 deadline runs with work in one fresh-clone
    // CI run, 10 and more in the other runs that day; five is already work on many of them.)
    expect(loops).toBeGreaterThan(20);
    expect(runs['restamp-renewal-stages']).toBeGreaterThanOrEqual(3);
    expect(runs['process-task-deadlines']).toBeGreaterThanOrEqual(5);
    expect(runs['run-orchestrator']).toBeGreaterThanOrEqual(3);

    // What they left, their next runs finish.
    await withDb(async (db) => {
      await db.query('select app.restamp_renewal_stages(null, $1)', [org.orgId]);
      // The last deadline has passed (it fell SPAN_MS after the fixture was made).
      while (Date.now() < fixtureAt + SPAN_MS) await new Promise((r) => setTimeout(r, 100));
      await db.query('select app.process_task_deadlines()');
      const { rows: [left] } = await db.query<{ stale: number; due: number }>(
        `select (select count(*)::int from app.customers c
                  where c.org_id = $1 and c.renewal_stage is distinct from app.calculate_renewal_stage(c.decision_date, app.organisation_today($1))) as stale,
                (select count(*)::int from app.workflow_tasks t
                  where t.org_id = $1 and t.title like 'Deadline %'
                    and case split_part(t.title, ' ', 3) when '1' then t.status <> 'skipped'
                                                         when '2' then not t.force_action
                                                         else t.status = 'snoozed' end) as due`, [org.orgId]);
      expect(left).toEqual({ stale: 0, due: 0 });
    });
  }, 120_000);
  it('a delivery locks every customer it names first: two that name the same customers in opposite roles never deadlock', async () => {
    // Customers the ingest knows by external id; each delivery upserts one of them and
    // records an ARR change of the other, so each writes both, in opposite orders unless
    // it locks them all first (docs/workflow-engine.md "Lock order").
    const ext = ['a', 'b'].map((x) => `jobs-work-${x}-${org.orgId}`);
    await withDb((db) => db.query(
      `insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to, external_id)
       select $1, 'Delivery ' || x, 50000, 60, app.organisation_today($1) + 50, $2, x from unnest($3::text[]) x`,
      [org.orgId, org.csmId, ext]));
    const deliveries = [new pg.Client({ connectionString: stack.dbUrl }), new pg.Client({ connectionString: stack.dbUrl })];
    await Promise.all(deliveries.map((d) => d.connect()));
    const failures: string[] = [];
    try {
      for (let round = 0; round < 15; round += 1) {
        await Promise.all(deliveries.map(async (db, k) => {
          const [mine, theirs] = k === 0 ? ext : [...ext].reverse();
          const events = [
            { type: 'customer.upserted', data: { external_id: mine, name: `Delivery ${mine}`, health_score: 40 + round + k } },
            { type: 'arr.changed', data: { customer_external_id: theirs, arr: 50000 + round * 10 + k,
                                          recorded_at: new Date(Date.now() - 1000).toISOString(), reason: `round ${round}` } },
          ];
          try {
            await db.query('select public.ingest_apply_batch($1, $2, $3)', [org.orgId, `jobs-work-${round}-${k}-${org.orgId}`, JSON.stringify(events)]);
          } catch (error) {
            failures.push(`delivery ${k}: ${(error as { code?: string }).code} ${(error as Error).message}`);
          }
        }));
      }
    } finally {
      await Promise.all(deliveries.map((d) => d.end()));
    }
    expect(failures).toEqual([]);
  }, 60_000);
});
