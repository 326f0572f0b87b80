// @ts-check
// The gateway's only way into Postgres: a pooled connection, handed back clean. A client
// whose transaction could not be ended is destroyed rather than reused.
import os from 'node:os';
import pg from 'pg';
import pgUtils from 'pg/lib/utils.js';

/**
 * @param {string} connectionString
 * @param {number} [max] connections at most; PostgREST's default db-pool is 10
 */
export function createPool(connectionString, max = 10) {
  const pool = new pg.Pool({ connectionString, max, idleTimeoutMillis: 10_000 });
  // An idle client that dies (server restart) must not crash the gateway.
  pool.on('error', () => {});
  return pool;
}

/**
 * Runs `work` inside one transaction on one pooled connection. Commits when `work` returns
 * { commit: true }, rolls back otherwise and on any error.
 *
 * Round trips are what a request costs, so statements that need no parameters travel
 * together in one simple-protocol message: `begin` with `opening` (the request's settings,
 * already quoted), and `closing` (e.g. reading response GUCs) with `commit`. Its result is
 * handed to `work`'s `finish`.
 * @template T, F
 * @param {pg.Pool} pool
 * @param {{ readOnly: boolean, opening?: (client: pg.PoolClient) => string, closing?: string }} mode
 * @param {(client: pg.PoolClient) => Promise<{ commit: boolean, value: T }>} work
 * @returns {Promise<T & { closing?: Record<string, unknown> }>}
 */
export async function inTransaction(pool, mode, work) {
  const client = await pool.connect();
  /** @type {Error | undefined} */
  let broken;
  try {
    const begin = mode.readOnly ? 'begin read only' : 'begin read write';
    const { commit, value } = await client.query(mode.opening ? `${begin}; ${mode.opening(client)}` : begin)
      .then(() => work(client));
    const end = commit ? 'commit' : 'rollback';
    if (!mode.closing) {
      await client.query(end);
      return /** @type {T & { closing?: Record<string, unknown> }} */ (value); // no closing statement ran
    }
    // Two statements in one simple query: pg answers with one result per statement.
    const results = /** @type {pg.QueryResult[]} */ (/** @type {unknown} */ (await client.query(`${mode.closing}; ${end}`)));
    return { ...value, closing: results[0]?.rows?.[0] };
  } catch (err) {
    // Whatever failed — `begin` with the request's settings (a role that does not exist),
    // the call, or `commit` — the connection goes back to the pool outside any
    // transaction, or not at all: a client left in an aborted transaction would answer
    // 25P02 to every request that borrowed it next.
    broken = await rollbackOrReason(client);
    throw err;
  } finally {
    client.release(broken);
  }
}

/**
 * Ends whatever transaction the client is in. Returns the error to destroy the client with
 * when even that fails (a lost connection), else undefined.
 * @param {pg.PoolClient} client
 * @returns {Promise<Error | undefined>}
 */
async function rollbackOrReason(client) {
  try {
    await client.query('rollback');
    return undefined;
  } catch (rollbackErr) {
    return /** @type {Error} */ (rollbackErr);
  }
}

/**
 * How many connections the API's pool keeps: twice the cores plus one (the usual sizing of
 * a pool whose database shares the machine), at most PostgREST's default of 10. More
 * connections than that add no throughput on a small machine: they only make more backends
 * take turns on the same cores, each turn costing Postgres CPU (measured: docs/performance.md,
 * "7 Dec 2026 morning"). A request past the pool waits in the gateway for a connection.
 * @param {number} [cores]
 */
export function apiPoolSize(cores = os.availableParallelism()) {
  return Math.max(2, Math.min(10, 2 * cores + 1));
}

/**
 * The same database as `connectionString`, logged in as another role: the gateway's API
 * connections log in as `authenticator` and its Auth as `supabase_auth_admin`, the way
 * PostgREST and GoTrue do on Supabase, never as a superuser.
 * @param {string} connectionString
 * @param {string} role
 */
export function asRole(connectionString, role) {
  const url = new URL(connectionString);
  url.username = role;
  return url.toString();
}

/**
 * Runs `statements` (named, parameterised) on one pooled connection in ONE round trip: every
 * Parse (only the first time a connection sees a name), Bind and Execute, then a single Sync,
 * written at once. Without a BEGIN the statements before a Sync are one implicit transaction
 * [PG protocol-flow "Pipelining"]: it commits at the Sync when all succeeded and is rolled back
 * when one failed (the rest are skipped), so the connection goes back to the pool clean either
 * way, without a `commit` or `rollback` of its own. Each statement sees what the earlier ones
 * did (`set_config(..., true)` holds until the Sync): the server parses, plans and runs them in
 * order. Rows come back as text fields, without a RowDescription (no Describe is sent).
 * @param {pg.Pool} pool
 * @param {{ name: string, text: string, values: unknown[] }[]} statements
 * @returns {Promise<(string | null)[][][]>} each statement's rows
 */
