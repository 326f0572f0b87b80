// For tests of screens that read the server's lookups: a signed-in workspace on the test
// stack (the real API, through supabase-js) and a lookup entry only this run adds, so a
// test can show that a value inserted into a lookup table reaches the screen unchanged.
import { randomBytes } from 'node:crypto';
import type { ReactNode } from 'react';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { cleanup } from '@testing-library/react';
import type { SupabaseClient } from '@supabase/supabase-js';
import { signedInAs, stack, withDb } from '../../../../tests/support/stack.ts';
import type { DemoPerson } from '../../../../tests/support/demo-people.ts';
import { createApi, type RenubuClient } from '../../lib/api.ts';
import { WorkspaceContext, type Workspace } from '../../lib/context.ts';
import type { Profile } from '../../lib/types.ts';

export interface StackWorkspace {
  client: SupabaseClient;
  workspace: Workspace;
  /** The wrapper to render a screen in, signed in. */
  SignedIn: (props: { children: ReactNode }) => ReactNode;
}

export async function stackWorkspace(person: DemoPerson): Promise<StackWorkspace> {
  const client = await signedInAs(person);
  const { data, error } = await client.rpc('get_my_profile');
  if (error) throw new Error(error.message);
  const config = { supabaseUrl: stack.url, supabaseAnonKey: stack.anonKey, demoPeople: null };
  const workspace: Workspace = { api: createApi(client as unknown as RenubuClient, config), profile: data as Profile, config, signOut: async () => {} };
  const SignedIn = ({ children }: { children: ReactNode }) => <WorkspaceContext.Provider value={workspace}>{children}</WorkspaceContext.Provider>;
  return { client, workspace, SignedIn };
}

/** The lookup tables (docs/lookups.md) a test may add to. */
export type LookupTable = 'app.task_priorities' | 'app.workflow_types';

/**
 * Adds an entry with a key only this run uses (lowercase letters: the tables' rule for keys),
 * sorted last; returns its key and how to remove it again.
 */
export async function addLookupEntry(table: LookupTable, label: string): Promise<{ key: string; remove: () => Promise<void> }> {
  const key = `test_${Array.from(randomBytes(6), (byte) => String.fromCharCode(97 + (byte % 26))).join('')}`;
  await withDb((db) => db.query(`insert into ${table} (key, label, sort) select $1, $2, max(sort) + 1000 from ${table}`, [key, label]));
  return { key, remove: async () => { await withDb((db) => db.query(`delete from ${table} where key = $1`, [key])); } };
}

/** A lookup's entries in order, read from its table. */
export async function lookupRows(table: LookupTable): Promise<{ key: string; label: string }[]> {
  return withDb(async (db) => (await db.query<{ key: string; label: string }>(`select key, label from ${table} order by sort`)).rows);
}

/**
 * For the calling test file: a CSM signed in on the stack and an entry of `table` labelled
 * `label` that only this run adds (removed after the file); screens rendered are cleaned up
 * after each test. The fields are filled in before the first test runs.
 */
export function withAddedLookupEntry(table: LookupTable, label: string): { signedIn: StackWorkspace; key: string } {
  const state = {} as { signedIn: StackWorkspace; key: string };
  let remove = async () => {};
  beforeAll(async () => {
    state.signedIn = await stackWorkspace('csm');
    const added = await addLookupEntry(table, label);
    state.key = added.key;
    remove = added.remove;
  });
  afterEach(cleanup);
  afterAll(() => remove());
  return state;
}
