// A deactivated person whose access token has not expired yet is told their account is
// deactivated by every function, 403 42501 with the hint to ask an admin (docs/api-contract.md),
// as every RPC tells them. Before, three functions told them to sign in (401), which a
// deactivated person cannot: daily-brief ("Sign in to use this function."), invite-person
// ("Sign in as an admin to invite people.") and extract-contract ("Sign in again to read this
// document.", Storage's 403 taken for an expired token).
import type { SupabaseClient } from '@supabase/supabase-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stack, withDb } from '../support/stack.ts';
import { createAdminFixtureOrg, type AdminFixtureOrg } from './admin-fixture-org.ts';
import { accessToken } from './chat-fixtures.ts';

let org: AdminFixtureOrg;
let adminToken: string;
let csmToken: string;
let customerId: string;
let csm: SupabaseClient;

async function post(fn: string, token: string, body: unknown) {
  const response = await fetch(`${stack.url}/functions/v1/${fn}`, {
    method: 'POST',
    headers: { apikey: stack.anonKey, authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, error: ((await response.json()) as { error?: { code: string; message: string } }).error };
}

const DEACTIVATED = { status: 403, error: { code: '42501', message: 'Your account is deactivated' } };

beforeAll(async () => {
  org = await createAdminFixtureOrg('deactivated-fn');
  const admin: SupabaseClient = await org.signIn('admin');
  csm = await org.signIn('csm');
  adminToken = await accessToken(admin);
  csmToken = await accessToken(csm);
  customerId = await org.customer('Deactivated Reader Co');
  const upload = await csm.storage.from('contracts').upload(`${org.orgId}/${customerId}/msa.txt`,
    new Blob(['Master Services Agreement, starting 1 January 2026.'], { type: 'text/plain' }));
  expect(upload.error).toBeNull();
  await withDb((db) => db.query('update app.profiles set deactivated_at = now() where id = any($1::uuid[])', [[org.adminId, org.csmId]]));
});

afterAll(async () => {
  await org?.remove();
});

describe('a deactivated person\'s token at the functions', () => {
  it('daily-brief: 403 42501 "Your account is deactivated"', async () => {
    expect(await post('daily-brief', csmToken, { profile_id: org.csmId })).toMatchObject(DEACTIVATED);
  });

  it('invite-person: 403 42501 "Your account is deactivated"', async () => {
    expect(await post('invite-person', adminToken, { email: `invited-${Date.now()}@deactivated-fn.test`, full_name: 'Never Invited', role: 'viewer' }))
      .toMatchObject(DEACTIVATED);
  });

  it('extract-contract: 403 42501 "Your account is deactivated"', async () => {
    expect(await post('extract-contract', csmToken, { customer_id: customerId, object_path: `${org.orgId}/${customerId}/msa.txt` }))
      .toMatchObject(DEACTIVATED);
  });

  it('as the functions that asked the database already did: execute-action, chat', async () => {
    expect(await post('chat', csmToken, { thread_id: '00000000-0000-4000-8000-000000000001', content: 'hi', client_message_id: 'm1' }))
      .toMatchObject(DEACTIVATED);
  });
});

// Storage asks the same database: a link to a contract document is signed only for whom its
// read policy lets read it (app.contract_object_customer, through app.current_org_id, which
// refuses a deactivated caller), so a deactivated person's token mints none. A link already
// made lives only as long as the web app asks (CONTRACT_LINK_SECONDS, docs/contracts.md).
describe('a deactivated person\'s token at Storage', () => {
  it('signs no link to a contract document, one or many', async () => {
    const path = `${org.orgId}/${customerId}/msa.txt`;
    const one = await csm.storage.from('contracts').createSignedUrl(path, 300);
    expect(one.data).toBeNull();
    expect(one.error).toMatchObject({ statusCode: '403' });
    const many = await csm.storage.from('contracts').createSignedUrls([path], 300);
    expect((many.data ?? []).filter((entry) => entry.signedUrl)).toEqual([]);
  });
});
