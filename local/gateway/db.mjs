// @ts-check
// The gateway's only way into Postgres: a pooled connection, handed back clean. A client
// whose transaction could not be ended is destroyed rather than reused.
import pg from 'pg';

/** @param {string} connectionString */
export function createPool(connectionString) {
  const pool = new pg.Pool({ connectionString, max: 10, idleTimeoutMillis: 10_000 });
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
 * @returns {Promise<T & { closing?: any }>}
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
      return /** @type {T & { closing?: any }} */ (value);
    }
    const results = /** @type {any[]} */ (/** @type {unknown} */ (await client.query(`${mode.closing}; ${end}`)));
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
