// @vitest-environment happy-dom
// A draft's title left blank (or only spaces) is said beside it, which takes the focus, and
// nothing is saved; before, the browser's "Please fill out this field" (and nothing for spaces,
// which went to the server).
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { WorkspaceContext, type Workspace } from '../../lib/context.ts';
import type { Artifact } from '../../lib/types.ts';
import { ArtifactEditor } from './ArtifactEditor.tsx';

afterEach(cleanup);

const draft = {
  id: 'a1', artifact_type: 'email_draft', title: 'Your renewal', version: 1, approved_at: null,
  content: { to: 'olivia@litware.example', subject: 'Your renewal', body: 'Hello' },
} as unknown as Artifact;

describe('editing a draft', () => {
  it('says a blank title beside it, which takes the focus, and saves nothing', () => {
    const saves: unknown[] = [];
    const workspace = { api: { updateArtifact: async (...args: unknown[]) => { saves.push(args); return draft; } }, profile: { id: 'me' } } as unknown as Workspace;
    render(<WorkspaceContext.Provider value={workspace}><ArtifactEditor artifact={draft} onClose={() => {}} onSaved={() => {}} /></WorkspaceContext.Provider>);
    const title = screen.getByLabelText('Title');
    fireEvent.change(title, { target: { value: '   ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    const message = screen.getByRole('alert');
    expect(message.textContent).toBe('Give it a title.');
    expect(title.getAttribute('aria-describedby')).toBe(message.id);
    expect(document.activeElement).toBe(title);
    expect(saves).toEqual([]);
    fireEvent.change(title, { target: { value: 'Your renewal, again' } });
    expect(screen.queryByRole('alert'), 'typing clears it').toBeNull();
  });
});
