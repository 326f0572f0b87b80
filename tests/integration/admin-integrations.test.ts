// The Integrations page's calls through supabase-js: an admin rotates the webhook secret
// with an overlap (the old one keeps working until it ends, then only the new one does),
// revokes it, and sees each delivery to the ingest function with its result.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SupabaseClient } from '@supabase/supabase-js';
import { signedHeaders } from '../../functions-shared/webhooks/standard-webhooks.ts';
import { stack, withDb } from '../support/stack.ts';
import { createFixtureOrg, type FixtureOrg } from './ingest-fixtures.ts';

let fixture: FixtureOrg;
let admin: SupabaseClient;

interface Overview {
  ingest_path: string;
  secrets: { id: string; label: string; secret_prefix: string; active: boolean; expires_at: string | null }[];
  deliveries: { webhook_id: string; status: number; outcome: string; event_count: number; message: string | null }[];
}

async function rpc<T>(fn: string, args: Record<string, unknown> = {}): Promise<T> {
  const { data, error } = await admin.rpc(fn, args);
  if (error) throw new Error(`${fn}: ${error.code} ${error.message}`);
  return data as T;
}

async function deliver(secret: string, id: string) {
  const text = JSON.stringify({ type: 'customer.upserted', data: { external_id: id, name: `Rotated ${id}`, arr: 1000 } });
  const headers = await signedHeaders(secret, id, text);
  return fetch(`${stack.url}/functions/v1/ingest/${fixture.slug}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: text });
}

beforeAll(async () => {
  fixture = await createFixtureOrg('integrations');
  await withDb((db) => db.query(`update app.profiles set role = 'admin' where id = $1`, [fixture.csmId]));
  admin = await fixture.signIn();
});

afterAll(async () => {
  await fixture?.remove();
});

describe('integrations', () => {
  it('rotation with overlap: the old secret works until revoked, the new one after; deliveries are listed', async () => {
    const before = await rpc<Overview>('get_integrations_overview');
    expect(before.ingest_path).toBe(`/functions/v1/ingest/${fixture.slug}`);
    const old = before.secrets[0]!;
    expect(old.secret_prefix).toBe(fixture.secret.slice(0, 12));

    const rotated = await rpc<{ secret: { id: string; secret: string }; previous: { expires_at: string } }>(
      'rotate_webhook_secret', { secret_id: old.id, overlap_hours: 1 });
    expect(Date.parse(rotated.previous.expires_at)).toBeGreaterThan(Date.now() + 55 * 60_000);

    expect((await deliver(fixture.secret, 'msg_old_during_overlap')).status).toBe(200);
    expect((await deliver(rotated.secret.secret, 'msg_new')).status).toBe(200);
    await rpc('revoke_webhook_secret', { secret_id: old.id });
    expect((await deliver(fixture.secret, 'msg_old_after_revoke')).status).toBe(401);
    expect((await deliver(rotated.secret.secret, 'msg_new')).status).toBe(200);

    const after = await rpc<Overview>('get_integrations_overview');
    expect(after.deliveries.slice(0, 4).map((d) => [d.webhook_id, d.status, d.outcome])).toEqual([
      ['msg_new', 200, 'replayed'],
      ['msg_old_after_revoke', 401, 'bad_signature'],
      ['msg_new', 200, 'applied'],
      ['msg_old_during_overlap', 200, 'applied'],
    ]);
    expect(after.deliveries[1]!.message).toMatch(/signature/i);
    expect(after.deliveries[3]!.event_count).toBe(1);
  });
});
