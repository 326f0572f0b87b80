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
    await client.query(mode.opening ? `${begin}; ${mode.opening(client)}` : begin);
    try {
      const { commit, value } = await work(client);
      const end = commit ? 'commit' : 'rollback';
      if (!mode.closing) {
        await client.query(end);
        return value;
      }
      const results = /** @type {any[]} */ (/** @type {unknown} */ (await client.query(`${mode.closing}; ${end}`)));
      return { ...value, closing: results[0]?.rows?.[0] };
    } catch (err) {
      try {
        await client.query('rollback');
      } catch (rollbackErr) {
        broken = /** @type {Error} */ (rollbackErr);
      }
      throw err;
    }
  } catch (err) {
    // A failure of `begin` itself, or of `commit`, leaves the client in an unknown state.
    if (!broken && /** @type {any} */ (err)?.code === undefined) broken = /** @type {Error} */ (err);
    throw err;
  } finally {
    client.release(broken);
  }
}

