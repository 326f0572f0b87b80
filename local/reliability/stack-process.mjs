// @ts-check
// A throwaway stack run as its own process, exactly as `renubu start` runs it (local/cli.mjs
// in the foreground: Postgres through pg_ctl, the gateway and web server in the node process,
// one Deno worker per Edge Function as that process's children), so faults can be injected
// into each part: kill -9 the postmaster, the gateway process, or one Deno worker.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, chmodSync, openSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { freePort } from '../free-port.mjs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const sleep = (/** @type {number} */ ms) => new Promise((r) => setTimeout(r, ms));


/**
 * Processes whose parent is `pid`, with their command lines (Linux `ps`).
 * @param {number} pid
 */
export function childrenOf(pid) {
  try {
    const out = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(pid)], { encoding: 'utf8' });
    return out.split('\n').map((l) => l.trim()).filter(Boolean).map((l) => {
      const [p, ...rest] = l.split(/\s+/);
      return { pid: Number(p), args: rest.join(' ') };
    });
  } catch {
    return [];
  }
}

/**
 * Every process below `pid` (children, grandchildren, …), with their command lines.
 * @param {number} pid
 */
export function descendantsOf(pid) {
  let rows;
  try {
    rows = execFileSync('ps', ['-e', '-o', 'pid=,ppid=,args='], { encoding: 'utf8' }).split('\n').map((l) => l.trim()).filter(Boolean)
      .map((l) => {
        const [p, pp, ...rest] = l.split(/\s+/);
        return { pid: Number(p), ppid: Number(pp), args: rest.join(' ') };
      });
  } catch {
    return [];
  }
  /** @type {{ pid: number, args: string }[]} */
  const out = [];
  const queue = [pid];
  while (queue.length) {
    const parent = queue.shift();
    for (const r of rows) if (r.ppid === parent) { out.push({ pid: r.pid, args: r.args }); queue.push(r.pid); }
  }
  return out;
}

/**
 * A Deno worker process itself (not a shell wrapper around it) serving function `fn` (any
 * function without one).
 * @param {string} args its command line
 * @param {string} [fn]
 */
const isDenoWorker = (args, fn) => /(^|\/)deno\s/.test(args.split(' ').slice(0, 2).join(' ')) && !/^(ba)?sh\s/.test(args) && (!fn || args.includes(`/functions/${fn}/index.ts`));

