#!/usr/bin/env node
// The gateway's own cost (issue 18, point 4): the local gateway (JWT verification, role
// switch from `authenticator`, request.jwt.claims, PostgREST's errors) against the naive
// baseline of naive-gateway.mjs (no JWT check, `select fn(args)`), on a trivial RPC
// (get_my_profile as a scale CSM), 50 concurrent clients, the same load generator (a
// keep-alive node:http client, lean-fetch.mjs), the same database, in the same run:
// rounds alternate gateway / naive so both see the same machine load.
// Target: gateway req/s ≥ 0.9 × naive req/s.
//
// Both servers run as child processes of this script, from the code in this checkout (the
// stack's own gateway may run older code): start the stack (`npx renubu start -d`) and seed
// (`npx renubu seed --scale 2000` is enough) first.
// BENCH_DURATION_MS (per round, default 3000), BENCH_ROUNDS (default 7), BENCH_CLIENTS
// (default 50), BENCH_FN and BENCH_FN_BODY (another RPC and its JSON body, e.g. the queue's
// page), BENCH_CPU_PROF=<dir> (write a --cpu-prof profile of the gateway there),
// BENCH_BEFORE_GATEWAY=<another checkout>/local/gateway/server.mjs (measure that gateway too,
// in the same rounds: a before/after on the same machine load).
// Besides req/s, each round prints the CPU one request costs in the server process, in the
// database's backends and in the load generator (/proc): on a shared two-core box the ratio
// of those totals says what the machine would allow when the throughput ratio is noise.
import { spawn } from 'node:child_process';
import { freePort } from '../free-port.mjs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { repoRoot, stackConfig } from '../config.mjs';
import { leanFetch } from './lean-fetch.mjs';
import { cpuMs, cpuSince, postgresPids } from './process-cpu.mjs';
import { loadTest, summarise, writeResults } from './stats.mjs';

const self = fileURLToPath(import.meta.url);
const cfg = stackConfig();

if (process.argv[2] === '--serve-gateway') {
  // The child that serves a gateway under test, on the port given: this checkout's, or the
  // server.mjs of another checkout (BENCH_BEFORE_GATEWAY, for a before/after in one run).
  const { createGateway } = await import(process.argv[4] ?? '../gateway/server.mjs');
  const port = Number(process.argv[3]);
  const gateway = createGateway({
    config: { ...cfg, apiPort: port },
    functionsDir: `${repoRoot}/supabase/functions`,
    configTomlPath: `${repoRoot}/supabase/config.toml`,
    authRateLimits: { sign_in_sign_ups: 10_000, token_refresh: 10_000, token_verifications: 10_000 },
  });
  await gateway.listen();
  process.on('SIGTERM', () => gateway.close().then(() => process.exit(0)));
  console.log('ready');
} else {
  await main();
}

