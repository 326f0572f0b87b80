// Races held open for real: a transaction on a direct connection does its part and waits
// uncommitted while another call goes through the API, and the test asks whether that call
// waits for it. Shared by the *-races integration tests.
import pg from 'pg';
import { stack } from './stack.ts';

/**
 * A direct connection in a transaction of its own: as `who` (a profile id, signed in as the
 * API would sign them in), as the service role, or as the database owner (null).
 */
export async function transactionAs(who: string | 'service_role' | null): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: stack.dbUrl });
  await client.connect();
  await client.query('begin');
  if (who !== null) {
    const claims = who === 'service_role' ? { role: 'service_role' } : { sub: who, role: 'authenticated', aud: 'authenticated' };
    await client.query(`select set_config('request.jwt.claims', $1, true), set_config('role', $2, true)`,
      [JSON.stringify(claims), claims.role]);
  }
  return client;
}

/**
 * Whether a call is still unanswered after a moment: waiting for a lock. To show that a call
 * does NOT wait, give it a long `ms` (it returns as soon as the call answers): on a loaded
 * machine an unblocked call can take longer than the default.
 */
export async function stillWaiting(call: Promise<unknown>, ms = 500): Promise<boolean> {
  const waited = Symbol('waited');
  return (await Promise.race([call.then(() => null, () => null), new Promise((resolve) => setTimeout(() => resolve(waited), ms))])) === waited;
}

/**
 * A supabase-js call sent now (a builder sends its request again each time it is awaited),
 * and its answer: the error's code and message (null when it succeeded) and the data.
 */
export function sent(builder: PromiseLike<{ data: unknown; error: { code?: string; message: string } | null }>) {
  const call = Promise.resolve(builder);
  return { call, answer: call.then(({ error, data }) => ({ code: error?.code ?? null, message: error?.message ?? null, data })) };
}

/** Ends a held transaction whatever state it is in, and closes its connection. */
export async function release(client: pg.Client): Promise<void> {
  await client.query('rollback').catch(() => undefined);
  await client.end();
}
