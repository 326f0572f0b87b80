// Preferences through supabase-js exactly as the web app calls them, signed in as seeded
// demo people: defaults on first read, key-by-key merge, 400 with 22023 naming the key
// on a bad change (and nothing changed), and one person's changes never reach another.
import type { SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_PEOPLE, type DemoPerson } from '../support/demo-people.ts';
import { anonClient, signedInAs, withDb } from '../support/stack.ts';

const DEFAULTS = {
  chat: { shiftEnterToSubmit: false, enableSoundNotifications: true, autoScrollToBottom: true },
  notifications: { emailDigest: 'daily', inAppNotifications: true, desktopNotifications: false },
  ui: { theme: 'light', compactMode: false, sidebarCollapsed: false },
  workflow: { autoAdvanceSteps: false, showCompletedTasks: true },
};

// The people these tests change; their stored preferences are cleared around each test.
const PEOPLE: DemoPerson[] = ['juniorCsm', 'viewer', 'otherCsm'];

async function clearPreferences(): Promise<void> {
  await withDb((db) =>
    db.query(
      'delete from app.user_preferences where user_id in (select id from auth.users where email = any($1))',
      [PEOPLE.map((p) => DEMO_PEOPLE[p])],
    ),
  );
}

async function storedUi(person: DemoPerson): Promise<unknown> {
  return withDb(async (db) => {
    const { rows } = await db.query<{ ui: unknown }>(
      'select p.ui from app.user_preferences p join auth.users u on u.id = p.user_id where u.email = $1',
      [DEMO_PEOPLE[person]],
    );
    return rows[0]?.ui ?? null;
  });
}

let casey: SupabaseClient;
let victor: SupabaseClient;
let gus: SupabaseClient;

beforeAll(async () => {
  [casey, victor, gus] = await Promise.all([signedInAs('juniorCsm'), signedInAs('viewer'), signedInAs('otherCsm')]);
});
beforeEach(clearPreferences);
afterAll(clearPreferences);

describe('get_user_preferences', () => {
  it('answers every default of the domain to someone who never set anything', async () => {
    const { data, error, status } = await casey.rpc('get_user_preferences');
    expect(error).toBeNull();
    expect(status).toBe(200);
    expect(data).toEqual(DEFAULTS);
  });
});

describe('update_user_preferences', () => {
  it('merges key by key and answers the full preferences', async () => {
    const first = await casey.rpc('update_user_preferences', { changes: { ui: { theme: 'dark' }, chat: { shiftEnterToSubmit: true } } });
    expect(first.error).toBeNull();
    expect(first.data.ui).toEqual({ theme: 'dark', compactMode: false, sidebarCollapsed: false });

    const second = await casey.rpc('update_user_preferences', { changes: { ui: { compactMode: true } } });
    expect(second.error).toBeNull();
    expect(second.data).toEqual({
      ...DEFAULTS,
      chat: { ...DEFAULTS.chat, shiftEnterToSubmit: true },
      ui: { theme: 'dark', compactMode: true, sidebarCollapsed: false },
    });

    const read = await casey.rpc('get_user_preferences');
    expect(read.data).toEqual(second.data);
  });

  it('lets a viewer change its own preferences', async () => {
    const { data, error } = await victor.rpc('update_user_preferences', { changes: { notifications: { emailDigest: 'weekly' } } });
    expect(error).toBeNull();
    expect(data.notifications.emailDigest).toBe('weekly');
  });

  it('refuses an unknown key with 400 and code 22023 naming it, and changes nothing', async () => {
    await casey.rpc('update_user_preferences', { changes: { ui: { theme: 'dark' } } });

    const { data, error, status } = await casey.rpc('update_user_preferences', {
      changes: { ui: { theme: 'system', colour: 'red' } },
    });
    expect(data).toBeNull();
    expect(status).toBe(400);
    expect(error?.code).toBe('22023');
    expect(error?.message).toContain('ui.colour');
    expect(error?.hint).toMatch(/Nothing was changed/);

    expect(await storedUi('juniorCsm')).toEqual({ theme: 'dark' });
  });

  it('refuses a value outside its allowed values with 22023 naming the key', async () => {
    const { error, status } = await casey.rpc('update_user_preferences', { changes: { ui: { theme: 'neon' } } });
    expect(status).toBe(400);
    expect(error).toMatchObject({ code: '22023', message: 'ui.theme must be one of light, dark, system' });
  });

  it("never touches another person's preferences, in the same organisation or another", async () => {
    const change = await casey.rpc('update_user_preferences', { changes: { ui: { theme: 'dark' } } });
    expect(change.error).toBeNull();

    const colleague = await victor.rpc('get_user_preferences');
    expect(colleague.data).toEqual(DEFAULTS);
    const otherOrg = await gus.rpc('get_user_preferences');
    expect(otherOrg.data).toEqual(DEFAULTS);
    expect(await storedUi('viewer')).toEqual({});
  });

  it('refuses anon', async () => {
    const { error, status } = await anonClient().rpc('update_user_preferences', { changes: { ui: { theme: 'dark' } } });
    expect(status).toBe(401);
    expect(error?.code).toBe('42501');
  });
});
