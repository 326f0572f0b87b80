// A bad signature to an organisation that exists and to one that does not get the same
// answer after the same work, so neither the answer nor its time lists the organisations.
// Before, an unknown organisation was refused at once (verify threw on its empty secret list
// before computing any signature, and no delivery was recorded), while a real one cost a
// signature and a round trip to record the delivery before the 401: measurably slower.
// Now verify checks a receiver without secrets against a decoy (standard-webhooks.ts) and
// every looked-up delivery goes to record_webhook_delivery, which keeps nothing of one to no
// organisation (migration 20261214200000). No timing is measured here: the work is counted.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { handleIngest, type IngestStore } from '../../functions-shared/ingest/handler.ts';
import { generateSecret, signedHeaders, verify } from '../../functions-shared/webhooks/standard-webhooks.ts';
import { createFixtureOrg, type FixtureOrg } from '../integration/ingest-fixtures.ts';
import { stack, withDb } from '../support/stack.ts';

const BODY = JSON.stringify({ type: 'customer.upserted', data: { external_id: 'timing-1', name: 'Timing Co' } });

/** A delivery signed with a secret nobody holds, to `/functions/v1/ingest/<org>`. */
async function forged(base: string, org: string): Promise<Request> {
  const headers = await signedHeaders(generateSecret(), `msg_${crypto.randomUUID()}`, BODY);
  return new Request(`${base}/functions/v1/ingest/${org}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: BODY });
}

/** What a sender can see of an answer; the Date header says when, not what. */
async function seenOf(response: Response) {
  const headers = Object.fromEntries([...response.headers].filter(([name]) => name !== 'date'));
  return { status: response.status, headers, body: await response.text() };
}

describe('ingest: a bad signature does the same work whether the organisation exists', () => {
  const store = {
    secretsFor: vi.fn(async (org: string) => (org === 'acme' ? { orgId: 'org-acme', secrets: [generateSecret()] } : null)),
    applyBatch: vi.fn(),
    recordDelivery: vi.fn(async () => {}),
  } satisfies IngestStore;

  afterEach(() => vi.restoreAllMocks());

  async function refuse(org: string) {
    const request = await forged('http://edge', org);
    const verifier = vi.fn(verify);
    const sign = vi.spyOn(crypto.subtle, 'sign');
    store.secretsFor.mockClear();
    store.recordDelivery.mockClear();
    const response = await handleIngest(request, { store, verify: verifier });
    const work = {
      lookups: store.secretsFor.mock.calls.length,
      verifierCalls: verifier.mock.calls.length,
      secretsChecked: verifier.mock.calls[0]?.[0].length ?? 0,
      signaturesComputed: sign.mock.calls.length,
      recordCalls: store.recordDelivery.mock.calls.length,
    };
    sign.mockRestore();
    return { seen: await seenOf(response), work, recorded: store.recordDelivery.mock.calls[0] as unknown[] | undefined };
  }

  it('the same answer, one verifier call and one signature each, and one record call each', async () => {
    const known = await refuse('acme');
    const unknown = await refuse('no-such-organisation');
    expect(unknown.seen).toEqual(known.seen);
    expect(known.seen.status).toBe(401);
    expect(JSON.parse(known.seen.body)).toEqual({
      error: { code: 'invalid_signature', message: 'The webhook signature does not match.', details: { reason: 'bad_signature' } },
    });
    const once = { lookups: 1, verifierCalls: 1, signaturesComputed: 1, recordCalls: 1 };
    expect(known.work).toMatchObject(once);
    expect(unknown.work).toMatchObject(once);
    // The org that exists is recorded under its id; the other under none (kept nowhere).
    expect(known.recorded?.[0]).toBe('org-acme');
    expect(unknown.recorded?.[0]).toBeNull();
  });
});

describe('ingest: a bad signature through the stack', () => {
  let fixture: FixtureOrg;
  beforeAll(async () => {
    fixture = await createFixtureOrg('tells');
  });
  afterAll(async () => {
    await fixture?.remove();
  });

  it('answers an organisation that exists and one that does not alike, and records only the first', async () => {
    const known = await seenOf(await fetch(await forged(stack.url, fixture.slug)));
    const unknown = await seenOf(await fetch(await forged(stack.url, `no-such-${fixture.slug}`)));
    expect(unknown).toEqual(known);
    expect(known.status).toBe(401);
    const { rows } = await withDb((db) => db.query('select outcome from app.webhook_deliveries where org_id = $1', [fixture.orgId]));
    expect(rows).toEqual([{ outcome: 'bad_signature' }]);
  });
});
