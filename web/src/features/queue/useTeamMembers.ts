// The people of the caller's organisation (list_team_members), narrowed to what a screen
// offers: the manager's "Queue of" switcher, and the colleagues that filters by person and
// the pickers of whom to hand work to start from.
import { useWorkspace, isManager } from '../../lib/context.ts';
import { useAsync } from '../../hooks/useAsync.ts';
import type { Profile, TeamMember } from '../../lib/types.ts';

/** Whose queue a manager may open: their direct reports; an admin: everyone who can hold work. */
export function queueSwitcherTeam(members: TeamMember[], me: Pick<Profile, 'id' | 'role'>): TeamMember[] {
  if (me.role === 'admin') return members.filter((member) => member.id !== me.id && member.role !== 'viewer');
  if (me.role === 'manager') return members.filter((member) => member.id !== me.id && member.manager_id === me.id);
  return [];
}

/**
 * The colleagues who hold work (viewers never do), deactivated ones included: filters by
 * person name them while their work is handed over. A picker of whom to hand work to
 * narrows this with canTakeWork (lib/people.ts), the server's rule.
 */
export function reassignableColleagues(members: TeamMember[]): TeamMember[] {
  return members.filter((member) => member.role !== 'viewer');
}

/**
 * The team for a purpose. `queue` loads only for managers and admins (who switch queues);
 * `reassign` loads for everyone.
 */
export function useTeamMembers(purpose: 'queue' | 'reassign') {
  const { api, profile } = useWorkspace();
  const wanted = purpose === 'reassign' || isManager(profile);
  return useAsync(async () => {
    if (!wanted) return [] as TeamMember[];
    const members = await api.listTeamMembers();
    return purpose === 'queue' ? queueSwitcherTeam(members, profile) : reassignableColleagues(members);
  }, [api, wanted, purpose, profile.id, profile.role]);
}
