// Record outcome on a renewal workflow's own page (WorkflowControls). A CSM works a renewal
// step by step up to "Record the outcome"; the outcome itself (renewed, downgraded, churned,
// with the new ARR) was offered only on the Forecast page, so a CSM who completed the workflow
// left the renewal open: the customer stayed "renews in 5 days", in its stage, its ARR
// unchanged, and the Forecast page offered no Record outcome until the decision had passed.
// The same dialog and the same server rule (record_renewal_outcome) as the Forecast page:
// recording it sets the ARR, moves the renewal date on and completes the workflow
// (docs/forecast-and-retention.md).
import { useMemo } from 'react';
import { useWorkspace } from '../../lib/context.ts';
import type { WorkflowExecution } from '../../lib/types.ts';
import { OPEN_STATUSES } from '../workflow/useExecution.ts';
import { forecastApi } from './api.ts';
import { OutcomeDialog } from './OutcomeDialog.tsx';

/** Whether this workflow is a renewal's open one, whose outcome is recorded on it (not while
 *  escalated: an escalation holds the forecast and the outcome until it is decided). */
export function closesARenewal(execution: Pick<WorkflowExecution, 'workflow_type' | 'status'>): boolean {
  return execution.workflow_type === 'renewal' && OPEN_STATUSES.has(execution.status) && execution.status !== 'escalated';
}

/** What the page says once recorded: the outcome in words, and what it closed. */
export function outcomeRecordedNotice(said: string): string {
  return `${said} The renewal is closed and this workflow completed.`;
}

export function RecordRenewalOutcomeDialog({ execution, onClose, onRecorded }: {
  execution: WorkflowExecution;
  onClose: () => void;
  /** Called once recorded, with what was recorded in words ("Contoso: renewed at $95,000."). */
  onRecorded: (said: string) => void;
}) {
  const { api } = useWorkspace();
  const fapi = useMemo(() => forecastApi(api), [api]);
  const renewal = {
    execution_id: execution.id,
    current_arr: execution.customer.arr ?? 0,
    customer: { id: execution.customer.id, name: execution.customer.name },
  };
  return <OutcomeDialog item={renewal} forecastApi={fapi} onClose={onClose} onRecorded={onRecorded} />;
}
