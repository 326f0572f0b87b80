// The gateway remembers verified tokens, never what they may do: a person deactivated while
// their access token is still valid (and already verified and remembered by the gateway) is
// refused on the very next call, because who may do what is decided by the database on every
// request (app.current_org_id() and friends skip a deactivated profile).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withDb } from '../support/stack.ts';
import { createAdminFixtureOrg, type AdminFixtureOrg } from './admin-fixture-org.ts';

let org: AdminFixtureOrg;
beforeAll(async () => {
  org = await createAdminFixtureOrg('tokencache');
});
afterAll(async () => {
  await org?.remove();
});

describe('gateway: a remembered token of a deactivated person', () => {
  it('reaches nothing once the person is deactivated, with the same token', async () => {
    const csm = await org.signIn('csm');
    const customerId = await org.customer('Cached Token Co');
    for (let i = 0; i < 2; i++) {
      // The second call is answered with the token the gateway verified and remembered.
      const { data, error } = await csm.rpc('get_my_profile');
      expect(error).toBeNull();
      expect(data).toMatchObject({ id: org.csmId, role: 'csm' });
    }
    expect((await csm.rpc('get_customer_overview', { customer_id: customerId })).error).toBeNull();

    await withDb((db) => db.query('update app.profiles set deactivated_at = now() where id = $1', [org.csmId]));

    const profile = await csm.rpc('get_my_profile');
    expect(profile.data).toBeNull();
    expect(profile.error).not.toBeNull();
    const overview = await csm.rpc('get_customer_overview', { customer_id: customerId });
    expect(overview.data).toBeNull();
    expect(overview.error).not.toBeNull();
    // Told why, in words for a person, by every call (migration 20261206252000).
    for (const refused of [profile, overview]) {
      expect(refused.error).toMatchObject({ code: '42501', message: 'Your account is deactivated' });
    }
  });
});
