#!/usr/bin/env node
// The naive baseline of local/bench/gateway-overhead.mjs (issue 18): the least an HTTP→RPC
// bridge can do. No JWT verification (the payload is decoded, not checked), no role
// switch, no transaction of its own, no schema cache, no error mapping: one pool of 10
// connections as the database URL's user and `select fn(args)` in ONE prepared statement
// (as postgres.js prepares every query), with the token's claims set for that statement so
// auth.uid() works. The pg driver (a dependency already) stands in for postgres.js.
// NOT a gateway to run anything on.
// With --as-role the same statement also sets the token's role, so the function's own
// queries run under RLS as the gateway's do (the privilege to call it is still checked as
// the login role: a measuring aid, not a way to run anything).
//   node local/bench/naive-gateway.mjs --port 55731 [--db postgresql://…] [--as-role]
import http from 'node:http';
import pg from 'pg';
import { stackConfig } from '../config.mjs';

/**
 * @param {{ dbUrl: string, port?: number, host?: string, asRole?: boolean }} options
 * @returns {Promise<{ url: string, close: () => Promise<unknown> }>}
 */
export function startNaiveGateway({ dbUrl, port = 0, host = '127.0.0.1', asRole = false }) {
  const pool = new pg.Pool({ connectionString: dbUrl, max: 10 });
  const server = http.createServer((req, res) => {
    const fn = /^\/rest\/v1\/rpc\/([a-z_][a-z0-9_]*)$/.exec(req.url ?? '')?.[1];
    /** @type {Buffer[]} */
    const chunks = [];
    req.on('data', (c) => chunks.push(c)).on('end', async () => {
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
      const claims = Buffer.from(token.split('.')[1] ?? '', 'base64url').toString() || '{}';
      const body = Buffer.concat(chunks).toString() || '{}';
      try {
        if (!fn) throw new Error('no such route');
        const args = JSON.parse(body);
        const text = `with _c as materialized (select set_config('request.jwt.claims', $1, true)${asRole ? `, set_config('role', ${pg.escapeLiteral(JSON.parse(claims).role ?? 'anon')}, true)` : ''})
          select public.${fn}(${Object.keys(args).map((k, i) => `"${k.replace(/"/g, '')}" := $${i + 2}`).join(', ')})::text as body from _c`;
        // A named (prepared) statement, as postgres.js prepares every query by default.
        const { rows } = await pool.query({ name: `naive_${text.length}_${fn}_${Object.keys(args).join('_')}`, text, values: [claims, ...Object.values(args)] });
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(rows[0].body ?? 'null');
      } catch (err) {
        res.writeHead(400, { 'Content-Type': 'application/json' }).end(JSON.stringify({ message: String(/** @type {Error} */ (err).message) }));
      }
    });
  });
  return new Promise((resolve) => server.listen(port, host, () => resolve({
    url: `http://${host}:${/** @type {import('node:net').AddressInfo} */ (server.address()).port}`,
    close: () => new Promise((done) => { server.close(() => pool.end().then(done)); server.closeAllConnections(); }),
  })));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (/** @type {string} */ name) => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1] : undefined; };
  if (!arg('--port')) {
    console.log('naive-gateway.mjs: the baseline server of gateway-overhead.mjs; run it with --port N to serve.');
  } else {
    const { url } = await startNaiveGateway({ dbUrl: arg('--db') ?? stackConfig().dbUrl, port: Number(arg('--port')), asRole: process.argv.includes('--as-role') });
    console.log(`naive gateway on ${url}`);
  }
}
