// People administration through supabase-js, as the Admin pages call it: an admin invites a
// CSM (invite-person → Auth admin API → mail in the local mail catcher), who opens the link,
// sets a password and signs in; a deactivated person cannot sign in (nor refresh) and
// their open work is listed; a person changes their own password.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SupabaseClient } from '@supabase/supabase-js';
import { anonClient, signedInAs } from '../support/stack.ts';

const mailUrl = () => {
  const url = process.env.RENUBU_MAIL_URL;
  if (!url) throw new Error('RENUBU_MAIL_URL is not set: run the suite with `npm test`.');
  return url;
};

interface MailSummary { ID: string; Subject: string; Links: string[]; To: { Address: string }[] }

/** The newest invite or reset link mailed to this address, from the mail catcher's API. */
async function mailedLink(email: string): Promise<URL> {
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const res = await fetch(`${mailUrl()}/api/v1/messages?to=${encodeURIComponent(email)}`);
    const { messages } = (await res.json()) as { messages: MailSummary[] };
    const link = messages[0]?.Links.find((l) => l.includes('/auth/v1/verify'));
    if (link) return new URL(link);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no mail reached ${email}`);
}

/** How many mails reached this address. */
async function mailCount(email: string): Promise<number> {
  const res = await fetch(`${mailUrl()}/api/v1/messages?to=${encodeURIComponent(email)}`);
  return ((await res.json()) as { messages: MailSummary[] }).messages.length;
}

/** Follows the mailed link as a browser would and returns a client holding that session. */
async function openLink(link: URL): Promise<{ client: SupabaseClient; type: string | null }> {
  const followed = await fetch(link, { redirect: 'manual' });
  expect(followed.status).toBe(303);
  const fragment = new URLSearchParams(new URL(followed.headers.get('location')!).hash.slice(1));
  expect(fragment.get('error')).toBeNull();
  const client = anonClient();
  const { error } = await client.auth.setSession({ access_token: fragment.get('access_token')!, refresh_token: fragment.get('refresh_token')! });
  expect(error).toBeNull();
  return { client, type: fragment.get('type') };
}

async function rpc<T>(client: SupabaseClient, fn: string, args: Record<string, unknown> = {}): Promise<T> {
  const { data, error } = await client.rpc(fn, args);
  if (error) throw new Error(`${fn}: ${error.code} ${error.message}`);
  return data as T;
}

/** The newest mail to this address as the mail catcher holds it: subject, text and HTML. */
async function newestMail(email: string): Promise<{ Subject: string; Text: string; HTML: string }> {
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const res = await fetch(`${mailUrl()}/api/v1/messages?to=${encodeURIComponent(email)}`);
    const { messages } = (await res.json()) as { messages: MailSummary[] };
    if (messages[0]) return (await fetch(`${mailUrl()}/api/v1/message/${messages[0].ID}`)).json();
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no mail reached ${email}`);
}

let admin: SupabaseClient;
let adminProfile: { id: string; org_id: string; full_name: string; org_name: string };
let manager: { id: string };

beforeAll(async () => {
  admin = await signedInAs('admin');
  adminProfile = await rpc(admin, 'get_my_profile');
  const maria = await signedInAs('manager');
  manager = await rpc(maria, 'get_my_profile');
});

async function invite(body: Record<string, unknown>, as: SupabaseClient = admin) {
  return as.functions.invoke('invite-person', { body, headers: { Origin: 'http://127.0.0.1:3000' } });
}

