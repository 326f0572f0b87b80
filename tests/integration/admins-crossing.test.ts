// An organisation keeps an active admin even when two admins act on each other at the same
// moment (migration 20261206212000): each demoting or deactivating the other through the
// API, as two browsers would, leaves exactly one change made and one admin standing. Before,
// both calls answered 200 and the organisation had no admin left.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SupabaseClient } from '@supabase/supabase-js';
import { withDb } from '../support/stack.ts';
import { createAdminFixtureOrg, type AdminFixtureOrg } from './admin-fixture-org.ts';

let org: AdminFixtureOrg;
let first: SupabaseClient;
let second: SupabaseClient;

/** Both fixture people active admins again, whatever the last round did. */
async function bothAdmins() {
  await withDb((db) => db.query(
    `update app.profiles set role = 'admin', deactivated_at = null where id = any($1::uuid[])`, [[org.adminId, org.csmId]]));
}

async function activeAdmins(): Promise<number> {
  return withDb(async (db) => (await db.query<{ n: number }>(
    `select count(*)::int as n from app.profiles where org_id = $1 and role = 'admin' and deactivated_at is null`,
    [org.orgId])).rows[0]!.n);
}

beforeAll(async () => {
  org = await createAdminFixtureOrg('admins-crossing');
  await bothAdmins();
  first = await org.signIn('admin');
  second = await org.signIn('csm'); // an admin too, made so above
});

afterAll(async () => {
  await org?.remove();
});

describe('two admins acting on each other at once', () => {
  it('demoting each other: one call succeeds, the other is refused, an admin remains', async () => {
    for (let round = 0; round < 5; round += 1) {
      await bothAdmins();
      const results = await Promise.all([
        first.rpc('update_person', { profile_id: org.csmId, changes: { role: 'csm' } }),
        second.rpc('update_person', { profile_id: org.adminId, changes: { role: 'csm' } }),
      ]);
      const refused = results.filter((r) => r.error);
      expect(results.length - refused.length, `round ${round}: exactly one change is made`).toBe(1);
      expect(['42501', 'PT409']).toContain(refused[0]!.error!.code);
      expect(await activeAdmins(), `round ${round}: an admin remains`).toBe(1);
    }
  });

  it('deactivating each other: one call succeeds, the other is refused, an admin remains', async () => {
    await bothAdmins();
    const results = await Promise.all([
      first.rpc('update_person', { profile_id: org.csmId, changes: { active: false } }),
      second.rpc('update_person', { profile_id: org.adminId, changes: { active: false } }),
    ]);
    expect(results.filter((r) => !r.error)).toHaveLength(1);
    expect(await activeAdmins()).toBe(1);
  });
});
