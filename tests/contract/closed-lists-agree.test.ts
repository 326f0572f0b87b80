// The closed lists the API module states as enums (functions-shared/api) and the web app
// renders from are the database's: the proposal statuses are the table's check, the kinds a
// person may log are what log_engagement accepts, the timeline's kinds are the ones it
// lists. A value added or dropped on one side only fails here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SupabaseClient } from '@supabase/supabase-js';
import { LoggableEngagementKind, ProposalStatus, TimelineKind } from '../../functions-shared/api/index.ts';
import { createAdminFixtureOrg, type AdminFixtureOrg } from '../integration/admin-fixture-org.ts';
import { withDb } from '../support/stack.ts';

let fixture: AdminFixtureOrg;
let csm: SupabaseClient;
let customerId: string;

beforeAll(async () => {
  fixture = await createAdminFixtureOrg('lists');
  csm = await fixture.signIn('csm');
  customerId = await fixture.customer('Lists Co');
}, 60_000);
afterAll(async () => {
  await fixture?.remove();
});

/** The quoted values of a check constraint's `in (...)` list, in order. */
async function checkValues(constraint: string): Promise<string[]> {
  const definition = await withDb(async (db) => (await db.query<{ def: string }>(
    'select pg_get_constraintdef(oid) as def from pg_constraint where conname = $1', [constraint])).rows[0]!.def);
  return [...definition.matchAll(/'([^']+)'::text/g)].map((match) => match[1]!);
}

describe('the closed lists agree with the database', () => {
  it('proposal statuses are the proposals table\'s check, and list_proposals takes each (and all)', async () => {
    expect(ProposalStatus.options).toEqual(await checkValues('action_proposals_status_is_known'));
    for (const status of [...ProposalStatus.options, 'all']) {
      const { error } = await csm.rpc('list_proposals', { status });
      expect(error, status).toBeNull();
    }
  });

  it('the timeline\'s kinds are the ones get_customer_timeline lists, in its order', async () => {
    const { data, error } = await csm.rpc('get_customer_timeline', { customer_id: customerId, page_size: 1 });
    expect(error).toBeNull();
    expect((data as { kinds: string[] }).kinds).toEqual(TimelineKind.options);
  });

  it('every loggable engagement kind is accepted by log_engagement, and one outside the list is refused', async () => {
    for (const kind of LoggableEngagementKind.options) {
      const { data, error } = await csm.rpc('log_engagement', {
        customer_id: customerId, kind, occurred_at: new Date().toISOString(), summary: `A ${kind}`,
      });
      expect(error, kind).toBeNull();
      expect(LoggableEngagementKind.parse((data as { kind: string }).kind)).toBe(kind);
    }
    const { error } = await csm.rpc('log_engagement', { customer_id: customerId, kind: 'qbr', occurred_at: new Date().toISOString(), summary: 'A QBR' });
    expect(error?.code).toBe('22023');
    expect(error?.message).toBe(`kind must be ${LoggableEngagementKind.options.slice(0, -1).join(', ')} or ${LoggableEngagementKind.options.at(-1)}`);
  });
});