describe('invite-person', () => {
  it('an admin invites a CSM who opens the mailed link, sets a password and signs in', async () => {
    const email = `new.csm.${randomUUID().slice(0, 8)}@acme.test`;
    const { data, error } = await invite({ email, full_name: 'Nina New', role: 'csm', manager_id: manager.id, title: 'CSM' });
    expect(error).toBeNull();
    expect(data.person).toMatchObject({ email, full_name: 'Nina New', role: 'csm', manager_id: manager.id, status: 'invited' });

    const people = await rpc<{ email: string; status: string }[]>(admin, 'list_people');
    expect(people.find((p) => p.email === email)?.status).toBe('invited');

    const link = await mailedLink(email);
    expect(link.searchParams.get('redirect_to')).toBe('http://127.0.0.1:3000/set-password');
    const { client, type } = await openLink(link);
    expect(type).toBe('invite');
    expect((await client.auth.updateUser({ password: 'nina chose this' })).error).toBeNull();

    const fresh = anonClient();
    expect((await fresh.auth.signInWithPassword({ email, password: 'nina chose this' })).error).toBeNull();
    const profile = await rpc<{ org_id: string; role: string; manager_id: string }>(fresh, 'get_my_profile');
    expect(profile).toMatchObject({ org_id: adminProfile.org_id, role: 'csm', manager_id: manager.id });

    const audit = await rpc<{ items: { action: string; entity_id: string; actor: { id: string } }[] }>(admin, 'list_admin_audit', { entity: 'person' });
    expect(audit.items.find((i) => i.entity_id === data.person.id)).toMatchObject({ action: 'invite', actor: { id: adminProfile.id } });
  });

  it('the invitation mail says who invited the person and to which organisation, from the template hosted Auth uses', async () => {
    const email = `told.${randomUUID().slice(0, 8)}@acme.test`;
    const { error } = await invite({ email, full_name: 'Tom Told', role: 'csm' });
    expect(error).toBeNull();
    const said = `${adminProfile.full_name} invited you to join ${adminProfile.org_name} on Renubu`;
    const mail = await newestMail(email);
    expect(mail.Subject).toBe(said);
    expect(mail.Text).toContain(said);
    expect(mail.HTML).toContain(said);
    // The link still lands where an invitation's does.
    expect((await mailedLink(email)).searchParams.get('type')).toBe('invite');
  });

  it('refuses a non-admin (403), an existing account (409) and a bad body (422)', async () => {
    const maria = await signedInAs('manager');
    const asManager = await invite({ email: `x.${randomUUID().slice(0, 8)}@acme.test`, full_name: 'X', role: 'csm' }, maria);
    expect(asManager.error?.context?.status).toBe(403);
    const existing = await invite({ email: 'sam.csm@acme.test', full_name: 'Sam Again', role: 'csm' });
    expect(existing.error?.context?.status).toBe(409);
    const bad = await invite({ email: 'not an email', full_name: '', role: 'owner' });
    expect(bad.error?.context?.status).toBe(422);
  });

  it('a manager of another organisation is refused before anything is created or mailed', async () => {
    const gina = await signedInAs('otherAdmin');
    const theirs = await rpc<{ id: string }>(gina, 'get_my_profile');
    const email = `cross.${randomUUID().slice(0, 8)}@acme.test`;
    const { error } = await invite({ email, full_name: 'Cross Org', role: 'csm', manager_id: theirs.id });
    expect(error?.context?.status).toBe(400);
    // No account was left behind, so a retry starts clean …
    const retry = await invite({ email, full_name: 'Cross Org', role: 'csm' });
    expect(retry.error).toBeNull();
    // … and the refused invitation mailed nothing: the retry's invite is the only mail.
    await mailedLink(email);
    expect(await mailCount(email)).toBe(1);
  });
});

describe('an invitation sent again under its key (its answer lost)', () => {
  it('answers the person the first made and mails nothing more; another invitation under the key is refused', async () => {
    const email = `again.${randomUUID().slice(0, 8)}@acme.test`;
    const key = randomUUID();
    const body = { email, full_name: 'Ana Again', role: 'csm', title: 'CSM', idempotency_key: key };
    const first = await invite(body);
    expect(first.error).toBeNull();
    await mailedLink(email);
    const again = await invite(body);
    expect({ error: again.error?.message ?? null, person: again.data?.person?.id, replayed: again.data?.replayed })
      .toEqual({ error: null, person: first.data.person.id, replayed: true });
    const changed = await invite({ ...body, full_name: 'Ana Changed' });
    expect(changed.error?.context?.status).toBe(409);
    expect(await changed.error?.context?.json()).toMatchObject({ error: { code: 'PT409', message: 'this key was used for a different request' } });
    expect(await mailCount(email)).toBe(1);
  });
});

