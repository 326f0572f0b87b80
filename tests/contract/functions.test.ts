// Edge functions through supabase-js `functions.invoke()` (docs/supabase-protocol.md §4): the proxy to each
// function's own Deno process, verify_jwt from config.toml, Supabase's env, streaming.
import { FunctionsHttpError } from '@supabase/supabase-js';
import { describe, expect, it } from 'vitest';
import { useContractStack } from './harness.ts';

const stack = useContractStack();

describe('functions: invoke', () => {
  it('runs the function with the caller’s token, the /<name> path prefix and Supabase’s env', async () => {
    const client = await stack.signedIn();
    const token = (await client.auth.getSession()).data.session!.access_token;
    const { data, error } = await client.functions.invoke('echo', { body: { hello: 'world' } });
    expect(error).toBeNull();
    expect(data).toEqual({
      method: 'POST',
      pathname: '/echo',
      search: '',
      authorization: `Bearer ${token}`,
      contentType: 'application/json',
      body: '{"hello":"world"}',
      env: {
        SUPABASE_URL: stack.url,
        SUPABASE_ANON_KEY: stack.anonKey,
        SUPABASE_SERVICE_ROLE_KEY: stack.serviceRoleKey,
        SUPABASE_DB_URL: stack.dbUrl,
      },
    });
  }, 60_000);

  it('keeps sub-paths and the query string', async () => {
    const response = await fetch(`${stack.url}/functions/v1/echo/deeper/path?x=1&y=2`, {
      headers: { Authorization: `Bearer ${stack.anonKey}` },
    });
    expect(await response.json()).toMatchObject({ method: 'GET', pathname: '/echo/deeper/path', search: '?x=1&y=2' });
  }, 60_000);

  it('refuses a verify_jwt function without a user token: 401', async () => {
    // supabase-js 2.119 sends no Authorization when there is no session (2.109 sent the
    // publishable key itself as Bearer): refused as a missing header.
    const { data, error } = await stack.client(stack.publishableKey).functions.invoke('echo', { body: {} });
    expect(data).toBeNull();
    expect(error).toBeInstanceOf(FunctionsHttpError);
    const context = (error as FunctionsHttpError).context as Response;
    expect(context.status).toBe(401);
    expect(await context.json()).toEqual({ msg: 'Error: Missing authorization header' });

    // An sb_ key sent as Bearer is not a JWT either.
    const keyAsBearer = await fetch(`${stack.url}/functions/v1/echo`, {
      method: 'POST', headers: { apikey: stack.publishableKey, Authorization: `Bearer ${stack.publishableKey}` },
    });
    expect(keyAsBearer.status).toBe(401);
    expect(await keyAsBearer.json()).toEqual({ msg: 'Invalid JWT' });

    // Without Authorization at all: the local functions gateway's body [CLI serve/templates/main.ts].
    const bare = await fetch(`${stack.url}/functions/v1/echo`, { method: 'POST', headers: { apikey: stack.publishableKey } });
    expect(bare.status).toBe(401);
    expect(await bare.json()).toEqual({ msg: 'Error: Missing authorization header' });
  });

  it('refuses a token it cannot verify: 401 Invalid JWT', async () => {
    const response = await fetch(`${stack.url}/functions/v1/echo`, {
      method: 'POST',
      headers: { Authorization: 'Bearer not.a.jwt' },
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ msg: 'Invalid JWT' });
  });

  it('lets anyone reach a verify_jwt = false function', async () => {
    const { data, error } = await stack.client(stack.publishableKey).functions.invoke('open', { body: {} });
    expect(error).toBeNull();
    expect(data).toMatchObject({ open: true });
    const bare = await fetch(`${stack.url}/functions/v1/open`, { method: 'POST' });
    expect(bare.status).toBe(200);
    expect(await bare.json()).toEqual({ open: true, authorization: null });
  }, 60_000);

  it('never checks the JWT on OPTIONS: the function answers its own preflight', async () => {
    const response = await fetch(`${stack.url}/functions/v1/echo`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://localhost:3000', 'Access-Control-Request-Method': 'POST' },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ method: 'OPTIONS', pathname: '/echo' });
  }, 60_000);

  it('serves `export default { fetch }` handlers too', async () => {
    const { data } = await (await stack.signedIn()).functions.invoke('default-export', { body: {} });
    expect(data).toEqual({ style: 'default-export', pathname: '/default-export' });
  }, 60_000);

  it('answers 404 for an unknown function and for _shared, which is never a function', async () => {
    for (const name of ['no-such-function', '_shared']) {
      const response = await fetch(`${stack.url}/functions/v1/${name}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${stack.anonKey}` },
      });
      expect(response.status).toBe(404);
      expect(await response.text()).toBe('Function not found');
    }
  });
});

describe('functions: streaming', () => {
  it('delivers text/event-stream incrementally: the first event arrives before the last is written', async () => {
    const { data, error } = await stack.client().functions.invoke('stream', {
      headers: { Accept: 'text/event-stream' },
    });
    expect(error).toBeNull();
    // supabase-js hands back the raw Response for event streams [SBJS FunctionsClient.ts].
    const response = data as Response;
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    let firstArrival = 0;
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      if (!firstArrival) firstArrival = Date.now();
      text += decoder.decode(value, { stream: true });
    }
    const events = text
      .split('\n\n')
      .filter((block) => block.startsWith('event: tick'))
      .map((block) => JSON.parse(block.split('data: ')[1]!) as { i: number; sentAt: number });
    expect(events.map((e) => e.i)).toEqual([1, 2, 3, 4]);
    // The function waits 300 ms between events, so a buffering proxy would deliver the first
    // only after the last had been written.
    expect(firstArrival).toBeLessThan(events[3]!.sentAt);
  }, 60_000);
});
