// @ts-check
// The API gateway of the local stack: what Kong does in `supabase start` [CLI kong.yml],
// routing the Supabase paths to the stand-ins for PostgREST, GoTrue and the functions runtime.
//
//   createGateway({ config, functionsDir, configTomlPath }) → { listen, close, url }
import http from 'node:http';
import { answerPreflight, addCorsHeaders } from './cors.mjs';
import { createPool } from './db.mjs';
import { createAuthHandler } from './auth.mjs';
import { createFunctionsHandler } from './functions.mjs';
import { sendJson } from './http-util.mjs';
import { createRestHandler } from './rest-rpc.mjs';
import { createRoutineCache } from './routines.mjs';

/**
 * @param {{
 *   config: { apiPort: number, dbUrl: string, jwtSecret: string, anonKey: string, serviceRoleKey: string },
 *   functionsDir: string,
 *   configTomlPath: string,
 *   denoConfigPath?: string,         // default: <repo>/deno.json when it exists
 *   host?: string,                   // default 127.0.0.1
 *   log?: (line: string) => void,    // function output and gateway errors; default stderr
 * }} options
 */
export function createGateway({ config, functionsDir, configTomlPath, denoConfigPath, host = '127.0.0.1', log }) {
  const write = log ?? ((line) => process.stderr.write(`${line}\n`));
  const pool = createPool(config.dbUrl);
  let port = config.apiPort;
  const url = () => `http://${host}:${port}`;

  const routineCache = createRoutineCache(pool, config.dbUrl);
  const rest = createRestHandler({ pool, routineCache, config });
  const auth = createAuthHandler({ pool, config, issuer: () => `${url()}/auth/v1` });
  const functions = createFunctionsHandler({ config, functionsDir, configTomlPath, denoConfigPath, apiUrl: url, log: write });

  const server = http.createServer(async (req, res) => {
    const parsed = new URL(req.url ?? '/', 'http://gateway');
    const route = /^\/(rest|auth|functions)\/v1(\/.*)?$/.exec(parsed.pathname);
    try {
      if (!route) return sendJson(res, 404, { message: 'no Route matched with those values' });
      const [, service, subPath = '/'] = route;
      if (service === 'functions') {
        // Functions answer their own CORS (supabase-js's corsHeaders helper) [facts §1, §4].
        return await functions.handleFunctions(req, res, subPath, parsed.search);
      }
      if (answerPreflight(req, res)) return;
      addCorsHeaders(req, res);
      if (service === 'rest') return await rest(req, res, subPath, parsed.searchParams);
      return await auth(req, res, subPath, parsed.searchParams);
    } catch (err) {
      write(`[gateway] ${req.method} ${parsed.pathname}: ${/** @type {Error} */ (err)?.stack ?? err}`);
      if (!res.headersSent) sendJson(res, 500, { message: 'An unexpected error occurred in the local gateway' });
      else res.destroy();
    }
  });
  // Streams (SSE from functions) may stay open far longer than Node's defaults allow.
  server.requestTimeout = 0;
  server.headersTimeout = 60_000;

  return {
    url,
    /** @returns {Promise<void>} */
    listen() {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          const address = server.address();
          if (typeof address === 'object' && address) port = address.port;
          server.off('error', reject);
          resolve();
        });
      });
    },
    /** Stops accepting, ends open connections, stops every function process, drains the pool. */
    async close() {
      await new Promise((resolve) => {
        server.close(() => resolve(undefined));
        server.closeAllConnections();
      });
      await functions.close();
      await routineCache.close();
      await pool.end();
    },
  };
}
