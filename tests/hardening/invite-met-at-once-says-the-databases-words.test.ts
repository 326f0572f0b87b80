// invite-person answers an invitation whose person was made meanwhile by the same invitation sent
// at the same time (create_invited_person refused: the user Auth gave back is a person already)
// in the database's words for that address, asked again: 409 PT409 "That person already belongs
// to an organisation" with its hint ('Look for them in the list of people; …'), the answer the
// same invitation gets when it is sent after. Before, that path had its own copy of the words,
// 'That person already belongs to an organisation.' with no hint (found by hand, 7 Dec 2026).
import { describe, expect, it } from 'vitest';
import type { SupabaseClient } from '@supabase/supabase-js';
import { handleInvitePerson } from '../../functions-shared/admin/invite.ts';
import { sinkTransport } from '../../functions-shared/actions/mail.ts';

const DATABASE_WORDS = { code: 'PT409', message: 'That person already belongs to an organisation',
                         hint: 'Look for them in the list of people; an invitation already sent stays valid.', details: null };

function fakes() {
  const called: string[] = [];
  let checks = 0;
  const caller = { rpc: async () => ({ data: { id: 'a0000000-0000-4000-8000-000000000001', role: 'admin' }, error: null, status: 200 }) };
  const service = {
    rpc: async (name: string) => {
      called.push(name);
      if (name === 'check_invited_person') {
        checks += 1;
        // Before Auth: nobody holds the address; asked again: the other request's person does.
        return checks === 1 ? { data: { ok: true, has_account: false }, error: null, status: 200 }
          : { data: null, error: DATABASE_WORDS, status: 409 };
      }
      return { data: null, error: { code: 'PT409', message: 'This person already belongs to an organisation', details: 'person_exists', hint: null }, status: 409 };
    },
    auth: { admin: {
      inviteUserByEmail: async () => ({ data: { user: { id: 'u1', created_at: new Date().toISOString(), email_confirmed_at: null } }, error: null }),
      deleteUser: async () => { called.push('deleteUser'); return { data: null, error: null }; },
    } },
  };
  return { called, deps: { caller: () => caller as unknown as SupabaseClient, service: service as unknown as SupabaseClient,
                           mail: sinkTransport, mailFrom: 'renubu@localhost' } };
}

describe('invite-person: the person made meanwhile by the same invitation', () => {
  it('is 409 in the database\'s words and hint for the address, and the user stays', async () => {
    const { called, deps } = fakes();
    const response = await handleInvitePerson(new Request('http://f/invite-person', {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: 'new.person@acme.test', full_name: 'New Person', role: 'csm' }),
    }), deps);
    expect({ status: response.status, body: await response.json() }).toEqual({ status: 409, body: { error: {
      code: 'PT409', message: 'That person already belongs to an organisation',
      details: 'Look for them in the list of people; an invitation already sent stays valid.',
    } } });
    expect(called).toEqual(['check_invited_person', 'create_invited_person', 'check_invited_person']);
  });
});
