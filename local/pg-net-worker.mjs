// @ts-check
// The local stand-in for pg_net's background worker: performs the HTTP requests that
// `net.http_post` queued in `net.http_request_queue` (local/db/bootstrap.sql) and records
// each answer in `net._http_response`, as pg_net does on hosted Supabase. Each queued row
// is taken by one worker (`for update skip locked`) and removed in the same transaction
// that records its answer, so a request is made once even if two stacks share a database.
import pg from 'pg';

const POLL_MS = 1000;
const BATCH = 10;

/**
 * @param {{ dbUrl: string, log?: (line: string) => void }} options
 * @returns {{ close(): Promise<void>, drainOnce(): Promise<number> }}
 */
export function startPgNetWorker({ dbUrl, log = (line) => process.stderr.write(`${line}\n`) }) {
  const pool = new pg.Pool({ connectionString: dbUrl, max: 2 });
  pool.on('error', () => {}); // a restarting database must not end the stack
  let stopped = false;
  /** @type {Promise<number> | null} */
  let running = null;

  async function drainOnce() {
    const client = await pool.connect();
    let done = 0;
    try {
      const { rows: present } = await client.query(`select to_regclass('net.http_request_queue') is not null as present`);
      if (!present[0].present) return 0;
      await client.query('begin');
      const { rows } = await client.query(
        `delete from net.http_request_queue where id in (
           select id from net.http_request_queue order by id limit $1 for update skip locked)
         returning id, method, url, headers, convert_from(body, 'UTF8') as body, timeout_milliseconds`,
        [BATCH],
      );
      // Concurrently, as pg_net's worker runs a batch: one slow endpoint does not hold up the rest.
      const answered = await Promise.all(rows.map(async (request) => ({ request, answer: await perform(request) })));
      for (const { request, answer } of answered) {
        await client.query(
          `insert into net._http_response (id, status_code, content_type, headers, content, timed_out, error_msg)
           values ($1, $2, $3, $4, $5, $6, $7) on conflict (id) do nothing`,
          [request.id, answer.status, answer.contentType, answer.headers, answer.content, answer.timedOut, answer.error],
        );
        done += 1;
      }
      await client.query('commit');
    } catch (error) {
      await client.query('rollback').catch(() => {});
      log(`[pg_net] ${/** @type {Error} */ (error).message}`);
    } finally {
      client.release();
    }
    return done;
  }

  /** @param {{ method: string, url: string, headers: Record<string, string>, body: string | null, timeout_milliseconds: number }} request */
  async function perform(request) {
    try {
      const response = await fetch(request.url, {
        method: request.method,
        headers: request.headers,
        body: request.method === 'GET' ? undefined : request.body ?? undefined,
        signal: AbortSignal.timeout(request.timeout_milliseconds),
      });
      return {
        status: response.status,
        contentType: response.headers.get('content-type'),
        headers: Object.fromEntries(response.headers),
        content: await response.text(),
        timedOut: false,
        error: null,
      };
    } catch (error) {
      const timedOut = /** @type {Error} */ (error).name === 'TimeoutError';
      return { status: null, contentType: null, headers: null, content: null, timedOut, error: timedOut ? 'Timeout was reached' : String(/** @type {Error} */ (error).message) };
    }
  }

  const timer = setInterval(() => {
    if (stopped || running) return;
    running = drainOnce().finally(() => { running = null; });
  }, POLL_MS);
  timer.unref();

  return {
    drainOnce,
    async close() {
      stopped = true;
      clearInterval(timer);
      await running?.catch(() => {});
      await pool.end();
    },
  };
}
