// The people a manager can switch the queue to. There is no people-listing RPC in api.md,
// so the team is read from the customers' assignees (list_customers), which are exactly
// the people who own work.
import { useWorkspace, isManager } from '../../lib/context.ts';
import { useAsync } from '../../hooks/useAsync.ts';
import type { TeamMember } from '../../lib/types.ts';

type CustomerRow = Record<string, unknown>;

function assigneeOf(row: CustomerRow): TeamMember | null {
  const nested = (row.assignee ?? row.assigned_to_profile ?? row.csm) as Record<string, unknown> | null | undefined;
  if (nested && typeof nested === 'object' && typeof nested.id === 'string') {
    return { id: nested.id, full_name: String(nested.full_name ?? nested.name ?? nested.email ?? 'Unnamed') };
  }
  const id = row.assignee_id ?? row.assigned_to;
  if (typeof id === 'string') {
    return { id, full_name: String(row.assignee_name ?? row.assigned_to_name ?? 'Team member') };
  }
  return null;
}

export function teamFromCustomers(rows: CustomerRow[]): TeamMember[] {
  const byId = new Map<string, TeamMember>();
  for (const row of rows) {
    const member = assigneeOf(row);
    if (member && !byId.has(member.id)) byId.set(member.id, member);
  }
  return [...byId.values()].sort((a, b) => a.full_name.localeCompare(b.full_name));
}

/** The team; by default only loaded for managers (who switch queues), `always` for reassigning. */
export function useTeamMembers(always = false) {
  const { api, profile } = useWorkspace();
  const manager = always || isManager(profile);
  return useAsync(async () => {
    if (!manager) return [] as TeamMember[];
    const result = await api.listCustomers({ page_size: 200 });
    const rows = (Array.isArray(result) ? result : ((result as { items?: CustomerRow[] }).items ?? [])) as CustomerRow[];
    return teamFromCustomers(rows);
  }, [api, manager]);
}
