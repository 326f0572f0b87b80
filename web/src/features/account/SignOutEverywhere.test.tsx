// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import type { SignOutScope } from '../../lib/api.ts';
import { WorkspaceContext, type Workspace } from '../../lib/context.ts';
import { SignOutEverywhere } from './SignOutEverywhere.tsx';

afterEach(cleanup);

function renderWith(signOut: (where?: SignOutScope) => Promise<void>) {
  const workspace = { api: {}, profile: { id: 'me', role: 'csm' }, config: {}, signOut } as unknown as Workspace;
  render(<WorkspaceContext.Provider value={workspace}><SignOutEverywhere /></WorkspaceContext.Provider>);
}

describe('signing out everywhere', () => {
  it('asks once more, then signs out every session', async () => {
    const asked: (SignOutScope | undefined)[] = [];
    renderWith(async (where) => { asked.push(where); });
    fireEvent.click(screen.getByRole('button', { name: 'End every session…' }));
    expect(asked).toEqual([]);
    expect(screen.getByText(/Every device, this one included, will ask you to sign in again/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'End every session' }));
    await screen.findByRole('button', { name: 'End every session…' });
    expect(asked).toEqual(['everywhere']);
  });

  it('Cancel signs nobody out', () => {
    const asked: (SignOutScope | undefined)[] = [];
    renderWith(async (where) => { asked.push(where); });
    fireEvent.click(screen.getByRole('button', { name: 'End every session…' }));
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(asked).toEqual([]);
    expect(screen.getByRole('button', { name: 'End every session…' })).toBeTruthy();
  });
});
