import { describe, expect, it } from 'vitest';
import type { TeamMember } from '../../lib/types.ts';
import { queueSwitcherTeam, reassignableColleagues } from './useTeamMembers.ts';

/** A colleague as list_team_members gives them; only the fields these lists read matter. */
const member = (fields: Pick<TeamMember, 'id' | 'full_name' | 'role' | 'manager_id'>): TeamMember =>
  ({ email: `${fields.id}@acme.test`, title: null, open_workflows: 0, experience_level: null, invited: false, deactivated: false, ...fields });

const team: TeamMember[] = [
  member({ id: 'admin', full_name: 'Ada Admin', role: 'admin', manager_id: null }),
  member({ id: 'maria', full_name: 'Maria Manager', role: 'manager', manager_id: null }),
  member({ id: 'sam', full_name: 'Sam Senior', role: 'csm', manager_id: 'maria' }),
  member({ id: 'casey', full_name: 'Casey Junior', role: 'csm', manager_id: 'maria' }),
  member({ id: 'otto', full_name: 'Otto Elsewhere', role: 'csm', manager_id: 'admin' }),
  member({ id: 'victor', full_name: 'Victor Viewer', role: 'viewer', manager_id: null }),
];
const ids = (members: TeamMember[]) => members.map((member) => member.id);

describe('who the team lists offer', () => {
  it('a manager switches to their own reports only', () => {
    expect(ids(queueSwitcherTeam(team, { id: 'maria', role: 'manager' }))).toEqual(['sam', 'casey']);
  });
  it('an admin switches to everyone who can hold work but themselves', () => {
    expect(ids(queueSwitcherTeam(team, { id: 'admin', role: 'admin' }))).toEqual(['maria', 'sam', 'casey', 'otto']);
  });
  it('a csm has no switcher', () => {
    expect(queueSwitcherTeam(team, { id: 'sam', role: 'csm' })).toEqual([]);
  });
  it('tasks go to colleagues who can work them, never a viewer', () => {
    expect(ids(reassignableColleagues(team))).toEqual(['admin', 'maria', 'sam', 'casey', 'otto']);
  });
});
