// The MCP server answers no web page but the app's own (and those an operator lists): the
// Streamable HTTP transport says a server MUST validate the Origin header and answer 403 when
// it is present and not allowed, against DNS rebinding (functions-shared/mcp/origin.ts).
// Before, any Origin was served: a page on evil.example reached every tool with whatever
// token it held. A request without Origin is no browser's and is judged by its token alone.
import { beforeAll, describe, expect, it } from 'vitest';
import { handleMcp } from '../../functions-shared/mcp/handler.ts';
import type { FunctionEnv } from '../../functions-shared/http.ts';
import { signedInAs, stack } from '../support/stack.ts';

const ENV: FunctionEnv = {
  SUPABASE_URL: 'http://127.0.0.1:9',
  SUPABASE_ANON_KEY: 'anon',
  SUPABASE_SERVICE_ROLE_KEY: 'service',
  RENUBU_SITE_URL: 'https://app.renubu.test/some/page',
  RENUBU_MCP_ALLOWED_ORIGINS: 'http://localhost:6274, https://agents.example.com',
};

// A person's token as the function reads it (the gateway verified the signature before).
const PERSON = `x.${Buffer.from(JSON.stringify({ role: 'authenticated', sub: '00000000-0000-4000-8000-000000000001' })).toString('base64url')}.y`;
const ping = { jsonrpc: '2.0', id: 1, method: 'ping' };

function request(origin: string | null, init: { method?: string; token?: string | null } = {}): Request {
  const headers: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' };
  if (origin !== null) headers.Origin = origin;
  if (init.token !== null) headers.Authorization = `Bearer ${init.token ?? PERSON}`;
  const method = init.method ?? 'POST';
  return new Request('http://127.0.0.1:9/mcp', { method, headers, body: method === 'POST' ? JSON.stringify(ping) : undefined });
}

async function answerOf(response: Response) {
  return { status: response.status, body: await response.json() as unknown };
}

const REFUSED = {
  status: 403,
  body: { jsonrpc: '2.0', id: null, error: { code: -32000, message: expect.stringMatching(/^Forbidden/), data: { code: '42501', hint: expect.any(String) } } },
};

describe('mcp: the Origin header', () => {
  it.each([
    ['another site', 'https://evil.example'],
    ['the app\'s host under another scheme', 'http://app.renubu.test'],
    ['the app\'s host on another port', 'https://app.renubu.test:8443'],
    ['a sandboxed frame or a file (null)', 'null'],
    ['a value that is no origin', 'not a url'],
  ])('refuses %s with 403 and a JSON-RPC error without id', async (_, origin) => {
    expect(await answerOf(await handleMcp(request(origin), ENV))).toEqual(REFUSED);
  });

  it('refuses a foreign page\'s preflight, and without a token says nothing of tokens', async () => {
    expect(await answerOf(await handleMcp(request('https://evil.example', { method: 'OPTIONS', token: null }), ENV))).toEqual(REFUSED);
    expect(await answerOf(await handleMcp(request('https://evil.example', { token: null }), ENV))).toEqual(REFUSED);
  });

  it('refuses every browser origin when none is configured', async () => {
    const bare: FunctionEnv = { SUPABASE_URL: ENV.SUPABASE_URL, SUPABASE_ANON_KEY: 'anon', SUPABASE_SERVICE_ROLE_KEY: 'service' };
    expect((await handleMcp(request('https://app.renubu.test'), bare)).status).toBe(403);
    // Without Origin the token decides (none here: 401), as before.
    expect((await handleMcp(request(null, { token: null }), bare)).status).toBe(401);
  });

  it.each([
    ['no Origin (no browser)', null],
    ['the app\'s own address', 'https://app.renubu.test'],
    ['the app\'s address spelt otherwise', 'HTTPS://APP.renubu.test:443'],
    ['a listed origin', 'http://localhost:6274'],
    ['the other listed origin', 'https://agents.example.com'],
  ])('lets %s through to the token check', async (_, origin) => {
    const response = await handleMcp(request(origin, { token: null }), ENV);
    expect(response.status).toBe(401);
    const preflight = await handleMcp(request(origin, { method: 'OPTIONS', token: null }), ENV);
    expect(preflight.status).toBe(200);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
  });
});

describe('mcp: the Origin header through the stack', () => {
  let token: string;
  beforeAll(async () => {
    token = (await (await signedInAs('csm')).auth.getSession()).data.session!.access_token;
  });

  async function post(origin: string | null) {
    const headers: Record<string, string> = {
      Authorization: `Bearer ${token}`, apikey: stack.anonKey, 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream',
    };
    if (origin !== null) headers.Origin = origin;
    const response = await fetch(`${stack.url}/functions/v1/mcp`, { method: 'POST', headers, body: JSON.stringify(ping) });
    return { status: response.status, body: await response.json() as unknown };
  }

  it('a valid token from another site is refused, the same token without Origin is served', async () => {
    expect(await post('https://evil.example')).toEqual(REFUSED);
    expect(await post(null)).toEqual({ status: 200, body: { jsonrpc: '2.0', id: 1, result: {} } });
  });
});
