// The Auth admin API and account endpoints through supabase-js, as invite-person and the web
// app call them (docs/supabase-protocol.md §3): service role only for admin
// calls, GoTrue's user shape, pagination headers, invite and recovery mail with a working
// link, verify, updateUser and bans.
import { describe, expect, it } from 'vitest';
import { claimsOf, useContractStack } from './harness.ts';

const stack = useContractStack();
const admin = () => stack.client(stack.serviceRoleKey).auth.admin;
const unique = (name: string) => `${name}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}@contract.test`;

/** The `token` of the newest mailed link to this address. */
function mailedLink(email: string): URL {
  const mail = stack.mails(email)[0];
  expect(mail, `a mail to ${email}`).toBeDefined();
  const link = mail!.Links.find((l) => l.includes('/auth/v1/verify'));
  expect(link).toBeDefined();
  return new URL(link!);
}

describe('auth admin: who may call', () => {
  it('refuses a user token with 403 not_admin and no token with 401', async () => {
    const signedIn = await stack.signedIn();
    const { data: session } = await signedIn.auth.getSession();
    const asUser = stack.client(stack.anonKey, { Authorization: `Bearer ${session.session!.access_token}` });
    const { error } = await asUser.auth.admin.listUsers();
    expect(error).toMatchObject({ status: 403, code: 'not_admin' });
    const res = await fetch(`${stack.url}/auth/v1/admin/users`);
    expect(res.status).toBe(401);
  });

  it('accepts the secret key (sb_secret_…) as the service role', async () => {
    const { error } = await stack.client(stack.secretKey).auth.admin.listUsers();
    expect(error).toBeNull();
  });
});

describe('auth admin: users', () => {
  it('creates, reads, updates, lists and deletes a user with GoTrue’s shapes', async () => {
    const email = unique('created');
    const created = await admin().createUser({ email, password: 'long enough pw', email_confirm: true, user_metadata: { full_name: 'Cy Created' } });
    expect(created.error).toBeNull();
    const user = created.data.user!;
    expect(user).toMatchObject({
      aud: 'authenticated', role: 'authenticated', email, user_metadata: { full_name: 'Cy Created' },
      app_metadata: { provider: 'email', providers: ['email'] }, email_confirmed_at: expect.any(String),
    });
    expect(user.identities?.[0]).toMatchObject({ provider: 'email', user_id: user.id });

    const again = await admin().createUser({ email, password: 'long enough pw' });
    expect(again.error).toMatchObject({ status: 422, code: 'email_exists' });

    const signIn = await stack.client().auth.signInWithPassword({ email, password: 'long enough pw' });
    expect(signIn.error).toBeNull();

    expect((await admin().getUserById(user.id)).data.user?.email).toBe(email);
    const missing = await admin().getUserById('00000000-0000-4000-8000-000000000000');
    expect(missing.error).toMatchObject({ status: 404, code: 'user_not_found' });

    const updated = await admin().updateUserById(user.id, { user_metadata: { title: 'CSM' } });
    expect(updated.data.user?.user_metadata).toEqual({ full_name: 'Cy Created', title: 'CSM' });

    const deleted = await admin().deleteUser(user.id);
    expect(deleted.error).toBeNull();
    expect((await admin().getUserById(user.id)).error).toMatchObject({ status: 404 });
  });

  it('lists users in pages with X-Total-Count and Link as auth-js reads them', async () => {
    for (let i = 0; i < 3; i += 1) await admin().createUser({ email: unique(`page${i}`), email_confirm: true });
    const first = await admin().listUsers({ page: 1, perPage: 2 });
    expect(first.error).toBeNull();
    expect(first.data.users).toHaveLength(2);
    const total = (first.data as { total: number }).total;
    expect(total).toBeGreaterThanOrEqual(4);
    expect(first.data).toMatchObject({ nextPage: 2, lastPage: Math.ceil(total / 2) });
    const res = await fetch(`${stack.url}/auth/v1/admin/users?page=1&per_page=2`, { headers: { apikey: stack.serviceRoleKey, Authorization: `Bearer ${stack.serviceRoleKey}` } });
    expect(res.headers.get('x-total-count')).toBe(String(total));
    expect(await res.json()).toMatchObject({ aud: 'authenticated', users: expect.any(Array) });
  });

  it('bans with ban_duration: sign-in is refused with user_banned, and "none" lifts it', async () => {
    const email = unique('banned');
    const { data } = await admin().createUser({ email, password: 'long enough pw', email_confirm: true });
    const banned = await admin().updateUserById(data.user!.id, { ban_duration: '876000h' });
    expect(banned.data.user?.banned_until).toEqual(expect.any(String));
    const refused = await stack.client().auth.signInWithPassword({ email, password: 'long enough pw' });
    expect(refused.error).toMatchObject({ status: 400, code: 'user_banned' });
    const bad = await admin().updateUserById(data.user!.id, { ban_duration: 'forever' });
    expect(bad.error).toMatchObject({ status: 400, code: 'validation_failed' });
    await admin().updateUserById(data.user!.id, { ban_duration: 'none' });
    expect((await stack.client().auth.signInWithPassword({ email, password: 'long enough pw' })).error).toBeNull();
  });
});

