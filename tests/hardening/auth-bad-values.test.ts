// Values the database cannot hold (a NUL byte in an email, password or refresh token; a
// session id that is no uuid) are the caller's mistake: Auth answers 4xx in GoTrue's shape,
// never a 500 from the query that tripped on them.
import { describe, expect, it } from 'vitest';
import { ADA, useContractStack } from '../contract/harness.ts';
import { forgedToken, rawRequest } from './support.ts';

const stack = useContractStack();

async function token(grant: string, body: unknown) {
  const answer = await rawRequest(stack.url, {
    method: 'POST', path: `/auth/v1/token?grant_type=${grant}`,
    headers: { apikey: stack.anonKey, 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  return { status: answer.status, body: JSON.parse(answer.body) as Record<string, unknown> };
}

describe('Auth and values the database refuses', () => {
  it('NUL bytes and broken surrogates in sign-in and refresh are 400 validation_failed', async () => {
    const cases: [string, unknown][] = [
      ['password', { email: 'ada\u0000@contract.test', password: 'x' }],
      ['password', { email: ADA.email, password: 'correct\u0000horse' }],
      ['password', { email: `${ADA.email}\ud800`, password: 'x' }],
      ['refresh_token', { refresh_token: 'abc\u0000def' }],
    ];
    for (const [grant, body] of cases) {
      const answer = await token(grant, body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body.error_code, JSON.stringify(body)).toMatch(/^(validation_failed|invalid_credentials|refresh_token_not_found)$/);
    }
    expect((await token('password', { email: ADA.email, password: ADA.password })).status).toBe(200);
  });

  it('a signed token whose session_id is no uuid is 403 bad_jwt on /user and /logout', async () => {
    const jwt = await forgedToken(stack.jwtSecret, { role: 'authenticated', sub: ADA.id, session_id: "x' or 1=1 --" });
    for (const [method, path] of [['GET', '/auth/v1/user'], ['POST', '/auth/v1/logout']] as const) {
      const answer = await rawRequest(stack.url, { method, path, headers: { apikey: stack.anonKey, authorization: `Bearer ${jwt}` } });
      expect(answer.status, path).toBe(403);
      expect(JSON.parse(answer.body), path).toMatchObject({ error_code: 'bad_jwt' });
    }
  });
});
