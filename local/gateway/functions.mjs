// @ts-check
// `/functions/v1/<name>/*`: each function's unchanged index.ts runs in its own Deno process
// (started on its first request) listening on a free local port; requests are proxied to it
// with the `/<name>` prefix kept, bodies streamed both ways so server-sent events arrive as
// they are written [docs/supabase-protocol.md §4.2, §7].
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { freePort } from '../free-port.mjs';
import path from 'node:path';
import { repoRoot, PUBLISHABLE_KEY, SECRET_KEY } from '../config.mjs';
import { resolveFunction, readFunctionsEnv } from './function-config.mjs';
import { addCorsHeaders } from './cors.mjs';
import { BODY_LIMITS, bearerToken, decodeSegment, refuseUnreadBody, sendJson } from './http-util.mjs';
import { verifyJwt } from './jwt.mjs';

const DENO = path.join(repoRoot, 'node_modules', '.bin', 'deno');
const LIFELINE = path.join(repoRoot, 'local', 'gateway', 'worker-lifeline.sh');
// Logs what the function's code leaves uncaught instead of dying of it (worker-guard.ts).
const GUARD = path.join(repoRoot, 'local', 'gateway', 'worker-guard.ts');
const BOOT_TIMEOUT_MS = 60_000;
const IDLE_TIMEOUT_MS = 150_000; // Kong's read timeout on the functions route
const HOP_BY_HOP = ['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection'];

/**
 * @typedef {{ port: number, child: import('node:child_process').ChildProcess, ready: Promise<void> }} Worker
 */

/**
 * @param {{
 *   config: { jwtSecret: string, anonKey: string, serviceRoleKey: string, dbUrl: string },
 *   functionsDir: string,
 *   configTomlPath: string,
 *   denoConfigPath?: string,
 *   apiUrl: () => string,
 *   log?: (line: string) => void,
 * }} options
 */
