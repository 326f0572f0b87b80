// What every screen needs: the API, the signed-in person and the runtime config.
import { createContext, useContext } from 'react';
import type { Api, SignOutScope } from './api.ts';
import type { RuntimeConfig } from './config.ts';
import type { Profile } from './types.ts';

export interface Workspace {
  api: Api;
  config: RuntimeConfig;
  profile: Profile;
  /** Ends this browser's session, or every session of the person's ('everywhere'). */
  signOut: (where?: SignOutScope) => Promise<void>;
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

/**
 * May this person change what `holderId` holds — a workflow (its steps, chat, drafts, actions)
 * or a customer's contract (its documents and the terms read from them)? A manager or an admin,
 * or the CSM who holds it (any CSM while nobody does): the server's rule, app.can_work_on_execution
 * and app.can_work_on_customer. Anyone else in the organisation reads it only.
 */
export function mayWorkOn(profile: Profile, holderId: string | null): boolean {
  return isManager(profile) || (profile.role === 'csm' && (holderId === null || holderId === profile.id));
}

/** Whether the drafts shown (a workflow's, its chat's) may be edited and approved here: false on a colleague's workflow. */
export const DraftsWritable = createContext(true);
