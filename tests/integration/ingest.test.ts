// The `ingest` Edge Function end to end: signed Standard Webhooks deliveries through the
// gateway, checked in the database and in the customer context a CSM reads.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestEvent } from '../../functions-shared/api/ingest.ts';
import { generateSecret, signedHeaders } from '../../functions-shared/webhooks/standard-webhooks.ts';
import { signedInAs, stack, withDb } from '../support/stack.ts';
import { createFixtureOrg, type FixtureOrg } from './ingest-fixtures.ts';

// Every run uses its own external ids, so the suite can run twice against one stack.
const run = `it-${Date.now().toString(36)}`;
const ext = (name: string) => `${run}-${name}`;
let fixture: FixtureOrg;
let secret: string;

const url = (org = fixture.slug) => `${stack.url}/functions/v1/ingest/${org}`;

async function deliver(body: unknown, options: { secrets?: string | string[]; id?: string; timestamp?: number; org?: string; raw?: string } = {}) {
  const text = options.raw ?? JSON.stringify(body);
  const id = options.id ?? `msg_${crypto.randomUUID()}`;
  const headers = await signedHeaders(options.secrets ?? secret, id, text, options.timestamp);
  return fetch(url(options.org), { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: text });
}

const countCustomers = (externalId: string) =>
  withDb(async (db) => Number((await db.query('select count(*) from app.customers where external_id = $1', [externalId])).rows[0].count));

beforeAll(async () => {
  // An organisation of the suite's own, with its own secret (seed.sql's demo secret and
  // demo customers are not relied upon, nor changed).
  fixture = await createFixtureOrg('ingest');
  secret = fixture.secret;
});

afterAll(async () => {
  await fixture?.remove();
});

