#!/usr/bin/env node
// What a change of one person's workload costs (issue 18: a call's cost follows the
// caller's book, and the daily run follows what changed). Starting a workflow adds one to
// the CSM's in-progress count, which moves the score of every open item in their book.
// Per scale organisation (scale-co, 100k; scale-co-300k, 300k; missing ones are skipped),
// as csm-0001 (500 accounts), in transactions that are rolled back:
//   - `start_workflow` of one of their queued executions, 20 times, as the member through
//     the API's roles, with the deployed re-score (the workload terms moved by arithmetic,
//     app.refresh_priorities_for_assignees) and, alternating in the same run, with the
//     baseline of re-running the whole formula for each item of the book;
//   - at 100k only, every CSM's workload changing in one statement (one queued execution
//     each set in progress), once per variant: what a daily run pays when it supersedes
//     in-progress renewals all over the organisation.
// Prints p50/p95 per variant, the ratio deployed/baseline and the load average; writes
// bench-results/workload-change.json.
import os from 'node:os';
import pg from 'pg';
import { stackConfig } from '../config.mjs';
import { actAsMember, openScaleOrganisation, summarise, writeResults } from './stats.mjs';

const cfg = stackConfig();
const SAMPLES = Number(process.env.BENCH_WORKLOAD_SAMPLES ?? 20);
const ORGANISATIONS = [
  { slug: 'scale-co', csmEmail: 'csm-0001@scale.test', bulk: true },
  { slug: 'scale-co-300k', csmEmail: 'csm-0001@scale-co-300k.test', bulk: false },
];
const load = () => os.loadavg().map((n) => n.toFixed(2)).join(' ');
const RESCORE = 'app.refresh_priorities_for_assignees(uuid[])';
// The baseline: every open item of the people whose workload changed through the whole
// formula (app.refresh_priorities), as before migration 20261205001500.
const FORMULA_BODY = `create or replace function app.refresh_priorities_for_assignees(assignee_ids uuid[])
returns integer language sql security definer set search_path = ''
as $$ select app.refresh_priorities(app.open_executions_of_assignees(assignee_ids)) $$`;

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
  /** @type {{ deployed: number[], formula: number[] }} */
  const samples = { deployed: [], formula: [] };
  for (const { id } of picks) {
    samples.deployed.push(await inVariant(deployed, startOne(id)));
    samples.formula.push(await inVariant(FORMULA_BODY, startOne(id)));
  }
  const kept = summarise(samples.deployed);
  const formula = summarise(samples.formula);
  const ratio = Math.round((kept.p50_ms / formula.p50_ms) * 100) / 100;
  console.log(`  start_workflow, workload terms moved   p50 ${kept.p50_ms} ms  p95 ${kept.p95_ms} ms`);
  console.log(`  start_workflow, formula per item (baseline) p50 ${formula.p50_ms} ms  p95 ${formula.p95_ms} ms`);
  console.log(`  ratio deployed / baseline p50 ${ratio}  load ${load()}`);
  /** @type {Record<string, unknown>} */
  const figures = { customers: org.customers, book, start_workflow: { deployed: kept, formula_baseline: formula, ratio_p50: ratio } };

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
    const formulaS = Math.round(await inVariant(FORMULA_BODY, everyCsmStarts) * 100) / 100;
    console.log(`  every CSM's workload changes at once: ${keptS} s (formula per item: ${formulaS} s, ratio ${Math.round((keptS / formulaS) * 100) / 100})  load ${load()}`);
    figures.every_workload_changes = { deployed_s: keptS, formula_baseline_s: formulaS };
  }
  results[which.slug] = figures;
  await db.end();
}
console.log(`load average (1/5/15 min): ${load()}`);
writeResults('workload-change', { load_average: os.loadavg(), organisations: results });
