// PostgREST's RPC semantics through supabase-js `rpc()` (docs/supabase-protocol.md §2), against the test-only
// functions of fixtures/contract-functions.sql.
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { ADA, useContractStack } from './harness.ts';

const stack = useContractStack();
const note = () => `note-${Math.random().toString(36).slice(2)}`;
const countWrites = async (text: string) =>
  (await stack.sql<{ n: number }>('select count(*)::int as n from contract.writes where note = $1', [text]))[0]?.n;

describe('rpc: arguments', () => {
  it('passes JSON keys as named arguments', async () => {
    const { data, error, status } = await stack.client().rpc('contract_add', { b: 3, a: 2 });
    expect(error).toBeNull();
    expect(status).toBe(200);
    expect(data).toBe(5);
  });

  it('lets defaults fill the arguments the body leaves out', async () => {
    const { data } = await stack.client().rpc('contract_greet', { name: 'Ada' });
    expect(data).toBe('Hello, Ada');
  });

  it('answers an unknown argument with 404 PGRST202 and PostgREST’s message, details and hint', async () => {
    const { data, error, status } = await stack.client().rpc('contract_add', { a: 1, c: 2 });
    expect(data).toBeNull();
    expect(status).toBe(404);
    // [PGRST Error.hs `NoRpc`, `noRpcHint`]
    expect(error).toEqual({
      code: 'PGRST202',
      message: 'Could not find the function public.contract_add(a, c) in the schema cache',
      details:
        'Searched for the function public.contract_add with parameters a, c or with a single unnamed json/jsonb parameter, but no matches were found in the schema cache.',
      hint: 'Perhaps you meant to call the function public.contract_add(a, b)',
    });
  });

  it('answers an unknown function with PGRST202 and a hint naming the closest function', async () => {
    const { error, status } = await stack.client().rpc('contract_ad', {});
    expect(status).toBe(404);
    expect(error).toMatchObject({
      code: 'PGRST202',
      message: 'Could not find the function public.contract_ad without parameters in the schema cache',
      hint: 'Perhaps you meant to call the function public.contract_add',
    });
  });
});

