// Shapes of the escalation loop's RPC results (see docs/escalation-loop.md).
import type { ExecutionStatus, QueueLane } from '../../lib/types.ts';

export interface ExecutionSummary {
  id: string;
  status: ExecutionStatus;
  assignee_id: string | null;
  snoozed_until: string | null;
  total_steps: number;
  completed_steps: number;
  steps_done?: number;
  steps_skipped?: number;
  escalation_status?: string;
}

interface PersonRef { id: string; full_name: string | null }

export interface EscalationItem {
  id: string;
  execution_id: string;
  status: 'open' | 'withdrawn' | 'returned' | 'reassigned' | 'closed';
  level: string;
  reason: string;
  escalated_at: string;
  age_hours: number;
  age_days: number;
  escalated_by: PersonRef | null;
  assignee: PersonRef | null;
  manager: PersonRef | null;
  is_mine: boolean;
  execution_status: ExecutionStatus;
  workflow: { key: string; name: string; type: string };
  customer: { id: string; name: string; arr: number | null; health_score: number | null; renewal_date: string | null; decision_date: string | null; renewal_stage: string | null };
  resolution: { status: string; note: string; at: string; by: PersonRef; reassigned_to: PersonRef | null } | null;
}

export interface TeamMemberWork {
  id: string;
  full_name: string;
  email: string | null;
  role: string;
  title: string | null;
  manager_id: string | null;
  reports_to_me: boolean;
  open_total: number;
  lanes: Record<QueueLane, number>;
  in_progress: number;
  snoozed: number;
  escalated: number;
  overdue: number;
  open_tasks: number;
  overdue_tasks: number;
}

export interface TeamRenewal {
  customer_id: string;
  name: string;
  arr: number | null;
  health_score: number | null;
  renewal_date: string;
  decision_date: string | null;
  renewal_stage: string | null;
  days_until_decision: number;
  assignee_id: string | null;
  assignee_name: string | null;
  execution_id: string | null;
}

export interface TeamOverview {
  as_of: string;
  quarter: { start: string; end: string; label: string };
  members: TeamMemberWork[];
  totals: { open: number; now: number; overdue: number; escalated: number; open_escalations: number };
  renewals: { count: number; arr: number; items: TeamRenewal[] };
}

/** The escalation recorded in an execution's metadata (the last entry of metadata.escalations). */
export interface EscalationEntry {
  level?: string;
  reason?: string;
  by?: string;
  at?: string;
  manager_id?: string | null;
  from_status?: string;
}

export function openEscalation(metadata: unknown): EscalationEntry | null {
  const list = (metadata as { escalations?: EscalationEntry[] } | null | undefined)?.escalations;
  return Array.isArray(list) && list.length > 0 ? list[list.length - 1] ?? null : null;
}
