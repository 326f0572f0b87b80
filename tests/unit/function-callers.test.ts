// Who a function acts for (functions-shared/http.ts): only a signed-in person's access token
// (role `authenticated` with a `sub`) reaches the database as a caller; every other bearer
// is 401 in house words before anything runs, and a service-only function tells a person
// 403 in house words. Also the one JSON reader's answers and the status of the API refusing
// a request's size.
import type { SupabaseClient } from '@supabase/supabase-js';
import { describe, expect, it } from 'vitest';
import { rpc } from '../../functions-shared/api/rpc.ts';
import { bearerKind, callerClient, envFrom, fromDatabaseError, HttpError, isServiceCaller, parseJsonText, serviceCallerClient, statusForSqlState } from '../../functions-shared/http.ts';

/** An unsigned JWT with these claims: the functions only read claims, the gateway and database verify. */
function jwt(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}.c2lnbmF0dXJl`;
}

const SERVICE_KEY = jwt({ iss: 'supabase-demo', role: 'service_role' });
const env = envFrom({ SUPABASE_URL: 'http://127.0.0.1:9', SUPABASE_ANON_KEY: jwt({ role: 'anon' }), SUPABASE_SERVICE_ROLE_KEY: SERVICE_KEY });
const person = jwt({ sub: '6b1e4d0a-3f2c-4a55-9d0e-2f7c1a9b8e11', role: 'authenticated', aud: 'authenticated' });
const nobodies: Record<string, string | null> = {
  'no header': null,
  'the anon key': `Bearer ${jwt({ role: 'anon' })}`,
  'a publishable key (no JWT)': 'Bearer sb_publishable_ACJWlzQHlZjBrEguHvfOxg_3BJgxAaH',
  'a Storage signed-URL token (no role)': `Bearer ${jwt({ url: 'contracts/a/b/c.pdf', iat: 1, exp: 2 })}`,
  'authenticated without a sub': `Bearer ${jwt({ role: 'authenticated' })}`,
  'another role': `Bearer ${jwt({ role: 'supabase_admin', sub: 'x' })}`,
  'not a bearer': `Basic ${Buffer.from('a:b').toString('base64')}`,
  'a bare word': 'Bearer',
};

const request = (authorization: string | null) =>
  new Request('http://f/x', { method: 'POST', headers: authorization ? { Authorization: authorization } : {} });

function refusal(fn: () => unknown): HttpError {
  try {
    fn();
  } catch (error) {
    if (error instanceof HttpError) return error;
    throw error;
  }
  throw new Error('expected an HttpError');
}

describe('callerClient: only a signed-in person', () => {
  it('accepts a person\'s access token', () => {
    expect(bearerKind(request(`Bearer ${person}`), env)).toBe('person');
    expect(() => callerClient(request(`Bearer ${person}`), env)).not.toThrow();
  });

  it('refuses every other bearer with 401 "Sign in", the service role key included', () => {
    for (const [what, authorization] of Object.entries({ ...nobodies, 'the service role key': `Bearer ${SERVICE_KEY}` })) {
      const error = refusal(() => callerClient(request(authorization), env));
      expect([what, error.status, error.code, error.message]).toEqual([what, 401, 'unauthorized', 'Sign in to use this function.']);
    }
  });
});

describe('serviceCallerClient: only the scheduler', () => {
  it('accepts the service role key (and a JWT of that role, which the database verifies)', () => {
    expect(() => serviceCallerClient(request(`Bearer ${SERVICE_KEY}`), env)).not.toThrow();
    expect(bearerKind(request(`Bearer ${jwt({ role: 'service_role', iss: 'another' })}`), env)).toBe('service');
  });

  it('tells a person 403 and anyone else 401, in house words', () => {
    const forPerson = refusal(() => serviceCallerClient(request(`Bearer ${person}`), env));
    expect([forPerson.status, forPerson.code, forPerson.message]).toEqual([403, '42501', 'Only the scheduler may call this function.']);
    for (const [what, authorization] of Object.entries(nobodies)) {
      const error = refusal(() => serviceCallerClient(request(authorization), env));
      expect([what, error.status, error.code]).toEqual([what, 401, 'unauthorized']);
    }
  });
});

describe('parseJsonText: the one way a body becomes a value', () => {
  it('too deep is 400 22023 naming the limit; not JSON is 422 invalid_body with the caller\'s words', () => {
    const deep = refusal(() => parseJsonText(`{"a":${'['.repeat(20_000)}${']'.repeat(20_000)}}`));
    expect([deep.status, deep.code]).toEqual([400, '22023']);
    expect(deep.message).toMatch(/^The request body nests deeper than \d+ levels\.$/);
    const broken = refusal(() => parseJsonText('{', 'Send JSON.'));
    expect([broken.status, broken.code, broken.message]).toEqual([422, 'invalid_body', 'Send JSON.']);
    expect(parseJsonText('{"a":[[1]]}')).toEqual({ a: [[1]] });
  });
});

describe('the API refusing the size of our own request', () => {
  it('PGRST413 is 413, never a 500', () => {
    expect(statusForSqlState('PGRST413')).toBe(413);
    const error = fromDatabaseError({ code: 'PGRST413', message: 'The request body is larger than 4194304 bytes' });
    expect([error.status, error.code]).toEqual([413, 'payload_too_large']);
  });
});

// A token the API refuses as a token (PostgREST's PGRST301 it cannot be verified, PGRST302 none
// where one is required, PGRST303 a claim refused: expired since the platform let it through)
// in any RPC a function calls: 401 `unauthorized` in house words, as a missing token is, never
// 500 "Something went wrong on our side" nor PostgREST's own words ("JWT expired").
describe('the API refusing the caller\'s token in an RPC', () => {
  const refusals = [
    { code: 'PGRST301', message: 'JWT cryptographic operation failed' },
    { code: 'PGRST302', message: 'Anonymous access is disabled' },
    { code: 'PGRST303', message: 'JWT expired' },
  ];

  it('PGRST301 to PGRST303 are 401 unauthorized, told to sign in again', () => {
    for (const refused of refusals) {
      expect([refused.code, statusForSqlState(refused.code)]).toEqual([refused.code, 401]);
      const error = fromDatabaseError(refused);
      expect([refused.code, error.status, error.code, error.message, error.details])
        .toEqual([refused.code, 401, 'unauthorized', 'Sign in again to use this function.', null]);
    }
  });

  it('any function calling through rpc() answers it so (execute-action, chat, mcp … share the default)', async () => {
    const db = { rpc: () => Promise.resolve({ data: null, error: { ...refusals[2], details: null, hint: null }, status: 401 }) } as unknown as SupabaseClient;
    const error = await rpc(db, 'get_workflow_queue', {}).then(() => null, (refused: unknown) => refused);
    expect(error).toBeInstanceOf(HttpError);
    const answer = (error as HttpError).toResponse();
    expect(answer.status).toBe(401);
    expect(await answer.json()).toEqual({ error: { code: 'unauthorized', message: 'Sign in again to use this function.', details: null } });
  });
});

describe('isServiceCaller: the scheduler, one rule', () => {
  it('the service role key, or a JWT of role service_role (the platform and database verify it)', () => {
    expect(isServiceCaller(request(`Bearer ${SERVICE_KEY}`), env)).toBe(true);
    expect(isServiceCaller(request(`Bearer ${jwt({ role: 'service_role', iss: 'renubu-scheduler', exp: 2 ** 31 })}`), env)).toBe(true);
  });

  it('nobody else: a person, the anon key, any other bearer', () => {
    for (const [what, authorization] of Object.entries({ ...nobodies, 'a person': `Bearer ${person}` })) {
      expect([what, isServiceCaller(request(authorization), env)]).toEqual([what, false]);
    }
  });
});