async function main() {
  // Seven short rounds rather than three long ones: on the shared two-core machine one
  // round's ratio ranged 0.68–1.05 (6 Dec), so the figure is the median of more pairs.
  const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 3_000);
  const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
  const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 50);
  // The RPC and its JSON body: BENCH_FN=get_workflow_queue BENCH_FN_BODY='{"page_size":50}'
  // measures the same overhead on a 60 KB page instead of a trivial answer.
  const FN = process.env.BENCH_FN ?? 'get_my_profile';
  const FN_BODY = process.env.BENCH_FN_BODY ?? '{}';
  const load = () => os.loadavg().map((n) => Math.round(n * 100) / 100);
  const loadBefore = load();

  const profileDir = process.env.BENCH_CPU_PROF;
  const beforeModule = process.env.BENCH_BEFORE_GATEWAY; // e.g. /tmp/old-checkout/local/gateway/server.mjs
  /** @type {{ name: string, url: string, pid: number, child: import('node:child_process').ChildProcess }[]} */
  const targets = [];
  /** @param {string} name @param {(port: number) => string[]} args */
  const serve = async (name, args) => {
    const port = await freePort();
    const c = await child(args(port));
    targets.push({ name, url: `http://127.0.0.1:${port}`, pid: /** @type {number} */ (c.pid), child: c });
  };
  try {
    await serve('gateway', (port) => [...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []), self, '--serve-gateway', String(port)]);
    await serve('naive', (port) => [`${repoRoot}/local/bench/naive-gateway.mjs`, '--port', String(port), '--db', cfg.dbUrl]);
    // The naive server with the token's role set too (BENCH_NAIVE_AS_ROLE=1): the same
    // database work as the gateway's call (RLS inside the function), so what is left between
    // the two is the gateway's own cost.
    if (process.env.BENCH_NAIVE_AS_ROLE === '1') await serve('naive+role', (port) => [`${repoRoot}/local/bench/naive-gateway.mjs`, '--port', String(port), '--db', cfg.dbUrl, '--as-role']);
    if (beforeModule) await serve('before', (port) => [self, '--serve-gateway', String(port), beforeModule]);

    // Ten scale CSMs signed in: the clients use their tokens in turn, as ten people would.
    const [firstTarget] = targets;
    if (!firstTarget) throw new Error('no gateway started');
    /** @type {string[]} */
    const tokens = [];
    for (let i = 1; i <= 10; i++) tokens.push(await signIn(firstTarget.url, `csm-${String(i).padStart(4, '0')}@scale.test`));

    /** @type {Record<string, number>} */
    let failures = {};
    const caller = (/** @type {string} */ url, /** @type {string} */ name) => async (/** @type {number} */ client) => {
      const res = await leanFetch(`${url}/rest/v1/rpc/${FN}`, {
        method: 'POST',
        headers: { apikey: cfg.anonKey, Authorization: `Bearer ${tokens[client % tokens.length]}`, 'Content-Type': 'application/json', 'X-Client-Info': 'supabase-js-node/2' },
        body: FN_BODY,
      });
      if (res.status !== 200) failures[name] = (failures[name] ?? 0) + 1;
      else await res.text();
    };
    const call = Object.fromEntries(targets.map((t) => [t.name, caller(t.url, t.name)]));
    /** The load of one target (every name here is one of `targets`). @param {string} name */
    const callOf = (name) => {
      const fn = call[name];
      if (!fn) throw new Error(`no target ${name}`);
      return fn;
    };
    // All answer the same thing.
    /** @type {string | undefined} */
    let firstAnswer;
    for (const t of targets) {
      const res = await leanFetch(`${t.url}/rest/v1/rpc/${FN}`, { method: 'POST', headers: { apikey: cfg.anonKey, Authorization: `Bearer ${tokens[0]}`, 'Content-Type': 'application/json' }, body: FN_BODY });
      const body = JSON.parse(await res.text());
      if (res.status !== 200 || (FN === 'get_my_profile' && !body.email)) throw new Error(`${t.name} answered ${res.status}: ${JSON.stringify(body)}`);
      firstAnswer ??= JSON.stringify(body);
      if (JSON.stringify(body) !== firstAnswer) throw new Error(`${t.name} answered differently from ${targets[0]?.name}`);
      await loadTest({ concurrency: CLIENTS, durationMs: 2000, fn: callOf(t.name) });
    }
    failures = Object.fromEntries(targets.map((t) => [t.name, 0]));

    /**
     * Each round's figures; `rounds` (written out) holds each round's runs by target name
     * followed by these.
     * @type {{ ratio: number, cpu_ratio: number, role_cpu_ratio?: number, before_ratio?: number, before_cpu_ratio?: number, load_average: number[] }[]}
     */
    const figures = [];
    /** @type {Record<string, MeasuredRun>[]} */
    const runsByRound = [];
    /** @type {Record<string, unknown>[]} */
    const rounds = [];
    const total = (/** @type {MeasuredRun} */ r) => r.cpu_ms_per_request.server + r.cpu_ms_per_request.postgres + r.cpu_ms_per_request.load_generator;
    const round2 = (/** @type {number} */ n) => Math.round(n * 100) / 100;
    for (let r = 0; r < ROUNDS; r++) {
      // Rotate which goes first, so none always follows another's leftovers.
      const shift = r % targets.length;
      const order = [...targets.slice(shift), ...targets.slice(0, shift)];
      /** @type {Record<string, MeasuredRun>} */
      const runs = {};
      for (const t of order) {
        const before = { server: cpuMs([t.pid]), postgres: cpuMs(postgresPids(cfg.pgDataDir)), bench: process.cpuUsage() };
        const run = await loadTest({ concurrency: CLIENTS, durationMs: DURATION_MS, fn: callOf(t.name) });
        const bench = process.cpuUsage(before.bench);
        const n = run.requests_per_second * (DURATION_MS / 1000);
        const per = (/** @type {number} */ ms) => Math.round((ms / n) * 1000) / 1000;
        // CPU per request (ms): the server process, the database's backends, the load generator.
        runs[t.name] = {
          ...run,
          cpu_ms_per_request: {
            server: per(cpuSince(before.server, cpuMs([t.pid]))),
            postgres: per(cpuSince(before.postgres, cpuMs(postgresPids(cfg.pgDataDir)))),
            load_generator: per((bench.user + bench.system) / 1000),
          },
        };
      }
      const runOf = (/** @type {string} */ name) => {
        const run = runs[name];
        if (!run) throw new Error(`no run of ${name}`);
        return run;
      };
      const gateway = runOf('gateway');
      const naive = runOf('naive');
      const role = runs['naive+role'];
      const before = runs.before;
      const figure = {
        ratio: round2(gateway.requests_per_second / naive.requests_per_second),
        // What a saturated machine allows is its CPU over the CPU a request costs (server,
        // database, load generator): this ratio is less at the mercy of other work on the box.
        cpu_ratio: round2(total(naive) / total(gateway)),
        ...(role ? { role_cpu_ratio: round2(total(role) / total(gateway)) } : {}),
        ...(before ? {
          before_ratio: round2(before.requests_per_second / naive.requests_per_second),
          before_cpu_ratio: round2(total(naive) / total(before)),
        } : {}),
        load_average: load(),
      };
      figures.push(figure);
      runsByRound.push(runs);
      rounds.push({ ...runs, ...figure });
      console.log(`round ${r + 1} (load ${figure.load_average.join(' ')}):`);
      for (const t of targets) console.log(`  ${t.name.padEnd(8)} ${fmt(runOf(t.name))}`);
      console.log(`  gateway/naive ${figure.ratio}, by CPU ${figure.cpu_ratio}${figure.role_cpu_ratio ? `; by CPU against naive+role ${figure.role_cpu_ratio}` : ''}${before ? `; before/naive ${figure.before_ratio}, by CPU ${figure.before_cpu_ratio}` : ''}`);
    }

    // One client at a time: the latency one call adds, without queueing for the two cores.
    /** @type {Record<string, Awaited<ReturnType<typeof loadTest>>>} */
    const one = {};
    for (const t of targets) one[t.name] = await loadTest({ concurrency: 1, durationMs: 2000, fn: callOf(t.name) });
    console.log(`1 client: ${targets.map((t) => `${t.name} p50 ${one[t.name]?.p50_ms} ms p95 ${one[t.name]?.p95_ms} ms`).join(' | ')}`);

    /** The middle value (the upper one of an even count). @param {(number | undefined)[]} xs */
    const median = (xs) => [...xs].sort((a, b) => (a ?? NaN) - (b ?? NaN))[Math.floor(xs.length / 2)];
    /** A target's figure in every round. @param {string} name @param {(run: MeasuredRun) => number} pick */
    const perRound = (name, pick) => runsByRound.map((runs) => { const run = runs[name]; return run ? pick(run) : undefined; });
    const summaryOf = (/** @type {string} */ name) => ({
      requests_per_second: median(perRound(name, (r) => r.requests_per_second)),
      p50_ms: median(perRound(name, (r) => r.p50_ms)),
      p95_ms: median(perRound(name, (r) => r.p95_ms)),
      failures: failures[name],
      cpu_ms_per_request: Object.fromEntries(/** @type {const} */ (['server', 'postgres', 'load_generator']).map((k) => [k, median(perRound(name, (r) => r.cpu_ms_per_request[k]))])),
    });
    const summary = Object.fromEntries(targets.map((t) => [t.name, summaryOf(t.name)]));
    const ratio = median(figures.map((r) => r.ratio)) ?? NaN;
    const cpuRatio = median(figures.map((r) => r.cpu_ratio));
    const loadAfter = load();
    console.log(`\n${CLIENTS} clients, ${FN}, median of ${ROUNDS} rounds of ${DURATION_MS} ms:`);
    for (const t of targets) {
      const x = summaryOf(t.name);
      console.log(`  ${t.name.padEnd(8)} ${x.requests_per_second} req/s  p50 ${x.p50_ms} ms  p95 ${x.p95_ms} ms  ${x.failures} failed  CPU/request ${JSON.stringify(x.cpu_ms_per_request)}`);
    }
    console.log(`  ratio gateway / naive = ${ratio}  (target ≥ 0.9); by CPU per request (naive / gateway) = ${cpuRatio}`);
    if (figures[0]?.role_cpu_ratio) console.log(`  by CPU per request against naive+role (same database work): ${median(figures.map((r) => r.role_cpu_ratio))}`);
    if (beforeModule) console.log(`  before: ratio ${median(figures.map((r) => r.before_ratio))}, by CPU ${median(figures.map((r) => r.before_cpu_ratio))}`);
    console.log(`  load average before ${loadBefore.join(' ')}, after ${loadAfter.join(' ')} (${os.cpus().length} cores)`);
    writeResults('gateway-overhead', {
      rpc: FN,
      clients: CLIENTS,
      round_ms: DURATION_MS,
      load_generator: 'lean node:http fetch (keep-alive), one process',
      naive_baseline: 'local/bench/naive-gateway.mjs: node:http + pg pool (10), no JWT check, one prepared statement per call',
      ...summary,
      ratio: { value: ratio, target: 0.9, met: ratio >= 0.9 && failures.gateway === 0 },
      cpu_ratio: { value: cpuRatio, meaning: 'naive CPU per request / gateway CPU per request (server + postgres + load generator)' },
      ...(figures[0]?.role_cpu_ratio ? { role_cpu_ratio: median(figures.map((r) => r.role_cpu_ratio)) } : {}),
      ...(beforeModule ? { before_gateway: beforeModule, before_ratio: median(figures.map((r) => r.before_ratio)), before_cpu_ratio: median(figures.map((r) => r.before_cpu_ratio)) } : {}),
      one_client: one,
      rounds,
      load_average: { before: loadBefore, after: loadAfter, cores: os.cpus().length },
    });
  } finally {
    for (const t of targets) t.child.kill('SIGTERM');
    await Promise.all(targets.map((t) => new Promise((done) => (t.child.exitCode !== null ? done(undefined) : t.child.once('exit', done)))));
  }
  process.exit(0);
}

