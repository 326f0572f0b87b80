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
  // Like PostgREST's JWT cache (jwt-cache-max-lifetime): a token verified once is trusted
  // until it expires, which spares the HMAC on every request of a session. Keyed by the
  // whole token text (a token differing in any byte is verified afresh) and the secret;
  // the expiry is checked on every hit, with the same 30 s of skew as a verification.
  const cached = verified.get(token);
  if (cached !== undefined && cached.secret === secret) {
    if (cached.exp === undefined || cached.exp + 30 > Date.now() / 1000) {
      // Least recently used goes first: a hit moves the token to the back.
      verified.delete(token);
      verified.set(token, cached);
      return cached.claims;
    }
    verified.delete(token);
    throw new JwtError('PGRST303', 'JWT expired');
  }
  const claims = Object.freeze(await verifyUncached(token, secret));
  if (verified.size >= VERIFIED_MAX) verified.delete(/** @type {string} */ (verified.keys().next().value));
  verified.set(token, { secret, claims, exp: typeof claims.exp === 'number' ? claims.exp : undefined });
  return claims;
}

export const VERIFIED_MAX = 1000;
/** @type {Map<string, { secret: string, claims: Readonly<Record<string, unknown>>, exp: number | undefined }>} least recently used first */
const verified = new Map();

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
