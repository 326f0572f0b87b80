// What every screen needs: the API, the signed-in person and the runtime config.
import { createContext, useContext } from 'react';
import type { Api } from './api.ts';
import type { RuntimeConfig } from './config.ts';
import type { Profile } from './types.ts';

export interface Workspace {
  api: Api;
  config: RuntimeConfig;
  profile: Profile;
  signOut: () => Promise<void>;
}

export const WorkspaceContext = createContext<Workspace | null>(null);

export function useWorkspace(): Workspace {
  const workspace = useContext(WorkspaceContext);
  if (!workspace) throw new Error('useWorkspace outside the signed-in workspace');
  return workspace;
}

/** Viewers read everything and change nothing: their screens show no action buttons. */
export function canAct(profile: Profile): boolean {
  return profile.role !== 'viewer';
}

/** What the queue's page (paths.queue) is called for this role: a viewer's is their home, with no queue of their own. */
export function queuePageName(profile: Pick<Profile, 'role'>): string {
  return profile.role === 'viewer' ? 'Home' : 'Queue';
}

export function isManager(profile: Profile): boolean {
  return profile.role === 'manager' || profile.role === 'admin';
}