export function createFunctionsHandler({ config, functionsDir, configTomlPath, denoConfigPath, apiUrl, log }) {
  /** @type {Map<string, Worker>} */
  const workers = new Map();
  const denoConfig = denoConfigPath ?? path.join(repoRoot, 'deno.json');
  const write = log ?? ((line) => process.stderr.write(`${line}\n`));

  /** @param {string} name @param {string} entry */
  function startWorker(name, entry) {
    const port = freePort();
    const worker = /** @type {Worker} */ ({ port: 0 });
    worker.ready = port.then(async (p) => {
      worker.port = p;
      const source = readFileSync(entry, 'utf8');
      // `export default { fetch }` handlers are served by `deno serve`; `Deno.serve(...)`
      // ones by `deno run`, which honours DENO_SERVE_ADDRESS.
      const serve = /export\s+default\b/.test(source) && !/Deno\.serve\s*\(/.test(source);
      const args = serve
        ? ['serve', '-A', '--no-prompt', '--host', '127.0.0.1', '--port', String(p)]
        : ['run', '-A', '--no-prompt'];
      if (existsSync(denoConfig)) args.push('--config', denoConfig);
      args.push('--preload', GUARD, entry);
      const child = spawn('bash', [LIFELINE, DENO, ...args], {
        cwd: repoRoot,
        // stdin is the worker's lifeline: it closes when this process dies (worker-lifeline.sh).
        stdio: ['pipe', 'pipe', 'pipe'],
        // Its own process group, so stopping a worker stops everything it started.
        detached: true,
        env: functionEnv(p),
      });
      worker.child = child;
      const forward = (/** @type {Buffer} */ chunk) => {
        for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) write(`[functions/${name}] ${line}`);
      };
      child.stdout?.on('data', forward);
      child.stderr?.on('data', forward);
      child.on('exit', () => {
        if (workers.get(name) === worker) workers.delete(name);
        // The wrapper gone (even by SIGKILL, which it cannot trap) takes its group with it:
        // a worker must not serve on unseen beside the one the next request starts.
        try {
          process.kill(-(child.pid ?? 0), 'SIGKILL');
        } catch { /* the group is already gone */ }
      });
      await waitForPort(p, child);
    });
    workers.set(name, worker);
    worker.ready.catch(() => {
      if (workers.get(name) === worker) workers.delete(name);
      void stopChild(worker.child);
    });
    return worker;
  }

  /** The env Supabase gives functions [docs/supabase-protocol.md §4.3], over the gateway's own. @param {number} port */
  function functionEnv(port) {
    const fileEnv = readFunctionsEnv(functionsDir);
    /** @type {NodeJS.ProcessEnv} */
    const env = { ...fileEnv, ...process.env };
    return {
      ...env,
      SUPABASE_URL: apiUrl(),
      SUPABASE_ANON_KEY: config.anonKey,
      SUPABASE_SERVICE_ROLE_KEY: config.serviceRoleKey,
      SUPABASE_DB_URL: config.dbUrl,
      SUPABASE_PUBLISHABLE_KEYS: JSON.stringify({ default: PUBLISHABLE_KEY }),
      SUPABASE_SECRET_KEYS: JSON.stringify({ default: SECRET_KEY }),
      DENO_SERVE_ADDRESS: `tcp:127.0.0.1:${port}`,
      NO_COLOR: '1',
    };
  }

  /**
   * @param {import('node:http').IncomingMessage} req
   * @param {import('node:http').ServerResponse} res
   * @param {string} path the path after `/functions/v1`, e.g. `/hello/x`
   * @param {string} search the query string, with its `?`
   */
  async function handleFunctions(req, res, path, search) {
    const name = decodeSegment(path.split('/')[1] ?? '');
    const declared = Number(req.headers['content-length'] ?? 0);
    if (Number.isFinite(declared) && declared > BODY_LIMITS.functions) return sendTooLarge(req, res);
    const fn = resolveFunction({ functionsDir, configTomlPath }, name);
    // The local functions gateway checks the JWT before anything else, never on OPTIONS
    // [CLI serve/templates/main.ts]. Only the Authorization header counts: supabase-js never
    // sends an sb_ key as Bearer to functions, and Kong's apikey rewrite does not make one.
    if (fn.verifyJwt && req.method !== 'OPTIONS') {
      const token = bearerToken(req.headers.authorization);
      if (!token) return sendOwnJson(req, res, 401, { msg: 'Error: Missing authorization header' });
      try {
        await verifyJwt(token, config.jwtSecret);
      } catch {
        return sendOwnJson(req, res, 401, { msg: 'Invalid JWT' });
      }
    }
    if (!fn.entry) {
      addCorsHeaders(req, res);
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      return res.end('Function not found');
    }
    const worker = workers.get(name) ?? startWorker(name, fn.entry);
    try {
      await worker.ready;
    } catch (err) {
      write(`[functions/${name}] failed to boot: ${/** @type {Error} */ (err).message}`);
      return sendOwnJson(req, res, 503, { code: 'BOOT_ERROR', message: 'Worker failed to boot (please check logs)' });
    }
    proxy(req, res, worker.port, `${path}${search}`);
  }

  async function close() {
    const all = [...workers.values()];
    workers.clear();
    await Promise.all(all.map((w) => w.ready.catch(() => {}).then(() => stopChild(w.child))));
  }

  return { handleFunctions, close };
}

/**
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 * @param {number} port
 * @param {string} pathAndQuery
 */
