// The gateway remembers verified tokens (as PostgREST's JWT cache does) so a session's
// requests skip the HMAC. Remembering must never widen what a token allows: an expired token
// is refused even when it was verified a moment ago, every token is verified on its own
// (another token of the same person, or a byte changed, is not a hit), each request runs
// with the claims of ITS token, and the cache stays bounded.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { ADA, useContractStack } from './harness.ts';

const stack = useContractStack();

interface JwtModule {
  verifyJwt(token: string, secret: string): Promise<Record<string, unknown>>;
  verifiedTokenCount(): number;
  VERIFIED_MAX: number;
}
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const jwt = (await import(/* @vite-ignore */ path.join(repoRoot, 'local/gateway/jwt.mjs'))) as JwtModule;

const now = () => Math.floor(Date.now() / 1000);
const sign = (claims: Record<string, unknown>, secret = stack.jwtSecret) =>
  new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(new TextEncoder().encode(secret));

async function whoami(token: string) {
  const response = await fetch(`${stack.url}/rest/v1/rpc/contract_whoami`, {
    method: 'POST',
    headers: { apikey: stack.anonKey, Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: '{}',
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('gateway: the verified-token cache', () => {
  it('refuses a token that expired after it was verified and remembered (401 PGRST303)', async () => {
    // Inside PostgREST's 30 s of clock skew for about two more seconds.
    const exp = now() - 28;
    const token = await sign({ role: 'authenticated', sub: ADA.id, exp });
    const first = await whoami(token);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ uid: ADA.id, role: 'authenticated' });
    expect((await whoami(token)).status).toBe(200); // answered from the cache

    await new Promise((resolve) => setTimeout(resolve, Math.max(0, (exp + 30) * 1000 - Date.now()) + 600));
    const late = await whoami(token);
    expect(late.status).toBe(401);
    expect(late.body).toEqual({ code: 'PGRST303', message: 'JWT expired', details: null, hint: null });
  });

  it('gives each token its own claims: two tokens of the same person with different roles', async () => {
    const exp = now() + 600;
    const asMember = await sign({ role: 'authenticated', sub: ADA.id, exp, session_id: 'a' });
    const asAnon = await sign({ role: 'anon', sub: ADA.id, exp, session_id: 'b' });
    for (let round = 0; round < 2; round++) {
      // Interleaved, so each is a cache hit the second time round.
      expect((await whoami(asMember)).body).toMatchObject({ uid: ADA.id, role: 'authenticated', current_user: 'authenticated' });
      expect((await whoami(asAnon)).body).toMatchObject({ uid: ADA.id, role: 'anon', current_user: 'anon' });
    }
  });

  it('verifies a token that differs from a remembered one in its payload or its signature', async () => {
    const token = await sign({ role: 'authenticated', sub: ADA.id, exp: now() + 600 });
    expect((await whoami(token)).status).toBe(200);
    const [header, payload, signature] = token.split('.') as [string, string, string];
    // The same signature over a payload that claims service_role.
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const forgedPayload = Buffer.from(JSON.stringify({ ...claims, role: 'service_role' })).toString('base64url');
    const forged = await whoami(`${header}.${forgedPayload}.${signature}`);
    expect(forged.status).toBe(401);
    expect(forged.body).toMatchObject({ code: 'PGRST301' });
    // The same payload with one signature character changed.
    const last = signature.at(-2) === 'A' ? 'B' : 'A';
    const tampered = await whoami(`${header}.${payload}.${signature.slice(0, -2)}${last}${signature.at(-1)}`);
    expect(tampered.status).toBe(401);
    expect(tampered.body).toMatchObject({ code: 'PGRST301' });
    // And the genuine token still works.
    expect((await whoami(token)).status).toBe(200);
  });

  it('does not carry a verification over to another secret', async () => {
    const token = await sign({ role: 'authenticated', sub: ADA.id, exp: now() + 600 });
    await expect(jwt.verifyJwt(token, stack.jwtSecret)).resolves.toMatchObject({ sub: ADA.id });
    await expect(jwt.verifyJwt(token, 'another-secret-that-is-at-least-32-characters')).rejects.toMatchObject({ code: 'PGRST301' });
  });

  it('stays bounded, and hands out claims no caller can change', async () => {
    const exp = now() + 600;
    const tokens = await Promise.all(Array.from({ length: jwt.VERIFIED_MAX + 50 }, (_, i) => sign({ role: 'anon', n: i, exp })));
    for (const token of tokens) await jwt.verifyJwt(token, stack.jwtSecret);
    expect(jwt.verifiedTokenCount()).toBeLessThanOrEqual(jwt.VERIFIED_MAX);
    const claims = await jwt.verifyJwt(tokens.at(-1)!, stack.jwtSecret);
    expect(Object.isFrozen(claims)).toBe(true);
    expect(() => {
      (claims as Record<string, unknown>).role = 'service_role'; // modules are strict: a frozen object throws
    }).toThrow();
    expect((await jwt.verifyJwt(tokens.at(-1)!, stack.jwtSecret)).role).toBe('anon');
  });
});
