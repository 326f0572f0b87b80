// @vitest-environment happy-dom
// Whoever drafted an artifact is shown on its card: a draft an AI agent wrote with the
// person's token (generated_by 'agent', the agent's name in ai_model) must not read as the
// person's own writing, nor as Renubu's assistant.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import { WorkspaceContext, type Workspace } from '../../lib/context.ts';
import type { Artifact } from '../../lib/types.ts';
import { ArtifactCard } from './ArtifactCard.tsx';

afterEach(cleanup);

const workspace = { api: {}, config: {}, profile: { id: 'u1', role: 'csm' }, signOut: async () => {} } as unknown as Workspace;

function card(overrides: Partial<Artifact>) {
  const artifact = {
    id: 'a1', execution_id: 'e1', artifact_type: 'email_draft', title: 'Your renewal', version: 1,
    content: { to: ['cfo@contoso.example'], subject: 'Your renewal', body: 'Hello' }, generated_by: 'manual', ai_model: null,
    approved_by: null, approved_at: null, created_at: '2026-12-01T08:00:00Z', updated_at: '2026-12-01T08:00:00Z',
    ...overrides,
  } as Artifact;
  render(<WorkspaceContext.Provider value={workspace}><ArtifactCard artifact={artifact} onChanged={() => {}} /></WorkspaceContext.Provider>);
}

describe('who drafted an artifact', () => {
  it('an agent\'s draft names the agent', () => {
    card({ generated_by: 'agent', ai_model: 'Claude Desktop' });
    expect(screen.getByText(/drafted by the agent Claude Desktop/)).toBeTruthy();
    expect(screen.queryByText(/drafted by the assistant/)).toBeNull();
  });

  it('the assistant\'s draft names its model; a person\'s draft names no one', () => {
    card({ generated_by: 'ai', ai_model: 'llama3.1:8b' });
    expect(screen.getByText(/drafted by the assistant \(llama3\.1:8b\)/)).toBeTruthy();
    cleanup();
    card({ generated_by: 'manual' });
    expect(screen.queryByText(/drafted by/)).toBeNull();
  });

  it('the built-in model is named in words, as under its chat answers, not by its internal name', () => {
    card({ generated_by: 'ai', ai_model: 'renubu-mock-1' });
    expect(screen.getByText(/drafted by the assistant \(built-in offline model\)/)).toBeTruthy();
    expect(screen.queryByText(/renubu-mock-1/)).toBeNull();
  });
});

describe('a sent draft', () => {
  it('says when it was sent, as the execution lists it (get_workflow_execution gives sent_at)', () => {
    card({ approved_by: 'u2', approved_at: '2026-12-01T09:00:00Z', sent_at: '2026-12-02T10:30:00Z' });
    expect(screen.getByText(/^Sent /)).toBeTruthy();
    expect(screen.queryByText('Approved')).toBeNull();
  });
});
