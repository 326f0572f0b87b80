// Test support for the customer screens' component tests: a signed-in workspace whose
// client answers RPCs from canned answers (shaped like the server's; a thrown one is a
// refusal), recording each call.
// The real RPCs are covered by pgTAP and the end-to-end tests.
import type { ReactNode } from 'react';
import type { Api } from '../../lib/api.ts';
import { WorkspaceContext } from '../../lib/context.ts';
import type { Profile, Role } from '../../lib/types.ts';

export interface RecordedCall { name: string; args: Record<string, unknown> }

/** `api` replaces the workspace API's calls that do not go through `rpc` (an Edge Function's, a typed helper's). */
export function cannedWorkspace(role: Role, answers: Record<string, (args: Record<string, unknown>) => unknown>, api: Partial<Api> = {}) {
  const calls: RecordedCall[] = [];
  const client = {
    rpc: async (name: string, args: Record<string, unknown> = {}) => {
      calls.push({ name, args });
      const answer = answers[name];
      if (!answer) return { data: null, error: { message: `no answer for ${name}`, code: 'PT404' }, status: 404 };
      try {
        return { data: answer(args), error: null, status: 200 };
      } catch (refusal) {
        // An answer that throws a PostgREST-shaped error ({code, message, details}) is the server's
        // refusal; one with `status: 0` is an answer lost on its way back, as supabase-js reports it.
        return { data: null, error: refusal, status: (refusal as { status?: number }).status ?? 400 };
      }
    },
  };
  const profile: Profile = {
    id: 'me', org_id: 'org', org_name: 'Acme', full_name: 'Sam CSM', email: 'sam@acme.test', role, time_zone: 'UTC',
    title: null, experience_level: null, manager_id: null,
  };
  const workspaceApi = {
    client,
    listTeamMembers: async () => [{ id: 'me', full_name: 'Sam CSM', role: 'csm' }, { id: 'casey', full_name: 'Casey Junior', role: 'csm' }],
    getQueue: async () => ({ items: [], next_cursor: null, stats: null }),
    actOnTask: async () => ({}),
    ...api,
  } as unknown as Api;
  const wrap = ({ children }: { children: ReactNode }) => (
    <WorkspaceContext.Provider value={{ api: workspaceApi, profile, config: { supabaseUrl: 'http://x', supabaseAnonKey: 'anon', demoPeople: null }, signOut: async () => {} }}>
      {children}
    </WorkspaceContext.Provider>
  );
  return { calls, wrap, profile };
}