describe('rpc: who is calling', () => {
  it('runs as anon without a session: auth.uid() is null, request GUCs are set', async () => {
    const client = stack.client(stack.anonKey, { 'x-contract': 'hello' });
    const { data } = await client.rpc('contract_whoami');
    expect(data).toEqual({
      uid: null,
      role: 'anon',
      current_user: 'anon',
      method: 'POST',
      path: '/rpc/contract_whoami',
      x_contract: 'hello',
      read_only: 'on', // STABLE → READ ONLY even on POST [PGRST Plan.hs txMode]
    });
  });

  it('runs as authenticated with the user’s claims once signed in', async () => {
    const client = await stack.signedIn();
    const { data } = await client.rpc('contract_whoami');
    expect(data).toMatchObject({ uid: ADA.id, role: 'authenticated', current_user: 'authenticated' });
  });

  it('maps the publishable key to anon and the secret key to service_role (Kong’s rewrite)', async () => {
    const publishable = await stack.client(stack.publishableKey).rpc('contract_whoami');
    expect(publishable.data).toMatchObject({ role: 'anon', current_user: 'anon' });
    const secret = await stack.client(stack.secretKey).rpc('contract_admin_only');
    expect(secret.data).toBe('secret');
  });

  it('runs as anon when only a legacy apikey is sent (Kong forwards it without "Bearer ")', async () => {
    // [CLI start.go ~451]: the raw apikey becomes Authorization, which PostgREST does not read.
    const response = await fetch(`${stack.url}/rest/v1/rpc/contract_whoami`, {
      method: 'POST',
      headers: { apikey: stack.serviceRoleKey, 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(await response.json()).toMatchObject({ role: 'anon' });
  });

  it('rejects a token signed with another secret (401 PGRST301) and an expired one (401 PGRST303)', async () => {
    const sign = (claims: Record<string, unknown>, secret: string) =>
      new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(new TextEncoder().encode(secret));
    const now = Math.floor(Date.now() / 1000);
    const forged = await sign({ role: 'service_role', exp: now + 60 }, 'another-secret-that-is-at-least-32-characters');
    const expired = await sign({ role: 'authenticated', sub: ADA.id, exp: now - 120 }, stack.jwtSecret);
    for (const [token, code, message] of [
      [forged, 'PGRST301', 'JWT cryptographic operation failed'],
      [expired, 'PGRST303', 'JWT expired'],
    ] as const) {
      const response = await fetch(`${stack.url}/rest/v1/rpc/contract_whoami`, {
        method: 'POST',
        headers: { apikey: stack.anonKey, Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: '{}',
      });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toContain('error="invalid_token"');
      expect(await response.json()).toEqual({ code, message, details: null, hint: null });
    }
  });
});

describe('rpc: errors keep PostgREST’s body and status', () => {
  // [PGRST Error.hs `pgErrorStatus`]; docs/api-contract.md's house SQLSTATEs.
  const cases = [
    { kind: '22023', status: 400, body: { message: 'amount must be a positive number', details: null, hint: 'Pass an amount above zero.' } },
    { kind: 'PT404', status: 404, body: { message: 'Customer not found', details: null, hint: 'Check the customer id.' } },
    {
      kind: 'PT409',
      status: 409,
      body: { message: 'The artifact changed since you loaded it', details: 'base_version 1, current 2', hint: 'Reload and retry.' },
    },
    { kind: 'P0001', status: 400, body: { message: 'Something plain went wrong', details: 'a detail', hint: null } },
    {
      kind: '23505',
      status: 409,
      body: {
        message: 'duplicate key value violates unique constraint "writes_note_is_unique"',
        details: 'Key (note)=(duplicate) already exists.',
        hint: null,
      },
    },
  ];
  for (const { kind, status, body } of cases) {
    it(`${kind} → ${status}`, async () => {
      const result = await (await stack.signedIn()).rpc('contract_fail', { kind });
      expect(result.status).toBe(status);
      expect(result.data).toBeNull();
      expect(result.error).toEqual({ code: kind, ...body });
    });
  }

  it('42501 → 401 for anon and 403 for a signed-in user [PGRST Error.hs: "authed" = role ≠ anon]', async () => {
    const anon = await stack.client().rpc('contract_fail', { kind: '42501' });
    expect(anon.status).toBe(401);
    expect(anon.error).toEqual({ code: '42501', message: 'Only managers may run the orchestrator', details: null, hint: null });
    const user = await (await stack.signedIn()).rpc('contract_fail', { kind: '42501' });
    expect(user.status).toBe(403);
    expect(user.error?.code).toBe('42501');
  });

  it('a function without EXECUTE fails at run time with 42501, not 404 (the schema cache ignores privileges)', async () => {
    const anon = await stack.client().rpc('contract_admin_only');
    expect(anon.status).toBe(401);
    expect(anon.error).toMatchObject({ code: '42501', message: 'permission denied for function contract_admin_only' });
    const user = await (await stack.signedIn()).rpc('contract_admin_only');
    expect(user.status).toBe(403);
  });

  it('sends the error as JSON with Proxy-Status, and WWW-Authenticate on 401', async () => {
    const response = await fetch(`${stack.url}/rest/v1/rpc/contract_fail`, {
      method: 'POST',
      headers: { apikey: stack.anonKey, Authorization: `Bearer ${stack.anonKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ kind: '42501' }),
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('proxy-status')).toBe('PostgREST; error=42501');
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('rejects invalid JSON (400 PGRST102) and other methods (405 PGRST101)', async () => {
    const headers = { apikey: stack.anonKey, 'Content-Type': 'application/json' };
    const bad = await fetch(`${stack.url}/rest/v1/rpc/contract_add`, { method: 'POST', headers, body: '{"a":' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ code: 'PGRST102', message: 'Empty or invalid json' });
    const put = await fetch(`${stack.url}/rest/v1/rpc/contract_add`, { method: 'PUT', headers, body: '{}' });
    expect(put.status).toBe(405);
    expect(await put.json()).toMatchObject({ code: 'PGRST101', message: 'Cannot use the PUT method on RPC' });
  });

  it('refuses a body that is not UTF-8 as PostgreSQL does (400 22021), writing nothing', async () => {
    // PostgREST passes the bytes on and PostgreSQL refuses them; read as U+FFFD, a Latin-1
    // 'Café' would be stored as 'Caf\uFFFD'.
    const text = note();
    const body = Buffer.concat([Buffer.from(`{"note": "${text} Caf`), Buffer.from([0xe9]), Buffer.from('"}')]);
    const response = await fetch(`${stack.url}/rest/v1/rpc/contract_touch`, {
      method: 'POST', headers: { apikey: stack.anonKey, 'Content-Type': 'application/json' }, body,
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ code: '22021', message: 'invalid byte sequence for encoding "UTF8"' });
    const [written] = await stack.sql<{ n: number }>('select count(*)::int as n from contract.writes where note like $1', [`${text}%`]);
    expect(written?.n).toBe(0);
  });
});

describe('rpc: transactions', () => {
  it('a void function answers 204 with no body, and its write is committed', async () => {
    const text = note();
    const response = await fetch(`${stack.url}/rest/v1/rpc/contract_touch`, {
      method: 'POST',
      headers: { apikey: stack.anonKey, 'Content-Type': 'application/json' },
      body: JSON.stringify({ note: text }),
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('content-type')).toBeNull();
    expect(await response.text()).toBe('');
    const viaJs = await stack.client().rpc('contract_touch', { note: note() });
    expect(viaJs).toMatchObject({ status: 204, data: null, error: null });
    expect(await countWrites(text)).toBe(1);
  });

  it('an error after a write in the same call leaves nothing written', async () => {
    const text = note();
    const { status, error } = await stack.client().rpc('contract_write_then_fail', { note: text });
    expect(status).toBe(409);
    expect(error?.code).toBe('PT409');
    expect(await countWrites(text)).toBe(0);
  });

  it('a STABLE function that reaches a write runs READ ONLY and fails with 405 (25006)', async () => {
    const text = note();
    const { status, error } = await stack.client().rpc('contract_stable_write', { note: text });
    expect(status).toBe(405);
    expect(error).toMatchObject({ code: '25006', message: 'cannot execute INSERT in a read-only transaction' });
    expect(await countWrites(text)).toBe(0);
  });

  it('GET runs read-only: a STABLE function answers, a writing one gets 405', async () => {
    const sum = await stack.client().rpc('contract_add', { a: 4, b: 5 }, { get: true });
    expect(sum).toMatchObject({ status: 200, data: 9 });
    const who = await stack.client().rpc('contract_whoami', {}, { get: true });
    expect(who.data).toMatchObject({ method: 'GET', read_only: 'on' });
    const text = note();
    const write = await stack.client().rpc('contract_touch', { note: text }, { get: true });
    expect(write.status).toBe(405);
    expect(await countWrites(text)).toBe(0);
  });
});

describe('rpc: result shapes', () => {
  it('returns SETOF as an array with Content-Range, and count from it when asked', async () => {
    const { data, count } = await stack.client().rpc('contract_series', { n: 3 }, { count: 'exact' });
    expect(data).toEqual([1, 2, 3]);
    expect(count).toBe(3);
    const response = await fetch(`${stack.url}/rest/v1/rpc/contract_series`, {
      method: 'POST',
      headers: { apikey: stack.anonKey, 'Content-Type': 'application/json' },
      body: '{"n":3}',
    });
    expect(response.headers.get('content-range')).toBe('0-2/*');
    const empty = await stack.client().rpc('contract_series', { n: 0 });
    expect(empty.data).toEqual([]);
  });

  it('returns a table function’s rows as objects', async () => {
    const { data } = await stack.client().rpc('contract_rows', { n: 2 });
    expect(data).toEqual([
      { i: 1, label: 'row 1' },
      { i: 2, label: 'row 2' },
    ]);
  });

  it('.single() returns the one row as an object, and 406 PGRST116 otherwise', async () => {
    const one = await stack.client().rpc('contract_rows', { n: 1 }).single();
    expect(one).toMatchObject({ status: 200, data: { i: 1, label: 'row 1' }, error: null });
    const two = await stack.client().rpc('contract_rows', { n: 2 }).single();
    expect(two.status).toBe(406);
    expect(two.error).toEqual({
      code: 'PGRST116',
      message: 'Cannot coerce the result to a single JSON object',
      details: 'The result contains 2 rows',
      hint: null,
    });
    const text = note();
    const condemned = await stack.client().rpc('contract_write_rows', { note: text, n: 2 }).single();
    expect(condemned.error?.code).toBe('PGRST116');
    // The transaction is rolled back [PGRST MainTx.hs `failNotSingular`].
    expect(await countWrites(text)).toBe(0);
    const scalar = await stack.client().rpc('contract_add', { a: 1, b: 1 }).single();
    expect(scalar.data).toBe(2);
  });
});

describe('rpc: schema cache', () => {
  // PostgREST caches routines and reloads on NOTIFY pgrst, which Supabase's DDL event
  // triggers send [docs/supabase-protocol.md §5; SBPG pgrst_ddl_watch]; the bootstrap installs the same triggers.
  it('sees a function redefined under a running gateway, without a restart', async () => {
    const anon = stack.client();
    await stack.sql(`create function public.contract_cache_probe(a int) returns int language sql as 'select a + 1'`);
    await stack.sql('grant execute on function public.contract_cache_probe(int) to anon');
    expect((await anon.rpc('contract_cache_probe', { a: 1 })).data).toBe(2);

    await stack.sql('drop function public.contract_cache_probe(int)');
    await stack.sql(`create function public.contract_cache_probe(b int) returns int language sql as 'select b * 10'`);
    await stack.sql('grant execute on function public.contract_cache_probe(int) to anon');
    // The notification arrives asynchronously after the DDL commits; allow it a moment.
    let answer: { data: unknown; error: { code?: string } | null } = { data: null, error: null };
    for (let attempt = 0; attempt < 40; attempt++) {
      answer = await anon.rpc('contract_cache_probe', { b: 3 });
      if (answer.data === 30) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(answer.data).toBe(30);
    const old = await anon.rpc('contract_cache_probe', { a: 1 });
    expect(old.error?.code).toBe('PGRST202');
    await stack.sql('drop function public.contract_cache_probe(int)');
  });
});
