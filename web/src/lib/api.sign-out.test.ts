// @vitest-environment happy-dom
// Signing out ends this browser's session only; "Sign out everywhere" ends every session of
// the person's (lib/api.ts signOut). Three sessions of one CSM on the test stack, as three
// devices: the refresh token of a session that was not signed out still works after the
// header's sign-out, and none does after signing out everywhere.
import { describe, expect, it } from 'vitest';
import type { SupabaseClient } from '@supabase/supabase-js';
import { anonClient, signedInAs, stack } from '../../../tests/support/stack.ts';
import { createApi, type RenubuClient } from './api.ts';

const config = { supabaseUrl: stack.url, supabaseAnonKey: stack.anonKey };

async function refreshTokenOf(client: SupabaseClient): Promise<string> {
  return (await client.auth.getSession()).data.session!.refresh_token;
}

/** Whether another device holding this refresh token is still signed in. */
async function stillSignedIn(refreshToken: string): Promise<boolean> {
  const { error } = await anonClient().auth.refreshSession({ refresh_token: refreshToken });
  if (error && error.code !== 'refresh_token_not_found') throw error;
  return !error;
}

describe('signing out', () => {
  it('ends this device\'s session and leaves the person\'s other devices signed in', async () => {
    const laptop = await signedInAs('csm');
    const phone = await signedInAs('csm');
    const laptopToken = await refreshTokenOf(laptop);
    await createApi(laptop as unknown as RenubuClient, config).signOut();
    expect(await stillSignedIn(laptopToken)).toBe(false);
    expect(await stillSignedIn(await refreshTokenOf(phone))).toBe(true);
  });

  it('everywhere ends every session of the person\'s', async () => {
    const laptop = await signedInAs('csm');
    const phone = await signedInAs('csm');
    const phoneToken = await refreshTokenOf(phone);
    await createApi(laptop as unknown as RenubuClient, config).signOut('everywhere');
    expect(await stillSignedIn(phoneToken)).toBe(false);
  });
});
