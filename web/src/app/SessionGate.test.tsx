// @vitest-environment happy-dom
// After a sign-in (a demo person's one click, or the form) the sign-in page goes away with the
// focus on it: the focus goes to the workspace's content (main, where Skip to content puts it),
// never left on the page's body. A session a reload restored leaves the focus alone.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import type { Api } from '../lib/api.ts';
import { ApiError } from '../lib/errors.ts';
import { SessionGate } from './SessionGate.tsx';

afterEach(cleanup);

const demoPeople = { password: 'the-local-password', people: [{ email: 'sam.csm@acme.test', role: 'Senior CSM' }] };
const config = { supabaseUrl: 'http://127.0.0.1:54321', supabaseAnonKey: 'anon', demoPeople };
const session = { user: { id: 'me' }, access_token: 't' };
const profile = { id: 'me', org_id: 'org', org_name: 'Acme', full_name: 'Sam CSM', email: 'sam.csm@acme.test', role: 'csm', time_zone: 'UTC',
  title: null, experience_level: null, manager_id: null };

/** An API whose Auth starts with `start` as the session and signs in at once; every other call answers nothing. */
function fakeApi(start: typeof session | null, getMyProfile: () => Promise<unknown> = async () => profile,
  otherCalls: Error = new Error('not in this test')): Api {
  let listener: (event: string, next: unknown) => void = () => {};
  const nothing = async () => { throw otherCalls; };
  const auth = {
    getSession: async () => ({ data: { session: start } }),
    onAuthStateChange: (callback: typeof listener) => { listener = callback; return { data: { subscription: { unsubscribe() {} } } }; },
    signInWithPassword: async () => { setTimeout(() => listener('SIGNED_IN', session)); return { error: null }; },
  };
  const signOut = async () => { setTimeout(() => listener('SIGNED_OUT', null)); };
  return new Proxy({ client: { auth, rpc: nothing }, getMyProfile, signOut } as Record<string, unknown>,
    { get: (target, key) => (key in target ? target[key as string] : nothing) }) as unknown as Api;
}

describe('opening the workspace', () => {
  it('puts the focus on the content after a demo person\'s one-click sign-in, not on the page\'s body', async () => {
    window.history.replaceState(null, '', '/tasks');
    render(<SessionGate api={fakeApi(null)} config={config} />);
    fireEvent.click(await screen.findByRole('button', { name: /sam\.csm@acme\.test/ }));
    await waitFor(() => expect(document.getElementById('main')).not.toBeNull());
    await waitFor(() => expect(document.activeElement).toBe(document.getElementById('main')));
  });

  it('leaves the focus alone when a reload finds the session', async () => {
    window.history.replaceState(null, '', '/tasks');
    render(<SessionGate api={fakeApi(session)} config={config} />);
    await waitFor(() => expect(document.getElementById('main')).not.toBeNull());
    expect(document.activeElement).toBe(document.body);
  });
});

describe('signing out', () => {
  // A shared laptop or phone: whoever signs in next starts at their own home (a manager's
  // team page, a CSM's queue), not on the workflow or admin page the last person had open.
  it('leaves the page the person had open, so the next sign-in starts at home', async () => {
    window.history.replaceState(null, '', '/workflows/d39ea658-bb58-4298-b7aa-7bc0c7d0ae15');
    render(<SessionGate api={fakeApi(session)} config={config} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Sign out' }));
    await screen.findByRole('button', { name: 'Sign in' });
    expect(window.location.pathname).toBe('/');
  });
});

describe('a session the server refused', () => {
  // supabase-js still holds the session, but the API answers its token 401 (expired while the
  // laptop slept, ended on another device): the person is asked to sign in again, and comes
  // back to the page they had open, never shown an error to retry or a network failure.
  it.each([
    ['the API\'s expired token', new ApiError('JWT expired', { code: 'PGRST303', status: 401 })],
    ['the gateway\'s own 401 in front of a function', new ApiError('The request failed (HTTP 401).', { code: '401', status: 401 })],
  ])('asks to sign in again for %s, and keeps the address', async (_, refusal) => {
    const page = '/workflows/d39ea658-bb58-4298-b7aa-7bc0c7d0ae15';
    window.history.replaceState(null, '', page);
    render(<SessionGate api={fakeApi(session, async () => { throw refusal; })} config={config} />);
    expect(await screen.findByText('Your session has ended')).not.toBeNull();
    expect(screen.queryByRole('button', { name: 'Try again' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Sign in again' }));
    await screen.findByRole('button', { name: 'Sign in' });
    expect(window.location.pathname).toBe(page);
  });

  it('keeps Try again for a profile that could not load for another reason', async () => {
    render(<SessionGate api={fakeApi(session, async () => { throw new ApiError('Failed to fetch', { status: 0 }); })} config={config} />);
    expect(await screen.findByRole('button', { name: 'Try again' })).not.toBeNull();
    expect(screen.queryByText('Your session has ended')).toBeNull();
  });

  // The profile loaded, then a page's call was refused: the page says so in place, with the
  // way back in (before, the sentence "Sign in again to continue" stood alone, with Try again).
  it('a page whose call is refused mid-way offers Sign in again in place, and keeps the address', async () => {
    window.history.replaceState(null, '', '/tasks');
    const refusal = new ApiError('JWT expired', { code: 'PGRST303', status: 401 });
    render(<SessionGate api={fakeApi(session, async () => profile, refusal)} config={config} />);
    const again = await screen.findAllByRole('button', { name: 'Sign in again' });
    fireEvent.click(again[0]!);
    await screen.findByRole('button', { name: 'Sign in' });
    expect(window.location.pathname).toBe('/tasks');
  });
});
