// How tests reach the stack that `npm test` brought up (local/test-all.mjs sets these).
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import pg from 'pg';
import { DEMO_PASSWORD, DEMO_PEOPLE, type DemoPerson } from './demo-people.ts';

function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: run the suite with \`npm test\`, which starts a throwaway stack.`);
  }
  return value;
}

export const stack = {
  get url() { return required('SUPABASE_URL'); },
  get anonKey() { return required('SUPABASE_ANON_KEY'); },
  get serviceRoleKey() { return required('SUPABASE_SERVICE_ROLE_KEY'); },
  get dbUrl() { return required('SUPABASE_DB_URL'); },
};

/** A browser-like client: no session persistence between tests, no background refresh. */
export function anonClient(): SupabaseClient {
  return createClient(stack.url, stack.anonKey, {
    auth: { persistSession: false, autoRefreshToken: false },
  });
}

export function serviceClient(): SupabaseClient {
  return createClient(stack.url, stack.serviceRoleKey, {
    auth: { persistSession: false, autoRefreshToken: false },
  });
}

/** Signs in as one of the seeded demo people, as the web app does. */
export async function signedInAs(person: DemoPerson): Promise<SupabaseClient> {
  const client = anonClient();
  const { error } = await client.auth.signInWithPassword({ email: DEMO_PEOPLE[person], password: DEMO_PASSWORD });
  if (error) throw new Error(`sign-in as ${person} failed: ${error.message}`);
  return client;
}

/** Direct SQL for arranging fixtures and checking what was (not) written. */
export async function withDb<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: stack.dbUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