describe('an invitation already sent', () => {
  it('is not sent again by another organisation, which would mail a new link and void the first', async () => {
    const email = `pending.${randomUUID().slice(0, 8)}@acme.test`;
    expect((await invite({ email, full_name: 'Pat Pending', role: 'csm' })).error).toBeNull();
    const first = await mailedLink(email);
    const gina = await signedInAs('otherAdmin');
    // Answered as any invitation accepted for sending (the address's organisation is not
    // Globex's to know: tests/integration/invite-reveals-no-other-organisation.test.ts) …
    const { data, error } = await invite({ email, full_name: 'Pat Pending', role: 'csm' }, gina);
    expect(error).toBeNull();
    expect(data.person).toMatchObject({ email, status: 'invited' });
    // … and nothing is sent or moved: Pat stays Acme's.
    expect((await rpc<{ email: string }[]>(admin, 'list_people')).some((p) => p.email === email)).toBe(true);
    expect(await mailCount(email)).toBe(1);
    // The link Acme sent still works.
    const { type } = await openLink(first);
    expect(type).toBe('invite');
  });
});

describe('deactivating a person', () => {
  it('lists their open work, refuses their sign-in and refresh, and reactivation lets them back', async () => {
    const email = `leaver.${randomUUID().slice(0, 8)}@acme.test`;
    const { data } = await invite({ email, full_name: 'Lee Leaver', role: 'csm' });
    const { client } = await openLink(await mailedLink(email));
    await client.auth.updateUser({ password: 'leaver password' });
    const signedIn = anonClient();
    await signedIn.auth.signInWithPassword({ email, password: 'leaver password' });
    const { data: before } = await signedIn.auth.getSession();

    const result = await rpc<{ person: { active: boolean }; open_work: { executions: unknown[]; tasks: unknown[]; customers: number } }>(
      admin, 'update_person', { profile_id: data.person.id, changes: { active: false } });
    expect(result.person.active).toBe(false);
    expect(result.open_work).toEqual({ executions: [], tasks: [], customers: 0 });

    const refused = await anonClient().auth.signInWithPassword({ email, password: 'leaver password' });
    expect(refused.error).toMatchObject({ status: 400, code: 'user_banned' });
    const refresh = await anonClient().auth.refreshSession({ refresh_token: before.session!.refresh_token });
    expect(refresh.error?.status).toBe(400);

    await rpc(admin, 'update_person', { profile_id: data.person.id, changes: { active: true } });
    expect((await anonClient().auth.signInWithPassword({ email, password: 'leaver password' })).error).toBeNull();
  });
});

describe('changing one\'s own password', () => {
  it('works with updateUser, and a reset link from the sign-in page works too', async () => {
    const email = `changer.${randomUUID().slice(0, 8)}@acme.test`;
    await invite({ email, full_name: 'Cam Changer', role: 'viewer' });
    const { client } = await openLink(await mailedLink(email));
    expect((await client.auth.updateUser({ password: 'first password' })).error).toBeNull();
    expect((await client.auth.updateUser({ password: 'second password' })).error).toBeNull();
    expect((await anonClient().auth.signInWithPassword({ email, password: 'first password' })).error?.code).toBe('invalid_credentials');
    expect((await anonClient().auth.signInWithPassword({ email, password: 'second password' })).error).toBeNull();

    expect((await anonClient().auth.resetPasswordForEmail(email, { redirectTo: 'http://127.0.0.1:3000/set-password' })).error).toBeNull();
    const reset = await openLink(await mailedLink(email));
    expect(reset.type).toBe('recovery');
    expect((await reset.client.auth.updateUser({ password: 'third password' })).error).toBeNull();
    expect((await anonClient().auth.signInWithPassword({ email, password: 'third password' })).error).toBeNull();
  });
});
