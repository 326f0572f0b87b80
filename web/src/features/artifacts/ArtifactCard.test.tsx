// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { useState } from 'react';
import { WorkspaceContext, type Workspace } from '../../lib/context.ts';
import type { Artifact } from '../../lib/types.ts';
import { ArtifactCard } from './ArtifactCard.tsx';

afterEach(cleanup);

/** The organisation's approval rule and the drafts' authors, as the server answers them. */
function workspaceWith(email: { require_approval: boolean; allow_self_approval: boolean }, me = 'u1', authors: Record<string, string> = {}): Workspace {
  const client = { rpc: async (name: string) => ({ data: name === 'get_organisation_settings' ? { email } : null, error: null, status: 200 }) };
  const api = { client, getArtifact: async (id: string) => ({ id, created_by: authors[id] ?? null }) };
  return { api, config: {}, profile: { id: me, role: 'csm' }, signOut: async () => {} } as unknown as Workspace;
}
let workspace = workspaceWith({ require_approval: true, allow_self_approval: false });

function draft(overrides: Partial<Artifact>): Artifact {
  return {
    id: 'a1', execution_id: 'e1', artifact_type: 'email_draft', title: 'Your renewal', version: 2,
    content: { to: ['cfo@contoso.example'], subject: 'Your renewal', body: 'Hello' }, generated_by: 'manual',
    approved_by: 'u2', approved_at: '2026-12-01T09:00:00Z', created_at: '2026-12-01T08:00:00Z', updated_at: '2026-12-01T09:00:00Z',
    ...overrides,
  } as Artifact;
}

function show(artifact: Artifact, workflowStatus?: string) {
  render(<WorkspaceContext.Provider value={workspace}><ArtifactCard artifact={artifact} onChanged={() => {}} workflowStatus={workflowStatus} /></WorkspaceContext.Provider>);
}

