// Shared figures for the benchmark scripts: percentiles, a timed loop, concurrent load,
// database execution times as a member, and writing results to bench-results/<name>.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { repoRoot } from '../config.mjs';

/**
 * The p-th percentile (nearest rank) of ascending samples; NaN when there are none.
 * @param {number[]} sortedMs
 * @param {number} p 0–100
 */
export function percentile(sortedMs, p) {
  if (sortedMs.length === 0) return NaN;
  const index = Math.min(sortedMs.length - 1, Math.ceil((p / 100) * sortedMs.length) - 1);
  return sortedMs[Math.max(0, index)] ?? NaN;
}

/** @param {number[]} samplesMs */
export function summarise(samplesMs) {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const round = (/** @type {number} */ n) => Math.round(n * 100) / 100;
  return { n: sorted.length, p50_ms: round(percentile(sorted, 50)), p95_ms: round(percentile(sorted, 95)), max_ms: round(sorted.at(-1) ?? NaN) };
}

/**
 * Runs `fn` `iterations` times sequentially, returning the latency of each call in ms.
 * @param {number} iterations
 * @param {(i: number) => Promise<unknown>} fn
 */
export async function timeSequential(iterations, fn) {
  /** @type {number[]} */
  const samples = [];
  for (let i = 0; i < iterations; i++) {
    const started = performance.now();
    await fn(i);
    samples.push(performance.now() - started);
  }
  return samples;
}

/**
 * `concurrency` clients each calling `fn` in a loop for `durationMs`; latencies and req/s.
 * @param {{ concurrency: number, durationMs: number, fn: (client: number, i: number) => Promise<unknown> }} options
 */
export async function loadTest({ concurrency, durationMs, fn }) {
  /** @type {number[]} */
  const samples = [];
  const deadline = performance.now() + durationMs;
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async (_, client) => {
    let i = 0;
    while (performance.now() < deadline) {
      const t = performance.now();
      await fn(client, i++);
      samples.push(performance.now() - t);
    }
  }));
  const seconds = (performance.now() - started) / 1000;
  return { ...summarise(samples), requests_per_second: Math.round(samples.length / seconds) };
}

/**
 * Inside an open transaction: act as the member `userId`, as PostgREST does for a signed-in call.
 * @param {pg.ClientBase} client
 * @param {string} userId
 */
export async function actAsMember(client, userId) {
  await client.query(`select set_config('request.jwt.claims', $1, true), set_config('role', 'authenticated', true)`,
    [JSON.stringify({ sub: userId, role: 'authenticated', aud: 'authenticated' })]);
}

/**
 * Runs `fn` inside a transaction that acts as the member `userId`, exactly as PostgREST runs
 * an RPC (role + JWT claims set locally), then rolls back so the benchmark changes nothing.
 * @template T
 * @param {pg.ClientBase} client
 * @param {string} userId
 * @param {() => Promise<T>} fn
 * @returns {Promise<T>}
 */
export async function asMember(client, userId, fn) {
  await client.query('begin');
  try {
    await actAsMember(client, userId);
    return await fn();
  } finally {
    await client.query('rollback');
  }
}

/**
 * The server-side execution time (ms, from EXPLAIN ANALYZE) of `sql` once per entry of
 * `argsList`, run as the member `userId`: what the database spends, without network or gateway.
 * @param {pg.ClientBase} client
 * @param {string} userId
 * @param {string} sql
 * @param {unknown[][]} argsList
 * @returns {Promise<number[]>}
 */
export async function databaseExecutionTimes(client, userId, sql, argsList) {
  return asMember(client, userId, async () => {
    /** @type {number[]} */
    const times = [];
    for (const args of argsList) {
      const { rows } = await client.query(`explain (analyze, format json) ${sql}`, args);
      times.push(rows[0]['QUERY PLAN'][0]['Execution Time']);
    }
    return times;
  });
}

/**
 * The organisation `renubu seed --scale N` makes, and the CSM the benchmarks act as.
 */
export const SCALE_SLUG = 'scale-co';
export const SCALE_CSM_EMAIL = 'csm-0001@scale.test';

/**
 * A connected client, the scale organisation (with its customer count) and its CSM, and the
 * two ways the database benchmarks run SQL as that CSM: `asMember` (a rolled-back
 * transaction as the member) and `executionTimes` (EXPLAIN ANALYZE times per argument list).
 * Exits, saying how to seed it, when there is no scale organisation. Another organisation
 * and member can be named (same shape of data, e.g. BENCH_ORG_SLUG in a benchmark).
 * @param {string} dbUrl
 * @param {{ slug?: string, csmEmail?: string }} [which]
 */
export async function openScaleOrganisation(dbUrl, { slug = SCALE_SLUG, csmEmail = SCALE_CSM_EMAIL } = {}) {
  const db = new pg.Client({ connectionString: dbUrl });
  await db.connect();
  /** @type {{ rows: { id: string, customers: number }[] }} */
  const { rows: [org] } = await db.query(
    `select o.id, (select count(*) from app.customers c where c.org_id = o.id)::int as customers
       from app.organisations o where o.slug = $1`, [slug]);
  if (!org) {
    console.error('No scale organisation: run `node local/cli.mjs seed --scale 100000` first.');
    process.exit(1);
  }
  /** @type {{ rows: { id: string }[] }} */
  const { rows: [csm] } = await db.query(`select id from app.profiles where email = $1`, [csmEmail]);
  if (!csm) throw new Error(`no ${csmEmail} in the organisation ${slug}`);
  const csmId = csm.id;
  return {
    db,
    org,
    csm,
    /** @template T @param {() => Promise<T>} fn */
    asMember: (fn) => asMember(db, csmId, fn),
    /** @param {string} sql @param {unknown[][]} argsList */
    executionTimes: (sql, argsList) => databaseExecutionTimes(db, csmId, sql, argsList),
  };
}

/**
 * Writes bench-results/<name>.json (with the time it was measured).
 * @param {string} name
 * @param {Record<string, unknown>} results
 */
export function writeResults(name, results) {
  const dir = path.join(repoRoot, 'bench-results');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify({ measured_at: new Date().toISOString(), ...results }, null, 2));
  console.log(`\nwritten to ${path.relative(repoRoot, file)}`);
}
