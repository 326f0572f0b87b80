// The queue's server-side filters, search and grouping through supabase-js, as the web app
// calls them: results and stats agree, bad filters are 22023 with a hint, and the customer
// card carries the decision date (the notice deadline of an auto-renewing contract).
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SupabaseClient } from '@supabase/supabase-js';
import { signedInAs, withDb } from '../support/stack.ts';

interface Item {
  execution_id: string;
  workflow_key: string;
  workflow_type: string;
  lane: string;
  priority_factors: Record<string, unknown>;
  customer: { id: string; name: string; renewal_date: string | null; decision_date: string | null; days_until_decision: number | null; days_until_renewal: number | null };
  other_items?: { count: number; kinds: string[] };
}
interface Queue { items: Item[]; next_cursor: string | null; stats: { total: number; unique_customers: number; by_lane: Record<string, number> } }

let csm: SupabaseClient;
const tag = `QF${randomUUID().slice(0, 8)}`;
let riskyId: string;
let calmId: string;

async function queue(args: Record<string, unknown>): Promise<Queue> {
  const { data, error } = await csm.rpc('get_workflow_queue', { page_size: 50, ...args });
  if (error) throw new Error(`get_workflow_queue: ${error.code} ${error.message}`);
  return data as Queue;
}

async function open(customerId: string, workflowKey: string): Promise<void> {
  const { error } = await csm.rpc('create_workflow_execution', { customer_id: customerId, workflow_key: workflowKey });
  if (error) throw new Error(`create_workflow_execution: ${error.code} ${error.message}`);
}

beforeAll(async () => {
  csm = await signedInAs('csm');
  const { data: me } = await csm.rpc('get_my_profile');
  const { id: csmId, org_id: orgId } = me as { id: string; org_id: string };
  [riskyId, calmId] = await withDb(async (db) => {
    const { rows } = await db.query<{ id: string }>(
      `insert into app.customers (org_id, name, domain, arr, health_score, renewal_date, risk_score, assigned_to)
       values ($1, $2, $3, 20000, 45, app.organisation_today($1) + 80, 90, $4),
              ($1, $5, $6, 20000, 70, null, null, $4)
       returning id`,
      [orgId, `${tag} Risky Co`, `risky-${tag.toLowerCase()}.example`, csmId, `${tag} Calm Co`, `calm-${tag.toLowerCase()}.example`],
    );
    // An auto-renewing contract with 70 days' notice: the decision is 10 days away.
    await db.query(
      `insert into app.contracts (org_id, customer_id, status, start_date, end_date, auto_renew, notice_period_days)
       values ($1, $2, 'active', app.organisation_today($1) - 280, app.organisation_today($1) + 79, true, 70)`,
      [orgId, rows[0]!.id],
    );
    return [rows[0]!.id, rows[1]!.id];
  });
  await open(riskyId, 'risk-intervention');
  await open(riskyId, 'executive-meeting');
  await open(calmId, 'expansion-proposal');
});

describe('the queue through supabase-js', () => {
  it('searches customer names and domains case-insensitively, with stats over what matches', async () => {
    const byName = await queue({ filters: { search: tag.toLowerCase() } });
    expect(byName.items.map((i) => i.workflow_key).sort()).toEqual(['executive-meeting', 'expansion-proposal', 'risk-intervention']);
    expect(byName.stats.total).toBe(3);
    expect(byName.stats.unique_customers).toBe(2);
    const byDomain = await queue({ filters: { search: `CALM-${tag}` } });
    expect(byDomain.items.map((i) => i.customer.id)).toEqual([calmId]);
  });

  it('orders by lane and filters by lane and type on the server', async () => {
    const all = await queue({ filters: { search: tag } });
    expect(all.items[0]!.workflow_key).toBe('risk-intervention');
    expect(all.items[0]!.lane).toBe('now');
    expect(all.items[0]!.priority_factors.lane).toBe('now');
    expect(all.stats.by_lane).toEqual({ now: 1, planned: 2 });
    const planned = await queue({ filters: { search: tag, lanes: ['planned'], types: ['strategic'] } });
    expect(planned.items.map((i) => i.workflow_key)).toEqual(['executive-meeting']);
    expect(planned.stats.total).toBe(1);
  });

  it('groups by customer: its first item and the kinds of the others', async () => {
    const grouped = await queue({ filters: { search: tag }, group_by_customer: true });
    expect(grouped.items).toHaveLength(2);
    const risky = grouped.items.find((i) => i.customer.id === riskyId)!;
    expect(risky.workflow_key).toBe('risk-intervention');
    expect(risky.other_items).toEqual({ count: 1, kinds: ['strategic'] });
    expect(grouped.items.find((i) => i.customer.id === calmId)!.other_items).toEqual({ count: 0, kinds: [] });
  });

  it('shows the decision date beside the renewal date', async () => {
    const item = (await queue({ filters: { search: tag, types: ['risk'] } })).items[0]!;
    expect(item.customer.days_until_renewal).toBe(80);
    expect(item.customer.days_until_decision).toBe(10);
  });

  it('refuses unknown filter keys and values with 22023 and a hint', async () => {
    for (const filters of [{ lane: ['now'] }, { lanes: ['later'] }, { types: 'risk' }, { search: 7 }]) {
      const { error } = await csm.rpc('get_workflow_queue', { filters });
      expect(error?.code).toBe('22023');
      expect(error?.hint).toBeTruthy();
    }
  });
});
