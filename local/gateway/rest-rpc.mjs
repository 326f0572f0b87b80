// @ts-check
// `/rest/v1/*`: PostgREST's RPC semantics, one transaction per request. Sources are the
// docs/supabase-protocol.md §2 (PostgREST v14.12/v16.2); tags in comments name the PostgREST module.
import { createHash } from 'node:crypto';
import pg from 'pg';
import { effectiveBearer } from './api-keys.mjs';
import { inTransaction, oneRoundTrip } from './db.mjs';
import { BODY_LIMITS, MAX_JSON_DEPTH, decodeSegment, jsonTooDeep, readBody, sendJson } from './http-util.mjs';
import { JwtError, cachedClaims, verifyJwt } from './jwt.mjs';
import { PgrstError, fromDatabaseError, sendPgrstError } from './postgrest-errors.mjs';
import { findRoutine, noRpcHint } from './routines.mjs';

// Supabase's PostgREST settings [CLI config.toml [api]; start.go PGRST_*].
const DEFAULT_SCHEMA = 'public';
const DEFAULTS = { schemas: [DEFAULT_SCHEMA, 'graphql_public'], extraSearchPath: ['public', 'extensions'], anonRole: 'anon' };
// The roles `authenticator` is granted (local/db/bootstrap.sql), as on hosted Supabase.
export const API_ROLES = ['anon', 'authenticated', 'service_role'];
// Query parameters PostgREST never takes as RPC arguments [PGRST QueryParams.hs `reserved`].
const RESERVED = ['select', 'columns', 'on_conflict', 'order', 'limit', 'offset', 'and', 'or'];
const FILTER = /^(not\.)?(eq|neq|gt|gte|lt|lte|like|ilike|match|imatch|in|is|isdistinct|fts|plfts|phfts|wfts|cs|cd|ov|sl|sr|nxr|nxl|adj)\./;

/** @param {string} name */
const ident = (name) => `"${name.replace(/"/g, '""')}"`;

/**
 * Calls run as named prepared statements, as PostgREST runs them by default
 * (db-prepared-statements = true): each connection parses and plans a call's SQL once,
 * not on every request. The SQL depends only on the routine and the argument names, so
 * the statements per connection are bounded by the API. A replaced function invalidates
 * the statement's plan and Postgres re-plans it on the next execution.
 * @type {Map<string, string>}
 */
const statementNames = new Map();
/** @param {string} sql */
function statementName(sql) {
  let name = statementNames.get(sql);
  if (name === undefined) {
    name = `pgrst_${createHash('sha1').update(sql).digest('hex').slice(0, 20)}`;
    if (statementNames.size < 10_000) statementNames.set(sql, name);
  }
  return name;
}

/** What the function asked of the response [PGRST transactions.rst], read after the call. */
const RESPONSE_GUCS = `pg_catalog.current_setting('response.headers', true) as pgrst_headers, pg_catalog.current_setting('response.status', true) as pgrst_status`;

/** @type {Map<string, string>} */
const searchPaths = new Map();
/** @param {string} schema */
function searchPathOf(schema) {
  let value = searchPaths.get(schema);
  if (value === undefined) {
    value = [schema, ...DEFAULTS.extraSearchPath].filter((s, i, all) => all.indexOf(s) === i).map(ident).join(', ');
    searchPaths.set(schema, value);
  }
  return value;
}

/** request.jwt.claims, once per verified claims object (the JWT cache hands back the same one). */
const claimsTexts = new WeakMap();
/** @param {Record<string, unknown>} claims @param {string} role */
function claimsText(claims, role) {
  let text = claimsTexts.get(claims);
  if (text === undefined) {
    text = JSON.stringify({ ...claims, role });
    claimsTexts.set(claims, text);
  }
  return text;
}

/**
 * @param {{
 *   pool: import('pg').Pool,
 *   routineCache: ReturnType<typeof import('./routines.mjs').createRoutineCache>,
 *   config: { jwtSecret: string, anonKey: string, serviceRoleKey: string },
 * }} deps
 */
