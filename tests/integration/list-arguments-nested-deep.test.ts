// A list argument nested in lists is the caller's mistake, answered 400 22023 naming it,
// never a 500. The Data API turns a JSON list into a Postgres array before the function
// runs, and seven levels of lists is more dimensions than Postgres allows (54000, which
// PostgREST answers 500 on hosted Supabase as the local gateway does), so the list
// arguments are jsonb that the function reads (migration 20261206282000).
import type { SupabaseClient } from '@supabase/supabase-js';
import { beforeAll, describe, expect, it } from 'vitest';
import { signedInAs, withDb } from '../support/stack.ts';

const nested = (levels: number, inner: unknown): unknown => (levels === 0 ? inner : [nested(levels - 1, inner)]);

let sam: SupabaseClient;
let customerId: string;

beforeAll(async () => {
  sam = await signedInAs('csm');
  customerId = await withDb(async (db) =>
    (await db.query<{ id: string }>("select id from app.customers where name = 'Contoso Retail'")).rows[0]!.id);
});

describe('list arguments nested in lists', () => {
  it('get_customer_timeline kinds, 7 to 100 levels deep: 400 22023 naming kinds', async () => {
    for (const levels of [7, 50, 100]) {
      const { data, error, status } = await sam.rpc('get_customer_timeline', { customer_id: customerId, kinds: nested(levels, 'email') });
      expect(data, `${levels} levels`).toBeNull();
      expect(status, `${levels} levels`).toBe(400);
      expect(error, `${levels} levels`).toMatchObject({ code: '22023', message: 'kinds must be a list of strings' });
    }
  });

  it('a list of lists of kinds is refused too, a list of kinds is read', async () => {
    const refused = await sam.rpc('get_customer_timeline', { customer_id: customerId, kinds: [['email'], ['engagement']] });
    expect(refused.status).toBe(400);
    expect(refused.error?.code).toBe('22023');
    const read = await sam.rpc('get_customer_timeline', { customer_id: customerId, kinds: ['email', 'engagement'], page_size: 5 });
    expect(read.error).toBeNull();
    expect((read.data as { items: { kind: string }[] }).items.every((i) => ['email', 'engagement'].includes(i.kind))).toBe(true);
  });

  it('mark_notifications_read notification_ids, 50 levels deep: 400 22023 naming it, nothing marked', async () => {
    // a notification of Sam's own, so no other test's marking or notifying can interfere
    const id = await withDb(async (db) => (await db.query<{ id: string }>(
      `insert into app.notifications (org_id, user_id, notification_type, title)
       select p.org_id, p.id, 'system', 'nested list test' from app.profiles p where p.email = 'sam.csm@acme.test'
       returning id`)).rows[0]!.id);
    const { error, status } = await sam.rpc('mark_notifications_read', { notification_ids: nested(50, id) });
    expect(status).toBe(400);
    expect(error).toMatchObject({ code: '22023', message: 'notification_ids must be a list of strings' });
    const readAt = await withDb(async (db) => (await db.query<{ read_at: string | null }>(
      'select read_at from app.notifications where id = $1', [id])).rows[0]!.read_at);
    expect(readAt).toBeNull();
    await withDb((db) => db.query('delete from app.notifications where id = $1', [id]));
  });
});
