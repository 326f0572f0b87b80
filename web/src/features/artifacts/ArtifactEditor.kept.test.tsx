// @vitest-environment happy-dom
// An email draft's edits not saved yet are kept for the tab (lib/unsentText.ts), as the chat's
// message is: a reload mid-rewrite threw the whole rewrite away, and Edit opened the draft as it
// was. Saved, or dismissed with Cancel, they are forgotten; kept edits of a draft changed since
// are saved against the version they were made on, so the conflict is said, never overwritten.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { WorkspaceContext, type Workspace } from '../../lib/context.ts';
import type { Artifact } from '../../lib/types.ts';
import { ArtifactEditor } from './ArtifactEditor.tsx';

afterEach(() => { cleanup(); window.sessionStorage.clear(); });

const draft = (version = 1) => ({
  id: 'a1', artifact_type: 'email_draft', title: 'Your renewal', version, approved_at: null,
  content: { to: 'olivia@litware.example', subject: 'Your renewal', body: 'Hello' },
}) as unknown as Artifact;

function open(artifact: Artifact, saves: unknown[] = [], onClose = () => {}) {
  const workspace = {
    api: { updateArtifact: async (...args: unknown[]) => { saves.push(args); return artifact; } }, profile: { id: 'me' },
  } as unknown as Workspace;
  return render(<WorkspaceContext.Provider value={workspace}><ArtifactEditor artifact={artifact} onClose={onClose} onSaved={() => {}} /></WorkspaceContext.Provider>);
}
const message = () => screen.getByLabelText('Message') as HTMLTextAreaElement;

describe('an email draft\'s edits not saved yet', () => {
  it('are back in the form after a reload, and said to be', () => {
    const first = open(draft());
    fireEvent.change(message(), { target: { value: 'A careful rewrite' } });
    first.unmount(); // the reload
    open(draft());
    expect(message().value).toBe('A careful rewrite');
    expect(screen.getByText(/not saved yet/).textContent).toBe('Your edits not saved yet are back. Save them, or Cancel to drop them.');
  });

  it('are saved against the version they were made on', async () => {
    const first = open(draft(1));
    fireEvent.change(message(), { target: { value: 'A careful rewrite' } });
    first.unmount();
    const saves: unknown[] = [];
    open(draft(2), saves);
    fireEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(saves).toHaveLength(1));
    expect((saves[0] as unknown[])[2]).toBe(1);
  });

  it('are forgotten once dropped with Cancel', () => {
    const first = open(draft());
    fireEvent.change(message(), { target: { value: 'A careful rewrite' } });
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    first.unmount();
    open(draft());
    expect(message().value).toBe('Hello');
    expect(screen.queryByText(/not saved yet/)).toBeNull();
  });
});

describe('a draft card with edits not saved yet', () => {
  it('says so beside Edit, so the person knows where their rewrite is after a reload', async () => {
    const { ArtifactCard } = await import('./ArtifactCard.tsx');
    const { keepEdits, keptEditsKey } = await import('./keptEdits.ts');
    const workspace = {
      api: { client: { rpc: async () => ({ data: null, error: null, status: 200 }) }, getArtifact: async () => ({ id: 'a1', created_by: null }) },
      config: {}, profile: { id: 'me', role: 'csm' }, signOut: async () => {},
    } as unknown as Workspace;
    const card = () => render(<WorkspaceContext.Provider value={workspace}><ArtifactCard artifact={draft()} onChanged={() => {}} /></WorkspaceContext.Provider>);
    card();
    expect(screen.queryByText(/not saved yet/)).toBeNull();
    cleanup();
    keepEdits(keptEditsKey('me', 'a1'), { version: 1, title: 'Your renewal', email: { to: '', cc: '', subject: '', body: 'x' }, text: '', json: '' } as never);
    card();
    expect(screen.getByText(/not saved yet/).textContent).toBe('Your edits are not saved yet: Edit to go on with them.');
  });
});
