// A throwaway organisation for the ingest and customer-context suites: its own CSM (who
// signs in through the gateway like a real user), its own webhook secret, removed
// afterwards. Writing into the demo organisations would change what other suites count.
import type { SupabaseClient } from '@supabase/supabase-js';
import { generateSecret } from '../../functions-shared/webhooks/standard-webhooks.ts';
import { anonClient, withDb } from '../support/stack.ts';

export interface FixtureOrg {
  orgId: string;
  slug: string;
  secret: string;
  csmId: string;
  csmEmail: string;
  signIn(): Promise<SupabaseClient>;
  remove(): Promise<void>;
}

const PASSWORD = 'fixture-password-not-a-secret';

export async function createFixtureOrg(label: string): Promise<FixtureOrg> {
  const suffix = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const slug = `${label}-${suffix}`;
  const csmEmail = `csm-${suffix}@${label}.test`;
  const secret = generateSecret();
  const ids = await withDb(async (db) => {
    const { rows } = await db.query(
      `with o as (
         insert into app.organisations (name, slug) values ($1, $2) returning id
       ), u as (
         insert into auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
                                 raw_app_meta_data, raw_user_meta_data, created_at, updated_at,
                                 confirmation_token, recovery_token, email_change_token_new, email_change)
         values ('00000000-0000-0000-0000-000000000000', gen_random_uuid(), 'authenticated', 'authenticated', $3,
                 extensions.crypt($4, extensions.gen_salt('bf', 4)), now(),
                 '{"provider": "email", "providers": ["email"]}', '{}', now(), now(), '', '', '', '')
         returning id
       ), p as (
         insert into app.profiles (id, org_id, role, full_name, email, title, experience_level)
         select u.id, o.id, 'csm', 'Fixture Csm', $3, 'Customer Success Manager', 'senior' from o, u
         returning id, org_id
       ), s as (
         insert into app.webhook_secrets (org_id, label, secret) select org_id, 'fixture', $5 from p
       )
       select id as csm_id, org_id from p`,
      [`Fixture ${label}`, slug, csmEmail, PASSWORD, secret]);
    return rows[0] as { csm_id: string; org_id: string };
  });
  return {
    orgId: ids.org_id,
    slug,
    secret,
    csmId: ids.csm_id,
    csmEmail,
    async signIn() {
      const client = anonClient();
      const { error } = await client.auth.signInWithPassword({ email: csmEmail, password: PASSWORD });
      if (error) throw new Error(`fixture sign-in failed: ${error.message}`);
      return client;
    },
    async remove() {
      await withDb(async (db) => {
        await db.query('delete from app.organisations where id = $1', [ids.org_id]);
        await db.query('delete from auth.users where id = $1', [ids.csm_id]);
      });
    },
  };
}
