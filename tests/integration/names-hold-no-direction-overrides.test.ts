// A name or a title holding a text-direction override or a control character is refused end
// to end (app.text_is_displayable, migration 20261214300000): the ingest webhook answers 422
// naming the field, the ingest RPC through supabase-js answers the database's 22023 (so a
// sender that skips the function's schema is refused too), a CSM's create_task answers 22023,
// and nothing is written. Hebrew and Arabic names go through untouched. So are a customer's
// domain, a contract's number and an ARR change's reason (migration 20261215620000), and a
// sender's metadata, terms and metrics, keys and texts at any depth (migration 20261216700000).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedHeaders } from '../../functions-shared/webhooks/standard-webhooks.ts';
import { serviceClient, stack, withDb } from '../support/stack.ts';
import { createFixtureOrg, type FixtureOrg } from './ingest-fixtures.ts';

const run = `bidi-${Date.now().toString(36)}`;
const ext = (name: string) => `${run}-${name}`;
const SPOOF = 'Acme\u202egnp.exe'; // shows as "Acmeexe.png"
const REFUSAL = 'must not contain control characters or text-direction overrides';
let fixture: FixtureOrg;

async function deliver(body: unknown) {
  const text = JSON.stringify(body);
  const headers = await signedHeaders(fixture.secret, `msg_${crypto.randomUUID()}`, text);
  return fetch(`${stack.url}/functions/v1/ingest/${fixture.slug}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: text });
}

const customerNames = (externalIds: string[]) =>
  withDb(async (db) => (await db.query<{ name: string }>(
    'select name from app.customers where external_id = any($1) order by external_id', [externalIds])).rows.map((r) => r.name));

beforeAll(async () => {
  fixture = await createFixtureOrg('bidi');
});

afterAll(async () => {
  await fixture?.remove();
});

describe('names and titles hold no direction override', () => {
  it('the ingest webhook refuses a customer named with an override with 422 naming the field, writing nothing of the batch', async () => {
    const response = await deliver({
      type: 'batch',
      events: [
        { type: 'customer.upserted', data: { external_id: ext('fine'), name: 'Fine Co' } },
        { type: 'customer.upserted', data: { external_id: ext('spoof'), name: SPOOF } },
      ],
    });
    expect(response.status).toBe(422);
    const body = await response.json();
    expect(body.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'events.1.data.name', message: REFUSAL })]));
    expect(await customerNames([ext('fine'), ext('spoof')])).toEqual([]);
  });

  it('the ingest webhook refuses a domain, a contract number or an ARR change\'s reason with an override with 422 naming each, writing nothing', async () => {
    const response = await deliver({
      type: 'batch',
      events: [
        { type: 'customer.upserted', data: { external_id: ext('dom'), name: 'Domain Co', domain: 'evil\u202emoc.example' } },
        { type: 'contract.upserted', data: { external_id: ext('k'), customer_external_id: ext('dom'), start_date: '2026-06-01', contract_number: 'MSA-7\u202efdp.exe' } },
        { type: 'arr.changed', data: { customer_external_id: ext('dom'), arr: 1000, reason: 'Upsell \u2067approved' } },
      ],
    });
    expect(response.status).toBe(422);
    const body = await response.json();
    expect(body.error.details).toEqual(expect.arrayContaining([
      expect.objectContaining({ path: 'events.0.data.domain', message: REFUSAL }),
      expect.objectContaining({ path: 'events.1.data.contract_number', message: REFUSAL }),
      expect.objectContaining({ path: 'events.2.data.reason', message: REFUSAL }),
    ]));
    expect(await customerNames([ext('dom')])).toEqual([]);
  });

  it('the ingest webhook refuses a sender\'s metadata, terms or metrics with an override in a key or a text with 422 naming where, writing nothing', async () => {
    const response = await deliver({
      type: 'batch',
      events: [
        { type: 'customer.upserted', data: { external_id: ext('meta'), name: 'Meta Co', metadata: { 'Risk\u202egnp.exe': 'high' } } },
        { type: 'engagement.event', data: { customer_external_id: ext('meta'), event_type: 'call', occurred_at: '2026-12-01T09:00:00Z', metadata: { owner: { name: 'Ann\tLee' } } } },
        { type: 'contract.upserted', data: { external_id: ext('meta-k'), customer_external_id: ext('meta'), start_date: '2026-06-01', terms: { tier: 'gold\u2066' } } },
      ],
    });
    expect(response.status).toBe(422);
    const body = await response.json();
    expect(body.error.details).toEqual(expect.arrayContaining([
      expect.objectContaining({ path: 'events.0.data.metadata', message: `a key ${REFUSAL}` }),
      expect.objectContaining({ path: 'events.1.data.metadata.owner.name', message: REFUSAL }),
      expect.objectContaining({ path: 'events.2.data.terms.tier', message: REFUSAL }),
    ]));
    expect(JSON.stringify(body)).not.toContain('\u202e');
    expect(await customerNames([ext('meta')])).toEqual([]);
  });

  it('the ingest RPC through supabase-js refuses it with 22023, and takes Hebrew and Arabic names', async () => {
    const service = serviceClient();
    const refused = await service.rpc('ingest_apply_batch', {
      org_id: fixture.orgId, webhook_id: ext('rpc-1'),
      events: [{ type: 'customer.upserted', data: { external_id: ext('rpc-spoof'), name: 'Globex', industry: 'Retail\u2066 x' } }],
    });
    expect(refused.error).toMatchObject({ code: '22023', message: `industry ${REFUSAL}` });
    expect(await customerNames([ext('rpc-spoof')])).toEqual([]);

    const response = await deliver({
      type: 'batch',
      events: [
        { type: 'customer.upserted', data: { external_id: ext('a-ar'), name: 'مرحبا للتجارة' } },
        { type: 'customer.upserted', data: { external_id: ext('b-he'), name: 'שלום בע״מ' } },
      ],
    });
    expect(response.status).toBe(200);
    expect(await customerNames([ext('a-ar'), ext('b-he')])).toEqual(['مرحبا للتجارة', 'שלום בע״מ']);
  });

  it('create_task refuses a title with an override or a line break with 22023 and creates nothing', async () => {
    const delivered = await deliver({ type: 'customer.upserted', data: { external_id: ext('task-he'), name: 'שלום בע״מ', csm_email: fixture.csmEmail } });
    expect(delivered.status).toBe(200);
    const customerId = await withDb(async (db) => (await db.query<{ id: string }>(
      'select id from app.customers where external_id = $1', [ext('task-he')])).rows[0]!.id);
    const csm = await fixture.signIn();
    for (const title of ['Call \u202eeht rengis', 'Call the\nsigner']) {
      const { error } = await csm.rpc('create_task', { title, customer_id: customerId });
      expect(error).toMatchObject({ code: '22023', message: `title ${REFUSAL}` });
    }
    const count = () => withDb(async (db) => Number((await db.query(
      'select count(*) from app.workflow_tasks where customer_id = $1', [customerId])).rows[0].count));
    expect(await count()).toBe(0);
    const { data, error } = await csm.rpc('create_task', { title: 'להתקשר ל-سارة', customer_id: customerId });
    expect(error).toBeNull();
    expect(data.title).toBe('להתקשר ל-سارة');
  });
});
