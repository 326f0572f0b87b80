// Admin → People's Resend and Revoke through the real stack (docs/admin.md "Revoking or resending
// an invitation"): a sent invitation sent again mails a new link that voids the first; revoked,
// no link of it lets anyone in, it leaves People and the address can be invited again. An
// invitation of an address another organisation holds is sent again and revoked with the same
// answers, and its owner's account is untouched.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SupabaseClient } from '@supabase/supabase-js';
import { signedInAs } from '../support/stack.ts';
import { createAdminFixtureOrg } from './admin-fixture-org.ts';

const mailUrl = () => {
  const url = process.env.RENUBU_MAIL_URL;
  if (!url) throw new Error('RENUBU_MAIL_URL is not set: run the suite with `npm test`.');
  return url;
};

interface MailSummary { Links: string[] }

/** The invite links mailed to this address, newest first, once `count` have arrived. */
async function mailedLinks(email: string, count: number): Promise<URL[]> {
  for (let attempt = 0; attempt < 30; attempt += 1) {
    const res = await fetch(`${mailUrl()}/api/v1/messages?to=${encodeURIComponent(email)}`);
    const { messages } = (await res.json()) as { messages: MailSummary[] };
    const links = messages.flatMap((m) => m.Links.filter((l) => l.includes('/auth/v1/verify')).slice(0, 1)).map((l) => new URL(l));
    if (links.length >= count) return links;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`fewer than ${count} mails reached ${email}`);
}

/** What following a mailed link answers: the session's type, or Auth's error code. */
async function follow(link: URL): Promise<{ type: string | null; error: string | null }> {
  const followed = await fetch(link, { redirect: 'manual' });
  const fragment = new URLSearchParams(new URL(followed.headers.get('location')!).hash.slice(1));
  return { type: fragment.get('type'), error: fragment.get('error_code') ?? fragment.get('error') };
}

let admin: SupabaseClient;

beforeAll(async () => { admin = await signedInAs('admin'); });

const invite = (body: Record<string, unknown>) =>
  admin.functions.invoke('invite-person', { body, headers: { Origin: 'http://127.0.0.1:3000' } });
const resend = (invitationId: string) =>
  admin.functions.invoke('resend-invitation', { body: { invitation_id: invitationId }, headers: { Origin: 'http://127.0.0.1:3000' } });
const people = async () => ((await admin.rpc('list_people')).data as { id: string; email: string }[]);

describe('a pending invitation', () => {
  it('sent again mails a new link that voids the first; revoked, no link lets them in and the address can be invited again', async () => {
    const email = `rob.${randomUUID().slice(0, 8)}@acme.test`;
    const invited = await invite({ email, full_name: 'Rob Resent', role: 'csm' });
    expect(invited.error).toBeNull();
    const id = invited.data.person.id as string;
    const [first] = await mailedLinks(email, 1);

    const again = await resend(id);
    expect(again.error).toBeNull();
    expect(again.data).toEqual({ invitation: { id, email, full_name: 'Rob Resent', role: 'csm' } });
    const [second] = await mailedLinks(email, 2);
    expect(second!.href).not.toBe(first!.href);
    expect((await follow(first!)).error).toBe('otp_expired');

    const { data: revoked, error } = await admin.rpc('revoke_invitation', { invitation_id: id });
    expect(error).toBeNull();
    expect(revoked).toEqual({ revoked: { id, email, full_name: 'Rob Resent', role: 'csm' } });
    expect((await follow(second!)).type).toBeNull();
    expect((await follow(second!)).error).not.toBeNull();
    expect((await people()).some((p) => p.email === email)).toBe(false);

    const resentRevoked = await resend(id);
    expect(resentRevoked.response?.status).toBe(404);

    const invitedAgain = await invite({ email, full_name: 'Rob Resent', role: 'viewer' });
    expect(invitedAgain.error).toBeNull();
    const [third] = await mailedLinks(email, 3);
    expect((await follow(third!)).type).toBe('invite');
  });

  it('of an address another organisation holds, is sent again and revoked with the same answers, its owner untouched', async () => {
    const elsewhere = await createAdminFixtureOrg('resend');
    const owner = await elsewhere.signIn('admin');
    const email = ((await owner.rpc('get_my_profile')).data as { email: string }).email;
    const invited = await invite({ email, full_name: 'Ella Elsewhere', role: 'csm' });
    expect(invited.error).toBeNull();
    const id = invited.data.person.id as string;

    const again = await resend(id);
    expect(again.error).toBeNull();
    expect(again.data).toEqual({ invitation: { id, email, full_name: 'Ella Elsewhere', role: 'csm' } });
    const { data: revoked, error } = await admin.rpc('revoke_invitation', { invitation_id: id });
    expect(error).toBeNull();
    expect(revoked).toEqual({ revoked: { id, email, full_name: 'Ella Elsewhere', role: 'csm' } });
    expect((await people()).some((p) => p.id === id)).toBe(false);

    const stillOwner = await elsewhere.signIn('admin');
    expect(((await stillOwner.rpc('get_my_profile')).data as { org_id: string }).org_id).toBe(elsewhere.orgId);
    await elsewhere.remove();
  });

  it('is sent again at most three times in a day, then 409 in words an admin reads', async () => {
    const email = `rita.${randomUUID().slice(0, 8)}@acme.test`;
    const invited = await invite({ email, full_name: 'Rita Often', role: 'viewer' });
    const id = invited.data.person.id as string;
    for (let i = 0; i < 3; i += 1) expect((await resend(id)).error).toBeNull();
    const fourth = await resend(id);
    expect(fourth.response?.status).toBe(409);
    const body = await fourth.response!.json();
    expect(body.error).toMatchObject({ code: 'PT409', message: 'This invitation was sent again 3 times in the last 24 hours' });
  });
});
