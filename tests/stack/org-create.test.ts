// First run without the demo data: `renubu org create` makes an organisation and its first
// admin, who signs in to an empty but working workspace with the whole catalogue.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { anonClient, serviceClient } from '../support/stack.ts';

const run = promisify(execFile);
const cli = path.resolve('local/cli.mjs');

describe('renubu org create', () => {
  it('creates an organisation whose admin signs in to an empty workspace with the full catalogue', async () => {
    const tag = randomBytes(3).toString('hex');
    const email = `founder-${tag}@newteam.test`;
    const { stdout } = await run(process.execPath, [cli, 'org', 'create', '--name', `New Team ${tag}`, '--admin-email', email, '--admin-name', 'Fran Founder'],
      { env: process.env });
    const password = /password\s+(\S+)/.exec(stdout)?.[1];
    expect(stdout).toContain(`new-team-${tag}`);
    expect(password).toBeTruthy();

    const admin = anonClient();
    const { error: signInError } = await admin.auth.signInWithPassword({ email, password: password! });
    expect(signInError).toBeNull();
    const profile = await admin.rpc('get_my_profile');
    expect(profile.error).toBeNull();
    expect(profile.data).toMatchObject({ role: 'admin', full_name: 'Fran Founder' });

    const actions = await admin.rpc('list_saved_actions');
    expect(actions.error).toBeNull();
    expect((actions.data as { key: string }[]).map((a) => a.key).sort())
      .toEqual(['create_task', 'escalate', 'schedule_meeting', 'send_email', 'skip', 'snooze']);
    const queue = await admin.rpc('get_workflow_queue', { page_size: 10 });
    expect(queue.error).toBeNull();
    expect((queue.data as { items: unknown[] }).items).toEqual([]);
    const customers = await admin.rpc('list_customers', {});
    expect(customers.error).toBeNull();
  }, 60_000);

  it('names the flag and the value create_organisation refuses, exit 2, and creates no one', async () => {
    const tag = randomBytes(3).toString('hex');
    const refusals: [Record<string, string>, string][] = [
      [{ '--time-zone': 'Mars/Base' }, '--time-zone Mars/Base must be a known time zone such as Europe/Berlin.'],
      [{ '--slug': 'Bad Slug!' }, '--slug "Bad Slug!" must be lowercase words joined by hyphens.'],
      [{ '--name': '  ' }, '--name "  " must not be empty.'],
      [{ '--admin-email': 'not-an-email' }, '--admin-email not-an-email must be an email address.'],
    ];
    for (const [given, sentence] of refusals) {
      const email = `refused-${tag}-${Object.keys(given)[0]!.slice(2)}@newteam.test`;
      const flags = Object.entries({ '--name': `Refused ${tag}`, '--admin-email': email, ...given }).flat();
      const failure = await run(process.execPath, [cli, 'org', 'create', ...flags], { env: process.env })
        .then(() => undefined, (e: { code: number, stderr: string }) => e);
      expect(failure?.code, sentence).toBe(2);
      expect(failure?.stderr).toContain(`renubu: ${sentence}`);
      const { data } = await serviceClient().auth.admin.listUsers({ perPage: 1000 });
      expect(data.users.map((u) => u.email)).not.toContain(email);
    }
  }, 60_000);

  it('says a slug that another organisation has, with the flag that gives one of its own, and creates no one', async () => {
    const tag = randomBytes(3).toString('hex');
    const tries: [string[], string][] = [
      // The slug made from the name: the person gave no --slug, so the sentence names it.
      [['--name', 'Acme Cloud'], 'renubu: The slug acme-cloud, made from --name "Acme Cloud", is another organisation\'s: give this one its own with --slug.\n'],
      [['--name', `Acme ${tag}`, '--slug', 'acme-cloud'], 'renubu: --slug acme-cloud is another organisation\'s: give this one its own.\n'],
    ];
    for (const [given, sentence] of tries) {
      const email = `taken-${tag}-${given.length}@newteam.test`;
      const failure = await run(process.execPath, [cli, 'org', 'create', ...given, '--admin-email', email], { env: process.env })
        .then(() => undefined, (e: { code: number, stderr: string }) => e);
      expect(failure?.code, sentence).toBe(1);
      expect(failure?.stderr).toBe(sentence);
      const { data } = await serviceClient().auth.admin.listUsers({ perPage: 1000 });
      expect(data.users.map((u) => u.email)).not.toContain(email);
    }
  }, 60_000);

  it('refuses a second organisation for the same person, and callers other than the service role', async () => {
    const tag = randomBytes(3).toString('hex');
    const email = `twice-${tag}@newteam.test`;
    await run(process.execPath, [cli, 'org', 'create', '--name', `Once ${tag}`, '--admin-email', email], { env: process.env });
    await expect(run(process.execPath, [cli, 'org', 'create', '--name', `Twice ${tag}`, '--admin-email', email], { env: process.env }))
      .rejects.toMatchObject({ stderr: expect.stringContaining('already has an account') });

    const anon = await anonClient().rpc('create_organisation', {
      name: 'Sneaky', admin_user_id: '00000000-0000-4000-8000-000000000000', admin_full_name: 'X', admin_email: 'x@y.test',
    });
    expect(anon.status).toBe(401);
    const missingUser = await serviceClient().rpc('create_organisation', {
      name: `Ghost ${tag}`, admin_user_id: '00000000-0000-4000-8000-00000000beef', admin_full_name: 'X', admin_email: 'x@y.test',
    });
    expect(missingUser.error?.code).toBe('PT404');
  }, 60_000);
});
