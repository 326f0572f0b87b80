// Which role changes are asked about first, and what to say. A change that takes away what
// someone can do (a lower role), or that makes or unmakes an admin, is confirmed with what
// will happen; a change that only adds (CSM → manager, viewer → CSM) is not.
import { humanize } from '../../lib/format.ts';
import type { Person } from './api.ts';

type Role = Person['role'];

/** Higher does more: each role can do what the ones below it can (docs/web-app.md, "What each role sees"). */
const RANK: Record<Role, number> = { viewer: 0, csm: 1, manager: 2, admin: 3 };

const CAN: Record<Role, string> = {
  admin: 'run the organisation from the Admin pages (people and their roles, workflows, actions, settings, integrations)',
  manager: 'see their reports’ queues and tasks, resolve escalations and reassign work',
  csm: 'work their queue, run actions, draft emails and hold tasks',
  viewer: 'read renewals, customers and workflows, and change nothing',
};

/** Whether `me` may change `person` at all: an admin anyone, a manager anyone but an admin (the server's rule, update_person). */
export function mayEditPerson(me: { role: string }, person: { role: Role }): boolean {
  return me.role === 'admin' || person.role !== 'admin';
}

/** A role as a label: "CSM", "Admin". */
export function roleName(role: Role): string {
  return role === 'csm' ? 'CSM' : humanize(role);
}

/** A role within a sentence, with its article: "an admin", "a CSM". */
function aRole(role: Role): string {
  return `${role === 'admin' ? 'an' : 'a'} ${role === 'csm' ? 'CSM' : role}`;
}

export function roleChangeNeedsConfirming(from: Role, to: Role): boolean {
  return from !== to && (from === 'admin' || to === 'admin' || RANK[to] < RANK[from]);
}

/** What will happen, in sentences, for the confirmation. */
export function roleChangeWords(person: Pick<Person, 'full_name' | 'open_workflows'>, from: Role, to: Role): string {
  const name = person.full_name;
  const words = [`${name} will be ${aRole(to)} instead of ${aRole(from)}.`];
  if (RANK[to] < RANK[from]) words.push(`They will no longer ${CAN[from]}; they will ${CAN[to]}.`);
  else words.push(`They will be able to ${CAN[to]}.`);
  if (to === 'viewer' && person.open_workflows > 0) {
    words.push(`Their ${person.open_workflows} open workflow${person.open_workflows === 1 ? '' : 's'} go${person.open_workflows === 1 ? 'es' : ''} back to the team, unassigned; their tasks stay theirs until reassigned.`);
  }
  return words.join(' ');
}