describe('auth admin: invite, verify, set a password', () => {
  it('invites by email: the mailed link verifies into a session for a new password', async () => {
    const email = unique('invited');
    const invited = await admin().inviteUserByEmail(email, { data: { full_name: 'Ivy Invited' }, redirectTo: 'http://127.0.0.1:3000/set-password' });
    expect(invited.error).toBeNull();
    expect(invited.data.user).toMatchObject({ email, invited_at: expect.any(String), user_metadata: { full_name: 'Ivy Invited' } });
    expect(invited.data.user?.email_confirmed_at).toBeUndefined();

    const link = mailedLink(email);
    expect(link.searchParams.get('type')).toBe('invite');
    expect(link.searchParams.get('redirect_to')).toBe('http://127.0.0.1:3000/set-password');
    // The browser follows the link: a redirect with the session in the fragment.
    const followed = await fetch(link, { redirect: 'manual' });
    expect(followed.status).toBe(303);
    const location = new URL(followed.headers.get('location')!);
    expect(location.origin + location.pathname).toBe('http://127.0.0.1:3000/set-password');
    const fragment = new URLSearchParams(location.hash.slice(1));
    expect(fragment.get('type')).toBe('invite');

    const client = stack.client();
    const set = await client.auth.setSession({ access_token: fragment.get('access_token')!, refresh_token: fragment.get('refresh_token')! });
    expect(set.error).toBeNull();
    expect(claimsOf(fragment.get('access_token')!).amr).toEqual([{ method: 'invite', timestamp: expect.any(Number) }]);
    const updated = await client.auth.updateUser({ password: 'my new password' });
    expect(updated.error).toBeNull();
    expect((await stack.client().auth.signInWithPassword({ email, password: 'my new password' })).error).toBeNull();

    // A used link is spent.
    const reused = await fetch(link, { redirect: 'manual' });
    expect(new URLSearchParams(new URL(reused.headers.get('location')!).hash.slice(1)).get('error_code')).toBe('otp_expired');
    // A confirmed person cannot be invited again.
    expect((await admin().inviteUserByEmail(email)).error).toMatchObject({ status: 422, code: 'email_exists' });
  });

  it('verifyOtp accepts the token hash or the mailed code once; a wrong one is 403 otp_expired', async () => {
    const email = unique('otp');
    await admin().inviteUserByEmail(email);
    const code = /enter this code: (\d{6})/.exec(stack.mails(email)[0]!.Text)![1]!;
    const wrong = await stack.client().auth.verifyOtp({ email, token: code === '000000' ? '111111' : '000000', type: 'invite' });
    expect(wrong.error).toMatchObject({ status: 403, code: 'otp_expired' });
    const ok = await stack.client().auth.verifyOtp({ email, token: code, type: 'invite' });
    expect(ok.error).toBeNull();
    expect(ok.data.session?.user.email).toBe(email);
    expect((await stack.client().auth.verifyOtp({ email, token: code, type: 'invite' })).error).toMatchObject({ code: 'otp_expired' });
  });

  it('generateLink returns the link properties without sending mail', async () => {
    const email = unique('generated');
    const { data, error } = await admin().generateLink({ type: 'invite', email, options: { redirectTo: 'http://127.0.0.1:3000/set-password' } });
    expect(error).toBeNull();
    expect(data.properties).toMatchObject({
      action_link: expect.stringContaining('/auth/v1/verify?token='), email_otp: expect.stringMatching(/^\d{6}$/),
      hashed_token: expect.stringMatching(/^[0-9a-f]{56}$/), verification_type: 'invite', redirect_to: 'http://127.0.0.1:3000/set-password',
    });
    expect(data.user?.email).toBe(email);
    expect(stack.mails(email)).toHaveLength(0);
    const verified = await stack.client().auth.verifyOtp({ token_hash: data.properties!.hashed_token, type: 'invite' });
    expect(verified.error).toBeNull();
    const unknown = await admin().generateLink({ type: 'recovery', email: unique('nobody') });
    expect(unknown.error).toMatchObject({ status: 404, code: 'user_not_found' });
  });
});

