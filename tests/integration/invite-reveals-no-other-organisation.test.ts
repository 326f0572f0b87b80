// An admin cannot learn through an invitation whether an address has a Renubu account in
// another organisation (docs/admin.md "Inviting someone"): inviting a person of another
// organisation, or an address Auth holds for someone in no organisation, is answered as an
// invitation accepted for sending is (201, the same body), and nothing is created, mailed or
// moved. Before, those answered 409 "That person already belongs to an organisation" and
// "That email address already has an account", which said that the address had an account
// somewhere.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SupabaseClient } from '@supabase/supabase-js';
import { serviceClient, signedInAs, withDb } from '../support/stack.ts';

let ada: SupabaseClient;

beforeAll(async () => {
  ada = await signedInAs('admin');
});

async function invite(body: Record<string, unknown>) {
  const answer = await ada.functions.invoke('invite-person', { body, headers: { Origin: 'http://127.0.0.1:3000' } });
  const status = answer.error ? (answer.error.context as Response).status : 201;
  return { status, body: answer.error ? await (answer.error.context as Response).json() : answer.data };
}

/** What a caller can tell an answer by: its status and the keys (and kinds of value) of its body. */
function shapeOf(answer: { status: number; body: { person?: Record<string, unknown> } }) {
  const person = answer.body.person ?? {};
  return { status: answer.status, keys: Object.keys(answer.body).sort(),
           person: Object.fromEntries(Object.entries(person).map(([key, value]) => [key, value === null ? 'null' : typeof value])) };
}

const where = (email: string) => withDb(async (db) => (await db.query<{ org: string; users: number; profiles: number }>(
  `select (select string_agg(o.name, ',') from app.profiles p join app.organisations o on o.id = p.org_id where lower(p.email) = lower($1)) as org,
          (select count(*)::int from auth.users u where lower(u.email) = lower($1)) as users,
          (select count(*)::int from app.profiles p where lower(p.email) = lower($1)) as profiles`, [email])).rows[0]!);

/** How many mails reached this address (the local mail catcher's API). */
async function mailsTo(email: string): Promise<number> {
  const res = await fetch(`${process.env.RENUBU_MAIL_URL}/api/v1/messages?to=${encodeURIComponent(email)}`);
  return ((await res.json()) as { messages: unknown[] }).messages.length;
}

describe('inviting an address that has an account elsewhere', () => {
  it('answers as an invitation accepted for sending, and moves, makes and mails nothing', async () => {
    const fresh = await invite({ email: `fresh.${randomUUID().slice(0, 8)}@acme.test`, full_name: 'Fay Fresh', role: 'csm' });
    expect(fresh.status).toBe(201);

    const before = await where('gus.csm@globex.test');
    const mailsBefore = await mailsTo('gus.csm@globex.test');
    const elsewhere = await invite({ email: 'gus.csm@globex.test', full_name: 'Gus Again', role: 'csm', title: 'CSM' });
    expect(shapeOf(elsewhere)).toEqual({ ...shapeOf(fresh), person: { ...shapeOf(fresh).person, title: 'string' } });
    expect(elsewhere.body.person).toMatchObject({ email: 'gus.csm@globex.test', full_name: 'Gus Again', role: 'csm',
                                                  title: 'CSM', status: 'invited', active: true, open_workflows: 0 });
    // Gus stays Globex's, with his one account.
    expect(await where('gus.csm@globex.test')).toEqual(before);
    expect(before).toMatchObject({ org: 'Globex Analytics', users: 1, profiles: 1 });
    expect(await mailsTo('gus.csm@globex.test')).toBe(mailsBefore);
  });

  it('answers so for an account in no organisation too, which Auth will not invite again', async () => {
    const email = `loner.${randomUUID().slice(0, 8)}@elsewhere.test`;
    const made = await serviceClient().auth.admin.createUser({ email, password: 'a password of theirs', email_confirm: true });
    expect(made.error).toBeNull();
    const fresh = await invite({ email: `fresh.${randomUUID().slice(0, 8)}@acme.test`, full_name: 'Fay Fresh', role: 'viewer' });
    const answer = await invite({ email, full_name: 'Lone Person', role: 'viewer' });
    expect(shapeOf(answer)).toEqual(shapeOf(fresh));
    expect(await where(email)).toEqual({ org: null, users: 1, profiles: 0 });
    expect(await mailsTo(email)).toBe(0);
  });
});