export function createRestHandler({ pool, routineCache, config }) {
  /** @type {Map<string, [string, string][]>} the impersonated roles' own settings */
  const roleSettings = new Map();

  /** @param {string} role */
  async function settingsOf(role) {
    if (!roleSettings.has(role)) {
      const { rows } = await pool.query(
        `select unnest(s.setconfig) as setting from pg_catalog.pg_db_role_setting s
           join pg_catalog.pg_roles r on r.oid = s.setrole
          where r.rolname = $1
            and s.setdatabase in (0, (select oid from pg_catalog.pg_database where datname = current_database()))
          order by s.setdatabase`,
        [role],
      );
      roleSettings.set(role, rows.map((r) => /** @type {[string, string]} */ (splitOnce(r.setting, '='))));
    }
    return /** @type {[string, string][]} */ (roleSettings.get(role));
  }

  /** @type {Map<string, { name: string, text: string }>} */
  const openings = new Map();
  /**
   * The statement that opens a request: READ ONLY or not, the search path, the role's own
   * settings, the role, then the request's claims, method, path, headers and cookies as
   * parameters ($1…$5). Everything but the parameters is fixed per schema, role and mode, so
   * it is one prepared statement each. set_config calls run in the order written.
   * @param {string} schema @param {string} role @param {boolean} readOnly
   */
  async function openingOf(schema, role, readOnly) {
    const key = `${schema}\u0000${role}\u0000${readOnly}`;
    let statement = openings.get(key);
    if (statement === undefined) {
      const literal = (/** @type {string} */ v) => pg.escapeLiteral(v);
      /** @type {[string, string][]} */
      const settingsList = [
        ...(readOnly ? /** @type {[string, string][]} */ ([['transaction_read_only', 'on']]) : []),
        ['search_path', searchPathOf(schema)],
        ...(await settingsOf(role)),
        ['role', role],
      ];
      const fixed = settingsList.map(([k, v]) => `pg_catalog.set_config(${literal(k)}, ${literal(v)}, true) is null`);
      // `is null`: set_config returns the value it set, which need not travel back.
      const params = ['request.jwt.claims', 'request.method', 'request.path', 'request.headers', 'request.cookies']
        .map((k, i) => `pg_catalog.set_config(${literal(k)}, $${i + 1}, true) is null`);
      const text = `select ${[...fixed, ...params].join(', ')}`;
      statement = { name: statementName(text), text };
      openings.set(key, statement);
    }
    return statement;
  }

  /**
   * @param {import('node:http').IncomingMessage} req
   * @param {import('node:http').ServerResponse} res
   * @param {string} path the path after `/rest/v1`, e.g. `/rpc/fn`
   * @param {URLSearchParams} query
   */
  return async function handleRest(req, res, path, query) {
    let isAnon = true;
    try {
      const method = req.method ?? 'GET';
      const segments = path.split('/').filter(Boolean).map(decodeSegment);
      const schema = requestSchema(req, method);

      if (segments.length === 0 && (method === 'GET' || method === 'HEAD')) {
        // The root is PostgREST's OpenAPI document; the stand-in answers a stub so that
        // health checks get a 200. It describes nothing.
        return sendJson(res, 200, { swagger: '2.0', info: { title: 'Renubu local stand-in', version: '0' }, paths: {} });
      }
      if (segments.length === 1) {
        throw new PgrstError(404, 'PGRST205', `Could not find the table '${schema}.${segments[0]}' in the schema cache`);
      }
      if (segments.length !== 2 || segments[0] !== 'rpc') {
        throw new PgrstError(404, 'PGRST125', 'Invalid path specified in request URL');
      }
      if (method === 'OPTIONS') {
        res.writeHead(200, { Allow: 'OPTIONS,GET,HEAD,POST' });
        return res.end();
      }
      if (!['GET', 'HEAD', 'POST'].includes(method)) {
        throw new PgrstError(405, 'PGRST101', `Cannot use the ${method} method on RPC`);
      }
      const fnName = segments[1] ?? '';
      const media = negotiate(req.headers.accept);
      const verifying = authenticate(req, config);
      const claims = verifying instanceof Promise ? await verifying : verifying;
      const role = typeof claims.role === 'string' && claims.role ? claims.role : DEFAULTS.anonRole;
      isAnon = role === DEFAULTS.anonRole;
      if (!API_ROLES.includes(role)) throw await refusedRole(pool, role);

      const args = method === 'POST' ? await postArgs(req) : getArgs(query);
      const routines = routineCache.peek(schema, fnName) ?? (await routineCache.get(schema, fnName));
      const matches = findRoutineCached(routines, args.keys, method === 'POST');
      if (matches.length === 0) {
        throw await noRpcError(pool, schema, fnName, routines, args.keys, method === 'POST');
      }
      if (matches.length > 1) {
        const list = matches
          .map(({ routine: r }) => `${schema}.${fnName}(${r.params.map((p) => `${p.name} => ${p.type}`).join(', ')})`)
          .join(', ');
        throw new PgrstError(300, 'PGRST203', `Could not choose the best candidate function between: ${list}`, {
          hint: 'Try renaming the parameters or the function itself in the database so function overloading can be resolved',
        });
      }
      const { routine, wholeBody } = /** @type {(typeof matches)[number]} */ (matches[0]); // exactly one, checked above
      const call = buildCall(routine, wholeBody, args);

      // GET/HEAD always, and STABLE/IMMUTABLE functions, run READ ONLY [PGRST Plan.hs txMode].
      const readOnly = method !== 'POST' || routine.volatility !== 'v';
      const headersText = requestHeadersText(req);
      const cookiesText = req.headers.cookie ? JSON.stringify(parseCookies(req.headers.cookie)) : '{}';
      const callStatement = { name: call.name, text: call.sql, values: call.values };

      /** @type {{ row: { body?: string, n?: number, first?: string | null }, notSingular: boolean, closing?: { headers: string | null, status: string | null } }} */
      let result;
      if (media === 'object' && routine.returnsSet) {
        // .single() on anything but one row: 406, and the transaction is condemned
        // [PGRST MainTx.hs `failNotSingular`]: the call's rows decide commit or rollback, so
        // this (rare) case takes an explicit transaction and three round trips.
        /** @type {[string, string][]} */
        const settings = [
          ['search_path', searchPathOf(schema)],
          ...(await settingsOf(role)),
          ['role', role],
          ['request.jwt.claims', claimsText(claims, role)],
          ['request.method', method],
          ['request.path', path],
          ['request.headers', headersText],
          ['request.cookies', cookiesText],
        ];
        const opening = (/** @type {import('pg').PoolClient} */ client) =>
          `select ${settings.map(([k, v]) => `set_config(${client.escapeLiteral(k)}, ${client.escapeLiteral(v)}, true)`).join(', ')}`;
        result = await inTransaction(pool, { readOnly, opening }, async (client) => {
          const { rows } = await client.query(callStatement);
          const row = rows[0] ?? {};
          const notSingular = row.n !== 1;
          return { commit: !notSingular, value: { row, notSingular, closing: { headers: row.pgrst_headers, status: row.pgrst_status } } };
        });
      } else {
        // Everything else: the request's settings, then the call (which also reads the
        // response GUCs), in ONE round trip and one implicit transaction (db.mjs `oneRoundTrip`).
        const opening = openings.get(`${schema}\u0000${role}\u0000${readOnly}`) ?? (await openingOf(schema, role, readOnly));
        const [, callRows] = await oneRoundTrip(pool, [
          { name: opening.name, text: opening.text, values: [claimsText(claims, role), method, path, headersText, cookiesText] },
          callStatement,
        ]);
        // Columns: body, n [, first], then the response GUCs (a void call: its value, then the GUCs).
        const f = callRows?.[0] ?? [];
        const row = f.length >= 4 ? { body: f[0] ?? undefined, n: Number(f[1]), first: f.length === 5 ? f[2] : null } : {};
        result = { row, notSingular: false, closing: { headers: f.at(-2) ?? null, status: f.at(-1) ?? null } };
      }
      const guc = result.closing ?? { headers: null, status: null };

      if (result.notSingular) {
        throw new PgrstError(406, 'PGRST116', 'Cannot coerce the result to a single JSON object', {
          details: `The result contains ${result.row.n} rows`,
        });
      }
      const profile = { 'Content-Profile': schema };
      const extra = guc.headers ? { ...profile, ...responseHeaders(guc.headers) } : profile;
      const status = responseStatus(guc.status);
      // void → 204 with no body and no Content-Type [PGRST Response.hs `funcReturnsVoid`].
      if (routine.returns === 'void') {
        res.writeHead(status ?? 204, extra);
        return res.end();
      }
      const n = /** @type {number} */ (routine.returnsSet ? result.row.n : 1);
      const body = /** @type {string} */ (media === 'object' && routine.returnsSet ? result.row.first : result.row.body);
      const total = req.headers.prefer !== undefined && /count=(exact|planned|estimated)/.test(String(req.headers.prefer)) ? String(n) : '*';
      const contentType = media === 'object' ? 'application/vnd.pgrst.object+json; charset=utf-8' : 'application/json; charset=utf-8';
      const range = n > 0 ? `0-${n - 1}/${total}` : `*/${total}`;
      if (guc.headers) {
        res.writeHead(status ?? 200, { ...extra, 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body), 'Content-Range': range });
      } else {
        // The usual answer's headers as one flat list: no object to build and spread per request.
        res.writeHead(status ?? 200, ['Content-Profile', schema, 'Content-Type', contentType, 'Content-Length', String(Buffer.byteLength(body)), 'Content-Range', range]);
      }
      res.end(method === 'HEAD' ? undefined : body);
    } catch (err) {
      if (err instanceof PgrstError) return sendPgrstError(res, err);
      if (err instanceof JwtError) return sendPgrstError(res, new PgrstError(401, err.code, err.message));
      // Errors the server raised; anything else (a lost connection) is the gateway's 500.
      if (err instanceof pg.DatabaseError) return sendPgrstError(res, fromDatabaseError(err, isAnon));
      throw err;
    }
  };
}

