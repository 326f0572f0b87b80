// The ingest address names an organisation by its slug: a path segment that names none is 404
// unknown_receiver, whatever it holds. A malformed percent-escape in it (`%ZZ`, a cut
// `%E0%A4%A`, an overlong `%C0%AE`) made decodeURIComponent throw: 500 internal_error "Something
// went wrong on our side", and a stack trace in the log, for every such delivery.
import { describe, expect, it } from 'vitest';
import { stack } from '../support/stack.ts';

async function deliverTo(segment: string) {
  const response = await fetch(`${stack.url}/functions/v1/ingest/${segment}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'webhook-id': 'msg_path', 'webhook-timestamp': String(Math.floor(Date.now() / 1000)), 'webhook-signature': 'v1,AAAA' },
    body: '{}',
  });
  return { status: response.status, code: ((await response.json()) as { error: { code: string } }).error.code };
}

describe('the organisation in the ingest address', () => {
  it('a malformed escape names no organisation: 404 unknown_receiver, never a 500', async () => {
    for (const segment of ['%ZZ', '%E0%A4%A', '%C0%AE', 'acme%']) {
      expect({ segment, ...(await deliverTo(segment)) }).toEqual({ segment, status: 404, code: 'unknown_receiver' });
    }
  });

  it('an escaped slug still names its organisation (the signature then decides)', async () => {
    expect(await deliverTo('acme%2Dcloud')).toEqual({ status: 401, code: 'invalid_signature' });
  });
});
