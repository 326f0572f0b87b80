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

/**
 * Who changes a customer's contract (its documents and the terms read from them): its CSM (any
 * CSM while it has none), a manager or an admin — the server's rule, app.can_work_on_customer.
 * Another CSM reads them only.
 */
export function canWorkOnCustomer(profile: Profile, customerCsmId: string | null): boolean {
  if (profile.role === 'manager' || profile.role === 'admin') return true;
  return profile.role === 'csm' && (customerCsmId === null || customerCsmId === profile.id);
}

/** What the queue's page (paths.queue) is called for this role: a viewer's is their home, with no queue of their own. */
export function queuePageName(profile: Pick<Profile, 'role'>): string {
  return profile.role === 'viewer' ? 'Home' : 'Queue';
}

export function isManager(profile: Profile): boolean {
  return profile.role === 'manager' || profile.role === 'admin';
}

/**
 * May this person change the workflow (its steps, chat, drafts, actions)? A manager or an
 * admin, or a CSM whose it is (or nobody's yet): the server's rule, app.can_work_on_execution.
 * Anyone else in the organisation reads it.
 */
export function mayWorkOn(profile: Profile, execution: { assignee_id: string | null }): boolean {
  return canAct(profile) && (isManager(profile) || execution.assignee_id === null || execution.assignee_id === profile.id);
}

/** Whether the drafts shown (a workflow's, its chat's) may be edited and approved here: false on a colleague's workflow. */
export const DraftsWritable = createContext(true);
