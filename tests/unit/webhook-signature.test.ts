// Standard Webhooks signing and verification (functions-shared/webhooks): the spec's own
// test vector, rotation, and every way a delivery must be refused.
import { describe, expect, it } from 'vitest';
import {
  generateSecret, sign, signedHeaders, timingSafeEqual, verify, WebhookVerificationError,
} from '../../functions-shared/webhooks/standard-webhooks.ts';

// From the Standard Webhooks specification's reference test suite.
const SPEC = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof WebhookVerificationError) return error.reason;
    throw error;
  }
  throw new Error('expected the delivery to be refused');
}

describe('Standard Webhooks signatures', () => {
  it('produces the specification\'s signature for its test vector', async () => {
    expect(await sign(SPEC.secret, SPEC.id, SPEC.timestamp, SPEC.body)).toBe(SPEC.signature);
  });

  it('verifies the test vector within the tolerance', async () => {
    const headers = { 'webhook-id': SPEC.id, 'webhook-timestamp': String(SPEC.timestamp), 'webhook-signature': SPEC.signature };
    const verified = await verify([SPEC.secret], headers, SPEC.body, { nowSeconds: SPEC.timestamp + 10 });
    expect(verified).toEqual({ id: SPEC.id, timestamp: SPEC.timestamp, secretIndex: 0 });
  });

  it('round-trips a fresh secret and reads Headers objects', async () => {
    const secret = generateSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const body = JSON.stringify({ type: 'batch', events: [] });
    const headers = new Headers(await signedHeaders(secret, 'msg_1', body));
    await expect(verify([secret], headers, body)).resolves.toMatchObject({ id: 'msg_1' });
  });

  it('refuses a tampered body, a wrong secret and a forged signature', async () => {
    const secret = generateSecret();
    const headers = await signedHeaders(secret, 'msg_2', '{"a":1}');
    expect(await refusal(verify([secret], headers, '{"a":2}'))).toBe('bad_signature');
    expect(await refusal(verify([generateSecret()], headers, '{"a":1}'))).toBe('bad_signature');
    const forged = { ...headers, 'webhook-signature': `v1,${btoa('x'.repeat(32))}` };
    expect(await refusal(verify([secret], forged, '{"a":1}'))).toBe('bad_signature');
    const unknownVersion = { ...headers, 'webhook-signature': headers['webhook-signature'].replace('v1,', 'v2,') };
    expect(await refusal(verify([secret], unknownVersion, '{"a":1}'))).toBe('bad_signature');
  });

  it('refuses stale and future timestamps beyond five minutes, accepts them within', async () => {
    const secret = generateSecret();
    const now = 1_800_000_000;
    const at = async (timestamp: number) => signedHeaders(secret, 'msg_3', 'body', timestamp);
    expect(await refusal(verify([secret], await at(now - 301), 'body', { nowSeconds: now }))).toBe('stale_timestamp');
    expect(await refusal(verify([secret], await at(now + 301), 'body', { nowSeconds: now }))).toBe('future_timestamp');
    await expect(verify([secret], await at(now - 299), 'body', { nowSeconds: now })).resolves.toBeTruthy();
    await expect(verify([secret], await at(now + 299), 'body', { nowSeconds: now })).resolves.toBeTruthy();
    const malformed = { ...(await at(now)), 'webhook-timestamp': '2026-11-25T10:00:00Z' };
    expect(await refusal(verify([secret], malformed, 'body', { nowSeconds: now }))).toBe('invalid_timestamp');
  });

  it('refuses a delivery missing any of the three headers', async () => {
    const secret = generateSecret();
    const headers = await signedHeaders(secret, 'msg_4', 'body');
    for (const name of ['webhook-id', 'webhook-timestamp', 'webhook-signature'] as const) {
      const partial: Record<string, string> = { ...headers };
      delete partial[name];
      expect(await refusal(verify([secret], partial, 'body'))).toBe('missing_headers');
    }
  });

  it('accepts either secret during a rotation and a header carrying several signatures', async () => {
    const [oldSecret, newSecret] = [generateSecret(), generateSecret()];
    const byOld = await signedHeaders(oldSecret, 'msg_5', 'body');
    const byNew = await signedHeaders(newSecret, 'msg_5', 'body');
    await expect(verify([newSecret, oldSecret], byOld, 'body')).resolves.toMatchObject({ secretIndex: 1 });
    await expect(verify([newSecret, oldSecret], byNew, 'body')).resolves.toMatchObject({ secretIndex: 0 });
    const both = await signedHeaders([generateSecret(), oldSecret], 'msg_5', 'body');
    expect(both['webhook-signature'].split(' ')).toHaveLength(2);
    await expect(verify([oldSecret], both, 'body')).resolves.toMatchObject({ secretIndex: 0 });
    // No secret (an unknown receiver) is a bad signature, checked against a decoy: the same answer, the same work.
    expect(await refusal(verify([], byOld, 'body'))).toBe('bad_signature');
  });

  it('compares in constant time over equal lengths only', () => {
    expect(timingSafeEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 3]))).toBe(true);
    expect(timingSafeEqual(new Uint8Array([1, 2, 3]), new Uint8Array([1, 2, 4]))).toBe(false);
    expect(timingSafeEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2, 3]))).toBe(false);
  });
});