/**
 * GET/HEAD name the schema in Accept-Profile, other methods in Content-Profile; an
 * unexposed one is PGRST106 [PGRST ApiRequest.hs `getSchema`].
 * @param {import('node:http').IncomingMessage} req
 * @param {string} method
 * @returns {string}
 */
function requestSchema(req, method) {
  const header = method === 'GET' || method === 'HEAD' ? 'accept-profile' : 'content-profile';
  const wanted = req.headers[header];
  if (typeof wanted !== 'string' || wanted === '') return DEFAULT_SCHEMA;
  if (!DEFAULTS.schemas.includes(wanted)) {
    throw new PgrstError(406, 'PGRST106', `Invalid schema: ${wanted}`, {
      hint: `Only the following schemas are exposed: ${DEFAULTS.schemas.join(', ')}`,
    });
  }
  return wanted;
}

/**
 * @param {string | undefined} accept
 * @returns {'json' | 'object'}
 */
function negotiate(accept) {
  if (!accept) return 'json';
  for (const part of accept.split(',')) {
    const type = (part.split(';')[0] ?? '').trim().toLowerCase();
    if (['*/*', 'application/*', 'application/json', 'application/vnd.pgrst.array+json'].includes(type)) return 'json';
    if (type === 'application/vnd.pgrst.object+json' || type === 'application/vnd.pgrst.object') return 'object';
  }
  throw new PgrstError(406, 'PGRST107', `None of these media types are available: ${accept}`);
}

