// `renubu token --email` signs a token for someone who could sign in now, and for nobody
// else: an invited person who has not joined, one whose invitation was revoked, a deactivated
// person and an account of no organisation are each refused in one sentence that says why
// and what to do, exit 1, and nothing is printed on stdout. Before, an invited person who had
// never joined got a token that acted as them.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SupabaseClient } from '@supabase/supabase-js';
import { withDb } from '../support/stack.ts';
import { createAdminFixtureOrg, type AdminFixtureOrg } from '../integration/admin-fixture-org.ts';

const run = promisify(execFile);
const cli = path.resolve('local/cli.mjs');

/** What `renubu token --email` answers: exit code, stdout, stderr. */
const token = (email: string) => run(process.execPath, [cli, 'token', '--email', email], { env: process.env })
  .then(({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (e: { code: number, stdout: string, stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }));

/** A refusal: exit 1, no token, one line on stderr starting with the sentence. */
function expectRefused(answer: { code: number, stdout: string, stderr: string }, sentence: RegExp) {
  expect(answer.code, answer.stderr).toBe(1);
  expect(answer.stdout).toBe('');
  expect(answer.stderr.trim().split('\n')).toHaveLength(1);
  expect(answer.stderr).toMatch(sentence);
}

let org: AdminFixtureOrg;
let admin: SupabaseClient;
beforeAll(async () => {
  org = await createAdminFixtureOrg('tokenwho');
  admin = await org.signIn('admin');
});
afterAll(async () => { await org?.remove(); });

const emailOf = (id: string) => withDb(async (db) => (await db.query<{ email: string }>('select email from auth.users where id = $1', [id])).rows[0]!.email);

describe('renubu token --email', () => {
  it('prints a token for a person who can sign in', async () => {
    const answer = await token(await emailOf(org.csmId));
    expect(answer.code, answer.stderr).toBe(0);
    expect(answer.stdout.trim()).toMatch(/^eyJ[\w-]+\.[\w-]+\.[\w-]+$/);
  });

  it('refuses an invited person who has not joined, and, once the invitation is revoked, says there is no account', async () => {
    const email = `ivy.${randomUUID().slice(0, 8)}@tokenwho.test`;
    const invited = await admin.functions.invoke('invite-person', {
      body: { email, full_name: 'Ivy Invited', role: 'csm' }, headers: { Origin: 'http://127.0.0.1:3000' },
    });
    expect(invited.error).toBeNull();
    expectRefused(await token(email), new RegExp(`^renubu: ${email.replace(/\./g, '\\.')} was invited and has not joined yet, so cannot sign in: .*invitation's link`));

    const revoked = await admin.rpc('revoke_invitation', { invitation_id: invited.data.person.id });
    expect(revoked.error).toBeNull();
    expectRefused(await token(email), /^renubu: No account has the email .* revoked/);
  });

  it('refuses a deactivated person', async () => {
    const email = await emailOf(org.csmId);
    await withDb((db) => db.query('update app.profiles set deactivated_at = now() where id = $1', [org.csmId]));
    expectRefused(await token(email), /^renubu: \S+ is deactivated, so cannot sign in: an admin reactivates them/);
  });

  it('refuses an account that belongs to no organisation', async () => {
    const email = `nobody.${randomUUID().slice(0, 8)}@tokenwho.test`;
    const id = randomUUID();
    await withDb((db) => db.query(
      `insert into auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at, created_at, updated_at,
                               confirmation_token, recovery_token, email_change_token_new, email_change)
       values ('00000000-0000-0000-0000-000000000000', $1, 'authenticated', 'authenticated', $2, '', now(), now(), now(), '', '', '', '')`,
      [id, email]));
    try {
      expectRefused(await token(email), /^renubu: \S+ has an account but belongs to no organisation/);
    } finally {
      await withDb((db) => db.query('delete from auth.users where id = $1', [id]));
    }
  });
});
