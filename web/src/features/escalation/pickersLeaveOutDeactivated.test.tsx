// @vitest-environment happy-dom
// A picker of a person to hand work to leaves out someone deactivated, whom the server refuses
// (app.require_person_who_can_take_work: "assignee_id has been deactivated and cannot take
// work"): a workflow's or an escalation's new assignee, and the queue's bulk reassign. Before,
// they were offered like anyone at work, and choosing them ended in that refusal.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import type { QueueItem } from '../../lib/types.ts';
import { cannedWorkspace } from '../customers/testWorkspace.tsx';
import { BulkActions } from '../queue/BulkActions.tsx';
import { ResolveDialog } from './ResolveDialog.tsx';

afterEach(cleanup);

const team = [
  { id: 'me', full_name: 'Maria Manager', role: 'manager', invited: false, deactivated: false, title: null },
  { id: 'sam', full_name: 'Sam Senior', role: 'csm', invited: false, deactivated: false, title: null },
  { id: 'casey', full_name: 'Casey Junior', role: 'csm', invited: false, deactivated: true, title: null },
];

function item(id: string): QueueItem {
  return {
    execution_id: id, workflow_key: 'critical', workflow_name: 'Critical Stage', workflow_type: 'renewal', status: 'queued', lane: 'now',
    priority_score: 96, priority_factors: { lane: 'now' }, assignee_id: null, current_step: null, total_steps: 4, completed_steps: 0,
    snoozed_until: null, created_at: '2026-01-01T00:00:00Z',
    customer: { id: `c-${id}`, name: `Customer ${id}`, domain: null, arr: 1000, health_score: 42, account_plan: 'monitor', renewal_stage: 'Critical',
      renewal_date: '2027-03-30', days_until_renewal: 70, decision_date: '2027-03-30', days_until_decision: 70,
      risk_score: null, opportunity_score: null, assigned_to: null },
  } as QueueItem;
}

describe('a picker of who takes work over', () => {
  it('leaves out someone deactivated as an escalation\'s new assignee', async () => {
    const { wrap } = cannedWorkspace('manager', {}, { listTeamMembers: async () => team } as never);
    render(<ResolveDialog executionId="e1" customerName="Contoso" assigneeId="me" assigneeName="Maria Manager" reason="Discount"
      onClose={() => {}} onResolved={() => {}} />, { wrapper: wrap });
    fireEvent.click(screen.getByLabelText(/Reassign to another CSM/));
    expect(await screen.findByRole('option', { name: 'Sam Senior' })).toBeTruthy();
    expect(screen.queryByRole('option', { name: /Casey Junior/ })).toBeNull();
  });

  it('leaves them out of the queue\'s bulk reassign', async () => {
    const { wrap } = cannedWorkspace('manager', {}, { listTeamMembers: async () => team } as never);
    render(<BulkActions items={[item('a')]} onDone={() => {}} onClear={() => {}} />, { wrapper: wrap });
    fireEvent.click(screen.getByRole('button', { name: 'Reassign…' }));
    expect(await screen.findByRole('option', { name: 'Sam Senior' })).toBeTruthy();
    expect(screen.queryByRole('option', { name: /Casey Junior/ })).toBeNull();
  });
});
