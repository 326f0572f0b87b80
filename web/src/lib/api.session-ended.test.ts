// @vitest-environment happy-dom
// Sign in again after the session ended on its own (expired, ended on another device) keeps
// what the person typed and had not sent — a note, a chat message, kept under their name
// (lib/unsentText.ts) — for when they are back: before, it went the way a sign-out's does,
// so the note that met the refused session was lost by the one button that offered a way on.
// A sign-out the person chose still forgets it, so the next person at the browser finds none.
import { afterEach, describe, expect, it } from 'vitest';
import { createApi, type RenubuClient } from './api.ts';
import { keepText, keptText } from './unsentText.ts';

const config = { supabaseUrl: 'http://127.0.0.1:1', supabaseAnonKey: 'anon' };

/** Auth that signs out at once and then holds no session. */
function signedOutClient(): RenubuClient {
  const auth = { signOut: async () => ({ error: null }), getSession: async () => ({ data: { session: null } }) };
  return { auth } as unknown as RenubuClient;
}

afterEach(() => window.sessionStorage.clear());

describe('what was typed, when the session ends', () => {
  it('is kept by Sign in again after the session ended on its own', async () => {
    keepText('me:customer-1:note', 'Called Olivia about the renewal');
    await createApi(signedOutClient(), config).signOut('ended');
    expect(keptText('me:customer-1:note')).toBe('Called Olivia about the renewal');
  });

  it('is forgotten by a sign-out the person chose', async () => {
    keepText('me:customer-1:note', 'Called Olivia about the renewal');
    await createApi(signedOutClient(), config).signOut('this-device');
    expect(keptText('me:customer-1:note')).toBe('');
  });
});