/** @param {number} pid */
export function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export class StackProcess {
  /** @param {{ keepData?: boolean, env?: Record<string, string> }} [options] */
  constructor(options = {}) {
    this.keepData = options.keepData ?? false;
    /** Extra environment for the stack (and so its Edge Functions), e.g. a slower mock model. */
    this.extraEnv = options.env ?? {};
    this.dataDir = mkdtempSync(path.join(os.tmpdir(), 'renubu-reliability-'));
    chmodSync(this.dataDir, 0o755);
    /** @type {import('node:child_process').ChildProcess | null} */
    this.child = null;
    /** @type {Record<string, string>} the RENUBU_* variables of this stack (after init) */
    this.env = {};
    /** @type {import('../config.mjs').StackConfig | null} set by init(); read as `cfg` */
    this.initialisedCfg = null;
    this.logFile = path.join(this.dataDir, 'stack.log');
    /** @type {number[]} Orphaned Deno workers found after a gateway kill (issue 10 item 1). */
    this.orphans = [];
  }

  /** This stack's config (ports, data dir, URLs); there once init() has run. */
  get cfg() {
    if (!this.initialisedCfg) throw new Error('StackProcess: call init() first');
    return this.initialisedCfg;
  }

  async init() {
    this.env = {
      RENUBU_DATA_DIR: path.join(this.dataDir, 'data'),
      RENUBU_API_PORT: String(await freePort()),
      RENUBU_DB_PORT: String(await freePort()),
      RENUBU_WEB_PORT: String(await freePort()),
      // Its own mail catcher: the stack `npm test` runs already holds the inherited port.
      RENUBU_MAIL_PORT: String(await freePort()),
      ...this.extraEnv,
    };
    const { stackConfig } = await import('../config.mjs');
    this.initialisedCfg = stackConfig({ ...process.env, ...this.env });
    return this;
  }

  /** `renubu start` (foreground) on this stack's data; resolves once every service answers. */
  async start(timeoutMs = 240_000) {
    const out = openSync(this.logFile, 'a');
    const child = spawn(process.execPath, [path.join(repoRoot, 'local', 'cli.mjs'), 'start'], {
      cwd: repoRoot,
      stdio: ['ignore', out, out],
      env: { ...process.env, ...this.env },
    });
    this.child = child;
    let exited = false;
    child.on('exit', () => { exited = true; });
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (exited) throw new Error(`renubu start exited early; see ${this.logFile}\n${this.tail()}`);
      if (await this.healthy()) return;
      await sleep(250);
    }
    throw new Error(`the stack did not become healthy; see ${this.logFile}`);
  }

  tail(lines = 30) {
    try {
      return readFileSync(this.logFile, 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  }

  async healthy() {
    try {
      const [api, web] = await Promise.all([
        fetch(`${this.cfg.apiUrl}/auth/v1/health`, { signal: AbortSignal.timeout(2000) }),
        fetch(`${this.cfg.webUrl}/renubu-config.json`, { signal: AbortSignal.timeout(2000) }),
      ]);
      return api.ok && web.ok;
    } catch {
      return false;
    }
  }

  postmasterPid() {
    const file = path.join(this.cfg.pgDataDir, 'postmaster.pid');
    if (!existsSync(file)) return null;
    const pid = Number(readFileSync(file, 'utf8').split('\n')[0]);
    return pid && alive(pid) ? pid : null;
  }

  /** kill -9 the postmaster; waits until its backends are gone too (so a restart can attach). */
  async killPostmaster() {
    const pid = this.postmasterPid();
    if (!pid) throw new Error('no postmaster running');
    const backends = childrenOf(pid).map((c) => c.pid);
    process.kill(pid, 'SIGKILL');
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline && [pid, ...backends].some(alive)) await sleep(100);
    return pid;
  }

  /** The Deno process serving one function (below the stack process, maybe under a wrapper). */
  /** @param {string} [fn] */
  workerPid(fn) {
    if (!this.child?.pid) return null;
    const w = descendantsOf(this.child.pid).find((c) => isDenoWorker(c.args, fn));
    return w?.pid ?? null;
  }

  /** @param {string} fn */
  killWorker(fn) {
    const pid = this.workerPid(fn);
    if (!pid) return null;
    process.kill(pid, 'SIGKILL');
    return pid;
  }

  /** kill -9 the gateway/web process. Its Deno workers should die with it; any that do not
   * are recorded as orphans and then stopped here (we started them). */
  async killGateway() {
    if (!this.child?.pid) throw new Error('no stack process');
    const pid = this.child.pid;
    const workers = descendantsOf(pid).filter((c) => isDenoWorker(c.args)).map((c) => c.pid);
    const everything = descendantsOf(pid).map((c) => c.pid);
    const exited = new Promise((r) => this.child?.once('exit', r));
    process.kill(pid, 'SIGKILL');
    await exited;
    this.child = null;
    // Workers get a few seconds to notice their gateway is gone; any still running then is
    // an orphan (recorded), and is stopped here by its pid, with whatever it started.
    const deadline = Date.now() + 3000;
    while (Date.now() < deadline && workers.some(alive)) await sleep(100);
    for (const w of workers) if (alive(w)) this.orphans.push(w);
    for (const p of everything) {
      if (alive(p)) { try { process.kill(p, 'SIGKILL'); } catch { /* gone */ } }
    }
    return pid;
  }

  /** SIGTERM the stack process as Ctrl-C would (it stops the servers and the cluster). */
  async stop() {
    const child = this.child;
    if (child?.pid && alive(child.pid)) {
      const below = descendantsOf(child.pid).map((c) => c.pid);
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => { try { child.kill('SIGKILL'); } catch { /* gone */ } }, 20_000);
      await exited;
      clearTimeout(timer);
      // Whatever the stack started ends with it; a straggler is stopped here by its pid.
      const deadline = Date.now() + 3000;
      while (Date.now() < deadline && below.some(alive)) await sleep(100);
      for (const p of below) if (alive(p)) { try { process.kill(p, 'SIGKILL'); } catch { /* gone */ } }
    }
    this.child = null;
    const { stopCluster } = await import('../db/cluster.mjs');
    try { stopCluster(this.cfg); } catch { /* not running */ }
  }

  async destroy() {
    await this.stop();
    if (!this.keepData) rmSync(this.dataDir, { recursive: true, force: true });
  }
}
