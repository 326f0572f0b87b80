// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import { WorkspaceContext, type Workspace } from '../../lib/context.ts';
import type { Artifact } from '../../lib/types.ts';
import { ArtifactCard } from './ArtifactCard.tsx';

afterEach(cleanup);

const workspace = { api: {}, config: {}, profile: { id: 'u1', role: 'csm' }, signOut: async () => {} } as unknown as Workspace;

function draft(overrides: Partial<Artifact>): Artifact {
  return {
    id: 'a1', execution_id: 'e1', artifact_type: 'email_draft', title: 'Your renewal', version: 2,
    content: { to: ['cfo@contoso.example'], subject: 'Your renewal', body: 'Hello' }, generated_by: 'manual',
    approved_by: 'u2', approved_at: '2026-12-01T09:00:00Z', created_at: '2026-12-01T08:00:00Z', updated_at: '2026-12-01T09:00:00Z',
    ...overrides,
  } as Artifact;
}

function show(artifact: Artifact) {
  render(<WorkspaceContext.Provider value={workspace}><ArtifactCard artifact={artifact} onChanged={() => {}} /></WorkspaceContext.Provider>);
}

describe('an email draft card', () => {
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
});
