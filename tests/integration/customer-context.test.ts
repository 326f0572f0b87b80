// get_customer_context and list_customers through supabase-js, as the web app and the
// assistant call them: values against hand-computed expectations, isolation, pagination.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInAs, withDb } from '../support/stack.ts';
import { createFixtureOrg, type FixtureOrg } from './ingest-fixtures.ts';

const DAY = 24 * 60 * 60 * 1000;
let fixture: FixtureOrg;
let customerId: string;

beforeAll(async () => {
  fixture = await createFixtureOrg('context');
  // A customer with a known history, dated relative to now so the 90-day window is fixed.
  customerId = await withDb(async (db) => {
    const { rows } = await db.query(
      `insert into app.customers (org_id, name, arr, health_score, risk_score, renewal_date, assigned_to)
       values ($1, 'Hand Computed Ltd', 132000, 68, 30, (now() at time zone 'UTC')::date + 45, $2) returning id`,
      [fixture.orgId, fixture.csmId]);
    const id = rows[0].id as string;
    const at = (daysAgo: number) => new Date(Date.now() - daysAgo * DAY).toISOString();
    await db.query(
      `insert into app.customer_score_history (org_id, customer_id, recorded_at, health_score, risk_score)
       values ($1, $2, $3, 80, 22), ($1, $2, $4, 74, 25)`, [fixture.orgId, id, at(100), at(40)]);
    await db.query(
      `insert into app.arr_history (org_id, customer_id, arr, recorded_at)
       values ($1, $2, 110000, $3), ($1, $2, 120000, $4), ($1, $2, 132000, $5)`,
      [fixture.orgId, id, at(400), at(120), at(20)]);
    await db.query(
      `insert into app.usage_snapshots (org_id, customer_id, recorded_at, active_users, licensed_seats)
       values ($1, $2, $3, 150, 200), ($1, $2, $4, 120, 200), ($1, $2, $5, 110, 160)`,
      [fixture.orgId, id, at(91), at(30), at(2)]);
    await db.query(
      `insert into app.engagement_events (org_id, customer_id, event_type, occurred_at, nps_score, ticket_status)
       values ($1, $2, 'meeting', $3, null, null), ($1, $2, 'qbr', $4, null, null), ($1, $2, 'qbr', $5, null, null),
              ($1, $2, 'nps', $6, 3, null), ($1, $2, 'support_ticket', $7, null, 'open'),
              ($1, $2, 'support_ticket', $8, null, 'closed')`,
      [fixture.orgId, id, at(6), at(70), at(-25), at(12), at(4), at(9)]);
    await db.query(
      `insert into app.stakeholders (org_id, customer_id, name, role, influence, is_champion, is_decision_maker)
       values ($1, $2, 'Ella Economic', 'economic_buyer', 'high', false, true)`, [fixture.orgId, id]);
    return id;
  });
});

afterAll(async () => {
  await fixture?.remove();
});

