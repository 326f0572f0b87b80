// @vitest-environment happy-dom
// The banner of an escalated workflow names whom it went to and the level chosen, in words
// (the server's label from list_escalation_levels), never as a raw key.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import { WorkspaceContext, type Workspace } from '../../lib/context.ts';
import type { WorkflowExecution } from '../../lib/types.ts';
import { EscalationBanner } from './EscalationBanner.tsx';

afterEach(cleanup);

const LEVELS = [{ key: 'manager', label: 'Manager' }, { key: 'vp_cs', label: 'VP Customer Success' }];
const TEAM = [{ id: 'm1', full_name: 'Maria Manager' }, { id: 'u1', full_name: 'Sam Senior' }];

function workspace(): Workspace {
  const client = { rpc: async (name: string) => ({ data: name === 'list_escalation_levels' ? LEVELS : [], error: null, status: 200 }) };
  const api = { client, listTeamMembers: async () => TEAM };
  return { api, config: {}, profile: { id: 'u1', role: 'csm' }, signOut: async () => {} } as unknown as Workspace;
}

function escalated(level: string, managerId?: string, reason: string | null = 'Budget freeze'): WorkflowExecution {
  return {
    id: 'e1', status: 'escalated', assignee_id: 'u1', customer: { id: 'c1', name: 'Contoso' },
    metadata: { escalations: [{ level, at: '2026-12-05T09:00:00Z', ...(reason ? { reason } : {}), by: 'u1', ...(managerId ? { manager_id: managerId } : {}) }] },
  } as unknown as WorkflowExecution;
}

function show(execution: WorkflowExecution) {
  render(<WorkspaceContext.Provider value={workspace()}><EscalationBanner execution={execution} onChanged={() => {}} /></WorkspaceContext.Provider>);
}

describe('the escalation banner', () => {
  it('puts a dot between the reason and the time only when there is a reason', async () => {
    show(escalated('manager', 'm1'));
    const withReason = (await screen.findByText('“Budget freeze”', { exact: false })).closest('p')!;
    expect(withReason.textContent).toMatch(/^“Budget freeze” · \S/);
    cleanup();
    show(escalated('manager', 'm1', null));
    await screen.findByText('Escalated to Maria Manager');
    const when = document.querySelector('.esc-banner-text p.small:not([data-testid])')!;
    expect(when.textContent).not.toMatch(/^\s*·/);
    expect(when.textContent).toMatch(/\d/);
  });

  it('names the manager it went to and the level chosen, by its label', async () => {
    show(escalated('vp_cs', 'm1'));
    await screen.findByText('Escalated to Maria Manager');
    expect((await screen.findByTestId('escalation-level')).textContent).toBe('Level: VP Customer Success');
    expect(document.body.textContent).not.toMatch(/vp_cs|Vp cs/);
  });

  it('shows the manager level too', async () => {
    show(escalated('manager', 'm1'));
    await screen.findByText('Escalated to Maria Manager');
    expect((await screen.findByTestId('escalation-level')).textContent).toBe('Level: Manager');
  });

  it('names the level once when no manager is recorded', async () => {
    show(escalated('vp_cs'));
    await screen.findByText('Escalated to VP Customer Success');
    expect(screen.queryByTestId('escalation-level')).toBeNull();
  });
});
