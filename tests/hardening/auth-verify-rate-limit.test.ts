// A mailed code is six digits: without a limit on /verify, anyone who asks for a password
// reset for someone else (or holds an invite address) can try all million codes. Auth limits
// token verifications per client address (`[auth.rate_limit] token_verifications`, 429
// over_request_rate_limit), for the code (POST) and the mailed link (GET) alike.
import { describe, expect, it } from 'vitest';
import { useContractStack } from '../contract/harness.ts';

describe('token verification rate limit', () => {
  const limited = useContractStack({ authRateLimits: { sign_in_sign_ups: 100_000, token_refresh: 100_000, token_verifications: 5 } });

  it('answers 429 past the limit, even for the right code, and the mailed link counts too', async () => {
    const email = `guess.${Date.now().toString(36)}@contract.test`;
    const admin = limited.client(limited.serviceRoleKey).auth.admin;
    expect((await admin.inviteUserByEmail(email)).error).toBeNull();
    const code = /enter this code: (\d{6})/.exec(limited.mails(email)[0]!.Text)![1]!;
    const client = limited.client();
    for (let i = 0; i < 4; i += 1) {
      const wrong = String((Number(code) + 1 + i) % 1_000_000).padStart(6, '0');
      const { error } = await client.auth.verifyOtp({ email, token: wrong, type: 'invite' });
      expect(error).toMatchObject({ status: 403, code: 'otp_expired' });
    }
    const link = await fetch(`${limited.url}/auth/v1/verify?token=not-a-token&type=invite&redirect_to=http://127.0.0.1/`, { redirect: 'manual' });
    expect(link.status).toBe(303);
    const { error } = await client.auth.verifyOtp({ email, token: code, type: 'invite' });
    expect(error).toMatchObject({ status: 429, code: 'over_request_rate_limit' });
    const linkAfter = await fetch(`${limited.url}/auth/v1/verify?token=not-a-token&type=invite&redirect_to=http://127.0.0.1/`, { redirect: 'manual' });
    expect(linkAfter.status).toBe(429);
  });
});
