// Small coloured labels: renewal stage, account plan, workflow / step / task status.
import { humanize } from '../lib/format.ts';
import type { AccountPlan, RenewalStage } from '../lib/types.ts';

// One tone for each of the API's stages and plans (a stage added there fails the type check here).
const STAGE_TONE: Record<string, string> = {
  Overdue: 'danger', Emergency: 'danger', Critical: 'warning', Signature: 'warning',
  Finalize: 'info', Negotiate: 'info', Engage: 'neutral', Prepare: 'neutral', Monitor: 'muted',
} satisfies Record<RenewalStage, string>;
const PLAN_TONE: Record<string, string> = { expand: 'success', invest: 'info', manage: 'neutral', monitor: 'warning' } satisfies Record<AccountPlan, string>;
const STATUS_TONE: Record<string, string> = {
  queued: 'neutral', in_progress: 'info', completed: 'success', completed_with_pending_tasks: 'success',
  skipped: 'muted', superseded: 'muted', cancelled: 'muted', snoozed: 'muted', escalated: 'danger',
  pending: 'neutral', active: 'info', reassigned: 'muted', failed: 'danger', approved: 'success',
};

/** No title: guidance a hover tooltip holds reaches neither a finger nor a keyboard (components/Toggletip.tsx does). */
export function Badge({ tone = 'neutral', children }: { tone?: string; children: string }) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}

export function StageBadge({ stage }: { stage: string | null | undefined }) {
  if (!stage) return <Badge tone="muted">No renewal</Badge>;
  return <Badge tone={STAGE_TONE[stage] ?? 'neutral'}>{stage}</Badge>;
}

export function PlanBadge({ plan }: { plan: string | null | undefined }) {
  if (!plan) return <span className="muted">—</span>;
  return <Badge tone={PLAN_TONE[plan] ?? 'neutral'}>{humanize(plan)}</Badge>;
}

export function StatusBadge({ status }: { status: string }) {
  const label = status === 'completed_with_pending_tasks' ? 'Completed (tasks open)' : humanize(status);
  return <Badge tone={STATUS_TONE[status] ?? 'neutral'}>{label}</Badge>;
}
