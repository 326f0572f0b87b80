// @ts-check
// The API gateway of the local stack: what Kong does in `supabase start` [CLI kong.yml],
// routing the Supabase paths to the stand-ins for PostgREST, GoTrue and the functions runtime.
//
//   createGateway({ config, functionsDir, configTomlPath }) → { listen, close, url }
import http from 'node:http';
import { answerPreflight, addCorsHeaders } from './cors.mjs';
import { apiPoolSize, asRole, createPool } from './db.mjs';
import { createAuthHandler } from './auth.mjs';
import { createMailbox } from '../mail-catcher.mjs';
import { createFunctionsHandler } from './functions.mjs';
import { RequestRejected, refuseUnreadBody, sendJson } from './http-util.mjs';
import { readAuthRateLimits } from './rate-limit.mjs';
import { createRestHandler } from './rest-rpc.mjs';
import { createRoutineCache } from './routines.mjs';
import { createStorageHandler } from './storage.mjs';

/**
 * @param {{
 *   config: { apiPort: number, dbUrl: string, jwtSecret: string, anonKey: string, serviceRoleKey: string, dataDir?: string, storageDir?: string },
 *   functionsDir: string,
 *   configTomlPath: string,
 *   denoConfigPath?: string,         // default: <repo>/deno.json when it exists
 *   host?: string,                   // default 127.0.0.1
 *   log?: (line: string) => void,    // function output and gateway errors; default stderr
 *   authRateLimits?: { sign_in_sign_ups: number, token_refresh: number, token_verifications?: number }, // default: config.toml
 *   mailbox?: ReturnType<typeof createMailbox>, // where Auth's invite and reset mail goes; default: a new one
 * }} options
 */
/** @typedef {{ pathname: string, search: string, searchParams: URLSearchParams }} Target */
/** @type {Target} */
const ROOT = { pathname: '/', search: '', searchParams: new URLSearchParams() };
// An origin-form target whose path holds no dot, percent sign or character the URL parser
// would rewrite (nor a leading `//`, an authority): its pathname and query are the text
// itself, without a URL parse.
const PLAIN_TARGET = /^(\/(?!\/)[A-Za-z0-9_\-\/~!$&'()*+,;=:@]*)(\?[A-Za-z0-9_\-\/~!$&()*+,;=:@?.%]*)?$/;

/**
 * The request target's path and query, as WHATWG URL parsing gives them.
 * @param {string} target
 * @returns {Target}
 */
function parseTarget(target) {
  const plain = PLAIN_TARGET.exec(target);
  if (plain) {
    const search = plain[2] && plain[2].length > 1 ? plain[2] : '';
    return { pathname: plain[1] ?? '/', search, searchParams: new URLSearchParams(search) };
  }
  // The request target is the client's text: an absolute form with a broken host
  // (`GET http://[/x`) is its mistake, not the gateway's.
  if (!URL.canParse(target, 'http://gateway')) {
    throw new RequestRejected(400, 'PGRST100', 'The request target is not a valid URL');
  }
  return new URL(target, 'http://gateway');
}

/**
 * @param {{ config: import('../config.mjs').StackConfig, functionsDir: string, configTomlPath: string, denoConfigPath?: string, host?: string,
 *   log?: (line: string) => void, authRateLimits?: ReturnType<typeof readAuthRateLimits>, mailbox?: ReturnType<typeof createMailbox> }} options
 */
export function createGateway({ config, functionsDir, configTomlPath, denoConfigPath, host = '127.0.0.1', log, authRateLimits, mailbox = createMailbox() }) {
  const write = log ?? ((line) => process.stderr.write(`${line}\n`));
  // Least privilege, as on Supabase: the API logs in as `authenticator` (which can only
  // become anon, authenticated or service_role) and Auth as `supabase_auth_admin` (which
  // owns nothing but the auth schema). Neither can bypass RLS by a forged role claim.
  const apiDbUrl = asRole(config.dbUrl, 'authenticator');
  const pool = createPool(apiDbUrl, apiPoolSize());
  const authPool = createPool(asRole(config.dbUrl, 'supabase_auth_admin'));
  let port = config.apiPort;
  const url = () => `http://${host}:${port}`;

  const routineCache = createRoutineCache(pool, apiDbUrl);
  const rest = createRestHandler({ pool, routineCache, config });
  const auth = createAuthHandler({
    pool: authPool, config, issuer: () => `${url()}/auth/v1`, rateLimits: authRateLimits ?? readAuthRateLimits(configTomlPath),
    mailbox, configTomlPath,
  });
  const storage = createStorageHandler({ pool, config });
  const functions = createFunctionsHandler({ config, functionsDir, configTomlPath, denoConfigPath, apiUrl: url, log: write });

  const server = http.createServer(async (req, res) => {
    let parsed = ROOT;
    try {
      parsed = parseTarget(req.url ?? '/');
      const route = /^\/(rest|auth|functions|storage)\/v1(\/.*)?$/.exec(parsed.pathname);
      if (!route) {
        addCorsHeaders(req, res);
        return sendJson(res, 404, { message: 'no Route matched with those values' });
      }
      const [, service, subPath = '/'] = route;
      if (service === 'functions') {
        // Functions answer their own CORS (supabase-js's corsHeaders helper); the answers the
        // gateway gives in their place carry its own [docs/supabase-protocol.md §1, §4].
        return await functions.handleFunctions(req, res, subPath, parsed.search);
      }
      if (answerPreflight(req, res)) return;
      addCorsHeaders(req, res);
      if (service === 'rest') return await rest(req, res, subPath, parsed.searchParams);
      if (service === 'storage') return await storage(req, res, subPath, parsed.searchParams);
      return await auth(req, res, subPath, parsed.searchParams);
    } catch (err) {
      // Every refusal the gateway writes itself carries CORS, or a browser reads it as a
      // network failure (a bad path, a body too large, its own 500).
      if (!res.headersSent) addCorsHeaders(req, res);
      if (err instanceof RequestRejected) {
        if (res.headersSent) return res.destroy();
        const body = { code: err.code, details: null, hint: null, message: err.message };
        return refuseUnreadBody(req, (headers) => sendJson(res, err.status, body, headers));
      }
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
    mailbox,
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
      await Promise.all([pool.end(), authPool.end()]);
    },
  };
}
