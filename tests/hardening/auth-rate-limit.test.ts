// Sign-in is limited per client address (`[auth.rate_limit] sign_in_sign_ups`, 429
// over_request_rate_limit) — 60 wrong passwords once went through in 0.4 s — and its
// timing does not tell which emails have accounts.
import { describe, expect, it } from 'vitest';
import { ADA, useContractStack } from '../contract/harness.ts';
import { rawRequest } from './support.ts';

describe('sign-in rate limit', () => {
  const limited = useContractStack({ authRateLimits: { sign_in_sign_ups: 5, token_refresh: 5 } });

  it('answers 429 over_request_rate_limit past the limit, for right and wrong passwords alike', async () => {
    const client = limited.client();
    for (let i = 0; i < 5; i += 1) {
      const { error } = await client.auth.signInWithPassword({ email: ADA.email, password: `wrong-${i}` });
      expect(error?.status).toBe(400);
    }
    const { error } = await client.auth.signInWithPassword({ email: ADA.email, password: ADA.password });
    expect(error?.status).toBe(429);
    expect(error?.code).toBe('over_request_rate_limit');
  });
});

describe('sign-in timing', () => {
  const stack = useContractStack();

  async function timeSignIn(email: string): Promise<number> {
    const started = performance.now();
    const answer = await rawRequest(stack.url, {
      method: 'POST', path: '/auth/v1/token?grant_type=password',
      headers: { apikey: stack.anonKey, 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: 'not the password' }),
    });
    expect(answer.status).toBe(400);
    return performance.now() - started;
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

  it('an unknown email costs as much as a wrong password for a real one (the hash runs either way)', async () => {
    // An account hashed at GoTrue's cost (10, tens of milliseconds), so the hash and not the
    // network decides each answer's time: without the decoy the ratio is about 0.05.
    const email = 'costly@contract.test';
    await stack.sql(
      `insert into auth.users (id, aud, role, email, encrypted_password, email_confirmed_at)
       values (gen_random_uuid(), 'authenticated', 'authenticated', $1, extensions.crypt('a real password', extensions.gen_salt('bf', 10)), now())`,
      [email],
    );
    const known: number[] = [];
    const unknown: number[] = [];
    await timeSignIn(email); // makes the decoy hash (once per gateway) and warms the pool
    for (let i = 0; i < 9; i += 1) {
      known.push(await timeSignIn(email));
      unknown.push(await timeSignIn(`nobody-${i}@contract.test`));
    }
    const ratio = median(unknown) / median(known);
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);
  });
});
