// The gateway logs in as `authenticator` and serves only the API's roles: a token whose
// role claim says `postgres` or `supabase_admin` once bypassed RLS as a superuser.
import { describe, expect, it } from 'vitest';
import { createClient } from '@supabase/supabase-js';
import { useContractStack } from '../contract/harness.ts';
import { forgedToken } from './support.ts';

const stack = useContractStack();

function clientWith(token: string) {
  return createClient(stack.url, stack.anonKey, {
    auth: { persistSession: false, autoRefreshToken: false },
    global: { headers: { Authorization: `Bearer ${token}` } },
  });
}

describe('role claims', () => {
  it.each(['postgres', 'supabase_admin', 'authenticator', 'supabase_auth_admin', 'pg_read_server_files', 'no_such_role', 'ANON'])(
    'a token with role %s is refused with 401 and runs nothing', async (role) => {
      const token = await forgedToken(stack.jwtSecret, { role, sub: '11111111-1111-4111-8111-111111111111' });
      const { data, error, status } = await clientWith(token).rpc('contract_whoami');
      expect(status).toBe(401);
      expect(data).toBeNull();
      expect(error?.message).toMatch(/role/);
    },
  );

  it('the refusal reads as PostgREST words it: a missing role is 22023, any other 42501, both 401', async () => {
    const missing = await clientWith(await forgedToken(stack.jwtSecret, { role: 'no_such_role' })).rpc('contract_whoami');
    expect(missing.status).toBe(401);
    expect(missing.error).toEqual({ code: '22023', message: 'role "no_such_role" does not exist', details: null, hint: null });
    for (const role of ['postgres', 'supabase_admin', 'authenticator']) {
      const other = await clientWith(await forgedToken(stack.jwtSecret, { role })).rpc('contract_whoami');
      expect(other.status, role).toBe(401);
      expect(other.error, role).toEqual({ code: '42501', message: `permission denied to set role "${role}"`, details: null, hint: null });
    }
  });

  it('the API roles still work, each as itself, on a connection that is no superuser', async () => {
    for (const role of ['anon', 'authenticated', 'service_role']) {
      const token = await forgedToken(stack.jwtSecret, { role, sub: '11111111-1111-4111-8111-111111111111' });
      const { data, error } = await clientWith(token).rpc('contract_whoami');
      expect(error).toBeNull();
      expect(data).toMatchObject({ current_user: role });
    }
    const [session] = await stack.sql<{ usename: string; usesuper: boolean }>(
      `select a.usename, u.usesuper from pg_stat_activity a join pg_user u on u.usename = a.usename
        where a.datname = current_database() and a.application_name = '' and a.usename = 'authenticator' limit 1`,
    );
    expect(session).toMatchObject({ usename: 'authenticator', usesuper: false });
  });

  it('one bad token never poisons the pool: the next calls on the same connections succeed', async () => {
    const bad = await forgedToken(stack.jwtSecret, { role: 'no_such_role' });
    // More bad calls than the pool has connections, so every connection sees one.
    const refused = await Promise.all(Array.from({ length: 15 }, () => clientWith(bad).rpc('contract_whoami')));
    expect(refused.every((r) => r.status === 401)).toBe(true);
    const good = await Promise.all(Array.from({ length: 30 }, () => stack.client().rpc('contract_add', { a: 1, b: 2 })));
    expect(good.map((r) => r.error)).toEqual(Array(30).fill(null));
    expect(good.every((r) => r.data === 3)).toBe(true);
  });
});

describe('the gateway pool after a failed request', () => {
  it('a connection whose request failed inside its transaction goes back clean (no 25P02 for the next caller)', async () => {
    const path = await import('node:path');
    const db = await import(/* @vite-ignore */ path.resolve('local/gateway/db.mjs')) as {
      createPool(url: string): import('pg').Pool;
      inTransaction<T>(pool: import('pg').Pool, mode: { readOnly: boolean; opening?: () => string }, work: (c: import('pg').PoolClient) => Promise<{ commit: boolean; value: T }>): Promise<T>;
    };
    const pool = db.createPool(stack.dbUrl);
    pool.options.max = 1; // one connection: the next request must get the same one
    try {
      await expect(db.inTransaction(pool, { readOnly: true, opening: () => `select set_config('role', 'no_such_role', true)` },
        async () => ({ commit: true, value: 1 }))).rejects.toMatchObject({ code: '22023' });
      await expect(db.inTransaction(pool, { readOnly: true }, async (c) => {
        throw Object.assign(new Error('work failed'), { code: 'P0001' }) as never ?? c;
      })).rejects.toThrow('work failed');
      const value = await db.inTransaction(pool, { readOnly: true }, async (c) => ({ commit: true, value: (await c.query('select 41 + 1 as n')).rows[0].n as number }));
      expect(value).toBe(42);
    } finally {
      await pool.end();
    }
  });
});
