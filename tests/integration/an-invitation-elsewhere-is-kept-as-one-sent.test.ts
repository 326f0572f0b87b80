// An invitation of an address with an account elsewhere is kept and shown as any invitation
// sent is (docs/admin.md "Inviting someone"): after a reload People lists it as invited, with
// who invited and when; Admin → Audit has its entry; inviting the address again is 409 as for
// a sent one; and the address's owner is told by mail that they must use another address.
// Before, the 201 it answered was all there was: no row after a reload, no audit entry, a
// second invitation 201 again, and no mail to anyone.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SupabaseClient } from '@supabase/supabase-js';
import { signedInAs, withDb } from '../support/stack.ts';

let ada: SupabaseClient;
let gina: SupabaseClient;

beforeAll(async () => {
  [ada, gina] = await Promise.all([signedInAs('admin'), signedInAs('otherAdmin')]);
});

async function invite(email: string, full_name: string, by: SupabaseClient = ada) {
  const answer = await by.functions.invoke('invite-person', { body: { email, full_name, role: 'csm' }, headers: { Origin: 'http://127.0.0.1:3000' } });
  const status = answer.error ? (answer.error.context as Response).status : 201;
  return { status, body: answer.error ? await (answer.error.context as Response).json() : answer.data };
}

async function peopleRow(email: string) {
  const { data, error } = await ada.rpc('list_people');
  expect(error).toBeNull();
  return (data as Array<Record<string, unknown>>).find((p) => p.email === email);
}

async function auditEntry(entityId: string) {
  const { data, error } = await ada.rpc('list_admin_audit', { entity: 'person', page_size: 100 });
  expect(error).toBeNull();
  return (data as { items: Array<Record<string, unknown>> }).items.find((i) => i.entity_id === entityId);
}

/** An address that is a person of Globex Analytics (invited there by its admin), which no other test invites. */
async function addressOfGlobex(): Promise<string> {
  const email = `globex.${randomUUID().slice(0, 8)}@globex.test`;
  expect((await invite(email, 'Gil Globex', gina)).status).toBe(201);
  return email;
}

/** Keys, and kinds of value, of a record: what tells two answers apart to someone who cannot see the data. */
const shape = (row: Record<string, unknown> | undefined) =>
  Object.fromEntries(Object.entries(row ?? {}).map(([key, value]) => [key, value === null ? 'null' : typeof value]));

describe('an invitation of an address with an account in another organisation', () => {
  it('is listed, audited and refused again as a sent one is', async () => {
    const freshEmail = `fresh.${randomUUID().slice(0, 8)}@acme.test`;
    const sent = await invite(freshEmail, 'Fay Fresh');
    const elsewhere = await addressOfGlobex();
    const kept = await invite(elsewhere, 'Gus Again');
    expect([sent.status, kept.status]).toEqual([201, 201]);

    const sentRow = await peopleRow(freshEmail);
    const keptRow = await peopleRow(elsewhere);
    expect(keptRow).toMatchObject({ id: kept.body.person.id, full_name: 'Gus Again', status: 'invited',
                                    invited_by: { full_name: 'Ada Admin' } });
    expect(sentRow).toMatchObject({ status: 'invited', invited_by: { full_name: 'Ada Admin' } });
    expect(shape(keptRow)).toEqual(shape(sentRow));

    const sentAudit = await auditEntry(sent.body.person.id);
    const keptAudit = await auditEntry(kept.body.person.id);
    expect(keptAudit).toMatchObject({ action: 'invite', after: { email: elsewhere, full_name: 'Gus Again' } });
    expect(Object.keys((keptAudit?.after ?? {}) as object).sort()).toEqual(Object.keys((sentAudit?.after ?? {}) as object).sort());

    const sentAgain = await invite(freshEmail, 'Fay Fresh');
    const keptAgain = await invite(elsewhere, 'Gus Again');
    expect(sentAgain.status).toBe(409);
    expect(keptAgain).toEqual(sentAgain);
  });

  it('tells the address by mail that it must be another address, and nobody of the organisation can read that', async () => {
    const elsewhere = await addressOfGlobex();
    const { status, body } = await invite(elsewhere, 'Gus Once More');
    expect(status).toBe(201);
    const notices = await withDb(async (db) => (await db.query<{ to_address: string; subject: string; body_text: string }>(
      `select n.to_address, n.subject, n.body_text from app.invitation_notices n
         join app.invitations i on i.id = n.invitation_id
         join app.organisations o on o.id = i.org_id
        where n.to_address = $1 and o.name = 'Acme Cloud'`, [elsewhere])).rows);
    expect(notices).toHaveLength(1);
    expect(notices[0]!.subject).toMatch(/Acme Cloud/);
    expect(notices[0]!.body_text).toMatch(/another address/);
    expect(JSON.stringify(body)).not.toMatch(/another address|Globex/);
  });
});
