// @vitest-environment happy-dom
// The new-task form offers the priorities the server defines (list_task_options, read from
// the lookup table app.task_priorities), with their labels: a priority added on the server
// appears in the form with nothing changed in the web app. Runs against the test stack.
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import type { ReactNode } from 'react';
import type { SupabaseClient } from '@supabase/supabase-js';
import { signedInAs, stack, withDb } from '../../../../tests/support/stack.ts';
import { createApi, type RenubuClient } from '../../lib/api.ts';
import { WorkspaceContext, type Workspace } from '../../lib/context.ts';
import type { Profile } from '../../lib/types.ts';
import { CreateTaskForm } from './CreateTaskForm.tsx';

// A key only this run uses (lowercase letters: the table's rule for keys).
const key = `test_${Array.from(randomBytes(6), (byte) => String.fromCharCode(97 + (byte % 26))).join('')}`;
let csm: SupabaseClient;
let profile: Profile;
let workspace: Workspace;

beforeAll(async () => {
  csm = await signedInAs('csm');
  const { data, error } = await csm.rpc('get_my_profile');
  if (error) throw new Error(error.message);
  profile = data as Profile;
  const config = { supabaseUrl: stack.url, supabaseAnonKey: stack.anonKey, showDemoUsers: false };
  workspace = { api: createApi(csm as unknown as RenubuClient, config), profile, config, signOut: async () => {} };
  await withDb((db) => db.query(
    "insert into app.task_priorities (key, label, sort) select $1, 'Hair on fire', max(sort) + 1000 from app.task_priorities", [key]));
});
afterEach(cleanup);
afterAll(async () => {
  await withDb((db) => db.query('delete from app.task_priorities where key = $1', [key]));
});

function SignedIn({ children }: { children: ReactNode }) {
  return <WorkspaceContext.Provider value={workspace}>{children}</WorkspaceContext.Provider>;
}

describe('the new-task form', () => {
  it('offers the server\'s priorities with their labels, a newly added one too', async () => {
    const expected = await withDb(async (db) => (await db.query<{ key: string; label: string }>(
      'select key, label from app.task_priorities order by sort')).rows);
    render(<CreateTaskForm customer={{ id: 'c', name: 'Globex' }} onCreated={() => undefined} />, { wrapper: SignedIn });
    const select = within(screen.getByRole('form', { name: 'New task' })).getByLabelText('Priority') as HTMLSelectElement;
    await waitFor(() => expect(select.options.length).toBe(expected.length));
    expect(Array.from(select.options).map((option) => ({ key: option.value, label: option.textContent }))).toEqual(expected);
    expect(expected.at(-1)).toEqual({ key, label: 'Hair on fire' });
    expect(select.value).toBe('medium');
  });
});
