// Scheduled work the way hosted Supabase runs it: pg_cron → net.http_post (pg_net) → an Edge
// Function, with the project URL and service key from Vault. On the local stack pg_net's
// stand-in worker performs the requests; these tests prove a request queued in SQL is made
// and answered, and that queued mail is delivered by the scheduled drain with no client
// replaying anything.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { stack, withDb } from '../support/stack.ts';

const ACME = '0a000000-0000-4000-8000-000000000001';

async function until<T>(read: () => Promise<T | null | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== null && value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 250));
  }
}

afterAll(async () => {
  await withDb((db) => db.query(`delete from vault.secrets where name in ('project_url', 'service_role_key')`));
});

describe('scheduled calls', () => {
  it('a net.http_post queued in SQL is performed and its answer recorded', async () => {
    const received: { method?: string; body: string; auth?: string }[] = [];
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => { body += c; });
      req.on('end', () => {
        received.push({ method: req.method, body, auth: req.headers.authorization });
        res.writeHead(202, { 'content-type': 'application/json' });
        res.end('{"ok":true}');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const { port } = server.address() as AddressInfo;
      const id = await withDb(async (db) => (await db.query(
        `select net.http_post(url := $1, body := '{"hello": "cron"}'::jsonb, headers := '{"Authorization": "Bearer k"}'::jsonb) as id`,
        [`http://127.0.0.1:${port}/hook`],
      )).rows[0].id as number);
      const answer = await until(() => withDb(async (db) => (await db.query(
        'select status_code, content from net._http_response where id = $1', [id])).rows[0] as { status_code: number; content: string } | undefined));
      expect(answer).toEqual({ status_code: 202, content: '{"ok":true}' });
      expect(received).toEqual([{ method: 'POST', body: '{"hello": "cron"}', auth: 'Bearer k' }]);
    } finally {
      server.close();
    }
  });

  it('adds a missing Content-Type as JSON and refuses any other, as pg_net does', async () => {
    const seen: (string | undefined)[] = [];
    const server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => { seen.push(req.headers['content-type']); res.end('ok'); });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const { port } = server.address() as AddressInfo;
      const id = await withDb(async (db) => (await db.query(
        `select net.http_post(url := $1, headers := '{"X-Test": "1"}'::jsonb) as id`, [`http://127.0.0.1:${port}/`])).rows[0].id as number);
      await until(() => withDb(async (db) => (await db.query('select 1 as done from net._http_response where id = $1', [id])).rows[0]));
      expect(seen).toEqual(['application/json']);
      await expect(withDb((db) => db.query(
        `select net.http_post(url := $1, headers := '{"content-type": "text/plain"}'::jsonb)`, [`http://127.0.0.1:${port}/`])))
        .rejects.toThrow(/Content-Type header must be "application\/json"/);
    } finally {
      server.close();
    }
  });

  it('performs a batch concurrently: slow endpoints do not wait for each other', async () => {
    const server = http.createServer((req, res) => {
      req.resume();
      setTimeout(() => res.end(req.url), 2500);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const { port } = server.address() as AddressInfo;
      const started = Date.now();
      const ids = await withDb(async (db) => (await db.query(
        `select array[net.http_post(url := $1 || '/a'), net.http_post(url := $1 || '/b'), net.http_post(url := $1 || '/c')] as ids`,
        [`http://127.0.0.1:${port}`])).rows[0].ids as number[]);
      const answers = await until(async () => {
        const { rows } = await withDb((db) => db.query('select content from net._http_response where id = any($1) order by id', [ids]));
        return rows.length === 3 ? rows.map((r) => r.content as string) : null;
      });
      const elapsed = Date.now() - started;
      expect(answers).toEqual(['/a', '/b', '/c']);
      // One after another takes 7.5 s; together, 2.5 s plus the worker's 1 s poll.
      expect(elapsed).toBeLessThan(5500);
    } finally {
      server.close();
    }
  }, 30_000);

  it('queued mail is delivered by the scheduled drain, once, without any client replaying', async () => {
    const outboxId = await withDb(async (db) => {
      await db.query(
        `insert into vault.secrets (name, secret) values ('project_url', $1), ('service_role_key', $2)
         on conflict (name) do update set secret = excluded.secret`,
        [stack.url, stack.serviceRoleKey],
      );
      const { rows } = await db.query(
        `insert into app.email_outbox (org_id, to_addresses, subject, body_text)
         values ($1, array['buyer@customer.test'], 'Scheduled drain check', 'Delivered by the worker') returning id`,
        [ACME],
      );
      // What the cron job runs every minute — its stored command, read from cron.job — run
      // once now instead of waiting for the minute to come round.
      const job = await db.query(`select command from cron.job where jobname = 'drain-outbox'`);
      expect(job.rows).toHaveLength(1);
      await db.query(job.rows[0].command as string);
      return rows[0].id as string;
    });
    const delivered = await until(() => withDb(async (db) => (await db.query(
      `select status, attempts from app.email_outbox where id = $1 and status <> 'queued' and status <> 'sending'`, [outboxId])).rows[0] as { status: string; attempts: number } | undefined), 60_000);
    // The test stack has no mail server configured: the local mail sink is the delivery.
    expect(delivered).toEqual({ status: 'delivered_to_sink', attempts: 1 });
  }, 90_000);
});
