// resend-invitation (docs/admin.md "Revoking or resending an invitation"): the database stores
// the resend first (record_invitation_resend), then the mail goes — Auth's invitation again for
// a sent one, the stored notice for one that made nobody — and the admin is answered the same
// for both. A refusal (not pending, too often, not an admin, a bad body) mails nothing.
import { describe, expect, it, vi } from 'vitest';
import type { SupabaseClient } from '@supabase/supabase-js';
import { handleResendInvitation } from '../../functions-shared/admin/resend-invitation.ts';
import type { MailMessage } from '../../functions-shared/actions/mail.ts';

const ADMIN = { id: 'a0000000-0000-4000-8000-000000000001', role: 'admin', full_name: 'Ada Admin', org_name: 'Acme Cloud' };
const INVITATION_ID = 'b0000000-0000-4000-8000-000000000002';
const INVITATION = { id: INVITATION_ID, email: 'new.person@acme.test', full_name: 'New Person', role: 'csm' };
const NOTICE = { to: INVITATION.email, subject: 'Your invitation to Acme Cloud on Renubu', text: 'Ada Admin invited …' };

type Recorded = { data: unknown; error: { code: string; message: string; hint?: string } | null };

function fakes({ profile = ADMIN, recorded = { data: { invitation: INVITATION }, error: null } as Recorded,
                 authError = null as { status: number; code: string; message: string } | null } = {}) {
  const calls: string[] = [];
  const mailed: MailMessage[] = [];
  const invited: { email: string; options: unknown }[] = [];
  const caller = { rpc: async () => ({ data: profile, error: null, status: 200 }) };
  const service = {
    rpc: async (name: string, args: unknown) => {
      calls.push(`${name} ${JSON.stringify(args)}`);
      return { ...recorded, status: recorded.error ? 409 : 200 };
    },
    auth: { admin: { inviteUserByEmail: async (email: string, options: unknown) => {
      calls.push(`invite ${email}`);
      invited.push({ email, options });
      return { data: { user: authError ? null : { id: INVITATION_ID } }, error: authError };
    } } },
  };
  const mail = { name: 'fake', send: async (message: MailMessage) => {
    calls.push(`mail ${message.to.join(',')}`);
    mailed.push(message);
    return { status: 'sent' as const, transport: 'fake', providerMessageId: null };
  } };
  const deps = { caller: () => caller as unknown as SupabaseClient, service: service as unknown as SupabaseClient,
                 mail, mailFrom: 'renubu@localhost', siteUrl: 'https://app.renubu.example' };
  return { calls, mailed, invited, deps };
}

function resend(body: unknown) {
  return new Request('http://f/resend-invitation', {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
  });
}

describe('resend-invitation', () => {
  it('stores the resend first, then has Auth invite the sent one again in the first mail\'s words', async () => {
    const { calls, invited, mailed, deps } = fakes();
    const response = await handleResendInvitation(resend({ invitation_id: INVITATION_ID }), deps);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ invitation: INVITATION });
    expect(calls).toEqual([`record_invitation_resend ${JSON.stringify({ actor_id: ADMIN.id, invitation_id: INVITATION_ID })}`,
                           `invite ${INVITATION.email}`]);
    expect(invited[0]!.options).toEqual({
      data: { full_name: 'New Person', invited_by_name: 'Ada Admin', organisation_name: 'Acme Cloud' },
      redirectTo: 'https://app.renubu.example/set-password',
    });
    expect(mailed).toEqual([]);
  });

  it('mails the stored notice again for one that made nobody, and answers exactly as for a sent one', async () => {
    const { calls, mailed, deps } = fakes({ recorded: { data: { invitation: INVITATION, notice: NOTICE }, error: null } });
    const response = await handleResendInvitation(resend({ invitation_id: INVITATION_ID }), deps);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ invitation: INVITATION });
    expect(calls.map((c) => c.split(' ')[0])).toEqual(['record_invitation_resend', 'mail']);
    expect(mailed).toEqual([{ from: 'renubu@localhost', to: [NOTICE.to], subject: NOTICE.subject, text: NOTICE.text }]);
  });

  it('says the database\'s refusal (sent again too often) and mails nothing', async () => {
    const { calls, deps } = fakes({ recorded: { data: null, error: {
      code: 'PT409', message: 'This invitation was sent again 3 times in the last 24 hours', hint: 'Ask them to look in their spam folder.' } } });
    const response = await handleResendInvitation(resend({ invitation_id: INVITATION_ID }), deps);
    expect(response.status).toBe(409);
    expect(await response.json()).toEqual({ error: {
      code: 'PT409', message: 'This invitation was sent again 3 times in the last 24 hours', details: 'Ask them to look in their spam folder.' } });
    expect(calls.map((c) => c.split(' ')[0])).toEqual(['record_invitation_resend']);
  });

  it('refuses anyone but an admin before anything is stored', async () => {
    const { calls, deps } = fakes({ profile: { ...ADMIN, role: 'manager' } });
    const response = await handleResendInvitation(resend({ invitation_id: INVITATION_ID }), deps);
    expect(response.status).toBe(403);
    expect((await response.json()).error.code).toBe('42501');
    expect(calls).toEqual([]);
  });

  it.each([[{}], [{ invitation_id: 'not-an-id' }], [{ invitation_id: INVITATION_ID, email: 'x@y.z' }]])(
    'refuses a body that names no invitation (%j) before anything is stored', async (body) => {
      const { calls, deps } = fakes();
      const response = await handleResendInvitation(resend(body), deps);
      expect(response.status).toBe(422);
      expect(calls).toEqual([]);
    });

  it('says Auth failing in its own words, never Auth\'s', async () => {
    const { deps } = fakes({ authError: { status: 500, code: 'unexpected_failure', message: 'smtp.internal:2525 refused' } });
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const response = await handleResendInvitation(resend({ invitation_id: INVITATION_ID }), deps);
    logged.mockRestore();
    expect(response.status).toBe(502);
    const text = await response.text();
    expect(JSON.parse(text).error).toEqual({ code: 'auth_unavailable', message: 'The invitation could not be sent again. Please try again.', details: null });
    expect(text).not.toMatch(/smtp/);
  });

  it.each([[500, 502], [429, 429]])('gives a resend Auth failed (%i) back to the allowance, then says the failure', async (status, answered) => {
    const { calls, deps } = fakes({ authError: { status, code: 'unexpected_failure', message: 'down' } });
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const response = await handleResendInvitation(resend({ invitation_id: INVITATION_ID }), deps);
    logged.mockRestore();
    expect(response.status).toBe(answered);
    const args = JSON.stringify({ actor_id: ADMIN.id, invitation_id: INVITATION_ID });
    expect(calls).toEqual([`record_invitation_resend ${args}`, `invite ${INVITATION.email}`, `record_failed_invitation_resend ${args}`]);
  });

  it('gives a notice whose mail failed back to the allowance, and answers as for one that went out', async () => {
    const { calls, deps } = fakes({ recorded: { data: { invitation: INVITATION, notice: NOTICE }, error: null } });
    deps.mail.send = async () => { calls.push('mail'); throw new Error('mail server down'); };
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const response = await handleResendInvitation(resend({ invitation_id: INVITATION_ID }), deps);
    logged.mockRestore();
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ invitation: INVITATION });
    expect(calls.map((c) => c.split(' ')[0])).toEqual(['record_invitation_resend', 'mail', 'record_failed_invitation_resend']);
  });
});
