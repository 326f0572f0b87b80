// The queue's two render jobs ('render-queue-cards', 'render-queue-stats', every minute)
// run while CSMs work. A start re-scores the CSM's whole queue, so one statement re-renders
// every card and both stats rows of that person, while the jobs render cards and stats the
// same person's earlier changes listed. Both sides take their rows in one order and the
// jobs skip what a transaction holds (docs/workflow-engine.md "Cards and rendered stats",
// "Lock order"), so neither waits for the other in a cycle: no start fails with a
// deadlock (40P01), and afterwards every card and the stats equal a fresh render.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SupabaseClient } from '@supabase/supabase-js';
import { stack, withDb } from '../support/stack.ts';
import { createAdminFixtureOrg, type AdminFixtureOrg } from './admin-fixture-org.ts';

const QUEUE_SIZE = 40;

let org: AdminFixtureOrg;
let csm: SupabaseClient;
let executionIds: string[];

beforeAll(async () => {
  org = await createAdminFixtureOrg('queue-jobs');
  csm = await org.signIn('csm');
  executionIds = await withDb(async (db) => {
    await db.query(
      `insert into app.customers (org_id, name, arr, health_score, renewal_date, assigned_to)
       select $1, 'Queue jobs ' || g, 20000 + g * 1000, 40 + g, app.organisation_today($1) + 20 + g, $2
         from generate_series(1, $3) g`, [org.orgId, org.csmId, QUEUE_SIZE]);
    const { rows } = await db.query<{ id: string }>(
      `insert into app.workflow_executions (org_id, customer_id, workflow_id, workflow_version_id, assigned_to, status)
       select c.org_id, c.id, w.id, (select v.id from app.workflow_versions v where v.workflow_id = w.id order by v.version desc limit 1),
              c.assigned_to, 'queued'
         from app.customers c cross join app.workflows w
        where c.org_id = $1 and w.key = 'risk-intervention' and w.org_id is null
        order by c.name
       returning id`, [org.orgId]);
    return rows.map((r) => r.id);
  });
});

afterAll(async () => {
  await org?.remove();
});

/** Calls both jobs, each in a transaction of its own, until told to stop; collects errors. */
function runJobsUntil(stopped: () => boolean): Promise<{ runs: number; errors: string[] }> {
  return (async () => {
    const jobs = new pg.Client({ connectionString: stack.dbUrl });
    await jobs.connect();
    const errors: string[] = [];
    let runs = 0;
    try {
      while (!stopped()) {
        for (const job of ['select app.queue_cards_render_due()', 'select app.queue_stats_render_stale()']) {
          try {
            await jobs.query(job);
          } catch (error) {
            errors.push(`${job}: ${(error as { code?: string }).code} ${(error as Error).message}`);
          }
        }
        runs += 1;
      }
    } finally {
      await jobs.end();
    }
    return { runs, errors };
  })();
}

describe('the queue render jobs while a CSM works', () => {
  it('never deadlock with a start that re-scores the whole queue, and leave every card and the stats right', async () => {
    let done = false;
    const jobs = runJobsUntil(() => done);
    const failures: string[] = [];
    try {
      await withDb(async (db) => {
        for (const id of executionIds) {
          const { error } = await csm.rpc('start_workflow', { execution_id: id });
          if (error) failures.push(`start_workflow: ${error.code} ${error.message}`);
          // Yesterday's stats again, so the stats job has this person to render too.
          await db.query(`update app.queue_stats set rendered_for = rendered_for - 1 where org_id = $1`, [org.orgId]);
        }
      });
    } finally {
      done = true;
    }
    const { runs, errors } = await jobs;
    expect(failures).toEqual([]);
    expect(errors).toEqual([]);
    expect(runs).toBeGreaterThan(QUEUE_SIZE / 4);

    await withDb(async (db) => {
      await db.query('select app.queue_cards_render_due()');
      await db.query('select app.queue_stats_render_stale()');
      const { rows: [cards] } = await db.query<{ open: number; cards: number; differing: number }>(
        `select (select count(*)::int from app.workflow_executions e
                  where e.org_id = $1 and e.status in ('queued', 'in_progress', 'snoozed', 'escalated')) as open,
                (select count(*)::int from app.queue_cards k where k.org_id = $1) as cards,
                (select count(*)::int
                   from app.queue_card_parts($2::uuid[]) p
                   left join app.queue_cards k on k.execution_id = p.execution_id
                  where (k.head, k.tail) is distinct from (p.head, p.tail)) as differing`,
        [org.orgId, executionIds]);
      expect(cards).toEqual({ open: QUEUE_SIZE, cards: QUEUE_SIZE, differing: 0 });
      const { rows: stats } = await db.query<{ include_snoozed: boolean; same: boolean }>(
        `select s.include_snoozed,
                s.rendered = app.queue_stats_of(s.org_id, s.assigned_to, s.include_snoozed, app.organisation_today(s.org_id))
                  and s.rendered_for = app.organisation_today(s.org_id) as same
           from app.queue_stats s where s.org_id = $1 and s.assigned_to = $2 order by 1`, [org.orgId, org.csmId]);
      expect(stats).toEqual([{ include_snoozed: false, same: true }, { include_snoozed: true, same: true }]);
    });
  }, 120_000);
});