export async function oneRoundTrip(pool, statements) {
  const client = await pool.connect();
  try {
    const rows = await new Promise((resolve, reject) => client.query(new RoundTrip(statements, resolve, reject)));
    client.release();
    return rows;
  } catch (err) {
    // A server error leaves the connection clean (the Sync ended the implicit transaction);
    // anything else (a lost connection) means it must not be reused.
    client.release(err instanceof pg.DatabaseError ? undefined : /** @type {Error} */ (err));
    throw err;
  }
}

/**
 * The part of pg's internal Connection (pg/lib/connection.js, untyped) a pipeline drives:
 * the protocol messages it writes and the names already prepared on it.
 * @typedef {{
 *   parsedStatements: Record<string, string>,
 *   on(event: 'parseComplete', listener: () => void): unknown,
 *   off(event: 'parseComplete', listener: () => void): unknown,
 *   stream: { cork?: () => void, uncork?: () => void },
 *   parse(message: { name: string, text: string, types: number[] }): void,
 *   bind(message: { statement: string, values: unknown[], valueMapper: (value: unknown) => unknown }): void,
 *   execute(message: {}): void,
 *   sync(): void,
 * }} PgConnection
 */

/**
 * A pg "submittable" (the interface pg-cursor uses): pg hands it the connection when the
 * client is free and routes the server's answers to its handle* methods until ReadyForQuery.
 */
class RoundTrip {
  /**
   * @param {{ name: string, text: string, values: unknown[] }[]} statements
   * @param {(rows: (string | null)[][][]) => void} resolve
   * @param {(err: Error) => void} reject
   */
  constructor(statements, resolve, reject) {
    this.statements = statements;
    this.resolve = resolve;
    this.reject = reject;
    /** @type {(string | null)[][][]} */
    this.rows = statements.map(() => []);
    this.current = 0;
    /** @type {Error | null} */
    this.failed = null;
    /** @type {{ name: string, text: string }[]} names sent with a Parse, in order */
    this.parsing = [];
    this.parsed = 0;
    /** @type {PgConnection | null} */
    this.connection = null;
    this.onParseComplete = () => {
      // A name is only known to the server once its Parse completed; a failure before it
      // (the server skips the rest until the Sync) leaves it unprepared, to be parsed again.
      const statement = this.parsing[this.parsed++];
      if (statement && this.connection) this.connection.parsedStatements[statement.name] = statement.text;
    };
  }

  /**
   * pg hands its Connection here (pg's Submittable); its published types know neither
   * `parsedStatements` nor the one-argument calls pg accepts, hence PgConnection.
   * @param {pg.Connection} pgConnection
   */
  submit(pgConnection) {
    const connection = /** @type {PgConnection} */ (/** @type {unknown} */ (pgConnection));
    this.connection = connection;
    for (const s of this.statements) if (connection.parsedStatements[s.name] === undefined) this.parsing.push(s);
    // Usually every name is prepared on this connection already and nothing is parsed.
    if (this.parsing.length > 0) connection.on('parseComplete', this.onParseComplete);
    connection.stream.cork?.();
    try {
      for (const s of this.statements) {
        if (connection.parsedStatements[s.name] === undefined) connection.parse({ name: s.name, text: s.text, types: [] });
        connection.bind({ statement: s.name, values: s.values, valueMapper: pgUtils.prepareValue });
        connection.execute({});
      }
      connection.sync();
    } finally {
      connection.stream.uncork?.();
    }
    return null;
  }

  done() {
    if (this.parsing.length > 0) this.connection?.off('parseComplete', this.onParseComplete);
  }

  /** @param {{ fields: (string | null)[] }} msg */
  handleDataRow(msg) {
    this.rows[this.current]?.push(msg.fields);
  }

  handleCommandComplete() {
    this.current += 1;
  }

  handleEmptyQuery() {
    this.current += 1;
  }

  handleRowDescription() {}

  handlePortalSuspended() {}

  handleCopyInResponse() {}

  handleCopyData() {}

  /** @param {Error} err */
  handleError(err) {
    // pg routes nothing more to this query after an error; the connection waits for the
    // server's ReadyForQuery before its next query.
    this.done();
    this.reject(err);
  }

  handleReadyForQuery() {
    this.done();
    this.resolve(this.rows);
  }
}