describe('ingest webhook', () => {
  it('applies a valid signed batch, visible in the customer context', async () => {
    const response = await deliver({
      type: 'batch',
      events: [
        { type: 'customer.upserted', data: { external_id: ext('globo'), name: 'Globo Gym', arr: 64000, health_score: 66, renewal_date: '2027-04-30', csm_email: fixture.csmEmail } },
        { type: 'usage.snapshot', data: { customer_external_id: ext('globo'), recorded_at: '2026-10-01T00:00:00Z', active_users: 30, licensed_seats: 40 } },
        { type: 'engagement.event', data: { customer_external_id: ext('globo'), external_id: ext('t1'), event_type: 'support_ticket', occurred_at: '2026-10-02T00:00:00Z', ticket_status: 'open' } },
        { type: 'engagement.event', data: { customer_external_id: ext('globo'), event_type: 'nps', occurred_at: '2026-10-03T00:00:00Z', nps_score: 8 } },
        { type: 'stakeholder.upserted', data: { customer_external_id: ext('globo'), external_id: ext('s1'), name: 'White Goodman', is_decision_maker: true, influence: 'high' } },
        { type: 'contract.upserted', data: { customer_external_id: ext('globo'), external_id: ext('k1'), start_date: '2026-05-01', end_date: '2027-04-30', annual_value: 64000 } },
        { type: 'arr.changed', data: { customer_external_id: ext('globo'), arr: 50000, recorded_at: '2025-05-01T00:00:00Z', reason: 'first year' } },
      ],
    });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body).toMatchObject({
      replayed: false,
      events: 7,
      applied: { customers: { inserted: 1, updated: 0 }, usage_snapshots: 1, engagement_events: 2, stakeholders: 1, contracts: 1, arr_changes: 1 },
    });

    const customerId = await withDb(async (db) =>
      (await db.query('select id from app.customers where external_id = $1', [ext('globo')])).rows[0].id as string);
    const csm = await fixture.signIn();
    const { data, error } = await csm.rpc('get_customer_context', { customer_id: customerId });
    expect(error).toBeNull();
    expect(data.customer).toMatchObject({ name: 'Globo Gym', arr: 64000, account_plan: 'invest' });
    expect(data.data.usage).toMatchObject({ active_users: 30, licensed_seats: 40, utilisation: 0.75 });
    expect(data.data.engagement).toMatchObject({ nps_score: 8, open_tickets: 1 });
    expect(data.data.financials).toMatchObject({ current_arr: 64000, previous_arr: 50000, growth_rate: 0.28 });
    expect(data.data.financials.contract).toMatchObject({ annual_value: 64000, end_date: '2027-04-30' });
    expect(data.account_team.csm).toMatchObject({ email: fixture.csmEmail, full_name: 'Fixture Csm' });
    expect(data.account_team.stakeholders).toEqual([expect.objectContaining({ name: 'White Goodman', is_decision_maker: true })]);
  });

  describe('refuses with 401 and writes nothing', () => {
    const event = (name: string) => ({ type: 'customer.upserted', data: { external_id: ext(name), name: 'Should Not Exist' } });
    const cases: Array<[string, () => Promise<Response>, string]> = [
      ['a bad signature', async () => {
        const raw = JSON.stringify(event('badsig'));
        const headers = { ...(await signedHeaders(secret, 'msg_bad', raw)), 'webhook-signature': `v1,${btoa('0'.repeat(32))}` };
        return fetch(url(), { method: 'POST', headers, body: raw });
      }, 'badsig'],
      ['the wrong secret', () => deliver(event('wrongsecret'), { secrets: generateSecret() }), 'wrongsecret'],
      ['a stale timestamp', () => deliver(event('stale'), { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 }), 'stale'],
      ['a tampered body', async () => {
        const signed = JSON.stringify(event('tampered-original'));
        const headers = await signedHeaders(secret, 'msg_tampered', signed);
        return fetch(url(), { method: 'POST', headers, body: JSON.stringify(event('tampered')) });
      }, 'tampered'],
      ['missing headers', () => fetch(url(), { method: 'POST', body: JSON.stringify(event('noheaders')) }), 'noheaders'],
      ['an organisation whose secret it is not', () => deliver(event('otherorg'), { org: 'acme-cloud' }), 'otherorg'],
    ];
    for (const [name, send, externalId] of cases) {
      it(name, async () => {
        const response = await send();
        expect(response.status).toBe(401);
        const body = await response.json();
        expect(body.error.code).toBe('invalid_signature');
        expect(await countCustomers(ext(externalId))).toBe(0);
      });
    }

    it('an unknown organisation answers exactly like a bad signature', async () => {
      const response = await deliver(event('noorg'), { org: 'no-such-org' });
      expect(response.status).toBe(401);
      expect((await response.json()).error.message).toBe('The webhook signature does not match.');
    });
  });

  it('acknowledges a replayed webhook-id without applying it twice', async () => {
    const body = {
      type: 'batch',
      events: [
        { type: 'customer.upserted', data: { external_id: ext('replay'), name: 'Replay Inc' } },
        { type: 'engagement.event', data: { customer_external_id: ext('replay'), event_type: 'note', occurred_at: '2026-11-01T00:00:00Z' } },
      ],
    };
    const id = `msg_${crypto.randomUUID()}`;
    const first = await deliver(body, { id });
    const second = await deliver(body, { id });
    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect((await first.json()).replayed).toBe(false);
    expect(await second.json()).toMatchObject({ replayed: true, applied: { engagement_events: 1 } });
    const notes = await withDb(async (db) => Number((await db.query(
      `select count(*) from app.engagement_events e join app.customers c on c.id = e.customer_id where c.external_id = $1`,
      [ext('replay')])).rows[0].count));
    expect(notes).toBe(1);
  });

  it('answers 409 to a webhook-id reused for another body, applying nothing of it', async () => {
    const id = `msg_${crypto.randomUUID()}`;
    const first = await deliver({ type: 'customer.upserted', data: { external_id: ext('reuse-a'), name: 'Reuse A' } }, { id });
    const second = await deliver({ type: 'customer.upserted', data: { external_id: ext('reuse-b'), name: 'Reuse B' } }, { id });
    expect(first.status).toBe(200);
    expect(second.status).toBe(409);
    expect((await second.json()).error.message).toContain('already used for a different body');
    expect(await countCustomers(ext('reuse-b'))).toBe(0);
    // the same body again, freshly signed, is still a replay
    const again = await deliver({ type: 'customer.upserted', data: { external_id: ext('reuse-a'), name: 'Reuse A' } }, { id });
    expect(again.status).toBe(200);
    expect((await again.json()).replayed).toBe(true);
  });

  it('refuses a batch with one invalid event with 422, writing nothing of the batch', async () => {
    const response = await deliver({
      type: 'batch',
      events: [
        { type: 'customer.upserted', data: { external_id: ext('invalid-batch'), name: 'Valid Co' } },
        { type: 'usage.snapshot', data: { customer_external_id: ext('invalid-batch'), recorded_at: 'yesterday', active_users: -3 } },
      ],
    });
    expect(response.status).toBe(422);
    const body = await response.json();
    expect(body.error.code).toBe('invalid_body');
    expect(body.error.details.map((d: { path: string }) => d.path)).toEqual(
      expect.arrayContaining(['events.1.data.recorded_at', 'events.1.data.active_users']));
    expect(await countCustomers(ext('invalid-batch'))).toBe(0);
  });

  it('refuses a batch the database cannot apply (unknown customer) with 422, writing nothing', async () => {
    const response = await deliver({
      type: 'batch',
      events: [
        { type: 'customer.upserted', data: { external_id: ext('half'), name: 'Half Applied' } },
        { type: 'arr.changed', data: { customer_external_id: ext('nobody'), arr: 10 } },
      ],
    });
    expect(response.status).toBe(422);
    expect((await response.json()).error.message).toBe(`event 1: no customer with external id "${ext('nobody')}"`);
    expect(await countCustomers(ext('half'))).toBe(0);
  });

  it('refuses a date outside the years 2000 to 2099 with 422 naming the event and field, writing nothing', async () => {
    const response = await deliver({
      type: 'batch',
      events: [
        { type: 'customer.upserted', data: { external_id: ext('far-future'), name: 'Far Future Co' } },
        { type: 'arr.changed', data: { customer_external_id: ext('far-future'), arr: 7000, recorded_at: '9999-12-31T00:00:00Z' } },
      ],
    });
    expect(response.status).toBe(422);
    const body = await response.json();
    expect(body.error.code).toBe('invalid_event');
    expect(body.error.message).toBe('event 1: data.recorded_at must be a date and time in the years 2000 to 2099');
    expect(await countCustomers(ext('far-future'))).toBe(0);
  });

  it('refuses a string holding \\u0000 with 422 in its own words, not the database\'s', async () => {
    const raw = `{"type":"customer.upserted","data":{"external_id":"${ext('nul')}","name":"Nul \\u0000 Co"}}`;
    const response = await deliver(null, { raw });
    expect(response.status).toBe(422);
    const body = await response.json();
    // Read as every function reads a body (tests/integration/function-bodies-refuse-nul.test.ts).
    expect(body.error).toMatchObject({ code: 'invalid_body', details: [{ path: 'data.name', message: 'must not hold \\u0000' }] });
    expect(JSON.stringify(body)).not.toMatch(/cannot be converted|unsupported Unicode/);
    expect(await countCustomers(ext('nul'))).toBe(0);
  });

  it('refuses metadata nested past the depth limit as every function does (400 22023), logged as an invalid body', async () => {
    const id = `msg_${crypto.randomUUID()}`;
    const deep = `${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}`;
    const raw = `{"type":"customer.upserted","data":{"external_id":"${ext('deep')}","name":"Deep Co","metadata":${deep}}}`;
    const response = await deliver(null, { raw, id });
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.error).toMatchObject({ code: '22023', message: expect.stringMatching(/nests deeper than \d+ levels/) });
    expect(JSON.stringify(body)).not.toMatch(/stack|RangeError|internal_error/i);
    expect(await countCustomers(ext('deep'))).toBe(0);
    const { rows } = await withDb((db) => db.query('select status, outcome from app.webhook_deliveries where org_id = $1 and webhook_id = $2', [fixture.orgId, id]));
    expect(rows).toEqual([{ status: 400, outcome: 'invalid_body' }]);
  });

  it('accepts old and new secrets during a rotation, and only the new one after', async () => {
    const newSecret = generateSecret();
    const oldId = await withDb(async (db) => {
      await db.query(`insert into app.webhook_secrets (org_id, label, secret) values ($1, 'rotation', $2)`, [fixture.orgId, newSecret]);
      return (await db.query(`select id from app.webhook_secrets where org_id = $1 and secret = $2`, [fixture.orgId, secret])).rows[0].id as string;
    });

    expect((await deliver({ type: 'customer.upserted', data: { external_id: ext('rot-old'), name: 'Old Key' } })).status).toBe(200);
    expect((await deliver({ type: 'customer.upserted', data: { external_id: ext('rot-new'), name: 'New Key' } }, { secrets: newSecret })).status).toBe(200);
    // A sender mid-rotation may sign with both.
    expect((await deliver({ type: 'customer.upserted', data: { external_id: ext('rot-both'), name: 'Both' } }, { secrets: [newSecret, secret] })).status).toBe(200);

    // The old secret's grace period ends.
    await withDb((db) => db.query(`update app.webhook_secrets set expires_at = now() - interval '1 second' where id = $1`, [oldId]));
    const late = await deliver({ type: 'customer.upserted', data: { external_id: ext('rot-late'), name: 'Too Late' } });
    expect(late.status).toBe(401);
    expect(await countCustomers(ext('rot-late'))).toBe(0);
    expect((await deliver({ type: 'customer.upserted', data: { external_id: ext('rot-after'), name: 'After' } }, { secrets: newSecret })).status).toBe(200);
    secret = newSecret;
  });

  it('only admins manage webhook secrets', async () => {
    const csm = await signedInAs('csm');
    const denied = await csm.rpc('create_webhook_secret', { label: 'nope' });
    expect(denied.error?.code).toBe('42501');
    const listed = await csm.rpc('list_webhook_secrets');
    expect(listed.error?.code).toBe('42501');
  });

  it('`renubu ingest` signs and sends a JSONL file; sending it again is a replay', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'renubu-ingest-'));
    const file = path.join(dir, 'events.jsonl');
    writeFileSync(file, [
      { type: 'customer.upserted', data: { external_id: ext('cli'), name: 'Cli Co', arr: 12000, csm_email: fixture.csmEmail } },
      { type: 'usage.snapshot', data: { customer_external_id: ext('cli'), recorded_at: '2026-11-01T00:00:00Z', active_users: 3, licensed_seats: 5 } },
      { type: 'engagement.event', data: { customer_external_id: ext('cli'), event_type: 'call', occurred_at: '2026-11-02T00:00:00Z' } },
    ].map((e) => JSON.stringify(e)).join('\n'));
    const cli = () => spawnSync(process.execPath, ['local/cli.mjs', 'ingest', file, '--org', fixture.slug, '--secret', secret, '--batch-size', '2'],
      { encoding: 'utf8', env: process.env });
    const first = cli();
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toContain('3 events in 2 deliveries (0 replayed)');
    const second = cli();
    expect(second.status, second.stderr).toBe(0);
    expect(second.stdout).toContain('3 events in 2 deliveries (2 replayed)');
    return countCustomers(ext('cli')).then((n) => expect(n).toBe(1));
  });

  it('the sample file in the repository is valid, event by event', () => {
    const lines = readFileSync('samples/ingest-sample.jsonl', 'utf8').split('\n').filter((l) => l.trim());
    expect(lines.length).toBeGreaterThan(20);
    for (const [i, line] of lines.entries()) {
      const parsed = ingestEvent.safeParse(JSON.parse(line));
      expect(parsed.success, `line ${i + 1}: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
    }
  });
});
