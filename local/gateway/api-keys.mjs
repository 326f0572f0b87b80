// @ts-check
// Which bearer token reaches PostgREST and GoTrue, as the local CLI's Kong decides it
// [CLI internal/start/start.go ~451, docs/supabase-protocol.md §1]:
//   1. the incoming Authorization, unless it is `Bearer sb_…`;
//   2. apikey = the secret key      → the service_role JWT;
//   3. apikey = the publishable key → the anon JWT;
//   4. otherwise Kong forwards the raw apikey *without* "Bearer ", which PostgREST does not
//      read, so the request runs as anon: we return null (no token) for that case.
import { PUBLISHABLE_KEY, SECRET_KEY } from '../config.mjs';
import { secretsEqual } from '../../functions-shared/secret-equal.js';
import { bearerToken } from './http-util.mjs';

/**
 * @param {import('node:http').IncomingHttpHeaders} headers
 * @param {{ anonKey: string, serviceRoleKey: string, publishableKey?: string, secretKey?: string }} config
 * @returns {string | null} the JWT to verify, or null for "no JWT" (anon)
 */
export function effectiveBearer(headers, config) {
  const authorization = headers.authorization;
  if (authorization && !/^bearer\s+sb_/i.test(authorization)) return bearerToken(authorization);
  const apikey = headers.apikey;
  // The secret key compared in constant time (functions-shared/secret-equal.js); the
  // publishable one is public, compared alike for one rule.
  if (typeof apikey === 'string' && secretsEqual(apikey, config.secretKey ?? SECRET_KEY)) return config.serviceRoleKey;
  if (typeof apikey === 'string' && secretsEqual(apikey, config.publishableKey ?? PUBLISHABLE_KEY)) return config.anonKey;
  return null;
}
