// Shared figures for the benchmark scripts: percentiles, a timed loop, concurrent load,
// database execution times as a member, and writing results to bench-results/<name>.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../config.mjs';

export function percentile(sortedMs, p) {
  if (sortedMs.length === 0) return NaN;
  const index = Math.min(sortedMs.length - 1, Math.ceil((p / 100) * sortedMs.length) - 1);
  return sortedMs[Math.max(0, index)];
}

export function summarise(samplesMs) {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const round = (n) => Math.round(n * 100) / 100;
  return { n: sorted.length, p50_ms: round(percentile(sorted, 50)), p95_ms: round(percentile(sorted, 95)), max_ms: round(sorted.at(-1) ?? NaN) };
}

/** Runs `fn` `iterations` times sequentially, returning the latency of each call in ms. */
export async function timeSequential(iterations, fn) {
  const samples = [];
  for (let i = 0; i < iterations; i++) {
    const started = performance.now();
    await fn(i);
    samples.push(performance.now() - started);
  }
  return samples;
}

/** `concurrency` clients each calling `fn` in a loop for `durationMs`; latencies and req/s. */
export async function loadTest({ concurrency, durationMs, fn }) {
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

/** Inside an open transaction: act as the member `userId`, as PostgREST does for a signed-in call. */
export async function actAsMember(client, userId) {
  await client.query(`select set_config('request.jwt.claims', $1, true), set_config('role', 'authenticated', true)`,
    [JSON.stringify({ sub: userId, role: 'authenticated', aud: 'authenticated' })]);
}

/**
 * Runs `fn` inside a transaction that acts as the member `userId`, exactly as PostgREST runs
 * an RPC (role + JWT claims set locally), then rolls back so the benchmark changes nothing.
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
 */
export async function databaseExecutionTimes(client, userId, sql, argsList) {
  return asMember(client, userId, async () => {
    const times = [];
    for (const args of argsList) {
      const { rows } = await client.query(`explain (analyze, format json) ${sql}`, args);
      times.push(rows[0]['QUERY PLAN'][0]['Execution Time']);
    }
    return times;
  });
}

export function writeResults(name, results) {
  const dir = path.join(repoRoot, 'bench-results');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify({ measured_at: new Date().toISOString(), ...results }, null, 2));
  console.log(`\nwritten to ${path.relative(repoRoot, file)}`);
}
