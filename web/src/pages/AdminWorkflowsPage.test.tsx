// @vitest-environment happy-dom
// Admin → Workflows lists the catalogue in the words the rest of the app uses: a workflow's
// type by its label from the lookup (list_workflow_types), as the queue's Type filter says it.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen, within } from '@testing-library/react';
import { AdminWorkflowsPage } from './AdminWorkflowsPage.tsx';
import { cannedWorkspace } from '../features/customers/testWorkspace.tsx';

afterEach(cleanup);

const summary = (key: string, name: string, type: string) => ({
  key, name, type, scope: 'core', description: null, enabled: true, version: 1, base_score: 50,
  trigger: { kind: 'manual' }, steps: [], step_count: 3, updated_at: '2026-12-01T09:00:00Z',
});

describe('Admin → Workflows', () => {
  it('names each workflow\'s type by its label ("Renewal", "Opportunity"), never its key ("renewal")', async () => {
    const { wrap } = cannedWorkspace('admin', {
      list_workflow_definitions: () => [summary('critical', 'Critical Stage', 'renewal'), summary('expansion-proposal', 'Expansion Proposal', 'opportunity')],
      list_workflow_types: () => [{ key: 'renewal', label: 'Renewal' }, { key: 'opportunity', label: 'Opportunity' }],
    });
    render(<AdminWorkflowsPage />, { wrapper: wrap });
    const row = (name: string) => screen.getByRole('row', { name: new RegExp(`^${name}`) });
    await screen.findByRole('link', { name: 'Critical Stage' });
    await within(row('Critical Stage')).findByRole('cell', { name: 'Renewal' });
    expect(within(row('Expansion Proposal')).getByRole('cell', { name: 'Opportunity' })).toBeTruthy();
    expect(screen.queryByRole('cell', { name: 'renewal' })).toBeNull();
  });
});
