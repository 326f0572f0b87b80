// @ts-check
// PostgREST's error responses: the {code, message, details, hint} body, the SQLSTATE → HTTP
// map [PGRST Error.hs `pgErrorStatus`, same in v14.12 and v16.2] and the PGRST codes the
// RPC path emits.

export class PgrstError extends Error {
  /**
   * @param {number} status
   * @param {string} code
   * @param {string} message
   * @param {{ details?: string | null, hint?: string | null, headers?: Record<string, string> }} [extra]
   */
  constructor(status, code, message, extra = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = extra.details ?? null;
    this.hint = extra.hint ?? null;
    this.headers = extra.headers ?? {};
    /** @type {string | undefined} the HTTP reason phrase, for PTxyz errors */
    this.reason = undefined;
  }
}

/**
 * @param {string} code SQLSTATE
 * @param {string} message
 * @param {boolean} isAnon whether the request ran as the anon role
 */
export function statusForSqlState(code, message, isAnon) {
  const two = code.slice(0, 2);
  if (two === '08') return 503;
  if (two === '09') return 500;
  if (two === '0L' || two === '0P') return 403;
  if (code === '23503' || code === '23505') return 409;
  if (code === '25006') return 405;
  if (two === '25') return 500;
  if (two === '28') return 403;
  if (['2D', '38', '39', '3B', '40'].includes(two)) return 500;
  if (code === '53400') return 500;
  if (two === '53') return 503;
  if (two === '54' || two === '55') return 500;
  if (code === '57P01') return 503;
  if (two === '57' || two === '58' || two === 'F0' || two === 'HV' || two === 'XX') return 500;
  if (code === 'P0001') return 400;
  if (two === 'P0') return 500;
  if (code === '42883') return message.startsWith('function xmlagg(') ? 406 : 404;
  if (code === '42P01') return 404;
  if (code === '42P17') return 500;
  // "authed" means the request role is not db-anon-role [PGRST App.hs].
  if (code === '42501') return isAnon ? 401 : 403;
  if (two === 'PT') {
    const status = Number(code.slice(2));
    return Number.isInteger(status) && status >= 100 && status <= 599 ? status : 500;
  }
  if (code === '21000') return message.endsWith('requires a WHERE clause') ? 400 : 500;
  // A `role` claim naming a role that does not exist [PGRST Error.hs].
  if (code === '22023') return /^role ".*" does not exist$/.test(message) ? 401 : 400;
  return 400;
}

/**
 * Turns a database error (from `pg`) into the response PostgREST would send. SQLSTATE PGRST
 * is PostgREST's "raise your own response" escape hatch [PGRST errors.rst].
 * @param {import('pg').DatabaseError} err
 * @param {boolean} isAnon
 * @returns {PgrstError}
 */
export function fromDatabaseError(err, isAnon) {
  const code = String(err.code ?? 'XX000');
  const message = String(err.message ?? '');
  if (code === 'PGRST') {
    try {
      const body = JSON.parse(message);
      const meta = JSON.parse(err.detail ?? '');
      if (typeof body.code !== 'string' || typeof body.message !== 'string') throw new Error();
      if (!Number.isInteger(meta.status)) throw new Error();
      return new PgrstError(meta.status, body.code, body.message, {
        details: body.details ?? null,
        hint: body.hint ?? null,
        headers: meta.headers ?? {},
      });
    } catch {
      return new PgrstError(500, 'PGRST121', 'Could not parse JSON in the "RAISE SQLSTATE \'PGRST\'" error', {
        details: `Invalid JSON value for MESSAGE: '${message}'`,
        hint: "MESSAGE must be a JSON object with obligatory keys: 'code', 'message' and optional keys: 'details', 'hint'.",
      });
    }
  }
  // Input nested so deep that Postgres' parser ran out of stack: the caller's mistake, and
  // the server's hint (max_stack_depth) is not theirs to read.
  if (code === '54001') {
    return new PgrstError(400, '22023', 'The input nests too deeply to be processed', {
      hint: 'Send arguments as plain objects and arrays a few levels deep.',
    });
  }
  const status = statusForSqlState(code, message, isAnon);
  const pgErr = new PgrstError(status, code, message, {
    details: err.detail ?? null,
    hint: err.hint ?? null,
  });
  // PTxyz uses the MESSAGE as the reason phrase [PGRST Error.hs].
  if (code.startsWith('PT')) pgErr.reason = message;
  return pgErr;
}

/**
 * @param {import('node:http').ServerResponse} res
 * @param {PgrstError} err
 * @param {Record<string, string>} [extraHeaders]
 */
export function sendPgrstError(res, err, extraHeaders = {}) {
  const body = JSON.stringify({ code: err.code, details: err.details, hint: err.hint, message: err.message });
  /** @type {Record<string, string | number>} */
  const headers = {
    ...extraHeaders,
    ...err.headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Proxy-Status': `PostgREST; error=${err.code}`,
  };
  if (err.status === 401) {
    headers['WWW-Authenticate'] = err.code.startsWith('PGRST3')
      ? `Bearer error="invalid_token", error_description="${err.message}"`
      : 'Bearer';
  }
  // Reason phrases must be plain header-safe text.
  const reason = err.reason?.replace(/[^\x20-\x7e]/g, ' ');
  if (reason) res.writeHead(err.status, reason, headers);
  else res.writeHead(err.status, headers);
  res.end(body);
}
