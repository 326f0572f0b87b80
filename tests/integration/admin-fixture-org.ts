// A throwaway organisation with an admin and a CSM who sign in through the gateway, for
// the admin-definitions suites: their overrides and settings must not change what the
// demo organisations show other suites. Removed afterwards.
import type { SupabaseClient } from '@supabase/supabase-js';
import { anonClient, withDb } from '../support/stack.ts';

const PASSWORD = 'fixture-password-not-a-secret';

export interface AdminFixtureOrg {
  orgId: string;
  adminId: string;
  csmId: string;
  signIn(who: 'admin' | 'csm'): Promise<SupabaseClient>;
  customer(name: string): Promise<string>;
  remove(): Promise<void>;
}

export async function createAdminFixtureOrg(label: string): Promise<AdminFixtureOrg> {
  const suffix = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const emails = { admin: `admin-${suffix}@${label}.test`, csm: `csm-${suffix}@${label}.test` };
  const ids = await withDb(async (db) => {
    const org = (await db.query<{ id: string }>('insert into app.organisations (name, slug) values ($1, $2) returning id',
      [`Fixture ${label}`, `${label}-${suffix}`])).rows[0]!.id;
    const person = async (role: 'admin' | 'csm') => {
      const { rows } = await db.query<{ id: string }>(
        `insert into auth.users (instance_id, id, aud, role, email, encrypted_password, email_confirmed_at,
                                 raw_app_meta_data, raw_user_meta_data, created_at, updated_at,
                                 confirmation_token, recovery_token, email_change_token_new, email_change)
         values ('00000000-0000-0000-0000-000000000000', gen_random_uuid(), 'authenticated', 'authenticated', $1,
                 extensions.crypt($2, extensions.gen_salt('bf', 4)), now(),
                 '{"provider": "email", "providers": ["email"]}', '{}', now(), now(), '', '', '', '')
         returning id`, [emails[role], PASSWORD]);
      const id = rows[0]!.id;
      await db.query(`insert into app.profiles (id, org_id, role, full_name, email, experience_level) values ($1, $2, $3, $4, $5, 'senior')`,
        [id, org, role, `Fixture ${role}`, emails[role]]);
      return id;
    };
    return { org, admin: await person('admin'), csm: await person('csm') };
  });
  return {
    orgId: ids.org,
    adminId: ids.admin,
    csmId: ids.csm,
    async signIn(who) {
      const client = anonClient();
      const { error } = await client.auth.signInWithPassword({ email: emails[who], password: PASSWORD });
      if (error) throw new Error(`fixture sign-in failed: ${error.message}`);
      return client;
    },
    async customer(name) {
      return withDb(async (db) => (await db.query<{ id: string }>(
        'insert into app.customers (org_id, name, arr, health_score, assigned_to) values ($1, $2, 90000, 45, $3) returning id',
        [ids.org, name, ids.csm])).rows[0]!.id);
    },
    async remove() {
      await withDb(async (db) => {
        // Executions hold their versions (on delete restrict): they go first.
        await db.query('delete from app.workflow_executions where org_id = $1', [ids.org]);
        await db.query('delete from app.organisations where id = $1', [ids.org]);
        await db.query('delete from auth.users where id = any($1::uuid[])', [[ids.admin, ids.csm]]);
      });
    },
  };
}
