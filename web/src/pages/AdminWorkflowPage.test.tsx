// @vitest-environment happy-dom
// Admin → Workflows → one definition: its save form ends as a dialog does, the way out
// (Discard changes) first and the action that goes on (Save as version N) last.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen, within } from '@testing-library/react';
import { AdminWorkflowPage } from './AdminWorkflowPage.tsx';
import { cannedWorkspace } from '../features/customers/testWorkspace.tsx';

afterEach(cleanup);

const step = { key: 'a', title: 'Align', type: 'review', prompt_template: '', expected_artifacts: [], branches: [] };
const definition = { key: 'demo', name: 'Demo', steps: [step] };

describe('a workflow definition page', () => {
  it('puts Discard changes before Save as version N', async () => {
    const { wrap } = cannedWorkspace('admin', {
      get_workflow_definition: () => ({ key: 'demo', name: 'Demo', version: 3, scope: 'org', enabled: true, definition, previous: null }),
      list_saved_actions: () => [],
    });
    render(<AdminWorkflowPage workflowKey="demo" />, { wrapper: wrap });
    const save = await screen.findByRole('region', { name: 'Save' });
    expect(within(save).getAllByRole('button').map((button) => button.textContent)).toEqual(['Discard changes', 'Save as version 4']);
  });
});
