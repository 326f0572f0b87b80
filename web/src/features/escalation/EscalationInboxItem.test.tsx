// @vitest-environment happy-dom
// An escalation level is shown by its name — the server's label, and a readable form of the
// key until the labels arrive — never as a raw code ("to Vp cs").
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import { WorkspaceContext, type Workspace } from '../../lib/context.ts';
import type { EscalationItem } from './types.ts';
import { EscalationInboxItem, waitingFor } from './EscalationInboxItem.tsx';
import { levelName } from './levelNames.ts';
import { formatAge } from '../../lib/format.ts';

afterEach(cleanup);

const item = {
  id: 'x1', execution_id: 'e1', reason: 'Budget freeze', level: 'vp_cs', age_days: 2, age_hours: 50, escalated_at: new Date(Date.now() - 50 * 3_600_000).toISOString(), is_mine: false,
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

  it('says how long it has waited to the minute under an hour, as the bell does, not "just now" for 59 minutes', () => {
    const now = new Date('2026-12-06T21:52:00Z');
    expect(waitingFor('2026-12-06T21:31:32Z', now)).toBe('20 min');
    // It follows "waiting": "waiting under a minute", never "waiting just now".
    expect(waitingFor('2026-12-06T21:51:30Z', now)).toBe('under a minute');
    expect(waitingFor('2026-12-06T18:50:00Z', now)).toBe('3 h');
    expect(waitingFor('2026-12-05T21:00:00Z', now)).toBe('1 day');
    expect(waitingFor('2026-12-04T20:00:00Z', now)).toBe('2 days');
  });

  it('says a moment as the bell says it, one wording: "under a minute" (never "just now"), "21 min", whole units counted down', () => {
    const now = new Date('2026-12-06T21:52:00Z');
    for (const at of ['2026-12-06T21:51:30Z', '2026-12-06T21:30:10Z', '2026-12-06T20:10:00Z', '2026-12-04T09:00:00Z']) {
      expect(formatAge(at, now), at).toBe(`${waitingFor(at, now)} ago`);
    }
    expect(formatAge('2026-12-06T21:51:30Z', now)).toBe('under a minute ago');
  });

  it('shows that wait on the item', async () => {
    const recent = { ...item, age_days: 0, age_hours: 0, escalated_at: new Date(Date.now() - 21 * 60_000).toISOString() } as EscalationItem;
    render(<WorkspaceContext.Provider value={workspace([])}><ul><EscalationInboxItem item={recent} onResolve={() => {}} /></ul></WorkspaceContext.Provider>);
    expect(screen.getByText(/Sam Senior · waiting/).textContent).toMatch(/^Sam Senior · waiting 21 min/);
  });
});
