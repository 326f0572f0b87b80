// The gateway's edges: CORS as PostgREST does it, the local keys, unrouted paths.
import { jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { useContractStack } from './harness.ts';

const stack = useContractStack();
const origin = 'http://127.0.0.1:3000';

describe('CORS', () => {
  it('answers a preflight with PostgREST’s CORS headers [PGRST Cors.hs]', async () => {
    for (const path of ['/rest/v1/rpc/contract_add', '/auth/v1/token?grant_type=password']) {
      const response = await fetch(`${stack.url}${path}`, {
        method: 'OPTIONS',
        headers: {
          Origin: origin,
          'Access-Control-Request-Method': 'POST',
          'Access-Control-Request-Headers': 'apikey, content-type, content-profile, x-client-info',
        },
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
      expect(response.headers.get('access-control-allow-methods')).toBe('GET, POST, PATCH, PUT, DELETE, OPTIONS');
      expect(response.headers.get('access-control-allow-headers')).toBe(
        'Authorization, apikey, content-type, content-profile, x-client-info',
      );
      expect(response.headers.get('access-control-max-age')).toBe('86400');
      expect(response.headers.get('access-control-expose-headers')).toContain('Content-Range');
    }
  });

  it('exposes Content-Range on the actual response, so a browser can read `count`', async () => {
    const response = await fetch(`${stack.url}/rest/v1/rpc/contract_series`, {
      method: 'POST',
      headers: { Origin: origin, apikey: stack.anonKey, 'Content-Type': 'application/json', Prefer: 'count=exact' },
      body: '{"n":2}',
    });
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-expose-headers')?.split(', ')).toEqual([
      'Content-Encoding',
      'Content-Location',
      'Content-Range',
      'Content-Type',
      'Date',
      'Location',
      'Server',
      'Transfer-Encoding',
      'Range-Unit',
    ]);
    expect(response.headers.get('content-range')).toBe('0-1/2');
  });

  it('adds no CORS headers without an Origin', async () => {
    const response = await fetch(`${stack.url}/rest/v1/rpc/contract_add`, {
      method: 'POST',
      headers: { apikey: stack.anonKey, 'Content-Type': 'application/json' },
      body: '{"a":1,"b":2}',
    });
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('keys', () => {
  it('ANON_KEY and SERVICE_ROLE_KEY verify with JWT_SECRET and carry the supabase start claims', async () => {
    const secret = new TextEncoder().encode(stack.jwtSecret);
    const anon = await jwtVerify(stack.anonKey, secret, { algorithms: ['HS256'] });
    expect(anon.payload).toEqual({ iss: 'supabase-demo', role: 'anon', exp: 1983812996 });
    const service = await jwtVerify(stack.serviceRoleKey, secret, { algorithms: ['HS256'] });
    expect(service.payload).toEqual({ iss: 'supabase-demo', role: 'service_role', exp: 1983812996 });
  });

  it('uses the CLI’s opaque publishable and secret keys', () => {
    expect(stack.publishableKey).toBe('sb_publishable_ACJWlzQHlZjBrEguHvfOxg_3BJgxAaH');
    expect(stack.secretKey).toBe('sb_secret_N7UND0UgjKTVK-Uodkm0Hg_xSvEMPvz');
  });
});

describe('routing', () => {
  it('answers 404 outside the Supabase paths, and GoTrue’s health check', async () => {
    const unrouted = await fetch(`${stack.url}/graphql/v1`);
    expect(unrouted.status).toBe(404);
    expect(await unrouted.json()).toEqual({ message: 'no Route matched with those values' });
    const health = await fetch(`${stack.url}/auth/v1/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ name: 'GoTrue' });
  });
});