/**
 * A load run with the CPU each request cost (ms): the server process, the database's
 * backends, the load generator.
 * @typedef {Awaited<ReturnType<typeof loadTest>> & { cpu_ms_per_request: { server: number, postgres: number, load_generator: number } }} MeasuredRun
 */

/** @param {MeasuredRun} r */
function fmt(r) {
  const cpu = r.cpu_ms_per_request;
  return `${r.requests_per_second} req/s p50 ${r.p50_ms} p95 ${r.p95_ms} ms (cpu/req: server ${cpu.server}, pg ${cpu.postgres}, client ${cpu.load_generator} ms)`;
}


/**
 * A node child running `args`, resolved once it prints its first line.
 * @param {string[]} args
 * @returns {Promise<import('node:child_process').ChildProcess>}
 */
function child(args) {
  return new Promise((resolve, reject) => {
    const c = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'], env: process.env });
    c.once('error', reject);
    c.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}`)));
    c.stdout.once('data', () => resolve(c));
  });
}

/** @param {string} apiUrl @param {string} email @returns {Promise<string>} */
async function signIn(apiUrl, email) {
  const res = await leanFetch(`${apiUrl}/auth/v1/token?grant_type=password`, {
    method: 'POST',
    headers: { apikey: cfg.anonKey, 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password: 'renubu-demo-password' }),
  });
  const body = JSON.parse(await res.text());
  if (!body.access_token) throw new Error(`sign-in of ${email}: ${res.status} ${JSON.stringify(body)}`);
  return body.access_token;
}

