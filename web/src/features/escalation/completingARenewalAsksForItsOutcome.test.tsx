// @vitest-environment happy-dom
// Complete workflow on a renewal with no step left asks first, where it completed at once and
// left the renewal open (its outcome unrecorded, and nothing on the page able to close it any
// more): the dialog says so and offers Record outcome; another workflow still completes at once.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import type { WorkflowExecution } from '../../lib/types.ts';
import { cannedWorkspace } from '../customers/testWorkspace.tsx';
import { WorkflowControls } from './WorkflowControls.tsx';

afterEach(cleanup);

const execution = (workflowType: string) => ({
  id: 'e1', status: 'in_progress', workflow_type: workflowType, assignee_id: 'me',
  customer: { id: 'c1', name: 'Contoso', arr: 95000 }, steps: [], metadata: {},
}) as unknown as WorkflowExecution;

describe('Complete workflow on a renewal', () => {
  it('asks first, saying the renewal stays open, and offers Record outcome instead', () => {
    const completed: unknown[] = [];
    const { wrap } = cannedWorkspace('csm', { list_escalation_levels: () => [], complete_workflow: (args: unknown) => { completed.push(args); return {}; } });
    render(<WorkflowControls execution={execution('renewal')} onChanged={() => {}} onError={() => {}} />, { wrapper: wrap });
    fireEvent.click(screen.getByRole('button', { name: 'Complete workflow' }));
    const dialog = screen.getByRole('dialog', { name: 'Complete without an outcome?' });
    expect(dialog.textContent).toMatch(/does not record how the renewal ended/);
    expect(completed).toEqual([]);
    fireEvent.click(screen.getAllByRole('button', { name: 'Record outcome' }).find((button) => dialog.contains(button))!);
    expect(screen.getByRole('dialog', { name: 'Outcome of Contoso’s renewal' })).toBeTruthy();
  });

  it('is offered beside Complete workflow on an open renewal only', () => {
    const { wrap } = cannedWorkspace('csm', { list_escalation_levels: () => [] });
    render(<WorkflowControls execution={execution('renewal')} onChanged={() => {}} onError={() => {}} />, { wrapper: wrap });
    expect(screen.getAllByRole('button', { name: 'Record outcome' })).toHaveLength(1);
    cleanup();
    render(<WorkflowControls execution={execution('risk')} onChanged={() => {}} onError={() => {}} />, { wrapper: wrap });
    expect(screen.queryByRole('button', { name: 'Record outcome' })).toBeNull();
  });
});
