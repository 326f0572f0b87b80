// Serves the built CSM workspace (web/dist, or the placeholder in web/ before a build) and
// tells the page where the API is through /renubu-config.json, so one build works against
// any stack.
import http from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './config.mjs';

/** @type {Record<string, string>} */
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/** The seeded demo people (local/demo-people.json, as seed.sql creates them) for the sign-in page. */
function localDemoPeople() {
  const demo = JSON.parse(readFileSync(path.join(repoRoot, 'local', 'demo-people.json'), 'utf8'));
  return { password: demo.password, people: Object.values(demo.people) };
}

export function webRoot() {
  const dist = path.join(repoRoot, 'web', 'dist');
  return existsSync(path.join(dist, 'index.html')) ? dist : path.join(repoRoot, 'web', 'public');
}

/**
 * The web app's server: the built files, and `/renubu-config.json` saying where the API is.
 * @param {{ config: { webPort: number, apiUrl: string, anonKey: string }, root?: string }} options
 */
export function createWebServer({ config, root = webRoot() }) {
  const runtimeConfig = JSON.stringify({
    supabaseUrl: config.apiUrl,
    supabaseAnonKey: config.anonKey,
    // The sign-in page lists the seeded demo people only on the local stack: handed out
    // here, at run time, so no build of the web app carries their password.
    demoPeople: localDemoPeople(),
  });
  const server = http.createServer((req, res) => {
    serve(req, res).catch((err) => {
      // Never die on a request: log it and answer 500 if anything can still be said.
      process.stderr.write(`[web] ${req.method} ${req.url}: ${err?.stack ?? err}\n`);
      if (!res.headersSent) plain(res, 500, 'Internal error');
      else res.destroy();
    });
  });

  /** @param {http.IncomingMessage} req @param {http.ServerResponse} res */
  async function serve(req, res) {
    // Static files only: nothing here reads a body, so an upload is refused unread.
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return plain(res, 405, 'Method not allowed', { Connection: 'close' });
    }
    let url;
    let pathname;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
      pathname = decodeURIComponent(url.pathname);
    } catch {
      return plain(res, 400, 'Bad request: the path is not valid percent-encoding');
    }
    if (pathname.includes('\0')) return plain(res, 400, 'Bad request');
    if (url.pathname === '/renubu-config.json') {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(runtimeConfig);
      return;
    }
    const safe = path.normalize(pathname).replace(/^(\.\.[/\\])+/, '');
    let file = path.join(root, safe);
    if (!file.startsWith(root) || !(await isFile(file))) file = path.join(root, 'index.html'); // SPA fallback
    try {
      const body = await readFile(file);
      const immutable = file.includes(`${path.sep}assets${path.sep}`);
      res.writeHead(200, {
        'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
        'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      });
      res.end(body);
    } catch {
      plain(res, 404, 'Not found');
    }
  }
  return {
    listen: () => new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.webPort, '127.0.0.1', () => resolve(undefined));
    }),
    close: () => new Promise((resolve) => {
      server.closeAllConnections?.();
      server.close(() => resolve(undefined));
    }),
  };
}

/** @param {http.ServerResponse} res @param {number} status @param {string} text */
function plain(res, status, text, headers = {}) {
  res.writeHead(status, { ...headers, 'content-type': 'text/plain; charset=utf-8' });
  res.end(text);
}

/** @param {string} file */
async function isFile(file) {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}