function proxy(req, res, port, pathAndQuery) {
  /** @type {Record<string, string | string[] | undefined>} */
  const headers = { ...req.headers, host: `127.0.0.1:${port}` };
  for (const h of HOP_BY_HOP) delete headers[h];
  const upstream = http.request({ host: '127.0.0.1', port, method: req.method, path: pathAndQuery, headers });
  upstream.setTimeout(IDLE_TIMEOUT_MS, () => upstream.destroy(new Error('function timed out')));
  upstream.on('response', (up) => {
    const out = { ...up.headers };
    for (const h of HOP_BY_HOP) delete out[h];
    res.writeHead(up.statusCode ?? 502, up.statusMessage, out);
    // Send the headers now, so a streaming client sees the response start at once.
    res.flushHeaders();
    upResponse = up;
    up.pipe(res);
    up.on('error', () => {
      if (!up.complete) res.destroy();
    });
    // The function answered without reading all of the upload (and may never read more):
    // the rest is drained here, so the client finishes sending and its kept-alive
    // connection is free for the next request, instead of stalling until it times out.
    up.on('end', () => {
      if (req.complete) return;
      req.unpipe(upstream);
      upstream.destroy();
      req.resume();
    });
  });
  let cutOff = false;
  /** @type {import('node:http').IncomingMessage | null} */
  let upResponse = null;
  upstream.on('error', () => {
    // A function that answers before reading the whole upload (its own 413, a refusal)
    // closes its end under the rest of it: that rest is drained here, not forwarded, and a
    // response that already arrived whole still reaches the client on a connection kept
    // alive. Cutting that connection reset the client's next request on it.
    req.unpipe(upstream);
    req.resume();
    if (cutOff) return; // the 413 below is the answer
    if (!res.headersSent) sendOwnJson(req, res, 500, { code: 'WORKER_ERROR', message: 'Function exited due to an error (please check logs)' });
    else if (!upResponse?.complete) res.destroy();
  });
  // A client that goes away stops the function's response too.
  res.on('close', () => {
    if (!res.writableFinished) upstream.destroy();
  });
  // A body without a declared length is counted as it streams: past the cap the function
  // is cut off and the client told why.
  let size = 0;
  req.on('data', (chunk) => {
    size += chunk.length;
    if (size <= BODY_LIMITS.functions || cutOff) return;
    cutOff = true;
    req.unpipe(upstream);
    upstream.destroy();
    if (!res.headersSent) sendTooLarge(req, res);
    else res.destroy(); // an answer already under way or sent: no endless draining either
  });
  req.pipe(upstream);
}

/**
 * An answer the gateway gives in a function's place (no token, a bad one, a worker that did
 * not boot or fell over): with CORS, as hosted Supabase gives it, since the function's own
 * headers never come. Without them a browser could not read the 401 of an expired session
 * and showed a network failure instead.
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 * @param {number} status
 * @param {unknown} body
 * @param {Record<string, string>} [headers]
 */
function sendOwnJson(req, res, status, body, headers) {
  addCorsHeaders(req, res);
  sendJson(res, status, body, headers);
}

/**
 * 413 in the functions' error shape, ended as refuseUnreadBody says.
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 */
function sendTooLarge(req, res) {
  const body = { error: { code: 'payload_too_large', message: `The request body is larger than ${BODY_LIMITS.functions} bytes`, details: null } };
  refuseUnreadBody(req, (headers) => sendOwnJson(req, res, 413, body, headers));
}


/**
 * Resolves once the port accepts connections; rejects if the process exits first.
 * @param {number} port
 * @param {import('node:child_process').ChildProcess} child
 */
function waitForPort(port, child) {
  const deadline = Date.now() + BOOT_TIMEOUT_MS;
  return new Promise((resolve, reject) => {
    const onExit = (/** @type {number | null} */ code) => reject(new Error(`deno exited with ${code} before listening`));
    child.once('exit', onExit);
    const attempt = () => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        child.off('exit', onExit);
        resolve(undefined);
      });
      socket.once('error', () => {
        socket.destroy();
        if (child.exitCode !== null || child.signalCode !== null) return;
        if (Date.now() > deadline) {
          child.off('exit', onExit);
          reject(new Error(`no listener on port ${port} after ${BOOT_TIMEOUT_MS} ms`));
        } else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}

/** @param {import('node:child_process').ChildProcess | undefined} child */
function stopChild(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  /** @param {NodeJS.Signals} signal */
  const signalGroup = (signal) => {
    try {
      process.kill(-(child.pid ?? 0), signal);
    } catch {
      child.kill(signal);
    }
  };
  return new Promise((resolve) => {
    const timer = setTimeout(() => signalGroup('SIGKILL'), 3000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(undefined);
    });
    signalGroup('SIGTERM');
  });
}