/**
 * @param {import('node:http').IncomingMessage} req
 * @param {{ jwtSecret: string, anonKey: string, serviceRoleKey: string }} config
 * @returns {Readonly<Record<string, unknown>> | Promise<Readonly<Record<string, unknown>>>}
 */
function authenticate(req, config) {
  const token = effectiveBearer(req.headers, config);
  if (!token) return NO_CLAIMS;
  // A token verified before is answered without waiting: no promise per request.
  return cachedClaims(token, config.jwtSecret) ?? verifyJwt(token, config.jwtSecret);
}

/** The claims of a request without a token (anon), one object so its claims text is made once. */
const NO_CLAIMS = Object.freeze({});

/**
 * @typedef {{ keys: string[], json?: string, body?: string, query?: Map<string, string[]> }} Args
 */

/**
 * A role claim the API does not serve, refused with 401 before a transaction is opened and
 * in PostgREST's words for what `set role` would have said: a role that does not exist is
 * 22023 `role "x" does not exist`, any other (postgres, supabase_admin, authenticator, …)
 * 42501 `permission denied to set role "x"` (docs/supabase-protocol.md §1). The pool logs in as
 * `authenticator`, which could not become them anyway.
 * @param {pg.Pool} pool
 * @param {string} role
 */
async function refusedRole(pool, role) {
  // Role names are at most 63 bytes and never hold a NUL; such a claim names no role.
  const exists = !role.includes('\0') && Buffer.byteLength(role) <= 63
    && (await pool.query('select 1 from pg_catalog.pg_roles where rolname = $1', [role])).rows.length > 0;
  const name = role.replace(/\0/g, '').slice(0, 63);
  return !exists
    ? new PgrstError(401, '22023', `role "${name}" does not exist`)
    : new PgrstError(401, '42501', `permission denied to set role "${name}"`);
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The body as text. PostgREST hands the body's bytes to PostgreSQL as they came, which
 * refuses bytes that are not UTF-8 (22021, HTTP 400) before the function runs; Buffer's
 * toString would turn them into U+FFFD and store 'Caf\uFFFD' for a Latin-1 'Café'.
 * @param {Buffer} bytes
 * @returns {string}
 */
function utf8Text(bytes) {
  try {
    return UTF8.decode(bytes);
  } catch {
    throw new PgrstError(400, '22021', 'invalid byte sequence for encoding "UTF8"', {
      hint: 'Send the body as UTF-8 text.',
    });
  }
}

/**
 * A JSON object body's keys are the argument names [PGRST Payload.hs]; an empty body is {}.
 * An array's are its objects' keys, which must be the same in each, else 400 PGRST102 "All
 * object keys must match" [PGRST Payload.hs `payloadAttributes`]; the call takes the first
 * object's values, once (json_to_recordset(body) … LIMIT 1) [PGRST QueryBuilder.hs
 * `callPlanToQuery`]. An empty array, or JSON that is neither array nor object, has no keys:
 * a call without arguments. `body` is the whole text, for a single unnamed json parameter.
 * @param {import('node:http').IncomingMessage} req
 * @returns {Promise<Args>}
 */
async function postArgs(req) {
  const contentType = ((req.headers['content-type'] ?? 'application/json').split(';')[0] ?? '').trim().toLowerCase();
  if (contentType !== 'application/json') {
    throw new PgrstError(400, 'PGRST102', `Content-Type not acceptable: ${contentType}`);
  }
  const raw = utf8Text(await readBody(req, BODY_LIMITS.rest));
  if (raw.trim() === '') return { keys: [], json: '{}' };
  if (jsonTooDeep(raw)) {
    throw new PgrstError(400, '22023', `The JSON body nests deeper than ${MAX_JSON_DEPTH} levels`, {
      hint: 'Send arguments as plain objects and arrays a few levels deep.',
    });
  }
  /** @type {unknown} */
  let body;
  try {
    body = JSON.parse(raw);
  } catch {
    throw new PgrstError(400, 'PGRST102', 'Empty or invalid json');
  }
  if (Array.isArray(body)) {
    if (body.length === 0) return { keys: [], json: '{}', body: raw };
    const keys = objectKeys(body[0]);
    const same = keys !== null && body.every((each) => sameKeys(objectKeys(each), keys));
    if (!same) throw new PgrstError(400, 'PGRST102', 'All object keys must match');
    return { keys, json: JSON.stringify(body[0]), body: raw };
  }
  if (typeof body !== 'object' || body === null) return { keys: [], json: '{}', body: raw };
  return { keys: Object.keys(body), json: raw, body: raw };
}

/** The keys of a JSON object, or null for anything else (an array is no object here). */
function objectKeys(/** @type {unknown} */ value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.keys(value) : null;
}

/** Whether two key lists hold the same keys, in any order. */
function sameKeys(/** @type {string[] | null} */ a, /** @type {string[]} */ b) {
  return a !== null && a.length === b.length && a.every((key) => b.includes(key));
}

/**
 * Query parameters are the arguments of a GET call. Filters, `select`, `order`, `limit` and
 * `offset` on RPC results are PostgREST features the stand-in does not implement: it says so
 * rather than silently ignoring them.
 * @param {URLSearchParams} query
 * @returns {Args}
 */
function getArgs(query) {
  /** @type {Map<string, string[]>} */
  const values = new Map();
  for (const [key, value] of query) {
    if (RESERVED.includes(key) || FILTER.test(value)) {
      if (key === 'select' && value === '*') continue;
      throw new PgrstError(400, 'PGRST100', `"${key}=${value}" on an RPC result is not supported by the local stand-in`);
    }
    values.set(key, [...(values.get(key) ?? []), value]);
  }
  return { keys: [...values.keys()], query: values };
}

/**
 * The call, with named arguments from the JSON body through `json_to_record` (so values are
 * coerced by json→record rules) or from the query string as text cast to the declared type
 * [PGRST QueryBuilder.hs `callPlanToQuery`, SqlFragment.hs `fromJsonBodyF`], and shaped the
 * way PostgREST shapes results [PGRST SqlFragment.hs `asJsonF`].
 * @param {import('./routines.mjs').Routine} routine
 * @param {boolean} wholeBody
 * @param {Args} args
 */
function buildCall(routine, wholeBody, args) {
  // The SQL of a POST depends only on the routine and the argument names: built once.
  if (!args.query) {
    let shapes = callShapes.get(routine);
    if (!shapes) callShapes.set(routine, (shapes = new Map()));
    const key = `${wholeBody}:${args.keys.join(',')}`;
    let shape = shapes.get(key);
    if (!shape) {
      const built = buildCallSql(routine, wholeBody, args);
      shape = { sql: built.sql, name: statementName(built.sql), json: built.values.length > 0 };
      if (shapes.size < 100) shapes.set(key, shape);
    }
    return { sql: shape.sql, name: shape.name, values: shape.json ? [args.json] : [] };
  }
  const built = buildCallSql(routine, wholeBody, args);
  return { ...built, name: statementName(built.sql) };
}

/** @type {WeakMap<import('./routines.mjs').Routine[], Map<string, { routine: import('./routines.mjs').Routine, wholeBody: boolean }[]>>} */
const routineMatches = new WeakMap();
/**
 * findRoutine, remembered per cached overload list and argument names (a reloaded schema
 * cache makes new lists, so nothing stale is kept).
 * @param {import('./routines.mjs').Routine[]} routines
 * @param {string[]} keys
 * @param {boolean} jsonPost
 */
function findRoutineCached(routines, keys, jsonPost) {
  let byKeys = routineMatches.get(routines);
  if (!byKeys) routineMatches.set(routines, (byKeys = new Map()));
  const key = `${jsonPost}:${keys.join(',')}`;
  let matches = byKeys.get(key);
  if (!matches) {
    matches = findRoutine(routines, keys, jsonPost);
    if (byKeys.size < 100) byKeys.set(key, matches);
  }
  return matches;
}

/** @type {WeakMap<import('./routines.mjs').Routine, Map<string, { sql: string, name: string, json: boolean }>>} */
const callShapes = new WeakMap();

/**
 * @param {import('./routines.mjs').Routine} routine
 * @param {boolean} wholeBody
 * @param {Args} args
 */
function buildCallSql(routine, wholeBody, args) {
  const fn = `${ident(routine.schema)}.${ident(routine.name)}`;
  const used = routine.params.filter((p) => args.keys.includes(p.name));
  /** @type {unknown[]} */
  const values = [];
  let from = '';
  let argList = '';
  if (wholeBody) {
    values.push(args.body ?? args.json);
    argList = `$1::${routine.params[0]?.type}`;
  } else if (args.query) {
    const query = args.query;
    argList = used
      .map((p) => {
        const given = /** @type {string[]} */ (query.get(p.name));
        values.push(p.variadic ? given : given[0]);
        const cast = p.variadic ? `text[]::${p.type}` : p.type;
        return `${p.variadic ? 'variadic ' : ''}${ident(p.name)} := $${values.length}::${cast}`;
      })
      .join(', ');
  } else if (used.length > 0) {
    values.push(args.json);
    from = `json_to_record($1::json) as pgrst_args(${used.map((p) => `${ident(p.name)} ${p.type}`).join(', ')})`;
    argList = used.map((p) => `${p.variadic ? 'variadic ' : ''}${ident(p.name)} := pgrst_args.${ident(p.name)}`).join(', ');
  }
  const call = `${fn}(${argList})`;
  const fromClause = from ? `from ${from}` : '';
  let sql;
  if (routine.returns === 'void') {
    sql = `select ${call} ${fromClause}`;
  } else if (routine.returns === 'scalar' && !routine.returnsSet) {
    // to_json of a json/jsonb value is its text as it is: no re-parse of a large document.
    // Of a json/jsonb function (nearly every RPC), the value's own text is that same text,
    // without to_json's look-up of how to print the type on every call.
    const text = routine.returnsJson ? '_t.pgrst_scalar::text' : 'to_json(_t.pgrst_scalar)::text';
    sql = `select coalesce(${text}, 'null') as body, 1 as n
             from (select ${call} as pgrst_scalar ${fromClause}) _t`;
  } else if (routine.returns === 'scalar') {
    sql = `select coalesce(json_agg(_t.pgrst_scalar)::text, '[]') as body, count(*)::int as n,
                  (json_agg(_t.pgrst_scalar) -> 0)::text as first
             from (select ${call} as pgrst_scalar ${fromClause}) _t`;
  } else if (!routine.returnsSet) {
    // A single composite is an object, or null when the function returned NULL (v10+).
    sql = `select case when _s.r is not distinct from null then 'null' else to_json(_s.r)::text end as body, 1 as n
             from (select ${call} as r ${fromClause}) _s`;
  } else {
    const source = from ? `${from} cross join lateral ${call} _r` : `${call} _r`;
    sql = `select coalesce(json_agg(_t)::text, '[]') as body, count(*)::int as n, (json_agg(_t) -> 0)::text as first
             from (select _r.* from ${source}) _t`;
  }
  // The response GUCs are read after the call, in the same statement: the call is a
  // subquery behind an optimisation fence (OFFSET 0), so its rows are complete before the
  // outer select reads what the function set.
  return { sql: `select _pgrst.*, ${RESPONSE_GUCS} from (${sql} offset 0) _pgrst`, values };
}

/**
 * PGRST202 with PostgREST's message, details and hint [PGRST Error.hs `NoRpc`, `noRpcHint`].
 * @param {import('pg').Pool} pool
 * @param {string} schema
 * @param {string} name
 * @param {import('./routines.mjs').Routine[]} overloads
 * @param {string[]} keys
 * @param {boolean} jsonPost
 */
async function noRpcError(pool, schema, name, overloads, keys, jsonPost) {
  const fn = `${schema}.${name}`;
  const sorted = [...keys].sort();
  const params = sorted.join(', ');
  const withParams =
    sorted.length === 0 ? ' without parameters' : ` with parameter${sorted.length > 1 ? 's' : ''} ${params}`;
  const message = `Could not find the function ${fn}${sorted.length === 0 ? ' without parameters' : `(${params})`} in the schema cache`;
  const details = `Searched for the function ${fn}${withParams}${
    jsonPost ? ' or with a single unnamed json/jsonb parameter' : ''
  }, but no matches were found in the schema cache.`;
  const hint = await noRpcHint(pool, schema, name, overloads, sorted);
  return new PgrstError(404, 'PGRST202', message, { details, hint });
}

/**
 * The last request.headers text of each connection, with the header lines it was made from.
 * @type {WeakMap<object, { lines: string[], text: string }>}
 */
const headersTextOfConnection = new WeakMap();

/**
 * request.headers as JSON text. A client on a kept-alive connection usually sends the same
 * header lines request after request; the same lines make the same text, so the text of
 * the connection's last request is reused when every line is equal (cheaper than building
 * the JSON again).
 * @param {import('node:http').IncomingMessage} req
 */
function requestHeadersText(req) {
  const lines = req.rawHeaders;
  const last = headersTextOfConnection.get(req.socket);
  if (last !== undefined && sameLines(last.lines, lines)) return last.text;
  const text = headersJson(req);
  headersTextOfConnection.set(req.socket, { lines, text });
  return text;
}

/** @param {string[]} a @param {string[]} b */
function sameLines(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Node already lower-cases names and joins repeated headers (all but Set-Cookie), so
 * without Cookie and Set-Cookie its own object is the answer.
 * @param {import('node:http').IncomingMessage} req
 */
function headersJson(req) {
  if (req.headers.cookie === undefined && req.headers['set-cookie'] === undefined) return JSON.stringify(req.headers);
  return JSON.stringify(requestHeaders(req));
}

/**
 * All request headers except Cookie, lower-cased [PGRST PreQuery.hs].
 * @param {import('node:http').IncomingMessage} req
 */
function requestHeaders(req) {
  /** @type {Record<string, string>} */
  const headers = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (name === 'cookie' || value === undefined) continue;
    headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

/** @param {string | undefined} header */
function parseCookies(header) {
  /** @type {Record<string, string>} */
  const cookies = {};
  for (const part of (header ?? '').split(';')) {
    const [name, value] = splitOnce(part.trim(), '=');
    if (name) cookies[name] = value;
  }
  return cookies;
}

/** @param {string} text @param {string} sep @returns {[string, string]} */
function splitOnce(text, sep) {
  const i = text.indexOf(sep);
  return i < 0 ? [text, ''] : [text.slice(0, i), text.slice(i + 1)];
}

/**
 * `response.headers` is a JSON array of single-key objects [PGRST transactions.rst].
 * @param {string | null} raw
 * @returns {Record<string, string>}
 */
function responseHeaders(raw) {
  if (!raw) return {};
  try {
    const list = JSON.parse(raw);
    if (!Array.isArray(list)) throw new Error();
    return Object.assign({}, ...list);
  } catch {
    throw new PgrstError(500, 'PGRST111', 'response.headers guc must be a JSON array composed of objects with a single key and a string value');
  }
}

/** @param {string | null} raw */
function responseStatus(raw) {
  if (!raw) return undefined;
  const status = Number(raw);
  if (!Number.isInteger(status) || status < 100 || status > 599) {
    throw new PgrstError(500, 'PGRST112', 'response.status guc must be a valid status code');
  }
  return status;
}
