// Who and what this workflow is, its status and progress, and the workflow-level buttons.
import type { ReactNode } from 'react';
import type { WorkflowExecution } from '../../lib/types.ts';
import { formatDate, formatMoney } from '../../lib/format.ts';
import { RenewalDate } from '../../components/RenewalDate.tsx';
import { paths } from '../../lib/router.ts';
import { queuePageName, useWorkspace } from '../../lib/context.ts';
import { Link } from '../../components/Link.tsx';
import { StageBadge, StatusBadge } from '../../components/Badges.tsx';

export function WorkflowHeader({ execution, children }: { execution: WorkflowExecution; children?: ReactNode }) {
  const { profile } = useWorkspace();
  const total = execution.total_steps ?? execution.steps.length;
  const done = execution.completed_steps ?? execution.steps.filter((step) => step.status === 'completed' || step.status === 'skipped').length;
  const percent = total > 0 ? Math.round((done / total) * 100) : 0;
  // Progress counts skipped steps (docs/business-rules.md), but says which were done and which skipped.
  const skipped = execution.steps.filter((step) => step.status === 'skipped').length;
  const completed = Math.max(0, done - skipped);
  return (
    <header className="wf-head">
      <div className="wf-crumbs"><Link href={paths.queue}>← {queuePageName(profile)}</Link></div>
      <div className="wf-title-row">
        <div>
          {/* The '·' is held to the customer and the workflow's name wraps as a whole (.wf-name):
              on a phone "Contoso Retail · Emergency" then "Stage" broke the name in two. */}
          <h1><Link href={paths.customer(execution.customer.id)} className="customer-link heading-link">{execution.customer.name}</Link><span className="wf-name">{'\u00a0·'}</span> <span className="wf-name wf-name-whole">{execution.workflow_name}</span></h1>
          <div className="sub">
            <StatusBadge status={execution.status} />
            <StageBadge stage={execution.customer.renewal_stage} />
            <span>{formatMoney(execution.customer.arr)} ARR</span>
            <RenewalDate renewalDate={execution.customer.renewal_date} decisionDate={execution.customer.decision_date}
              daysUntilRenewal={execution.customer.days_until_renewal} daysUntilDecision={execution.customer.days_until_decision} />
            {execution.priority_score !== null && execution.priority_score !== undefined ? <span>priority {execution.priority_score}</span> : null}
            {execution.status === 'snoozed' && execution.snoozed_until ? <span>snoozed until {formatDate(execution.snoozed_until)}</span> : null}
          </div>
          {/* Why it waits, on a line of its own: a reason can be a sentence long. */}
          {execution.status === 'snoozed' && execution.snooze_reason ? <p className="small muted wf-snooze-reason">Snoozed because: {execution.snooze_reason}</p> : null}
        </div>
        <div className="wf-buttons">{children}</div>
      </div>
      <div className="progress" role="progressbar" aria-label="Steps done" aria-valuemin={0} aria-valuemax={total} aria-valuenow={done} aria-valuetext={`${completed} of ${total} steps done${skipped > 0 ? `, ${skipped} skipped` : ''}`}>
        <span style={{ width: `${percent}%` }} />
      </div>
      <div className="small muted">{completed} of {total} steps done{skipped > 0 ? `, ${skipped} skipped` : ''}</div>
    </header>
  );
}
