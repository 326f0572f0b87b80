// GoTrue's password sessions through supabase-js, as the web app signs people in (docs/supabase-protocol.md §3).
import { jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { ADA, UNCONFIRMED, claimsOf, useContractStack } from './harness.ts';

const stack = useContractStack();

describe('auth: password sign-in', () => {
  it('returns a session with GoTrue’s token response and access-token claims', async () => {
    const client = stack.client();
    const { data, error } = await client.auth.signInWithPassword({ email: ADA.email, password: ADA.password });
    expect(error).toBeNull();
    const session = data.session!;
    expect(session.token_type).toBe('bearer');
    expect(session.expires_in).toBe(3600);
    expect(session.refresh_token).toEqual(expect.any(String));
    expect(data.user).toMatchObject({
      id: ADA.id,
      aud: 'authenticated',
      role: 'authenticated',
      email: ADA.email,
      app_metadata: { provider: 'email', providers: ['email'] },
      user_metadata: { full_name: 'Ada Contract' },
      identities: [],
      is_anonymous: false,
    });
    // HS256 with the stack's secret, GoTrue's claims, one hour [AUTH tokens/service.go].
    const { payload } = await jwtVerify(session.access_token, new TextEncoder().encode(stack.jwtSecret));
    expect(payload).toMatchObject({
      sub: ADA.id,
      aud: 'authenticated',
      role: 'authenticated',
      email: ADA.email,
      phone: '',
      aal: 'aal1',
      iss: `${stack.url}/auth/v1`,
      is_anonymous: false,
      app_metadata: { provider: 'email', providers: ['email'] },
      user_metadata: { full_name: 'Ada Contract' },
    });
    expect(payload.exp! - payload.iat!).toBe(3600);
    expect(payload.session_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(payload.amr).toEqual([{ method: 'password', timestamp: expect.any(Number) }]);
  });

  it('answers a wrong password and an unknown email alike: 400 invalid_credentials', async () => {
    for (const attempt of [
      { email: ADA.email, password: 'wrong password' },
      { email: 'nobody@contract.test', password: ADA.password },
    ]) {
      const { data, error } = await stack.client().auth.signInWithPassword(attempt);
      expect(data.session).toBeNull();
      expect(error).toMatchObject({ status: 400, code: 'invalid_credentials', message: 'Invalid login credentials' });
    }
  });

  it('refuses an unconfirmed email with email_not_confirmed', async () => {
    const { error } = await stack.client().auth.signInWithPassword(UNCONFIRMED);
    expect(error).toMatchObject({ status: 400, code: 'email_not_confirmed' });
  });

  it('uses the pre-2024 error shape when the client sends no API version header', async () => {
    // Without X-Supabase-Api-Version GoTrue answers {code: <status>, error_code, msg} [AUTH errors.go].
    const response = await fetch(`${stack.url}/auth/v1/token?grant_type=password`, {
      method: 'POST',
      headers: { apikey: stack.anonKey, 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: ADA.email, password: 'nope' }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ code: 400, error_code: 'invalid_credentials', msg: 'Invalid login credentials' });
  });
});

describe('auth: the signed-in user', () => {
  it('getUser() returns the user object, unwrapped', async () => {
    const client = await stack.signedIn();
    const { data, error } = await client.auth.getUser();
    expect(error).toBeNull();
    expect(data.user).toMatchObject({ id: ADA.id, email: ADA.email, aud: 'authenticated', role: 'authenticated' });
    expect(data.user?.last_sign_in_at).toEqual(expect.any(String));
  });

  it('GET /user without a bearer token is 401 no_authorization', async () => {
    // (A publishable apikey alone would not do: Kong turns it into the anon JWT [docs/supabase-protocol.md §1].)
    const response = await fetch(`${stack.url}/auth/v1/user`, {
      headers: { 'X-Supabase-Api-Version': '2024-01-01' },
    });
    expect(response.status).toBe(401);
    expect(response.headers.get('x-supabase-api-version')).toBe('2024-01-01');
    expect(await response.json()).toEqual({ code: 'no_authorization', message: 'This endpoint requires a valid Bearer token' });
  });

  it('GET /user with a token signed by another secret is 403 bad_jwt', async () => {
    const client = await stack.signedIn();
    const token = (await client.auth.getSession()).data.session!.access_token;
    const [header, payload] = token.split('.');
    const response = await fetch(`${stack.url}/auth/v1/user`, {
      headers: { apikey: stack.anonKey, Authorization: `Bearer ${header}.${payload}.c2lnbmF0dXJl`, 'X-Supabase-Api-Version': '2024-01-01' },
    });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ code: 'bad_jwt' });
  });
});

