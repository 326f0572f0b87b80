// @ts-check
// `/auth/v1/*` beyond password sessions: the Auth admin API and the account endpoints that
// supabase-js's `auth.admin.*`, `updateUser`, `resetPasswordForEmail` and `verifyOtp` call
// (docs/local-stack.md, "Auth admin"), with GoTrue's wire shapes [AUTH internal/api/admin.go,
// invite.go, mail.go, pagination.go, user.go, recover.go, verify.go; SJS GoTrueAdminApi.ts]:
//
//   GET/POST /admin/users, GET/PUT/DELETE /admin/users/<id>   service role only (403 not_admin)
//   POST /invite, POST /admin/generate_link                    service role only
//   POST /recover, POST /verify, GET /verify (the mailed link), PUT /user
//
// One-time tokens work as GoTrue's: a six-digit code is mailed, `hashed_token` =
// hex(sha224(email + code)) is kept in `confirmation_token` (invite, signup) or
// `recovery_token` (recovery, magic link), and the link is
// `<auth url>/verify?token=<hashed_token>&type=<type>&redirect_to=<where>`. Mail goes to the
// local mail catcher (local/mail-catcher.mjs) instead of SMTP.
import { createHash, randomInt, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { templatedMail } from './auth-mail-template.mjs';
import { inTransaction } from './db.mjs';
import { sendJson } from './http-util.mjs';

const ADMIN_ROLES = new Set(['service_role', 'supabase_admin']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/**
 * The `[auth]` / `[auth.email]` keys this module follows, with the CLI's defaults.
 * @param {string | undefined} configTomlPath
 */
export function readAuthSettings(configTomlPath) {
  const settings = {
    siteUrl: 'http://127.0.0.1:3000',
    additionalRedirectUrls: /** @type {string[]} */ ([]),
    minimumPasswordLength: 6,
    otpExpirySeconds: 86400,
    maxFrequencySeconds: 1,
    /** `[auth.email.template.invite]`: its subject and HTML file (relative to the project's folder, the one above supabase/, as the CLI reads it). */
    inviteTemplate: /** @type {{ subject?: string, contentPath?: string }} */ ({}),
  };
  if (!configTomlPath || !existsSync(configTomlPath)) return settings;
  let table = '';
  for (const rawLine of readFileSync(configTomlPath, 'utf8').split('\n')) {
    const line = rawLine.replace(/\s+#.*$/, '').trim();
    const header = /^\[\s*([^\]]+?)\s*\]$/.exec(line);
    if (header) {
      table = header[1] ?? '';
      continue;
    }
    const kv = /^([A-Za-z_]+)\s*=\s*(.+)$/.exec(line);
    if (!kv) continue;
    const [, key, value = ''] = kv;
    const str = value.replace(/^["']|["']$/g, '');
    if (table === 'auth' && key === 'site_url') settings.siteUrl = str;
    if (table === 'auth' && key === 'additional_redirect_urls') settings.additionalRedirectUrls = [...value.matchAll(/"([^"]+)"/g)].map((m) => m[1] ?? '');
    if (table === 'auth' && key === 'minimum_password_length') settings.minimumPasswordLength = Number(str);
    if (table === 'auth.email' && key === 'otp_expiry') settings.otpExpirySeconds = Number(str);
    if (table === 'auth.email' && key === 'max_frequency') settings.maxFrequencySeconds = goDurationMs(str) / 1000;
    if (table === 'auth.email.template.invite' && key === 'subject') settings.inviteTemplate.subject = str;
    if (table === 'auth.email.template.invite' && key === 'content_path') settings.inviteTemplate.contentPath = path.resolve(path.dirname(configTomlPath), '..', str);
  }
  return settings;
}

/**
 * A Go duration ("24h", "1h30m", "876000h", "1.5s") in milliseconds; NaN when malformed.
 * @param {string} text
 */
export function goDurationMs(text) {
  if (!/^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(text)) return Number.NaN;
  const unit = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let total = 0;
  for (const [, n, , u] of text.matchAll(/(\d+(\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) total += Number(n) * unit[/** @type {keyof typeof unit} */ (u)];
  return total;
}

/** GoTrue's `GenerateTokenHash`. @param {string} email @param {string} otp */
const tokenHash = (email, otp) => createHash('sha224').update(email + otp).digest('hex');
const sixDigits = () => String(randomInt(0, 1_000_000)).padStart(6, '0');

/**
 * @param {{
 *   pool: import('pg').Pool,
 *   config: { jwtSecret: string, anonKey: string, serviceRoleKey: string, webUrl?: string },
 *   issuer: () => string,
 *   mailbox: { deliver(mail: { to: string, subject: string, text: string, html?: string }): unknown },
 *   settings: ReturnType<typeof readAuthSettings>,
 *   AuthError: new (status: number, code: string, message: string) => Error,
 *   jsonBody: (req: import('node:http').IncomingMessage) => Promise<Record<string, any>>,
 *   loadUser: (client: import('pg').PoolClient, id: string) => Promise<Record<string, any> | null>,
 *   bearerClaims: (req: import('node:http').IncomingMessage) => Promise<Record<string, unknown>>,
 *   requireSession: (req: import('node:http').IncomingMessage) => Promise<{ claims: Record<string, unknown>, user: Record<string, any> }>,
 *   startSession: (client: import('pg').PoolClient, userId: string, method: string) => Promise<Record<string, any>>,
 *   otpLimiter: { take(key: string): boolean },
 *   verifyLimiter?: { take(key: string): boolean },
 * }} deps
 */
export function createAuthAdminRoutes(deps) {
  const { pool, config, issuer, mailbox, settings, AuthError, jsonBody, loadUser, bearerClaims, requireSession, startSession, otpLimiter, verifyLimiter } = deps;
  const siteUrl = config.webUrl ?? settings.siteUrl;

  /** @param {import('node:http').IncomingMessage} req */
  async function requireAdmin(req) {
    const claims = await bearerClaims(req);
    if (!ADMIN_ROLES.has(String(claims.role ?? ''))) throw new AuthError(403, 'not_admin', 'User not allowed');
  }

  /** `[auth.rate_limit] token_verifications`: a code is six digits, so tries are counted. @param {import('node:http').IncomingMessage} req */
  function limitVerify(req) {
    if (verifyLimiter && !verifyLimiter.take(req.socket.remoteAddress ?? 'unknown')) {
      throw new AuthError(429, 'over_request_rate_limit', 'Request rate limit reached');
    }
  }

  /** @param {import('node:http').IncomingMessage} req */
  function limitOtp(req) {
    if (!otpLimiter.take(req.socket.remoteAddress ?? 'unknown')) {
      throw new AuthError(429, 'over_request_rate_limit', 'Request rate limit reached');
    }
  }

  /**
   * GoTrue keeps a redirect only when it matches the site URL or the allow list, else it
   * uses the site URL. Locally any loopback address is allowed (test stacks use free ports).
   * @param {string | null} wanted
   */
  function redirectTo(wanted) {
    if (!wanted || !URL.canParse(wanted)) return siteUrl;
    const url = new URL(wanted);
    const allowed = [siteUrl, settings.siteUrl, ...settings.additionalRedirectUrls]
      .filter((u) => URL.canParse(u)).map((u) => new URL(u).origin);
    const loopback = url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
    return allowed.includes(url.origin) || loopback ? wanted : siteUrl;
  }

  /** @param {string} hashed @param {string} type @param {string} redirect */
  const actionLink = (hashed, type, redirect) =>
    `${issuer()}/verify?token=${hashed}&type=${type}&redirect_to=${encodeURIComponent(redirect)}`;

  /** @param {string} email */
  function normalEmail(email) {
    const e = typeof email === 'string' ? email.trim().toLowerCase() : '';
    if (!e) throw new AuthError(400, 'validation_failed', 'An email address is required');
    if (!EMAIL.test(e) || e.length > 255) throw new AuthError(400, 'validation_failed', 'Unable to validate email address: invalid format');
    return e;
  }

  /** @param {unknown} password */
  function checkPassword(password) {
    if (typeof password !== 'string' || password.length < settings.minimumPasswordLength) {
      const err = new AuthError(422, 'weak_password', `Password should be at least ${settings.minimumPasswordLength} characters.`);
      Object.assign(err, { extra: { weak_password: { reasons: ['length'] } } });
      throw err;
    }
  }

  /** @param {unknown} value @param {string} name */
  function metadata(value, name) {
    if (value === undefined || value === null) return null;
    if (typeof value !== 'object' || Array.isArray(value)) throw new AuthError(400, 'validation_failed', `${name} must be an object`);
    return /** @type {Record<string, unknown>} */ (value);
  }

  /**
   * A new email user (GoTrue's NewUser + its email identity).
   * @param {import('pg').PoolClient} client
   * @param {{ id?: string, email: string, password?: string | null, confirmed: boolean, userMetadata?: Record<string, unknown> | null,
   *   appMetadata?: Record<string, unknown> | null, invited?: boolean, bannedUntil?: Date | null }} u
   */
  async function insertUser(client, u) {
    const id = u.id ?? randomUUID();
    const { rows: taken } = await client.query(`select 1 from auth.users where lower(email) = $1 and deleted_at is null`, [u.email]);
    if (taken.length) throw new AuthError(422, 'email_exists', 'A user with this email address has already been registered');
    await client.query(
      `insert into auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at, invited_at,
                               raw_app_meta_data, raw_user_meta_data, banned_until, created_at, updated_at,
                               confirmation_token, recovery_token, email_change_token_new, email_change)
       values ('00000000-0000-0000-0000-000000000000', $1, 'authenticated', 'authenticated', $2,
               case when $3::text is null then '' else extensions.crypt($3::text, extensions.gen_salt('bf', 10)) end,
               case when $4 then now() end, case when $5 then now() end,
               $6::jsonb, $7::jsonb, $8, now(), now(), '', '', '', '')`,
      [id, u.email, u.password ?? null, u.confirmed, Boolean(u.invited),
        JSON.stringify({ provider: 'email', providers: ['email'], ...(u.appMetadata ?? {}) }),
        JSON.stringify(u.userMetadata ?? {}), u.bannedUntil ?? null],
    );
    await client.query(
      `insert into auth.identities (provider_id, user_id, identity_data, provider, created_at, updated_at)
       values ($1::text, $1::uuid, jsonb_build_object('sub', $1::text, 'email', $2::text, 'email_verified', false, 'phone_verified', false), 'email', now(), now())`,
      [id, u.email],
    );
    return id;
  }

  /**
   * A one-time token for the user, stored as GoTrue stores it.
   * @param {import('pg').PoolClient} client
   * @param {string} userId
   * @param {string} email
   * @param {'invite' | 'signup' | 'recovery' | 'magiclink'} type
   */
  async function issueToken(client, userId, email, type) {
    const otp = sixDigits();
    const hashed = tokenHash(email, otp);
    if (type === 'invite' || type === 'signup') {
      await client.query(
        `update auth.users set confirmation_token = $2, confirmation_sent_at = now(),
                invited_at = case when $3 then now() else invited_at end, updated_at = now() where id = $1`,
        [userId, hashed, type === 'invite'],
      );
    } else {
      await client.query(`update auth.users set recovery_token = $2, recovery_sent_at = now(), updated_at = now() where id = $1`, [userId, hashed]);
    }
    return { otp, hashed };
  }

  /** @param {string} to @param {string} subject @param {string} intro @param {string} link @param {string} otp */
  function mail(to, subject, intro, link, otp) {
    mailbox.deliver({
      to,
      subject,
      text: `${intro}\n\n${link}\n\nOr enter this code: ${otp}\n\nIf you did not expect this email, you can ignore it.`,
    });
  }

  /**
   * Checks a one-time token, confirms the email, consumes the token and opens a session.
   * @param {{ type: string, email?: string, token?: string, token_hash?: string }} body
   */
  async function verify(body) {
    const type = String(body.type ?? '');
    const column = ['invite', 'signup'].includes(type) ? 'confirmation_token'
      : ['recovery', 'magiclink'].includes(type) ? 'recovery_token'
        : type === 'email' ? 'either' : null;
    if (!column) throw new AuthError(400, 'validation_failed', 'Verify requires a verification type');
    /** @type {string[]} */
    const hashes = [];
    if (typeof body.token_hash === 'string' && body.token_hash) hashes.push(body.token_hash);
    else if (typeof body.token === 'string' && typeof body.email === 'string') hashes.push(tokenHash(body.email.trim().toLowerCase(), body.token.trim()));
    else throw new AuthError(400, 'validation_failed', 'Verify requires either a token or a token hash');
    return inTransaction(pool, { readOnly: false }, async (client) => {
      const { rows } = await client.query(
        `select id, coalesce(banned_until > now(), false) as banned,
                case when confirmation_token = $1 then 'confirmation' when recovery_token = $1 then 'recovery' end as matched,
                greatest(confirmation_sent_at, invited_at) as confirmation_sent_at, recovery_sent_at
           from auth.users
          where deleted_at is null and $1 <> ''
            and (($2 in ('confirmation_token', 'either') and confirmation_token = $1)
              or ($2 in ('recovery_token', 'either') and recovery_token = $1))
          for update`,
        [hashes[0], column],
      );
      const found = rows[0];
      const sentAt = found?.matched === 'recovery' ? found.recovery_sent_at : found?.confirmation_sent_at;
      const fresh = sentAt && Date.now() - new Date(sentAt).getTime() < settings.otpExpirySeconds * 1000;
      if (!found || !fresh) throw new AuthError(403, 'otp_expired', 'Token has expired or is invalid');
      if (found.banned) throw new AuthError(403, 'user_banned', 'User is banned');
      await client.query(
        `update auth.users set email_confirmed_at = coalesce(email_confirmed_at, now()),
                confirmation_token = case when $2 = 'confirmation' then '' else confirmation_token end,
                recovery_token = case when $2 = 'recovery' then '' else recovery_token end,
                last_sign_in_at = now(), updated_at = now()
          where id = $1`,
        [found.id, found.matched],
      );
      await client.query(`update auth.identities set identity_data = identity_data || '{"email_verified": true}' where user_id = $1 and provider = 'email'`, [found.id]);
      const session = await startSession(client, found.id, type === 'magiclink' ? 'otp' : type);
      return { commit: true, value: { session, type } };
    });
  }

  /** @param {import('node:http').ServerResponse} res @param {number} status @param {unknown} body @param {Record<string, string>} headers */
  const send = (res, status, body, headers) => sendJson(res, status, body, headers);

  /**
   * @param {import('node:http').IncomingMessage} req
   * @param {import('node:http').ServerResponse} res
   * @param {string} route e.g. `GET /admin/users`
   * @param {URLSearchParams} query
   * @param {Record<string, string>} headers
   * @returns {Promise<boolean>} whether the route was one of these
   */
  return async function handleAuthAdmin(req, res, route, query, headers) {
    const userRoute = /^(GET|PUT|DELETE) \/admin\/users\/([^/]+)$/.exec(route);

    if (route === 'GET /admin/users') {
      await requireAdmin(req);
      const page = Math.max(1, Number.parseInt(query.get('page') || '1', 10) || 1);
      const perPage = Math.min(1000, Math.max(1, Number.parseInt(query.get('per_page') || '50', 10) || 50));
      const { users, total } = await inTransaction(pool, { readOnly: true }, async (client) => {
        const { rows } = await client.query(
          `select id, count(*) over () as total from auth.users where deleted_at is null
            order by created_at desc, id limit $1 offset $2`,
          [perPage, (page - 1) * perPage],
        );
        const { rows: count } = rows.length ? { rows: [{ total: rows[0].total }] } : await client.query(`select count(*) as total from auth.users where deleted_at is null`);
        const list = [];
        for (const r of rows) list.push(await loadUser(client, r.id));
        return { commit: true, value: { users: list, total: Number(count[0].total) } };
      });
      // page first in each link: auth-js reads the digit after the first '='.
      const last = Math.max(1, Math.ceil(total / perPage));
      const links = [];
      if (page < last) links.push(`</admin/users?page=${page + 1}&per_page=${perPage}>; rel="next"`);
      links.push(`</admin/users?page=${last}&per_page=${perPage}>; rel="last"`);
      send(res, 200, { users, aud: 'authenticated' }, { ...headers, 'X-Total-Count': String(total), Link: links.join(', ') });
      return true;
    }

    if (route === 'POST /admin/users') {
      await requireAdmin(req);
      const body = await jsonBody(req);
      const email = normalEmail(body.email);
      if (body.password !== undefined && body.password !== null && typeof body.password !== 'string') {
        throw new AuthError(400, 'validation_failed', 'password must be a string');
      }
      let bannedUntil = null;
      if (body.ban_duration !== undefined && body.ban_duration !== 'none') {
        const ms = goDurationMs(String(body.ban_duration));
        if (Number.isNaN(ms)) throw new AuthError(400, 'validation_failed', `invalid format for ban duration: ${String(body.ban_duration)}`);
        bannedUntil = new Date(Date.now() + ms);
      }
      if (body.id !== undefined && (typeof body.id !== 'string' || !UUID.test(body.id))) {
        throw new AuthError(400, 'validation_failed', 'id must be a UUID');
      }
      const user = await inTransaction(pool, { readOnly: false }, async (client) => {
        const id = await insertUser(client, {
          id: body.id, email, password: body.password ?? null, confirmed: body.email_confirm === true,
          userMetadata: metadata(body.user_metadata, 'user_metadata'), appMetadata: metadata(body.app_metadata, 'app_metadata'), bannedUntil,
        });
        return { commit: true, value: await loadUser(client, id) };
      });
      send(res, 200, user, headers);
      return true;
    }

    if (userRoute) {
      await requireAdmin(req);
      const [, method, rawId] = userRoute;
      const id = decodeURIComponent(rawId ?? '');
      if (!UUID.test(id)) throw new AuthError(404, 'user_not_found', 'User not found');
      const body = method === 'GET' ? {} : await jsonBody(req);
      const result = await inTransaction(pool, { readOnly: method === 'GET' }, async (client) => {
        const { rows } = await client.query(`select id, email from auth.users where id = $1 and deleted_at is null ${method === 'GET' ? '' : 'for update'}`, [id]);
        if (!rows[0]) throw new AuthError(404, 'user_not_found', 'User not found');
        if (method === 'DELETE') {
          if (body.should_soft_delete === true) {
            await client.query(`update auth.users set deleted_at = now(), email = null, encrypted_password = '', updated_at = now() where id = $1`, [id]);
            await client.query(`delete from auth.identities where user_id = $1`, [id]);
            await client.query(`delete from auth.sessions where user_id = $1`, [id]);
          } else {
            await client.query(`delete from auth.users where id = $1`, [id]);
          }
          return { commit: true, value: {} };
        }
        if (method === 'PUT') await updateUserById(client, id, body);
        return { commit: true, value: await loadUser(client, id) };
      });
      send(res, 200, result, headers);
      return true;
    }

    if (route === 'POST /invite') {
      await requireAdmin(req);
      const body = await jsonBody(req);
      const email = normalEmail(body.email);
      const redirect = redirectTo(query.get('redirect_to'));
      const { user, otp, hashed } = await inTransaction(pool, { readOnly: false }, async (client) => {
        const { rows } = await client.query(
          `select id, email_confirmed_at is not null as confirmed from auth.users where lower(email) = $1 and deleted_at is null for update`,
          [email],
        );
        if (rows[0]?.confirmed) throw new AuthError(422, 'email_exists', 'A user with this email address has already been registered');
        const id = rows[0]?.id ?? (await insertUser(client, { email, confirmed: false, invited: true, userMetadata: metadata(body.data, 'data') }));
        const token = await issueToken(client, id, email, 'invite');
        return { commit: true, value: { user: await loadUser(client, id), ...token } };
      });
      const link = actionLink(hashed, 'invite', redirect);
      // As GoTrue: the configured template with the user's metadata as .Data, else its default.
      const templated = templatedMail(settings.inviteTemplate, {
        ConfirmationURL: link, Token: otp, TokenHash: hashed, SiteURL: settings.siteUrl, RedirectTo: redirect, Email: email,
        Data: user?.user_metadata ?? null,
      }, 'You have been invited');
      if (templated) mailbox.deliver({ to: email, ...templated });
      else {
        mail(email, 'You have been invited',
          'You have been invited to join your team on Renubu. Follow this link to accept the invite and choose a password:', link, otp);
      }
      send(res, 200, user, headers);
      return true;
    }

    if (route === 'POST /admin/generate_link') {
      await requireAdmin(req);
      const body = await jsonBody(req);
      const type = String(body.type ?? '');
      if (!['signup', 'invite', 'magiclink', 'recovery'].includes(type)) {
        throw new AuthError(422, 'validation_failed', 'Invalid link type: the local stack generates signup, invite, magiclink and recovery links');
      }
      const email = normalEmail(body.email);
      const redirect = redirectTo(query.get('redirect_to'));
      const out = await inTransaction(pool, { readOnly: false }, async (client) => {
        const { rows } = await client.query(
          `select id, email_confirmed_at is not null as confirmed from auth.users where lower(email) = $1 and deleted_at is null for update`,
          [email],
        );
        let id = rows[0]?.id;
        if (!id && (type === 'recovery' || type === 'magiclink')) throw new AuthError(404, 'user_not_found', 'User with this email not found');
        if (id && rows[0].confirmed && (type === 'invite' || type === 'signup')) {
          throw new AuthError(422, 'email_exists', 'A user with this email address has already been registered');
        }
        if (type === 'signup' && body.password !== undefined) checkPassword(body.password);
        id ??= await insertUser(client, {
          email, password: type === 'signup' ? body.password ?? null : null, confirmed: false, invited: type === 'invite',
          userMetadata: metadata(body.data, 'data'),
        });
        const token = await issueToken(client, id, email, /** @type {'invite' | 'signup' | 'recovery' | 'magiclink'} */ (type));
        return { commit: true, value: { user: await loadUser(client, id), ...token } };
      });
      send(res, 200, {
        ...out.user,
        action_link: actionLink(out.hashed, type, redirect),
        email_otp: out.otp,
        hashed_token: out.hashed,
        verification_type: type,
        redirect_to: redirect,
      }, headers);
      return true;
    }

    if (route === 'POST /recover') {
      limitOtp(req);
      const body = await jsonBody(req);
      const email = normalEmail(body.email);
      const redirect = redirectTo(query.get('redirect_to'));
      const sent = await inTransaction(pool, { readOnly: false }, async (client) => {
        const { rows } = await client.query(
          `select id, extract(epoch from now() - recovery_sent_at) as since from auth.users
            where lower(email) = $1 and deleted_at is null and is_sso_user = false for update`,
          [email],
        );
        // Unknown emails get the same empty 200, so the answer does not tell who has an account.
        if (!rows[0]) return { commit: false, value: null };
        const since = rows[0].since === null ? Infinity : Number(rows[0].since);
        if (since < settings.maxFrequencySeconds) {
          const wait = Math.ceil(settings.maxFrequencySeconds - since);
          throw new AuthError(429, 'over_email_send_rate_limit', `For security purposes, you can only request this after ${wait} seconds.`);
        }
        const token = await issueToken(client, rows[0].id, email, 'recovery');
        return { commit: true, value: token };
      });
      if (sent) {
        mail(email, 'Reset your password', 'Follow this link to choose a new password for Renubu:', actionLink(sent.hashed, 'recovery', redirect), sent.otp);
      }
      send(res, 200, {}, headers);
      return true;
    }

    if (route === 'POST /verify') {
      limitVerify(req);
      const body = await jsonBody(req);
      const { session } = await verify({ ...body, type: String(body.type ?? '') });
      send(res, 200, session, headers);
      return true;
    }

    if (route === 'GET /verify') {
      // The mailed link: verify, then send the browser on with the session in the fragment
      // (GoTrue's implicit flow), or with the error there.
      limitVerify(req);
      const redirect = redirectTo(query.get('redirect_to'));
      const type = query.get('type') ?? '';
      /** @type {string} */
      let fragment;
      try {
        const { session } = await verify({ type, token_hash: query.get('token') ?? '' });
        fragment = new URLSearchParams({
          access_token: session.access_token, expires_at: String(session.expires_at), expires_in: String(session.expires_in),
          refresh_token: session.refresh_token, token_type: 'bearer', type,
        }).toString();
      } catch (err) {
        const code = /** @type {{ code?: string }} */ (err).code ?? 'unexpected_failure';
        fragment = new URLSearchParams({
          error: 'access_denied', error_code: code, error_description: code === 'otp_expired' ? 'Email link is invalid or has expired' : /** @type {Error} */ (err).message,
        }).toString();
      }
      res.writeHead(303, { ...headers, Location: `${redirect}#${fragment}` });
      res.end();
      return true;
    }

    if (route === 'PUT /user') {
      limitOtp(req);
      const { claims, user } = await requireSession(req);
      const body = await jsonBody(req);
      if (body.email !== undefined && body.email !== null && String(body.email).toLowerCase() !== user.email) {
        throw new AuthError(422, 'validation_failed', 'Changing the email address is not supported by the local stack');
      }
      const updated = await inTransaction(pool, { readOnly: false }, async (client) => {
        if (body.password !== undefined && body.password !== null) {
          checkPassword(body.password);
          const { rows } = await client.query(
            `select encrypted_password like '$2%' and encrypted_password = extensions.crypt($2, encrypted_password) as same
               from auth.users where id = $1 for update`,
            [user.id, body.password],
          );
          if (rows[0]?.same) throw new AuthError(422, 'same_password', 'New password should be different from the old password.');
          await client.query(
            `update auth.users set encrypted_password = extensions.crypt($2, extensions.gen_salt('bf', 10)), updated_at = now() where id = $1`,
            [user.id, body.password],
          );
          // A new password ends every other session of the user [AUTH user.go].
          await client.query(`delete from auth.sessions where user_id = $1 and id::text <> $2`, [user.id, String(claims.session_id ?? '')]);
        }
        const data = metadata(body.data, 'data');
        if (data) {
          await client.query(
            `update auth.users set raw_user_meta_data = jsonb_strip_nulls(coalesce(raw_user_meta_data, '{}') || $2::jsonb), updated_at = now() where id = $1`,
            [user.id, JSON.stringify(data)],
          );
        }
        return { commit: true, value: await loadUser(client, user.id) };
      });
      send(res, 200, updated, headers);
      return true;
    }

    return false;
  };

  /**
   * PUT /admin/users/<id>: email, password, email_confirm, user_metadata, app_metadata,
   * ban_duration, role [AUTH admin.go adminUserUpdate].
   * @param {import('pg').PoolClient} client
   * @param {string} id
   * @param {Record<string, any>} body
   */
  async function updateUserById(client, id, body) {
    if (body.ban_duration !== undefined) {
      if (body.ban_duration === 'none') {
        await client.query(`update auth.users set banned_until = null, updated_at = now() where id = $1`, [id]);
      } else {
        const ms = goDurationMs(String(body.ban_duration));
        if (Number.isNaN(ms)) throw new AuthError(400, 'validation_failed', `invalid format for ban duration: ${String(body.ban_duration)}`);
        await client.query(`update auth.users set banned_until = now() + make_interval(secs => $2), updated_at = now() where id = $1`, [id, ms / 1000]);
      }
    }
    if (body.password !== undefined && body.password !== null) {
      checkPassword(body.password);
      await client.query(`update auth.users set encrypted_password = extensions.crypt($2, extensions.gen_salt('bf', 10)), updated_at = now() where id = $1`, [id, body.password]);
      await client.query(`delete from auth.sessions where user_id = $1`, [id]);
    }
    if (body.email !== undefined && body.email !== null) {
      const email = normalEmail(body.email);
      await client.query(`update auth.users set email = $2, updated_at = now() where id = $1`, [id, email]);
    }
    if (body.email_confirm === true) {
      await client.query(`update auth.users set email_confirmed_at = coalesce(email_confirmed_at, now()), updated_at = now() where id = $1`, [id]);
    }
    for (const [key, column] of /** @type {const} */ ([['user_metadata', 'raw_user_meta_data'], ['app_metadata', 'raw_app_meta_data']])) {
      const value = metadata(body[key], key);
      if (value) {
        await client.query(
          `update auth.users set ${column} = jsonb_strip_nulls(coalesce(${column}, '{}') || $2::jsonb), updated_at = now() where id = $1`,
          [id, JSON.stringify(value)],
        );
      }
    }
    if (typeof body.role === 'string' && body.role) {
      await client.query(`update auth.users set role = $2, updated_at = now() where id = $1`, [id, body.role]);
    }
  }
}
