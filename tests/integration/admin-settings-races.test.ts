// The snooze limits changed on the Settings page while another admin saves the Snooze action
// on the Actions page (docs/admin.md: the same three numbers, kept in both; migration
// 20261207305000). update_organisation_settings locked the settings row, then the saved
// action (its advisory lock and row); save_saved_action locked the saved action, then wrote
// the settings row: each held what the other waited for, and one failed with a deadlock
// (40P01, a 500). Both now take the settings row first, so the two take turns and the
// limits end as the later save left them, the same in both places.
// The Actions page's save runs on a direct connection, paused by a third holding the Snooze
// action's row, while the Settings page's goes through supabase-js.
import type { SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withDb } from '../support/stack.ts';
import { release, sent, stillWaiting, transactionAs } from '../support/held-transactions.ts';
import { createAdminFixtureOrg, type AdminFixtureOrg } from './admin-fixture-org.ts';

let fixture: AdminFixtureOrg;
let admin: SupabaseClient;

beforeAll(async () => {
  fixture = await createAdminFixtureOrg('settings-races');
  admin = await fixture.signIn('admin');
});

afterAll(async () => {
  await fixture?.remove();
});

describe('snooze limits saved on both admin pages at once', () => {
  it('take turns instead of deadlocking, and agree afterwards', async () => {
    // The organisation's own Snooze action, as a first save on either page makes it.
    expect((await admin.rpc('save_saved_action', { action_key: 'snooze', config: { max_days: 28 } })).error).toBeNull();
    // A pause: the Snooze action's row held, so the Actions page's save stops where it needs it.
    const pause = await transactionAs(null);
    const actionsPage = await transactionAs(fixture.adminId);
    try {
      await pause.query(`select 1 from app.saved_actions where org_id = $1 and key = 'snooze' for update`, [fixture.orgId]);
      const savedOnActionsPage = actionsPage.query(`select public.save_saved_action('snooze', '{"max_days": 21}')`)
        .then(() => null, (error: { code?: string }) => error.code ?? 'error');
      expect(await stillWaiting(savedOnActionsPage)).toBe(true);
      const { call, answer } = sent(admin.rpc('update_organisation_settings', { changes: { snooze: { max_days: 14 } } }));
      expect(await stillWaiting(call)).toBe(true);
      await pause.query('rollback');
      const actionsPageError = await savedOnActionsPage;
      if (actionsPageError === null) await actionsPage.query('commit');
      expect({ actionsPage: actionsPageError, settingsPage: (await answer).code }).toEqual({ actionsPage: null, settingsPage: null });
    } finally {
      await release(pause);
      await release(actionsPage);
    }
    const limits = await withDb(async (db) => (await db.query(
      `select s.snooze_max_days as settings, (a.config ->> 'max_days')::int as action
         from app.organisation_settings s join app.saved_actions a on a.org_id = s.org_id and a.key = 'snooze'
        where s.org_id = $1`, [fixture.orgId])).rows);
    expect(limits).toEqual([{ settings: 14, action: 14 }]);
  });
});
