#!/usr/bin/env node
// What a change of one person's workload costs (issue 18: a call's cost follows the
// caller's book, and the daily run follows what changed). Starting a workflow adds one to
// the CSM's in-progress count, which moves the shown score of every open item in their book.
// Per scale organisation (scale-co, 100k; scale-co-300k, 300k; missing ones are skipped),
// as csm-0001 (500 accounts), in transactions that are rolled back:
//   - `start_workflow` of one of their queued executions, 20 times, as the member through
//     the API's roles, with the deployed handling (the workload term applied when read:
//     only the person's kept stats are rendered again) and, alternating in the same run,
//     with the baseline of the previous release, which stored the term in every row and
//     moved the book's rows on each change (its app.refresh_priorities_for_assignees,
//     read from migration 20261205001500);
//   - at 100k only, every CSM's workload changing in one statement (one queued execution
//     each set in progress), once per variant: what a daily run pays when it supersedes
//     in-progress renewals all over the organisation.
// Prints p50/p95 per variant, the ratio deployed/baseline and the load average; writes
// bench-results/workload-change.json.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import pg from 'pg';
import { repoRoot, stackConfig } from '../config.mjs';
import { actAsMember, openScaleOrganisation, summarise, writeResults } from './stats.mjs';

const cfg = stackConfig();
const SAMPLES = Number(process.env.BENCH_WORKLOAD_SAMPLES ?? 20);
const ORGANISATIONS = [
  { slug: 'scale-co', csmEmail: 'csm-0001@scale.test', bulk: true },
  { slug: 'scale-co-300k', csmEmail: 'csm-0001@scale-co-300k.test', bulk: false },
];
const load = () => os.loadavg().map((n) => n.toFixed(2)).join(' ');
const RESCORE = 'app.refresh_priorities_for_assignees(uuid[])';
// The baseline: the previous release's re-score, which rewrote the workload terms of every
// open item of the people whose workload changed. Its statement, as released.
const STORED_TERM_BODY = (() => {
  const text = readFileSync(`${repoRoot}/supabase/migrations/20261205001500_workload_change_shifts_priorities.sql`, 'utf8');
  const start = text.indexOf('create or replace function app.refresh_priorities_for_assignees');
  return text.slice(start, text.indexOf('$$;', start) + 3);
})();

/** @type {Record<string, unknown>} */
const results = {};
const probe = new pg.Client({ connectionString: cfg.dbUrl });
await probe.connect();
const { rows: present } = await probe.query('select slug from app.organisations where slug = any($1)', [ORGANISATIONS.map((o) => o.slug)]);
await probe.end();
for (const which of ORGANISATIONS) {
  if (!present.some((o) => o.slug === which.slug)) {
    console.log(`${which.slug}: not in this cluster, skipped (\`renubu seed --scale N\` makes it)`);
    continue;
  }
  const { db, org, csm } = await openScaleOrganisation(cfg.dbUrl, which);
  await db.query('set statement_timeout = 0');
  const { rows: [{ deployed }] } = await db.query(`select pg_get_functiondef($1::regprocedure) as deployed`, [RESCORE]);
  const { rows: [{ book }] } = await db.query(
    `select count(*)::int as book from app.workflow_executions
      where org_id = $1 and assigned_to = $2 and status in ('queued', 'in_progress', 'snoozed', 'escalated')`, [org.id, csm.id]);
  const { rows: picks } = await db.query(
    `select id from app.workflow_executions where org_id = $1 and assigned_to = $2 and status = 'queued'
      order by md5(id::text) limit $3`, [org.id, csm.id, SAMPLES]);
  console.log(`${which.slug}: ${org.customers} customers; ${which.csmEmail} has ${book} open items; load ${load()}`);

  /** Runs `fn` in a rolled-back transaction with the variant's re-score (both re-created,
   * so both pay the same plan invalidation). @param {string} body @param {() => Promise<number>} fn */
  const inVariant = async (body, fn) => {
    await db.query('begin');
    try {
      await db.query(body);
      return await fn();
    } finally {
      await db.query('rollback');
    }
  };
  const startOne = (/** @type {string} */ id) => async () => {
    await actAsMember(db, csm.id);
    const started = performance.now();
    await db.query('select public.start_workflow($1)', [id]);
    return performance.now() - started;
  };
  /** @type {{ deployed: number[], stored: number[] }} */
  const samples = { deployed: [], stored: [] };
  for (const { id } of picks) {
    samples.deployed.push(await inVariant(deployed, startOne(id)));
    samples.stored.push(await inVariant(STORED_TERM_BODY, startOne(id)));
  }
  const kept = summarise(samples.deployed);
  const stored = summarise(samples.stored);
  const ratio = Math.round((kept.p50_ms / stored.p50_ms) * 100) / 100;
  console.log(`  start_workflow, workload applied when read   p50 ${kept.p50_ms} ms  p95 ${kept.p95_ms} ms`);
  console.log(`  start_workflow, book rewritten (baseline)    p50 ${stored.p50_ms} ms  p95 ${stored.p95_ms} ms`);
  console.log(`  ratio deployed / baseline p50 ${ratio}  load ${load()}`);
  /** @type {Record<string, unknown>} */
  const figures = { customers: org.customers, book, start_workflow: { deployed: kept, stored_term_baseline: stored, ratio_p50: ratio } };

  if (which.bulk) {
    const everyCsmStarts = async () => {
      const started = performance.now();
      await db.query(
        `update app.workflow_executions e set status = 'in_progress' where e.id in (
           select distinct on (x.assigned_to) x.id from app.workflow_executions x
            where x.org_id = $1 and x.status = 'queued' and x.assigned_to is not null
            order by x.assigned_to, x.id)`, [org.id]);
      return (performance.now() - started) / 1000;
    };
    const keptS = Math.round(await inVariant(deployed, everyCsmStarts) * 100) / 100;
    const storedS = Math.round(await inVariant(STORED_TERM_BODY, everyCsmStarts) * 100) / 100;
    console.log(`  every CSM's workload changes at once: ${keptS} s (book rewritten: ${storedS} s, ratio ${Math.round((keptS / storedS) * 100) / 100})  load ${load()}`);
    figures.every_workload_changes = { deployed_s: keptS, stored_term_baseline_s: storedS };
  }
  results[which.slug] = figures;
  await db.end();
}
console.log(`load average (1/5/15 min): ${load()}`);
writeResults('workload-change', { load_average: os.loadavg(), organisations: results });
