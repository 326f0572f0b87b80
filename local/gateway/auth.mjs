// @ts-check
// `/auth/v1/*`: the subset of GoTrue that supabase-js uses for email + password sessions
// (docs/supabase-protocol.md §3): the password and refresh_token grants, GET /user, POST /logout, GET /health;
// the Auth admin API and the account endpoints (invite, verify, recover, PUT /user) are in
// ./auth-admin.mjs.
import { randomBytes, randomUUID } from 'node:crypto';
import { effectiveBearer } from './api-keys.mjs';
import { createAuthAdminRoutes, readAuthSettings } from './auth-admin.mjs';
import { inTransaction } from './db.mjs';
import { BODY_LIMITS, jsonTooDeep, readBody, sendJson } from './http-util.mjs';
import { signJwt, verifyJwt } from './jwt.mjs';
import { createRateLimiter } from './rate-limit.mjs';

const ACCESS_TOKEN_SECONDS = 3600; // GoTrue's default jwt_expiry
const REFRESH_REUSE_SECONDS = 10; // GOTRUE_SECURITY_REFRESH_TOKEN_REUSE_INTERVAL default
const API_VERSION = '2024-01-01';

export class AuthError extends Error {
  /** @param {number} status @param {string} code @param {string} message */
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/**
 * @param {{
 *   pool: import('pg').Pool,
 *   config: { jwtSecret: string, anonKey: string, serviceRoleKey: string },
 *   issuer: () => string,
 *   rateLimits: { sign_in_sign_ups: number, token_refresh: number, token_verifications?: number },
 *   mailbox: { deliver(mail: { to: string, subject: string, text: string, html?: string }): unknown },
 *   configTomlPath?: string,
 * }} deps
 */
export function createAuthHandler({ pool, config, issuer, rateLimits, mailbox, configTomlPath }) {
  const limiters = {
    password: createRateLimiter({ limit: rateLimits.sign_in_sign_ups }),
    refresh_token: createRateLimiter({ limit: rateLimits.token_refresh }),
  };
  const adminRoutes = createAuthAdminRoutes({
    pool, config, issuer, mailbox, settings: readAuthSettings(configTomlPath), AuthError, jsonBody, loadUser,
    bearerClaims: (req) => bearerClaims(req), requireSession: (req) => requireSession(req), startSession: (client, userId, method) => startSession(client, userId, method),
    // GoTrue counts /recover and PUT /user under sign_in_sign_ups (docs/supabase-protocol.md §3).
    otpLimiter: createRateLimiter({ limit: rateLimits.sign_in_sign_ups }),
    // POST and GET /verify: a six-digit code must not be guessable by trying them all.
    verifyLimiter: createRateLimiter({ limit: rateLimits.token_verifications ?? 30 }),
  });
  /** A bcrypt hash to check passwords against when the email is unknown (see passwordGrant). */
  let decoyHash = /** @type {Promise<string> | null} */ (null);

  /**
   * @param {import('node:http').IncomingMessage} req
   * @param {import('node:http').ServerResponse} res
   * @param {string} path the path after `/auth/v1`
   * @param {URLSearchParams} query
   */
  return async function handleAuth(req, res, path, query) {
    // auth-js reads `code` only when the response carries the API version header; without
    // the request header GoTrue answers the older {code: status, error_code, msg} shape.
    const versioned = apiVersionOf(req) !== null;
    /** @type {Record<string, string>} */
    const headers = versioned ? { 'X-Supabase-Api-Version': API_VERSION } : {};
    try {
      const route = `${req.method} ${path.replace(/\/+$/, '')}`;
      if (route === 'GET /health') {
        return sendJson(res, 200, { version: 'renubu-local', name: 'GoTrue', description: 'GoTrue subset of the Renubu local stack' }, headers);
      }
      if (route === 'POST /token') {
        const grant = query.get('grant_type');
        const limiter = grant === 'password' || grant === 'refresh_token' ? limiters[grant] : null;
        // Per client address, as GoTrue counts; X-Forwarded-For is not trusted locally.
        if (limiter && !limiter.take(req.socket.remoteAddress ?? 'unknown')) {
          throw new AuthError(429, 'over_request_rate_limit', 'Request rate limit reached');
        }
        const body = await jsonBody(req);
        const session =
          grant === 'password'
            ? await passwordGrant(body)
            : grant === 'refresh_token'
              ? await refreshGrant(body)
              : null;
        if (!session) {
          // GoTrue answers an unknown grant with an OAuth-style error.
          return sendJson(res, 400, { error: 'unsupported_grant_type', error_description: `unsupported_grant_type: ${grant}` }, headers);
        }
        return sendJson(res, 200, session, headers);
      }
      if (route === 'GET /user') {
        const { user } = await requireSession(req);
        return sendJson(res, 200, user, headers);
      }
      if (route === 'POST /logout') {
        const { claims } = await requireSession(req);
        await logout(String(claims.sub), String(claims.session_id ?? ''), query.get('scope') ?? 'global');
        res.writeHead(204, headers);
        return res.end();
      }
      if (await adminRoutes(req, res, route, query, headers)) return;
      throw new AuthError(404, 'not_found', 'Not found');
    } catch (caught) {
      const err = caught instanceof AuthError ? caught : badInput(caught);
      if (!err) throw caught;
      const extra = /** @type {{ extra?: Record<string, unknown> }} */ (err).extra ?? {};
      const body = versioned ? { code: err.code, message: err.message, ...extra } : { code: err.status, error_code: err.code, msg: err.message, ...extra };
      return sendJson(res, err.status, body, { ...headers, 'x-sb-error-code': err.code });
    }
  };

  /** @param {Record<string, any>} body */
  async function passwordGrant(body) {
    const email = typeof body.email === 'string' ? body.email : '';
    const password = typeof body.password === 'string' ? body.password : '';
    if (!email || !password) throw new AuthError(400, 'validation_failed', 'missing email or phone');
    const decoy = await decoyPasswordHash();
    return inTransaction(pool, { readOnly: false }, async (client) => {
      // The password is hashed whether or not the email exists (against a decoy hash of
      // the same cost when it does not), so the answer's timing does not tell which
      // emails have accounts.
      const { rows } = await client.query(
        `select u.id,
                coalesce(u.encrypted_password like '$2%' and u.encrypted_password = h.computed, false) as password_ok,
                u.email_confirmed_at is not null as confirmed,
                coalesce(u.banned_until > now(), false) as banned
           from (select) as one
           left join auth.users u
             on lower(u.email) = lower($1) and u.is_sso_user = false and u.deleted_at is null
          cross join lateral (
                -- offset 0 keeps this a separate step, so the hash is always computed
                -- rather than short-circuited away for an unknown email.
                select extensions.crypt($2, case when u.encrypted_password like '$2%' then u.encrypted_password else $3 end) as computed
                offset 0) as h`,
        [email, password, decoy],
      );
      const found = rows[0];
      // Unknown email and wrong password are the same answer [AUTH token.go].
      if (!found?.password_ok) throw new AuthError(400, 'invalid_credentials', 'Invalid login credentials');
      if (!found.confirmed) throw new AuthError(400, 'email_not_confirmed', 'Email not confirmed');
      if (found.banned) throw new AuthError(400, 'user_banned', 'User is banned');
      await client.query(`update auth.users set last_sign_in_at = now(), updated_at = now() where id = $1`, [found.id]);
      return { commit: true, value: await startSession(client, found.id, 'password') };
    });
  }

  /**
   * A new session with its first refresh token, answered as GoTrue's AccessTokenResponse.
   * @param {import('pg').PoolClient} client
   * @param {string} userId
   * @param {string} method the amr method: password, invite, recovery, otp
   */
  async function startSession(client, userId, method) {
    const sessionId = randomUUID();
    await client.query(`insert into auth.sessions (id, user_id) values ($1, $2)`, [sessionId, userId]);
    const refreshToken = await insertRefreshToken(client, userId, sessionId, null);
    return tokenResponse(client, userId, sessionId, refreshToken, method);
  }

  /** A bcrypt hash as costly as the costliest account's (GoTrue's 10 if none yet), made once. */
  function decoyPasswordHash() {
    decoyHash ??= pool.query(
      `select extensions.crypt(encode(extensions.gen_random_bytes(12), 'hex'), extensions.gen_salt('bf', coalesce(
                (select max(substr(encrypted_password, 5, 2)::int) from auth.users
                  where encrypted_password ~ '^\\$2[aby]\\$[0-9]{2}\\$'), 10))) as hash`,
    ).then((r) => r.rows[0].hash).catch((err) => { decoyHash = null; throw err; });
    return decoyHash;
  }

  /**
   * Rotating refresh tokens: the used one is revoked and a child issued. A revoked token
   * presented again within the reuse interval gets the session's current token (two tabs
   * refreshing at once); later it is a replay and ends the session [AUTH tokens/service.go].
   * @param {Record<string, any>} body
   */
  async function refreshGrant(body) {
    const token = typeof body.refresh_token === 'string' ? body.refresh_token : '';
    if (!token) throw new AuthError(400, 'validation_failed', 'refresh_token required');
    const result = await inTransaction(pool, { readOnly: false }, async (client) => {
      const { rows } = await client.query(
        `select rt.user_id, rt.session_id, rt.revoked, s.id as live_session,
                coalesce((select u.banned_until > now() from auth.users u where u.id = s.user_id), false) as banned
           from auth.refresh_tokens rt left join auth.sessions s on s.id = rt.session_id
          where rt.token = $1 for update of rt`,
        [token],
      );
      const row = rows[0];
      if (!row) throw new AuthError(400, 'refresh_token_not_found', 'Invalid Refresh Token: Refresh Token Not Found');
      if (!row.live_session) throw new AuthError(400, 'session_not_found', 'Invalid Refresh Token: Session Not Found');
      if (row.banned) throw new AuthError(400, 'user_banned', 'Invalid Refresh Token: User Banned');
      if (row.revoked) {
        const { rows: recent } = await client.query(
          `select token from auth.refresh_tokens
            where session_id = $1 and not revoked
              and exists (select from auth.refresh_tokens child
                           where child.parent = $2 and child.created_at > now() - make_interval(secs => $3))
            order by id desc limit 1`,
          [row.session_id, token, REFRESH_REUSE_SECONDS],
        );
        if (!recent[0]) {
          await client.query(`update auth.refresh_tokens set revoked = true, updated_at = now() where session_id = $1`, [row.session_id]);
          return { commit: true, value: null };
        }
        return { commit: true, value: await tokenResponse(client, row.user_id, row.session_id, recent[0].token) };
      }
      await client.query(`update auth.refresh_tokens set revoked = true, updated_at = now() where token = $1`, [token]);
      await client.query(`update auth.sessions set updated_at = now() where id = $1`, [row.session_id]);
      const next = await insertRefreshToken(client, row.user_id, row.session_id, token);
      return { commit: true, value: await tokenResponse(client, row.user_id, row.session_id, next) };
    });
    if (!result) throw new AuthError(400, 'refresh_token_already_used', 'Invalid Refresh Token: Already Used');
    return result;
  }

  /**
   * @param {import('pg').PoolClient} client
   * @param {string} userId
   * @param {string} sessionId
   * @param {string | null} parent
   */
  async function insertRefreshToken(client, userId, sessionId, parent) {
    const token = randomBytes(24).toString('base64url');
    await client.query(
      `insert into auth.refresh_tokens (token, user_id, session_id, parent, revoked) values ($1, $2, $3, $4, false)`,
      [token, userId, sessionId, parent],
    );
    return token;
  }

  /**
   * GoTrue's AccessTokenResponse with its access-token claims [AUTH tokens/service.go].
   * @param {import('pg').PoolClient} client
   * @param {string} userId
   * @param {string} sessionId
   * @param {string} refreshToken
   * @param {string} [method] how the session began (amr), default password
   */
  async function tokenResponse(client, userId, sessionId, refreshToken, method) {
    const user = await loadUser(client, userId);
    if (!user) throw new AuthError(403, 'user_not_found', 'User from sub claim in JWT does not exist');
    const { rows } = await client.query(`select extract(epoch from created_at)::bigint as at from auth.sessions where id = $1`, [sessionId]);
    const iat = Math.floor(Date.now() / 1000);
    const exp = iat + ACCESS_TOKEN_SECONDS;
    const accessToken = await signJwt(
      {
        iss: issuer(),
        sub: user.id,
        aud: user.aud,
        exp,
        iat,
        email: user.email ?? '',
        phone: user.phone,
        app_metadata: user.app_metadata,
        user_metadata: user.user_metadata,
        role: user.role,
        aal: 'aal1',
        amr: [{ method: method ?? 'password', timestamp: Number(rows[0]?.at ?? iat) }],
        session_id: sessionId,
        is_anonymous: user.is_anonymous,
      },
      config.jwtSecret,
    );
    return {
      access_token: accessToken,
      token_type: 'bearer',
      expires_in: ACCESS_TOKEN_SECONDS,
      expires_at: exp,
      refresh_token: refreshToken,
      user,
    };
  }

  /**
   * The claims of the caller's bearer token, verified: 401 without a bearer, 403 when it
   * does not verify [AUTH auth.go]. The account endpoints and the admin API both start here.
   * @param {import('node:http').IncomingMessage} req
   * @returns {Promise<Record<string, unknown>>}
   */
  async function bearerClaims(req) {
    const token = effectiveBearer(req.headers, config);
    if (!token) throw new AuthError(401, 'no_authorization', 'This endpoint requires a valid Bearer token');
    try {
      return await verifyJwt(token, config.jwtSecret);
    } catch (err) {
      throw new AuthError(403, 'bad_jwt', `invalid JWT: unable to parse or verify signature, ${/** @type {Error} */ (err).message}`);
    }
  }

  /**
   * The caller's verified token, user and session, as GoTrue's requireAuthentication does
   * [AUTH auth.go]: 401 without a bearer, 403 for a bad token, a missing user or session.
   * @param {import('node:http').IncomingMessage} req
   */
  async function requireSession(req) {
    const claims = await bearerClaims(req);
    const sub = typeof claims.sub === 'string' ? claims.sub : '';
    if (!/^[0-9a-f-]{36}$/i.test(sub)) throw new AuthError(403, 'bad_jwt', 'invalid claim: missing sub claim');
    const sessionId = typeof claims.session_id === 'string' ? claims.session_id : '';
    if (sessionId && !/^[0-9a-f-]{36}$/i.test(sessionId)) throw new AuthError(403, 'bad_jwt', 'invalid claim: session_id is not a uuid');
    const { user, sessionFound } = await inTransaction(pool, { readOnly: true }, async (client) => {
      const found = await loadUser(client, sub);
      const session = sessionId
        ? await client.query(`select 1 from auth.sessions where id = $1 and user_id = $2`, [sessionId, sub])
        : { rowCount: 1 };
      return { commit: true, value: { user: found, sessionFound: Boolean(session.rowCount) } };
    });
    if (!user) throw new AuthError(403, 'user_not_found', 'User from sub claim in JWT does not exist');
    if (!sessionFound) throw new AuthError(403, 'session_not_found', 'Session from session_id claim in JWT does not exist');
    // GoTrue ≥ 2.195 refuses a banned user's bearer on /user and /logout (docs/supabase-protocol.md §3).
    if (user.banned_until && Date.parse(user.banned_until) > Date.now()) throw new AuthError(403, 'user_banned', 'User is banned');
    return { claims, user };
  }

  /** @param {string} userId @param {string} sessionId @param {string} scope */
  async function logout(userId, sessionId, scope) {
    await inTransaction(pool, { readOnly: false }, async (client) => {
      if (scope === 'local') await client.query(`delete from auth.sessions where id = $1`, [sessionId]);
      else if (scope === 'others') await client.query(`delete from auth.sessions where user_id = $1 and id <> $2`, [userId, sessionId]);
      else await client.query(`delete from auth.sessions where user_id = $1`, [userId]);
      return { commit: true, value: undefined };
    });
  }
}

/**
 * GoTrue's user JSON [AUTH models/user.go]: optional timestamps only when set.
 * @param {import('pg').PoolClient} client
 * @param {string} id
 */
export async function loadUser(client, id) {
  const { rows } = await client.query(
    `select u.id, u.aud, u.role, u.email, u.phone, u.email_confirmed_at, u.phone_confirmed_at, u.confirmed_at,
            u.confirmation_sent_at, u.recovery_sent_at, u.last_sign_in_at, u.banned_until, u.invited_at,
            u.raw_app_meta_data, u.raw_user_meta_data, u.created_at, u.updated_at, u.is_anonymous,
            coalesce((select json_agg(json_build_object(
                        'identity_id', i.id, 'id', i.provider_id, 'user_id', i.user_id,
                        'identity_data', i.identity_data, 'provider', i.provider,
                        'last_sign_in_at', i.last_sign_in_at, 'created_at', i.created_at,
                        'updated_at', i.updated_at, 'email', i.email) order by i.created_at)
                        from auth.identities i where i.user_id = u.id), '[]') as identities
       from auth.users u where u.id = $1`,
    [id],
  );
  const u = rows[0];
  if (!u) return null;
  /** @param {Date | null} d */
  const iso = (d) => (d ? d.toISOString() : undefined);
  return {
    id: u.id,
    aud: u.aud || 'authenticated',
    role: u.role || 'authenticated',
    email: u.email ?? '',
    email_confirmed_at: iso(u.email_confirmed_at),
    phone: u.phone ?? '',
    phone_confirmed_at: iso(u.phone_confirmed_at),
    invited_at: iso(u.invited_at),
    confirmation_sent_at: iso(u.confirmation_sent_at),
    recovery_sent_at: iso(u.recovery_sent_at),
    confirmed_at: iso(u.confirmed_at),
    last_sign_in_at: iso(u.last_sign_in_at),
    banned_until: iso(u.banned_until),
    app_metadata: u.raw_app_meta_data ?? {},
    user_metadata: u.raw_user_meta_data ?? {},
    identities: u.identities,
    created_at: iso(u.created_at),
    updated_at: iso(u.updated_at),
    is_anonymous: u.is_anonymous,
  };
}

/**
 * A value the database refused as data (class 22: a NUL byte in an email or password, a
 * session id that is no uuid, …) came from the client: 400, never a 500.
 * @param {unknown} err
 */
function badInput(err) {
  const code = /** @type {{ code?: unknown }} */ (err)?.code;
  if (typeof code !== 'string' || !code.startsWith('22')) return null;
  return new AuthError(400, 'validation_failed', 'The request holds a value that is not valid');
}

/**
 * @param {import('node:http').IncomingMessage} req
 * @returns {Promise<Record<string, any>>}
 */
export async function jsonBody(req) {
  const raw = (await readBody(req, BODY_LIMITS.auth)).toString('utf8');
  if (!raw.trim()) return {};
  if (jsonTooDeep(raw)) throw new AuthError(400, 'bad_json', 'Could not parse request body as JSON');
  try {
    const body = JSON.parse(raw);
    return typeof body === 'object' && body !== null ? body : {};
  } catch {
    throw new AuthError(400, 'bad_json', 'Could not parse request body as JSON');
  }
}

/** @param {import('node:http').IncomingMessage} req */
function apiVersionOf(req) {
  const raw = req.headers['x-supabase-api-version'];
  if (typeof raw !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(raw)) return null;
  return raw >= API_VERSION ? raw : null;
}
