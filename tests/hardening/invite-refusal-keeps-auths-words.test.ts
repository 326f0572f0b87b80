// invite-person answers an address the Auth admin API refuses (400/422) with its own words:
// 422 invalid_body "That email address cannot be invited." and a hint, never Auth's message
// (docs/api-contract.md: no error carries a provider's raw message). Nothing is created.
import { describe, expect, it, vi } from 'vitest';
import type { SupabaseClient } from '@supabase/supabase-js';
import { handleInvitePerson } from '../../functions-shared/admin/invite.ts';
import { sinkTransport } from '../../functions-shared/actions/mail.ts';

const AUTH_WORDS = 'Unable to validate email address: invalid format (gotrue 2.170, mailer smtp.internal:2525)';

function fakes() {
  const created: string[] = [];
  const caller = { rpc: async () => ({ data: { id: 'a0000000-0000-4000-8000-000000000001', role: 'admin' }, error: null, status: 200 }) };
  const service = {
    // check_invited_person's answer for a new address (asked before Auth, and again after it refused).
    rpc: async (name: string) => { created.push(name); return { data: { ok: true, has_account: false }, error: null, status: 200 }; },
    auth: { admin: {
      inviteUserByEmail: async () => ({ data: { user: null }, error: { status: 422, code: 'validation_failed', message: AUTH_WORDS } }),
      deleteUser: async () => ({ data: null, error: null }),
    } },
  };
  return { created, deps: { caller: () => caller as unknown as SupabaseClient, service: service as unknown as SupabaseClient,
                           mail: sinkTransport, mailFrom: 'renubu@localhost' } };
}

describe('invite-person: an address Auth refuses', () => {
  it('is 422 in Renubu\'s words, without Auth\'s message, and no profile is created', async () => {
    const { created, deps } = fakes();
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const response = await handleInvitePerson(new Request('http://f/invite-person', {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: 'new.person@acme.test', full_name: 'New Person', role: 'csm' }),
    }), deps);
    logged.mockRestore();
    expect(response.status).toBe(422);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ error: {
      code: 'invalid_body', message: 'That email address cannot be invited.', details: 'Check the address for a typo, or use another one.',
    } });
    expect(text).not.toMatch(/Unable to validate|gotrue|smtp/i);
    // Only asked, never made: the check before the mail and again after Auth refused it.
    expect(created).toEqual(['check_invited_person', 'check_invited_person']);
  });
});
