// Malformed requests answer 4xx and take nothing down: a bare `%` in a path once threw an
// uncaught URIError that ended the process serving the gateway and the web app.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { useContractStack } from '../contract/harness.ts';
import { rawRequest } from './support.ts';

const stack = useContractStack();

interface WebServer { listen(): Promise<void>; close(): Promise<void> }
let web: WebServer;
let webUrl = '';

beforeAll(async () => {
  const { createWebServer } = await import(/* @vite-ignore */ path.resolve('local/web-server.mjs')) as {
    createWebServer(o: { config: { webPort: number; apiUrl: string; anonKey: string } }): WebServer;
  };
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  web = createWebServer({ config: { webPort: port, apiUrl: stack.url, anonKey: stack.anonKey } });
  await web.listen();
  webUrl = `http://127.0.0.1:${port}`;
});
afterAll(async () => { await web?.close(); });

const BAD_PATHS = ['/%', '/%E0%A4%A', '/%ZZ', '/%00', '/..%2F..%2Fetc%2Fpasswd'];

describe('malformed requests', () => {
  it('the web server answers 4xx (or the app shell) to broken paths and keeps serving', async () => {
    for (const bad of BAD_PATHS) {
      const answer = await rawRequest(webUrl, { path: bad });
      expect(answer.status, bad).toBeLessThan(500);
      expect(answer.body, bad).not.toContain('root:');
    }
    expect((await rawRequest(webUrl, { path: '/%' })).status).toBe(400);
    expect((await rawRequest(webUrl, { path: '/renubu-config.json' })).status).toBe(200);
  });

  it('the web server refuses uploads unread (405), whatever their size', async () => {
    const answer = await rawRequest(webUrl, { method: 'POST', path: '/', headers: { 'content-length': 400 * 1024 * 1024 }, body: 'x' });
    expect(answer.status).toBe(405);
  });

  it('the gateway answers 400 to a broken path on every route and keeps serving', async () => {
    for (const bad of ['/rest/v1/rpc/%', '/rest/v1/%E0%A4%A', '/functions/v1/%', '/functions/v1/%E0%A4%A/x']) {
      const answer = await rawRequest(stack.url, { path: bad, headers: { apikey: stack.anonKey } });
      expect(answer.status, bad).toBe(400);
      expect(JSON.parse(answer.body), bad).toMatchObject({ message: expect.any(String) });
    }
    const health = await rawRequest(stack.url, { path: '/auth/v1/health', headers: { apikey: stack.anonKey } });
    expect(health.status).toBe(200);
  });

  it('the gateway answers 400 to a request target that is no URL at all (absolute form, broken host)', async () => {
    for (const target of ['http://[/rest/v1/rpc/contract_greet', 'http://x:99999/auth/v1/health', 'http://%zz/functions/v1/echo']) {
      const answer = await rawRequest(stack.url, { path: target, headers: { apikey: stack.anonKey } });
      expect(answer.status, target).toBe(400);
      expect(Object.keys(JSON.parse(answer.body)).sort(), target).toEqual(['code', 'details', 'hint', 'message']);
    }
    expect((await rawRequest(stack.url, { path: '/auth/v1/health' })).status).toBe(200);
  });

  it('a broken Host, absurd headers and odd methods are never 5xx on either server, which keep serving', async () => {
    const odd: { method?: string; path: string; headers: Record<string, string> }[] = [
      { path: '/auth/v1/health', headers: { host: '[' } },
      { path: '/rest/v1/rpc/contract_greet', headers: { host: 'x:99999%', apikey: stack.anonKey } },
      { path: '/rest/v1/rpc/contract_greet', headers: { 'x-huge': 'h'.repeat(64 * 1024) } },
      { path: '/rest/v1/rpc/contract_greet', headers: { accept: 'a/'.repeat(2000), 'accept-profile': '%00' } },
      { method: 'PROPFIND', path: '/rest/v1/rpc/contract_greet', headers: {} },
      { method: 'DELETE', path: '/functions/v1/%E0%A4%A', headers: { authorization: 'Bearer %%%' } },
    ];
    for (const base of [stack.url, webUrl]) {
      for (const request of odd) {
        const answer = await rawRequest(base, request);
        // A Host nobody routes on changes nothing (the call is served as usual) and the web
        // server answers GETs with the app shell; the gateway refuses the rest with a 4xx.
        expect(answer.status, `${base} ${request.method ?? 'GET'} ${request.path}`).toBeLessThan(500);
        if (base === stack.url && !request.headers.host) expect(answer.status, `${base} ${request.method ?? 'GET'} ${request.path}`).toBeGreaterThanOrEqual(400);
      }
    }
    expect((await rawRequest(stack.url, { path: '/auth/v1/health' })).status).toBe(200);
    expect((await rawRequest(webUrl, { path: '/renubu-config.json' })).status).toBe(200);
  });

  // JSON that is neither an object nor an array is, as PostgREST reads it, a call without
  // arguments (tests/contract/rpc-array-body.test.ts): contract_greet needs one, so 404 PGRST202.
  it('invalid JSON is 400, and a body of no object a call without arguments, each in the house shape', async () => {
    const headers = { apikey: stack.anonKey, 'content-type': 'application/json' };
    for (const [body, status] of [['{', 400], ['null', 404], ['"x"', 404], ['\u0000', 400], ['{"a":', 400]] as const) {
      const answer = await rawRequest(stack.url, { method: 'POST', path: '/rest/v1/rpc/contract_greet', headers, body });
      expect(answer.status, body).toBe(status);
      expect(Object.keys(JSON.parse(answer.body)).sort()).toEqual(['code', 'details', 'hint', 'message']);
      if (status === 404) expect(JSON.parse(answer.body).code, body).toBe('PGRST202');
    }
  });
});
