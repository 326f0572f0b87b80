// @vitest-environment happy-dom
// Cancel workflow says before it is pressed what it stops: the workflow's email not sent yet
// (one waiting for a retry, a failed one) is cancelled with it (migration 20261215301000,
// docs/business-rules.md "Email is sent once"), so nobody cancels expecting it still goes out.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import type { WorkflowExecution } from '../../lib/types.ts';
import { cannedWorkspace } from '../customers/testWorkspace.tsx';
import { WorkflowControls } from './WorkflowControls.tsx';

afterEach(cleanup);

describe('Cancel workflow', () => {
  it('says that its email not sent yet will not be sent', () => {
    const execution = { id: 'e1', status: 'in_progress', assignee_id: 'me', customer: { id: 'c1', name: 'Contoso' }, steps: [], metadata: {} };
    const { wrap } = cannedWorkspace('csm', { list_escalation_levels: () => [] });
    render(<WorkflowControls execution={execution as unknown as WorkflowExecution} onChanged={() => {}} onError={() => {}} />, { wrapper: wrap });
    fireEvent.click(screen.getByRole('button', { name: 'Cancel workflow' }));
    expect(screen.getByRole('dialog').textContent).toMatch(
      /Its email not sent yet \(waiting for a retry, or failed\) is cancelled too: Sent mail shows it cancelled\./);
  });
});
