// @ts-check
// HS256 JWTs with the stack's shared secret: verified the way PostgREST does it, signed the
// way GoTrue does it.
import { SignJWT, jwtVerify, errors } from 'jose';

/** @param {string} secret */
const keyOf = (secret) => new TextEncoder().encode(secret);

/**
 * A JWT problem, classified as PostgREST classifies it [PGRST Error.hs]: PGRST301 for a token
 * that cannot be decoded or whose signature is wrong, PGRST303 for bad claims.
 */
export class JwtError extends Error {
  /** @param {'PGRST301' | 'PGRST303'} code @param {string} message */
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

/**
 * Verifies an HS256 token; exp/nbf/iat get PostgREST's 30 s of clock skew [PGRST auth.rst].
 * @param {string} token
 * @param {string} secret
 * @returns {Promise<Record<string, unknown>>} the claims
 */
export async function verifyJwt(token, secret) {
  const cached = cachedClaims(token, secret);
  if (cached !== undefined) return cached;
  const claims = Object.freeze(await verifyUncached(token, secret));
  if (verified.size >= VERIFIED_MAX) verified.delete(/** @type {string} */ (verified.keys().next().value));
  verified.set(token, { secret, claims, exp: typeof claims.exp === 'number' ? claims.exp : undefined, use: ++uses });
  return claims;
}

/**
 * The claims of a token verified before and not expired since, without waiting (the
 * gateway's usual case), or undefined when it must be verified; an expired one throws
 * PGRST303 and is forgotten.
 *
 * Like PostgREST's JWT cache (jwt-cache-max-lifetime): a token verified once is trusted
 * until it expires, which spares the HMAC on every request of a session. Keyed by the
 * whole token text (a token differing in any byte is verified afresh) and the secret;
 * the expiry is checked on every hit, with the same 30 s of skew as a verification.
 * @param {string} token
 * @param {string} secret
 * @returns {Readonly<Record<string, unknown>> | undefined}
 */
export function cachedClaims(token, secret) {
  const cached = verified.get(token);
  if (cached === undefined || cached.secret !== secret) return undefined;
  if (cached.exp !== undefined && cached.exp + 30 <= Date.now() / 1000) {
    verified.delete(token);
    throw new JwtError('PGRST303', 'JWT expired');
  }
  // Least recently used goes first: a hit moves the token to the back, unless it is among
  // the newer half already (then nothing older than it is evicted before it anyway), which
  // spares a delete and an insert on most hits.
  if (uses - cached.use > VERIFIED_MAX / 2) {
    verified.delete(token);
    cached.use = ++uses;
    verified.set(token, cached);
  }
  return cached.claims;
}

export const VERIFIED_MAX = 1000;
/** @type {Map<string, { secret: string, claims: Readonly<Record<string, unknown>>, exp: number | undefined, use: number }>} least recently used first */
const verified = new Map();
/** Tokens put at the back of `verified` so far: a token's `use` says how recently it went there. */
let uses = 0;

/** How many verified tokens are remembered (for tests of the bound). */
export function verifiedTokenCount() {
  return verified.size;
}

/**
 * @param {string} token
 * @param {string} secret
 * @returns {Promise<Record<string, unknown>>}
 */
async function verifyUncached(token, secret) {
  const parts = token.split('.').length;
  if (parts !== 3) throw new JwtError('PGRST301', `Expected 3 parts in JWT; got ${parts}`);
  try {
    const { payload } = await jwtVerify(token, keyOf(secret), {
      algorithms: ['HS256'],
      clockTolerance: 30,
    });
    const now = Math.floor(Date.now() / 1000);
    if (typeof payload.iat === 'number' && payload.iat > now + 30) {
      throw new JwtError('PGRST303', 'JWT issued at future');
    }
    return /** @type {Record<string, unknown>} */ (payload);
  } catch (err) {
    if (err instanceof JwtError) throw err;
    if (err instanceof errors.JWTExpired) throw new JwtError('PGRST303', 'JWT expired');
    if (err instanceof errors.JWTClaimValidationFailed) {
      throw new JwtError('PGRST303', err.claim === 'nbf' ? 'JWT not yet valid' : 'Parsing claims failed');
    }
    if (err instanceof errors.JOSEAlgNotAllowed) {
      throw new JwtError('PGRST301', 'Wrong or unsupported encoding algorithm');
    }
    throw new JwtError('PGRST301', 'JWT cryptographic operation failed');
  }
}

/**
 * @param {Record<string, unknown>} claims must include exp and iat where wanted
 * @param {string} secret
 */
export function signJwt(claims, secret) {
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(keyOf(secret));
}