describe('auth: refresh', () => {
  it('rotates the refresh token and issues a new access token for the same session', async () => {
    const client = await stack.signedIn();
    const before = (await client.auth.getSession()).data.session!;
    const { data, error } = await client.auth.refreshSession();
    expect(error).toBeNull();
    const after = data.session!;
    expect(after.refresh_token).not.toBe(before.refresh_token);
    expect(claimsOf(after.access_token).session_id).toBe(claimsOf(before.access_token).session_id);
    expect(after.user.id).toBe(ADA.id);
    const [old] = await stack.sql<{ revoked: boolean }>('select revoked from auth.refresh_tokens where token = $1', [before.refresh_token]);
    expect(old?.revoked).toBe(true);
  });

  it('gives a just-rotated token the current one (two tabs), and treats a late replay as reuse', async () => {
    const client = await stack.signedIn();
    const first = (await client.auth.getSession()).data.session!.refresh_token;
    const { data } = await client.auth.refreshSession();
    const current = data.session!.refresh_token;

    const refresh = (token: string) =>
      fetch(`${stack.url}/auth/v1/token?grant_type=refresh_token`, {
        method: 'POST',
        headers: { apikey: stack.anonKey, 'Content-Type': 'application/json', 'X-Supabase-Api-Version': '2024-01-01' },
        body: JSON.stringify({ refresh_token: token }),
      });
    const within = await refresh(first);
    expect(within.status).toBe(200);
    expect((await within.json()).refresh_token).toBe(current);

    // Past GoTrue's 10 s reuse interval the old token is a replay: refused, session revoked.
    await stack.sql(`update auth.refresh_tokens set created_at = now() - interval '1 minute' where parent = $1`, [first]);
    const late = await refresh(first);
    expect(late.status).toBe(400);
    expect(await late.json()).toEqual({ code: 'refresh_token_already_used', message: 'Invalid Refresh Token: Already Used' });
    expect((await refresh(current)).status).toBe(400);
  });

  it('refuses an unknown refresh token with refresh_token_not_found', async () => {
    const { error } = await stack.client().auth.refreshSession({ refresh_token: 'not-a-token' });
    expect(error).toMatchObject({ status: 400, code: 'refresh_token_not_found' });
  });
});

describe('auth: sign out', () => {
  it('ends the session: its access token no longer finds it and its refresh token is gone', async () => {
    const client = await stack.signedIn();
    const session = (await client.auth.getSession()).data.session!;
    const { error } = await client.auth.signOut();
    expect(error).toBeNull();
    expect((await client.auth.getSession()).data.session).toBeNull();

    const user = await fetch(`${stack.url}/auth/v1/user`, {
      headers: { apikey: stack.anonKey, Authorization: `Bearer ${session.access_token}`, 'X-Supabase-Api-Version': '2024-01-01' },
    });
    expect(user.status).toBe(403);
    expect(await user.json()).toMatchObject({ code: 'session_not_found' });

    const { error: refreshError } = await stack.client().auth.refreshSession({ refresh_token: session.refresh_token });
    expect(refreshError).toMatchObject({ status: 400, code: 'refresh_token_not_found' });
  });

  it('POST /logout answers 204', async () => {
    const client = await stack.signedIn();
    const token = (await client.auth.getSession()).data.session!.access_token;
    const response = await fetch(`${stack.url}/auth/v1/logout?scope=local`, {
      method: 'POST',
      headers: { apikey: stack.anonKey, Authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(204);
    expect(await response.text()).toBe('');
  });
});