describe('account: reset and change a password', () => {
  it('resetPasswordForEmail answers 200 for anyone and mails a recovery link to real accounts', async () => {
    const nobody = await stack.client().auth.resetPasswordForEmail(unique('nobody'));
    expect(nobody.error).toBeNull();
    const email = unique('forgetful');
    await admin().createUser({ email, password: 'old password 1', email_confirm: true });
    const sent = await stack.client().auth.resetPasswordForEmail(email, { redirectTo: 'http://127.0.0.1:3000/set-password' });
    expect(sent.error).toBeNull();
    const again = await stack.client().auth.resetPasswordForEmail(email);
    expect(again.error).toMatchObject({ status: 429, code: 'over_email_send_rate_limit' });

    const link = mailedLink(email);
    expect(link.searchParams.get('type')).toBe('recovery');
    const client = stack.client();
    const verified = await client.auth.verifyOtp({ token_hash: link.searchParams.get('token')!, type: 'recovery' });
    expect(verified.error).toBeNull();
    expect((await client.auth.updateUser({ password: 'new password 2' })).error).toBeNull();
    expect((await stack.client().auth.signInWithPassword({ email, password: 'old password 1' })).error).toMatchObject({ code: 'invalid_credentials' });
    expect((await stack.client().auth.signInWithPassword({ email, password: 'new password 2' })).error).toBeNull();
  });

  it('updateUser refuses a short or unchanged password and ends the other sessions', async () => {
    const email = unique('changer');
    await admin().createUser({ email, password: 'first password', email_confirm: true });
    const a = stack.client();
    const b = stack.client();
    await a.auth.signInWithPassword({ email, password: 'first password' });
    await b.auth.signInWithPassword({ email, password: 'first password' });
    expect((await a.auth.updateUser({ password: 'short' })).error).toMatchObject({ status: 422, code: 'weak_password' });
    expect((await a.auth.updateUser({ password: 'first password' })).error).toMatchObject({ status: 422, code: 'same_password' });
    expect((await a.auth.updateUser({ password: 'second password' })).error).toBeNull();
    const { data: other } = await b.auth.getSession();
    const refresh = await stack.client().auth.refreshSession({ refresh_token: other.session!.refresh_token });
    expect(refresh.error).toMatchObject({ status: 400 });
    expect((await a.auth.getUser()).error).toBeNull();
  });

  it('needs a session: updateUser without one fails', async () => {
    const { error } = await stack.client().auth.updateUser({ password: 'whatever password' });
    expect(error).not.toBeNull();
  });
});
