import { describe, expect, it } from 'vitest';
import type { TeamMember } from '../../lib/types.ts';
import { queueSwitcherTeam, reassignableColleagues } from './useTeamMembers.ts';

const team: TeamMember[] = [
  { id: 'admin', full_name: 'Ada Admin', role: 'admin', manager_id: null },
  { id: 'maria', full_name: 'Maria Manager', role: 'manager', manager_id: null },
  { id: 'sam', full_name: 'Sam Senior', role: 'csm', manager_id: 'maria' },
  { id: 'casey', full_name: 'Casey Junior', role: 'csm', manager_id: 'maria' },
  { id: 'otto', full_name: 'Otto Elsewhere', role: 'csm', manager_id: 'admin' },
  { id: 'victor', full_name: 'Victor Viewer', role: 'viewer', manager_id: null },
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
