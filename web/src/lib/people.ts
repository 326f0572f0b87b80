// How the app names who holds work. Nobody: "Unassigned", one word everywhere a holder is
// shown (the customers list, a customer's context, the Team page's renewals and escalations).
// A picker of a person to hand work to names each one (a task's reassign and New task's
// "For", the queue's bulk reassign, a workflow's and an escalation's new assignee, an admin's
// hand-over): someone invited who has not joined yet is marked, since the server takes work
// for them (it waits in their queue for their first sign-in) but the person choosing should
// know they are not at work yet.

/** A person as list_team_members (`invited`) or list_people (`status`) gives them. */
interface Named { full_name: string; invited?: boolean; status?: string }

/** "Dana Diaz", or "Dana Diaz (invited)" for someone who has not joined yet. */
export function choiceName(person: Named): string {
  const invited = person.invited ?? person.status === 'invited';
  return invited ? `${person.full_name} (invited)` : person.full_name;
}

/**
 * Whom a picker of a person to hand work to offers: not a viewer, nor someone deactivated —
 * the server's rule (app.require_person_who_can_take_work). Filters by person keep everyone.
 */
export function canTakeWork(person: { role: string; deactivated?: boolean }): boolean {
  return person.role !== 'viewer' && !person.deactivated;
}

/** Who holds work that nobody holds, wherever a holder is shown. */
export const UNASSIGNED = 'Unassigned';
