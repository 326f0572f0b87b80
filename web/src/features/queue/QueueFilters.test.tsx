// @vitest-environment happy-dom
// The queue's Type filter offers the server's workflow types (list_workflow_types, read from
// the lookup table app.workflow_types) in its order and with its labels: a type added on the
// server appears with nothing changed in the web app. Stages, plans and lanes are the API's
// enums. Runs against the test stack.
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import type { ReactNode } from 'react';
import type { SupabaseClient } from '@supabase/supabase-js';
import { signedInAs, stack, withDb } from '../../../../tests/support/stack.ts';
import { AccountPlan, QueueLane, RenewalStage } from '../../../../functions-shared/api/index.ts';
import { createApi, type RenubuClient } from '../../lib/api.ts';
import { WorkspaceContext, type Workspace } from '../../lib/context.ts';
import type { Profile } from '../../lib/types.ts';
import { EMPTY_FILTER, toServerFilters } from './filterQueue.ts';
import { QueueFilters } from './QueueFilters.tsx';

// A key only this run uses (lowercase letters: the table's rule for keys).
const key = `test_${Array.from(randomBytes(6), (byte) => String.fromCharCode(97 + (byte % 26))).join('')}`;
let csm: SupabaseClient;
let workspace: Workspace;

beforeAll(async () => {
  csm = await signedInAs('csm');
  const { data, error } = await csm.rpc('get_my_profile');
  if (error) throw new Error(error.message);
  const config = { supabaseUrl: stack.url, supabaseAnonKey: stack.anonKey, showDemoUsers: false };
  workspace = { api: createApi(csm as unknown as RenubuClient, config), profile: data as Profile, config, signOut: async () => {} };
  await withDb((db) => db.query(
    "insert into app.workflow_types (key, label, sort) select $1, 'Land and expand', max(sort) + 1000 from app.workflow_types", [key]));
});
afterEach(cleanup);
afterAll(async () => {
  await withDb((db) => db.query('delete from app.workflow_types where key = $1', [key]));
});

function SignedIn({ children }: { children: ReactNode }) {
  return <WorkspaceContext.Provider value={workspace}>{children}</WorkspaceContext.Provider>;
}

const optionsOf = (label: string) =>
  Array.from((screen.getByLabelText(label) as HTMLSelectElement).options).slice(1).map((option) => ({ key: option.value, label: option.textContent }));

describe('the queue filters', () => {
  it('offer the server\'s workflow types in the lookup\'s order with its labels, a newly added one too', async () => {
    const expected = await withDb(async (db) => (await db.query<{ key: string; label: string }>(
      'select key, label from app.workflow_types order by sort')).rows);
    render(<QueueFilters filter={EMPTY_FILTER} onChange={() => undefined} />, { wrapper: SignedIn });
    await waitFor(() => expect(optionsOf('Type')).toHaveLength(expected.length));
    expect(optionsOf('Type')).toEqual(expected);
    expect(expected.at(-1)).toEqual({ key, label: 'Land and expand' });
    // The new type is a filter the server accepts.
    const { error } = await csm.rpc('get_workflow_queue', { filters: toServerFilters({ ...EMPTY_FILTER, type: key }) });
    expect(error).toBeNull();
  });

  it('offer the API\'s stages, plans and lanes, in their order', async () => {
    render(<QueueFilters filter={EMPTY_FILTER} onChange={() => undefined} />, { wrapper: SignedIn });
    expect(optionsOf('Stage').map((option) => option.key)).toEqual(RenewalStage.options);
    expect(optionsOf('Plan').map((option) => option.key)).toEqual(AccountPlan.options);
    expect(optionsOf('Lane')).toEqual([{ key: 'now', label: 'Now' }, { key: 'soon', label: 'Soon' }, { key: 'planned', label: 'Planned' }]);
    expect(QueueLane.options).toEqual(['now', 'soon', 'planned']);
  });
});
