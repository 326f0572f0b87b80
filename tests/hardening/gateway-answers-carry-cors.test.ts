// Every answer the gateway writes itself carries CORS when a browser asks (an Origin), as
// hosted Supabase's gateway does, not only its successes: before, an expired or forged token
// on /functions/v1 was answered 401 without them (so was a function that is not there, a body
// too large, a worker that did not boot or fell over, a path that is no route), and the web
// app, unable to read the answer, said "could not reach the server" where it means "sign in
// again" (web/src/lib/errors.ts). A function's own answers keep the function's own CORS.
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { useContractStack } from '../contract/harness.ts';
import { rawRequest } from './support.ts';

const stack = useContractStack();
const ORIGIN = 'http://127.0.0.1:3000';

/** A token the stack signed that ran out in 2020: what a browser holds after a long sleep. */
function expiredToken(): Promise<string> {
  return new SignJWT({ role: 'authenticated', sub: '11111111-1111-4111-8111-111111111111' })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuedAt(Date.UTC(2020, 0, 1) / 1000)
    .setExpirationTime(Date.UTC(2020, 0, 1, 1) / 1000)
    .sign(new TextEncoder().encode(stack.jwtSecret));
}

async function call(path: string, init: { method?: string; token?: string | null; body?: string; origin?: string | null } = {}) {
  const headers: Record<string, string> = { apikey: stack.anonKey, 'Content-Type': 'application/json' };
  if (init.origin !== null) headers.Origin = init.origin ?? ORIGIN;
  if (init.token !== null) headers.Authorization = `Bearer ${init.token ?? stack.anonKey}`;
  const response = await fetch(`${stack.url}${path}`, { method: init.method ?? 'POST', headers, body: init.body ?? (init.method === 'GET' ? undefined : '{}') });
  await response.arrayBuffer();
  return { status: response.status, allowOrigin: response.headers.get('access-control-allow-origin') };
}

describe('the gateway\'s own answers carry CORS', () => {
  it('an expired token: 401 a browser can read, on a function, the REST API and Auth', async () => {
    const token = await expiredToken();
    expect(await call('/functions/v1/echo', { token })).toEqual({ status: 401, allowOrigin: '*' });
    expect(await call('/rest/v1/rpc/contract_greet', { token, body: '{"name":"x"}' })).toEqual({ status: 401, allowOrigin: '*' });
    expect((await call('/auth/v1/user', { method: 'GET', token })).allowOrigin).toBe('*');
  });

  it('a forged token and no token at all: 401 a browser can read', async () => {
    expect(await call('/functions/v1/echo', { token: `${stack.anonKey.slice(0, -4)}AAAA` })).toEqual({ status: 401, allowOrigin: '*' });
    expect(await call('/functions/v1/echo', { token: null })).toEqual({ status: 401, allowOrigin: '*' });
  });

  it('a function that is not there, and a path that is no route: 404 a browser can read', async () => {
    expect(await call('/functions/v1/no-such-function')).toEqual({ status: 404, allowOrigin: '*' });
    expect(await call('/graphql/v1')).toEqual({ status: 404, allowOrigin: '*' });
  });

  it('a method the API does not take: 405 a browser can read', async () => {
    expect(await call('/rest/v1/rpc/contract_greet', { method: 'PUT', body: '{"name":"x"}' })).toEqual({ status: 405, allowOrigin: '*' });
  });

  it('a worker that does not boot (503) or falls over mid-request (500): an answer a browser can read', async () => {
    expect(await call('/functions/v1/wont-boot')).toEqual({ status: 503, allowOrigin: '*' });
    expect(await call('/functions/v1/falls-over')).toEqual({ status: 500, allowOrigin: '*' });
  });

  it('a body too large and a path that is no percent-encoding: 413 and 400 a browser can read', async () => {
    const headers = { origin: ORIGIN, apikey: stack.anonKey, authorization: `Bearer ${stack.anonKey}`, 'content-type': 'application/json' };
    const tooLarge = await rawRequest(stack.url, { method: 'POST', path: '/functions/v1/echo', headers: { ...headers, 'content-length': 400 * 1024 * 1024 }, body: '{' });
    expect([tooLarge.status, tooLarge.headers['access-control-allow-origin']]).toEqual([413, '*']);
    const badPath = await rawRequest(stack.url, { method: 'POST', path: '/functions/v1/%ZZ', headers, body: '{}' });
    expect([badPath.status, badPath.headers['access-control-allow-origin']]).toEqual([400, '*']);
  });

  it('adds none without an Origin (no browser asked), as PostgREST does', async () => {
    expect(await call('/functions/v1/echo', { token: null, origin: null })).toEqual({ status: 401, allowOrigin: null });
    expect(await call('/functions/v1/no-such-function', { origin: null })).toEqual({ status: 404, allowOrigin: null });
  });
});
