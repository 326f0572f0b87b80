// @vitest-environment happy-dom
// An escalation level is shown by its name — the server's label, and a readable form of the
// key until the labels arrive — never as a raw code ("to Vp cs").
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import { WorkspaceContext, type Workspace } from '../../lib/context.ts';
import type { EscalationItem } from './types.ts';
import { EscalationInboxItem } from './EscalationInboxItem.tsx';
import { levelName } from './levelNames.ts';

afterEach(cleanup);

const item = {
  id: 'x1', execution_id: 'e1', reason: 'Budget freeze', level: 'vp_cs', age_days: 2, age_hours: 50, is_mine: false,
  customer: { id: 'c1', name: 'Contoso' }, workflow: { name: 'Critical Stage' }, assignee: { id: 'u1', full_name: 'Sam Senior' },
} as unknown as EscalationItem;

function workspace(levels: { key: string; label: string }[]): Workspace {
  const client = { rpc: async (name: string) => ({ data: name === 'list_escalation_levels' ? levels : [], error: null, status: 200 }) };
  return { api: { client }, config: {}, profile: { id: 'm1', role: 'manager' }, signOut: async () => {} } as unknown as Workspace;
}

describe('an escalation in the inbox', () => {
  it('names the level by the server\'s label', async () => {
    render(<WorkspaceContext.Provider value={workspace([{ key: 'manager', label: 'Manager' }, { key: 'vp_cs', label: 'VP Customer Success' }])}>
      <ul><EscalationInboxItem item={item} onResolve={() => {}} /></ul></WorkspaceContext.Provider>);
    await screen.findByText(/to VP Customer Success/);
    expect(screen.queryByText(/Vp cs/)).toBeNull();
  });

  it('reads a level without a label as words, its short parts capitalised', () => {
    expect(levelName('vp_cs')).toBe('VP CS');
    expect(levelName('ceo')).toBe('CEO');
    expect(levelName('regional_director')).toBe('Regional director');
    expect(levelName('vp_cs', { vp_cs: 'VP Customer Success' })).toBe('VP Customer Success');
  });
});