describe('get_customer_context', () => {
  it('matches the hand-computed figures of a customer with a known history', async () => {
    const client = await fixture.signIn();
    const { data, error } = await client.rpc('get_customer_context', { customer_id: customerId });
    expect(error).toBeNull();
    // Health 68 today against 80 in effect 90 days ago (the 100-day-old row): −12, down.
    expect(data.intelligence.health).toMatchObject({ score: 68, baseline: 80, change: -12, trend: 'down' });
    // Risk 30 against 22: +8, up.
    expect(data.intelligence.risk).toMatchObject({ score: 30, baseline: 22, change: 8, trend: 'up' });
    // ARR 132 000 now, 120 000 before the last change: +12 000, 10 %; 120 000 90 days ago.
    expect(data.data.financials).toMatchObject({
      current_arr: 132000, previous_arr: 120000, arr_change: 12000, growth_rate: 0.1, baseline_arr: 120000, trend: 'up',
    });
    // 110 of 160 seats = 0.6875; 150 users 90 days ago → down.
    expect(data.data.usage).toMatchObject({ active_users: 110, licensed_seats: 160, utilisation: 0.6875, baseline_active_users: 150, trend: 'down' });
    expect(data.data.engagement).toMatchObject({ last_contact_type: 'meeting', days_since_last_contact: 6, nps_score: 3, open_tickets: 1 });
    expect(Date.parse(data.data.engagement.next_qbr_at)).toBeGreaterThan(Date.now() + 24 * DAY);
    expect(Date.parse(data.data.engagement.last_qbr_at)).toBeLessThan(Date.now() - 69 * DAY);
    expect(data.customer).toMatchObject({ days_until_renewal: 45, renewal_stage: 'Finalize', account_plan: 'invest' });
    expect(data.account_team.csm).toMatchObject({ full_name: 'Fixture Csm', email: fixture.csmEmail });
    expect(data.account_team.account_executive).toBeNull();
    expect(data.account_team.stakeholders).toEqual([expect.objectContaining({ name: 'Ella Economic', is_decision_maker: true, influence: 'high' })]);
    expect(Date.parse(data.freshness.usage)).toBeLessThan(Date.now() - 1.9 * DAY);
  });

  it('matches hand-computed values for a seeded demo customer, from its raw rows', async () => {
    const raw = await withDb(async (db) => {
      const { rows: [customer] } = await db.query(
        `select c.id, c.name, c.renewal_date::text as renewal_date, c.assigned_to
           from app.customers c join app.organisations o on o.id = c.org_id
          where o.slug = 'acme-cloud'
            and exists (select 1 from app.usage_snapshots u where u.customer_id = c.id)
            and exists (select 1 from app.engagement_events e where e.customer_id = c.id and e.event_type = 'nps')
          order by c.name limit 1`);
      const usage = (await db.query(
        `select active_users, licensed_seats from app.usage_snapshots where customer_id = $1 and recorded_at <= now()
          order by recorded_at desc limit 1`, [customer.id])).rows[0];
      const events = (await db.query(
        `select event_type, occurred_at, nps_score, ticket_status from app.engagement_events where customer_id = $1`, [customer.id])).rows;
      const csm = (await db.query(`select full_name, email from app.profiles where id = $1`, [customer.assigned_to])).rows[0];
      const tz = (await db.query(
        `select s.time_zone from app.organisation_settings s join app.organisations o on o.id = s.org_id where o.slug = 'acme-cloud'`)).rows[0].time_zone;
      return { customer, usage, events, csm, tz };
    });
    const now = Date.now();
    const past = raw.events.filter((e) => e.occurred_at.getTime() <= now);
    const contacts = past.filter((e) => ['meeting', 'email', 'call', 'qbr'].includes(e.event_type))
      .sort((a, b) => b.occurred_at - a.occurred_at);
    const nps = past.filter((e) => e.event_type === 'nps').sort((a, b) => b.occurred_at - a.occurred_at)[0];
    const tickets = raw.events.filter((e) => e.event_type === 'support_ticket');
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: raw.tz }).format(new Date(now));
    const daysUntil = raw.customer.renewal_date === null ? null
      : Math.round((Date.parse(raw.customer.renewal_date) - Date.parse(today)) / DAY);

    const csm = await signedInAs('csm');
    const { data, error } = await csm.rpc('get_customer_context', { customer_id: raw.customer.id });
    expect(error).toBeNull();
    expect(data.customer.name).toBe(raw.customer.name);
    expect(data.customer.days_until_renewal).toBe(daysUntil);
    expect(data.data.usage.active_users).toBe(raw.usage.active_users);
    expect(data.data.usage.licensed_seats).toBe(raw.usage.licensed_seats);
    expect(data.data.usage.utilisation).toBeCloseTo(raw.usage.active_users / raw.usage.licensed_seats, 4);
    expect(data.data.engagement.nps_score).toBe(nps.nps_score);
    expect(Date.parse(data.data.engagement.last_contact_at)).toBe(contacts[0]?.occurred_at.getTime());
    expect(data.data.engagement.open_tickets).toBe(tickets.length === 0 ? null
      : tickets.filter((t) => ['open', 'pending'].includes(t.ticket_status)).length);
    expect(data.account_team.csm).toMatchObject({ full_name: raw.csm.full_name, email: raw.csm.email });
  });

  it('answers 404 for a customer of another organisation, with none of its data', async () => {
    const other = await signedInAs('otherCsm');
    const { data, error } = await other.rpc('get_customer_context', { customer_id: customerId });
    expect(data).toBeNull();
    expect(error).toMatchObject({ code: 'PT404', message: 'Customer not found' });
  });

  it('answers 400 when neither or both ids are given', async () => {
    const client = await fixture.signIn();
    const none = await client.rpc('get_customer_context', {});
    expect(none.error?.code).toBe('22023');
    expect(none.status).toBe(400);
  });
});

describe('list_customers', () => {
  it('pages through the whole organisation once, in name order, and nothing else', async () => {
    const csm = await signedInAs('csm');
    const seen: Array<{ id: string; name: string }> = [];
    let cursor: string | null = null;
    for (let page = 0; page < 50; page++) {
      // By name here; the default order is priority (docs/web-app.md), checked in pgTAP list_customers/.
      const response = await csm.rpc('list_customers', { page_size: 7, cursor, sort: 'name' });
      expect(response.error).toBeNull();
      const body = response.data as { items: Array<{ id: string; name: string }>; next_cursor: string | null };
      seen.push(...body.items);
      cursor = body.next_cursor;
      if (!cursor) break;
    }
    const expected = await withDb(async (db) => (await db.query(
      `select c.id from app.customers c join app.organisations o on o.id = c.org_id where o.slug = 'acme-cloud'
        order by lower(c.name), c.id`)).rows.map((r) => r.id as string));
    expect(seen.map((c) => c.id)).toEqual(expected);
  });

  it('finds a customer by part of its name', async () => {
    const client = await fixture.signIn();
    const { data, error } = await client.rpc('list_customers', { search: 'hand comp' });
    expect(error).toBeNull();
    expect(data.items).toEqual([expect.objectContaining({ id: customerId, days_until_renewal: 45, renewal_stage: 'Finalize' })]);
  });
});