describe('an email draft card', () => {
  it('offers no "Withdraw approval" once the draft was sent', () => {
    show(draft({ sent_at: '2026-12-02T10:30:00Z' }));
    expect(screen.queryByRole('button', { name: 'Withdraw approval' })).toBeNull();
  });

  it('offers no Edit once the draft was sent, and says it is kept as sent', () => {
    show(draft({ sent_at: '2026-12-02T10:30:00Z' }));
    expect(screen.queryByRole('button', { name: 'Edit' })).toBeNull();
    expect(screen.getByTestId('sent-is-kept').textContent).toContain('Kept as it was sent');
  });

  it('offers no Edit while the draft waits in the outbox (sent_at is set only on delivery), and says it is queued', () => {
    show(draft({ sent_at: null, send_state: 'queued' }));
    expect(screen.queryByRole('button', { name: 'Edit' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Withdraw approval' })).toBeNull();
    expect(screen.getByText('Queued to send')).toBeTruthy();
    expect(screen.getByTestId('sent-is-kept').textContent).toContain('Queued to send: kept as it will go out');
  });

  it('offers Edit again on a draft whose send failed, and says it failed', () => {
    show(draft({ sent_at: null, send_state: 'failed' }));
    expect(screen.getByRole('button', { name: 'Edit' })).toBeTruthy();
    expect(screen.getByText('Send failed')).toBeTruthy();
    expect(screen.queryByTestId('sent-is-kept')).toBeNull();
  });

  it('offers Edit on a draft not sent yet', () => {
    show(draft({ sent_at: null }));
    expect(screen.getByRole('button', { name: 'Edit' })).not.toBeNull();
  });

  it('offers "Withdraw approval" on an approved draft not sent yet', () => {
    show(draft({ sent_at: null }));
    expect(screen.getByRole('button', { name: 'Withdraw approval' })).toBeTruthy();
  });

  it('shows its author "Waiting for a second person to approve", not Approve, when self-approval is not allowed', async () => {
    workspace = workspaceWith({ require_approval: true, allow_self_approval: false });
    show(draft({ id: 'mine', approved_at: null, approved_by: null, sent_at: null, created_by: 'u1' }));
    await screen.findByText(/^Waiting for a second person to approve: your organisation asks someone other than the author/);
    expect(screen.queryByRole('button', { name: 'Approve' })).toBeNull();
    // Nobody is told a draft waits: the author is shown how to ask (a mention notifies the colleague).
    expect(screen.getByTestId('approval-waiting').textContent)
      .toMatch(/ To ask a colleague, mention them in the chat or in a note on the customer \(@Full Name\): they are notified\.$/);
  });

  it('asks whoever wrote the current text, not the creator, to leave the approval to someone else', async () => {
    workspace = workspaceWith({ require_approval: true, allow_self_approval: false }, 'u2');
    show(draft({ id: 'rewritten', approved_at: null, approved_by: null, sent_at: null, created_by: 'u1', written_by: 'u2' }));
    await screen.findByText(/^Waiting for a second person to approve: your organisation asks someone other than the author/);
    expect(screen.queryByRole('button', { name: 'Approve' })).toBeNull();
    cleanup();
    workspace = workspaceWith({ require_approval: true, allow_self_approval: false }, 'u1');
    show(draft({ id: 'rewritten-by-other', approved_at: null, approved_by: null, sent_at: null, created_by: 'u1', written_by: 'u2' }));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(screen.getByRole('button', { name: 'Approve' })).toBeTruthy();
  });

  it('learns the author from get_artifact when the workflow\'s list leaves it out', async () => {
    workspace = workspaceWith({ require_approval: true, allow_self_approval: false }, 'u1', { listed: 'u1' });
    show(draft({ id: 'listed', approved_at: null, approved_by: null, sent_at: null }));
    await screen.findByText(/^Waiting for a second person to approve: your organisation asks someone other than the author/);
  });

  it('offers Approve to a second person, and to the author where self-approval is allowed', async () => {
    workspace = workspaceWith({ require_approval: true, allow_self_approval: false }, 'u2');
    show(draft({ id: 'theirs', approved_at: null, approved_by: null, sent_at: null, created_by: 'u1' }));
    expect(screen.getByRole('button', { name: 'Approve' })).toBeTruthy();
    cleanup();
    workspace = workspaceWith({ require_approval: true, allow_self_approval: true }, 'u1');
    show(draft({ id: 'mine-allowed', approved_at: null, approved_by: null, sent_at: null, created_by: 'u1' }));
    await waitFor(() => expect(screen.getByRole('button', { name: 'Approve' })).toBeTruthy());
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(screen.queryByText(/^Waiting for a second person to approve/)).toBeNull();
  });

  it('says "Sent" with when, not "Approved", once the draft was sent', () => {
    show(draft({ sent_at: '2026-12-02T10:30:00Z' }));
    expect(screen.getByText(/^Sent /)).toBeTruthy();
    expect(screen.queryByText('Approved')).toBeNull();
  });

  it('says "Approved" while it has not been sent', () => {
    show(draft({ sent_at: null }));
    expect(screen.getByText('Approved')).toBeTruthy();
    expect(screen.queryByText(/^Sent /)).toBeNull();
  });

  it('is read-only once its workflow is closed: no Edit, Approve or Withdraw, and it says why', () => {
    workspace = workspaceWith({ require_approval: true, allow_self_approval: true }, 'u2');
    for (const status of ['completed', 'completed_with_pending_tasks', 'cancelled', 'skipped', 'superseded']) {
      show(draft({ id: `closed-${status}`, approved_at: null, approved_by: null, sent_at: null, created_by: 'u1' }), status);
      expect(screen.queryByRole('button', { name: 'Edit' })).toBeNull();
      expect(screen.queryByRole('button', { name: 'Approve' })).toBeNull();
      expect(screen.getByTestId('workflow-closed').textContent).toMatch(/This workflow is (completed|cancelled|skipped|superseded): its drafts are kept as they are/);
      cleanup();
      show(draft({ id: `closed-approved-${status}`, sent_at: null }), status);
      expect(screen.queryByRole('button', { name: 'Withdraw approval' })).toBeNull();
      expect(screen.queryByRole('button', { name: 'Edit' })).toBeNull();
      cleanup();
    }
  });

  it('keeps Edit and Approve while its workflow is open (queued, in progress, snoozed, escalated)', () => {
    workspace = workspaceWith({ require_approval: true, allow_self_approval: true }, 'u2');
    for (const status of ['queued', 'in_progress', 'snoozed', 'escalated']) {
      show(draft({ id: `open-${status}`, approved_at: null, approved_by: null, sent_at: null, created_by: 'u1' }), status);
      expect(screen.getByRole('button', { name: 'Edit' })).toBeTruthy();
      expect(screen.getByRole('button', { name: 'Approve' })).toBeTruthy();
      expect(screen.queryByTestId('workflow-closed')).toBeNull();
      cleanup();
    }
  });
});

describe('approving a draft', () => {
  /** A card whose workflow takes the server's answer, as the workflow page does. */
  function Approvable({ start }: { start: Artifact }) {
    const [artifact, setArtifact] = useState(start);
    return <ArtifactCard artifact={artifact} onChanged={setArtifact} />;
  }
  function approving(): Workspace {
    const base = workspaceWith({ require_approval: true, allow_self_approval: true });
    const approveArtifact = async (id: string, approve: boolean) =>
      draft({ id, approved_by: approve ? 'u1' : null, approved_at: approve ? '2026-12-06T09:00:00Z' : null, sent_at: null });
    return { ...base, api: { ...(base.api as object), approveArtifact } } as unknown as Workspace;
  }

  it('puts the focus on Withdraw approval, which took Approve\'s place, and back on Approve after withdrawing', async () => {
    render(<WorkspaceContext.Provider value={approving()}><Approvable start={draft({ approved_by: null, approved_at: null, sent_at: null })} /></WorkspaceContext.Provider>);
    const approve = await screen.findByRole('button', { name: 'Approve' });
    approve.focus();
    fireEvent.click(approve);
    const withdraw = await screen.findByRole('button', { name: 'Withdraw approval' });
    await waitFor(() => expect(document.activeElement).toBe(withdraw));
    fireEvent.click(withdraw);
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Approve' })));
  });
});
