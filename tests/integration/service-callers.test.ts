// Who is the scheduler (the service role), one rule for every function it calls
// (isServiceCaller in functions-shared/http.ts): the project's service role key, or any JWT of
// role service_role that the platform has verified (verify_jwt), such as one the scheduler
// signs for itself. daily-brief and outbox-drain both take it; before, daily-brief took only
// the key's exact text and told any other service_role JWT 401 "Sign in to use this function.",
// while outbox-drain took it. A JWT of that role not signed with the project's secret never
// reaches either: the platform refuses it first.
import { SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { signedInAs, stack } from '../support/stack.ts';

const { JWT_SECRET } = (await import(/* @vite-ignore */ new URL('../../local/config.mjs', import.meta.url).href)) as { JWT_SECRET: string };

async function serviceJwt(secret: string): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ role: 'service_role', iss: 'renubu-scheduler', iat: now, exp: now + 600 })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(new TextEncoder().encode(secret));
}

async function call(fn: string, token: string, body: Record<string, unknown>) {
  const response = await fetch(`${stack.url}/functions/v1/${fn}`, {
    method: 'POST',
    headers: { apikey: stack.anonKey, Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

// One person's brief (a CSM without accounts), so the scheduler's run touches no one else's.
let aeId: string;
const asks = () => ({ 'daily-brief': { profile_id: aeId }, 'outbox-drain': { max_messages: 1 } });

beforeAll(async () => {
  aeId = (await (await signedInAs('accountExecutive')).rpc('get_my_profile')).data.id;
});

describe('the scheduler is one rule for every function it calls', () => {
  it('a service_role JWT signed with the project\'s secret is the scheduler at daily-brief and outbox-drain alike', async () => {
    const token = await serviceJwt(JWT_SECRET);
    expect(token).not.toBe(stack.serviceRoleKey);
    for (const [fn, body] of Object.entries(asks())) {
      const answer = await call(fn, token, body);
      expect([fn, answer.status, answer.body.error ?? null]).toEqual([fn, 200, null]);
    }
  });

  it('and so is the service role key itself', async () => {
    for (const [fn, body] of Object.entries(asks())) {
      expect([fn, (await call(fn, stack.serviceRoleKey, body)).status]).toEqual([fn, 200]);
    }
  });

  it('one signed with another secret is refused before either runs', async () => {
    const forged = await serviceJwt('another-secret-that-is-at-least-32-characters-long');
    for (const [fn, body] of Object.entries(asks())) {
      expect([fn, (await call(fn, forged, body)).status]).toEqual([fn, 401]);
    }
  });
});
